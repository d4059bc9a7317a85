/*
 * parse_headers.c - the message's headers (see parse_internal.h):
 * address lists, every header kept, threading references, auto-reply
 * signals and the top-level identity (parse_read_envelope).
 *
 * SECURITY: headers are untrusted; every string is copied as clean UTF-8
 * and address lists are bounded.
 */
#include "mail/parse_internal.h"
#include "mail/text.h"
#include "util/text.h"
#include "util/msgid.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- headers ---- */

static int
addr_push(struct mail_addr_list *l, const char *addr, const char *name)
{
	if (l->n >= 200)
		return 0;
	struct mail_addr *nv = realloc(l->v, (l->n + 1) * sizeof *nv);
	if (nv == NULL)
		return -1;
	l->v = nv;
	struct mail_addr *a = &l->v[l->n];
	a->name = NULL;
	a->addr = text_utf8_clean(addr ? addr : "", addr ? strlen(addr) : 0);
	if (a->addr == NULL)
		return -1;
	email_fold_domain(a->addr);
	if (name && *name && parse_dup_clean(&a->name, name)) {
		free(a->addr);
		return -1;
	}
	l->n++;
	return 0;
}

static int
addr_list_add(struct mail_addr_list *out, InternetAddressList *l, int depth)
{
	if (l == NULL || depth > 4)
		return 0;
	int n = internet_address_list_length(l);
	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(l, i);
		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			InternetAddressMailbox *mb = INTERNET_ADDRESS_MAILBOX(ia);
			if (addr_push(out, internet_address_mailbox_get_addr(mb),
			              internet_address_get_name(ia)))
				return -1;
		} else if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			if (addr_list_add(out,
			                  internet_address_group_get_members(
			                          INTERNET_ADDRESS_GROUP(ia)),
			                  depth + 1))
				return -1;
		}
	}
	return 0;
}

/* Every header called name, parsed as address lists, into out. */
static int
addr_headers(struct walk *w, GMimeObject *obj, const char *name,
             struct mail_addr_list *out)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	int count = g_mime_header_list_get_count(hl);
	for (int i = 0; i < count; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		if (strcasecmp(g_mime_header_get_name(h), name) != 0)
			continue;
		const char *v = g_mime_header_get_value(h);
		if (v == NULL)
			continue;
		InternetAddressList *l = internet_address_list_parse(w->opts, v);
		int rc = addr_list_add(out, l, 0);
		if (l)
			g_object_unref(l);
		if (rc)
			return -1;
	}
	return 0;
}

/*
 * Appends the headers of obj to m->headers (at most max_headers in all).
 * GMime files the Content-* headers of a message under its top MIME part,
 * so the caller runs this on both to get every top-level header.
 */
static int
copy_headers(struct walk *w, GMimeObject *obj)
{
	struct mail *m = w->m;
	if (obj == NULL)
		return 0;
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	int count = hl ? g_mime_header_list_get_count(hl) : 0;
	for (int i = 0; i < count; i++) {
		if (m->nheaders >= w->lim.max_headers) {
			m->flags |= MAIL_F_TRUNCATED;
			break;
		}
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *v = g_mime_header_get_value(h);
		struct mail_header *nh =
			realloc(m->headers, (m->nheaders + 1) * sizeof *nh);
		if (nh == NULL)
			return -1;
		m->headers = nh;
		struct mail_header *mh = &m->headers[m->nheaders];
		if (parse_dup_clean(&mh->name, g_mime_header_get_name(h)))
			return -1;
		if (parse_dup_clean(&mh->value, v ? v : "")) {
			free(mh->name);
			return -1;
		}
		const char *raw = g_mime_header_get_raw_value(h);
		mh->raw = strdup(raw ? raw : "");
		if (mh->raw == NULL) {
			free(mh->name);
			free(mh->value);
			return -1;
		}
		/* Unfolding leaves no CR/LF in GMime values; tabs become spaces
		 * so a value is always one clean line. */
		for (char *p = mh->value; *p; p++)
			if (*p == '\t' || *p == '\r' || *p == '\n')
				*p = ' ';
		m->nheaders++;
	}
	return 0;
}

const char *
mail_header_get(const struct mail *m, const char *name)
{
	for (size_t i = 0; m && i < m->nheaders; i++)
		if (strcasecmp(m->headers[i].name, name) == 0)
			return m->headers[i].value;
	return NULL;
}

static int
refs_list(struct walk *w, const char *text, char ***out, size_t *nout,
          size_t max)
{
	*out = NULL;
	*nout = 0;
	if (text == NULL)
		return 0;
	GMimeReferences *refs = g_mime_references_parse(w->opts, text);
	if (refs == NULL)
		return 0;
	int n = g_mime_references_length(refs);
	size_t take = n > 0 ? (size_t)n : 0;
	size_t skip = 0;
	if (take > max) {
		/* Keep the first (the thread root) and the newest ones. */
		skip = take - max;
		w->m->flags |= MAIL_F_TRUNCATED;
		take = max;
	}
	int rc = 0;
	if (take) {
		*out = calloc(take, sizeof **out);
		if (*out == NULL)
			rc = -1;
	}
	for (size_t i = 0; i < take && rc == 0; i++) {
		size_t idx = (i == 0 || skip == 0) ? i : i + skip;
		const char *id = g_mime_references_get_message_id(refs, (int)idx);
		if (parse_dup_clean(&(*out)[*nout], id ? id : ""))
			rc = -1;
		else
			(*nout)++;
	}
	g_mime_references_free(refs);
	return rc;
}

/* ---- auto-reply signals ---- */

const char *
parse_detect_auto(struct mail *m)
{
	int prec_auto = 0;
	const char *v = mail_header_get(m, "Precedence");
	if (v) {
		struct buf f = BUF_INIT(256);
		text_fold(v, &f);
		const char *p = buf_str(&f);
		while (*p == ' ')
			p++;
		prec_auto = strncmp(p, "auto_reply", 10) == 0 ||
		            strncmp(p, "auto-reply", 10) == 0;
		if (strncmp(p, "bulk", 4) == 0 || strncmp(p, "junk", 4) == 0 ||
		    strncmp(p, "list", 4) == 0)
			m->flags |= MAIL_F_BULK;
		buf_free(&f);
	}
	v = mail_header_get(m, "Auto-Submitted");
	if (v) {
		while (*v == ' ')
			v++;
		if (strncasecmp(v, "no", 2) != 0 ||
		    (v[2] && v[2] != ' ' && v[2] != ';' && v[2] != '('))
			return "Auto-Submitted header";
	}
	v = mail_header_get(m, "X-Autoreply");
	if (v && strncasecmp(v, "no", 2) != 0)
		return "X-Autoreply header";
	v = mail_header_get(m, "X-Autorespond");
	if (v && strncasecmp(v, "no", 2) != 0)
		return "X-Autorespond header";
	if (prec_auto)
		return "Precedence: auto_reply";
	if (mail_header_get(m, "X-Auto-Response-Suppress"))
		return "X-Auto-Response-Suppress header";
	/* Subjects auto-responders write, in Spanish and English. Only as a
	 * prefix: "vacaciones" inside a real request must not match. */
	static const char *const subj[] = {
		"respuesta automatica", "respuesta automatica:",
		"fuera de la oficina", "fuera de oficina", "ausencia:",
		"ausente:", "vacaciones:", "de vacaciones", "automatic reply",
		"auto reply", "auto-reply", "autoreply",
		"out of office", "out of the office", "vacation:",
		"away from the office", "ooo:", NULL};
	struct buf f = BUF_INIT(4096);
	text_fold(m->subject ? m->subject : "", &f);
	const char *s = buf_str(&f);
	while (*s == ' ' || *s == '\t')
		s++;
	const char *why = NULL;
	for (size_t i = 0; subj[i] && !why; i++)
		if (strncmp(s, subj[i], strlen(subj[i])) == 0)
			why = "auto-reply subject";
	buf_free(&f);
	return why;
}

/* Identity and threading headers of the top-level message. */
int
parse_read_envelope(struct walk *w, GMimeMessage *msg, const char *raw, size_t len)
{
	struct mail *m = w->m;
	GMimeObject *obj = GMIME_OBJECT(msg);
	if (copy_headers(w, obj) ||
	    copy_headers(w, g_mime_message_get_mime_part(msg)))
		return -1;

	const char *id = g_mime_message_get_message_id(msg);
	if (id && *id) {
		if (parse_dup_clean(&m->message_id, id))
			return -1;
	} else {
		char buf[MSGID_MAX];
		msgid_synthetic(raw, len, buf);
		m->message_id = strdup(buf);
		if (m->message_id == NULL)
			return -1;
		m->flags |= MAIL_F_SYNTH_MSGID;
	}

	struct mail_addr_list from = {NULL, 0};
	if (addr_list_add(&from, g_mime_message_get_from(msg), 0)) {
		parse_addr_list_free(&from);
		return -1;
	}
	if (from.n > 0) {
		m->from = from.v[0];
		from.v[0].addr = NULL;
		from.v[0].name = NULL;
	}
	parse_addr_list_free(&from);
	if (m->from.addr == NULL && (m->from.addr = strdup("")) == NULL)
		return -1;

	if (addr_list_add(&m->to, g_mime_message_get_to(msg), 0) ||
	    addr_list_add(&m->cc, g_mime_message_get_cc(msg), 0) ||
	    addr_list_add(&m->reply_to, g_mime_message_get_reply_to(msg), 0) ||
	    addr_headers(w, obj, "Delivered-To", &m->delivered_to) ||
	    addr_headers(w, obj, "X-Original-To", &m->x_original_to))
		return -1;

	const char *subj = g_mime_message_get_subject(msg);
	if (parse_dup_clean(&m->subject, subj ? subj : ""))
		return -1;
	for (char *p = m->subject; *p; p++)
		if (*p == '\t' || *p == '\n' || *p == '\r')
			*p = ' ';

	GDateTime *d = g_mime_message_get_date(msg);
	if (d && mail_header_get(m, "Date")) {
		m->date = g_date_time_to_unix(d);
	} else {
		m->date = 0;
		m->flags |= MAIL_F_NO_DATE;
	}

	char **irt = NULL;
	size_t nirt = 0;
	if (refs_list(w, g_mime_object_get_header(obj, "In-Reply-To"), &irt,
	              &nirt, 1))
		return -1;
	if (nirt > 0) {
		m->in_reply_to = irt[0];
		for (size_t i = 1; i < nirt; i++)
			free(irt[i]);
	}
	free(irt);
	if (refs_list(w, g_mime_object_get_header(obj, "References"),
	              &m->references, &m->nreferences, w->lim.max_refs))
		return -1;
	return 0;
}
