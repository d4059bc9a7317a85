/*
 * hour_alerts.c - the hour bank's alerts (see hour_alerts.h).
 */
#include "app/billing/hour_alerts.h"
#include "app/base/audit.h"
#include "app/base/outbound.h"
#include "app/base/template.h"
#include "app/config/branding.h"
#include "app/billing/hourbank_store.h"
#include "core/hour_alerts.h"
#include "core/hourbank.h"
#include "util/money.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "16 h" or "16 h 15 min". */
static void
hours_text(int64_t s, char out[32])
{
	if (s < 0)
		s = 0;
	long long h = (long long)(s / 3600), m = (long long)(s % 3600 / 60);
	if (m)
		snprintf(out, 32, "%lld h %02lld min", h, m);
	else
		snprintf(out, 32, "%lld h", h);
}

/* The alerts already told for this contract and month. */
static enum store_rc
alerts_told(struct store *db, int64_t contract_id, const char *month,
            unsigned *told)
{
	static const enum hb_alert all[] = {HB_ALERT_PERCENT, HB_ALERT_FULL,
	                                    HB_ALERT_OVERAGE};
	struct store_rows *r;
	*told = 0;
	enum store_rc rc = store_query(
	    db, "SELECT alert FROM hour_alerts WHERE contract_id = $1 AND month = $2",
	    STORE_PARAMS(SP_I(contract_id), SP_T(month)), &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW)
		for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
			if (strcmp(store_text(r, 0), hourbank_alert_name(all[i])) == 0)
				*told |= all[i];
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

int
hour_alert_render(const struct policy *pol, const char *kind,
                  const char *lang, const struct hour_alert_facts *f,
                  char **subject, char **body, char *err, size_t errlen)
{
	char used[32], included[32], overage[32], percent[8],
	    rate[MONEY_TEXT_MAX];
	hours_text(f->used_s, used);
	hours_text(f->included_s, included);
	hours_text(f->overage_s, overage);
	snprintf(percent, sizeof percent, "%d", f->percent);
	money_text(f->rate_cents, rate);
	struct branding b;
	branding_get(pol, &b);
	const struct tvar vars[] = {
		{"client_name", f->client_name},
		{"plan_name", strcmp(lang, "en") == 0 && f->plan_name_en
		                  ? f->plan_name_en
		                  : f->plan_name},
		{"month", f->month},
		{"used_hours", used},
		{"included_hours", included},
		{"overage_hours", overage},
		{"percent", percent},
		{"hourly_rate", rate},
		{"company", b.company},
		{"support_address", pol->support_address},
		{"phone", b.phone},
		{"phone_after_email", b.phone_after_email ? "yes" : ""},
	};
	return template_render(lang, kind, vars, sizeof vars / sizeof vars[0],
	                       subject, body, err, errlen);
}

static enum store_rc
queue_to(struct store *db, const struct policy *pol, const char *kind,
         const struct hour_alert_facts *f, const char *lang, const char *to,
         int64_t now)
{
	char *subject = NULL, *body = NULL, err[256];
	if (hour_alert_render(pol, kind, lang, f, &subject, &body, err,
	                      sizeof err) != 0)
		return store_fail(db, STORE_ERROR, "mail template %s: %s", kind, err);
	struct outbound_new o = {
		.kind = kind,
		.to = to,
		.subject = subject,
		.body = body,
	};
	enum store_rc rc = outbound_queue(db, pol, &o, now, NULL);
	free(subject);
	free(body);
	return rc;
}

/* Records the alerts reached and not told; mails the highest. */
static enum store_rc
tell(struct store *db, const struct policy *pol,
     const struct client_contract *k, int64_t client_id, const char *month,
     const struct hb_statement *s, unsigned fresh, enum hb_alert mail,
     int64_t now)
{
	static const enum hb_alert all[] = {HB_ALERT_PERCENT, HB_ALERT_FULL,
	                                    HB_ALERT_OVERAGE};
	enum store_rc rc = STORE_OK;
	for (size_t i = 0; i < sizeof all / sizeof all[0] && rc == STORE_OK; i++) {
		if (!(fresh & all[i]))
			continue;
		int64_t ignored;
		rc = store_get_int(
		    db,
		    "INSERT INTO hour_alerts (contract_id, month, alert, used_s, "
		    "mailed, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
		    "ON CONFLICT DO NOTHING RETURNING contract_id",
		    STORE_PARAMS(SP_I(k->id), SP_T(month),
		                 SP_T(hourbank_alert_name(all[i])), SP_I(s->used_s),
		                 SP_I(all[i] == mail), SP_I(now)),
		    &ignored);
		/* Already there: another transaction told it first. */
		if (rc == STORE_NOTFOUND)
			return STORE_OK;
	}
	if (rc != STORE_OK)
		return rc;

	char *client = NULL, *contact = NULL, *lang = NULL;
	rc = store_get_text(db, "SELECT name FROM clients WHERE id = $1",
	                    STORE_PARAMS(SP_I(client_id)), &client);
	if (rc == STORE_OK)
		rc = store_get_text(db, "SELECT language FROM clients WHERE id = $1",
		                    STORE_PARAMS(SP_I(client_id)), &lang);
	if (rc == STORE_OK) {
		rc = store_get_text(db,
		                    "SELECT email FROM contacts WHERE client_id = $1 "
		                    "ORDER BY id LIMIT 1",
		                    STORE_PARAMS(SP_I(client_id)), &contact);
		if (rc == STORE_NOTFOUND)
			rc = STORE_OK;   /* the Project Manager is still told */
	}
	const struct policy_plan *plan = policy_plan_of(pol, k->plan);
	char mon[8];
	snprintf(mon, sizeof mon, "%.2s/%.4s", month + 5, month);
	const struct hour_alert_facts f = {
		.client_name = client ? client : "",
		.plan_name = plan ? plan->name_es : "",
		.plan_name_en = plan ? plan->name_en : NULL,
		.month = mon,
		.percent = mail == HB_ALERT_PERCENT ? pol->hour_alert_percent : 100,
		.used_s = s->used_s,
		.included_s = s->included_s,
		.overage_s = s->overage_s,
		.rate_cents = k->hourly_rate_cents,
	};
	const char *kind = mail == HB_ALERT_OVERAGE ? "hour_overage" : "hour_alert";
	if (rc == STORE_OK && contact)
		rc = queue_to(db, pol, kind, &f, lang ? lang : "es", contact, now);
	if (rc == STORE_OK && pol->project_manager_address[0])
		rc = queue_to(db, pol, kind, &f, "es", pol->project_manager_address,
		              now);
	if (rc == STORE_OK)
		rc = audit_record(
		    db, (struct actor){ACTOR_SYSTEM, 0}, 0, "hour_bank.alert",
		    json_pack("{s:I, s:s, s:s, s:I, s:I}", "contract_id",
		              (json_int_t)k->id, "month", month, "alert",
		              hourbank_alert_name(mail), "used_s",
		              (json_int_t)s->used_s, "included_s",
		              (json_int_t)s->included_s),
		    now);
	free(client);
	free(contact);
	free(lang);
	return rc;
}

enum app_rc
hour_alerts_after_log(struct store *db, const struct policy *pol,
                      const struct client_contract *k, int64_t client_id,
                      int64_t day, int64_t now)
{
	const struct policy_plan *plan = policy_plan_of(pol, k->plan);
	if (plan == NULL || plan->period != PLAN_PERIOD_MONTH)
		return APP_OK;
	int64_t y;
	int m, d;
	civil_from_days(day, &y, &m, &d);
	char month[8], first[ISO_DATE_LEN], last[ISO_DATE_LEN];
	snprintf(month, sizeof month, "%04lld-%02d", (long long)y, m);
	snprintf(first, sizeof first, "%s-01", month);
	snprintf(last, sizeof last, "%s-31", month);
	/* The month's entries of the contract's tickets, with their
	 * corrections (as the statement loads them). */
	struct hb_entries es = {0};
	enum app_rc a = hb_entries_load(
	    db,
	    "e.ticket_id IN (SELECT e2.ticket_id FROM time_entries e2 WHERE "
	    "e2.contract_id = $1 AND e2.work_date >= $2 AND e2.work_date <= $3)",
	    STORE_PARAMS(SP_I(k->id), SP_T(first), SP_T(last)), &es);
	struct hb_statement *s = a == APP_OK ? malloc(sizeof *s) : NULL;
	if (a == APP_OK && s == NULL)
		a = app_of_store(store_fail(db, STORE_ERROR, "out of memory"));
	if (a == APP_OK &&
	    hourbank_statement(pol, k, es.e, es.n, y, m, s, NULL) == HB_OK) {
		unsigned told = 0;
		unsigned reached = hourbank_alerts_reached(pol->hour_alert_percent,
		                                           s->included_s, s->used_s);
		enum store_rc rc = alerts_told(db, k->id, month, &told);
		enum hb_alert mail = hourbank_alert_to_mail(reached, told);
		if (rc == STORE_OK && mail)
			rc = tell(db, pol, k, client_id, month, s, reached & ~told, mail,
			          now);
		a = app_of_store(rc);
	}
	/* A statement the core refuses (a per-event rule, too many entries)
	 * is not this entry's business: the monthly statement reports it. */
	free(s);
	hb_entries_free(&es);
	return a;
}
