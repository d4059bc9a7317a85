/*
 * ticket_view.c - tickets as JSON (see ticket_view.h).
 */
#include "app/ticket_view.h"
#include "app/localtime.h"
#include "app/ticket_query.h"
#include "util/timefmt.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

json_t *
json_text_or_null(struct store_rows *r, int col)
{
	return store_isnull(r, col) ? json_null() : json_string(store_text(r, col));
}

void
json_set_time(json_t *o, const struct calendar *cal, const char *key,
              struct store_rows *r, int col)
{
	if (store_isnull(r, col)) {
		json_object_set_new(o, key, json_null());
		return;
	}
	int64_t t = store_int(r, col);
	char iso[ISO_UTC_LEN];
	iso_utc_format(t, iso);
	json_object_set_new(o, key, json_string(iso));
	if (cal) {
		char local[LOCAL_TIME_LEN], k[64];
		local_time_format(cal, t, local);
		snprintf(k, sizeof k, "%s_local", key);
		json_object_set_new(o, k, json_string(local));
	}
}

json_t *
ticket_row_json(struct store_rows *r, const struct calendar *cal)
{
	char number[16];
	snprintf(number, sizeof number, "#%06lld", (long long)store_int(r, 1));
	json_t *o = json_object();
	json_object_set_new(o, "number", json_integer(store_int(r, 1)));
	json_object_set_new(o, "display_number", json_string(number));
	/* A ticket the client reopened is stored in_progress with the
	 * reopened flag (the 0001 schema predates the state): show it. */
	json_object_set_new(o, "state",
	                    json_string(strcmp(store_text(r, 2), "in_progress") == 0 &&
	                                        store_int(r, 24)
	                                    ? "reopened"
	                                    : store_text(r, 2)));
	json_object_set_new(o, "severity", json_integer(store_int(r, 3)));
	json_object_set_new(o, "subject", json_string(store_text(r, 4)));
	json_object_set_new(o, "client_domain", json_text_or_null(r, 5));
	json_object_set_new(o, "client_name", json_text_or_null(r, 6));
	json_object_set_new(o, "assignee", json_text_or_null(r, 7));
	json_set_time(o, cal, "created_at", r, 8);
	json_set_time(o, cal, "response_due_at", r, 9);
	json_set_time(o, cal, "first_response_at", r, 10);
	json_object_set_new(o, "close_reason", json_text_or_null(r, 11));
	json_object_set_new(o, "category", json_string(store_text(r, 12)));
	json_object_set_new(o, "coverage", json_text_or_null(r, 13));
	json_object_set_new(o, "entitlement", json_text_or_null(r, 14));
	json_object_set_new(o, "escalation_level", json_integer(store_int(r, 15)));
	json_object_set_new(o, "contact_email", json_text_or_null(r, 16));
	json_object_set_new(o, "product", json_text_or_null(r, 17));
	json_set_time(o, cal, "updated_at", r, 18);
	json_object_set_new(o, "version", json_integer(store_int(r, 19)));
	json_object_set_new(o, "entitlement_reason", json_text_or_null(r, 20));
	json_object_set_new(o, "response_met",
	                    store_isnull(r, 21) ? json_null()
	                                        : json_boolean(store_int(r, 21)));
	json_set_time(o, cal, "closed_at", r, 22);
	json_object_set_new(o, "channel", json_string(store_text(r, 23)));
	json_object_set_new(o, "client_id", store_isnull(r, 25) ? json_null()
	                                    : json_integer(store_int(r, 25)));
	json_object_set_new(o, "assignee_id", store_isnull(r, 26) ? json_null()
	                                      : json_integer(store_int(r, 26)));
	json_set_time(o, cal, "waiting_since", r, 27);
	json_set_time(o, cal, "solved_at", r, 28);
	json_object_set_new(o, "first_response_business_s",
	                    store_isnull(r, 29) ? json_null()
	                                        : json_integer(store_int(r, 29)));
	return o;
}

enum store_rc
ticket_list_json(struct store *db, const struct calendar *cal,
                 const struct ticket_filter *f, json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(
	    db,
	    "SELECT " TICKET_COLUMNS TICKET_FROM
	    "WHERE ($1 = '' OR t.state = $1) AND ($2 = '' OR c.domain = $2) "
	    "AND ($3 = 0 OR t.severity = $3) "
	    "ORDER BY CASE WHEN t.state = 'closed' THEN 1 ELSE 0 END, "
	    "t.response_due_at, t.number LIMIT $4",
	    STORE_PARAMS(SP_T(f->state ? f->state : ""),
	                 SP_T(f->client ? f->client : ""), SP_I(f->severity),
	                 SP_I(f->limit > 0 ? f->limit : 1000)),
	    &r);
	if (rc != STORE_OK)
		return rc;
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW)
		json_array_append_new(arr, ticket_row_json(r, cal));
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return STORE_OK;
}

enum store_rc
ticket_show_json(struct store *db, const struct calendar *cal, int64_t number,
                 json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(db,
	                               "SELECT " TICKET_COLUMNS TICKET_FROM
	                               "WHERE t.number = $1",
	                               STORE_PARAMS(SP_I(number)), &r);
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	if (rc != STORE_ROW) {
		store_done(r);
		return rc == STORE_DONE ? STORE_NOTFOUND : rc;
	}
	int64_t id = store_int(r, 0);
	json_t *t = ticket_row_json(r, cal);
	store_done(r);
	/* The same rendering as the API's, internal notes included: the CLI
	 * is for staff. Every message: the CLI shows the whole thread. */
	json_t *msgs = NULL;
	rc = ticket_messages_json(db, cal, id, 1, 0, INT32_MAX, &msgs);
	if (rc != STORE_OK) {
		json_decref(t);
		return rc;
	}
	json_object_set_new(t, "messages", msgs);
	*out = t;
	return STORE_OK;
}
