/*
 * test_mail_route.c - route.h: ticket numbers in subjects (R2), support
 * as recipient (R1), threading through the lookup callback (R2), and the
 * whole labelled corpus classified as the desk would (R1, R2, R3 with
 * clients.csv as the known senders).
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
#include "mail/route.h"
#include "mail_corpus.h"

static void
test_r2_ticket_from_subject(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		const char *subject;
		uint32_t want; /* 0: none */
	} rows[] = {
		{"plain tag", "[Ticket #000123] Algo", 123},
		{"RE prefix", "RE: [Ticket #000240] URGENTE: caído", 240},
		{"Re lowercase", "Re: [ticket #000259] Landing", 259},
		{"RV", "RV: [Ticket #000001] x", 1},
		{"FW", "FW: [Ticket #000267] Production dashboard down", 267},
		{"Fwd", "Fwd: Fwd: [Ticket #77] x", 77},
		{"AW", "AW: [Ticket #000300] x", 300},
		{"hash after word", "RE: [Ticket# 000285] Dashboard", 285},
		{"spaces", "Re: [ Ticket  #  000042 ] x", 42},
		{"no hash in brackets", "[Ticket 000043] x", 43},
		{"bare with hash", "Consulta sobre ticket #000044", 44},
		{"ordinal sign", "Ticket Nº 45 pendiente", 45},
		{"auto reply", "Respuesta automática: [Ticket #000242] El", 242},
		{"prefix of other tag", "[CSL-4471] Hemos recibido: [Ticket #000301] R",
		 301},
		{"no number", "Ticket de soporte nuevo", 0},
		{"word without marker", "Compré un ticket 2026 para el evento", 0},
		{"inside a word", "[Eticket #000123] x", 0},
		{"zero", "[Ticket #000000] x", 0},
		{"too long", "[Ticket #1234567890] x", 0},
		{"digits then letters", "[Ticket #12ab] x", 0},
		{"empty", "", 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		uint32_t got = 0;
		int found = route_ticket_from_subject(rows[i].subject, &got);
		if (found != (rows[i].want != 0) || (found && got != rows[i].want))
			fail_msg("%s: '%s' -> found=%d got=%u want=%u", rows[i].name,
			         rows[i].subject, found, got, rows[i].want);
	}
}

static void
test_r2_ticket_from_msgid(void **state)
{
	(void)state;
	static const struct {
		const char *id;
		uint32_t want;
	} rows[] = {
		{"ack-000240.3871239f2bc7@soporte.prodequa.example", 240},
		{"ACK-000001.x@prodequa.example", 1},
		{"ack-000240.3871239f2bc7@evil.example", 0},
		{"ack-000240.x@notprodequa.example", 0},
		{"ack-.x@soporte.prodequa.example", 0},
		{"out-19c0a0c414c633f1@soporte.prodequa.example", 0},
		{"ack-12x@soporte.prodequa.example", 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		uint32_t got = 0;
		int found = route_ticket_from_msgid(rows[i].id, NULL, &got);
		if (found != (rows[i].want != 0) || (found && got != rows[i].want))
			fail_msg("'%s' -> found=%d got=%u", rows[i].id, found, got);
	}
}

static void
test_r1_addr_is(void **state)
{
	(void)state;
	static const struct {
		const char *addr;
		int want;
	} rows[] = {
		{"soporte@prodequa.example", 1},
		{"Soporte@Prodequa.Example", 1},
		{"soporte+urgente@prodequa.example", 1},
		{"soporte@prodequa.example.evil", 0},
		{"xsoporte@prodequa.example", 0},
		{"soporte@sub.prodequa.example", 0},
		{"ventas@prodequa.example", 0},
		{"", 0},
		{"soporte", 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (route_addr_is(rows[i].addr, ROUTE_DEFAULT_SUPPORT) != rows[i].want)
			fail_msg("'%s' want %d", rows[i].addr, rows[i].want);
}

static struct mail *
parse_text(const char *raw)
{
	struct mail *m = NULL;
	assert_int_equal(mail_parse(raw, strlen(raw), NULL, &m), MAIL_OK);
	return m;
}

static void
test_r1_addressed_and_not_for_support(void **state)
{
	(void)state;
	struct mail *m = parse_text(
		"From: a@b.example\nTo: ventas@prodequa.example\n"
		"Cc: SOPORTE+x@prodequa.example\nSubject: hola\n\nTexto\n");
	assert_true(route_addressed(m, NULL, NULL));
	assert_false(route_addressed(m, "mesa@otra.example", NULL));
	assert_true(route_addressed(m, "mesa@otra.example", "mesa@otra.example"));
	struct route_result r;
	struct route_opts o = {"mesa@otra.example", NULL, NULL, NULL};
	route_classify(m, &o, &r);
	assert_int_equal(r.kind, ROUTE_NOT_FOR_SUPPORT);
	mail_free(m);

	m = parse_text("From: a@b.example\nTo: x@y.example\n"
	               "X-Original-To: soporte@prodequa.example\n"
	               "Subject: hola\n\nTexto\n");
	route_classify(m, NULL, &r);
	assert_int_equal(r.kind, ROUTE_NEW_REQUEST);
	mail_free(m);
}

static int
lookup_fixed(void *ctx, const char *id, uint32_t *ticket)
{
	(void)ctx;
	if (strcmp(id, "orig-1@cliente.example") == 0) {
		*ticket = 777;
		return 1;
	}
	return 0;
}

static void
test_r2_thread_by_lookup(void **state)
{
	(void)state;
	struct mail *m = parse_text(
		"From: a@cliente.example\nTo: soporte@prodequa.example\n"
		"Subject: Re: sigue fallando\n"
		"In-Reply-To: <unknown@x.example>\n"
		"References: <orig-1@cliente.example> <unknown@x.example>\n\nx\n");
	struct route_opts o = {NULL, NULL, lookup_fixed, NULL};
	struct route_result r;
	route_classify(m, &o, &r);
	assert_int_equal(r.kind, ROUTE_REPLY);
	assert_int_equal(r.ticket, 777);
	assert_int_equal(r.by, ROUTE_BY_LOOKUP);
	/* Without the store's help the same mail is a new request. */
	route_classify(m, NULL, &r);
	assert_int_equal(r.kind, ROUTE_NEW_REQUEST);
	mail_free(m);

	/* The subject wins over the headers. */
	m = parse_text("From: a@cliente.example\nTo: soporte@prodequa.example\n"
	               "Subject: RE: [Ticket #000555] x\n"
	               "In-Reply-To: <ack-000240.ab@soporte.prodequa.example>\n\nx\n");
	route_classify(m, &o, &r);
	assert_int_equal(r.ticket, 555);
	assert_int_equal(r.by, ROUTE_BY_SUBJECT);
	mail_free(m);
}

static void
test_loop_from_self_is_auto(void **state)
{
	(void)state;
	struct mail *m = parse_text(
		"From: Soporte <soporte@prodequa.example>\n"
		"To: soporte@prodequa.example\nSubject: [Ticket #000240] x\n\nx\n");
	struct route_result r;
	route_classify(m, NULL, &r);
	assert_int_equal(r.kind, ROUTE_AUTO_REPLY);
	mail_free(m);
}

/* ---- the corpus ---- */

struct id_map {
	char ids[CORPUS_MAX][256];
	uint32_t tickets[CORPUS_MAX];
	int n;
};

static int
lookup_map(void *ctx, const char *id, uint32_t *ticket)
{
	struct id_map *map = ctx;
	for (int i = 0; i < map->n; i++)
		if (strcmp(map->ids[i], id) == 0) {
			*ticket = map->tickets[i];
			return 1;
		}
	return 0;
}

static int
known(char clients[][128], int nclients, const char *addr)
{
	for (int i = 0; i < nclients; i++)
		if (strcmp(clients[i], addr) == 0)
			return 1;
	return 0;
}

static unsigned
expected_ticket(struct corpus_row *rows, int nrows, const struct corpus_row *r)
{
	if (r->is_reply_to[0] == '#')
		return (unsigned)strtoul(r->is_reply_to + 1, NULL, 10);
	for (int i = 0; i < nrows; i++)
		if (strcmp(rows[i].file, r->is_reply_to) == 0)
			return corpus_note_ticket(rows[i].notes);
	return corpus_note_ticket(r->notes); /* bounces: "about ticket #N" */
}

static void
test_r1_r2_r3_corpus_classification(void **state)
{
	(void)state;
	static struct corpus_row rows[CORPUS_MAX];
	static char clients[64][128];
	static struct id_map map;
	static char seen[CORPUS_MAX][256];
	int nseen = 0;
	int nrows = corpus_labels(rows, CORPUS_MAX);
	int nclients = corpus_clients(clients, 64);
	assert_int_equal(nrows, 120);
	assert_true(nclients > 0);
	map.n = 0;
	uint32_t next_ticket = 240;
	int ok = 0, dups = 0;
	for (int i = 0; i < nrows; i++) {
		const struct corpus_row *row = &rows[i];
		char path[512];
		snprintf(path, sizeof path, CORPUS_DIR "/%s", row->file);
		size_t len = 0;
		char *raw = corpus_read(path, &len);
		assert_non_null(raw);
		struct mail *m = NULL;
		assert_int_equal(mail_parse(raw, len, NULL, &m), MAIL_OK);
		struct route_opts o = {NULL, NULL, lookup_map, &map};
		struct route_result r;
		route_classify(m, &o, &r);

		int dup = 0;
		if (!(m->flags & MAIL_F_SYNTH_MSGID)) {
			for (int k = 0; k < nseen; k++)
				if (strcmp(seen[k], m->message_id) == 0)
					dup = 1;
			if (!dup && nseen < CORPUS_MAX)
				snprintf(seen[nseen++], 256, "%s", m->message_id);
		}
		int want_dup = strstr(row->notes, "duplicate of") != NULL;
		if (dup != want_dup)
			fail_msg("%s: duplicate=%d, notes say %d", row->file, dup,
			         want_dup);
		dups += dup;

		const char *got;
		switch (r.kind) {
		case ROUTE_NEW_REQUEST:
			got = known(clients, nclients, m->from.addr) ? "new_ticket"
			                                             : "non_client";
			break;
		default:
			got = route_kind_str(r.kind);
			break;
		}
		int match = strcmp(got, row->kind) == 0;
		char why[256] = "";
		if (match && strcmp(got, "new_ticket") == 0 && !dup) {
			/* The desk numbers it next; the store would remember the
			 * Message-ID so replies by References thread. */
			unsigned want = corpus_note_ticket(row->notes);
			if (want != next_ticket) {
				match = 0;
				snprintf(why, sizeof why, "numbered %u, notes say %u",
				         next_ticket, want);
			}
			snprintf(map.ids[map.n], 256, "%s", m->message_id);
			map.tickets[map.n++] = next_ticket++;
		}
		if (match && (strcmp(got, "reply") == 0 ||
		              strcmp(got, "auto_reply") == 0 ||
		              strcmp(got, "bounce") == 0)) {
			unsigned want = expected_ticket(rows, nrows, row);
			if (want != r.ticket) {
				match = 0;
				snprintf(why, sizeof why, "ticket %u, want %u", r.ticket,
				         want);
			}
		}
		if (!match)
			print_message("MISMATCH %s: got %s (%s; spam %d) want %s %s\n",
			              row->file, got, r.reason, r.spam.score, row->kind,
			              why);
		ok += match;
		mail_free(m);
		free(raw);
	}
	print_message("corpus: %d/%d classified as labelled, %d duplicates\n",
	              ok, nrows, dups);
	assert_int_equal(dups, 3);
	assert_int_equal(ok, nrows);
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
		cmocka_unit_test(test_r2_ticket_from_subject),
		cmocka_unit_test(test_r2_ticket_from_msgid),
		cmocka_unit_test(test_r1_addr_is),
		cmocka_unit_test(test_r1_addressed_and_not_for_support),
		cmocka_unit_test(test_r2_thread_by_lookup),
		cmocka_unit_test(test_loop_from_self_is_auto),
		cmocka_unit_test(test_r1_r2_r3_corpus_classification),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
