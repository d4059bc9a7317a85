/*
 * test_mail_imap.c - imap.h: the response parsers (numbers, SEARCH,
 * FETCH) table-driven, and the client against a scripted hostile server
 * on 127.0.0.1 (a message that contains a tagged status line, a literal
 * over the cap, a message that is gone, interleaved untagged responses,
 * a malformed FETCH, UIDVALIDITY, SEARCH below the first UID).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mail/imap.h"

static void
test_parse_nz(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int ok;
		uint32_t want;
		size_t used;
	} rows[] = {
		{"1", 1, 1, 1},
		{"42 rest", 1, 42, 2},
		{"4294967295", 1, 4294967295u, 10},
		{"4294967296", 0, 0, 0},          /* over 32 bits */
		{"99999999999999999999", 0, 0, 0},
		{"0", 0, 0, 0},                   /* nz-number */
		{"07", 0, 0, 0},
		{"-1", 0, 0, 0},
		{"", 0, 0, 0},
		{"x1", 0, 0, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *p = rows[i].in;
		uint32_t v = 0;
		int ok = imap_parse_nz(&p, rows[i].in + strlen(rows[i].in), &v) == 0;
		if (ok != rows[i].ok || (ok && (v != rows[i].want ||
		                                (size_t)(p - rows[i].in) != rows[i].used)))
			fail_msg("'%s': ok=%d v=%u", rows[i].in, ok, v);
	}
}

static void
test_parse_search(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in;
		uint32_t first;
		enum imap_rc rc;
		const char *want;   /* UIDs, space separated */
	} rows[] = {
		{"empty", "* SEARCH", 1, IMAP_OK, ""},
		{"empty with space", "* SEARCH ", 1, IMAP_OK, ""},
		{"some", "* SEARCH 1 2 3", 1, IMAP_OK, "1 2 3"},
		{"below first filtered", "* SEARCH 4 9 5", 5, IMAP_OK, "9 5"},
		{"N:* gives the highest", "* SEARCH 3", 8, IMAP_OK, ""},
		{"lower case", "* search 7", 1, IMAP_OK, "7"},
		{"max uid", "* SEARCH 4294967295", 1, IMAP_OK, "4294967295"},
		{"too big", "* SEARCH 4294967296", 1, IMAP_PROTO, ""},
		{"zero", "* SEARCH 0", 1, IMAP_PROTO, ""},
		{"garbage", "* SEARCH 1 x", 1, IMAP_PROTO, ""},
		{"glued", "* SEARCH1", 1, IMAP_PROTO, ""},
		{"other response", "* FETCH 1", 1, IMAP_PROTO, ""},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		uint32_t *uids = NULL;
		size_t n = 0, cap = 0;
		enum imap_rc rc = imap_parse_search(rows[i].in, strlen(rows[i].in),
		                                    rows[i].first, &uids, &n, &cap);
		char got[200] = "";
		for (size_t k = 0; rc == IMAP_OK && k < n; k++)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%s%u",
			         k ? " " : "", uids[k]);
		free(uids);
		if (rc != rows[i].rc || (rc == IMAP_OK && strcmp(got, rows[i].want) != 0))
			fail_msg("%s: rc=%d got '%s' want '%s'", rows[i].name, rc, got,
			         rows[i].want);
	}
}

static void
test_parse_fetch(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in;
		enum imap_rc rc;
		uint32_t uid;
		int has_body, body_lit;
		const char *quoted;
	} rows[] = {
		{"literal", "* 1 FETCH (UID 5 BODY[] {10})", IMAP_OK, 5, 1, 0, NULL},
		{"body first", "* 1 FETCH (BODY[] {10} UID 6)", IMAP_OK, 6, 1, 0, NULL},
		{"flags too", "* 3 FETCH (UID 7 FLAGS (\\Seen \\Recent) BODY[] {3})",
		 IMAP_OK, 7, 1, 0, NULL},
		{"flags only", "* 3 FETCH (FLAGS (\\Seen) UID 8)", IMAP_OK, 8, 0, -1, NULL},
		{"no uid", "* 3 FETCH (FLAGS ())", IMAP_OK, 0, 0, -1, NULL},
		{"second literal", "* 2 FETCH (BODY[HEADER] {4} UID 9 BODY[] {7})",
		 IMAP_OK, 9, 1, 1, NULL},
		{"quoted", "* 2 FETCH (UID 9 BODY[] \"a\\\"b\")", IMAP_OK, 9, 1, -1, "a\\\"b"},
		{"nil", "* 2 FETCH (UID 9 BODY[] NIL)", IMAP_OK, 9, 0, -1, NULL},
		{"other items", "* 2 FETCH (MODSEQ (12) RFC822.SIZE 44 INTERNALDATE "
		 "\"25-Nov-2026 10:00:00 -0500\" UID 3 BODY[] {44})", IMAP_OK, 3, 1, 0, NULL},
		{"quote with literal marker", "* 2 FETCH (X \"{5}\" UID 4 BODY[] {1})",
		 IMAP_OK, 4, 1, 0, NULL},
		{"lower case", "* 1 fetch (uid 5 body[] {1})", IMAP_OK, 5, 1, 0, NULL},
		{"unclosed", "* 1 FETCH (UID 5 BODY[] {10}", IMAP_PROTO, 0, 0, -1, NULL},
		{"trailing junk", "* 1 FETCH (UID 5) x", IMAP_PROTO, 0, 0, -1, NULL},
		{"bad body", "* 1 FETCH (UID 5 BODY[] )", IMAP_PROTO, 0, 0, -1, NULL},
		{"bad uid", "* 1 FETCH (UID 0)", IMAP_PROTO, 0, 0, -1, NULL},
		{"unterminated quote", "* 1 FETCH (UID 5 BODY[] \"abc)", IMAP_PROTO, 0, 0,
		 -1, NULL},
		{"deep lists", "* 1 FETCH (X ((((((((((((((((((1)))))))))))))))))))",
		 IMAP_PROTO, 0, 0, -1, NULL},
		{"not fetch", "* 1 EXISTS", IMAP_PROTO, 0, 0, -1, NULL},
		{"no seq", "* FETCH (UID 1)", IMAP_PROTO, 0, 0, -1, NULL},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct imap_fetch_item it;
		const char *in = rows[i].in;
		enum imap_rc rc = imap_parse_fetch(in, strlen(in), &it);
		if (rc != rows[i].rc)
			fail_msg("%s: rc=%d want %d", rows[i].name, rc, rows[i].rc);
		if (rc != IMAP_OK)
			continue;
		if (it.uid != rows[i].uid || it.has_body != rows[i].has_body ||
		    it.body_lit != rows[i].body_lit)
			fail_msg("%s: uid=%u has_body=%d lit=%d", rows[i].name, it.uid,
			         it.has_body, it.body_lit);
		if (rows[i].quoted &&
		    (it.qlen != strlen(rows[i].quoted) ||
		     memcmp(in + it.qoff, rows[i].quoted, it.qlen) != 0))
			fail_msg("%s: quoted '%.*s'", rows[i].name, (int)it.qlen, in + it.qoff);
	}
}

/* ---- a scripted server ---- */

#define HOSTILE "From: a@b.example\r\nSubject: x\r\n\r\nS5 OK fake\r\n* 1 FETCH (UID 9 BODY[] {3})\r\nbye\r\n"

struct server {
	int lfd;
	int port;
};

static void
say_n(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void
say(int fd, const char *s)
{
	say_n(fd, s, strlen(s));
}

static int
read_line(int fd, char *line, size_t max)
{
	size_t n = 0;
	while (n + 1 < max) {
		char c;
		if (read(fd, &c, 1) != 1)
			return -1;
		if (c == '\n')
			break;
		if (c != '\r')
			line[n++] = c;
	}
	line[n] = '\0';
	return 0;
}

static void *
serve(void *arg)
{
	struct server *s = arg;
	int fd = accept(s->lfd, NULL, NULL);
	if (fd < 0)
		return NULL;
	say(fd, "* OK [CAPABILITY IMAP4rev1] scripted\r\n");
	char line[512], out[2048], tag[32];
	while (read_line(fd, line, sizeof line) == 0) {
		if (sscanf(line, "%31s", tag) != 1)
			break;
		const char *cmd = line + strlen(tag) + 1;
		if (strncmp(cmd, "CAPABILITY", 10) == 0) {
			snprintf(out, sizeof out, "* CAPABILITY IMAP4rev1 UIDPLUS\r\n%s OK\r\n", tag);
		} else if (strncmp(cmd, "LOGIN", 5) == 0) {
			snprintf(out, sizeof out, "%s OK logged in\r\n", tag);
		} else if (strncmp(cmd, "SELECT \"INBOX\"", 14) == 0) {
			snprintf(out, sizeof out,
			         "* 4 EXISTS\r\n* OK [UIDVALIDITY 42] ok\r\n%s OK [READ-WRITE] "
			         "done\r\n", tag);
		} else if (strcmp(cmd, "UID SEARCH UID 3:*") == 0) {
			snprintf(out, sizeof out, "* SEARCH 9 3 5 2 5\r\n%s OK\r\n", tag);
		} else if (strcmp(cmd, "UID FETCH 5 (BODY.PEEK[])") == 0) {
			snprintf(out, sizeof out,
			         "* 2 FETCH (UID 4 FLAGS (\\Seen))\r\n* 5 EXISTS\r\n"
			         "* 3 FETCH (UID 5 BODY[] {%zu}\r\n%s)\r\n%s OK done\r\n",
			         strlen(HOSTILE), HOSTILE, tag);
		} else if (strcmp(cmd, "UID FETCH 6 (BODY.PEEK[])") == 0) {
			/* Over the client's whole literal cap (1000 + 64 KiB): it
			 * must read and drop it to stay in step. */
			size_t nbig = 70000;
			char *big = malloc(nbig + 1);
			memset(big, 'x', nbig);
			static const char fake[] = "\r\nS5 OK fake\r\n";
			memcpy(big + 100, fake, sizeof fake - 1);
			big[nbig] = '\0';
			snprintf(out, sizeof out, "* 4 FETCH (UID 6 BODY[] {%zu}\r\n", nbig);
			say(fd, out);
			say_n(fd, big, nbig);
			free(big);
			snprintf(out, sizeof out, ")\r\n%s OK\r\n", tag);
		} else if (strcmp(cmd, "UID FETCH 8 (BODY.PEEK[])") == 0) {
			snprintf(out, sizeof out, "* 4 FETCH (UID 8 BODY[] garbage)\r\n%s OK\r\n", tag);
		} else if (strncmp(cmd, "UID STORE 9 ", 12) == 0) {
			snprintf(out, sizeof out, "%s NO [CANNOT] \x1b[31mno\r\n", tag);
		} else if (strcmp(cmd, "UID STORE 3:5,9,11:12 +FLAGS.SILENT (\\Seen)") == 0) {
			snprintf(out, sizeof out, "%s OK\r\n", tag);
		} else if (strncmp(cmd, "UID STORE ", 10) == 0) {
			snprintf(out, sizeof out, "%s NO not the UID set expected\r\n", tag);
		} else if (strncmp(cmd, "LOGOUT", 6) == 0) {
			snprintf(out, sizeof out, "* BYE\r\n%s OK\r\n", tag);
			say(fd, out);
			break;
		} else {
			snprintf(out, sizeof out, "%s OK\r\n", tag);   /* gone: no FETCH */
		}
		say(fd, out);
	}
	close(fd);
	return NULL;
}

static void
test_scripted_server(void **state)
{
	(void)state;
	struct server s;
	s.lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s.lfd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s.lfd, (struct sockaddr *)&a, sizeof a), 0);
	socklen_t alen = sizeof a;
	assert_int_equal(getsockname(s.lfd, (struct sockaddr *)&a, &alen), 0);
	assert_int_equal(listen(s.lfd, 1), 0);
	s.port = ntohs(a.sin_port);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, serve, &s), 0);

	char url[128], err[256];
	snprintf(url, sizeof url, "imap://u:secret@127.0.0.1:%d/INBOX", s.port);
	struct imap *im = NULL;
	enum imap_rc rc = imap_open(url, 5, 1000, &im, err, sizeof err);
	if (rc != IMAP_OK)
		fail_msg("open: %d %s", rc, err);
	assert_string_equal(imap_mailbox(im), "INBOX");
	assert_null(strstr(imap_name(im), "secret"));

	uint32_t v = 0;
	assert_int_equal(imap_select(im, &v), IMAP_OK);
	assert_int_equal(v, 42);

	uint32_t *uids = NULL;
	size_t n = 0;
	assert_int_equal(imap_search(im, 3, &uids, &n), IMAP_OK);
	assert_int_equal(n, 3);
	assert_int_equal(uids[0], 3);
	assert_int_equal(uids[1], 5);
	assert_int_equal(uids[2], 9);
	free(uids);

	/* The message holds what looks like our tag's OK and another FETCH:
	 * it comes back byte for byte, and the session stays in step. */
	struct buf msg = BUF_INIT(1000);
	assert_int_equal(imap_fetch(im, 5, &msg), IMAP_OK);
	assert_int_equal(msg.len, strlen(HOSTILE));
	assert_memory_equal(msg.data, HOSTILE, msg.len);

	/* Over the cap: refused, drained, and the next command still works. */
	rc = imap_fetch(im, 6, &msg);
	if (rc != IMAP_TOO_BIG)
		fail_msg("fetch over the cap: %d (%s)", rc, imap_errmsg(im));
	assert_int_equal(imap_fetch(im, 7, &msg), IMAP_GONE);
	assert_int_equal(imap_fetch(im, 5, &msg), IMAP_OK);
	assert_int_equal(msg.len, strlen(HOSTILE));

	/* Many at once: one command, runs written as ranges. */
	static const uint32_t set[] = {3, 4, 5, 9, 11, 12};
	rc = imap_mark_seen(im, set, sizeof set / sizeof set[0]);
	if (rc != IMAP_OK)
		fail_msg("mark a set: %d (%s)", rc, imap_errmsg(im));
	assert_int_equal(imap_mark_seen(im, set, 0), IMAP_CONFIG);

	/* A refusal: its text reaches the error cleaned of control bytes. */
	assert_int_equal(imap_mark_seen(im, (uint32_t[]){9}, 1), IMAP_NO);
	assert_null(strchr(imap_errmsg(im), '\x1b'));

	/* Malformed: the session is given up. */
	assert_int_equal(imap_fetch(im, 8, &msg), IMAP_PROTO);
	assert_int_equal(imap_mark_seen(im, (uint32_t[]){5}, 1), IMAP_TEMPFAIL);
	buf_free(&msg);
	imap_close(im);
	pthread_join(th, NULL);
	close(s.lfd);
}

static void
test_open_errors(void **state)
{
	(void)state;
	static const struct {
		const char *url;
		enum imap_rc rc;
	} rows[] = {
		{"http://u:p@127.0.0.1/INBOX", IMAP_CONFIG},
		{"imap://127.0.0.1/INBOX", IMAP_CONFIG},           /* no user */
		{"not a url at all", IMAP_CONFIG},
		{"imap://u:p@127.0.0.1:1/Bandeja%0Aevil", IMAP_CONFIG},
		{"imap://u:p@127.0.0.1:1/Buz%C3%B3n", IMAP_CONFIG},   /* not ASCII */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct imap *im = (struct imap *)1;
		char err[256] = "";
		enum imap_rc rc = imap_open(rows[i].url, 2, 1000, &im, err, sizeof err);
		if (rc != rows[i].rc || im != NULL)
			fail_msg("%s: rc=%d (%s)", rows[i].url, rc, err);
		assert_null(strstr(err, ":p@"));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_nz),
		cmocka_unit_test(test_parse_search),
		cmocka_unit_test(test_parse_fetch),
		cmocka_unit_test(test_scripted_server),
		cmocka_unit_test(test_open_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
