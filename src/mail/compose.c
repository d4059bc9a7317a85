/*
 * compose.c - outgoing messages with GMime (see compose.h).
 */
#include "mail/compose.h"
#include "mail/parse.h"
#include "util/buf.h"
#include "util/text.h"

#include <gmime/gmime.h>
#include <stdlib.h>
#include <string.h>

int
msgid_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 5 || n > 250 || s[0] != '<' || s[n - 1] != '>')
		return 0;
	int at = 0;
	for (size_t i = 1; i + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '"' ||
		    c == '\\' || c == '(' || c == ')' || c == ',')
			return 0;
		if (c == '@')
			at++;
	}
	return at == 1 && s[1] != '@' && s[n - 2] != '@';
}

/* A copy of s on one line: CR, LF and other controls become spaces. */
static char *
one_line(const char *s)
{
	char *c = strdup(s ? s : "");
	if (c)
		for (char *p = c; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				*p = ' ';
	return c;
}

/* Keeps only the valid msg-ids of a References list. */
static char *
clean_references(const char *refs)
{
	struct buf b = BUF_INIT(8192);
	char *copy = strdup(refs ? refs : "");
	char *save = NULL;
	if (copy == NULL)
		return NULL;
	for (char *tok = strtok_r(copy, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (!msgid_valid(tok))
			continue;
		if (b.len)
			buf_putc(&b, ' ');
		buf_puts(&b, tok);
	}
	free(copy);
	return buf_steal(&b);
}

/* A base64 attachment part for f. */
static GMimeObject *
file_part(const struct outgoing_file *f)
{
	char type[128] = "application", sub[128] = "octet-stream";
	const char *slash = f->content_type ? strchr(f->content_type, '/') : NULL;
	size_t tl = slash ? (size_t)(slash - f->content_type) : 0;
	if (slash && tl > 0 && tl < sizeof type && slash[1] &&
	    strlen(slash + 1) < sizeof sub && !strpbrk(f->content_type, " ;\r\n")) {
		memcpy(type, f->content_type, tl);
		type[tl] = '\0';
		snprintf(sub, sizeof sub, "%s", slash + 1);
	}
	GMimePart *part = g_mime_part_new_with_type(type, sub);
	char *name = one_line(f->filename);
	g_mime_part_set_filename(part, name ? name : "adjunto");
	free(name);
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(f->data, f->len);
	GMimeDataWrapper *w =
	    g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(part, w);
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	g_object_unref(w);
	g_object_unref(stream);
	return GMIME_OBJECT(part);
}

char *
compose_message(const struct outgoing *o)
{
	char id[300];
	if (o->to_addr == NULL || !email_valid(o->to_addr) ||
	    o->from_addr == NULL || !email_valid(o->from_addr) ||
	    o->message_id == NULL ||
	    (size_t)snprintf(id, sizeof id, "<%s>", o->message_id) >= sizeof id ||
	    !msgid_valid(id))
		return NULL;
	mail_init();

	char *subject = one_line(o->subject);
	char *from_name = one_line(o->from_name);
	char *refs = clean_references(o->references);
	char *out = NULL;
	if (subject == NULL || from_name == NULL || refs == NULL)
		goto out;

	GMimeMessage *msg = g_mime_message_new(TRUE);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, from_name,
	                           o->from_addr);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, NULL, o->to_addr);
	if (o->reply_to)
		g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_REPLY_TO,
		                           from_name, o->reply_to);
	g_mime_message_set_subject(msg, subject, "utf-8");
	g_mime_message_set_message_id(msg, o->message_id);
	GDateTime *date = g_date_time_new_from_unix_utc(o->date);
	g_mime_message_set_date(msg, date);
	g_date_time_unref(date);
	GMimeObject *obj = GMIME_OBJECT(msg);
	if (o->in_reply_to && msgid_valid(o->in_reply_to))
		g_mime_object_set_header(obj, "In-Reply-To", o->in_reply_to, NULL);
	if (*refs)
		g_mime_object_set_header(obj, "References", refs, NULL);
	if (o->auto_submitted)
		g_mime_object_set_header(obj, "Auto-Submitted", o->auto_submitted,
		                         NULL);
	/* Ask other robots (out-of-office replies) not to answer ours. */
	g_mime_object_set_header(obj, "X-Auto-Response-Suppress", "All", NULL);

	/* The text as it is, UTF-8 (g_mime_text_part_set_text() would convert
	 * it to the smallest charset that holds it, ISO-8859-1 for Spanish,
	 * and a later set_charset("utf-8") would only relabel it). */
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");
	const char *text = o->body_text ? o->body_text : "";
	GMimeStream *ts = g_mime_stream_mem_new_with_buffer(text, strlen(text));
	GMimeDataWrapper *tw =
	    g_mime_data_wrapper_new_with_stream(ts, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(GMIME_PART(part), tw);
	g_object_unref(tw);
	g_object_unref(ts);
	g_mime_text_part_set_charset(part, "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(part),
	                                 GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	if (o->nfiles == 0) {
		g_mime_message_set_mime_part(msg, GMIME_OBJECT(part));
	} else {
		GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");
		g_mime_multipart_add(mixed, GMIME_OBJECT(part));
		for (size_t i = 0; i < o->nfiles; i++) {
			GMimeObject *fp = file_part(&o->files[i]);
			g_mime_multipart_add(mixed, fp);
			g_object_unref(fp);
		}
		g_mime_message_set_mime_part(msg, GMIME_OBJECT(mixed));
		g_object_unref(mixed);
	}
	g_object_unref(part);

	GMimeFormatOptions *fmt = g_mime_format_options_clone(NULL);
	g_mime_format_options_set_newline_format(fmt, GMIME_NEWLINE_FORMAT_DOS);
	char *s = g_mime_object_to_string(obj, fmt);
	g_mime_format_options_free(fmt);
	g_object_unref(msg);
	if (s) {
		out = strdup(s);
		g_free(s);
	}
out:
	free(subject);
	free(from_name);
	free(refs);
	return out;
}
