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

#include <jansson.h>
#include <stdint.h>

struct calendar;

enum store_rc policy_version_ensure(struct store *db, const struct policy *p,
                                    int64_t now, int64_t *id, int *is_new);

/* The stored versions, newest first (those below before_id when > 0, up
 * to limit), as a JSON array of {id, version,
 * effective_from, fingerprint, loaded_at, notified_at, tickets,
 * in_force}; in_force marks the one whose fingerprint is in_force's
 * (the policy the server runs; NULL: none marked). */
enum store_rc policy_versions_json(struct store *db, const struct calendar *cal,
                                   const struct policy *in_force,
                                   int64_t before_id, int limit, json_t **out);

#endif
