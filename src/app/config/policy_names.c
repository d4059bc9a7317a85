/*
 * policy_names.c - the policy file's tables (see policy_internal.h): every
 * name<->enum table (weekdays, periods, roundings, ...) and, per section kind,
 * its keys with their value types, destinations and limits.
 */
#include "app/config/policy_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* ---- name <-> enum tables -------------------------------------------- */

const struct name_val pf_weekday_names[] = {
	{"mon", 0}, {"tue", 1}, {"wed", 2}, {"thu", 3},
	{"fri", 4}, {"sat", 5}, {"sun", 6}, {NULL, 0},
};
static const struct name_val period_names[] = {
	{"event", PLAN_PERIOD_EVENT}, {"month", PLAN_PERIOD_MONTH}, {NULL, 0},
};
static const struct name_val overage_names[] = {
	{"hourly", 1}, {"none", 0}, {NULL, 0},
};
static const struct name_val bool_names[] = {
	{"yes", 1}, {"no", 0}, {"true", 1}, {"false", 0}, {NULL, 0},
};
static const struct name_val rounding_names[] = {
	{"up", ROUNDING_UP}, {"nearest", ROUNDING_NEAREST},
	{"none", ROUNDING_NONE}, {NULL, 0},
};
static const struct name_val partial_month_names[] = {
	{"prorate", PARTIAL_MONTH_PRORATE}, {"full", PARTIAL_MONTH_FULL},
	{NULL, 0},
};
const struct name_val pf_exclusion_names[] = {
	{"training", EXCLUSION_TRAINING},
	{"third_party", EXCLUSION_THIRD_PARTY},
	{"business_consulting", EXCLUSION_BUSINESS_CONSULTING}, {NULL, 0},
};
static const struct name_val language_names[] = {
	{"es", 0}, {"en", 1}, {NULL, 0},
};
/* Holiday sets the calendar has built in (core/holiday.h on main; keep in
 * step). "none": only the .ics file, stored as "". */
static const struct name_val holiday_set_names[] = {
	{"peru", 0}, {"none", 1}, {NULL, 0},
};

/* Returns the value for name, or -1. */
int
pf_name_lookup(const struct name_val *t, const char *name)
{
	for (; t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t->val;
	return -1;
}

/* Writes "a, b, c" of a table's names into out. */
void
pf_name_list(const struct name_val *t, char *out, size_t n)
{
	out[0] = '\0';
	for (const struct name_val *e = t; e->name; e++) {
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s%s", e == t ? "" : ", ", e->name);
	}
}

/* Writes "a, b, c" of a NULL-terminated list of names into out. */
void
pf_names_join(const char *const *t, char *out, size_t n)
{
	out[0] = '\0';
	for (const char *const *e = t; *e; e++) {
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s%s", e == t ? "" : ", ", *e);
	}
}

#define P(m) offsetof(struct policy, m), sizeof(((struct policy *)0)->m)
#define SV(m) offsetof(struct policy_severity, m), \
	sizeof(((struct policy_severity *)0)->m)
#define PL(m) offsetof(struct policy_plan, m), \
	sizeof(((struct policy_plan *)0)->m)
#define PR(m) offsetof(struct policy_product_type, m), \
	sizeof(((struct policy_product_type *)0)->m)
#define EX(m) offsetof(struct policy_exclusion, m), \
	sizeof(((struct policy_exclusion *)0)->m)
#define TC(m) offsetof(struct policy_triage_category, m), \
	sizeof(((struct policy_triage_category *)0)->m)

static const struct field policy_fields[] = {
	{"name", F_STR, P(name), 0, 0, NULL, 1},
	{"effective_from", F_DATE, P(effective_from), 0, 0, NULL, 1},
	{"version", F_WORD, P(version), 0, 0, NULL, 1},
	{"language", F_NAME, P(language), 0, 0, language_names, 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field contact_fields[] = {
	{"support_address", F_EMAIL, P(support_address), 0, 0, NULL, 1},
	{"phone", F_STR, P(phone), 0, 0, NULL, 1},
	{"phone_requires_email", F_BOOL, P(phone_requires_email), 0, 0,
	 bool_names, 1},
	{"project_manager", F_STR, P(project_manager), 0, 0, NULL, 1},
	{"project_manager_address", F_EMAIL, P(project_manager_address), 0, 0,
	 NULL, 1},
	{"renewals_address", F_EMAIL, P(renewals_address), 0, 0, NULL, 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field schedule_fields[] = {
	{"time_zone", F_TZ, P(time_zone), 0, 0, NULL, 1},
	{"mon", F_WINDOWS, P(week[0]), 0, 0, NULL, 1},
	{"tue", F_WINDOWS, P(week[1]), 0, 0, NULL, 1},
	{"wed", F_WINDOWS, P(week[2]), 0, 0, NULL, 1},
	{"thu", F_WINDOWS, P(week[3]), 0, 0, NULL, 1},
	{"fri", F_WINDOWS, P(week[4]), 0, 0, NULL, 1},
	{"sat", F_WINDOWS, P(week[5]), 0, 0, NULL, 1},
	{"sun", F_WINDOWS, P(week[6]), 0, 0, NULL, 1},
	{"holidays", F_NAME, P(holidays), 0, 0, holiday_set_names, 1},
	{"holidays_ics", F_PATH, P(holidays_ics), 0, 0, NULL, 0},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field sla_fields[] = {
	{"at_risk_percent", F_INT, P(at_risk_percent), 1, 99, NULL, 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field severity_fields[] = {
	{"name_es", F_STR, SV(name_es), 0, 0, NULL, 1},
	{"name_en", F_STR, SV(name_en), 0, 0, NULL, 1},
	{"response_hours", F_HOURS_S, SV(response_s), 1, 1000, NULL, 1},
	{"response_or_more", F_BOOL, SV(response_or_more), 0, 0, bool_names, 0},
	{"description_es", F_STR, SV(description_es), 0, 0, NULL, 1},
	{"description_en", F_STR, SV(description_en), 0, 0, NULL, 1},
	{"keywords", F_LIST, SV(keywords), 0, 0, NULL, 0},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field plan_fields[] = {
	{"name_es", F_STR, PL(name_es), 0, 0, NULL, 1},
	{"name_en", F_STR, PL(name_en), 0, 0, NULL, 1},
	{"period", F_ENUM, PL(period), 0, 0, period_names, 1},
	{"included_hours", F_HOURS_S, PL(included_s), 0, 744, NULL, 1},
	{"event_min_hours", F_HOURS_S, PL(event_min_s), 0, 24, NULL, 1},
	{"purchase_order_required", F_BOOL, PL(purchase_order_required), 0, 0,
	 bool_names, 1},
	{"update_min_hours", F_HOURS_S, PL(update_min_s), 0, 24, NULL, 1},
	{"overage", F_ENUM, PL(overage_billed_hourly), 0, 0, overage_names, 1},
	{"phone_advice", F_BOOL, PL(phone_advice), 0, 0, bool_names, 1},
	{"email_follow_up", F_BOOL, PL(email_follow_up), 0, 0, bool_names, 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field hour_bank_fields[] = {
	{"rounding_minutes", F_INT, P(rounding_min), 0, 60, NULL, 1},
	{"rounding", F_ENUM, P(rounding), 0, 0, rounding_names, 1},
	{"partial_month", F_ENUM, P(partial_month), 0, 0, partial_month_names,
	 1},
	{"alert_percent", F_INT, P(hour_alert_percent), 1, 99, NULL, 0},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field warranty_fields[] = {
	{"min_months", F_INT, P(warranty_min_months), 0, 36, NULL, 1},
	{"max_months", F_INT, P(warranty_max_months), 0, 36, NULL, 1},
	{"default_months", F_INT, P(warranty_default_months), 0, 36, NULL, 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field product_fields[] = {
	{"name_es", F_STR, PR(name_es), 0, 0, NULL, 1},
	{"name_en", F_STR, PR(name_en), 0, 0, NULL, 1},
	{"warranty_months", F_INT, PR(warranty_months), 0, 36, NULL, 1},
	{"keywords", F_LIST, PR(keywords), 0, 0, NULL, 0},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field exclusion_fields[] = {
	{"reason_es", F_STR, EX(reason_es), 0, 0, NULL, 1},
	{"reason_en", F_STR, EX(reason_en), 0, 0, NULL, 1},
	{"offer_es", F_STR, EX(offer_es), 0, 0, NULL, 0},
	{"offer_en", F_STR, EX(offer_en), 0, 0, NULL, 0},
	{"examples", F_LIST, EX(examples), 0, 0, NULL, 0},
	{"keywords", F_LIST, EX(keywords), 0, 0, NULL, 0},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field triage_fields[] = {
	{"confidence_percent", F_INT, P(triage_confidence_percent), 0, 100, NULL,
	 0},
	{"seed_weight", F_INT, P(triage_seed_weight), 1, 100, NULL, 0},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field triage_category_fields[] = {
	{"description_es", F_STR, TC(description_es), 0, 0, NULL, 1},
	{"description_en", F_STR, TC(description_en), 0, 0, NULL, 1},
	{"keywords", F_LIST, TC(keywords), 0, 0, NULL, 0},
	{"severity", F_INT, TC(severity), 0, POLICY_SEVERITIES, NULL, 0},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field closure_fields[] = {
	{"contact_attempts", F_INT, P(contact_attempts), 1, 10, NULL, 1},
	{"attempt_wait_hours", F_HOURS_S, P(attempt_wait_s), 1, 400, NULL, 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field limits_fields[] = {
	{"max_message_bytes", F_BYTES, P(max_message_bytes), 1024,
	 1024LL * 1024 * 1024, NULL, 1},
	{"max_attachment_bytes", F_BYTES, P(max_attachment_bytes), 1024,
	 1024LL * 1024 * 1024, NULL, 1},
	{"max_outbound_bytes", F_BYTES, P(max_outbound_bytes), 1024,
	 1024LL * 1024 * 1024, NULL, 0},
	{"upload_keep_hours", F_HOURS_S, P(upload_keep_s), 1, 8760, NULL, 0},
	{"max_secrets_per_ticket", F_INT, P(max_secrets_per_ticket), 1, 100000,
	 NULL, 0},
	{"max_attachments_per_ticket", F_INT, P(max_attachments_per_ticket), 1,
	 100000, NULL, 0},
	{"max_notes_per_ticket", F_INT, P(max_notes_per_ticket), 1, 100000, NULL,
	 0},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};


/* A section kind: its name (prefix before the dot for keyed sections),
 * whether it takes a ".key" suffix, its keys, and whether the file must
 * have it. */
const struct sect_def pf_sect_defs[S_COUNT] = {
	[S_POLICY] = {"policy", 0, policy_fields, 1},
	[S_CONTACT] = {"contact", 0, contact_fields, 1},
	[S_SCHEDULE] = {"schedule", 0, schedule_fields, 1},
	[S_SLA] = {"sla", 0, sla_fields, 1},
	[S_SEVERITY] = {"severity", 1, severity_fields, 1},
	[S_PLAN] = {"plan", 1, plan_fields, 1},
	[S_HOUR_BANK] = {"hour_bank", 0, hour_bank_fields, 1},
	[S_WARRANTY] = {"warranty", 0, warranty_fields, 1},
	[S_PRODUCT] = {"product", 1, product_fields, 1},
	[S_EXCLUSION] = {"exclusion", 1, exclusion_fields, 0},
	[S_CLOSURE] = {"closure", 0, closure_fields, 1},
	[S_LIMITS] = {"limits", 0, limits_fields, 1},
	[S_TRIAGE] = {"triage", 0, triage_fields, 0},
	[S_TRIAGE_CATEGORY] = {"triage", 1, triage_category_fields, 0},
};
