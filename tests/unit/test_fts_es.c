/*
 * test_fts_es.c - the Spanish search tokenizer (store/fts_es.c): what a
 * person searching the desk notices. Plurals, verb forms, accents and
 * capitals find the same tickets; "no" is not dropped; prefixes typed
 * half-way still find; numbers and references stay whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/fts_es.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static const char *const docs[] = {
	/* 1 */ "La impresora de contabilidad no imprime",
	/* 2 */ "Facturación caída desde el lunes",
	/* 3 */ "Solicitud de cambio de contraseña del correo",
	/* 4 */ "Orden de compra OC4471 pendiente",
	/* 5 */ "El sistema funciona bien, gracias",
};

static int
setup(void **state)
{
	sqlite3 *db = NULL;
	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    fts_es_register(db) != SQLITE_OK ||
	    sqlite3_exec(db,
	                 "CREATE VIRTUAL TABLE t USING fts5(body, "
	                 "tokenize = 'soporte_es')",
	                 NULL, NULL, NULL) != SQLITE_OK)
		return -1;
	for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
		sqlite3_stmt *st;
		sqlite3_prepare_v2(db, "INSERT INTO t (rowid, body) VALUES (?, ?)", -1,
		                   &st, NULL);
		sqlite3_bind_int(st, 1, (int)i + 1);
		sqlite3_bind_text(st, 2, docs[i], -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return -1;
	}
	*state = db;
	return 0;
}

static int
teardown(void **state)
{
	sqlite3_close(*state);
	return 0;
}

/* The rowids a MATCH finds, as "1,4" ("" for none). */
static const char *
found(sqlite3 *db, const char *match)
{
	static char out[64];
	sqlite3_stmt *st;
	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT rowid FROM t WHERE t MATCH ? "
	                                    "ORDER BY rowid",
	                                    -1, &st, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t n = strlen(out);
		snprintf(out + n, sizeof out - n, "%s%lld", n ? "," : "",
		         (long long)sqlite3_column_int64(st, 0));
	}
	if (rc != SQLITE_DONE)
		fail_msg("MATCH '%s': %s", match, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return out;
}

static void
test_what_a_search_finds(void **state)
{
	sqlite3 *db = *state;
	static const struct {
		const char *why, *match, *want;
	} rows[] = {
		{"plural finds singular", "\"impresoras\"", "1"},
		{"capitals and accents", "\"IMPRESÓRA\"", "1"},
		{"verb forms are one word", "\"imprimir\"", "1"},
		{"accent-free typing finds accented text", "\"facturacion\"", "2"},
		{"feminine, accent", "\"caida\"", "2"},
		{"eñe folded", "\"contrasena\"", "3"},
		{"reference kept whole", "\"oc4471\"", "4"},
		{"no such reference", "\"oc4472\"", ""},
		{"'no' is a word, not a stop word", "\"no\"", "1"},
		{"phrase with 'no'", "\"no imprime\"", "1"},
		{"half-typed prefix", "\"impre\"*", "1"},
		{"prefix of a plural", "\"impresoras\"*", "1"},
		{"funciona vs funcionando", "\"funcionando\"", "5"},
		{"both words required", "\"impresora\" \"lunes\"", ""},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *got = found(db, rows[i].match);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("%s: MATCH %s found '%s', want '%s'", rows[i].why,
			         rows[i].match, got, rows[i].want);
	}
}

/* soporte_term(): the term the index holds for what a person typed;
 * soporte_terms(): every term the index holds for a text (what the
 * triggers of 0100_search_terms.sql add to the vocabulary). */
static void
test_term_functions(void **state)
{
	sqlite3 *db = *state;
	static const struct {
		const char *in, *term, *terms;   /* term NULL: no word in it */
	} rows[] = {
		{"Facturaciones", "factur", "[\"factur\"]"},
		{"IMPRESÓRAS y más", "impresor", "[\"impresor\",\"y\",\"mas\"]"},
		{"oc4471", "oc4471", "[\"oc4471\"]"},
		/* Again, from the tokenizer's cache of stems. */
		{"Facturaciones, FACTURACIÓN", "factur",
		 "[\"factur\",\"facturacion\"]"},
		{"¿¡ !?", NULL, "[]"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(db,
		                                    "SELECT soporte_term(?1), "
		                                    "soporte_terms(?1)",
		                                    -1, &st, NULL),
		                 SQLITE_OK);
		sqlite3_bind_text(st, 1, rows[i].in, -1, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		const char *got = (const char *)sqlite3_column_text(st, 0);
		if (rows[i].term == NULL ? got != NULL
		                         : got == NULL || strcmp(got, rows[i].term) != 0)
			fail_msg("soporte_term('%s') = '%s', want '%s'", rows[i].in,
			         got ? got : "NULL", rows[i].term ? rows[i].term : "NULL");
		got = (const char *)sqlite3_column_text(st, 1);
		if (got == NULL || strcmp(got, rows[i].terms) != 0)
			fail_msg("soporte_terms('%s') = '%s', want '%s'", rows[i].in,
			         got ? got : "NULL", rows[i].terms);
		sqlite3_finalize(st);
	}
}

static void
test_table_options_refused(void **state)
{
	sqlite3 *db = *state;
	/* Options the tokenizer would silently ignore are an error instead. */
	assert_int_not_equal(sqlite3_exec(db,
	                                  "CREATE VIRTUAL TABLE u USING fts5(b, "
	                                  "tokenize = 'soporte_es remove_diacritics 0')",
	                                  NULL, NULL, NULL),
	                     SQLITE_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_what_a_search_finds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_term_functions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_options_refused, setup,
		                                teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
