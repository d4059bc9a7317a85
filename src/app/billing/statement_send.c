/*
 * statement_send.c - the statement mailed to billing contacts, and the
 * monthly run (see statement_send.h).
 */
#include "app/billing/statement_send.h"
#include "app/base/audit.h"
#include "app/base/blob.h"
#include "app/base/outbound.h"
#include "app/base/template.h"
#include "app/billing/contracts.h"
#include "app/billing/statement.h"
#include "app/config/branding.h"
#include "app/config/document.h"
#include "util/log.h"
#include "util/money.h"
#include "util/sha256.h"
#include "util/timefmt.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
statement_mail_render(const struct policy *pol, const char *lang,
                      const struct statement_mail_facts *f, char **subject,
                      char **body, char *err, size_t errlen)
{
	struct branding b;
	branding_get(pol, &b);
	const struct tvar vars[] = {
		{"client_name", f->client_name},
		{"month", f->month},
		{"hours_used", f->hours_used},
		{"total", f->total},
		{"filename", f->filename},
		{"company", b.company},
		{"support_address", pol->support_address},
		{"phone", b.phone},
		{"phone_after_email", b.phone_after_email ? "yes" : ""},
	};
	return template_render(document_lang(lang), "statement", vars,
	                       sizeof vars / sizeof vars[0], subject, body, err,
	                       errlen);
}

void
statement_filename(const char *lang, const char *domain, int64_t year,
                   int month, char *out, size_t len)
{
	snprintf(out, len, "%s-%s-%04lld-%02d.pdf",
	         strcmp(document_lang(lang), "en") == 0 ? "statement"
	                                                : "estado-de-cuenta",
	         domain, (long long)year, month);
}

enum app_rc
statement_months(struct store *db, int64_t client_id, json_t **out)
{
	*out = NULL;
	struct store_rows *r;
	enum store_rc rc = store_query(
	    db,
	    "SELECT m.month, (SELECT COUNT(*) FROM statements_sent s WHERE "
	    "s.client_id = $1 AND s.month = m.month), (SELECT MAX(s.created_at) "
	    "FROM statements_sent s WHERE s.client_id = $1 AND s.month = m.month) "
	    "FROM (SELECT DISTINCT substr(e.work_date, 1, 7) AS month FROM "
	    "time_entries e JOIN tickets t ON t.id = e.ticket_id WHERE "
	    "t.client_id = $1 UNION SELECT month FROM statements_sent WHERE "
	    "client_id = $1) m ORDER BY m.month DESC LIMIT 36",
	    STORE_PARAMS(SP_I(client_id)), &r);
	if (rc != STORE_OK)
		return app_of_store(rc);
	json_t *items = json_array();
	while ((rc = store_next(r)) == STORE_ROW) {
		json_t *x = json_object();
		json_object_set_new(x, "month", json_string(store_text(r, 0)));
		json_object_set_new(x, "sent", json_integer(store_int(r, 1)));
		if (store_isnull(r, 2)) {
			json_object_set_new(x, "last_sent_at", json_null());
		} else {
			char iso[ISO_UTC_LEN];
			iso_utc_format(store_int(r, 2), iso);
			json_object_set_new(x, "last_sent_at", json_string(iso));
		}
		json_array_append_new(items, x);
	}
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(items);
		return app_of_store(rc);
	}
	*out = json_pack("{s:o}", "items", items);
	return APP_OK;
}

/* "noviembre de 2026" for 2026-11 in lang, from statement.lines. */
static int
month_words(const char *lang, int64_t year, int month, char *out, size_t len)
{
	char err[128], key[8], y[8], *name = NULL, *all = NULL;
	char *book = phrases_load(lang, "statement", err, sizeof err);
	snprintf(key, sizeof key, "m%d", month);
	snprintf(y, sizeof y, "%04lld", (long long)year);
	int rc = -1;
	if (book && phrases_say(book, key, NULL, 0, &name, err, sizeof err) == 0) {
		const struct tvar v[] = {{"name", name}, {"year", y}};
		rc = phrases_say(book, "month", v, 2, &all, err, sizeof err);
	}
	if (rc == 0)
		snprintf(out, len, "%s", all);
	else
		log_error("statement: %s", err);
	free(name);
	free(all);
	free(book);
	return rc;
}

/* The rendering of one statement: the PDF and the mail's facts. */
struct rendered {
	unsigned char *pdf;
	size_t len;
	char sha[SHA256_HEX_LEN + 1];
	char filename[96], month[64], hours[32], total[MONEY_TEXT_MAX];
	char client_name[256], lang[4];
};

static enum app_rc
render(struct store *db, const struct policy *pol, int64_t client_id,
       const char *domain, int64_t year, int month, struct rendered *out)
{
	char *lang = NULL;
	enum app_rc a = app_of_store(store_get_text(
	    db, "SELECT language FROM clients WHERE id = $1",
	    STORE_PARAMS(SP_I(client_id)), &lang));
	if (a != APP_OK)
		return a;
	snprintf(out->lang, sizeof out->lang, "%s", document_lang(lang));
	free(lang);
	json_t *s = NULL;
	a = statement_json(db, pol, domain, year, month, &s);
	if (a != APP_OK)
		return a;
	json_t *tot = json_object_get(s, "totals");
	long long used = (long long)json_integer_value(json_object_get(tot, "used_s"));
	long long ch = (used * 100 + 1800) / 3600;
	snprintf(out->hours, sizeof out->hours, "%lld.%02lld h", ch / 100, ch % 100);
	money_text(json_integer_value(json_object_get(tot, "amount_cents")),
	           out->total);
	snprintf(out->client_name, sizeof out->client_name, "%s",
	         json_string_value(json_object_get(s, "client_name")));
	statement_filename(out->lang, domain, year, month, out->filename,
	                   sizeof out->filename);
	if (month_words(out->lang, year, month, out->month, sizeof out->month) != 0 ||
	    statement_render(pol, s, out->lang, &out->pdf, &out->len) != 0)
		a = app_of_store(store_fail(db, STORE_ERROR,
		                            "the statement could not be rendered"));
	else
		sha256_hex(out->pdf, out->len, out->sha);
	json_decref(s);
	return a;
}

/* One mail with the PDF to each billing contact, in the transaction. */
static enum store_rc
queue_mails(struct store *db, const struct policy *pol, int64_t client_id,
            const struct rendered *r, int64_t now, int *mails)
{
	char *subject = NULL, *body = NULL, err[256];
	const struct statement_mail_facts f = {r->client_name, r->month, r->hours,
	                                       r->total, r->filename};
	if (statement_mail_render(pol, r->lang, &f, &subject, &body, err,
	                          sizeof err) != 0)
		return store_fail(db, STORE_ERROR, "mail template statement: %s", err);
	struct store_rows *rows;
	char (*to)[256] = NULL;
	size_t n = 0;
	enum store_rc rc = store_query(
	    db,
	    "SELECT email FROM contacts WHERE client_id = $1 AND billing = 1 "
	    "AND email_failing_since IS NULL ORDER BY id",
	    STORE_PARAMS(SP_I(client_id)), &rows);
	if (rc == STORE_OK) {
		while ((rc = store_next(rows)) == STORE_ROW) {
			char (*more)[256] = realloc(to, (n + 1) * sizeof *to);
			if (more == NULL) {
				rc = store_fail(db, STORE_ERROR, "out of memory");
				break;
			}
			to = more;
			snprintf(to[n++], sizeof *to, "%s", store_text(rows, 0));
		}
		store_done(rows);
		rc = rc == STORE_DONE ? STORE_OK : rc;
	}
	for (size_t i = 0; i < n && rc == STORE_OK; i++) {
		char msgid[OUTBOUND_MSGID_MAX];
		const struct outbound_new m = {
			.kind = "statement", .to = to[i], .subject = subject, .body = body,
		};
		rc = outbound_queue(db, pol, &m, now, msgid);
		if (rc == STORE_OK)
			rc = outbound_attach(db, msgid, r->filename, "application/pdf",
			                     r->sha);
	}
	if (rc == STORE_OK && n == 0)
		rc = store_fail(db, STORE_CONSTRAINT, "no billing contact");
	*mails = (int)n;
	free(to);
	free(subject);
	free(body);
	return rc;
}

/* Records and queues rendered statement r in one transaction; *already
 * set when the monthly statement was sent before. */
static enum app_rc
record(struct store *db, const struct policy *pol, int64_t client_id,
       const char *ym, const struct rendered *r, int resend, const char *by,
       int64_t now, int *mails, int *already)
{
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return app_of_store(rc);
	int64_t id = 0;
	rc = blob_put(db, r->sha, r->pdf, r->len);
	if (rc == STORE_OK)
		rc = store_get_int(
		    db,
		    "INSERT INTO statements_sent (client_id, month, reason, sha256, "
		    "recipients, sent_by, created_at) VALUES ($1, $2, $3, $4, 0, $5, "
		    "$6) ON CONFLICT DO NOTHING RETURNING id",
		    STORE_PARAMS(SP_I(client_id), SP_T(ym),
		                 SP_T(resend ? "resend" : "monthly"), SP_T(r->sha),
		                 SP_T(by), SP_I(now)),
		    &id);
	enum app_rc a = APP_OK;
	if (rc == STORE_NOTFOUND) {
		store_rollback(db);
		*already = 1;
		return app_refuse(db, "the statement of %s was already sent", ym);
	}
	if (rc == STORE_OK)
		rc = queue_mails(db, pol, client_id, r, now, mails);
	if (rc == STORE_OK)
		rc = store_exec(db, "UPDATE statements_sent SET recipients = $2 "
		                    "WHERE id = $1",
		                STORE_PARAMS(SP_I(id), SP_I(*mails)));
	if (rc == STORE_OK)
		rc = audit_record(db, ACTOR_SYSTEM_INIT, 0,
		                  resend ? "statement.resent" : "statement.sent",
		                  json_pack("{s:I,s:s,s:i,s:s}", "client_id",
		                            (json_int_t)client_id, "month", ym,
		                            "recipients", *mails, "by", by),
		                  now);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc == STORE_CONSTRAINT) {
		store_rollback(db);
		return app_refuse(db, "%s", store_errmsg(db));
	}
	if (rc != STORE_OK) {
		a = app_of_store(rc);
		store_rollback(db);
	}
	return a;
}

static enum app_rc
send_one(struct store *db, const struct policy *pol, int64_t client_id,
         const char *domain, int64_t year, int month, int resend,
         const char *by, int64_t now, int *mails, int *already)
{
	struct rendered r = {0};
	char ym[32];
	snprintf(ym, sizeof ym, "%04lld-%02d", (long long)year, month);
	*mails = 0;
	*already = 0;
	int64_t to = 0;
	enum app_rc a = app_of_store(store_get_int(
	    db,
	    "SELECT COUNT(*) FROM contacts WHERE client_id = $1 AND billing = 1 "
	    "AND email_failing_since IS NULL",
	    STORE_PARAMS(SP_I(client_id)), &to));
	if (a == APP_OK && to == 0)
		return app_refuse(db, "%s has no billing contact to send the "
		                      "statement to (a contact with billing: the "
		                      "clients import or the API)", domain);
	if (a == APP_OK)
		a = render(db, pol, client_id, domain, year, month, &r);
	if (a == APP_OK)
		a = record(db, pol, client_id, ym, &r, resend, by, now, mails,
		           already);
	free(r.pdf);
	return a;
}

enum app_rc
statement_send(struct store *db, const struct policy *pol, const char *domain,
               int64_t year, int month, int resend, const char *by,
               int64_t now, int *mails)
{
	int64_t client_id = 0;
	int n = 0, already;
	if (month < 1 || month > 12 || year < 1 || year > 9999)
		return app_refuse(db, "which month? (--month YYYY-MM)");
	enum app_rc a = client_find(db, domain, &client_id);
	if (a == APP_OK)
		a = send_one(db, pol, client_id, domain, year, month, resend, by, now,
		             &n, &already);
	if (mails)
		*mails = n;
	return a;
}

/* The local civil day of instant t in the calendar's zone. */
static int64_t
local_day(const struct calendar *cal, int64_t t)
{
	int64_t l = t + calendar_utc_offset(cal, t);
	return (l >= 0 ? l : l - 86399) / 86400;
}

enum app_rc
statements_monthly_run(struct store *db, const struct policy *pol,
                       const struct calendar *cal, const char *by, int64_t now,
                       struct statements_run *out)
{
	memset(out, 0, sizeof *out);
	int64_t today = local_day(cal, now), y;
	int m, d;
	civil_from_days(today, &y, &m, &d);
	/* The first business instant of this month, from its local midnight. */
	int64_t first = days_from_civil(y, m, 1), open;
	int64_t midnight = first * 86400;
	midnight -= calendar_utc_offset(cal, midnight);
	if (calendar_next_open(cal, midnight, &open) != CAL_OK ||
	    local_day(cal, open) > today)
		return APP_OK;
	out->due = 1;
	int64_t py = m == 1 ? y - 1 : y;
	int pm = m == 1 ? 12 : m - 1;
	char ym[32], from[ISO_DATE_LEN], to[ISO_DATE_LEN];
	snprintf(ym, sizeof ym, "%04lld-%02d", (long long)py, pm);
	snprintf(out->month, sizeof out->month, "%s", ym);
	iso_date_format(days_from_civil(py, pm, 1), from);
	iso_date_format(days_from_civil(py, pm, days_in_month(py, pm)), to);

	struct store_rows *r;
	enum store_rc rc = store_query(
	    db,
	    "SELECT c.id, c.domain FROM clients c WHERE EXISTS (SELECT 1 FROM "
	    "contacts k WHERE k.client_id = c.id AND k.billing = 1 AND "
	    "k.email_failing_since IS NULL) AND NOT EXISTS "
	    "(SELECT 1 FROM statements_sent s WHERE s.client_id = c.id AND "
	    "s.month = $1 AND s.reason = 'monthly') AND (EXISTS (SELECT 1 FROM "
	    "contracts k WHERE k.client_id = c.id AND k.valid_from <= $3 AND "
	    "k.valid_to >= $2 AND (k.ended_on IS NULL OR k.ended_on >= $2)) OR "
	    "EXISTS (SELECT 1 FROM time_entries e JOIN tickets t ON t.id = "
	    "e.ticket_id WHERE t.client_id = c.id AND e.work_date >= $2 AND "
	    "e.work_date <= $3)) ORDER BY c.id",
	    STORE_PARAMS(SP_T(ym), SP_T(from), SP_T(to)), &r);
	if (rc != STORE_OK)
		return app_of_store(rc);
	struct due_client {
		int64_t id;
		char domain[256];
	} *due = NULL;
	size_t n = 0;
	while ((rc = store_next(r)) == STORE_ROW) {
		struct due_client *more = realloc(due, (n + 1) * sizeof *due);
		if (more == NULL) {
			rc = store_fail(db, STORE_ERROR, "out of memory");
			break;
		}
		due = more;
		due[n].id = store_int(r, 0);
		snprintf(due[n].domain, sizeof due[n].domain, "%s", store_text(r, 1));
		n++;
	}
	store_done(r);
	enum app_rc a = rc == STORE_DONE ? APP_OK : app_of_store(rc);
	for (size_t i = 0; i < n && a == APP_OK; i++) {
		int mails = 0, already = 0;
		enum app_rc one = send_one(db, pol, due[i].id, due[i].domain, py, pm,
		                           0, by, now, &mails, &already);
		if (one == APP_OK) {
			out->clients++;
			out->mails += mails;
		} else if (already) {
			out->already++;
		} else if (one == APP_BUSY) {
			a = one;
		} else {
			log_warn("statements: %s %s not sent: %s; next run",
			         due[i].domain, ym, store_errmsg(db));
			out->failed++;
		}
	}
	free(due);
	return a;
}
