/*
 * hourbank_store.c - logging and listing time (see hourbank_store.h);
 * statements are in statement.c.
 */
#include "app/billing/hourbank_store.h"
#include "app/base/audit.h"
#include "app/base/json_rows.h"
#include "app/billing/client_facts.h"
#include "app/billing/contracts.h"
#include "app/billing/hour_alerts.h"
#include "app/billing/po_hours.h"
#include "app/billing/ticket_coverage.h"
#include "util/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum app_rc
hb_entries_load(struct store *db, const char *where,
                const struct store_param *p, int np, struct hb_entries *out)
{
	char sql[1024];
	memset(out, 0, sizeof *out);
	snprintf(sql, sizeof sql,
	         "SELECT e.id, e.ticket_id, e.user_id, e.work_date, e.seconds, "
	         "e.kind, e.coverage, e.contract_id, e.corrects_id, o.number "
	         "FROM time_entries e LEFT JOIN purchase_orders o "
	         "ON o.id = e.purchase_order_id WHERE %s ORDER BY e.id",
	         where);
	struct store_rows *r;
	enum store_rc rc = store_query(db, sql, p, np, &r);
	if (rc != STORE_OK)
		return app_of_store(rc);
	while ((rc = store_next(r)) == STORE_ROW) {
		if (out->n == out->cap) {
			int cap = out->cap ? out->cap * 2 : 64;
			struct hb_entry *e = realloc(out->e, (size_t)cap * sizeof *e);
			if (e == NULL) {
				store_done(r);
				hb_entries_free(out);
				return app_of_store(store_fail(db, STORE_ERROR,
				                               "out of memory"));
			}
			out->e = e;
			out->cap = cap;
		}
		struct hb_entry *e = &out->e[out->n++];
		memset(e, 0, sizeof *e);
		e->id = store_int(r, 0);
		e->ticket_id = store_int(r, 1);
		e->consultant_id = store_int(r, 2);
		e->day = client_day_of(store_text(r, 3));
		e->seconds = store_int(r, 4);
		if (hb_kind_parse(store_text(r, 5), &e->kind) != 0 ||
		    coverage_charge_parse(store_text(r, 6), &e->coverage) != 0 ||
		    e->day == CLIENT_NO_DAY) {
			store_done(r);
			enum app_rc a = app_of_store(store_fail(
			    db, STORE_ERROR, "time entry %lld: unreadable row",
			    (long long)e->id));
			hb_entries_free(out);
			return a;
		}
		e->contract_id = store_int(r, 7);
		e->corrects_id = store_int(r, 8);
		snprintf(e->purchase_order, sizeof e->purchase_order, "%s",
		         store_text(r, 9));
	}
	store_done(r);
	if (rc != STORE_DONE) {
		hb_entries_free(out);
		return app_of_store(rc);
	}
	return APP_OK;
}

void
hb_entries_free(struct hb_entries *es)
{
	free(es->e);
	memset(es, 0, sizeof *es);
}

/* The staff member who worked: by e-mail, or the ticket's assignee. */
static enum app_rc
find_user(struct store *db, const struct time_request *r,
          const struct ticket_info *t, int64_t *id)
{
	struct store_rows *rows;
	enum store_rc rc;
	char low[320];   /* bound to the query: lives until store_done() */
	if (r->user_email == NULL && t->assignee_id == 0)
		return app_refuse(db, "ticket #%06lld has no assignee: say who did "
		                  "the work (--as EMAIL)", (long long)t->number);
	if (r->user_email) {
		snprintf(low, sizeof low, "%s", r->user_email);
		ascii_lower(low);
		rc = store_query_row(
		    db, "SELECT id, role, active FROM users WHERE email = $1",
		    STORE_PARAMS(SP_T(low)), &rows);
	} else {
		rc = store_query_row(
		    db, "SELECT id, role, active FROM users WHERE id = $1",
		    STORE_PARAMS(SP_I(t->assignee_id)), &rows);
	}
	if (rc == STORE_NOTFOUND)
		return app_refuse(db, "no user has the e-mail '%.100s'",
		                  r->user_email ? r->user_email : "");
	if (rc != STORE_OK)
		return app_of_store(rc);
	enum app_rc a = APP_OK;
	*id = store_int(rows, 0);
	if (strcmp(store_text(rows, 1), "client") == 0)
		a = app_refuse(db, "%s is a client account, not staff",
		               r->user_email ? r->user_email : "the assignee");
	else if (store_int(rows, 2) == 0)
		a = app_refuse(db, "%s is not an active account",
		               r->user_email ? r->user_email : "the assignee");
	store_done(rows);
	return a;
}

/* Explains a refusal of the core's entry check. */
static enum app_rc
refuse_entry(struct store *db, enum hb_rc rc, const struct ticket_info *t,
             const struct client_contract *k)
{
	switch (rc) {
	case HB_ERR_NO_PURCHASE_ORDER:
		return app_refuse(db, "ticket #%06lld is per-event work (contract "
		                  "%lld): every entry needs a purchase order "
		                  "(--po NUMBER; register it with soporte po add)",
		                  (long long)t->number, (long long)(k ? k->id : 0));
	case HB_ERR_OUTSIDE_CONTRACT:
		return app_refuse(db, "the date is outside contract %lld's validity",
		                  (long long)(k ? k->id : 0));
	default:
		return app_refuse(db, "ticket #%06lld: %s", (long long)t->number,
		                  hourbank_rc_text(rc));
	}
}

/* Fills e's coverage, contract and purchase order for new work on t. */
static enum app_rc
decide_new_entry(struct store *db, const struct policy *pol,
                 const struct calendar *cal, const struct time_request *r,
                 const struct ticket_info *t, const struct client_facts *f,
                 struct hb_entry *e, const struct client_contract **k,
                 int64_t *po_id)
{
	if (strcmp(t->close_reason, "excluded") == 0)
		return app_refuse(db, "ticket #%06lld was closed as excluded (R5): "
		                  "no time is logged on it", (long long)t->number);
	if (t->product_id == 0)
		return app_refuse(db, "ticket #%06lld is about no product yet: name "
		                  "it first (soporte cause %lld CAUSE --product NAME)",
		                  (long long)t->number, (long long)t->number);
	struct entitlement ent;
	struct coverage cov;
	if (!t->cause_set) {
		/* Without a cause, go on only when every cause gives the same. */
		struct coverage first;
		ticket_work_coverage(pol, f, t, cal, CAUSE_DEFECT, e->day, &ent,
		                     &first);
		for (int c = 1; c < CAUSE_COUNT; c++) {
			ticket_work_coverage(pol, f, t, cal, (enum cause)c, e->day, &ent,
			                     &cov);
			if (cov.charge != first.charge || cov.contract != first.contract)
				return app_refuse(
				    db,
				    "on ticket #%06lld the cause decides who pays (%s or "
				    "%s): set it first (soporte cause %lld defect|misuse|"
				    "third_party_change|question)",
				    (long long)t->number, coverage_charge_name(first.charge),
				    coverage_charge_name(cov.charge), (long long)t->number);
		}
		cov = first;
	} else {
		ticket_work_coverage(pol, f, t, cal, t->cause, e->day, &ent, &cov);
	}
	if (cov.charge == CHARGE_NONE)
		return app_refuse(db, "ticket #%06lld is not covered on %s: %s",
		                  (long long)t->number, r->work_date ? r->work_date
		                                                     : "that day",
		                  cov.text_en);
	e->coverage = cov.charge;
	*k = cov.contract >= 0 ? &f->contracts[cov.contract] : NULL;
	e->contract_id = *k ? (*k)->id : 0;
	if (cov.charge != CHARGE_PER_EVENT) {
		if (r->po_number)
			return app_refuse(db, "ticket #%06lld is %s work: purchase orders "
			                  "are for per-event work only",
			                  (long long)t->number,
			                  coverage_charge_name(cov.charge));
		return APP_OK;
	}
	enum store_rc rc;
	if (r->po_number) {
		rc = store_get_int(db,
		                   "SELECT id FROM purchase_orders WHERE client_id = $1 "
		                   "AND number = $2",
		                   STORE_PARAMS(SP_I(t->client_id), SP_T(r->po_number)),
		                   po_id);
		if (rc == STORE_NOTFOUND)
			return app_refuse(db, "%s has no purchase order '%.40s' "
			                  "(soporte po add)", t->client_domain,
			                  r->po_number);
		if (rc != STORE_OK)
			return app_of_store(rc);
		snprintf(e->purchase_order, sizeof e->purchase_order, "%s",
		         r->po_number);
	} else if (t->purchase_order_id) {
		char *num = NULL;
		*po_id = t->purchase_order_id;
		rc = store_get_text(db,
		                    "SELECT number FROM purchase_orders WHERE id = $1",
		                    STORE_PARAMS(SP_I(*po_id)), &num);
		if (rc != STORE_OK)
			return app_of_store(rc);
		snprintf(e->purchase_order, sizeof e->purchase_order, "%s", num);
		free(num);
	} else {
		/* A purchase order on file is enough to open work (R8). */
		enum app_rc a = po_on_file(db, pol, t->client_id, po_id,
		                           e->purchase_order);
		if (a != APP_OK)
			return a;
		if (*po_id == 0)
			return app_refuse(db, "ticket #%06lld is per-event work: it "
			                  "needs a purchase order and %s has none "
			                  "with hours left on file: ask the client "
			                  "for one (soporte po request %lld), then "
			                  "soporte po add",
			                  (long long)t->number, t->client_domain,
			                  (long long)t->number);
	}
	return APP_OK;
}

/* R8: an order pays for its hours; beyond them, a new order or a
 * Project Manager's extension. */
static enum app_rc
check_po_hours(struct store *db, const struct policy *pol,
               const struct ticket_info *t, const struct hb_entry *e,
               int64_t po_id, struct time_logged *out)
{
	struct po_use u;
	enum app_rc a = po_hours(db, pol, po_id, e, &u);
	if (a != APP_OK)
		return a;
	if (u.check == PE_PO_OVER)
		return app_refuse(
		    db,
		    "purchase order %s of %s pays for %lld min and would bill %lld "
		    "min with this entry (ticket #%06lld; an update bills at least "
		    "its minimum): register a new order (soporte po add) and log "
		    "with --po NUMBER, or a Project Manager extends this one "
		    "(soporte po override)",
		    e->purchase_order, t->client_domain, (long long)(u.paid_s / 60),
		    (long long)(u.billed_s / 60), (long long)t->number);
	out->po_paid_s = u.paid_s;
	out->po_billed_s = u.billed_s;
	out->po_left_s = u.left_s;
	out->po_full = u.check == PE_PO_FULL;
	return APP_OK;
}

/* A correction takes the corrected entry's coverage, contract and order. */
static enum app_rc
decide_correction(struct store *db, const struct hb_entries *rec,
                  const struct ticket_info *t, const struct client_facts *f,
                  struct hb_entry *e, const struct client_contract **k,
                  int64_t *po_id)
{
	const struct hb_entry *c = NULL;
	for (int i = 0; i < rec->n; i++)
		if (rec->e[i].id == e->corrects_id)
			c = &rec->e[i];
	if (c == NULL)
		return app_refuse(db, "entry %lld is not a time entry of ticket "
		                  "#%06lld (soporte time list --ticket %lld)",
		                  (long long)e->corrects_id, (long long)t->number,
		                  (long long)t->number);
	e->coverage = c->coverage;
	e->contract_id = c->contract_id;
	snprintf(e->purchase_order, sizeof e->purchase_order, "%s",
	         c->purchase_order);
	*k = NULL;
	for (int i = 0; i < f->ncontracts; i++)
		if (f->contracts[i].id == c->contract_id)
			*k = &f->contracts[i];
	return app_of_store(store_get_int(
	    db,
	    "SELECT COALESCE(purchase_order_id, 0) FROM time_entries WHERE id = $1",
	    STORE_PARAMS(SP_I(c->id)), po_id));
}

enum app_rc
time_log_in_tx(struct store *db, const struct policy *pol,
               const struct calendar *cal, const struct time_request *r,
               int64_t now, struct time_logged *out)
{
	int64_t today = local_day_of(cal, now), day = today;
	int correction = r->corrects_id > 0;
	memset(out, 0, sizeof *out);
	if (r->work_date && iso_date_parse(r->work_date, &day) != 0)
		return app_refuse(db, "--date '%.40s' is not a date YYYY-MM-DD",
		                  r->work_date);
	if (r->seconds == 0 || (r->seconds < 0 && !correction))
		return app_refuse(db, "time must be more than zero (only a "
		                  "correction may be negative)");
	if (r->note && *r->note && !text_is_name(r->note, 2000))
		return app_refuse(db, "the note must be UTF-8 text without control "
		                  "characters, 2000 bytes at most");
	if (day > today)
		return app_refuse(db, "%s is in the future", r->work_date);
	int64_t ty, wy;
	int tm, wm, d;
	civil_from_days(today, &ty, &tm, &d);
	civil_from_days(day, &wy, &wm, &d);
	if (!correction && (wy * 12 + wm) < (ty * 12 + tm))
		return app_refuse(db, "%04lld-%02d is a closed month: time in it is "
		                  "only corrected (--correction ENTRY_ID)",
		                  (long long)wy, wm);

	struct ticket_info t;
	struct client_facts *f = NULL;
	struct hb_entries rec = {0};
	const struct client_contract *k = NULL;
	int64_t user_id = 0, po_id = 0;
	enum app_rc a = ticket_info_load(db, r->ticket_number, &t);
	if (a == APP_OK)
		a = find_user(db, r, &t, &user_id);
	if (a != APP_OK)
		goto out;
	f = malloc(sizeof *f);
	if (f == NULL) {
		a = app_of_store(store_fail(db, STORE_ERROR, "out of memory"));
		goto out;
	}
	a = app_of_store(client_facts_load(db, t.client_id, f));
	if (a == APP_OK)
		a = hb_entries_load(db, "e.ticket_id = $1", STORE_PARAMS(SP_I(t.id)),
		                    &rec);
	if (a != APP_OK)
		goto out;
	struct hb_entry e = {
		.id = INT64_MAX,
		.ticket_id = t.id,
		.consultant_id = user_id,
		.day = day,
		.seconds = r->seconds,
		.kind = correction ? HB_CORRECTION : r->kind,
		.corrects_id = correction ? r->corrects_id : 0,
	};
	if (correction)
		a = decide_correction(db, &rec, &t, f, &e, &k, &po_id);
	else
		a = decide_new_entry(db, pol, cal, r, &t, f, &e, &k, &po_id);
	if (a != APP_OK)
		goto out;
	enum hb_rc hb = hourbank_check_entry(pol, k, &e, rec.e, rec.n);
	if (hb != HB_OK) {
		a = refuse_entry(db, hb, &t, k);
		goto out;
	}
	if (!correction && po_id && e.coverage == CHARGE_PER_EVENT) {
		a = check_po_hours(db, pol, &t, &e, po_id, out);
		if (a != APP_OK)
			goto out;
	}
	iso_date_format(day, out->work_date);
	a = app_of_store(store_get_int(
	    db,
	    "INSERT INTO time_entries (ticket_id, user_id, work_date, seconds, "
	    "kind, coverage, purchase_order_id, corrects_id, note, created_at, "
	    "contract_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
	    "RETURNING id",
	    STORE_PARAMS(SP_I(t.id), SP_I(user_id), SP_T(out->work_date),
	                 SP_I(e.seconds), SP_T(hb_kind_name(e.kind)),
	                 SP_T(coverage_charge_name(e.coverage)), SP_ID(po_id),
	                 SP_ID(e.corrects_id), SP_T(r->note && *r->note ? r->note
	                                                                : NULL),
	                 SP_I(now), SP_ID(e.contract_id)),
	    &out->id));
	/* The ticket remembers its purchase order for the next entries. */
	if (a == APP_OK && po_id && !correction && t.purchase_order_id == 0)
		a = app_of_store(store_exec(
		    db, "UPDATE tickets SET purchase_order_id = $2 WHERE id = $1",
		    STORE_PARAMS(SP_I(t.id), SP_I(po_id))));
	if (a == APP_OK)
		a = app_of_store(audit_record(
		    db, (struct actor){ACTOR_USER, user_id}, t.id,
		    correction ? "time.corrected" : "time.logged",
		    json_pack("{s:I, s:s, s:I, s:s, s:s, s:I, s:s?, s:I}", "entry_id",
		              (json_int_t)out->id, "work_date", out->work_date,
		              "seconds", (json_int_t)e.seconds, "kind",
		              hb_kind_name(e.kind), "coverage",
		              coverage_charge_name(e.coverage), "contract_id",
		              (json_int_t)e.contract_id, "purchase_order",
		              e.purchase_order[0] ? e.purchase_order : NULL,
		              "corrects_id", (json_int_t)e.corrects_id),
		    now));
	/* R8: the plan's hours may have reached an alert. */
	if (a == APP_OK && k && e.coverage == CHARGE_PLAN && !correction)
		a = hour_alerts_after_log(db, pol, k, t.client_id, day, now);
	if (a == APP_OK) {
		out->coverage = e.coverage;
		out->contract_id = e.contract_id;
		snprintf(out->purchase_order, sizeof out->purchase_order, "%s",
		         e.purchase_order);
	}
out:
	hb_entries_free(&rec);
	free(f);
	return a;
}

enum app_rc
time_log(struct store *db, const struct policy *pol, const struct calendar *cal,
         const struct time_request *r, int64_t now, struct time_logged *out)
{
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	return app_finish(db, time_log_in_tx(db, pol, cal, r, now, out));
}

enum app_rc
time_list_json(struct store *db, const struct time_filter *f, json_t **out)
{
	static const char *const keys[] = {
		"#id", "#ticket_number", "user_email", "work_date", "#seconds",
		"kind", "coverage", "#contract_id", "purchase_order",
		"#corrects_id", "note", "@created_at",
	};
	enum store_rc rc;
	char first[ISO_DATE_LEN], last[ISO_DATE_LEN];
	*out = NULL;
	static const char cols[] =
	    "SELECT e.id, t.number, u.email, e.work_date, e.seconds, e.kind, "
	    "e.coverage, e.contract_id, o.number, e.corrects_id, e.note, "
	    "e.created_at FROM time_entries e JOIN tickets t ON t.id = e.ticket_id "
	    "JOIN users u ON u.id = e.user_id LEFT JOIN purchase_orders o "
	    "ON o.id = e.purchase_order_id ";
	char sql[1024];
	if (f->ticket_number > 0) {
		int64_t id;
		rc = store_get_int(db, "SELECT id FROM tickets WHERE number = $1",
		                   STORE_PARAMS(SP_I(f->ticket_number)), &id);
		if (rc == STORE_NOTFOUND)
			return app_refuse(db, "there is no ticket #%06lld",
			                  (long long)f->ticket_number);
		if (rc != STORE_OK)
			return app_of_store(rc);
		snprintf(sql, sizeof sql, "%sWHERE e.ticket_id = $1 ORDER BY e.id",
		         cols);
		rc = json_rows(db, NULL, sql, STORE_PARAMS(SP_I(id)), keys, 12, out);
	} else {
		int64_t client = 0;
		enum app_rc a = client_find(db, f->client, &client);
		if (a != APP_OK)
			return a;
		if (f->month < 1 || f->month > 12)
			return app_refuse(db, "which month? (--month YYYY-MM)");
		iso_date_format(days_from_civil(f->year, f->month, 1), first);
		iso_date_format(days_from_civil(f->year, f->month,
		                                days_in_month(f->year, f->month)),
		                last);
		snprintf(sql, sizeof sql,
		         "%sWHERE t.client_id = $1 AND e.work_date >= $2 AND "
		         "e.work_date <= $3 ORDER BY e.work_date, e.id",
		         cols);
		rc = json_rows(db, NULL, sql,
		               STORE_PARAMS(SP_I(client), SP_T(first), SP_T(last)),
		               keys, 12, out);
	}
	return app_of_store(rc);
}
