/*
 * ticket_status.c - one ticket's lifecycle as JSON (tcmd_status_json, see
 * ticket_cmds.h): its row, pauses, jobs, audit trail and mails.
 */
#include "app/ticket/tcmd_internal.h"
#include "app/base/json_rows.h"
#include "util/timefmt.h"

static json_t *
iso_or_null(int64_t t)
{
	if (t <= 0)
		return json_null();
	char iso[ISO_UTC_LEN];
	iso_utc_format(t, iso);
	return json_string(iso);
}

enum store_rc
tcmd_status_json(const struct tcmd_env *env, int64_t n, json_t **out)
{
	struct ticket_row t;
	struct wf_ticket w;
	*out = NULL;
	enum store_rc rc = tcmd_load_row(env->db, "WHERE t.number = $1", n, &t);
	if (rc == STORE_OK)
		rc = tcmd_load_snapshot(env->db, env->cal, &t, &w);
	if (rc != STORE_OK)
		return rc;
	json_t *o = json_object();
	json_object_set_new(o, "number", json_integer(t.number));
	json_object_set_new(o, "state", json_string(wf_state_name(t.state)));
	json_object_set_new(o, "close_reason",
	                    t.state == WF_CLOSED && wf_close_name(t.close)
	                        ? json_string(wf_close_name(t.close))
	                        : json_null());
	json_object_set_new(o, "severity", json_integer(t.severity));
	json_object_set_new(o, "escalation_level", json_integer(t.level));
	json_object_set_new(o, "assignee", t.assignee_email[0]
	                                       ? json_string(t.assignee_email)
	                                       : json_null());
	json_object_set_new(o, "created_at", iso_or_null(t.created_at));
	json_object_set_new(o, "response_due_at", iso_or_null(t.due_at));
	json_object_set_new(o, "first_response_at",
	                    t.responded ? iso_or_null(t.first_response_at)
	                                : json_null());
	json_object_set_new(o, "first_response_business_s",
	                    t.responded ? json_integer(t.fr_business_s)
	                                : json_null());
	json_object_set_new(o, "response_met",
	                    t.response_met < 0 ? json_null()
	                                       : json_boolean(t.response_met));
	json_object_set_new(o, "solved_at", iso_or_null(t.solved_at));
	json_object_set_new(o, "resolution_business_s",
	                    t.solved_at ? json_integer(t.resolution_s)
	                                : json_null());
	json_object_set_new(o, "closed_at", iso_or_null(t.closed_at));
	json_object_set_new(o, "waiting_since", iso_or_null(t.waiting_since));
	json_object_set_new(o, "attempts", json_integer(w.attempts));
	json_object_set_new(o, "raise_requested", json_boolean(w.raise_requested));
	json_object_set_new(o, "version", json_integer(t.version));
	static const char *const pause_cols[] = {"@start_at", "@end_at"};
	static const char *const job_cols[] = {"#id", "kind", "@due_at", "state",
	                                       "outcome", "fired_by"};
	static const char *const audit_cols[] = {"@at", "actor_kind", "action",
	                                         "detail"};
	static const char *const mail_cols[] = {"kind", "to_addr", "subject",
	                                        "state"};
	static const struct {
		const char *key, *sql;
		const char *const *cols;
		int ncols;
	} lists[] = {
		{"pauses",
		 "SELECT start_at, end_at FROM pauses WHERE ticket_id = $1 "
		 "ORDER BY start_at, id",
		 pause_cols, 2},
		{"jobs",
		 "SELECT id, kind, due_at, state, outcome, fired_by FROM jobs "
		 "WHERE ticket_id = $1 ORDER BY due_at, id",
		 job_cols, 6},
		{"audit",
		 "SELECT at, actor_kind, action, detail FROM audit_events "
		 "WHERE ticket_id = $1 ORDER BY id",
		 audit_cols, 4},
		{"mails",
		 "SELECT kind, to_addr, subject, state FROM outbound_mail "
		 "WHERE ticket_id = $1 ORDER BY id",
		 mail_cols, 4},
	};
	for (size_t i = 0; i < sizeof lists / sizeof lists[0] && rc == STORE_OK;
	     i++) {
		json_t *arr;
		rc = json_rows(env->db, NULL, lists[i].sql, STORE_PARAMS(SP_I(t.id)),
		               lists[i].cols, lists[i].ncols, &arr);
		if (rc == STORE_OK)
			json_object_set_new(o, lists[i].key, arr);
	}
	if (rc != STORE_OK) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return STORE_OK;
}
