/*
 * policy_version.h - the policy versions a desk has run under (R12).
 *
 * policy_version_ensure() returns the id of the stored version whose
 * fingerprint is the policy's, storing it first when it is new (with its
 * canonical JSON as the source). *is_new says whether it was new, so the
 * caller can produce the clients to notify. Run inside the caller's
 * transaction.
 */
#ifndef SOPORTE_APP_POLICY_VERSION_H
#define SOPORTE_APP_POLICY_VERSION_H

#include "core/policy.h"
#include "store/store.h"

#include <stdint.h>

enum store_rc policy_version_ensure(struct store *db, const struct policy *p,
                                    int64_t now, int64_t *id, int *is_new);

#endif
