/*
 * test_policy_diff.c - R12: what a policy change notice lists
 * (core/policy_diff.c), on the shipped prodequa.ini and edits of it.
 */
#include "app/config/policy_file.h"
#include "app/config/policy_json.h"
#include "app/config/policy_show.h"
#include "core/policy_diff.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static struct policy old_pol, new_pol;
static struct policy_diff d;

static int
setup(void **state)
{
	(void)state;
	struct policy_diag diag;
	return policy_load(SOPORTE_SRC "/policy/prodequa.ini", &old_pol, &diag) ==
	               POLICY_LOAD_OK
	           ? 0
	           : -1;
}

static void
test_R12_same_policy_no_change(void **state)
{
	(void)state;
	new_pol = old_pol;
	/* Labels and dates are not what changed in the rules. */
	snprintf(new_pol.version, sizeof new_pol.version, "2026-12-01");
	snprintf(new_pol.effective_from, sizeof new_pol.effective_from,
	         "2026-12-01");
	policy_diff(&old_pol, &new_pol, &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.dropped, 0);
}

static void
test_R12_targets_plans_windows(void **state)
{
	(void)state;
	new_pol = old_pol;
	new_pol.severity[2].response_s = 16 * 3600;       /* Media 24 -> 16 */
	struct policy_plan *basic =
	    (struct policy_plan *)policy_plan_find(&new_pol, "basic");
	assert_non_null(basic);
	basic->included_s = 25 * 3600;                     /* Básica 20 -> 25 */
	basic->purchase_order_required = true;
	new_pol.week[5].nwindows = 1;                      /* Saturday opens */
	new_pol.week[5].windows[0] = (struct policy_window){9 * 60, 13 * 60};
	new_pol.contact_attempts = 4;
	policy_diff(&old_pol, &new_pol, &d);
	assert_int_equal(d.n, 5);

	assert_int_equal(d.items[0].kind, PCH_SEVERITY_TARGET);
	assert_int_equal(d.items[0].level, 3);
	assert_string_equal(d.items[0].name, "Media");
	assert_string_equal(d.items[0].old_value, "24");
	assert_string_equal(d.items[0].new_value, "16");

	assert_int_equal(d.items[1].kind, PCH_PLAN_HOURS);
	assert_string_equal(d.items[1].name, "Básica");
	assert_string_equal(d.items[1].key, "basic");
	assert_string_equal(d.items[1].old_value, "20");
	assert_string_equal(d.items[1].new_value, "25");
	assert_int_equal(d.items[2].kind, PCH_PLAN_PO_REQUIRED);
	assert_string_equal(d.items[2].key, "basic");

	assert_int_equal(d.items[3].kind, PCH_DAY_WINDOWS);
	assert_int_equal(d.items[3].level, 5);
	assert_string_equal(d.items[3].old_value, "");
	assert_string_equal(d.items[3].new_value, "09:00-13:00");

	assert_int_equal(d.items[4].kind, PCH_CONTACT_ATTEMPTS);
	assert_string_equal(d.items[4].old_value, "3");
	assert_string_equal(d.items[4].new_value, "4");
	assert_string_equal(policy_change_kind_name(d.items[4].kind),
	                    "contact_attempts");
}

static void
test_R12_plan_added_removed_and_minutes(void **state)
{
	(void)state;
	new_pol = old_pol;
	/* Enterprise removed (the last plan), a half hour on severity 1. */
	assert_string_equal(new_pol.plans[new_pol.nplans - 1].key, "enterprise");
	new_pol.nplans--;
	new_pol.severity[0].response_s = 5 * 3600 + 1800;
	policy_diff(&old_pol, &new_pol, &d);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.items[0].kind, PCH_SEVERITY_TARGET);
	assert_string_equal(d.items[0].old_value, "6");
	assert_string_equal(d.items[0].new_value, "5:30");
	assert_int_equal(d.items[1].kind, PCH_PLAN_REMOVED);
	assert_string_equal(d.items[1].name, "Empresarial");
	/* And back: added. */
	policy_diff(&new_pol, &old_pol, &d);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.items[1].kind, PCH_PLAN_ADDED);
	assert_string_equal(d.items[1].key, "enterprise");
}

/* A stored version read back (app/config/policy_json.c) compares equal
 * to the policy it was stored from, and a change survives the trip. */
static void
test_R12_stored_version_read_back(void **state)
{
	(void)state;
	static struct policy back;
	new_pol = old_pol;
	new_pol.severity[2].response_s = 16 * 3600;
	new_pol.week[0].nwindows = 1;
	char *text = policy_canonical(&old_pol);
	assert_non_null(text);
	assert_int_equal(policy_from_canonical(text, &back), 0);
	free(text);
	assert_string_equal(back.effective_from, old_pol.effective_from);
	policy_diff(&back, &old_pol, &d);
	assert_int_equal(d.n, 0);
	policy_diff(&back, &new_pol, &d);
	assert_int_equal(d.n, 2);
	assert_int_equal(d.items[0].kind, PCH_SEVERITY_TARGET);
	assert_int_equal(d.items[1].kind, PCH_DAY_WINDOWS);
	assert_string_equal(d.items[1].old_value, "08:00-12:00, 14:00-18:00");
	assert_string_equal(d.items[1].new_value, "08:00-12:00");
	assert_int_equal(policy_from_canonical("{\"severities\": []}", &back), -1);
	assert_int_equal(policy_from_canonical("not json", &back), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R12_same_policy_no_change),
		cmocka_unit_test(test_R12_targets_plans_windows),
		cmocka_unit_test(test_R12_plan_added_removed_and_minutes),
		cmocka_unit_test(test_R12_stored_version_read_back),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
