/*
 * vault.c - sealed credentials (see vault.h).
 *
 * SECURITY: the value is untrusted input and a secret: it is only ever
 * encrypted, never copied into audit details, logs or errors.
 */
#include "app/access/vault.h"
#include "app/base/ticket_caps.h"
#include "app/base/json_rows.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Writes key to a new file at path (0600, synced); an existing file is
 * an error, never overwritten. */
static enum vault_rc
key_write(const char *path, const unsigned char *key, char *err,
          size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "key file %s: cannot create: %s", path,
		         strerror(errno));
		return VAULT_EIO;
	}
	ssize_t n = write(fd, key, VAULT_KEY_BYTES);
	int ok = n == VAULT_KEY_BYTES && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = 0;
	if (!ok) {
		unlink(path);
		snprintf(err, errlen, "key file %s: cannot write", path);
		return VAULT_EIO;
	}
	return VAULT_OK;
}

static enum vault_rc
key_create(const char *path, struct vault *v, char *err, size_t errlen)
{
	randombytes_buf(v->key, sizeof v->key);
	enum vault_rc rc = key_write(path, v->key, err, errlen);
	if (rc != VAULT_OK)
		sodium_memzero(v->key, sizeof v->key);
	return rc;
}

enum vault_rc
vault_open(const char *path, struct vault *v, char *err, size_t errlen)
{
	enum vault_rc out = VAULT_OK;
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to start");
		return VAULT_EIO;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return key_create(path, v, err, errlen);
	if (fd < 0) {
		snprintf(err, errlen, "key file %s: %s", path, strerror(errno));
		return VAULT_EIO;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "key file %s: not a regular file", path);
		out = VAULT_EIO;
		goto out;
	}
	if (st.st_mode & 077) {
		snprintf(err, errlen,
		         "key file %s: readable by others (chmod 600 it)", path);
		out = VAULT_EPERM;
		goto out;
	}
	if (st.st_size != VAULT_KEY_BYTES ||
	    read(fd, v->key, sizeof v->key) != (ssize_t)sizeof v->key) {
		snprintf(err, errlen, "key file %s: not a %d-byte key", path,
		         VAULT_KEY_BYTES);
		out = VAULT_EFORMAT;
		goto out;
	}
out:
	close(fd);
	if (out != VAULT_OK)
		sodium_memzero(v->key, sizeof v->key);
	return out;
}

void
vault_close(struct vault *v)
{
	sodium_memzero(v->key, sizeof v->key);
}

enum vault_rc
vault_fingerprint(const char *path, char out[VAULT_FP_HEX], char *err,
                  size_t errlen)
{
	static const char label[] = "soporte vault key fingerprint 1";
	out[0] = '\0';
	if (access(path, F_OK) != 0) {
		snprintf(err, errlen, "key file %s: %s", path, strerror(errno));
		return VAULT_EIO;
	}
	struct vault v;
	enum vault_rc rc = vault_open(path, &v, err, errlen);
	if (rc != VAULT_OK)
		return rc;
	unsigned char fp[(VAULT_FP_HEX - 1) / 2];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof fp);
	crypto_generichash_update(&st, (const unsigned char *)label, sizeof label);
	crypto_generichash_update(&st, v.key, sizeof v.key);
	crypto_generichash_final(&st, fp, sizeof fp);
	vault_close(&v);
	sodium_bin2hex(out, VAULT_FP_HEX, fp, sizeof fp);
	return VAULT_OK;
}

enum store_rc
secret_add(struct store *db, const struct vault *v, int64_t ticket_id,
           int64_t product_id, const char *label, const char *value,
           struct actor who, int64_t now, int limit, int *full, int64_t *id)
{
	unsigned char nonce[crypto_secretbox_NONCEBYTES];
	*full = 0;
	size_t vlen = strlen(value);
	if (vlen == 0 || vlen > VAULT_VALUE_MAX)
		return store_fail(db, STORE_CONSTRAINT,
		                  "a secret holds 1 to %d bytes", VAULT_VALUE_MAX);
	if ((ticket_id > 0) == (product_id > 0))
		return store_fail(db, STORE_CONSTRAINT,
		                  "a secret belongs to a ticket or a product");
	size_t clen = vlen + crypto_secretbox_MACBYTES;
	unsigned char *cipher = malloc(clen);
	if (cipher == NULL)
		return store_fail(db, STORE_ERROR, "out of memory");
	randombytes_buf(nonce, sizeof nonce);
	crypto_secretbox_easy(cipher, (const unsigned char *)value, vlen, nonce,
	                      v->key);
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		goto out;
	rc = ticket_cap_check(db, CAP_SECRETS, ticket_id, product_id, limit, full);
	if (rc == STORE_OK)
		rc = store_get_int(db,
	                   "INSERT INTO secrets (ticket_id, product_id, label, "
	                   "nonce, ciphertext, created_by, created_at) VALUES "
	                   "($1, $2, $3, $4, $5, $6, $7) RETURNING id",
	                   STORE_PARAMS(SP_ID(ticket_id), SP_ID(product_id),
	                                SP_T(label), SP_B(nonce, sizeof nonce),
	                                SP_B(cipher, clen),
	                                who.kind == ACTOR_USER ? SP_ID(who.id)
	                                                       : SP_NULL,
	                                SP_I(now)),
	                   id);
	if (rc == STORE_OK)
		rc = audit_record(db, who, ticket_id, "secret.add",
		                  json_pack("{s:I,s:s}", "secret_id", (json_int_t)*id,
		                            "label", label),
		                  now);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
out:
	free(cipher);
	return rc;
}

enum store_rc
secret_list_json(struct store *db, int64_t ticket_id, int64_t product_id,
                 int64_t after_id, int limit, json_t **out)
{
	static const char *const keys[] = {"#id", "label", "#created_at_s",
	                                   "created_by"};
	return json_rows(
	    db, NULL,
	    "SELECT s.id, s.label, s.created_at, u.name FROM secrets s "
	    "LEFT JOIN users u ON u.id = s.created_by "
	    "WHERE ((s.ticket_id = $1 AND $1 > 0) OR (s.product_id = $2 AND $2 > 0)) "
	    "AND s.id > $3 ORDER BY s.id LIMIT $4",
	    STORE_PARAMS(SP_I(ticket_id), SP_I(product_id), SP_I(after_id),
	                 SP_I(limit)),
	    keys, 4, out);
}

enum store_rc
secret_owner_get(struct store *db, int64_t id, struct secret_owner *o)
{
	struct store_rows *r;
	memset(o, 0, sizeof *o);
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT s.ticket_id, s.product_id, COALESCE(t.client_id, p.client_id), "
	    "t.assignee_id FROM secrets s "
	    "LEFT JOIN tickets t ON t.id = s.ticket_id "
	    "LEFT JOIN products p ON p.id = s.product_id WHERE s.id = $1",
	    STORE_PARAMS(SP_I(id)), &r);
	if (rc != STORE_OK)
		return rc;
	o->ticket_id = store_isnull(r, 0) ? 0 : store_int(r, 0);
	o->product_id = store_isnull(r, 1) ? 0 : store_int(r, 1);
	o->client_id = store_isnull(r, 2) ? 0 : store_int(r, 2);
	o->assignee_id = store_isnull(r, 3) ? 0 : store_int(r, 3);
	store_done(r);
	return STORE_OK;
}

void
secret_value_free(char *value)
{
	if (value) {
		sodium_memzero(value, strlen(value));
		free(value);
	}
}

enum store_rc
secret_reveal(struct store *db, const struct vault *v, int64_t id,
              struct actor who, int64_t now, char **value, char **label)
{
	struct store_rows *r = NULL;
	char *plain = NULL, *lab = NULL;
	int64_t ticket_id = 0;
	size_t plen = 0;
	*value = NULL;
	*label = NULL;
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	rc = store_query_row(db,
	                     "SELECT nonce, ciphertext, label, ticket_id FROM "
	                     "secrets WHERE id = $1",
	                     STORE_PARAMS(SP_I(id)), &r);
	if (rc != STORE_OK)
		goto out;
	size_t nlen, clen;
	const unsigned char *nonce = store_blob(r, 0, &nlen);
	const unsigned char *cipher = store_blob(r, 1, &clen);
	if (nlen != crypto_secretbox_NONCEBYTES ||
	    clen < crypto_secretbox_MACBYTES) {
		rc = store_fail(db, STORE_ERROR, "secret %lld is damaged",
		                (long long)id);
		goto out;
	}
	plen = clen - crypto_secretbox_MACBYTES;
	plain = malloc(plen + 1);
	lab = strdup(store_text(r, 2));
	ticket_id = store_isnull(r, 3) ? 0 : store_int(r, 3);
	if (plain == NULL || lab == NULL) {
		rc = store_fail(db, STORE_ERROR, "out of memory");
		goto out;
	}
	if (crypto_secretbox_open_easy((unsigned char *)plain, cipher, clen, nonce,
	                               v->key) != 0) {
		rc = store_fail(db, STORE_ERROR,
		                "secret %lld does not open with this key file",
		                (long long)id);
		goto out;
	}
	plain[plen] = '\0';
	store_done(r);
	r = NULL;
	rc = audit_record(db, who, ticket_id, "secret.reveal",
	                  json_pack("{s:I,s:s}", "secret_id", (json_int_t)id,
	                            "label", lab),
	                  now);
	if (rc == STORE_OK)
		rc = store_commit(db);
out:
	if (r)
		store_done(r);
	if (rc != STORE_OK) {
		store_rollback(db);
		if (plain) {
			sodium_memzero(plain, plen + 1);
			free(plain);
		}
		free(lab);
		return rc;
	}
	*value = plain;
	*label = lab;
	return STORE_OK;
}

/* Old versions of a deleted or re-sealed row outlive the statement:
 * PostgreSQL keeps them until VACUUM, SQLite in its write-ahead log
 * until a checkpoint (free pages are zeroed by secure_delete). Prune
 * them now, so old ciphertexts do not linger. Best effort: a checkpoint
 * cannot finish while another connection reads; the log is overwritten
 * as it recycles, and a key rotation leaves such copies unreadable. */
static void
purge_old_versions(struct store *db)
{
	struct store_rows *r;
	if (store_engine(db) == STORE_POSTGRESQL) {
		(void)store_exec(db, "VACUUM secrets", STORE_NO_PARAMS);
	} else if (store_query(db, "PRAGMA wal_checkpoint(TRUNCATE)",
	                       STORE_NO_PARAMS, &r) == STORE_OK) {
		while (store_next(r) == STORE_ROW)
			;
		store_done(r);
	}
}

enum store_rc
secret_delete(struct store *db, int64_t id, struct actor who, int64_t now)
{
	struct store_rows *r;
	json_t *detail = NULL;
	int64_t ticket_id = 0;
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	rc = store_query_row(db,
	                     "SELECT label, ticket_id FROM secrets WHERE id = $1",
	                     STORE_PARAMS(SP_I(id)), &r);
	if (rc == STORE_OK) {
		detail = json_pack("{s:I,s:s}", "secret_id", (json_int_t)id, "label",
		                   store_text(r, 0));
		ticket_id = store_isnull(r, 1) ? 0 : store_int(r, 1);
		store_done(r);
	}
	if (rc == STORE_OK)
		rc = store_exec(db, "DELETE FROM secrets WHERE id = $1",
		                STORE_PARAMS(SP_I(id)));
	if (rc == STORE_OK) {
		rc = audit_record(db, who, ticket_id, "secret.delete", detail, now);
		detail = NULL;
	}
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK) {
		json_decref(detail);
		store_rollback(db);
		return rc;
	}
	purge_old_versions(db);
	return STORE_OK;
}

/* One secret sealed again, waiting for its UPDATE. */
struct resealed {
	int64_t id;
	unsigned char nonce[crypto_secretbox_NONCEBYTES];
	unsigned char *cipher;
	size_t clen;
};

/* Opens every secret with from and seals it with to, in one transaction
 * with its audit event; nothing changes unless all of them open. */
static enum store_rc
reseal_all(struct store *db, const struct vault *from, const struct vault *to,
           struct actor who, int64_t now, int64_t *count)
{
	struct store_rows *r = NULL;
	struct resealed *v = NULL;
	size_t n = 0, cap = 0;
	*count = 0;
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	rc = store_query(db, "SELECT id, nonce, ciphertext FROM secrets ORDER BY id",
	                 STORE_NO_PARAMS, &r);
	while (rc == STORE_OK && (rc = store_next(r)) == STORE_ROW) {
		size_t nlen, clen;
		int64_t id = store_int(r, 0);
		const unsigned char *nonce = store_blob(r, 1, &nlen);
		const unsigned char *cipher = store_blob(r, 2, &clen);
		rc = STORE_ERROR;
		if (nlen != crypto_secretbox_NONCEBYTES ||
		    clen < crypto_secretbox_MACBYTES) {
			store_fail(db, rc, "secret %lld is damaged", (long long)id);
			break;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct resealed *nv = realloc(v, ncap * sizeof *nv);
			if (nv == NULL) {
				store_fail(db, rc, "out of memory");
				break;
			}
			v = nv;
			cap = ncap;
		}
		size_t plen = clen - crypto_secretbox_MACBYTES;
		unsigned char *plain = sodium_malloc(plen + 1);
		struct resealed *s = &v[n];
		s->id = id;
		s->clen = clen;
		s->cipher = malloc(clen);
		if (plain == NULL || s->cipher == NULL) {
			sodium_free(plain);
			free(s->cipher);
			store_fail(db, rc, "out of memory");
			break;
		}
		n++;
		if (crypto_secretbox_open_easy(plain, cipher, clen, nonce,
		                               from->key) != 0) {
			sodium_free(plain);
			store_fail(db, rc,
			           "secret %lld does not open with the key in force",
			           (long long)id);
			break;
		}
		randombytes_buf(s->nonce, sizeof s->nonce);
		crypto_secretbox_easy(s->cipher, plain, plen, s->nonce, to->key);
		sodium_free(plain);   /* wipes it */
		rc = STORE_OK;
	}
	if (r)
		store_done(r);
	if (rc == STORE_DONE)
		rc = STORE_OK;
	for (size_t i = 0; i < n && rc == STORE_OK; i++)
		rc = store_exec(db,
		                "UPDATE secrets SET nonce = $2, ciphertext = $3 "
		                "WHERE id = $1",
		                STORE_PARAMS(SP_I(v[i].id),
		                             SP_B(v[i].nonce, sizeof v[i].nonce),
		                             SP_B(v[i].cipher, v[i].clen)));
	if (rc == STORE_OK)
		rc = audit_record(db, who, 0, "vault.rotate",
		                  json_pack("{s:I}", "secrets", (json_int_t)n), now);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
	else
		*count = (int64_t)n;
	for (size_t i = 0; i < n; i++)
		free(v[i].cipher);
	free(v);
	return rc;
}

/* Makes the directory entry of a rename durable. */
static void
sync_dir_of(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

enum vault_rc
vault_rotate(const char *path, struct store *db, struct actor who,
             int64_t now, int64_t *count, char *err, size_t errlen)
{
	char backup[4096], fresh[4096];
	struct vault old, next;
	struct stat st;
	*count = 0;
	if ((size_t)snprintf(backup, sizeof backup, "%s.old", path) >=
	        sizeof backup ||
	    (size_t)snprintf(fresh, sizeof fresh, "%s.new", path) >= sizeof fresh) {
		snprintf(err, errlen, "key file name too long");
		return VAULT_EIO;
	}
	/* Never create a key here: a missing one means a wrong path. */
	if (lstat(path, &st) != 0) {
		snprintf(err, errlen, "key file %s: %s", path, strerror(errno));
		return VAULT_EIO;
	}
	if (lstat(backup, &st) == 0 || lstat(fresh, &st) == 0) {
		snprintf(err, errlen,
		         "%s or %s exists: an earlier rotation did not finish; "
		         "see docs/operations.md before rotating again",
		         backup, fresh);
		return VAULT_EIO;
	}
	enum vault_rc rc = vault_open(path, &old, err, errlen);
	if (rc != VAULT_OK)
		return rc;
	rc = key_write(backup, old.key, err, errlen);
	if (rc == VAULT_OK) {
		rc = key_create(fresh, &next, err, errlen);
		if (rc != VAULT_OK)
			unlink(backup);
	}
	if (rc != VAULT_OK) {
		vault_close(&old);
		return rc;
	}
	enum store_rc src = reseal_all(db, &old, &next, who, now, count);
	vault_close(&old);
	vault_close(&next);
	if (src != STORE_OK) {
		snprintf(err, errlen, "nothing changed: %s", store_errmsg(db));
		unlink(fresh);
		unlink(backup);
		return VAULT_ESTORE;
	}
	purge_old_versions(db);
	if (rename(fresh, path) != 0) {
		snprintf(err, errlen,
		         "the secrets are sealed with the key in %s now, but it "
		         "could not replace %s (%s): rename it by hand; %s is the "
		         "old key", fresh, path, strerror(errno), backup);
		return VAULT_EIO;
	}
	sync_dir_of(path);
	unlink(backup);
	return VAULT_OK;
}
