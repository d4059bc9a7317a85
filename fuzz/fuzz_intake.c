/*
 * fuzz_intake.c - libFuzzer target over the mail intake path without the
 * store: mail_parse() -> route_classify() / route_triage() ->
 * mail_dump_json(), plus the HTML helpers on whatever HTML came out.
 *
 * Besides "no crash, no leak, no undefined behaviour" it checks the
 * promises of parse.h: every string is valid UTF-8 without NUL bytes, the
 * sanitizer's output sanitizes to itself, and kept bodies respect the
 * limits; and the raw message key (util/msgid.h) is printable ASCII
 * without spaces, within its size, whatever the bytes.
 *
 * SECURITY: the input is arbitrary bytes, which is the point.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mail/dump.h"
#include "mail/html.h"
#include "mail/parse.h"
#include "mail/route.h"
#include "mail/text.h"
#include "util/msgid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
lookup(void *ctx, const char *id, uint32_t *ticket)
{
	(void)ctx;
	if (strncmp(id, "t-", 2) == 0) {
		*ticket = 42;
		return 1;
	}
	return 0;
}

/* Aborts unless s is valid UTF-8 (cleaning it changes nothing). */
static void
check_utf8(const char *s)
{
	if (s == NULL)
		return;
	char *c = text_utf8_clean(s, strlen(s));
	if (c == NULL)
		return;
	/* Cleaning turns lone CRs into LFs; headers never carry them. */
	int same = strcmp(c, s) == 0;
	free(c);
	if (!same)
		abort();
}

static void
check_addrs(const struct mail_addr_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		check_utf8(l->v[i].addr);
		check_utf8(l->v[i].name);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int inited;
	if (!inited) {
		mail_init();
		inited = 1;
	}
	char key[MSGID_MAX];
	msgid_key((const char *)data, size, key);
	size_t kl = strlen(key);
	if (kl == 0 || kl >= MSGID_MAX)
		abort();
	for (size_t i = 0; i < kl; i++)
		if ((unsigned char)key[i] <= 0x20 || (unsigned char)key[i] >= 0x7f)
			abort();
	struct mail_limits lim;
	mail_limits_default(&lim);
	lim.max_message_bytes = 16384;
	lim.max_attachment_bytes = 4096;
	lim.max_text_bytes = 65536;
	struct mail *m = NULL;
	if (mail_parse((const char *)data, size, &lim, &m) != MAIL_OK)
		return 0;

	check_utf8(m->message_id);
	check_utf8(m->subject);
	check_utf8(m->from.addr);
	check_utf8(m->from.name);
	check_addrs(&m->to);
	check_addrs(&m->cc);
	check_addrs(&m->delivered_to);
	check_utf8(m->text);
	check_utf8(m->display_text);
	check_utf8(m->html);
	size_t kept = 0;
	for (size_t i = 0; i < m->nparts; i++) {
		check_utf8(m->parts[i].filename);
		if (m->parts[i].data) {
			if (m->parts[i].size > lim.max_attachment_bytes)
				abort();
			kept += m->parts[i].size;
		}
	}
	if (kept > lim.max_message_bytes)
		abort();

	/* Sanitized HTML is a fixed point of the sanitizer. */
	if (m->html) {
		struct buf again = BUF_INIT(0);
		if (html_sanitize(m->html, strlen(m->html), &again) == BUF_OK &&
		    strcmp(buf_str(&again), m->html) != 0)
			abort();
		buf_free(&again);
	}

	struct route_opts o = {NULL, NULL, lookup, NULL};
	struct route_result r;
	route_classify(m, &o, &r);
	if (r.kind == ROUTE_REPLY && r.ticket == 0)
		abort();
	struct route_triage t;
	route_triage(m, &t);
	if (t.severity < 1 || t.severity > 4)
		abort();

	char *j = mail_dump_json(m);
	free(j);
	mail_free(m);
	return 0;
}
