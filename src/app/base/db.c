/*
 * db.c - opening the store for a command (see db.h).
 */
#include "app/base/db.h"
#include "store/migrate.h"
#include "util/log.h"

#include <sysexits.h>

int
app_exit_code(enum store_rc rc)
{
	switch (rc) {
	case STORE_OK:
	case STORE_ROW:
	case STORE_DONE:
		return EX_OK;
	case STORE_BUSY:
		return EX_TEMPFAIL;
	case STORE_CONSTRAINT:
	case STORE_NOTFOUND:
		return EX_DATAERR;
	case STORE_ERROR:
		break;
	}
	return EX_SOFTWARE;
}

int
app_db_open(const char *url, struct store **out)
{
	char err[512];
	enum store_rc rc = store_open(url, out, err, sizeof err);
	if (rc != STORE_OK) {
		log_error("%s", err);
		return rc == STORE_BUSY ? EX_TEMPFAIL : EX_UNAVAILABLE;
	}
	int have = store_schema_version(*out);
	if (have < 0 || have < migrations[migrations_count - 1].number) {
		log_error("database %s is not migrated (schema %d, need %d): "
		          "run 'soporte migrate --db %s'",
		          url, have < 0 ? 0 : have,
		          migrations[migrations_count - 1].number, url);
		store_close(*out);
		*out = NULL;
		return EX_CONFIG;
	}
	return EX_OK;
}
