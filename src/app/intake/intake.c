/*
 * intake.c - incoming mail into the desk (see intake.h).
 */
#include "app/intake/intake.h"
#include "app/intake/intake_route.h"
#include "mail/parse.h"
#include "util/log.h"
#include "util/msgid.h"
#include "util/sha256.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
set_result(struct intake_result *res, const char *disposition,
           const char *reason)
{
	snprintf(res->disposition, sizeof res->disposition, "%s", disposition);
	snprintf(res->reason, sizeof res->reason, "%.199s", reason ? reason : "");
}

/* Takes the raw row for routing, inside the open transaction: STORE_OK
 * when it is still 'pending' (and now this transaction's: the write lock
 * on SQLite, the row lock on PostgreSQL), STORE_NOTFOUND when another
 * router got there first (res->disposition says what it decided). */
static enum store_rc
claim(struct store *db, int64_t raw_id, struct intake_result *res)
{
	int64_t id = 0;
	enum store_rc rc = store_get_int(
	    db,
	    "UPDATE raw_messages SET disposition = 'pending' WHERE id = $1 AND "
	    "disposition = 'pending' RETURNING id",
	    STORE_PARAMS(SP_I(raw_id)), &id);
	if (rc == STORE_NOTFOUND) {
		char *d = NULL;
		if (store_get_text(db, "SELECT disposition FROM raw_messages "
		                       "WHERE id = $1",
		                   STORE_PARAMS(SP_I(raw_id)), &d) == STORE_OK)
			set_result(res, d, "already routed");
		free(d);
	}
	return rc;
}

static enum store_rc
mark_failed(struct store *db, int64_t raw_id, const char *why)
{
	return store_exec(db,
	                  "UPDATE raw_messages SET disposition = 'failed', "
	                  "error = $2 WHERE id = $1",
	                  STORE_PARAMS(SP_I(raw_id), SP_T(why)));
}

/* A message made ready for the store outside any transaction (on the
 * batch's second thread, app/intake/intake.h): its key, hash and parse. */
struct prepared {
	char msgid[MSGID_MAX];
	char hex[65];
	struct mail *m;          /* NULL when it cannot be parsed: mrc says */
	enum mail_rc mrc;
};

/* Fills p for raw[0, len); mail_init() and sodium_init() have run. */
static void
prepare(const struct intake *in, const char *raw, size_t len,
        struct prepared *p)
{
	msgid_key(raw, len, p->msgid);
	sha256_hex(raw, len, p->hex);
	struct mail_limits lim;
	mail_limits_default(&lim);
	if (in->pol->max_message_bytes > 0)
		lim.max_message_bytes = (size_t)in->pol->max_message_bytes;
	if (in->pol->max_attachment_bytes > 0)
		lim.max_attachment_bytes = (size_t)in->pol->max_attachment_bytes;
	p->m = NULL;
	p->mrc = mail_parse(raw, len, &lim, &p->m);
}

/*
 * Routes the claimed raw row raw_id, parsed as m (NULL: mrc says why not;
 * freed here), inside the open transaction, under a savepoint: when
 * routing fails for a reason other than a busy database, what it did is
 * rolled back and the row is marked 'failed' with the reason, in the same
 * transaction. Returns STORE_OK (routed or failed: res says), or
 * STORE_BUSY / another error that leaves the transaction to be rolled
 * back.
 */
static enum store_rc
route_parsed(const struct intake *in, int64_t raw_id, struct mail *m,
             enum mail_rc mrc, const char *envelope_to, int64_t now,
             struct intake_result *res)
{
	struct store *db = in->db;
	res->raw_id = raw_id;
	char why[512];
	enum store_rc rc;
	if (m == NULL) {
		snprintf(why, sizeof why, "cannot be parsed: %s", mail_rc_str(mrc));
		set_result(res, "failed", why);
		return mark_failed(db, raw_id, why);
	}
	rc = store_exec(db, "SAVEPOINT route", STORE_NO_PARAMS);
	if (rc == STORE_OK) {
		struct route_ctx c = {in, m, res, raw_id, now};
		rc = intake_route_message(&c, envelope_to);
		if (rc != STORE_OK && rc != STORE_BUSY) {
			snprintf(why, sizeof why, "%s", store_errmsg(db));
			log_warn("intake: message %lld stored but not routed: %s",
			         (long long)raw_id, why);
			rc = store_exec(db, "ROLLBACK TO SAVEPOINT route",
			                STORE_NO_PARAMS);
			memset(res, 0, sizeof *res);
			res->raw_id = raw_id;
			set_result(res, "failed", why);
			if (rc == STORE_OK)
				rc = mark_failed(db, raw_id, why);
		}
		if (rc == STORE_OK)
			rc = store_exec(db, "RELEASE SAVEPOINT route", STORE_NO_PARAMS);
	}
	mail_free(m);
	return rc;
}

/* Claims and routes raw row raw_id inside the open transaction, reading
 * its bytes from the store. */
static enum store_rc
route_stored_row(const struct intake *in, int64_t raw_id,
                 struct intake_result *res)
{
	struct store *db = in->db;
	struct store_rows *r;
	enum store_rc rc = claim(db, raw_id, res);
	if (rc != STORE_OK)
		return rc;
	rc = store_query_row(db,
	                     "SELECT bytes, envelope_to, received_at FROM "
	                     "raw_messages WHERE id = $1",
	                     STORE_PARAMS(SP_I(raw_id)), &r);
	if (rc != STORE_OK)
		return rc;
	size_t len = 0;
	const void *b = store_blob(r, 0, &len);
	char *raw = malloc(len + 1);
	char *to = store_isnull(r, 1) ? NULL : strdup(store_text(r, 1));
	int64_t received = store_int(r, 2);
	if (raw && len > 0)
		memcpy(raw, b, len);
	store_done(r);
	if (raw == NULL) {
		free(to);
		return store_fail(db, STORE_ERROR, "out of memory");
	}
	raw[len] = '\0';
	/* Routed as of its arrival: the deadline runs from when the client
	 * wrote, however late a worker gets to it. */
	mail_init();
	struct prepared p;
	prepare(in, raw, len, &p);
	rc = route_parsed(in, raw_id, p.m, p.mrc, to, received, res);
	free(raw);
	free(to);
	return rc;
}

enum intake_rc
intake_route(const struct intake *in, int64_t raw_id,
             struct intake_result *res)
{
	memset(res, 0, sizeof *res);
	res->raw_id = raw_id;
	struct store *db = in->db;
	enum store_rc rc = store_begin(db, 1);
	if (rc == STORE_OK)
		rc = route_stored_row(in, raw_id, res);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc == STORE_OK)
		return INTAKE_STORED;
	if (rc == STORE_NOTFOUND) {
		store_rollback(db);
		if (!*res->disposition)
			set_result(res, "refused", "no such raw message");
		return INTAKE_DUPLICATE;
	}
	/* Still 'pending': a retry or the worker routes it. */
	set_result(res, "pending", store_errmsg(db));
	store_rollback(db);
	return INTAKE_TEMPFAIL;
}

int
intake_route_pending(const struct intake *in, int64_t before, int max,
                     int per_tx, enum intake_rc *rc_out)
{
	struct store *db = in->db;
	int done = 0;
	*rc_out = INTAKE_STORED;
	if (per_tx < 1)
		per_tx = 1;
	while (max <= 0 || done < max) {
		int want = max > 0 && max - done < per_tx ? max - done : per_tx;
		/* A look first, without the write lock: an idle worker polls. */
		int64_t first = 0;
		enum store_rc rc = store_get_int(
		    db,
		    "SELECT id FROM raw_messages WHERE disposition = 'pending' AND "
		    "($1 = 0 OR id < $1) ORDER BY id LIMIT 1",
		    STORE_PARAMS(SP_I(before)), &first);
		if (rc == STORE_NOTFOUND)
			return done;
		if (rc == STORE_OK)
			rc = store_begin(db, 1);
		int64_t ids[64];
		int n = 0;
		struct store_rows *r = NULL;
		if (rc == STORE_OK)
			rc = store_query(db,
			                 "SELECT id FROM raw_messages WHERE disposition = "
			                 "'pending' AND ($2 = 0 OR id < $2) ORDER BY id "
			                 "LIMIT $1",
			                 STORE_PARAMS(SP_I(want < 64 ? want : 64),
			                              SP_I(before)),
			                 &r);
		if (rc == STORE_OK) {
			while (store_next(r) == STORE_ROW && n < 64)
				ids[n++] = store_int(r, 0);
			store_done(r);
		}
		for (int i = 0; rc == STORE_OK && i < n; i++) {
			struct intake_result res;
			memset(&res, 0, sizeof res);
			rc = route_stored_row(in, ids[i], &res);
			if (rc == STORE_NOTFOUND)
				rc = STORE_OK;
		}
		if (rc == STORE_OK && n > 0)
			rc = store_commit(db);
		if (rc != STORE_OK || n == 0) {
			store_rollback(db);
			if (rc != STORE_OK)
				*rc_out = INTAKE_TEMPFAIL;
			return done;
		}
		done += n;
	}
	return done;
}

/* Stores raw, prepared as p (its mail freed here), and routes it inside
 * the open transaction. STORE_OK with *out INTAKE_STORED or
 * INTAKE_DUPLICATE; any other code leaves the transaction to be rolled
 * back (store_errmsg says why). */
static enum store_rc
deliver_in_tx(const struct intake *in, const char *raw, size_t len,
              struct prepared *p, const char *envelope_to, int64_t now,
              struct intake_result *res, enum intake_rc *out)
{
	struct store *db = in->db;
	int64_t raw_id = 0;
	*out = INTAKE_STORED;
	enum store_rc rc = store_get_int(
	    db,
	    "INSERT INTO raw_messages (message_id, sha256, envelope_to, size, "
	    "bytes, received_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT "
	    "(message_id) DO NOTHING RETURNING id",
	    STORE_PARAMS(SP_T(p->msgid), SP_T(p->hex), SP_T(envelope_to),
	                 SP_I((int64_t)len), SP_B(raw, len), SP_I(now)),
	    &raw_id);
	if (rc == STORE_OK)
		return route_parsed(in, raw_id, p->m, p->mrc, envelope_to, now, res);
	mail_free(p->m);
	if (rc != STORE_NOTFOUND)
		return rc;
	/* Had it. Stored before but never routed ('pending'): route it now,
	 * as of its first arrival. */
	rc = store_get_int(db, "SELECT id FROM raw_messages WHERE message_id = $1",
	                   STORE_PARAMS(SP_T(p->msgid)), &raw_id);
	if (rc == STORE_OK)
		rc = route_stored_row(in, raw_id, res);
	if (rc == STORE_NOTFOUND) {
		res->raw_id = raw_id;
		snprintf(res->reason, sizeof res->reason,
		         "already received (same Message-ID)");
		*out = INTAKE_DUPLICATE;
		rc = STORE_OK;
	}
	return rc;
}

/* What makes a message unfit for any transaction: INTAKE_STORED when it
 * may go in, else the answer (res says why). Starts what prepare()
 * needs. */
static enum intake_rc
check_deliverable(size_t len, struct intake_result *res)
{
	memset(res, 0, sizeof *res);
	if (len > INTAKE_MAX_BYTES) {
		set_result(res, "refused", "larger than 64 MiB");
		return INTAKE_REFUSED;
	}
	if (sodium_init() < 0) {
		set_result(res, "refused", "libsodium cannot start");
		return INTAKE_TEMPFAIL;
	}
	mail_init();
	return INTAKE_STORED;
}

enum intake_rc
intake_deliver(const struct intake *in, const char *raw, size_t len,
               const char *envelope_to, int64_t now, struct intake_result *res)
{
	enum intake_rc out = check_deliverable(len, res);
	if (out != INTAKE_STORED)
		return out;
	struct prepared p;
	prepare(in, raw, len, &p);
	struct store *db = in->db;
	enum store_rc rc = store_begin(db, 1);
	if (rc == STORE_OK)
		rc = deliver_in_tx(in, raw, len, &p, envelope_to, now, res, &out);
	else
		mail_free(p.m);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK) {
		/* Nothing stored: the MTA keeps it and retries. */
		set_result(res, "refused", store_errmsg(db));
		store_rollback(db);
		return INTAKE_TEMPFAIL;
	}
	return out;
}

/* The group's second thread: prepares its messages in order, telling the
 * storing thread as each is ready. */
struct preparer {
	const struct intake *in;
	const struct intake_msg *msgs;
	const enum intake_rc *out;   /* INTAKE_STORED: to prepare */
	struct prepared *p;
	size_t n;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t ready;                /* p[0, ready) are done */
};

static void *
preparer_main(void *arg)
{
	struct preparer *w = arg;
	for (size_t i = 0; i < w->n; i++) {
		if (w->out[i] == INTAKE_STORED)
			prepare(w->in, w->msgs[i].raw, w->msgs[i].len, &w->p[i]);
		pthread_mutex_lock(&w->mu);
		w->ready = i + 1;
		pthread_cond_signal(&w->cv);
		pthread_mutex_unlock(&w->mu);
	}
	return NULL;
}

void
intake_deliver_group(const struct intake *in, const struct intake_msg *msgs,
                     size_t n, int64_t now, struct intake_result *res,
                     enum intake_rc *out)
{
	struct store *db = in->db;
	struct prepared *p = calloc(n ? n : 1, sizeof *p);
	struct preparer w = {in, msgs, out, p, n, PTHREAD_MUTEX_INITIALIZER,
	                     PTHREAD_COND_INITIALIZER, 0};
	pthread_t tid;
	int threaded = 0;
	enum store_rc rc = p ? STORE_OK : store_fail(db, STORE_ERROR,
	                                             "out of memory");
	for (size_t i = 0; i < n; i++)
		out[i] = check_deliverable(msgs[i].len, &res[i]);
	/* Parsing takes a sixth of a message's CPU: on the other core, it is
	 * done before the store asks for it. Without a thread, here. */
	if (rc == STORE_OK) {
		threaded = pthread_create(&tid, NULL, preparer_main, &w) == 0;
		if (!threaded)
			preparer_main(&w);
	}
	if (rc == STORE_OK)
		rc = store_begin(db, 1);
	size_t used = 0;   /* p[0, used) handed to deliver_in_tx() */
	for (; used < n && rc == STORE_OK; used++) {
		pthread_mutex_lock(&w.mu);
		while (w.ready <= used)
			pthread_cond_wait(&w.cv, &w.mu);
		pthread_mutex_unlock(&w.mu);
		if (out[used] == INTAKE_STORED)
			rc = deliver_in_tx(in, msgs[used].raw, msgs[used].len, &p[used],
			                   msgs[used].envelope_to, now, &res[used],
			                   &out[used]);
	}
	if (threaded)
		pthread_join(tid, NULL);
	for (size_t i = used; i < n; i++)
		if (p && out[i] == INTAKE_STORED)
			mail_free(p[i].m);
	free(p);
	pthread_mutex_destroy(&w.mu);
	pthread_cond_destroy(&w.cv);
	if (rc == STORE_OK && (rc = store_commit(db)) == STORE_OK)
		return;
	/* Nothing of the group is stored: each on its own, so that one the
	 * store cannot take now does not hold the others back. */
	log_warn("intake: a group of %zu messages was not stored (%s): one "
	         "transaction each", n, store_errmsg(db));
	store_rollback(db);
	for (size_t i = 0; i < n; i++)
		out[i] = intake_deliver(in, msgs[i].raw, msgs[i].len,
		                        msgs[i].envelope_to, now, &res[i]);
}
