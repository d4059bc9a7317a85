/*
 * remote_sessions.c - R11 remote sessions (see remote_sessions.h).
 */
#include "app/billing/remote_sessions.h"
#include "app/base/audit.h"
#include "app/base/json_rows.h"
#include "app/base/localtime.h"
#include "app/base/outbound.h"
#include "app/base/template.h"
#include "app/config/branding.h"
#include "app/billing/hourbank_store.h"
#include "app/billing/ticket_coverage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ticket, open, and the staff member acting on it. */
static enum app_rc
load(struct store *db, int64_t number, const char *staff_email,
     struct ticket_info *t, struct actor *who)
{
	enum app_rc a = ticket_info_load(db, number, t);
	if (a == APP_OK && strcmp(t->state, "closed") == 0)
		a = app_refuse(db, "ticket #%06lld is closed", (long long)number);
	if (a == APP_OK)
		a = staff_actor(db, staff_email, who);
	return a;
}

int
remote_session_render(const struct policy *pol, const char *lang,
                      const struct remote_mail_facts *f, char **subject,
                      char **body, char *err, size_t errlen)
{
	char number[24], mins[24];
	snprintf(number, sizeof number, "%06lld", (long long)f->number);
	snprintf(mins, sizeof mins, "%lld", (long long)(f->planned_s / 60));
	struct branding b;
	branding_get(pol, &b);
	const struct tvar vars[] = {
		{"number", number},
		{"subject", f->subject},
		{"contact_name", f->contact_name},
		{"assignee_name", f->assignee_name},
		{"start_local", f->start_local},
		{"end_local", f->end_local},
		{"minutes", mins},
		{"company", b.company},
		{"support_address", pol->support_address},
		{"phone", b.phone},
		{"phone_after_email", b.phone_after_email ? "yes" : ""},
	};
	return template_render(lang, "remote_session", vars,
	                       sizeof vars / sizeof vars[0], subject, body, err,
	                       errlen);
}

static enum app_rc
mail_client(struct store *db, const struct policy *pol,
            const struct calendar *cal, const struct ticket_info *t,
            int64_t user_id, int64_t at, int64_t planned_s, int64_t now)
{
	if (t->contact_id == 0)
		return APP_OK;   /* nobody to tell: the session is still logged */
	struct store_rows *r;
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT ct.email, ct.name, COALESCE(u.name, ''), c.language "
	    "FROM contacts ct JOIN clients c ON c.id = ct.client_id "
	    "LEFT JOIN users u ON u.id = $2 WHERE ct.id = $1",
	    STORE_PARAMS(SP_I(t->contact_id), SP_I(user_id)), &r);
	if (rc != STORE_OK)
		return app_of_store(rc);
	char when[LOCAL_TIME_LEN], until[LOCAL_TIME_LEN];
	local_time_format(cal, at, when);
	local_time_format(cal, at + planned_s, until);
	const struct remote_mail_facts f = {
		.number = t->number,
		.subject = t->subject,
		.contact_name = store_text(r, 1),
		.assignee_name = store_text(r, 2),
		.start_local = when,
		.end_local = until,
		.planned_s = planned_s,
	};
	const char *lang = store_isnull(r, 3) ? "es" : store_text(r, 3);
	char *subject = NULL, *body = NULL, err[256];
	if (remote_session_render(pol, lang, &f, &subject, &body, err,
	                          sizeof err) != 0)
		rc = store_fail(db, STORE_ERROR, "mail template remote_session: %s",
		                err);
	char to[320];
	snprintf(to, sizeof to, "%s", store_text(r, 0));
	store_done(r);   /* the row's texts are not read after this */
	if (rc == STORE_OK) {
		struct outbound_new m = {
			.ticket_id = t->id,
			.ticket_number = t->number,
			.kind = "remote_session",
			.to = to,
			.subject = subject,
			.body = body,
		};
		rc = outbound_queue(db, pol, &m, now, NULL);
	}
	free(subject);
	free(body);
	return app_of_store(rc);
}

enum app_rc
remote_schedule(struct store *db, const struct policy *pol,
                const struct calendar *cal, int64_t number,
                const char *staff_email, int64_t at, int64_t planned_s,
                int64_t now, int64_t *id)
{
	struct ticket_info t;
	struct actor who;
	if (planned_s <= 0 || planned_s > 24 * 3600)
		return app_refuse(db, "a remote session lasts from 1 minute to 24 "
		                  "hours");
	if (at < now)
		return app_refuse(db, "a remote session is scheduled from now on");
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	a = load(db, number, staff_email, &t, &who);
	if (a == APP_OK)
		a = app_of_store(store_get_int(
		    db,
		    "INSERT INTO remote_sessions (ticket_id, user_id, scheduled_at, "
		    "planned_s, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
		    STORE_PARAMS(SP_I(t.id), SP_I(who.id), SP_I(at), SP_I(planned_s),
		                 SP_I(now)),
		    id));
	if (a == APP_OK)
		a = mail_client(db, pol, cal, &t, who.id, at, planned_s, now);
	if (a == APP_OK)
		a = app_of_store(audit_record(
		    db, who, t.id, "remote.scheduled",
		    json_pack("{s:I, s:I, s:I}", "session_id", (json_int_t)*id,
		              "scheduled_at", (json_int_t)at, "planned_s",
		              (json_int_t)planned_s),
		    now));
	return app_finish(db, a);
}

enum app_rc
remote_ticket(struct store *db, int64_t id, int64_t *number)
{
	enum store_rc rc = store_get_int(
	    db,
	    "SELECT t.number FROM remote_sessions s JOIN tickets t "
	    "ON t.id = s.ticket_id WHERE s.id = $1",
	    STORE_PARAMS(SP_I(id)), number);
	if (rc == STORE_NOTFOUND)
		return app_refuse(db, "there is no remote session %lld",
		                  (long long)id);
	return app_of_store(rc);
}

/* The session's ticket, open, the staff member acting, and the session's
 * start (0: not started) and end (0: not ended). */
static enum app_rc
session_load(struct store *db, int64_t id, const char *staff_email,
             struct ticket_info *t, struct actor *who, int64_t *started,
             int64_t *ended)
{
	int64_t number;
	enum app_rc a = remote_ticket(db, id, &number);
	if (a == APP_OK)
		a = load(db, number, staff_email, t, who);
	if (a == APP_OK)
		a = app_of_store(store_get_int(
		    db, "SELECT COALESCE(started_at, 0) FROM remote_sessions "
		    "WHERE id = $1", STORE_PARAMS(SP_I(id)), started));
	if (a == APP_OK)
		a = app_of_store(store_get_int(
		    db, "SELECT COALESCE(ended_at, 0) FROM remote_sessions "
		    "WHERE id = $1", STORE_PARAMS(SP_I(id)), ended));
	return a;
}

enum app_rc
remote_start(struct store *db, int64_t id, const char *staff_email,
             int64_t now)
{
	struct ticket_info t;
	struct actor who;
	int64_t started = 0, ended = 0;
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	a = session_load(db, id, staff_email, &t, &who, &started, &ended);
	if (a == APP_OK && started)
		a = app_refuse(db, "remote session %lld already started",
		               (long long)id);
	if (a == APP_OK)
		a = app_of_store(store_exec(
		    db,
		    "UPDATE remote_sessions SET started_at = $2, user_id = $3 "
		    "WHERE id = $1",
		    STORE_PARAMS(SP_I(id), SP_I(now), SP_I(who.id))));
	if (a == APP_OK)
		a = app_of_store(audit_record(
		    db, who, t.id, "remote.started",
		    json_pack("{s:I}", "session_id", (json_int_t)id), now));
	return app_finish(db, a);
}

enum app_rc
remote_end(struct store *db, const struct policy *pol,
           const struct calendar *cal, int64_t id, const char *staff_email,
           int64_t now, int64_t *entry_id)
{
	struct ticket_info t = {0};
	struct actor who = {0};
	int64_t started = 0, ended = 0;
	/* One transaction: the session ends and its time is logged to the
	 * hour bank (with the bank's own refusals), or nothing changes. */
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	a = session_load(db, id, staff_email, &t, &who, &started, &ended);
	if (a == APP_OK && !started)
		a = app_refuse(db, "remote session %lld has not started",
		               (long long)id);
	if (a == APP_OK && ended)
		a = app_refuse(db, "remote session %lld already ended", (long long)id);
	if (a == APP_OK && now <= started)
		a = app_refuse(db, "remote session %lld ends after its start",
		               (long long)id);
	char note[64];
	snprintf(note, sizeof note, "remote session %lld", (long long)id);
	struct time_request tr = {
		.ticket_number = t.number,
		.seconds = now - started,
		.note = note,
		.user_email = staff_email,
		.kind = HB_REMOTE_SESSION,
	};
	struct time_logged logged = {0};
	if (a == APP_OK)
		a = time_log_in_tx(db, pol, cal, &tr, now, &logged);
	if (a == APP_OK) {
		*entry_id = logged.id;
		a = app_of_store(store_exec(
		    db,
		    "UPDATE remote_sessions SET ended_at = $2, time_entry_id = $3 "
		    "WHERE id = $1",
		    STORE_PARAMS(SP_I(id), SP_I(now), SP_I(logged.id))));
	}
	if (a == APP_OK)
		a = app_of_store(audit_record(
		    db, who, t.id, "remote.ended",
		    json_pack("{s:I, s:I, s:I}", "session_id", (json_int_t)id,
		              "seconds", (json_int_t)(now - started), "time_entry_id",
		              (json_int_t)logged.id),
		    now));
	return app_finish(db, a);
}

enum app_rc
remote_list_json(struct store *db, int64_t number, int64_t after_id,
                 int64_t limit, json_t **out)
{
	static const char *const keys[] = {
	    "#id", "consultant", "tool", "@scheduled_at", "#planned_s",
	    "@started_at", "@ended_at", "#time_entry_id"};
	return app_of_store(json_rows(
	    db, NULL,
	    "SELECT s.id, u.email, s.tool, s.scheduled_at, s.planned_s, "
	    "s.started_at, s.ended_at, s.time_entry_id FROM remote_sessions s "
	    "JOIN users u ON u.id = s.user_id JOIN tickets t ON t.id = s.ticket_id "
	    "WHERE t.number = $1 AND s.id > $2 ORDER BY s.id LIMIT $3",
	    STORE_PARAMS(SP_I(number), SP_I(after_id), SP_I(limit)), keys, sizeof keys / sizeof keys[0], out));
}
