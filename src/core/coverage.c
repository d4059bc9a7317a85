/*
 * coverage.c - R4 coverage and R5 exclusions (see coverage.h). Pure.
 */
#include "core/coverage.h"

#include <stdio.h>
#include <string.h>

static const char *const charge_names[] = {
	[CHARGE_WARRANTY] = "warranty",
	[CHARGE_PLAN] = "plan",
	[CHARGE_PER_EVENT] = "per_event",
	[CHARGE_MONTHLY_SERVICE] = "monthly_service",
	[CHARGE_POST_PRODUCTION] = "post_production",
	[CHARGE_NONE] = "none",
	[CHARGE_EXCLUDED] = "excluded",
};
static const char *const cause_names[] = {
	[CAUSE_DEFECT] = "defect",
	[CAUSE_MISUSE] = "misuse",
	[CAUSE_THIRD_PARTY_CHANGE] = "third_party_change",
	[CAUSE_QUESTION] = "question",
};
static const char *const ticket_categories[] = {
	[CATEGORY_SUPPORT] = "incident",
	[CATEGORY_TRAINING] = "excluded_training",
	[CATEGORY_THIRD_PARTY_PRODUCT] = "excluded_third_party",
	[CATEGORY_BUSINESS_CONSULTING] = "excluded_consulting",
};
static const char *const category_names[] = {
	[CATEGORY_SUPPORT] = "support",
	[CATEGORY_TRAINING] = "training",
	[CATEGORY_THIRD_PARTY_PRODUCT] = "third_party_product",
	[CATEGORY_BUSINESS_CONSULTING] = "business_consulting",
};

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int
parse(const char *const *names, int n, const char *name, int *out)
{
	for (int i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], name) == 0) {
			*out = i;
			return 0;
		}
	return -1;
}

const char *
coverage_charge_name(enum charge c)
{
	return (int)c >= 0 && (int)c < NELEM(charge_names) ? charge_names[c] :
	       "none";
}

int
coverage_charge_parse(const char *name, enum charge *out)
{
	int v;
	if (parse(charge_names, NELEM(charge_names), name, &v) != 0)
		return -1;
	*out = (enum charge)v;
	return 0;
}

const char *
coverage_cause_name(enum cause c)
{
	return (int)c >= 0 && (int)c < NELEM(cause_names) ? cause_names[c] :
	       "defect";
}

int
coverage_cause_parse(const char *name, enum cause *out)
{
	int v;
	if (parse(cause_names, NELEM(cause_names), name, &v) != 0)
		return -1;
	*out = (enum cause)v;
	return 0;
}

const char *
coverage_category_name(enum category c)
{
	return (int)c >= 0 && (int)c < NELEM(category_names) ?
	       category_names[c] : "support";
}

int
coverage_category_parse(const char *name, enum category *out)
{
	int v;
	if (parse(category_names, NELEM(category_names), name, &v) != 0)
		return -1;
	*out = (enum category)v;
	return 0;
}

/* Why a charged (not free) ticket is charged, in both languages. */
static void
charged_why(enum cause cause, enum coverage_reason *r,
            const char **es, const char **en)
{
	switch (cause) {
	case CAUSE_MISUSE:
		*r = COVERAGE_R_MISUSE;
		*es = "Los errores derivados de un uso incorrecto del producto se "
		      "atienden con un plan de soporte, dentro y fuera del período "
		      "de garantía.";
		*en = "Errors from incorrect use of the product are handled under "
		      "a support plan, in and out of the warranty period.";
		return;
	case CAUSE_THIRD_PARTY_CHANGE:
		*r = COVERAGE_R_THIRD_PARTY_CHANGE;
		*es = "Los defectos provocados por una modificación o un "
		      "complemento del Cliente o de un tercero se atienden con un "
		      "plan de soporte.";
		*en = "Defects caused by a change or add-on made by the client or "
		      "a third party are handled under a support plan.";
		return;
	case CAUSE_DEFECT:
	case CAUSE_QUESTION:
	case CAUSE_COUNT:
		break;
	}
	*r = COVERAGE_R_AFTER_WARRANTY;
	*es = "Fuera del período de garantía, la atención se cubre con un plan "
	      "de soporte.";
	*en = "After the warranty period, support is covered by a support "
	      "plan.";
}

static const struct {
	enum category category;
	enum exclusion_kind kind;
} category_exclusion[] = {
	{CATEGORY_TRAINING, EXCLUSION_TRAINING},
	{CATEGORY_THIRD_PARTY_PRODUCT, EXCLUSION_THIRD_PARTY},
	{CATEGORY_BUSINESS_CONSULTING, EXCLUSION_BUSINESS_CONSULTING},
};

enum charge
coverage_decide(const struct policy *p, const struct entitlement *ent,
                enum cause cause,
                enum category category, struct coverage *out)
{
	memset(out, 0, sizeof *out);
	out->contract = -1;

	/* R5: exclusions win over any entitlement. */
	for (int i = 0; i < NELEM(category_exclusion); i++) {
		if (category_exclusion[i].category != category)
			continue;
		const struct policy_exclusion *x =
		    policy_exclusion_find(p, category_exclusion[i].kind);
		if (x == NULL)
			break; /* this policy does not exclude it */
		out->charge = CHARGE_EXCLUDED;
		out->reason = COVERAGE_R_EXCLUDED;
		out->excluded = true;
		out->exclusion = x->kind;
		snprintf(out->text_es, sizeof out->text_es, "%s%s%s", x->reason_es,
		         x->offer_es[0] ? " " : "", x->offer_es);
		snprintf(out->text_en, sizeof out->text_en, "%s%s%s", x->reason_en,
		         x->offer_en[0] ? " " : "", x->offer_en);
		return out->charge;
	}

	/* R4: free only in warranty, for defects (and usage questions). */
	if (ent->in_warranty &&
	    (cause == CAUSE_DEFECT || cause == CAUSE_QUESTION)) {
		out->charge = CHARGE_WARRANTY;
		out->reason = cause == CAUSE_DEFECT ? COVERAGE_R_WARRANTY_DEFECT :
		              COVERAGE_R_WARRANTY_QUESTION;
		snprintf(out->text_es, sizeof out->text_es, "Atención gratuita: "
		         "%s", ent->text_es);
		snprintf(out->text_en, sizeof out->text_en, "Free of charge: %s",
		         ent->text_en);
		return out->charge;
	}

	const char *why_es, *why_en;
	charged_why(cause, &out->reason, &why_es, &why_en);

	if (ent->basis == ENTITLE_NONE && !ent->in_warranty) {
		out->charge = CHARGE_NONE;
		out->reason = COVERAGE_R_NO_ENTITLEMENT;
		snprintf(out->text_es, sizeof out->text_es, "%s", ent->text_es);
		snprintf(out->text_en, sizeof out->text_en, "%s", ent->text_en);
		return out->charge;
	}

	const char *plan_es = "", *plan_en = "";
	if (ent->plan_contract >= 0) {
		out->charge = CHARGE_PLAN;
		out->contract = ent->plan_contract;
		out->billable = true;
		plan_es = " Se descuenta de las horas del plan.";
		plan_en = " It is taken from the plan's hours.";
	} else if (ent->per_event_contract >= 0) {
		const struct policy_plan *pl = policy_plan_find(p, "per_event");
		out->charge = CHARGE_PER_EVENT;
		out->contract = ent->per_event_contract;
		out->billable = true;
		out->purchase_order_required = pl ? pl->purchase_order_required :
		                               true;
		plan_es = " Se factura por evento y requiere una orden de compra.";
		plan_en = " It is billed per event and needs a purchase order.";
	} else if (ent->monthly_service) {
		out->charge = CHARGE_MONTHLY_SERVICE;
		plan_es = " Se atiende dentro de la modalidad mensual de servicios.";
		plan_en = " It is handled under the monthly service arrangement.";
	} else if (ent->post_production) {
		out->charge = CHARGE_POST_PRODUCTION;
		plan_es = " Se atiende dentro del período de post producción.";
		plan_en = " It is handled within the post-production period.";
	} else {
		/* In warranty, but the cause is not a warranty one and there is
		 * nothing to charge it to. */
		out->charge = CHARGE_NONE;
		plan_es = " No hay un plan de soporte vigente: se requiere "
		          "renovación o una orden de compra por evento.";
		plan_en = " There is no support plan in force: a renewal or a "
		          "per-event purchase order is required.";
	}
	snprintf(out->text_es, sizeof out->text_es, "%s%s", why_es, plan_es);
	snprintf(out->text_en, sizeof out->text_en, "%s%s", why_en, plan_en);
	return out->charge;
}

const char *
coverage_word(enum charge c)
{
	switch (c) {
	case CHARGE_WARRANTY:
		return entitle_coverage_name(ENTITLE_WARRANTY);
	case CHARGE_PER_EVENT:
		return entitle_coverage_name(ENTITLE_PER_EVENT);
	case CHARGE_PLAN:
	case CHARGE_MONTHLY_SERVICE:
	case CHARGE_POST_PRODUCTION:
		return entitle_coverage_name(ENTITLE_PLAN);
	case CHARGE_NONE:
	case CHARGE_EXCLUDED:
		break;
	}
	return entitle_coverage_name(ENTITLE_NONE);
}

const char *
coverage_ticket_category(enum category c)
{
	return (unsigned)c < CATEGORY_COUNT ? ticket_categories[c] : "incident";
}
