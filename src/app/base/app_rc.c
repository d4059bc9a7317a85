/*
 * app_rc.c - command results (see app_rc.h).
 */
#include "app/base/app_rc.h"

#include <stdarg.h>
#include <stdio.h>
#include <sysexits.h>

enum app_rc
app_refuse(struct store *db, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	store_fail(db, STORE_ERROR, "%s", msg);
	return APP_REFUSED;
}

enum app_rc
app_of_store(enum store_rc rc)
{
	switch (rc) {
	case STORE_OK:
	case STORE_ROW:
	case STORE_DONE:
		return APP_OK;
	case STORE_BUSY:
		return APP_BUSY;
	default:
		return APP_FAILED;
	}
}

int
app_rc_exit(enum app_rc rc)
{
	switch (rc) {
	case APP_OK:
		return EX_OK;
	case APP_REFUSED:
		return EX_DATAERR;
	case APP_BUSY:
		return EX_TEMPFAIL;
	case APP_FAILED:
		break;
	}
	return EX_SOFTWARE;
}

enum app_rc
app_finish(struct store *db, enum app_rc rc)
{
	if (rc == APP_OK) {
		rc = app_of_store(store_commit(db));
		if (rc != APP_OK)
			store_rollback(db);
		return rc;
	}
	store_rollback(db);
	return rc;
}
