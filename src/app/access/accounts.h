/*
 * accounts.h - user accounts as the API and `soporte user` see them.
 *
 * Creation goes through user_create() (users.h: Argon2id hashing); this
 * adds listing, reading, editing (name, role, organization, on duty,
 * active, password) and the audit events. A password change or a
 * deactivation ends the account's sessions at once.
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
/* Creates an account from a user_new; audit "user.create". */
enum store_rc account_create(struct store *db, const struct user_new *u,
                             struct actor who, int64_t now, int64_t *id);
/* Applies the keys "name", "role", "client_id", "on_duty", "active" and
 * "password" present in in (types already checked). STORE_CONSTRAINT
 * with a message for a combination the schema refuses. */
enum store_rc account_update(struct store *db, int64_t id, json_t *in,
                             struct actor who, int64_t now);
/* The id of the account with this e-mail (any case); STORE_NOTFOUND. */
enum store_rc account_id_by_email(struct store *db, const char *email,
                                  int64_t *id);
/* Returns 1 when a password is acceptable (length in bytes). */
int account_password_ok(const char *password);

#endif
