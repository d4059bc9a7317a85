/*
 * sqlite_gate.c - the light mail gate's write (see sqlite_gate.h).
 */
#include "store/sqlite_gate.h"
#include "store/sqlite_setup.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* SQLite's own busy handler sleeps 1, 2, 5, 10, ... 100 ms between
 * tries: fine for a long job, but a gate waiting on another gate's
 * millisecond commit (or the worker's group) would sleep far longer than
 * the lock is held. Poll every 250 us instead, up to the same timeout. */
struct busy_wait {
	int busy_ms;
	struct timespec start;
};

static int
gate_busy(void *arg, int tries)
{
	struct busy_wait *w = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (tries == 0)
		w->start = now;
	int64_t ms = (int64_t)(now.tv_sec - w->start.tv_sec) * 1000 +
	             (now.tv_nsec - w->start.tv_nsec) / 1000000;
	if (ms >= w->busy_ms)
		return 0;
	struct timespec nap = {0, 250000};
	nanosleep(&nap, NULL);
	return 1;
}

/* One row of one column-pair statement: id and disposition, or the
 * worker count. Returns an SQLite code (SQLITE_DONE: no row). */
static int
step_row(sqlite3_stmt *st, struct sqlite_gate_row *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->raw_id = sqlite3_column_int64(st, 0);
		snprintf(out->disposition, sizeof out->disposition, "%s",
		         (const char *)sqlite3_column_text(st, 1));
	}
	return rc;
}

enum sqlite_gate_rc
sqlite_gate_store(const char *url, const char *key, const char *sha256_hex,
                  const char *envelope_to, const char *raw, size_t len,
                  int64_t received_at, int64_t wall_now,
                  struct sqlite_gate_row *out, char *err, size_t errlen)
{
	char path[4096];
	int busy_ms;
	memset(out, 0, sizeof *out);
	if (sqlite_setup_url(url, path, sizeof path, &busy_ms, err, errlen))
		return SQLITE_GATE_ERROR;
	/* No SQLITE_OPEN_CREATE: a missing database is an error to explain,
	 * not a new empty file. */
	sqlite3 *db = NULL;
	char *msg = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite_setup_conn(db, busy_ms, &msg);
	sqlite3_free(msg);
	struct busy_wait wait = {busy_ms, {0, 0}};
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_handler(db, gate_busy, &wait);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	int in_tx = rc == SQLITE_OK;
	sqlite3_stmt *st = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
		    db,
		    "INSERT INTO raw_messages (message_id, sha256, envelope_to, size, "
		    "bytes, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT "
		    "(message_id) DO NOTHING RETURNING id, disposition",
		    -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, sha256_hex, -1, SQLITE_STATIC);
		if (envelope_to)
			sqlite3_bind_text(st, 3, envelope_to, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)len);
		sqlite3_bind_blob64(st, 5, raw, len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, received_at);
		rc = step_row(st, out);
		sqlite3_finalize(st);
		st = NULL;
		if (rc == SQLITE_DONE) {
			/* Had it: which row, and was it routed? */
			rc = sqlite3_prepare_v2(db,
			                        "SELECT id, disposition FROM raw_messages "
			                        "WHERE message_id = ?1",
			                        -1, &st, NULL);
			if (rc == SQLITE_OK) {
				sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
				rc = step_row(st, out);
			}
			sqlite3_finalize(st);
			st = NULL;
		}
		if (rc == SQLITE_ROW)
			rc = SQLITE_OK;
		else if (rc == SQLITE_DONE)
			rc = SQLITE_CORRUPT;   /* neither inserted nor there */
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
		                        "SELECT COUNT(*) FROM leases WHERE name = "
		                        "'intake' AND expires_at > ?1",
		                        -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, wall_now);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			out->worker = sqlite3_column_int(st, 0) > 0;
			rc = SQLITE_OK;
		}
		sqlite3_finalize(st);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	enum sqlite_gate_rc out_rc = SQLITE_GATE_OK;
	if (rc != SQLITE_OK) {
		int prim = rc & 0xff;
		out_rc = prim == SQLITE_BUSY || prim == SQLITE_LOCKED
		             ? SQLITE_GATE_BUSY
		             : SQLITE_GATE_ERROR;
		snprintf(err, errlen, "%s: %s", path,
		         db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		if (in_tx)
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	sqlite3_close(db);
	return out_rc;
}
