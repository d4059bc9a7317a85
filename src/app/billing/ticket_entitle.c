/*
 * ticket_entitle.c - every way in decides entitlement; only a decision
 * that holds takes a ticket out of renewal (see ticket_entitle.h).
 *
 * SECURITY: text is the report (untrusted mail or request text); it is
 * only scanned by the core. Ids and numbers are bound.
 */
#include "app/billing/ticket_entitle.h"
#include "app/billing/client_facts.h"
#include "app/billing/po_hours.h"
#include "app/billing/ticket_coverage.h"
#include "app/ticket/ticket_phone.h"
#include "app/ticket/ticket_query.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The entitlement of a ticket about product_id (0: not known) of the
 * client of facts, on day. When the product is not known, the text may
 * name it; else the ticket is entitled when any of the client's products
 * is (the consultant confirms the product), and needs renewal only when
 * none is. *product gets the product to record on the ticket. */
static void
decide(const struct policy *pol, const struct client_facts *f,
       int64_t product_id, const char *text, int64_t day,
       struct entitlement *e, int64_t *product)
{
	if (product_id <= 0) {
		struct entitle_choice choice;
		entitle_pick_product(pol, f, text ? text : "", &choice);
		product_id = choice.product_id;
	}
	*product = product_id;
	if (product_id > 0) {
		entitle_decide(pol, f, product_id, day, e);
		return;
	}
	memset(e, 0, sizeof *e);
	e->basis = ENTITLE_NONE;
	int have = 0;
	for (int i = 0; i < f->nproducts; i++) {
		struct entitlement one;
		entitle_decide(pol, f, f->products[i].id, day, &one);
		if (!have || (e->basis == ENTITLE_NONE && one.basis != ENTITLE_NONE) ||
		    (one.basis != ENTITLE_NONE && one.basis < e->basis)) {
			*e = one;
			have = 1;
		}
	}
	if (!have)
		entitle_decide(pol, f, 0, day, e);
	if (e->basis != ENTITLE_NONE)
		e->product_id = 0;   /* not known yet: the consultant picks */
	else
		*product = 0;
}

/* Loads the client's facts and decides (above). */
static enum store_rc
decide_for(const struct tcmd_env *env, int64_t client_id, int64_t product_id,
           const char *text, int64_t when, struct entitlement *e,
           int64_t *product)
{
	struct client_facts *facts = malloc(sizeof *facts);
	if (facts == NULL)
		return store_fail(env->db, STORE_ERROR, "out of memory");
	enum store_rc rc = client_facts_load(env->db, client_id, facts);
	if (rc == STORE_OK)
		decide(env->pol, facts, product_id, text, local_day_of(env->cal, when),
		       e, product);
	free(facts);
	return rc;
}

/* Records the decision on the ticket (and the product it rests on). */
static enum store_rc
record(const struct tcmd_env *env, int64_t ticket_id, int64_t product,
       const struct entitlement *e)
{
	return store_exec(
	    env->db,
	    "UPDATE tickets SET product_id = COALESCE($5, product_id), "
	    "entitlement = $2, entitlement_reason = $3, coverage = $4 "
	    "WHERE id = $1",
	    STORE_PARAMS(SP_I(ticket_id), SP_T(entitle_basis_name(e->basis)),
	                 SP_T(entitle_reason_name(e->reason)),
	                 SP_T(entitle_coverage_name(e->basis)), SP_ID(product)));
}

enum store_rc
ticket_entitle_opening(const struct tcmd_env *env, int64_t ticket_id,
                       const char *text, struct entitlement *e)
{
	int64_t client_id = 0, product_id = 0, reported = 0, product = 0;
	struct store_rows *r;
	enum store_rc rc = store_query_row(
	    env->db,
	    "SELECT client_id, product_id, created_at FROM tickets WHERE id = $1",
	    STORE_PARAMS(SP_I(ticket_id)), &r);
	if (rc != STORE_OK)
		return rc;
	client_id = store_int(r, 0);
	product_id = store_isnull(r, 1) ? 0 : store_int(r, 1);
	reported = store_int(r, 2);
	store_done(r);
	rc = decide_for(env, client_id, product_id, text, reported, e, &product);
	if (rc == STORE_OK)
		rc = record(env, ticket_id, product, e);
	if (rc != STORE_OK || e->basis != ENTITLE_NONE)
		return rc;
	/* R3: routed to renewals. The response clock waits with it: paused
	 * from the report until the entitlement holds (ticket_recheck). */
	rc = store_exec(env->db,
	                "UPDATE tickets SET state = 'renewal_required' WHERE id = $1",
	                STORE_PARAMS(SP_I(ticket_id)));
	if (rc == STORE_OK)
		rc = store_exec(env->db,
		                "INSERT INTO pauses (ticket_id, start_at, reason) "
		                "VALUES ($1, $2, 'renewal_required')",
		                STORE_PARAMS(SP_I(ticket_id), SP_I(reported)));
	if (rc == STORE_OK)
		rc = audit_record(env->db, ACTOR_SYSTEM_INIT, ticket_id,
		                  "ticket.renewal_required",
		                  json_pack("{s:s}", "reason",
		                            entitle_reason_name(e->reason)),
		                  env->now);
	return rc;
}

enum store_rc
ticket_entitle_ask_po(const struct tcmd_env *env, int64_t ticket_id,
                      const struct entitlement *e)
{
	if (e->basis != ENTITLE_PER_EVENT || e->per_event_contract < 0)
		return STORE_OK;
	int64_t number = 0, client_id = 0;
	struct store_rows *r;
	enum store_rc rc = store_query_row(
	    env->db, "SELECT number, client_id FROM tickets WHERE id = $1",
	    STORE_PARAMS(SP_I(ticket_id)), &r);
	if (rc != STORE_OK)
		return rc;
	number = store_int(r, 0);
	client_id = store_int(r, 1);
	store_done(r);
	/* The same facts the decision read, for the contract's hourly rate. */
	struct client_facts *facts = malloc(sizeof *facts);
	if (facts == NULL)
		return store_fail(env->db, STORE_ERROR, "out of memory");
	rc = client_facts_load(env->db, client_id, facts);
	int64_t rate = rc == STORE_OK && e->per_event_contract < facts->ncontracts
	                   ? facts->contracts[e->per_event_contract]
	                         .hourly_rate_cents
	                   : 0;
	free(facts);
	if (rc != STORE_OK)
		return rc;
	enum pe_route went;
	switch (ticket_route(env->db, env->pol, env->cal, number,
	                     CHARGE_PER_EVENT, rate, ACTOR_SYSTEM_INIT, env->now,
	                     &went)) {
	case APP_OK:
		return STORE_OK;
	case APP_REFUSED:
		log_warn("ticket #%06lld: per event, no purchase order asked for: %s",
		         (long long)number, store_errmsg(env->db));
		return STORE_OK;
	case APP_BUSY:
		return STORE_BUSY;
	default:
		return STORE_ERROR;
	}
}

/* Fills res from the ticket as it is now. */
static void
result_of(const struct tcmd_env *env, int64_t number, struct tcmd_result *res)
{
	struct ticket_ref t;
	if (ticket_ref_get(env->db, number, &t) != STORE_OK)
		return;
	res->ticket_id = t.id;
	res->number = t.number;
	res->version = t.version;
	int s = wf_state_parse(t.state);
	if (s >= 0)
		res->state = (enum wf_state)s;
}

/* Rolls back and maps the store's result (a STORE_ERROR or a constraint
 * is a bad request: its message says what). */
static enum tcmd_rc
failed(const struct tcmd_env *env, enum store_rc rc, struct tcmd_result *res)
{
	snprintf(res->message, sizeof res->message, "%s", store_errmsg(env->db));
	store_rollback(env->db);
	switch (rc) {
	case STORE_BUSY:
		return TCMD_BUSY;
	case STORE_NOTFOUND:
		return TCMD_NOT_FOUND;
	case STORE_ERROR:
	case STORE_CONSTRAINT:
		return TCMD_REFUSED;
	default:
		return TCMD_ERROR;
	}
}

enum tcmd_rc
ticket_open_entitled(const struct tcmd_env *env,
                     const struct ticket_request *req, struct tcmd_result *res)
{
	memset(res, 0, sizeof *res);
	int64_t id = 0, number = 0;
	struct entitlement e;
	char text[4096];
	snprintf(text, sizeof text, "%s\n%s", req->subject ? req->subject : "",
	         req->body ? req->body : "");
	enum store_rc rc = store_begin(env->db, 1);
	if (rc != STORE_OK)
		return failed(env, rc, res);
	rc = ticket_request_check(env->db, req);
	if (rc == STORE_OK)
		rc = ticket_open(env->db, env->pol, env->cal, req, env->now, &id,
		                 &number);
	if (rc == STORE_OK)
		rc = ticket_entitle_opening(env, id, text, &e);
	if (rc == STORE_OK)
		rc = tcmd_opened_told(env, id, TCMD_OPENED_ACK, e.text_es, e.text_en);
	if (rc == STORE_OK)
		rc = ticket_entitle_ask_po(env, id, &e);
	if (rc == STORE_OK)
		rc = store_commit(env->db);
	if (rc != STORE_OK)
		return failed(env, rc, res);
	result_of(env, number, res);
	return TCMD_OK;
}

enum tcmd_rc
ticket_recheck(const struct tcmd_env *env, int64_t number,
               const struct tcmd_who *who, struct tcmd_result *res)
{
	memset(res, 0, sizeof *res);
	struct ticket_info t;
	struct entitlement e;
	int64_t product = 0;
	enum store_rc rc = store_begin(env->db, 1);
	if (rc != STORE_OK)
		return failed(env, rc, res);
	enum app_rc a = ticket_info_load(env->db, number, &t);
	if (a != APP_OK) {
		enum tcmd_rc out = a == APP_REFUSED ? TCMD_NOT_FOUND
		                   : a == APP_BUSY  ? TCMD_BUSY
		                                    : TCMD_ERROR;
		failed(env, STORE_ERROR, res);
		return out;
	}
	if (strcmp(t.state, "renewal_required") != 0) {
		store_rollback(env->db);
		snprintf(res->message, sizeof res->message,
		         "El ticket #%06lld no espera una renovación (estado %s). / "
		         "Ticket #%06lld is not waiting for a renewal (state %s).",
		         (long long)number, t.state, (long long)number, t.state);
		res->refusal = WF_E_STATE;
		return TCMD_REFUSED;
	}
	/* The product the ticket names, else the report's words: decided
	 * for today, the day the renewal (or the correction) counts. */
	rc = decide_for(env, t.client_id, t.product_id, t.subject, env->now, &e,
	                &product);
	if (rc != STORE_OK)
		return failed(env, rc, res);
	if (e.basis == ENTITLE_NONE) {
		store_rollback(env->db);
		snprintf(res->message, sizeof res->message,
		         "El ticket #%06lld sigue sin cobertura: %.340s / Ticket #%06lld "
		         "is still not entitled: %.340s",
		         (long long)number, e.text_es, (long long)number, e.text_en);
		res->refusal = WF_E_NOT_ENTITLED;
		return TCMD_REFUSED;
	}
	rc = record(env, t.id, product, &e);
	if (rc == STORE_OK)
		rc = audit_record(env->db, who->actor, t.id, "ticket.entitlement_decided",
		                  json_pack("{s:s, s:s}", "entitlement",
		                            entitle_basis_name(e.basis), "reason",
		                            entitle_reason_name(e.reason)),
		                  env->now);
	if (rc != STORE_OK)
		return failed(env, rc, res);
	struct tcmd_request req = {.cmd = WF_CMD_RENEWED, .number = number,
	                           .who = *who};
	enum tcmd_rc tr = tcmd_apply(env, &req, res);
	if (tr != TCMD_OK) {
		store_rollback(env->db);
		return tr;
	}
	/* Back as a new ticket: assigned as one, its SLA warnings planned. */
	rc = tcmd_opened(env, t.id, 0);
	if (rc == STORE_OK)
		rc = store_commit(env->db);
	if (rc != STORE_OK)
		return failed(env, rc, res);
	result_of(env, number, res);
	return TCMD_OK;
}

enum tcmd_rc
ticket_recheck_client(const struct tcmd_env *env, int64_t client_id,
                      const struct tcmd_who *who, int *renewed)
{
	int64_t after = 0;
	int ok = 0;
	for (;;) {   /* a page of tickets at a time, each in its transaction */
		int64_t numbers[64];
		int n = 0;
		struct store_rows *r;
		enum store_rc rc = store_query(
		    env->db,
		    "SELECT number FROM tickets WHERE client_id = $1 AND state = "
		    "'renewal_required' AND number > $2 ORDER BY number LIMIT 64",
		    STORE_PARAMS(SP_I(client_id), SP_I(after)), &r);
		if (rc == STORE_OK) {
			while ((rc = store_next(r)) == STORE_ROW)
				numbers[n++] = store_int(r, 0);
			store_done(r);
		}
		if (rc != STORE_OK && rc != STORE_DONE)
			return rc == STORE_BUSY ? TCMD_BUSY : TCMD_ERROR;
		for (int i = 0; i < n; i++) {
			struct tcmd_result res;
			enum tcmd_rc t = ticket_recheck(env, numbers[i], who, &res);
			if (t == TCMD_OK)
				ok++;
			else if (t != TCMD_REFUSED)
				return t;
			after = numbers[i];
		}
		if (n < 64)
			break;
	}
	if (renewed)
		*renewed = ok;
	return TCMD_OK;
}
