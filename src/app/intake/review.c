/*
 * review.c - the review queue of unknown senders (see review.h).
 *
 * SECURITY: the held messages are untrusted mail; ids and notes from the
 * request are bound only.
 */
#include "app/intake/review.h"
#include "app/billing/ticket_entitle.h"
#include "app/ticket/ticket_phone.h"
#include "app/ticket/ticket_view.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Held, and not reviewed yet. */
#define WAITING "ticket_id IS NULL AND review_reason IS NOT NULL AND " \
                "reviewed_at IS NULL"

enum store_rc
review_list_json(struct store *db, const struct calendar *cal,
                 int64_t after_id, int limit, json_t **out)
{
	static const char *const keys[] = {
		"#id", "from", "subject", "body_text", "review_reason",
		"@created_at", "?has_html", "#attachments",
	};
	return json_rows(
	    db, cal,
	    "SELECT m.id, m.from_addr, m.subject, m.body_text, m.review_reason, "
	    "m.created_at, CASE WHEN m.body_html IS NULL THEN 0 ELSE 1 END, "
	    "(SELECT COUNT(*) FROM attachments a WHERE a.message_id = m.id) "
	    "FROM messages m WHERE m." WAITING " AND m.id > $1 "
	    "ORDER BY m.id LIMIT $2",
	    STORE_PARAMS(SP_I(after_id), SP_I(limit)), keys, 8, out);
}

/* The held message's facts; STORE_NOTFOUND when it is not waiting. */
struct held {
	int64_t raw_id, created_at;
	char from[256], subject[400], message_id[300], reason[200];
	char *body;           /* malloc'd */
};

static enum store_rc
held_get(struct store *db, int64_t id, struct held *h)
{
	struct store_rows *r;
	memset(h, 0, sizeof *h);
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT raw_id, created_at, from_addr, subject, message_id, "
	    "review_reason, body_text FROM messages WHERE id = $1 AND " WAITING,
	    STORE_PARAMS(SP_I(id)), &r);
	if (rc != STORE_OK)
		return rc;
	h->raw_id = store_isnull(r, 0) ? 0 : store_int(r, 0);
	h->created_at = store_int(r, 1);
	snprintf(h->from, sizeof h->from, "%s", store_text(r, 2));
	snprintf(h->subject, sizeof h->subject, "%s",
	         store_isnull(r, 3) ? "" : store_text(r, 3));
	snprintf(h->message_id, sizeof h->message_id, "%s", store_text(r, 4));
	snprintf(h->reason, sizeof h->reason, "%s", store_text(r, 5));
	h->body = strdup(store_text(r, 6));
	if (h->body == NULL)
		rc = store_fail(db, STORE_ERROR, "out of memory");
	store_done(r);
	return rc;
}

/* Commits, or rolls back and says why. */
static enum tcmd_rc
finish(const struct tcmd_env *env, enum store_rc rc, struct tcmd_result *res)
{
	if (rc == STORE_OK)
		rc = store_commit(env->db);
	if (rc == STORE_OK)
		return TCMD_OK;
	snprintf(res->message, sizeof res->message, "%s", store_errmsg(env->db));
	store_rollback(env->db);
	switch (rc) {
	case STORE_NOTFOUND:
		snprintf(res->message, sizeof res->message,
		         "no such message waiting for review");
		return TCMD_NOT_FOUND;
	case STORE_CONSTRAINT:
		/* The engine's words stay in the log. */
		log_warn("review: refused: %s", res->message);
		snprintf(res->message, sizeof res->message,
		         "the client, contact or product does not fit this message");
		return TCMD_REFUSED;
	case STORE_BUSY:
		return TCMD_BUSY;
	default:
		return TCMD_ERROR;
	}
}

/* Marks the message reviewed by who with outcome (it stays held when
 * another request reviewed it first: STORE_NOTFOUND). */
static enum store_rc
mark(struct store *db, int64_t id, int64_t ticket_id, int64_t contact_id,
     const char *outcome, struct actor who, int64_t now)
{
	int64_t n = 0;   /* RETURNING: no row means someone was first */
	return store_get_int(
	    db,
	    "UPDATE messages SET reviewed_at = $2, review_outcome = $3, "
	    "reviewed_by = $4, ticket_id = $5, contact_id = $6 WHERE id = $1 AND "
	    WAITING " RETURNING id",
	    STORE_PARAMS(SP_I(id), SP_I(now), SP_T(outcome),
	                 SP_ID(who.kind == ACTOR_USER ? who.id : 0),
	                 SP_ID(ticket_id), SP_ID(contact_id)),
	    &n);
}

enum tcmd_rc
review_open_ticket(const struct tcmd_env *env, const struct review_ticket *q,
                   struct tcmd_result *res)
{
	struct held h;
	int64_t id = 0, number = 0;
	memset(res, 0, sizeof *res);
	enum store_rc rc = store_begin(env->db, 1);
	if (rc != STORE_OK)
		return finish(env, rc, res);
	rc = held_get(env->db, q->message_id, &h);
	struct ticket_request req = {
		.client_id = q->client_id,
		.contact_id = q->contact_id,
		.product_id = q->product_id,
		.subject = h.subject[0] ? h.subject : "(sin asunto)",
		.body = h.body,
		.from_addr = h.from,
		.message_id = h.message_id[0] ? h.message_id : NULL,
		.raw_id = h.raw_id,
		.severity = q->severity,
		.category = "incident",
		.channel = "email",
		.reported_at = h.created_at,
		.actor = q->who,
	};
	if (rc == STORE_OK)
		rc = ticket_request_check(env->db, &req);
	if (rc == STORE_OK)
		rc = ticket_open(env->db, env->pol, env->cal, &req, env->now, &id,
		                 &number);
	/* The held message itself is the report: it takes the place of the
	 * copy ticket_open wrote, with its HTML and attachments. */
	if (rc == STORE_OK)
		rc = store_exec(env->db, "DELETE FROM messages WHERE ticket_id = $1",
		                STORE_PARAMS(SP_I(id)));
	if (rc == STORE_OK)
		rc = mark(env->db, q->message_id, id, q->contact_id, "ticket", q->who,
		          env->now);
	if (rc == STORE_OK && h.raw_id)
		rc = store_exec(env->db,
		                "UPDATE raw_messages SET disposition = 'ticket' WHERE "
		                "id = $1",
		                STORE_PARAMS(SP_I(h.raw_id)));
	/* R3: entitlement as for any mail (ticket_entitle.h). */
	struct entitlement e;
	char text[4096];
	snprintf(text, sizeof text, "%s\n%s", h.subject, h.body ? h.body : "");
	if (rc == STORE_OK)
		rc = ticket_entitle_opening(env, id, text, &e);
	if (rc == STORE_OK)
		rc = tcmd_opened_told(env, id, q->contact_id ? TCMD_OPENED_ACK : 0,
		                      e.text_es, e.text_en);
	if (rc == STORE_OK)
		rc = audit_record(env->db, q->who, id, "review.ticket_opened",
		                  json_pack("{s:I, s:s, s:s}", "message_id",
		                            (json_int_t)q->message_id, "from", h.from,
		                            "review_reason", h.reason),
		                  env->now);
	free(h.body);
	enum tcmd_rc t = finish(env, rc, res);
	if (t == TCMD_OK) {
		res->ticket_id = id;
		res->number = number;
	}
	return t;
}

enum tcmd_rc
review_dismiss(const struct tcmd_env *env, int64_t message_id,
               const char *note, struct actor who, struct tcmd_result *res)
{
	struct held h;
	memset(res, 0, sizeof *res);
	enum store_rc rc = store_begin(env->db, 1);
	if (rc != STORE_OK)
		return finish(env, rc, res);
	rc = held_get(env->db, message_id, &h);
	if (rc == STORE_OK)
		rc = mark(env->db, message_id, 0, 0, "dismissed", who, env->now);
	if (rc == STORE_OK)
		rc = audit_record(env->db, who, 0, "review.dismissed",
		                  json_pack("{s:I, s:s, s:s, s:s?}", "message_id",
		                            (json_int_t)message_id, "from", h.from,
		                            "review_reason", h.reason, "note", note),
		                  env->now);
	free(h.body);
	return finish(env, rc, res);
}
