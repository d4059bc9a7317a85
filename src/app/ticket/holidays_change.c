/*
 * holidays_change.c - importing and removing holidays, with the deadlines
 * that move with them (see holidays_change.h).
 *
 * SECURITY: names from an uploaded file are bound only.
 */
#include "app/ticket/holidays_change.h"
#include "app/config/calendar_live.h"
#include "app/ticket/ticket_cmds.h"
#include "util/timefmt.h"

#include <stdint.h>
#include <stdio.h>

/* The end of a change to the imported days, in its transaction: when
 * `changed` days came or went (the version moved with them: 0150's
 * triggers), the open tickets' deadlines from the first of them on are
 * computed again under the calendar this transaction sees; then the
 * change's audit event (detail, stolen, plus tickets_moved) and the
 * commit. Rolled back on any failure, *moved then 0. */
static enum store_rc
finish(struct store *db, const struct policy *pol, int changed,
       int64_t first_day, struct actor who, int64_t now, const char *action,
       json_t *detail, int *moved)
{
	enum store_rc rc = STORE_OK;
	*moved = 0;
	if (changed > 0) {
		struct calendar *cal;
		int64_t version;
		char err[256];
		if (calendar_load_imported(pol, db, &cal, &version, err,
		                           sizeof err) != 0) {
			rc = store_fail(db, STORE_ERROR, "%s", err);
		} else {
			struct tcmd_env env = {db, pol, cal, now};
			/* A day earlier: the local day starts up to a day apart
			 * from UTC's. */
			rc = tcmd_recompute_due(&env, (first_day - 1) * 86400, who,
			                        action, moved);
			calendar_free(cal);
		}
	}
	if (rc == STORE_OK) {
		json_object_set_new(detail, "tickets_moved", json_integer(*moved));
		rc = audit_record(db, who, 0, action, detail, now);
		detail = NULL;
	}
	json_decref(detail);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK) {
		store_rollback(db);
		*moved = 0;
	}
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
		int64_t one;
		iso_date_format(l->v[i].day, day);
		/* A row back: the day is new. */
		rc = store_get_int(db,
		                   "INSERT INTO holidays (day, name, source) "
		                   "VALUES ($1, $2, 'import') ON CONFLICT DO NOTHING "
		                   "RETURNING 1",
		                   STORE_PARAMS(SP_T(day),
		                                SP_T(l->v[i].name_es ? l->v[i].name_es
		                                                     : "Feriado")),
		                   &one);
		if (rc == STORE_NOTFOUND) {
			rc = STORE_OK;
			continue;
		}
		if (rc == STORE_OK)
			(*added)++;
		if (rc == STORE_OK && l->v[i].day < first)
			first = l->v[i].day;
	}
	if (rc != STORE_OK) {
		store_rollback(db);
		*added = 0;
		return rc;
	}
	rc = finish(db, pol, *added, first, who, now, "holidays.import",
	            json_pack("{s:i,s:i}", "days", (int)l->n, "added", *added),
	            moved);
	if (rc != STORE_OK)
		*added = 0;
	return rc;
}

enum store_rc
holidays_remove(struct store *db, const struct policy *pol, int64_t day,
                struct actor who, int64_t now, int *moved)
{
	char iso[ISO_DATE_LEN];
	int64_t one;
	*moved = 0;
	iso_date_format(day, iso);
	enum store_rc rc = store_begin(db, 1);
	if (rc == STORE_OK)
		rc = store_get_int(db, "DELETE FROM holidays WHERE day = $1 RETURNING 1",
		                   STORE_PARAMS(SP_T(iso)), &one);
	if (rc == STORE_NOTFOUND)
		store_fail(db, STORE_NOTFOUND,
		           "%s is not an imported holiday (the policy's own are "
		           "changed in the policy file)", iso);
	if (rc != STORE_OK) {
		store_rollback(db);
		return rc;
	}
	return finish(db, pol, 1, day, who, now, "holidays.remove",
	              json_pack("{s:s}", "date", iso), moved);
}

