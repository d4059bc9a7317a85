/*
 * desk.h - what a door holds: the app-level context of one process (the
 * CLI's command) or of one server thread.
 *
 * The doors (src/cli, src/http) never touch the store: they open a desk,
 * pass it (or its connection, desk->db, to an app command that takes the
 * connection as its first argument) and close it. The connection is
 * opaque to them: every use of it is an app function, here or in a room.
 *
 * desk_open() opens the database named by url and checks that its schema
 * is current. It prints one clear line on failure and returns the
 * sysexits code to exit with: EX_TEMPFAIL when the database is busy or
 * unreachable (retry later), EX_UNAVAILABLE when it cannot be opened,
 * EX_CONFIG when it is not migrated.
 */
#ifndef SOPORTE_APP_DESK_H
#define SOPORTE_APP_DESK_H

#include "core/policy.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

struct calendar;

struct desk {
	struct store *db;      /* the connection; NULL when closed */
	struct policy pol;     /* loaded by the door when the command needs it */
	struct calendar *cal;  /* owned (calendar_free() by desk_close()), or
	                          NULL */
};

/* Opens url into d->db with a current schema (see above). d's other
 * fields are left as they are. */
int desk_open(struct desk *d, const char *url);
/* Opens url into d->db without looking at its schema (migrate, a
 * server's threads); returns STORE_OK or the failure with a message in
 * err. */
enum store_rc desk_connect(struct desk *d, const char *url, char *err,
                           size_t errlen);
/* Closes the connection and frees the calendar; d may be partly open. */
void desk_close(struct desk *d);

/* The one-line message of the last refusal or failure on d. */
const char *desk_errmsg(const struct desk *d);
/* desk_errmsg() for a person: a write the database refused in words
 * ("email: already in use", "valid_to: not a valid value"; conflict.h)
 * written into buf (n bytes); any other message as it is. */
const char *desk_said(const struct desk *d, char *buf, size_t n);
/* Records a refusal's message (as the app commands do) and returns rc. */
enum store_rc desk_fail(struct desk *d, enum store_rc rc, const char *fmt,
                        ...) __attribute__((format(printf, 3, 4)));
/* "sqlite" or "postgresql". */
const char *desk_engine_name(const struct desk *d);
/* The newest applied migration (0 for an empty database), or -1 when the
 * database does not answer: the health check. */
int desk_schema_version(struct desk *d);
/* One read snapshot around a request's reads (SQLite takes its locks
 * once, not per statement); nothing on engines without one. */
void desk_read_begin(struct desk *d);
void desk_read_end(struct desk *d);

/* Applies the migrations the database lacks (*applied: how many; may be
 * NULL). STORE_OK, or the failure with its message in desk_errmsg(). */
enum store_rc desk_migrate(struct desk *d, int64_t now, int *applied);
/* Numbers the next ticket next (a desk moving from another system).
 * STORE_CONSTRAINT when a ticket numbered next or above exists already
 * (*last: the highest number given so far). */
enum store_rc desk_next_ticket_set(struct desk *d, int64_t next,
                                   int64_t *last);

/* The process's mail library (GMime), set up once before threads that
 * parse or compose mail start, and shut down after they stop. */
void app_mail_init(void);
void app_mail_shutdown(void);

#endif
