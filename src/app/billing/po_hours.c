/*
 * po_hours.c - purchase orders' hours, asking for one, and where a ticket
 * goes once its coverage is decided (see po_hours.h).
 */
#include "app/billing/po_hours.h"
#include "app/billing/client_facts.h"
#include "app/billing/contracts.h"
#include "app/billing/hourbank_store.h"
#include "app/billing/ticket_coverage.h"
#include "app/ticket/ticket_cmds.h"
#include "util/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum app_rc
po_hours(struct store *db, const struct policy *pol, int64_t po_id,
         const struct hb_entry *extra, struct po_use *out)
{
	memset(out, 0, sizeof *out);
	enum app_rc a = app_of_store(store_get_int(
	    db,
	    "SELECT o.hours_s + COALESCE((SELECT SUM(v.hours_s) FROM po_overrides "
	    "v WHERE v.purchase_order_id = o.id), 0) FROM purchase_orders o "
	    "WHERE o.id = $1",
	    STORE_PARAMS(SP_I(po_id)), &out->paid_s));
	if (a != APP_OK)
		return a;
	struct hb_entries es;
	a = hb_entries_load(db, "e.purchase_order_id = $1",
	                    STORE_PARAMS(SP_I(po_id)), &es);
	if (a != APP_OK)
		return a;
	if (extra) {
		struct hb_entry *e = realloc(es.e, (size_t)(es.n + 1) * sizeof *e);
		if (e == NULL) {
			hb_entries_free(&es);
			return app_of_store(store_fail(db, STORE_ERROR, "out of memory"));
		}
		es.e = e;
		es.e[es.n++] = *extra;
	}
	out->billed_s = perevent_po_billed(pol, es.e, es.n);
	hb_entries_free(&es);
	if (out->billed_s < 0)
		return app_of_store(store_fail(db, STORE_ERROR, "purchase order %lld: "
		                               "a correction of an entry not on it",
		                               (long long)po_id));
	out->left_s = out->paid_s > out->billed_s ? out->paid_s - out->billed_s : 0;
	out->check = perevent_po_check(out->billed_s, out->paid_s);
	return APP_OK;
}

enum app_rc
po_on_file(struct store *db, const struct policy *pol, int64_t client_id,
           int64_t *po_id, char number[POLICY_KEY_MAX])
{
	*po_id = 0;
	number[0] = '\0';
	struct store_rows *r;
	enum store_rc rc = store_query(
	    db,
	    "SELECT id, number FROM purchase_orders WHERE client_id = $1 "
	    "ORDER BY issued_on, id",
	    STORE_PARAMS(SP_I(client_id)), &r);
	if (rc != STORE_OK)
		return app_of_store(rc);
	int64_t ids[64];
	char nums[64][POLICY_KEY_MAX];
	int n = 0;
	while ((rc = store_next(r)) == STORE_ROW && n < 64) {
		ids[n] = store_int(r, 0);
		snprintf(nums[n++], POLICY_KEY_MAX, "%s", store_text(r, 1));
	}
	store_done(r);
	if (rc != STORE_DONE && rc != STORE_ROW)
		return app_of_store(rc);
	for (int i = 0; i < n; i++) {
		struct po_use u;
		enum app_rc a = po_hours(db, pol, ids[i], NULL, &u);
		if (a != APP_OK)
			return a;
		if (u.left_s > 0) {
			*po_id = ids[i];
			snprintf(number, POLICY_KEY_MAX, "%s", nums[i]);
			return APP_OK;
		}
	}
	return APP_OK;
}

enum app_rc
po_override(struct store *db, const struct policy *pol, int64_t po_id,
            const char *client, const char *number, int64_t hours_s,
            const char *reason, const char *pm_email, int64_t now,
            struct po_use *out)
{
	if (hours_s <= 0)
		return app_refuse(db, "an extension adds some hours (--hours)");
	if (reason == NULL || !text_is_name(reason, 1000))
		return app_refuse(db, "why is the order extended? (--reason TEXT, "
		                  "UTF-8, 1000 bytes at most)");
	if (pm_email == NULL || *pm_email == '\0')
		return app_refuse(db, "who extends it? (--as PM_EMAIL)");
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	struct actor who;
	int64_t client_id = 0;
	char *role = NULL, *num = NULL;
	a = staff_actor(db, pm_email, &who);
	if (a == APP_OK)
		a = app_of_store(store_get_text(db,
		                                "SELECT role FROM users WHERE id = $1",
		                                STORE_PARAMS(SP_I(who.id)),
		                                &role));
	if (a != APP_OK)
		goto out;
	if (strcmp(role, wf_role_name(WF_ROLE_PM)) != 0) {
		a = app_refuse(db, "only a Project Manager extends a purchase order "
		               "(%s is %s)", pm_email, role);
		goto out;
	}
	enum store_rc rc;
	if (po_id <= 0) {
		a = client_find(db, client, &client_id);
		if (a != APP_OK)
			goto out;
		rc = store_get_int(db,
		                   "SELECT id FROM purchase_orders WHERE client_id = $1 "
		                   "AND number = $2",
		                   STORE_PARAMS(SP_I(client_id),
		                                SP_T(number ? number : "")),
		                   &po_id);
		if (rc == STORE_NOTFOUND) {
			a = app_refuse(db, "%s has no purchase order '%.40s'", client,
			               number ? number : "");
			goto out;
		}
		a = app_of_store(rc);
		if (a != APP_OK)
			goto out;
	}
	rc = store_get_text(db, "SELECT number FROM purchase_orders WHERE id = $1",
	                    STORE_PARAMS(SP_I(po_id)), &num);
	if (rc == STORE_NOTFOUND) {
		a = app_refuse(db, "there is no purchase order %lld", (long long)po_id);
		goto out;
	}
	a = app_of_store(rc);
	if (a == APP_OK)
		a = app_of_store(store_exec(
		    db,
		    "INSERT INTO po_overrides (purchase_order_id, hours_s, reason, "
		    "user_id, created_at) VALUES ($1, $2, $3, $4, $5)",
		    STORE_PARAMS(SP_I(po_id), SP_I(hours_s), SP_T(reason),
		                 SP_I(who.id), SP_I(now))));
	if (a == APP_OK)
		a = po_hours(db, pol, po_id, NULL, out);
	if (a == APP_OK)
		a = app_of_store(audit_record(
		    db, who, 0, "po.override",
		    json_pack("{s:I, s:s, s:I, s:s, s:I}", "purchase_order_id",
		              (json_int_t)po_id, "number", num, "hours_s",
		              (json_int_t)hours_s, "reason", reason, "paid_s",
		              (json_int_t)out->paid_s),
		    now));
out:
	free(role);
	free(num);
	return app_finish(db, a);
}

/* Runs one lifecycle command inside the caller's transaction. */
static enum app_rc
lifecycle(struct store *db, const struct policy *pol,
          const struct calendar *cal, int64_t now, struct tcmd_request *req)
{
	struct tcmd_result res;
	struct tcmd_env env = {db, pol, cal, now};
	switch (tcmd_apply(&env, req, &res)) {
	case TCMD_OK:
		return APP_OK;
	case TCMD_BUSY:
		return APP_BUSY;
	case TCMD_ERROR:
		return app_of_store(store_fail(db, STORE_ERROR, "%s", res.message));
	default:
		return app_refuse(db, "%s", res.message);
	}
}

/* who as the lifecycle's actor. */
static enum app_rc
who_of(struct store *db, struct actor who, struct tcmd_who *out)
{
	char *email = NULL, err[256];
	enum app_rc a = app_of_store(store_get_text(
	    db, "SELECT email FROM users WHERE id = $1",
	    STORE_PARAMS(SP_I(who.id)), &email));
	if (a != APP_OK)
		return a;
	enum tcmd_rc tr = tcmd_who_lookup(db, email, out, err, sizeof err);
	free(email);
	if (tr == TCMD_BUSY)
		return APP_BUSY;
	return tr == TCMD_OK ? APP_OK : app_refuse(db, "%s", err);
}

enum app_rc
ticket_route(struct store *db, const struct policy *pol,
             const struct calendar *cal, int64_t number, enum charge charge,
             int64_t rate_cents, struct actor who, int64_t now,
             enum pe_route *route)
{
	struct ticket_info t;
	*route = PE_WORK;
	enum app_rc a = ticket_info_load(db, number, &t);
	if (a != APP_OK)
		return a;
	int64_t po_id = t.purchase_order_id;
	char po[POLICY_KEY_MAX];
	if (charge == CHARGE_PER_EVENT && po_id == 0) {
		a = po_on_file(db, pol, t.client_id, &po_id, po);
		if (a != APP_OK)
			return a;
	}
	enum pe_route r = perevent_route(charge, po_id != 0);
	struct tcmd_request req = {.number = number};
	if (r == PE_RENEWAL) {
		/* Already held for renewal, or closed: nothing moves. */
		if (strcmp(t.state, "renewal_required") == 0 ||
		    strcmp(t.state, "closed") == 0)
			return APP_OK;
		req.cmd = WF_CMD_RENEWAL;
	} else if (r == PE_WAIT_PO) {
		/* Only a ticket being worked waits; one already waiting on the
		 * client, or solved, keeps its state. */
		if (strcmp(t.state, "assigned") != 0 &&
		    strcmp(t.state, "in_progress") != 0 &&
		    strcmp(t.state, "reopened") != 0)
			return APP_OK;
		req.cmd = WF_CMD_WAIT;
		req.for_po = 1;
		req.rate_cents = rate_cents;
	} else {
		return APP_OK;
	}
	if (who.kind == ACTOR_USER)
		a = who_of(db, who, &req.who);
	else
		req.who = TCMD_WHO_SYSTEM;
	if (a == APP_OK)
		a = lifecycle(db, pol, cal, now, &req);
	if (a == APP_OK)
		*route = r;
	return a;
}

enum app_rc
po_request(struct store *db, const struct policy *pol,
           const struct calendar *cal, int64_t number, const char *note,
           const char *staff_email, int64_t now)
{
	if (note && *note && !text_is_name(note, 2000))
		return app_refuse(db, "the note must be UTF-8 text without control "
		                  "characters, 2000 bytes at most");
	if (staff_email == NULL || *staff_email == '\0')
		return app_refuse(db, "who asks? (--as USER_EMAIL)");
	struct ticket_info t;
	struct client_facts *facts = NULL;
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	a = ticket_info_load(db, number, &t);
	if (a != APP_OK)
		goto out;
	facts = malloc(sizeof *facts);
	if (facts == NULL) {
		a = app_of_store(store_fail(db, STORE_ERROR, "out of memory"));
		goto out;
	}
	a = app_of_store(client_facts_load(db, t.client_id, facts));
	if (a != APP_OK)
		goto out;
	struct entitlement ent;
	struct coverage cov;
	ticket_work_coverage(pol, facts, &t, cal,
	                     t.cause_set ? t.cause : CAUSE_DEFECT,
	                     local_day_of(cal, now), &ent, &cov);
	if (t.product_id == 0 || cov.charge != CHARGE_PER_EVENT ||
	    cov.contract < 0) {
		a = app_refuse(db, "ticket #%06lld is not per-event work (%s): no "
		               "purchase order is asked for", (long long)number,
		               coverage_charge_name(cov.charge));
		goto out;
	}
	struct tcmd_request req = {
		.cmd = WF_CMD_WAIT,
		.number = number,
		.body = note && *note ? note : "",
		.for_po = 1,
		.rate_cents = facts->contracts[cov.contract].hourly_rate_cents,
	};
	char err[256];
	enum tcmd_rc tr = tcmd_who_lookup(db, staff_email, &req.who, err,
	                                  sizeof err);
	if (tr != TCMD_OK) {
		a = tr == TCMD_BUSY ? APP_BUSY : app_refuse(db, "%s", err);
		goto out;
	}
	a = lifecycle(db, pol, cal, now, &req);
out:
	free(facts);
	return app_finish(db, a);
}
