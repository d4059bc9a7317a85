/*
 * coverage.h - R4 coverage and R5 exclusions: who pays for a ticket.
 *
 * Once the consultant knows the cause of a ticket (and whether it falls in
 * an excluded category), coverage_decide() says whether the work is free
 * warranty work, charged to the client's plan or per-event contract,
 * done under the monthly service or the post-production period, not
 * covered (renewal required), or excluded. Policy text, section 1:
 *   free (warranty): in warranty, defects of the product; usage questions
 *     in warranty (they are charged only "fuera del periodo de garantía");
 *   charged to a plan: anything after warranty; misuse, in or out of
 *     warranty; defects caused by changes or add-ons of the client or a
 *     third party; usage questions after warranty.
 * Section 3 "Limitaciones": training, third-party products (operating
 * systems, internet, telephony, ...) and business consulting are never
 * covered; the reason comes from the policy file, and for consulting the
 * offer of the consulting service.
 * A charged ticket goes, in this order, to a monthly plan, a per-event
 * contract (a purchase order is then required), the monthly service, the
 * post-production period; with none of them it needs a renewal.
 * Pure: no I/O, no clock.
 */
#ifndef SOPORTE_CORE_COVERAGE_H
#define SOPORTE_CORE_COVERAGE_H

#include "core/entitle.h"
#include "core/policy.h"

#include <stdbool.h>

/* An exclusion's reason and offer, or an entitlement sentence, and a
 * little more. */
#define COVERAGE_TEXT_MAX (2 * POLICY_TEXT_MAX + 16)

enum cause {
	CAUSE_DEFECT,             /* a defect of the product as delivered */
	CAUSE_MISUSE,             /* "uso incorrecto del producto" */
	CAUSE_THIRD_PARTY_CHANGE, /* change/add-on by the client or a third party */
	CAUSE_QUESTION,           /* "resolución de dudas" */
	CAUSE_COUNT
};

/* What the ticket is about: ordinary support, or an excluded category. */
enum category {
	CATEGORY_SUPPORT,
	CATEGORY_TRAINING,            /* -> EXCLUSION_TRAINING */
	CATEGORY_THIRD_PARTY_PRODUCT, /* -> EXCLUSION_THIRD_PARTY */
	CATEGORY_BUSINESS_CONSULTING, /* -> EXCLUSION_BUSINESS_CONSULTING */
	CATEGORY_COUNT
};

/* The coverage of time entries; names match the store's values. */
enum charge {
	CHARGE_WARRANTY,          /* free, logged */
	CHARGE_PLAN,              /* hour bank of a basic/enterprise contract */
	CHARGE_PER_EVENT,         /* billed per event, purchase order needed */
	CHARGE_MONTHLY_SERVICE,   /* under the monthly service, logged */
	CHARGE_POST_PRODUCTION,   /* under the project, logged */
	CHARGE_NONE,              /* not covered: renewal required */
	CHARGE_EXCLUDED,          /* R5: closed "out of coverage" */
};

enum coverage_reason {
	COVERAGE_R_WARRANTY_DEFECT,
	COVERAGE_R_WARRANTY_QUESTION,
	COVERAGE_R_AFTER_WARRANTY,
	COVERAGE_R_MISUSE,
	COVERAGE_R_THIRD_PARTY_CHANGE,
	COVERAGE_R_NO_ENTITLEMENT,
	COVERAGE_R_EXCLUDED,
};

struct coverage {
	enum charge charge;
	enum coverage_reason reason;
	int contract;             /* index in the facts (PLAN, PER_EVENT), or -1 */
	bool billable;            /* counts against a plan or is invoiced */
	bool purchase_order_required;
	bool excluded;
	enum exclusion_kind exclusion; /* when excluded */
	char text_es[COVERAGE_TEXT_MAX];
	char text_en[COVERAGE_TEXT_MAX];
};

/*
 * Decides coverage from the entitlement of the ticket's product, its
 * cause and its category. Always fills *out; returns out->charge.
 * An excluded category wins over everything (when the policy lists that
 * exclusion; a policy without it treats the category as support).
 */
enum charge coverage_decide(const struct policy *p,
                            const struct entitlement *ent,
                            enum cause cause, enum category category,
                            struct coverage *out);

/* Stable names for the store, the API and logs; the parse functions
 * return 0, or -1 for an unknown name. */
const char *coverage_charge_name(enum charge c);
int coverage_charge_parse(const char *name, enum charge *out);
const char *coverage_cause_name(enum cause c);
int coverage_cause_parse(const char *name, enum cause *out);
const char *coverage_category_name(enum category c);
int coverage_category_parse(const char *name, enum category *out);
/* The ticket's category word (tickets.category): "incident" for support,
 * "excluded_training", "excluded_third_party", "excluded_consulting". */
const char *coverage_ticket_category(enum category c);
/* DESIGN's four coverage words for a charge (tickets.coverage), the same
 * as entitle_coverage_name(): monthly service and post-production show as
 * plan, excluded as none. */
const char *coverage_word(enum charge c);

#endif
