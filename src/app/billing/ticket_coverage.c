/*
 * ticket_coverage.c - cause, coverage and exclusion of a ticket (see
 * ticket_coverage.h).
 */
#include "app/billing/ticket_coverage.h"
#include "app/billing/client_facts.h"
#include "app/billing/po_hours.h"
#include "app/ticket/ticket_cmds.h"
#include "core/entitle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int64_t
local_day_of(const struct calendar *cal, int64_t t)
{
	int64_t local = t + calendar_utc_offset(cal, t);
	return (local >= 0 ? local : local - 86399) / 86400;
}

enum app_rc
staff_actor(struct store *db, const char *email, struct actor *out)
{
	char low[320];
	struct store_rows *r;
	snprintf(low, sizeof low, "%s", email);
	for (char *c = low; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	enum store_rc rc = store_query_row(
	    db, "SELECT id, role, active FROM users WHERE email = $1",
	    STORE_PARAMS(SP_T(low)), &r);
	if (rc == STORE_NOTFOUND)
		return app_refuse(db, "no user has the e-mail '%.100s'", low);
	if (rc != STORE_OK)
		return app_of_store(rc);
	enum app_rc a = APP_OK;
	*out = (struct actor){ACTOR_USER, store_int(r, 0)};
	if (strcmp(store_text(r, 1), "client") == 0)
		a = app_refuse(db, "%s is a client account, not staff", low);
	else if (store_int(r, 2) == 0)
		a = app_refuse(db, "%s is not an active account", low);
	store_done(r);
	return a;
}

enum app_rc
ticket_info_load(struct store *db, int64_t number, struct ticket_info *out)
{
	struct store_rows *r;
	memset(out, 0, sizeof *out);
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT t.id, t.number, t.client_id, t.contact_id, t.product_id, "
	    "t.purchase_order_id, t.assignee_id, t.created_at, t.cause, t.state, "
	    "t.close_reason, t.subject, c.domain FROM tickets t "
	    "LEFT JOIN clients c ON c.id = t.client_id WHERE t.number = $1",
	    STORE_PARAMS(SP_I(number)), &r);
	if (rc == STORE_NOTFOUND)
		return app_refuse(db, "there is no ticket #%06lld", (long long)number);
	if (rc != STORE_OK)
		return app_of_store(rc);
	out->id = store_int(r, 0);
	out->number = store_int(r, 1);
	out->client_id = store_int(r, 2);
	out->contact_id = store_int(r, 3);
	out->product_id = store_int(r, 4);
	out->purchase_order_id = store_int(r, 5);
	out->assignee_id = store_int(r, 6);
	out->created_at = store_int(r, 7);
	out->cause_set = coverage_cause_parse(store_text(r, 8), &out->cause) == 0;
	snprintf(out->state, sizeof out->state, "%s", store_text(r, 9));
	snprintf(out->close_reason, sizeof out->close_reason, "%s",
	         store_text(r, 10));
	snprintf(out->subject, sizeof out->subject, "%s", store_text(r, 11));
	snprintf(out->client_domain, sizeof out->client_domain, "%s",
	         store_text(r, 12));
	store_done(r);
	if (out->client_id == 0)
		return app_refuse(db, "ticket #%06lld has no client", (long long)number);
	return APP_OK;
}

void
ticket_work_coverage(const struct policy *pol, const struct client_facts *facts,
                     const struct ticket_info *t, const struct calendar *cal,
                     enum cause cause, int64_t work_day, struct entitlement *ent,
                     struct coverage *cov)
{
	int64_t reported = local_day_of(cal, t->created_at);
	entitle_decide(pol, facts, t->product_id, reported, ent);
	coverage_decide(pol, ent, cause, CATEGORY_SUPPORT, cov);
	if (cov->charge == CHARGE_WARRANTY || work_day == reported)
		return;
	entitle_decide(pol, facts, t->product_id, work_day, ent);
	coverage_decide(pol, ent, cause, CATEGORY_SUPPORT, cov);
}

enum app_rc
ticket_set_cause(struct store *db, const struct policy *pol,
                 const struct calendar *cal, int64_t number, enum cause cause,
                 const char *product, struct actor who, int64_t now,
                 struct coverage *cov_out, enum pe_route *route)
{
	enum pe_route went = PE_WORK;
	struct ticket_info t;
	struct client_facts *facts = NULL;
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	a = ticket_info_load(db, number, &t);
	if (a != APP_OK)
		goto out;
	if (strcmp(t.state, "closed") == 0) {
		a = app_refuse(db, "ticket #%06lld is closed (%s): its coverage no "
		               "longer changes", (long long)number, t.close_reason);
		goto out;
	}
	int64_t product_id = t.product_id;
	if (product) {
		enum store_rc rc = store_get_int(
		    db, "SELECT id FROM products WHERE client_id = $1 AND name = $2",
		    STORE_PARAMS(SP_I(t.client_id), SP_T(product)), &product_id);
		if (rc == STORE_NOTFOUND) {
			a = app_refuse(db, "%s has no product named '%.80s'",
			               t.client_domain, product);
			goto out;
		}
		if (rc != STORE_OK) {
			a = app_of_store(rc);
			goto out;
		}
	}
	if (product_id == 0) {
		a = app_refuse(db, "ticket #%06lld is about no product yet: name it "
		               "(--product NAME)", (long long)number);
		goto out;
	}
	facts = malloc(sizeof *facts);
	if (facts == NULL) {
		a = app_of_store(store_fail(db, STORE_ERROR, "out of memory"));
		goto out;
	}
	a = app_of_store(client_facts_load(db, t.client_id, facts));
	if (a != APP_OK)
		goto out;
	t.product_id = product_id;
	struct entitlement ent;
	struct coverage cov;
	int64_t reported = local_day_of(cal, t.created_at);
	ticket_work_coverage(pol, facts, &t, cal, cause, reported, &ent, &cov);
	a = app_of_store(store_exec(
	    db,
	    "UPDATE tickets SET cause = $2, product_id = $3, entitlement = $4, "
	    "entitlement_reason = $5, coverage = $6, charge = $7, updated_at = $8, "
	    "version = version + 1 WHERE id = $1",
	    STORE_PARAMS(SP_I(t.id), SP_T(coverage_cause_name(cause)),
	                 SP_I(product_id), SP_T(entitle_basis_name(ent.basis)),
	                 SP_T(entitle_reason_name(ent.reason)),
	                 SP_T(coverage_word(cov.charge)),
	                 SP_T(coverage_charge_name(cov.charge)), SP_I(now))));
	if (a == APP_OK)
		a = app_of_store(audit_record(
		    db, who, t.id, "ticket.cause_set",
		    json_pack("{s:s, s:s?, s:I, s:s, s:s, s:s}", "cause",
		              coverage_cause_name(cause), "previous_cause",
		              t.cause_set ? coverage_cause_name(t.cause) : NULL,
		              "product_id", (json_int_t)product_id, "entitlement",
		              entitle_basis_name(ent.basis), "charge",
		              coverage_charge_name(cov.charge), "reason",
		              cov.text_en),
		    now));
	if (a == APP_OK)
		a = ticket_route(db, pol, cal, number, cov.charge,
		                 cov.contract >= 0
		                     ? facts->contracts[cov.contract].hourly_rate_cents
		                     : 0,
		                 who, now, &went);
	if (a == APP_OK && cov_out)
		*cov_out = cov;
	if (a == APP_OK && route)
		*route = went;
out:
	free(facts);
	return app_finish(db, a);
}

enum app_rc
ticket_exclude(struct store *db, const struct policy *pol,
               const struct calendar *cal, int64_t number,
               enum category category, const char *note,
               const char *staff_email, int64_t now, struct coverage *cov_out)
{
	if ((unsigned)category >= CATEGORY_COUNT || category == CATEGORY_SUPPORT)
		return app_refuse(db, "not an excluded category (training, "
		                  "third_party or consulting)");
	const char *cat = coverage_ticket_category(category);
	struct coverage cov;
	struct entitlement none;
	memset(&none, 0, sizeof none);
	none.basis = ENTITLE_NONE;
	none.plan_contract = none.per_event_contract = -1;
	coverage_decide(pol, &none, CAUSE_DEFECT, category, &cov);
	if (!cov.excluded)
		return app_refuse(db, "the policy lists no exclusion for %s",
		                  coverage_category_name(category));
	if (staff_email == NULL || *staff_email == '\0')
		return app_refuse(db, "who closes it? (--as USER_EMAIL)");
	struct ticket_info t;
	struct tcmd_result res;
	char err[256], *lang = NULL;
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	a = ticket_info_load(db, number, &t);
	if (a != APP_OK)
		goto out;
	if (strcmp(t.state, "closed") == 0) {
		a = app_refuse(db, "ticket #%06lld is already closed (%s)",
		               (long long)number, t.close_reason);
		goto out;
	}
	struct tcmd_request req = {
		.cmd = WF_CMD_CLOSE,
		.number = number,
		.reason = WF_CLOSE_EXCLUDED,
	};
	enum tcmd_rc tr = tcmd_who_lookup(db, staff_email, &req.who, err,
	                                  sizeof err);
	if (tr != TCMD_OK) {
		a = tr == TCMD_BUSY ? APP_BUSY : app_refuse(db, "%s", err);
		goto out;
	}
	a = app_of_store(store_get_text(
	    db, "SELECT language FROM clients WHERE id = $1",
	    STORE_PARAMS(SP_I(t.client_id)), &lang));
	if (a != APP_OK)
		goto out;
	/* The client reads the policy's reason (and offer) in the closing
	 * mail: the lifecycle's close puts the body in it. */
	req.body = strcmp(lang, "en") == 0 ? cov.text_en : cov.text_es;
	struct tcmd_env env = {db, pol, cal, now};
	tr = tcmd_apply(&env, &req, &res);
	switch (tr) {
	case TCMD_OK:
		break;
	case TCMD_BUSY:
		a = APP_BUSY;
		goto out;
	case TCMD_ERROR:
		a = app_of_store(store_fail(db, STORE_ERROR, "%s", res.message));
		goto out;
	default:
		a = app_refuse(db, "%s", res.message);
		goto out;
	}
	a = app_of_store(store_exec(
	    db,
	    "UPDATE tickets SET category = $2, coverage = 'none', "
	    "charge = 'excluded', category_confirmed_at = $3 WHERE id = $1",
	    STORE_PARAMS(SP_I(t.id), SP_T(cat), SP_I(now))));
	/* The staff's own note stays on the ticket, not in the mail. */
	if (a == APP_OK && note && *note)
		a = app_of_store(store_exec(
		    db,
		    "INSERT INTO messages (ticket_id, kind, author_user_id, body_text, "
		    "created_at) VALUES ($1, 'note', $2, $3, $4)",
		    STORE_PARAMS(SP_I(t.id), SP_ID(req.who.user_id), SP_T(note),
		                 SP_I(now))));
	if (a == APP_OK)
		a = app_of_store(audit_record(
		    db, req.who.actor, t.id, "ticket.excluded",
		    json_pack("{s:s, s:s, s:s}", "category", cat, "from_state",
		              t.state, "reason", cov.text_en),
		    now));
	if (a == APP_OK && cov_out)
		*cov_out = cov;
out:
	free(lang);
	return app_finish(db, a);
}
