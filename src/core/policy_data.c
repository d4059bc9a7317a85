/*
 * policy_data.c - small lookups over struct policy (pure).
 */
#include "core/policy.h"

#include <string.h>

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
