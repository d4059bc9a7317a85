/*
 * test_msgid.c - util/msgid.h: the key a raw message is stored under,
 * computed by the light mail gate without GMime, must be the Message-ID
 * GMime's parse gives (or the same synthetic id), or the same message
 * could be stored twice through two doors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mail/parse.h"
#include "mail_corpus.h"
#include "util/msgid.h"

/* The Message-ID mail_parse() gives raw. */
static char *
parsed_id(const char *raw, size_t len)
{
	struct mail_limits lim;
	mail_limits_default(&lim);
	struct mail *m = NULL;
	assert_int_equal(mail_parse(raw, len, &lim, &m), MAIL_OK);
	char *id = strdup(m->message_id);
	mail_free(m);
	return id;
}

static void
agrees(const char *raw, const char *want)
{
	char key[MSGID_MAX];
	msgid_key(raw, strlen(raw), key);
	char *parsed = parsed_id(raw, strlen(raw));
	assert_string_equal(key, parsed);
	if (want)
		assert_string_equal(key, want);
	free(parsed);
}

static void
test_corpus(void **state)
{
	(void)state;
	int n = 0, synthetic = 0;
	for (int i = 1; i <= CORPUS_MAX; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%03d.eml", CORPUS_DIR, i);
		size_t len;
		char *raw = corpus_read(path, &len);
		if (raw == NULL)
			continue;
		char key[MSGID_MAX];
		synthetic += msgid_key(raw, len, key);
		char *parsed = parsed_id(raw, len);
		if (strcmp(key, parsed) != 0)
			fail_msg("%03d.eml: key '%s', GMime '%s'", i, key, parsed);
		free(parsed);
		free(raw);
		n++;
	}
	assert_int_equal(n, 120);
	/* The corpus has messages without a Message-ID: both sides give the
	 * same synthetic id for them. */
	assert_true(synthetic >= 1);
}

static void
test_forms(void **state)
{
	(void)state;
	agrees("Message-ID: <a.b@c.example>\n\nbody\n", "a.b@c.example");
	agrees("message-id:<a.b@c.example>\r\n\r\nbody\r\n", "a.b@c.example");
	agrees("Message-Id: \t <a.b@c.example>  \n\n", "a.b@c.example");
	/* Folded onto the next line, as long ids are. */
	agrees("Subject: x\nMessage-ID:\n <0123456789.abcdef@mail.example>\n"
	       "From: a@b.example\n\nhi\n",
	       "0123456789.abcdef@mail.example");
	agrees("Message-ID: (a comment) <x@y.example> (another)\n\n",
	       "x@y.example");
	agrees("Message-ID: x@y.example\n\n", "x@y.example");
	/* Two of them (a broken mailer): the last, as GMime. */
	agrees("Message-ID: <one@x.example>\nMessage-ID: <two@x.example>\n\n",
	       "two@x.example");
}

static void
test_synthetic(void **state)
{
	(void)state;
	const char *a = "From: a@b.example\nSubject: hola\n\ncuerpo\n";
	const char *b = "Received: from mx by mx2; Tue, 1 Jan 2030\n"
	                "Return-Path: <a@b.example>\n"
	                "From: a@b.example\r\nSubject: hola\r\n\r\ncuerpo\r\n";
	char ka[MSGID_MAX], kb[MSGID_MAX], kc[MSGID_MAX];
	assert_int_equal(msgid_key(a, strlen(a), ka), 1);
	assert_int_equal(msgid_key(b, strlen(b), kb), 1);
	/* Another hop (a Received line, CRLF) is the same message... */
	assert_string_equal(ka, kb);
	assert_int_equal(strncmp(ka, "synthetic.", 10), 0);
	assert_non_null(strstr(ka, "@soporte.invalid"));
	agrees(a, ka);
	/* ...another body is not. */
	const char *c = "From: a@b.example\nSubject: hola\n\ncuerpo 2\n";
	msgid_key(c, strlen(c), kc);
	assert_string_not_equal(ka, kc);
	/* A Message-ID line in the body is not the header's. */
	const char *d = "From: a@b.example\n\nMessage-ID: <x@y.example>\n";
	assert_int_equal(msgid_key(d, strlen(d), kc), 1);
	agrees(d, NULL);
	/* An empty one, one with 8-bit bytes or spaces, one too long: the
	 * key is synthetic (never bytes a PostgreSQL text column refuses). */
	const char *bad[] = {
		"Message-ID:\nFrom: a@b.example\n\nx\n",
		"Message-ID: <caf\xc3\xa9@b.example>\n\nx\n",
		"Message-ID: <a b@c.example>\n\nx\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(msgid_key(bad[i], strlen(bad[i]), kc), 1);
	char big[MSGID_MAX + 64];
	snprintf(big, sizeof big, "Message-ID: <%0*d@x>\n\n", MSGID_MAX, 0);
	assert_int_equal(msgid_key(big, strlen(big), kc), 1);
	/* Nothing but a header, no blank line, no end of line. */
	assert_int_equal(msgid_key("Message-ID: <z@y>", 17, kc), 0);
	assert_string_equal(kc, "z@y");
	assert_int_equal(msgid_key("", 0, kc), 1);
}

int
main(void)
{
	mail_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_synthetic),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	mail_shutdown();
	return rc;
}
