/*
 * desk.c - what a door holds (see desk.h).
 */
#include "app/base/desk.h"
#include "app/base/conflict.h"
#include "core/calendar.h"
#include "mail/parse.h"
#include "store/migrate.h"
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <sysexits.h>

int
desk_open(struct desk *d, const char *url)
{
	char err[512];
	enum store_rc rc = store_open(url, &d->db, err, sizeof err);
	if (rc != STORE_OK) {
		d->db = NULL;
		log_error("%s", err);
		return rc == STORE_BUSY ? EX_TEMPFAIL : EX_UNAVAILABLE;
	}
	int have = store_schema_version(d->db);
	if (have < 0 || have < migrations[migrations_count - 1].number) {
		log_error("database %s is not migrated (schema %d, need %d): "
		          "run 'soporte migrate --db %s'",
		          url, have < 0 ? 0 : have,
		          migrations[migrations_count - 1].number, url);
		store_close(d->db);
		d->db = NULL;
		return EX_CONFIG;
	}
	return EX_OK;
}

enum store_rc
desk_connect(struct desk *d, const char *url, char *err, size_t errlen)
{
	enum store_rc rc = store_open(url, &d->db, err, errlen);
	if (rc != STORE_OK)
		d->db = NULL;
	return rc;
}

void
desk_close(struct desk *d)
{
	store_close(d->db);
	d->db = NULL;
	calendar_free(d->cal);
	d->cal = NULL;
}

const char *
desk_errmsg(const struct desk *d)
{
	return store_errmsg(d->db);
}

const char *
desk_said(const struct desk *d, char *buf, size_t n)
{
	char field[64];
	const char *msg = desk_errmsg(d);
	enum conflict_kind k = conflict_of(msg, field, sizeof field);
	if (k == CONFLICT_OTHER)
		return msg;
	snprintf(buf, n, "%s%s%s", field, field[0] ? ": " : "", conflict_phrase(k));
	return buf;
}

enum store_rc
desk_fail(struct desk *d, enum store_rc rc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return store_fail(d->db, rc, "%s", msg);
}

const char *
desk_engine_name(const struct desk *d)
{
	return store_engine_name(d->db);
}

int
desk_schema_version(struct desk *d)
{
	return store_schema_version(d->db);
}

void
desk_read_begin(struct desk *d)
{
	store_read_begin(d->db);
}

void
desk_read_end(struct desk *d)
{
	store_read_end(d->db);
}

enum store_rc
desk_migrate(struct desk *d, int64_t now, int *applied)
{
	return store_migrate(d->db, now, applied);
}

enum store_rc
desk_next_ticket_set(struct desk *d, int64_t next, int64_t *last)
{
	*last = 0;
	enum store_rc rc = store_get_int(
	    d->db, "SELECT value FROM counters WHERE name = 'ticket'",
	    STORE_NO_PARAMS, last);
	if (rc == STORE_OK && next - 1 < *last)
		return STORE_CONSTRAINT;
	if (rc == STORE_OK)
		rc = store_exec(d->db,
		                "UPDATE counters SET value = $1 WHERE name = 'ticket'",
		                STORE_PARAMS(SP_I(next - 1)));
	return rc;
}

void
app_mail_init(void)
{
	mail_init();
}

void
app_mail_shutdown(void)
{
	mail_shutdown();
}
