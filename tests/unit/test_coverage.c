/*
 * test_coverage.c - R4 coverage and R5 exclusions (core/coverage.c) under
 * the shipped policy. Each row is an entitlement (which bases hold), a
 * cause and a category, and the charge the policy text gives them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/config/policy_file.h"
#include "core/coverage.h"

#include <stdio.h>
#include <string.h>

static struct policy pol;

/* Which bases hold, as flags. */
enum {
	W = 1,     /* in warranty */
	PL = 2,    /* a monthly plan */
	EV = 4,    /* a per-event contract */
	MS = 8,    /* monthly service */
	PP = 16,   /* post-production */
};

static void
make_ent(int flags, struct entitlement *e)
{
	memset(e, 0, sizeof *e);
	e->in_warranty = flags & W;
	e->plan_contract = flags & PL ? 0 : -1;
	e->per_event_contract = flags & EV ? 1 : -1;
	e->monthly_service = flags & MS;
	e->post_production = flags & PP;
	e->basis = flags & W ? ENTITLE_WARRANTY : flags & PL ? ENTITLE_PLAN :
	           flags & EV ? ENTITLE_PER_EVENT :
	           flags & MS ? ENTITLE_MONTHLY_SERVICE :
	           flags & PP ? ENTITLE_POST_PRODUCTION : ENTITLE_NONE;
	snprintf(e->text_es, sizeof e->text_es, "ENT-ES");
	snprintf(e->text_en, sizeof e->text_en, "ENT-EN");
}

struct row {
	const char *name;
	int flags;
	enum cause cause;
	enum category category;
	enum charge want;
	enum coverage_reason reason;
	int contract;
	bool billable;
	const char *es;
};

static void
R4_coverage_table(void **state)
{
	(void)state;
	const struct row rows[] = {
		/* Free: in warranty, defects of the product. */
		{"R4 defect in warranty is free", W, CAUSE_DEFECT, CATEGORY_SUPPORT,
		 CHARGE_WARRANTY, COVERAGE_R_WARRANTY_DEFECT, -1, false,
		 "Atención gratuita: ENT-ES"},
		{"R4 defect in warranty is free even with a plan", W | PL,
		 CAUSE_DEFECT, CATEGORY_SUPPORT, CHARGE_WARRANTY,
		 COVERAGE_R_WARRANTY_DEFECT, -1, false, "gratuita"},
		{"R4 usage question in warranty is free", W | PL, CAUSE_QUESTION,
		 CATEGORY_SUPPORT, CHARGE_WARRANTY, COVERAGE_R_WARRANTY_QUESTION, -1,
		 false, "gratuita"},
		/* Charged to the plan. */
		{"R4 misuse in warranty is charged to the plan", W | PL,
		 CAUSE_MISUSE, CATEGORY_SUPPORT, CHARGE_PLAN, COVERAGE_R_MISUSE, 0,
		 true, "uso incorrecto"},
		{"R4 misuse out of warranty is charged to the plan", PL,
		 CAUSE_MISUSE, CATEGORY_SUPPORT, CHARGE_PLAN, COVERAGE_R_MISUSE, 0,
		 true, "dentro y fuera del período de garantía"},
		{"R4 third-party change in warranty is charged", W | PL,
		 CAUSE_THIRD_PARTY_CHANGE, CATEGORY_SUPPORT, CHARGE_PLAN,
		 COVERAGE_R_THIRD_PARTY_CHANGE, 0, true, "Cliente o de un tercero"},
		{"R4 defect after warranty is charged to the plan", PL,
		 CAUSE_DEFECT, CATEGORY_SUPPORT, CHARGE_PLAN,
		 COVERAGE_R_AFTER_WARRANTY, 0, true, "Fuera del período de garantía"},
		{"R4 usage question after warranty is charged", PL, CAUSE_QUESTION,
		 CATEGORY_SUPPORT, CHARGE_PLAN, COVERAGE_R_AFTER_WARRANTY, 0, true,
		 "horas del plan"},
		{"R4 a plan is used before a per-event contract", PL | EV,
		 CAUSE_DEFECT, CATEGORY_SUPPORT, CHARGE_PLAN,
		 COVERAGE_R_AFTER_WARRANTY, 0, true, "plan"},
		{"R4 per event after warranty needs a purchase order", EV,
		 CAUSE_DEFECT, CATEGORY_SUPPORT, CHARGE_PER_EVENT,
		 COVERAGE_R_AFTER_WARRANTY, 1, true, "orden de compra"},
		{"R4 misuse in warranty, per event", W | EV, CAUSE_MISUSE,
		 CATEGORY_SUPPORT, CHARGE_PER_EVENT, COVERAGE_R_MISUSE, 1, true,
		 "por evento"},
		{"R4 monthly service", MS, CAUSE_MISUSE, CATEGORY_SUPPORT,
		 CHARGE_MONTHLY_SERVICE, COVERAGE_R_MISUSE, -1, false,
		 "modalidad mensual"},
		{"R4 post-production", PP, CAUSE_DEFECT, CATEGORY_SUPPORT,
		 CHARGE_POST_PRODUCTION, COVERAGE_R_AFTER_WARRANTY, -1, false,
		 "post producción"},
		/* Nothing to charge it to. */
		{"R4 misuse in warranty without a plan: not covered", W,
		 CAUSE_MISUSE, CATEGORY_SUPPORT, CHARGE_NONE, COVERAGE_R_MISUSE, -1,
		 false, "se requiere renovación"},
		{"R4 defect after warranty without a plan: renewal", 0,
		 CAUSE_DEFECT, CATEGORY_SUPPORT, CHARGE_NONE,
		 COVERAGE_R_NO_ENTITLEMENT, -1, false, "ENT-ES"},
		/* R5: exclusions win over everything. */
		{"R5 training is excluded, even in warranty", W | PL, CAUSE_QUESTION,
		 CATEGORY_TRAINING, CHARGE_EXCLUDED, COVERAGE_R_EXCLUDED, -1, false,
		 "No incluye servicios de capacitación"},
		{"R5 third-party products are excluded", PL, CAUSE_DEFECT,
		 CATEGORY_THIRD_PARTY_PRODUCT, CHARGE_EXCLUDED, COVERAGE_R_EXCLUDED,
		 -1, false, "sistemas operativos, conexión a internet, telefonía"},
		{"R5 business consulting: offer the consulting service", PL,
		 CAUSE_QUESTION, CATEGORY_BUSINESS_CONSULTING, CHARGE_EXCLUDED,
		 COVERAGE_R_EXCLUDED, -1, false, "No contempla consultoría de "
		 "negocios. Para ello ponemos a su disposición nuestros servicios de "
		 "consultoría especializada"},
		{"R5 excluded without any entitlement too", 0, CAUSE_DEFECT,
		 CATEGORY_TRAINING, CHARGE_EXCLUDED, COVERAGE_R_EXCLUDED, -1, false,
		 "capacitación"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		struct entitlement e;
		struct coverage c;
		make_ent(r->flags, &e);
		enum charge got = coverage_decide(&pol, &e, r->cause, r->category,
		                                  &c);
		if (got != r->want || c.charge != got || c.reason != r->reason ||
		    c.contract != r->contract || c.billable != r->billable ||
		    strstr(c.text_es, r->es) == NULL || c.text_en[0] == '\0')
			fail_msg("%s: got %s reason %d contract %d billable %d\n  %s",
			         r->name, coverage_charge_name(c.charge), c.reason,
			         c.contract, c.billable, c.text_es);
		assert_int_equal(c.excluded, got == CHARGE_EXCLUDED);
		assert_int_equal(c.purchase_order_required, got == CHARGE_PER_EVENT);
	}
}

static void
R5_exclusion_reason_in_english_and_kind(void **state)
{
	(void)state;
	struct entitlement e;
	struct coverage c;
	make_ent(PL, &e);
	coverage_decide(&pol, &e, CAUSE_QUESTION, CATEGORY_BUSINESS_CONSULTING,
	                &c);
	assert_int_equal(c.exclusion, EXCLUSION_BUSINESS_CONSULTING);
	assert_non_null(strstr(c.text_en, "business consulting"));
	assert_non_null(strstr(c.text_en, "consulting services"));
	coverage_decide(&pol, &e, CAUSE_DEFECT, CATEGORY_THIRD_PARTY_PRODUCT, &c);
	assert_int_equal(c.exclusion, EXCLUSION_THIRD_PARTY);
	assert_non_null(strstr(c.text_en, "operating systems"));
}

/* Another company's policy may not exclude training: then it is support. */
static void
R5_a_policy_without_the_exclusion_covers_it(void **state)
{
	(void)state;
	struct policy other = pol;
	other.nexclusions = 0;
	struct entitlement e;
	struct coverage c;
	make_ent(PL, &e);
	assert_int_equal(coverage_decide(&other, &e, CAUSE_QUESTION,
	                                 CATEGORY_TRAINING, &c), CHARGE_PLAN);
}

static void
R4_names_round_trip(void **state)
{
	(void)state;
	for (int i = CHARGE_WARRANTY; i <= CHARGE_EXCLUDED; i++) {
		enum charge c;
		assert_int_equal(coverage_charge_parse(
		    coverage_charge_name((enum charge)i), &c), 0);
		assert_int_equal(c, i);
	}
	for (int i = 0; i < CAUSE_COUNT; i++) {
		enum cause c;
		assert_int_equal(coverage_cause_parse(
		    coverage_cause_name((enum cause)i), &c), 0);
		assert_int_equal(c, i);
	}
	for (int i = 0; i < CATEGORY_COUNT; i++) {
		enum category c;
		assert_int_equal(coverage_category_parse(
		    coverage_category_name((enum category)i), &c), 0);
		assert_int_equal(c, i);
	}
	enum charge c;
	enum cause ca;
	enum category cat;
	assert_int_equal(coverage_charge_parse("free", &c), -1);
	assert_int_equal(coverage_cause_parse("bug", &ca), -1);
	assert_int_equal(coverage_category_parse("hardware", &cat), -1);
	assert_string_equal(coverage_charge_name(CHARGE_PER_EVENT), "per_event");
	assert_string_equal(coverage_cause_name(CAUSE_THIRD_PARTY_CHANGE),
	                    "third_party_change");
	/* the tickets' coverage and category words */
	assert_string_equal(coverage_word(CHARGE_MONTHLY_SERVICE), "plan");
	assert_string_equal(coverage_word(CHARGE_EXCLUDED), "none");
	assert_string_equal(coverage_word(CHARGE_PER_EVENT), "per_event");
	assert_string_equal(coverage_ticket_category(CATEGORY_SUPPORT),
	                    "incident");
	assert_string_equal(coverage_ticket_category(CATEGORY_BUSINESS_CONSULTING),
	                    "excluded_consulting");
	/* the plan kinds, as policy files, the store and the API spell them */
	for (int i = 0; i < PLAN_KIND_COUNT; i++)
		assert_int_equal(plan_kind_parse(plan_kind_name((enum plan_kind)i)),
		                 i);
	assert_string_equal(plan_kind_name(PLAN_BASIC), "basic");
	assert_null(plan_kind_names[PLAN_KIND_COUNT]);
	assert_int_equal(plan_kind_parse("gold"), -1);
	assert_ptr_equal(policy_plan_of(&pol, PLAN_ENTERPRISE),
	                 policy_plan_find(&pol, "enterprise"));
}

static int
setup(void **state)
{
	(void)state;
	struct policy_diag d;
	if (policy_load(SOPORTE_SRC "/policy/prodequa.ini", &pol, &d) !=
	    POLICY_LOAD_OK) {
		policy_diag_print(&d, stderr);
		return -1;
	}
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(R4_coverage_table),
		cmocka_unit_test(R5_exclusion_reason_in_english_and_kind),
		cmocka_unit_test(R5_a_policy_without_the_exclusion_covers_it),
		cmocka_unit_test(R4_names_round_trip),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
