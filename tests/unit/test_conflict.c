/*
 * test_conflict.c - a write the database refused, read from each engine's
 * own words (app/base/conflict.c): the kind and the input field at fault,
 * so the API answers a stable code and a field, never the engine's text
 * (issue 19, human errors only). The messages are the engines' as the
 * store records them ("query: " + SQLite's, or PostgreSQL's with DETAIL).
 */
#include "app/base/conflict.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static void
expect(const char *msg, enum conflict_kind kind, const char *field)
{
	char f[64] = "x";
	assert_int_equal(conflict_of(msg, f, sizeof f), kind);
	assert_string_equal(f, field);
}

static void
test_sqlite_words(void **state)
{
	(void)state;
	expect("query: UNIQUE constraint failed: users.email", CONFLICT_DUPLICATE,
	       "email");
	expect("query: UNIQUE constraint failed: purchase_orders.client_id, "
	       "purchase_orders.number", CONFLICT_DUPLICATE, "number");
	expect("query: CHECK constraint failed: valid_from <= valid_to",
	       CONFLICT_CHECK, "valid_to");
	expect("query: CHECK constraint failed: (role = 'client') = (client_id "
	       "IS NOT NULL)", CONFLICT_CHECK, "client_id");
	expect("query: NOT NULL constraint failed: contacts.name",
	       CONFLICT_MISSING, "name");
	expect("query: FOREIGN KEY constraint failed", CONFLICT_REFERENCE, "");
}

static void
test_postgresql_words(void **state)
{
	(void)state;
	expect("query: ERROR:  duplicate key value violates unique constraint "
	       "\"users_email_key\"\nDETAIL:  Key (email)=(a@b.pe) already "
	       "exists.\n", CONFLICT_DUPLICATE, "email");
	expect("query: ERROR:  duplicate key value violates unique constraint "
	       "\"users_email_lower\"\nDETAIL:  Key (lower(email))=(a@b.pe) "
	       "already exists.\n", CONFLICT_DUPLICATE, "email");
	expect("query: ERROR:  duplicate key value violates unique constraint "
	       "\"purchase_orders_client_id_number_key\"\nDETAIL:  Key "
	       "(client_id, number)=(1, OC-1) already exists.\n",
	       CONFLICT_DUPLICATE, "number");
	expect("query: ERROR:  new row for relation \"contracts\" violates check "
	       "constraint \"contracts_check\"\nDETAIL:  Failing row contains "
	       "(...).\n", CONFLICT_CHECK, "valid_to");
	expect("query: ERROR:  new row for relation \"products\" violates check "
	       "constraint \"products_warranty_months_check\"\n", CONFLICT_CHECK,
	       "warranty_months");
	expect("query: ERROR:  insert or update on table \"contacts\" violates "
	       "foreign key constraint \"contacts_client_id_fkey\"\nDETAIL:  Key "
	       "(client_id)=(99) is not present in table \"clients\".\n",
	       CONFLICT_REFERENCE, "client_id");
	expect("query: ERROR:  null value in column \"name\" of relation "
	       "\"contacts\" violates not-null constraint\n", CONFLICT_MISSING,
	       "name");
}

static void
test_not_the_engines(void **state)
{
	(void)state;
	/* A command's own refusal is no engine's: the door keeps it. */
	expect("client 9 does not exist", CONFLICT_OTHER, "");
	expect(NULL, CONFLICT_OTHER, "");
	assert_string_equal(conflict_code(CONFLICT_DUPLICATE), "duplicate");
	assert_string_equal(conflict_code(CONFLICT_CHECK), "invalid_value");
	assert_string_equal(conflict_phrase(CONFLICT_DUPLICATE), "already in use");
	/* A field that does not fit the buffer is not cut. */
	char small[4] = "x";
	assert_int_equal(conflict_of("query: UNIQUE constraint failed: users.email",
	                             small, sizeof small), CONFLICT_DUPLICATE);
	assert_string_equal(small, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqlite_words),
		cmocka_unit_test(test_postgresql_words),
		cmocka_unit_test(test_not_the_engines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
