/*
 * dump.c - struct mail as JSON (see dump.h).
 *
 * SECURITY: input is an already parsed struct mail (valid UTF-8 strings);
 * jansson escapes them.
 */
#include "mail/dump.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/timefmt.h"

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
addr_json(const struct mail_addr *a)
{
	json_t *o = json_object();
	json_object_set_new(o, "addr", str_or_null(a->addr));
	json_object_set_new(o, "name", str_or_null(a->name));
	return o;
}

static json_t *
addr_list_json(const struct mail_addr_list *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, addr_json(&l->v[i]));
	return a;
}

static const char *
kind_name(enum mail_part_kind k)
{
	switch (k) {
	case MAIL_PART_ATTACHMENT: return "attachment";
	case MAIL_PART_INLINE: return "inline";
	case MAIL_PART_MESSAGE: return "message";
	}
	return "?";
}

char *
mail_dump_json(const struct mail *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "message_id", str_or_null(m->message_id));
	json_t *flags = json_array();
	for (unsigned bit = 1; bit != 0 && bit <= MAIL_F_8BIT_HEADERS; bit <<= 1)
		if ((m->flags & bit) && mail_flag_name(bit))
			json_array_append_new(flags, json_string(mail_flag_name(bit)));
	json_object_set_new(o, "flags", flags);
	json_object_set_new(o, "from", addr_json(&m->from));
	json_object_set_new(o, "to", addr_list_json(&m->to));
	json_object_set_new(o, "cc", addr_list_json(&m->cc));
	json_object_set_new(o, "reply_to", addr_list_json(&m->reply_to));
	json_object_set_new(o, "delivered_to", addr_list_json(&m->delivered_to));
	json_object_set_new(o, "x_original_to",
	                    addr_list_json(&m->x_original_to));
	json_object_set_new(o, "subject", str_or_null(m->subject));
	if (m->flags & MAIL_F_NO_DATE) {
		json_object_set_new(o, "date", json_null());
	} else {
		char iso[ISO_UTC_LEN];
		iso_utc_format(m->date, iso);
		json_object_set_new(o, "date", json_string(iso));
	}
	json_object_set_new(o, "in_reply_to", str_or_null(m->in_reply_to));
	json_t *refs = json_array();
	for (size_t i = 0; i < m->nreferences; i++)
		json_array_append_new(refs, json_string(m->references[i]));
	json_object_set_new(o, "references", refs);
	json_object_set_new(o, "auto_reason", str_or_null(m->auto_reason));
	if (m->flags & MAIL_F_BOUNCE) {
		json_t *b = json_object();
		json_t *rc = json_array();
		for (size_t i = 0; i < m->bounce.n; i++) {
			const struct mail_dsn_rcpt *r = &m->bounce.rcpt[i];
			json_t *ro = json_object();
			json_object_set_new(ro, "final_recipient",
			                    str_or_null(r->final_recipient));
			json_object_set_new(ro, "action", str_or_null(r->action));
			json_object_set_new(ro, "status", str_or_null(r->status));
			json_object_set_new(ro, "diagnostic", str_or_null(r->diagnostic));
			json_array_append_new(rc, ro);
		}
		json_object_set_new(b, "recipients", rc);
		json_object_set_new(b, "orig_message_id",
		                    str_or_null(m->bounce.orig_message_id));
		json_object_set_new(b, "orig_subject",
		                    str_or_null(m->bounce.orig_subject));
		json_object_set_new(b, "orig_x_ticket",
		                    str_or_null(m->bounce.orig_x_ticket));
		json_object_set_new(o, "bounce", b);
	}
	json_object_set_new(o, "text", str_or_null(m->text));
	json_object_set_new(o, "display_text", str_or_null(m->display_text));
	json_object_set_new(o, "html", str_or_null(m->html));
	json_t *parts = json_array();
	for (size_t i = 0; i < m->nparts; i++) {
		const struct mail_part *p = &m->parts[i];
		json_t *po = json_object();
		json_object_set_new(po, "kind", json_string(kind_name(p->kind)));
		json_object_set_new(po, "filename", str_or_null(p->filename));
		json_object_set_new(po, "content_type", str_or_null(p->content_type));
		json_object_set_new(po, "content_id", str_or_null(p->content_id));
		json_object_set_new(po, "size", json_integer((json_int_t)p->size));
		json_object_set_new(po, "sha256", json_string(p->sha256));
		json_object_set_new(po, "skipped", json_boolean(p->skipped));
		json_array_append_new(parts, po);
	}
	json_object_set_new(o, "parts", parts);
	json_object_set_new(o, "raw_size", json_integer((json_int_t)m->raw_size));
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		return NULL;
	size_t n = strlen(s);
	char *r = realloc(s, n + 2);
	if (r == NULL) {
		free(s);
		return NULL;
	}
	r[n] = '\n';
	r[n + 1] = '\0';
	return r;
}
