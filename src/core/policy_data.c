/*
 * policy_data.c - small lookups over struct policy (pure).
 */
#include "core/policy.h"

#include <string.h>

const char *const plan_kind_names[PLAN_KIND_COUNT + 1] = {
	[PLAN_PER_EVENT] = "per_event",
	[PLAN_BASIC] = "basic",
	[PLAN_ENTERPRISE] = "enterprise",
	[PLAN_KIND_COUNT] = NULL,
};

const char *
plan_kind_name(enum plan_kind k)
{
	return (unsigned)k < PLAN_KIND_COUNT ? plan_kind_names[k] : "unknown";
}

int
plan_kind_parse(const char *s)
{
	for (int i = 0; i < PLAN_KIND_COUNT; i++)
		if (strcmp(plan_kind_names[i], s) == 0)
			return i;
	return -1;
}

const struct policy_plan *
policy_plan_of(const struct policy *p, enum plan_kind kind)
{
	for (int i = 0; i < p->nplans; i++)
		if (p->plans[i].kind == kind)
			return &p->plans[i];
	return NULL;
}

const struct policy_plan *
policy_plan_find(const struct policy *p, const char *key)
{
	for (int i = 0; i < p->nplans; i++)
		if (strcmp(p->plans[i].key, key) == 0)
			return &p->plans[i];
	return NULL;
}

int64_t
policy_response_s(const struct policy *p, int severity)
{
	if (severity < 1 || severity > POLICY_SEVERITIES)
		return -1;
	return p->severity[severity - 1].response_s;
}

const struct policy_product_type *
policy_product_type_find(const struct policy *p, const char *key)
{
	for (int i = 0; i < p->nproduct_types; i++)
		if (strcmp(p->product_types[i].key, key) == 0)
			return &p->product_types[i];
	return NULL;
}

const struct policy_exclusion *
policy_exclusion_find(const struct policy *p, enum exclusion_kind kind)
{
	for (int i = 0; i < p->nexclusions; i++)
		if (p->exclusions[i].kind == kind)
			return &p->exclusions[i];
	return NULL;
}
