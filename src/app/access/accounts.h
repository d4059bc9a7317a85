/*
 * accounts.h - user accounts as the API and `soporte user` see them.
 *
 * Creation goes through user_create() (users.h: Argon2id hashing); this
 * adds listing, reading, editing (name, role, organization, on duty,
 * active, password) and the audit events. A password change or a
 * deactivation ends the account's sessions at once; a password change
 * also revokes its API tokens unless the caller keeps them
 * ("keep_tokens"). Passwords are checked by password_policy.h; the last
 * active administrator stays one; a client account's contact is one of
 * its own client's.
 *
 * SECURITY: every field is untrusted request or command-line text, bound
 * as a parameter; passwords are hashed and never copied elsewhere (not
 * into audit details).
 */
#ifndef SOPORTE_APP_ACCOUNTS_H
#define SOPORTE_APP_ACCOUNTS_H

#include "app/base/audit.h"
#include "app/access/users.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

#define PASSWORD_MIN 10
#define PASSWORD_MAX 256

enum store_rc account_list_json(struct store *db, int64_t after_id, int limit,
                                json_t **out);
/* STORE_NOTFOUND when there is no user id. */
enum store_rc account_get_json(struct store *db, int64_t id, json_t **out);
/* Why account_create or account_update refused (STORE_CONSTRAINT, the
 * store's message says it in a sentence): a stable code, or NULL for a
 * combination the schema refuses. */
#define ACCOUNT_WEAK_PASSWORD "weak_password"
#define ACCOUNT_LAST_ADMIN "last_admin"
#define ACCOUNT_CONTACT_NOT_OF_CLIENT "contact_not_of_client"

/* Creates an account from a user_new; audit "user.create". *refusal
 * (may be NULL) as above. */
enum store_rc account_create(struct store *db, const struct user_new *u,
                             struct actor who, int64_t now, int64_t *id,
                             const char **refusal);
/* Applies the keys "name", "role", "client_id", "on_duty", "active" and
 * "password" present in in (types already checked); with "password",
 * "keep_tokens": true keeps the account's API tokens (else revoked).
 * STORE_CONSTRAINT with a message for what is refused, *refusal (may be
 * NULL) as above. A client_id change unlinks a contact of the old
 * client. */
enum store_rc account_update(struct store *db, int64_t id, json_t *in,
                             struct actor who, int64_t now,
                             const char **refusal);
/* The id of the account with this e-mail (any case); STORE_NOTFOUND. */
enum store_rc account_id_by_email(struct store *db, const char *email,
                                  int64_t *id);
/* Returns 1 when a password is acceptable (length in bytes). */
int account_password_ok(const char *password);

#endif
