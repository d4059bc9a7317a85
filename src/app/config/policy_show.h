/*
 * policy_show.h - the effective policy as JSON or readable text.
 *
 * policy_to_json() is the one place that lists every field, so the
 * canonical form (and with it the R12 fingerprint) and `soporte policy
 * show` cannot drift apart.
 */
#ifndef SOPORTE_APP_POLICY_SHOW_H
#define SOPORTE_APP_POLICY_SHOW_H

#include "core/policy.h"

#include <jansson.h>
#include <stdio.h>

/* Returns a new JSON object (caller json_decref()s it), or NULL when out
 * of memory. with_fingerprint adds the "fingerprint" member. */
json_t *policy_to_json(const struct policy *p, int with_fingerprint);

/* Returns the canonical text of p: compact JSON, keys sorted, without the
 * fingerprint. Caller free()s it; NULL when out of memory. */
char *policy_canonical(const struct policy *p);

/* Writes p for people (Spanish names with English after them). */
void policy_print_text(const struct policy *p, FILE *f);

/* Return the name of a plan period or a rounding mode. */
const char *policy_period_name(enum plan_period period);
const char *policy_rounding_name(enum rounding_mode mode);

#endif
