/*
 * policy_json.h - a stored policy version read back (R12).
 *
 * Each stored version keeps its canonical JSON (policy_canonical(), the
 * `source` of policy_versions). policy_from_canonical() reads back the
 * parts a client is told about when the policy changes (policy_diff():
 * labels and effective date, severities' names and targets, plans and
 * their hours, the weekly business windows, contact attempts); the
 * other fields are left zero, so the result is for comparing, not for
 * running a desk.
 */
#ifndef SOPORTE_APP_POLICY_JSON_H
#define SOPORTE_APP_POLICY_JSON_H

#include "core/policy.h"

/* Returns 0, or -1 when text is not a policy's canonical JSON. */
int policy_from_canonical(const char *text, struct policy *out);

#endif
