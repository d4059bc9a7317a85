/*
 * holidays_db.c - imported holidays, as stored (see holidays_db.h).
 *
 * SECURITY: names from an uploaded file are bound only.
 */
#include "app/config/holidays_db.h"
#include "app/base/json_rows.h"
#include "util/timefmt.h"

#include <stdint.h>
#include <stdio.h>

enum store_rc
holidays_db_json(struct store *db, int year, json_t *arr)
{
	char from[16], to[16];
	struct store_rows *r;
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	enum store_rc rc = store_query(db,
	                               "SELECT day, name, source FROM holidays "
	                               "WHERE day BETWEEN $1 AND $2 ORDER BY day",
	                               STORE_PARAMS(SP_T(from), SP_T(to)), &r);
	if (rc != STORE_OK)
		return rc;
	static const char *const keys[] = {"date", "name", "source"};
	while ((rc = store_next(r)) == STORE_ROW)
		json_array_append_new(arr, json_row_object(r, NULL, keys, 3));
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc
holidays_db_load(struct store *db, struct holiday_list *l)
{
	struct store_rows *r;
	enum store_rc rc = store_query(db, "SELECT day, name FROM holidays",
	                               STORE_NO_PARAMS, &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW) {
		int64_t day;
		if (iso_date_parse(store_text(r, 0), &day) != 0)
			continue;   /* the import wrote it; never expected */
		if (holiday_list_add(l, day, store_text(r, 1), NULL) != 0) {
			store_done(r);
			return store_fail(db, STORE_ERROR, "out of memory");
		}
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc
holidays_db_version(struct store *db, int64_t *version)
{
	return store_get_int(db,
	                     "SELECT COALESCE(MAX(value), 0) FROM counters "
	                     "WHERE name = 'holidays'",
	                     STORE_NO_PARAMS, version);
}
