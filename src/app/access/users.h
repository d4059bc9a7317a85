/*
 * users.h - staff and client accounts.
 *
 * Passwords are stored only as Argon2id hashes (libsodium crypto_pwhash_str,
 * interactive limits); user_create() never stores the password itself.
 * Roles are the five of DESIGN.md; a client account belongs to one client.
 */
#ifndef SOPORTE_APP_USERS_H
#define SOPORTE_APP_USERS_H

#include "core/workflow.h"
#include "store/store.h"

#include <stdint.h>

/* An account's role: the workflow's roles but the scheduler's. */
enum user_role {
	ROLE_CLIENT = WF_ROLE_CLIENT,
	ROLE_CONSULTANT = WF_ROLE_CONSULTANT,
	ROLE_PROJECT_MANAGER = WF_ROLE_PM,
	ROLE_RENEWALS = WF_ROLE_RENEWALS,
	ROLE_ADMIN = WF_ROLE_ADMIN,
	ROLE_COUNT = WF_ROLE_SYSTEM
};

/* Name <-> enum (wf_person_role_names): "client", "consultant",
 * "project_manager", "renewals", "admin". role_parse returns -1 for
 * anything else. */
const char *role_name(enum user_role r);
int role_parse(const char *s);

struct user_new {
	const char *email;
	const char *name;
	enum user_role role;
	int64_t client_id;    /* required for ROLE_CLIENT, else 0 */
	int64_t contact_id;   /* the client contact this account is, or 0 */
	const char *password; /* NULL: no login until one is set */
};

/* Creates the account; STORE_CONSTRAINT when the e-mail is taken. */
enum store_rc user_create(struct store *db, const struct user_new *u,
                          int64_t now, int64_t *id);

/* Hashes a password (Argon2id) into out (crypto_pwhash_STRBYTES bytes).
 * Returns 0, or -1 when out of memory. */
int password_hash(const char *password, char *out, size_t outlen);
/* Returns 1 when password matches the stored hash, else 0. */
int password_check(const char *hash, const char *password);

#endif
