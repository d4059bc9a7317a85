/*
 * outbound.c - the outbound mail queue (see outbound.h).
 */
#include "app/base/outbound.h"
#include "app/base/desk_key.h"
#include "mail/reply_token.h"
#include "mail/compose.h"
#include "mail/dkim.h"
#include "mail/smtp.h"
#include "util/log.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int64_t backoff_s[OUTBOUND_MAX_ATTEMPTS] = {
	60, 300, 900, 1800, 3600, 7200, 14400, 28800, 43200, 86400,
};

/* A sender holds a claimed message this long before another may retry. */
#define CLAIM_S 600

/* The installation's DKIM key (outbound_use_dkim), or NULL: unsigned. */
static const struct dkim_key *signing_key;

void
outbound_use_dkim(const struct dkim_key *key)
{
	signing_key = key;
}

/* The kinds whose words a person wrote (a consultant's reply, request,
 * contact attempt, solution or closing reason): no Auto-Submitted. */
static const char *const personal_kinds[] = {
	"reply", "info_request", "attempt", "solution", "closed_excluded",
	"closed_duplicate", NULL,
};

/* The Auto-Submitted value of mail of kind (NULL: a person wrote it);
 * in_reply: the mail answers a message. */
static const char *
auto_submitted(const char *kind, int in_reply)
{
	for (int i = 0; personal_kinds[i]; i++)
		if (kind && strcmp(kind, personal_kinds[i]) == 0)
			return NULL;
	return in_reply ? "auto-replied" : "auto-generated";
}

/* token: the ticket's reply token (mail/reply_token.h), "" for none. */
static void
make_msgid(const struct policy *pol, const char *kind, int64_t number,
           const char *token, char out[OUTBOUND_MSGID_MAX])
{
	unsigned char rnd[6];
	char hex[13];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	const char *at = strrchr(pol->support_address, '@');
	int local = at ? (int)(at - pol->support_address) : 0;
	const char *domain = at ? at + 1 : "localhost";
	const char *dot = *token ? "." : "";
	if (number > 0)
		snprintf(out, OUTBOUND_MSGID_MAX, "%.20s-%06lld.%s%s%s@%.*s.%s", kind,
		         (long long)number, hex, dot, token, local,
		         pol->support_address, domain);
	else
		snprintf(out, OUTBOUND_MSGID_MAX, "%.20s.%s%s%s@%.*s.%s", kind, hex,
		         dot, token, local, pol->support_address, domain);
}

enum store_rc
outbound_queue(struct store *db, const struct policy *pol,
               const struct outbound_new *m, int64_t now,
               char msgid[OUTBOUND_MSGID_MAX])
{
	char id[OUTBOUND_MSGID_MAX];
	if (sodium_init() < 0)
		return store_fail(db, STORE_ERROR, "libsodium cannot start");
	char token[REPLY_TOKEN_SIZE] = "";
	if (m->ticket_id > 0) {
		unsigned char key[DESK_KEY_BYTES];
		enum store_rc rc = desk_key_get(db, "reply_token", 1, now, key);
		if (rc != STORE_OK)
			return rc;
		int made = reply_token_make(key, m->ticket_id, token);
		sodium_memzero(key, sizeof key);
		if (made != 0)
			return store_fail(db, STORE_ERROR, "libsodium cannot start");
	}
	make_msgid(pol, m->kind, m->ticket_number, token, id);
	if (msgid)
		memcpy(msgid, id, sizeof id);
	return store_exec(db,
	                  "INSERT INTO outbound_mail (ticket_id, kind, to_addr, "
	                  "subject, body_text, message_id, in_reply_to, refs, "
	                  "next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, "
	                  "$6, $7, $8, $9, $9)",
	                  STORE_PARAMS(SP_ID(m->ticket_id), SP_T(m->kind),
	                               SP_T(m->to), SP_T(m->subject), SP_T(m->body),
	                               SP_T(id), SP_T(m->in_reply_to),
	                               SP_T(m->references), SP_I(now)));
}

struct queued {
	int64_t id;
	int attempts;
	char *kind, *to, *subject, *body, *msgid, *irt, *refs;
	int64_t attach_message_id;   /* 0: no files */
	struct outgoing_file *files;
	size_t nfiles;
};

static void
queued_free(struct queued *q)
{
	free(q->kind);
	free(q->to);
	free(q->subject);
	free(q->body);
	free(q->msgid);
	free(q->irt);
	free(q->refs);
	for (size_t i = 0; i < q->nfiles; i++) {
		free((char *)q->files[i].filename);
		free((char *)q->files[i].content_type);
		free((void *)q->files[i].data);
	}
	free(q->files);
}

/* Appends the files of rows r (filename, content type, bytes) to q. */
static enum store_rc
files_append(struct store *db, struct store_rows *r, struct queued *q)
{
	enum store_rc rc;
	while ((rc = store_next(r)) == STORE_ROW) {
		size_t len;
		const void *bytes = store_blob(r, 2, &len);
		struct outgoing_file *nf =
		    realloc(q->files, (q->nfiles + 1) * sizeof *nf);
		void *copy = malloc(len ? len : 1);
		if (nf == NULL || copy == NULL) {
			free(copy);
			if (nf)
				q->files = nf;
			rc = store_fail(db, STORE_ERROR, "out of memory");
			break;
		}
		q->files = nf;
		if (len)
			memcpy(copy, bytes, len);
		q->files[q->nfiles++] = (struct outgoing_file){
			strdup(store_text(r, 0)), strdup(store_text(r, 1)), copy, len};
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

/* The kept files of the message the mail carries (a reply's uploads),
 * then the mail's own (outbound_attach()). */
static enum store_rc
load_files(struct store *db, struct queued *q)
{
	struct store_rows *r;
	enum store_rc rc = STORE_OK;
	if (q->attach_message_id != 0) {
		rc = store_query(
		    db,
		    "SELECT a.filename, a.content_type, b.bytes FROM attachments a "
		    "JOIN blobs b ON b.sha256 = a.sha256 WHERE a.message_id = $1 "
		    "ORDER BY a.id",
		    STORE_PARAMS(SP_I(q->attach_message_id)), &r);
		if (rc == STORE_OK)
			rc = files_append(db, r, q);
	}
	if (rc == STORE_OK)
		rc = store_query(db,
		                 "SELECT f.filename, f.content_type, b.bytes FROM "
		                 "outbound_files f JOIN blobs b ON b.sha256 = f.sha256 "
		                 "WHERE f.outbound_id = $1 ORDER BY f.id",
		                 STORE_PARAMS(SP_I(q->id)), &r);
	if (rc == STORE_OK)
		rc = files_append(db, r, q);
	return rc;
}

enum store_rc
outbound_attach(struct store *db, const char *msgid, const char *filename,
                const char *content_type, const char *sha256)
{
	return store_exec(db,
	                  "INSERT INTO outbound_files (outbound_id, filename, "
	                  "content_type, sha256) SELECT id, $2, $3, $4 FROM "
	                  "outbound_mail WHERE message_id = $1",
	                  STORE_PARAMS(SP_T(msgid), SP_T(filename),
	                               SP_T(content_type), SP_T(sha256)));
}

/* Outbound mail row id into q, its files too; STORE_NOTFOUND when there
 * is no such row. */
static enum store_rc
load_queued(struct store *db, int64_t id, struct queued *q)
{
	struct store_rows *r;
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT attempts, to_addr, subject, body_text, message_id, "
	    "in_reply_to, refs, attach_message_id, kind FROM outbound_mail "
	    "WHERE id = $1",
	    STORE_PARAMS(SP_I(id)), &r);
	if (rc != STORE_OK)
		return rc;
	q->id = id;
	q->attempts = (int)store_int(r, 0);
	q->to = strdup(store_text(r, 1));
	q->subject = strdup(store_text(r, 2));
	q->body = strdup(store_text(r, 3));
	q->msgid = strdup(store_text(r, 4));
	q->irt = store_isnull(r, 5) ? NULL : strdup(store_text(r, 5));
	q->refs = store_isnull(r, 6) ? NULL : strdup(store_text(r, 6));
	q->attach_message_id = store_isnull(r, 7) ? 0 : store_int(r, 7);
	q->kind = strdup(store_text(r, 8));
	store_done(r);
	return load_files(db, q);
}

/* Claims one due message: STORE_OK with q filled, STORE_NOTFOUND when
 * nothing is due (or another sender took it first). */
static enum store_rc
claim_next(struct store *db, int64_t now, struct queued *q)
{
	int64_t id = 0;
	enum store_rc rc = store_get_int(
	    db,
	    "UPDATE outbound_mail SET next_attempt_at = $2 WHERE id = "
	    "(SELECT id FROM outbound_mail WHERE state = 'queued' AND "
	    "next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT 1) "
	    "AND state = 'queued' AND next_attempt_at <= $1 RETURNING id",
	    STORE_PARAMS(SP_I(now), SP_I(now + CLAIM_S)), &id);
	return rc == STORE_OK ? load_queued(db, id, q) : rc;
}

/* The message q becomes at now, as RFC 5322 text (malloc'd), signed
 * when the installation has a DKIM key, or NULL with err set when an
 * address or Message-ID is not valid or the signature fails. */
static char *
compose_queued(const struct policy *pol, const struct queued *q, int64_t now,
               char *err, size_t errlen)
{
	char reply_to[320];
	struct outgoing o = {
		.from_name = pol->name,
		.from_addr = pol->support_address,
		.to_addr = q->to,
		.subject = q->subject,
		.body_text = q->body,
		.message_id = q->msgid,
		.in_reply_to = q->irt,
		.references = q->refs,
		.reply_to = reply_token_address(pol->support_address, q->msgid,
		                                reply_to, sizeof reply_to) == 0
		                ? reply_to
		                : NULL,
		.auto_submitted = auto_submitted(q->kind, q->irt != NULL),
		.date = now,
		.files = q->files,
		.nfiles = q->nfiles,
	};
	char *text = compose_message(&o);
	if (text == NULL) {
		snprintf(err, errlen, "cannot compose: bad address or Message-ID");
		return NULL;
	}
	if (signing_key == NULL)
		return text;
	char why[256];
	char *signed_text = dkim_sign_message(signing_key, text, strlen(text),
	                                      why, sizeof why);
	free(text);
	if (signed_text == NULL)
		snprintf(err, errlen, "cannot sign (DKIM): %s", why);
	return signed_text;
}

enum store_rc
outbound_size(struct store *db, const struct policy *pol, const char *msgid,
              int64_t now, size_t *size)
{
	struct queued q = {0};
	int64_t id = 0;
	*size = 0;
	enum store_rc rc = store_get_int(db,
	                                 "SELECT id FROM outbound_mail WHERE "
	                                 "message_id = $1",
	                                 STORE_PARAMS(SP_T(msgid)), &id);
	if (rc == STORE_OK)
		rc = load_queued(db, id, &q);
	if (rc == STORE_OK) {
		char err[300];
		char *text = compose_queued(pol, &q, now, err, sizeof err);
		if (text == NULL)
			rc = store_fail(db, STORE_ERROR, "mail %s: %s", msgid, err);
		else
			*size = strlen(text);
		free(text);
	}
	queued_free(&q);
	return rc;
}

enum store_rc
outbound_send_due(struct store *db, const struct policy *pol,
                  const char *smtp_url, int64_t now, int max,
                  struct outbound_stats *stats)
{
	memset(stats, 0, sizeof *stats);
	static int told;   /* once per process: the setting does not change */
	const char *at = strrchr(pol->support_address, '@');
	if (signing_key && at && !dkim_key_aligned(signing_key, at + 1) && !told) {
		told = 1;
		log_warn("outbound: the [dkim] domain does not match the support "
		         "address %s: receivers' DMARC checks will fail",
		         pol->support_address);
	}
	for (int i = 0; i < max; i++) {
		struct queued q = {0};
		enum store_rc rc = claim_next(db, now, &q);
		if (rc == STORE_NOTFOUND)
			break;
		if (rc != STORE_OK) {
			queued_free(&q);
			return rc;
		}
		char err[512];
		enum smtp_rc sent = SMTP_PERMFAIL;
		char *text = compose_queued(pol, &q, now, err, sizeof err);
		if (text != NULL)
			sent = smtp_send(smtp_url, pol->support_address, q.to, text,
			                 strlen(text), err, sizeof err);
		free(text);
		int attempts = q.attempts + 1;
		if (sent == SMTP_OK) {
			rc = store_exec(db,
			                "UPDATE outbound_mail SET state = 'sent', "
			                "attempts = $2, sent_at = $3, last_error = NULL "
			                "WHERE id = $1",
			                STORE_PARAMS(SP_I(q.id), SP_I(attempts), SP_I(now)));
			stats->sent++;
		} else if (sent == SMTP_TEMPFAIL && attempts < OUTBOUND_MAX_ATTEMPTS) {
			rc = store_exec(db,
			                "UPDATE outbound_mail SET attempts = $2, "
			                "next_attempt_at = $3, last_error = $4 WHERE id = $1",
			                STORE_PARAMS(SP_I(q.id), SP_I(attempts),
			                             SP_I(now + backoff_s[attempts - 1]),
			                             SP_T(err)));
			stats->retried++;
			log_warn("outbound: mail %lld to %s: %s (will retry)",
			         (long long)q.id, q.to, err);
		} else {
			rc = store_exec(db,
			                "UPDATE outbound_mail SET state = 'failed', "
			                "attempts = $2, last_error = $3 WHERE id = $1",
			                STORE_PARAMS(SP_I(q.id), SP_I(attempts), SP_T(err)));
			stats->failed++;
			log_warn("outbound: mail %lld to %s failed for good: %s",
			         (long long)q.id, q.to, err);
		}
		queued_free(&q);
		if (rc != STORE_OK)
			return rc;
		if (sent == SMTP_TEMPFAIL)
			break;   /* the server is unwell: leave the rest for later */
	}
	return STORE_OK;
}

enum store_rc
outbound_list(struct store *db, const char *state, outbound_row_fn *fn,
              void *arg)
{
	struct store_rows *r;
	enum store_rc rc = store_query(
	    db,
	    "SELECT id, state, attempts, kind, to_addr, subject FROM outbound_mail "
	    "WHERE $1 = '' OR state = $1 ORDER BY id",
	    STORE_PARAMS(SP_T(state)), &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW) {
		struct outbound_row row = {
			store_int(r, 0), store_text(r, 1), store_int(r, 2),
			store_text(r, 3), store_text(r, 4), store_text(r, 5),
		};
		fn(&row, arg);
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}
