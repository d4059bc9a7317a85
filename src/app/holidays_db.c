/*
 * holidays_db.c - imported holidays (see holidays_db.h).
 *
 * SECURITY: names from an uploaded file are bound only.
 */
#include "app/holidays_db.h"
#include "app/calendar_live.h"
#include "app/ticket_cmds.h"
#include "util/timefmt.h"

#include <stdint.h>
#include <stdio.h>

/* The open tickets' deadlines under the calendar with the days just
 * added (this transaction sees them), from the first of them on. */
static enum store_rc
recompute(struct store *db, const struct policy *pol, int64_t first_day,
          struct actor who, int64_t now, int *moved)
{
	struct calendar *cal;
	int64_t version;
	char err[256];
	if (calendar_load_imported(pol, db, &cal, &version, err, sizeof err) != 0)
		return store_fail(db, STORE_ERROR, "%s", err);
	struct tcmd_env env = {db, pol, cal, now};
	/* A day earlier: the local day starts up to a day apart from UTC's. */
	enum store_rc rc = tcmd_recompute_due(&env, (first_day - 1) * 86400, who,
	                                      "holidays.import", moved);
	calendar_free(cal);
	return rc;
}

enum store_rc
holidays_import(struct store *db, const struct policy *pol,
                const struct holiday_list *l, struct actor who, int64_t now,
                int *added, int *moved)
{
	int64_t first = INT64_MAX;
	*added = 0;
	*moved = 0;
	enum store_rc rc = store_begin(db, 1);
	for (size_t i = 0; i < l->n && rc == STORE_OK; i++) {
		char day[ISO_DATE_LEN];
		int64_t before = 0, after = 0;
		iso_date_format(l->v[i].day, day);
		rc = store_get_int(db, "SELECT COUNT(*) FROM holidays", STORE_NO_PARAMS,
		                   &before);
		if (rc == STORE_OK)
			rc = store_exec(db,
			                "INSERT INTO holidays (day, name, source) "
			                "VALUES ($1, $2, 'import') ON CONFLICT DO NOTHING",
			                STORE_PARAMS(SP_T(day),
			                             SP_T(l->v[i].name_es ? l->v[i].name_es
			                                                  : "Feriado")));
		if (rc == STORE_OK)
			rc = store_get_int(db, "SELECT COUNT(*) FROM holidays",
			                   STORE_NO_PARAMS, &after);
		*added += (int)(after - before);
		if (after > before && l->v[i].day < first)
			first = l->v[i].day;
	}
	if (rc == STORE_OK && *added > 0)
		rc = recompute(db, pol, first, who, now, moved);
	if (rc == STORE_OK)
		rc = audit_record(db, who, 0, "holidays.import",
		                  json_pack("{s:i,s:i,s:i}", "days", (int)l->n, "added",
		                            *added, "tickets_moved", *moved),
		                  now);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK) {
		store_rollback(db);
		*added = 0;
		*moved = 0;
	}
	return rc;
}

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
	while ((rc = store_next(r)) == STORE_ROW)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "date",
		                                     store_text(r, 0), "name",
		                                     store_text(r, 1), "source",
		                                     store_text(r, 2)));
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
	return store_get_int(db, "SELECT COUNT(*) FROM holidays", STORE_NO_PARAMS,
	                     version);
}
