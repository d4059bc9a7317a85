/*
 * policy_version.h - the policy versions a desk has run under (R12).
 *
 * policy_version_ensure() returns the id of the stored version whose
 * fingerprint is the policy's, storing it first when it is new (with its
 * canonical JSON as the source). *is_new says whether it was new, so the
 * caller can produce the clients to notify. It keeps the version's
 * response targets (R12: the tickets opened under it keep them). Run
 * inside the caller's transaction.
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

/* The version a ticket reported on day (YYYY-MM-DD, the policy's time
 * zone) runs under (R12): of the stored versions effective on or before
 * that day, the latest effective (on a tie the running policy p, else
 * the last recorded); p's own when none is effective yet. Records p
 * first when it is new. *id and targets[] (response target of severity
 * 1..4 in business seconds) get that version's. */
enum store_rc policy_version_in_force(struct store *db, const struct policy *p,
                                      const char *day, int64_t now,
                                      int64_t *id,
                                      int64_t targets[POLICY_SEVERITIES]);

/* The response target of severity 1..4 of ticket_id in the version it
 * runs under, p's when the version has none recorded. */
enum store_rc policy_ticket_target(struct store *db, const struct policy *p,
                                   int64_t ticket_id, int severity,
                                   int64_t *target_s);

/* The stored versions, newest first (those below before_id when > 0, up
 * to limit), as a JSON array of {id, version, effective_from,
 * effective_from_local (dd/mm/aaaa), fingerprint, loaded_at, notified_at,
 * tickets, response_targets_s ([severity 1..4], null when not recorded),
 * in_force, running}: in_force marks the version in force at now (as
 * policy_version_in_force() picks it for a ticket reported then), running
 * the one whose fingerprint is running's (the policy the server runs;
 * NULL: none). */
enum store_rc policy_versions_json(struct store *db, const struct calendar *cal,
                                   const struct policy *running, int64_t now,
                                   int64_t before_id, int limit, json_t **out);

#endif
