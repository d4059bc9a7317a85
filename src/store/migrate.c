/*
 * migrate.c - applies the compiled-in SQL migrations (see migrate.h).
 */
#include "store/migrate.h"
#include "store/store_engine.h"

#include <stdio.h>
#include <string.h>

static const char *const create_table =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " number INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

int
store_schema_version(struct store *db)
{
	int64_t v = 0;
	enum store_rc rc = store_get_int(
	    db, "SELECT COALESCE(MAX(number), 0) FROM schema_migrations",
	    STORE_NO_PARAMS, &v);
	return rc == STORE_OK ? (int)v : -1;
}

int
store_migrate(struct store *db, long long now, int *applied)
{
	int n = 0;
	/* Under the exclusive lock: two first runs at once must not both
	 * create the table (PostgreSQL's IF NOT EXISTS is not race-free). */
	enum store_rc rc = store_begin(db, 1);
	if (rc == STORE_OK)
		rc = store_script(db, create_table);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK) {
		store_rollback(db);
		goto out;
	}
	for (int i = 0; i < migrations_count; i++) {
		const struct migration *m = &migrations[i];
		rc = store_begin(db, 1);
		if (rc != STORE_OK)
			goto out;
		/* Checked inside the lock: another process may have run it. */
		int64_t done = 0;
		rc = store_get_int(db,
		                   "SELECT COUNT(*) FROM schema_migrations "
		                   "WHERE number = $1",
		                   STORE_PARAMS(SP_I(m->number)), &done);
		if (rc == STORE_OK && done == 0) {
			rc = store_script(db, m->sql);
			if (rc == STORE_OK)
				rc = store_exec(db,
				                "INSERT INTO schema_migrations "
				                "(number, name, applied_at) "
				                "VALUES ($1, $2, $3)",
				                STORE_PARAMS(SP_I(m->number), SP_T(m->name),
				                             SP_I(now)));
			if (rc == STORE_OK)
				n++;
		}
		if (rc == STORE_OK)
			rc = store_commit(db);
		if (rc != STORE_OK) {
			char why[512];
			snprintf(why, sizeof why, "%s", store_errmsg(db));
			store_rollback(db);
			store_fail(db, rc, "migration %04d_%s: %s", m->number, m->name,
			           why);
			goto out;
		}
	}
out:
	if (applied)
		*applied = n;
	return rc;
}
