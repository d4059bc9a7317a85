/*
 * test_mail_authres.c - R2: a mail changes a ticket's state only when the
 * desk's own MTA authenticated its sender. The Authentication-Results
 * parser on header values as real MTAs write them (Gmail, Microsoft 365,
 * OpenDKIM, OpenDMARC, rspamd), comments, folding, several results,
 * tricky quoting and malformed ones; then which header the desk believes:
 * only the topmost ones carrying its own authserv-id.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "mail/authres.h"
#include "mail/parse.h"

#define OURS "mx.prodequa.example"

static const char gmail[] =
    " mx.google.com;\r\n"
    "       dkim=pass header.i=@andinas.example.pe header.s=20230601 "
    "header.b=K8/Gq2Ao;\r\n"
    "       arc=pass (i=1 spf=pass spfdomain=andinas.example.pe dkim=pass "
    "dkdomain=andinas.example.pe dmarc=pass fromdomain=andinas.example.pe);"
    "\r\n"
    "       spf=pass (google.com: domain of rquispe@andinas.example.pe "
    "designates 209.85.220.41 as permitted sender) "
    "smtp.mailfrom=rquispe@andinas.example.pe;\r\n"
    "       dmarc=pass (p=QUARANTINE sp=QUARANTINE dis=NONE) "
    "header.from=andinas.example.pe";

static const char m365[] =
    " spf=pass (sender IP is 40.107.22.51) smtp.mailfrom=contoso.com; "
    "dkim=pass (signature was verified) header.d=contoso.com;dmarc=pass "
    "action=none header.from=contoso.com;compauth=pass reason=100";

static const char opendkim[] =
    " mx.prodequa.example;\r\n"
    "\tdkim=pass (2048-bit key; unprotected) header.d=andinas.example.pe "
    "header.i=@andinas.example.pe header.a=rsa-sha256 header.s=mail "
    "header.b=\"AbC/dEf+\";\r\n"
    "\tdkim-atps=neutral";

static const char opendmarc[] =
    " mx.prodequa.example; dmarc=pass (p=none dis=none) "
    "header.from=andinas.example.pe";

static const char rspamd[] =
    " mx.prodequa.example;\r\n"
    "\tdkim=pass header.d=andinas.example.pe header.s=dkim header.b=abc123;"
    "\r\n"
    "\tdmarc=pass (policy=reject) header.from=andinas.example.pe;\r\n"
    "\tspf=pass (mx.prodequa.example: domain of rquispe@andinas.example.pe "
    "designates 192.0.2.10 as permitted sender) "
    "smtp.mailfrom=rquispe@andinas.example.pe";

static void
parses_real_headers(void **state)
{
	(void)state;
	struct authres ar;
	assert_int_equal(authres_parse(gmail, &ar), 0);
	assert_string_equal(ar.authserv_id, "mx.google.com");
	assert_int_equal(ar.n, 4);
	assert_string_equal(ar.r[0].method, "dkim");
	assert_string_equal(ar.r[1].method, "arc");
	assert_string_equal(ar.r[3].method, "dmarc");
	assert_string_equal(ar.r[3].result, "pass");
	assert_string_equal(ar.r[3].header_from, "andinas.example.pe");

	/* Microsoft 365 writes no authserv-id: not well-formed, says nothing. */
	assert_int_equal(authres_parse(m365, &ar), -1);

	assert_int_equal(authres_parse(opendkim, &ar), 0);
	assert_string_equal(ar.authserv_id, OURS);
	assert_int_equal(ar.n, 2);
	assert_string_equal(ar.r[1].method, "dkim-atps");
	assert_string_equal(ar.r[1].result, "neutral");

	assert_int_equal(authres_parse(opendmarc, &ar), 0);
	assert_int_equal(ar.n, 1);
	assert_string_equal(ar.r[0].header_from, "andinas.example.pe");

	assert_int_equal(authres_parse(rspamd, &ar), 0);
	assert_int_equal(ar.n, 3);
	assert_string_equal(ar.r[1].method, "dmarc");
	assert_string_equal(ar.r[1].result, "pass");
}

static void
parses_the_grammar_corners(void **state)
{
	(void)state;
	struct authres ar;
	/* Quoted authserv-id and a version. */
	assert_int_equal(authres_parse("\"mx.prodequa.example\" 1; spf=pass "
	                               "smtp.mailfrom=example.net", &ar), 0);
	assert_string_equal(ar.authserv_id, OURS);
	assert_int_equal(ar.n, 1);
	/* No result at all. */
	assert_int_equal(authres_parse(" mx.prodequa.example 1; none", &ar), 0);
	assert_int_equal(ar.n, 0);
	/* A reason before the properties, quoted. */
	assert_int_equal(authres_parse("mx; dkim=fail reason=\"signature "
	                               "verification failed\" header.d=example.com",
	                               &ar), 0);
	assert_string_equal(ar.r[0].result, "fail");
	/* Nested comments with a quoted pair; case folded. */
	assert_int_equal(authres_parse("mx (a (nested \\) one) here); DMARC=Fail "
	                               "(p=reject) header.from=Example.COM", &ar), 0);
	assert_string_equal(ar.r[0].method, "dmarc");
	assert_string_equal(ar.r[0].result, "fail");
	assert_string_equal(ar.r[0].header_from, "example.com");
	/* White space around '=' and '.', folded lines, a method version. */
	assert_int_equal(authres_parse("mx;\r\n dkim/1 = pass;\r\n\tdmarc = pass "
	                               "header . from = andinas.example.pe", &ar), 0);
	assert_int_equal(ar.n, 2);
	assert_string_equal(ar.r[1].header_from, "andinas.example.pe");
	/* header.from with a local part keeps the domain. */
	assert_int_equal(authres_parse("mx; dmarc=pass header.from=a@b.example",
	                               &ar), 0);
	assert_string_equal(ar.r[0].header_from, "b.example");
	/* A ";" inside a quoted string or a comment starts no result. */
	assert_int_equal(authres_parse("mx; dkim=pass reason=\"a \\\"q\\\" ; "
	                               "dmarc=pass header.from=andinas.example.pe\" "
	                               "header.d=x.example", &ar), 0);
	assert_int_equal(ar.n, 1);
	assert_int_equal(authres_parse("mx; spf=fail (; dmarc=pass header.from="
	                               "andinas.example.pe) smtp.mailfrom=x@e.example",
	                               &ar), 0);
	assert_int_equal(ar.n, 1);
	assert_string_equal(ar.r[0].method, "spf");
}

static void
refuses_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "   ", "mx.prodequa.example", "; dmarc=pass", "mx; dmarc=",
		"mx; dmarc=pass (unterminated", "mx; dmarc=pass action=none",
		"mx; dmarc=pass header.from=x.example;", "mx;; dmarc=pass",
		"mx; dmarcpass", "mx; dmarc=pass header.from=\"open",
		"mx; dmarc=pass header.from=", "mx; =pass", "mx; dmarc=pass)",
		"mx; dmarc=pass header.from=a.example header.from",
		"mx; dmarc=pass reason=x reason=y",
		"mx ((((((((((deep)))))))))); dmarc=pass",
		"mx; dkim/=pass", "mx junk; dmarc=pass", "mx; none extra",
	};
	struct authres ar;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (authres_parse(bad[i], &ar) != -1)
			fail_msg("taken as well-formed: '%s'", bad[i]);
	}
	char many[2048] = "mx";
	for (int i = 0; i <= AUTHRES_MAX_RESULTS; i++)
		strcat(many, "; spf=pass");
	assert_int_equal(authres_parse(many, &ar), -1);
	assert_int_equal(authres_parse(NULL, &ar), -1);
}

/* A message from rquispe@andinas.example.pe with the given headers on top. */
static enum authres_dmarc
verdict(const char *top, const char *from, const char *authserv)
{
	char raw[8192];
	snprintf(raw, sizeof raw,
	         "%s"
	         "From: %s\r\nTo: soporte@prodequa.example\r\n"
	         "Subject: RE: [Ticket #000001]\r\nMessage-ID: <x@andinas>\r\n"
	         "\r\nYa funciona, gracias.\r\n",
	         top, from);
	struct mail *m = NULL;
	assert_int_equal(mail_parse(raw, strlen(raw), NULL, &m), MAIL_OK);
	enum authres_dmarc d = authres_dmarc(m, authserv);
	mail_free(m);
	return d;
}

#define RCVD_OURS "Received: from mail.andinas.example.pe by mx.prodequa.example\r\n"
#define RCVD_THEIRS "Received: from localhost by attacker.example\r\n"
#define AR(id, res) "Authentication-Results: " id ";\r\n\t" res "\r\n"
#define FROM "Ramiro Quispe <rquispe@andinas.example.pe>"

static void
R2_only_our_topmost_header_authenticates(void **state)
{
	(void)state;
	/* Ours, on top: DMARC pass for the From domain. */
	assert_int_equal(verdict(RCVD_OURS AR(OURS, "dmarc=pass header.from="
	                                      "andinas.example.pe"), FROM, OURS),
	                 AUTHRES_DMARC_PASS);
	/* The same, as OpenDKIM and OpenDMARC leave it: two of ours. */
	assert_int_equal(verdict(RCVD_OURS AR(OURS, "dmarc=pass (p=none) "
	                                      "header.from=andinas.example.pe")
	                         AR(OURS, "dkim=pass header.d=andinas.example.pe"),
	                         FROM, OURS),
	                 AUTHRES_DMARC_PASS);
	/* The authserv-id compares without case; the domain too. */
	assert_int_equal(verdict(AR("MX.Prodequa.Example", "dmarc=pass "
	                            "header.from=ANDINAS.example.pe"), FROM, OURS),
	                 AUTHRES_DMARC_PASS);
	/* No trusted id configured: nothing is believed. */
	assert_int_equal(verdict(AR(OURS, "dmarc=pass header.from="
	                            "andinas.example.pe"), FROM, ""),
	                 AUTHRES_DMARC_NONE);
	/* Another authserv-id: ignored, whatever it says. */
	assert_int_equal(verdict(AR("mx.google.com", "dmarc=pass header.from="
	                            "andinas.example.pe"), FROM, OURS),
	                 AUTHRES_DMARC_NONE);
	/* Ours says fail; a fake of ours lower down says pass: fail. */
	assert_int_equal(verdict(RCVD_OURS AR(OURS, "dmarc=fail header.from="
	                                      "andinas.example.pe")
	                         RCVD_THEIRS AR(OURS, "dmarc=pass header.from="
	                                        "andinas.example.pe"), FROM, OURS),
	                 AUTHRES_DMARC_FAIL);
	/* Ours says nothing of DMARC; the fake below the next hop is not
	 * read at all. */
	assert_int_equal(verdict(RCVD_OURS AR(OURS, "spf=pass smtp.mailfrom="
	                                      "andinas.example.pe")
	                         RCVD_THEIRS AR(OURS, "dmarc=pass header.from="
	                                        "andinas.example.pe"), FROM, OURS),
	                 AUTHRES_DMARC_NONE);
	/* A pass for another domain than the From's. */
	assert_int_equal(verdict(AR(OURS, "dmarc=pass header.from="
	                            "attacker.example"), FROM, OURS),
	                 AUTHRES_DMARC_FAIL);
	/* Pass and fail for the same domain in one header: fail. */
	assert_int_equal(verdict(AR(OURS, "dmarc=pass header.from=andinas.example.pe;"
	                            " dmarc=fail header.from=andinas.example.pe"),
	                         FROM, OURS),
	                 AUTHRES_DMARC_FAIL);
	/* Two From headers: DMARC cannot vouch for "the" From. */
	assert_int_equal(verdict(AR(OURS, "dmarc=pass header.from="
	                            "andinas.example.pe")
	                         "From: otro@andinas.example.pe\r\n", FROM, OURS),
	                 AUTHRES_DMARC_NONE);
	/* A comment or a quoted string of ours claiming a pass is text. */
	assert_int_equal(verdict(AR(OURS, "spf=pass (; dmarc=pass header.from="
	                            "andinas.example.pe) smtp.mailfrom=x@e.example"),
	                         FROM, OURS),
	                 AUTHRES_DMARC_NONE);
	/* Encoded words are never decoded: a value of ours copied from the
	 * sender stays what it was written as. */
	assert_int_equal(verdict(AR(OURS, "spf=pass smtp.mailfrom="
	                            "=?us-ascii?q?x=3B_dmarc=3Dpass?=@e.example"),
	                         FROM, OURS),
	                 AUTHRES_DMARC_NONE);
}

static int
setup(void **state)
{
	(void)state;
	mail_init();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	mail_shutdown();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_real_headers),
		cmocka_unit_test(parses_the_grammar_corners),
		cmocka_unit_test(refuses_malformed),
		cmocka_unit_test(R2_only_our_topmost_header_authenticates),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
