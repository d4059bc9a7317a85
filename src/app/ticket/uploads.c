/*
 * uploads.c - uploaded files (see uploads.h).
 */
#include "app/ticket/uploads.h"
#include "app/base/ticket_caps.h"
#include "app/base/audit.h"
#include "app/base/blob.h"
#include "util/text.h"
#include "util/sha256.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
upload_filename_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > UPLOAD_NAME_MAX || name[0] == '.' ||
	    !text_is_name(name, UPLOAD_NAME_MAX))
		return 0;
	return strpbrk(name, "/\\") == NULL;
}

/* RFC 2045 token characters. */
static size_t
token_len(const char *s)
{
	size_t n = 0;
	while (s[n] && (isalnum((unsigned char)s[n]) ||
	                strchr("!#$%&'*+-.^_`|~", s[n]) != NULL))
		n++;
	return n;
}

int
upload_type_clean(const char *ct, char out[UPLOAD_TYPE_MAX + 1])
{
	size_t t = token_len(ct);
	if (t == 0 || ct[t] != '/')
		return -1;
	size_t s = token_len(ct + t + 1);
	const char *rest = ct + t + 1 + s;
	if (s == 0 || t + 1 + s > UPLOAD_TYPE_MAX ||
	    (*rest != '\0' && *rest != ';' && *rest != ' '))
		return -1;
	memcpy(out, ct, t + 1 + s);
	out[t + 1 + s] = '\0';
	ascii_lower(out);
	return 0;
}

enum store_rc
upload_store(struct store *db, int64_t ticket_id, int64_t user_id,
             const char *filename, const char *content_type, const void *data,
             size_t len, int64_t now, int limit, int *full, int64_t *id)
{
	char hex[SHA256_HEX_LEN + 1];
	*full = 0;
	sha256_hex(data, len, hex);
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	rc = ticket_cap_check(db, CAP_FILES, ticket_id, 0, limit, full);
	if (rc == STORE_OK)
		rc = blob_put(db, hex, data, len);
	if (rc == STORE_OK)
		rc = store_get_int(db,
		                   "INSERT INTO uploads (ticket_id, user_id, filename, "
		                   "content_type, size, sha256, created_at) VALUES ($1, "
		                   "$2, $3, $4, $5, $6, $7) RETURNING id",
		                   STORE_PARAMS(SP_I(ticket_id), SP_I(user_id),
		                                SP_T(filename), SP_T(content_type),
		                                SP_I((int64_t)len), SP_T(hex), SP_I(now)),
		                   id);
	if (rc == STORE_OK)
		rc = audit_record(db, (struct actor){ACTOR_USER, user_id}, ticket_id,
		                  "attachment.upload",
		                  json_pack("{s:I,s:s,s:I}", "upload_id",
		                            (json_int_t)*id, "filename", filename,
		                            "size", (json_int_t)len),
		                  now);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
	return rc;
}

enum store_rc
uploads_attach(struct store *db, const int64_t *ids, size_t n,
               int64_t ticket_id, int64_t user_id, int64_t message_row)
{
	for (size_t i = 0; i < n; i++) {
		int64_t found = 0;
		enum store_rc rc = store_get_int(
		    db,
		    "SELECT COUNT(*) FROM uploads WHERE id = $1 AND ticket_id = $2 "
		    "AND user_id = $3",
		    STORE_PARAMS(SP_I(ids[i]), SP_I(ticket_id), SP_I(user_id)), &found);
		if (rc != STORE_OK)
			return rc;
		if (found == 0)
			return store_fail(db, STORE_NOTFOUND,
			                  "attachment %lld: no file you uploaded to this "
			                  "ticket (or already attached)",
			                  (long long)ids[i]);
		rc = store_exec(db,
		                "INSERT INTO attachments (message_id, filename, "
		                "content_type, size, sha256) SELECT $2, filename, "
		                "content_type, size, sha256 FROM uploads WHERE id = $1",
		                STORE_PARAMS(SP_I(ids[i]), SP_I(message_row)));
		if (rc == STORE_OK)
			rc = store_exec(db, "DELETE FROM uploads WHERE id = $1",
			                STORE_PARAMS(SP_I(ids[i])));
		if (rc != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

/* An upload to remove. */
struct stale {
	int64_t id, ticket_id;
	char sha256[SHA256_HEX_LEN + 1];
	char *filename;
};

/* Removes upload u unless it was attached or removed meanwhile, says so
 * on its ticket's trail, and its bytes when nothing else names them. */
static enum store_rc
prune_one(struct store *db, const struct stale *u, int64_t now, int *uploads,
          int *blobs)
{
	int64_t gone = 0;
	enum store_rc rc = store_get_int(db,
	                                 "DELETE FROM uploads WHERE id = $1 "
	                                 "RETURNING id",
	                                 STORE_PARAMS(SP_I(u->id)), &gone);
	if (rc != STORE_OK)
		return rc == STORE_NOTFOUND ? STORE_OK : rc;
	(*uploads)++;
	rc = audit_record(db, ACTOR_SYSTEM_INIT, u->ticket_id,
	                  "attachment.upload_pruned",
	                  json_pack("{s:I,s:s}", "upload_id", (json_int_t)u->id,
	                            "filename", u->filename),
	                  now);
	if (rc == STORE_OK)
		rc = store_get_int(db,
		                   "DELETE FROM blobs WHERE sha256 = $1 AND NOT EXISTS "
		                   "(SELECT 1 FROM attachments a WHERE a.sha256 = $1) "
		                   "AND NOT EXISTS (SELECT 1 FROM uploads u WHERE "
		                   "u.sha256 = $1) RETURNING 1",
		                   STORE_PARAMS(SP_T(u->sha256)), &gone);
	if (rc == STORE_OK)
		(*blobs)++;
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

/* The uploads created before `before` into *out (*n of them). */
static enum store_rc
load_stale(struct store *db, int64_t before, struct stale **out, size_t *n)
{
	struct store_rows *r;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	enum store_rc rc = store_query(db,
	                               "SELECT id, ticket_id, sha256, filename "
	                               "FROM uploads WHERE created_at < $1 "
	                               "ORDER BY id",
	                               STORE_PARAMS(SP_I(before)), &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct stale *nv = realloc(*out, ncap * sizeof *nv);
			if (nv == NULL)
				break;
			*out = nv;
			cap = ncap;
		}
		struct stale *u = &(*out)[*n];
		u->id = store_int(r, 0);
		u->ticket_id = store_int(r, 1);
		snprintf(u->sha256, sizeof u->sha256, "%s", store_text(r, 2));
		if ((u->filename = strdup(store_text(r, 3))) == NULL)
			break;
		(*n)++;
	}
	store_done(r);
	if (rc == STORE_ROW)
		return store_fail(db, STORE_ERROR, "out of memory");
	return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc
uploads_prune(struct store *db, int64_t before, int64_t now, int *uploads,
              int *blobs)
{
	struct stale *v;
	size_t n;
	int nu = 0, nb = 0;
	/* Looked for outside a transaction: most runs find nothing and take
	 * no write lock. */
	enum store_rc rc = load_stale(db, before, &v, &n);
	if (rc == STORE_OK && n > 0) {
		rc = store_begin(db, 1);
		for (size_t i = 0; i < n && rc == STORE_OK; i++)
			rc = prune_one(db, &v[i], now, &nu, &nb);
		if (rc == STORE_OK)
			rc = store_commit(db);
		if (rc != STORE_OK) {
			store_rollback(db);
			nu = nb = 0;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].filename);
	free(v);
	if (uploads)
		*uploads = nu;
	if (blobs)
		*blobs = nb;
	return rc;
}
