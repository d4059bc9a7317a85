/*
 * test_search.c - typed text to full-text queries (app/ticket/search.c): the
 * words, the folding (Spanish accents, case) and that nothing a person
 * types becomes query syntax of either engine; a ticket's number.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/ticket/search.h"

#include <string.h>

static void
test_fold(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in, *want;
	} rows[] = {
		{"ascii lowercased", "ERROR 500", "error 500"},
		{"accents removed", "Facturación está caída", "facturacion esta caida"},
		{"eñe to n", "Ñahui año", "nahui ano"},
		{"diaeresis", "pingüino", "pinguino"},
		{"other letters kept", "€ 日本", "€ 日本"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char out[128];
		assert_int_equal(search_fold(rows[i].in, out, sizeof out), 0);
		if (strcmp(out, rows[i].want) != 0)
			fail_msg("%s: got '%s', want '%s'", rows[i].name, out, rows[i].want);
	}
	char tiny[4];
	assert_int_equal(search_fold("abcdef", tiny, sizeof tiny), -1);
}

static void
test_query(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in, *sqlite, *pg;
		int words;
	} rows[] = {
		{"one word", "Facturación", "\"facturacion\"*", "facturacion:*", 1},
		{"two words", "error  500", "\"error\"* \"500\"*", "error:* & 500:*", 2},
		{"syntax is inert", "a\" OR b* NEAR(c) -d : & | ! ( ) '",
		 "\"a\"* \"or\"* \"b\"* \"near\"* \"c\"* \"d\"*",
		 "a:* & or:* & b:* & near:* & c:* & d:*", 6},
		{"SQL is just words", "'; DROP TABLE tickets; --",
		 "\"drop\"* \"table\"* \"tickets\"*", "drop:* & table:* & tickets:*", 3},
		{"nothing to search", "\"*:()&|!", "", "", 0},
		{"at most 8 words", "a b c d e f g h i j",
		 "\"a\"* \"b\"* \"c\"* \"d\"* \"e\"* \"f\"* \"g\"* \"h\"*",
		 "a:* & b:* & c:* & d:* & e:* & f:* & g:* & h:*", 8},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char out[SEARCH_QUERY_MAX];
		int n = search_query(STORE_SQLITE, rows[i].in, out, sizeof out);
		if (n != rows[i].words || strcmp(out, rows[i].sqlite) != 0)
			fail_msg("%s (sqlite): got %d '%s'", rows[i].name, n, out);
		n = search_query(STORE_POSTGRESQL, rows[i].in, out, sizeof out);
		if (n != rows[i].words || strcmp(out, rows[i].pg) != 0)
			fail_msg("%s (postgresql): got %d '%s'", rows[i].name, n, out);
	}
	char small[8];
	assert_int_equal(search_query(STORE_SQLITE, "facturacion", small,
	                              sizeof small), -1);
}

/* Issue 19: a search that is a ticket's number finds that ticket. */
static void
test_ticket_number(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		int64_t want;   /* 0: not a number */
	} rows[] = {
		{"240", 240}, {"#000240", 240}, {"#240", 240}, {" 240 ", 240},
		{"000001", 1}, {"999999999999", 999999999999},
		{"0", 0}, {"#", 0}, {"", 0}, {"24a", 0}, {"ticket 240", 0},
		{"2 40", 0}, {"##240", 0}, {"-240", 0}, {"1234567890123", 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int64_t n = 0;
		int is = search_ticket_number(rows[i].in, &n);
		if (is != (rows[i].want != 0) || (is && n != rows[i].want))
			fail_msg("'%s': got %d %lld, want %lld", rows[i].in, is,
			         (long long)n, (long long)rows[i].want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_ticket_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
