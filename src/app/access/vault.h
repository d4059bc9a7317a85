/*
 * vault.h - the credential vault (R11): secrets encrypted at rest.
 *
 * A secret (TeamViewer ID, an admin password) belongs to a ticket or to
 * a product. Its value is sealed with libsodium's crypto_secretbox (XSalsa20
 * + Poly1305) under the installation key, with a fresh random nonce; the
 * store holds only nonce and ciphertext. The key is 32 random bytes in a
 * key file created at first start with mode 0600. Labels are plain text
 * (they name a secret, never hold it).
 *
 * Reveals are audited ("secret.reveal": who, which secret, never the
 * value) in the same transaction that reads it. Who may reveal is not
 * decided here but by authz_decide() (assigned consultant, project
 * managers). Values never go to logs, mail, exports or the search index.
 *
 * SECURITY: values and labels come from requests (untrusted): bound as
 * parameters, values only encrypted; the key file is trusted only when it
 * is a regular file of exactly 32 bytes not readable by group or others.
 */
#ifndef SOPORTE_APP_VAULT_H
#define SOPORTE_APP_VAULT_H

#include "app/base/audit.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define VAULT_KEY_BYTES 32
#define VAULT_VALUE_MAX 4096

struct vault {
	unsigned char key[VAULT_KEY_BYTES];
};

enum vault_rc {
	VAULT_OK = 0,
	VAULT_EIO,        /* cannot read or create the key file */
	VAULT_EPERM,      /* the key file is readable by others */
	VAULT_EFORMAT,    /* not 32 bytes */
	VAULT_ESTORE,     /* the database refused (rotation): nothing changed */
};

/* Loads the key from path, creating it (0600, 32 random bytes) when it
 * does not exist. err receives one line on failure. */
enum vault_rc vault_open(const char *path, struct vault *v, char *err,
                         size_t errlen);
/* Wipes the key from memory. */
void vault_close(struct vault *v);

/* The key file's fingerprint in hex: 16 bytes of BLAKE2b over a fixed
 * label and the key. It names the key (a backup records it, a restore
 * compares it) and tells nothing of it. A missing key file is VAULT_EIO
 * and is not created. */
#define VAULT_FP_HEX 33
enum vault_rc vault_fingerprint(const char *path, char out[VAULT_FP_HEX],
                                char *err, size_t errlen);

/* Where a secret lives and who owns that: for authz. */
struct secret_owner {
	int64_t ticket_id, product_id;
	int64_t client_id;      /* the ticket's or product's organization */
	int64_t assignee_id;    /* the ticket's consultant (0 for products) */
};

/* Seals value and stores it on ticket_id or product_id (one > 0). When
 * that ticket or product holds limit secrets already (the policy's
 * max_secrets_per_ticket; 0: no limit), nothing is stored, *full is set
 * and STORE_CONSTRAINT says so (app/base/ticket_caps.h). */
enum store_rc secret_add(struct store *db, const struct vault *v,
                         int64_t ticket_id, int64_t product_id,
                         const char *label, const char *value,
                         struct actor who, int64_t now, int limit, int *full,
                         int64_t *id);
/* The secrets of a ticket or product (id, label, created_at): no values;
 * in id order, those after after_id, up to limit. */
enum store_rc secret_list_json(struct store *db, int64_t ticket_id,
                               int64_t product_id, int64_t after_id, int limit,
                               json_t **out);
/* STORE_NOTFOUND when there is no such secret. */
enum store_rc secret_owner_get(struct store *db, int64_t id,
                               struct secret_owner *o);
/* Opens secret id and records the reveal; *value is malloc'd (the
 * caller wipes and frees it with secret_value_free). */
enum store_rc secret_reveal(struct store *db, const struct vault *v,
                            int64_t id, struct actor who, int64_t now,
                            char **value, char **label);
void secret_value_free(char *value);

/* Deletes secret id and records "secret.delete" (who, which, the label)
 * in one transaction; STORE_NOTFOUND when there is no such secret. The
 * ciphertext is gone, not kept aside: SQLite overwrites freed space
 * (secure_delete), PostgreSQL's dead row is vacuumed right after. */
enum store_rc secret_delete(struct store *db, int64_t id, struct actor who,
                            int64_t now);

/*
 * Key rotation: every secret re-sealed under a new key, all or nothing.
 *   1. the key in force is copied to PATH.old (0600): the backup;
 *   2. a new key is written to PATH.new (0600, synced);
 *   3. one transaction opens every secret with the old key, seals it with
 *      the new one (fresh nonce) and records "vault.rotate";
 *   4. after the commit PATH.new replaces PATH (rename), then PATH.old
 *      goes. Before the commit any failure removes PATH.new and PATH.old
 *      and leaves PATH and the database as they were.
 * A leftover PATH.old or PATH.new (a crash in between) is refused until
 * the operator looks (docs/operations.md says how). *count receives the
 * number of secrets re-sealed. The server keeps its key in memory: restart
 * it after a rotation (or rotate with it stopped).
 */
enum vault_rc vault_rotate(const char *path, struct store *db,
                           struct actor who, int64_t now, int64_t *count,
                           char *err, size_t errlen);

#endif
