/*
 * policy_notify.h - policy versions and telling clients of a change (R12).
 *
 * "La Empresa se reserva el derecho de modificar las Políticas ... y de
 * comunicarlo a los Clientes." The desk records every policy it runs
 * under by its fingerprint (policy_version.h); each ticket keeps the
 * version it was opened under (ticket_open()). When the policy file
 * changes:
 *   policy_record()        stores the loaded policy as a version (a no-op
 *                          when its fingerprint is known), with an audit
 *                          event when it is new;
 *   policy_notify_json()   the clients to tell: those with a contract
 *                          valid today or with open tickets, with their
 *                          contacts' addresses and whether they were told
 *                          of this version already;
 *   policy_notify_queue()  queues the notice (templates/LANG/
 *                          policy_change.txt) to every contact of each
 *                          client not yet told of this version, once: a
 *                          second run queues nothing, and neither does
 *                          the desk's first version (nothing changed).
 * today is the civil day in the policy's time zone.
 */
#ifndef SOPORTE_APP_POLICY_NOTIFY_H
#define SOPORTE_APP_POLICY_NOTIFY_H

#include "app/base/app_rc.h"
#include "core/policy.h"
#include "core/policy_diff.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum app_rc policy_record(struct store *db, const struct policy *pol,
                          int64_t now, int64_t *version_id, int *is_new);

/* An object {policy_version_id, version, fingerprint, previous_version,
 * clients: [{client_domain, client_name, language, valid_contract,
 * open_tickets, contacts: [email...], notified}]}. Records the version
 * first when it is new. */
enum app_rc policy_notify_json(struct store *db, const struct policy *pol,
                               int64_t today, int64_t now, json_t **out);

/* What changed (policy_diff()) as the notice lists it in lang, one line
 * each (templates/LANG/policy_change.lines), into *out (malloc'd, no
 * final newline). Returns 0, or -1 with the reason in err. */
int policy_changes_text(const char *lang, const struct policy_diff *d,
                        char **out, char *err, size_t errlen);

/* Renders the notice of pol to one contact (templates/LANG/
 * policy_change.txt) into *subject and *body (malloc'd): changes is the
 * list of what changed (one line each, worded by templates/LANG/
 * policy_change.lines), the effective date is shown as dd/mm/aaaa.
 * Returns 0, or -1 with the reason in err. */
int policy_change_render(const struct policy *pol, const char *lang,
                         const char *contact_name, const char *client_name,
                         const char *changes, char **subject, char **body,
                         char *err, size_t errlen);

/* Queues the notices; *clients and *mails (may be NULL) get how many. */
enum app_rc policy_notify_queue(struct store *db, const struct policy *pol,
                                int64_t today, int64_t now, int *clients,
                                int *mails);

#endif
