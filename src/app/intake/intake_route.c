/*
 * intake_route.c - where a stored, parsed message goes (see
 * intake_route.h): a new ticket (entitlement, acknowledgment), a reply on
 * its ticket, an auto-reply or bounce recorded, spam or mail not for
 * support set aside, or the review queue; and what each records.
 */
#include "app/intake/intake_route.h"
#include "app/ticket/ticket_merge.h"
#include "app/intake/sender_check.h"
#include "app/intake/triage_mail.h"
#include "app/base/audit.h"
#include "app/base/blob.h"
#include "app/config/policy_version.h"
#include "app/billing/client_facts.h"
#include "app/billing/ticket_entitle.h"
#include "app/base/outbound.h"
#include "app/ticket/flow_mail.h"
#include "app/ticket/ticket_cmds.h"
#include "app/ticket/ticket_open.h"
#include "app/ticket/ticket_triage.h"
#include "core/entitle.h"
#include "mail/route.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More acknowledgments than this to one address in an hour is a mail
 * loop (a robot that answers without saying so): stop answering. */
#define ACKS_PER_HOUR 10

/* route_lookup_fn: a Message-ID we have seen -> its ticket number. */
static int
lookup_msgid(void *ctx, const char *message_id, uint32_t *ticket)
{
	struct store *db = ctx;
	int64_t n = 0;
	if (store_get_int(db,
	                  "SELECT t.number FROM messages m JOIN tickets t "
	                  "ON t.id = m.ticket_id WHERE m.message_id = $1 "
	                  "UNION ALL SELECT t.number FROM outbound_mail o "
	                  "JOIN tickets t ON t.id = o.ticket_id "
	                  "WHERE o.message_id = $1 LIMIT 1",
	                  STORE_PARAMS(SP_T(message_id)), &n) != STORE_OK ||
	    n <= 0 || n > ROUTE_TICKET_MAX)
		return 0;
	*ticket = (uint32_t)n;
	return 1;
}

static enum store_rc
set_disposition(struct route_ctx *c, const char *disposition,
                int64_t ticket_id)
{
	snprintf(c->res->disposition, sizeof c->res->disposition, "%s", disposition);
	return store_exec(c->in->db,
	                  "UPDATE raw_messages SET disposition = $2, ticket_id = $3, "
	                  "reason = $4, error = NULL WHERE id = $1",
	                  STORE_PARAMS(SP_I(c->raw_id), SP_T(disposition),
	                               SP_ID(ticket_id), SP_T(c->res->reason)));
}

/* Stores the message's parts: bytes in blobs (once per content), a row
 * per attachment (sha256 NULL when over the size limit). */
static enum store_rc
store_parts(struct store *db, const struct mail *m, int64_t message_id)
{
	for (size_t i = 0; i < m->nparts; i++) {
		const struct mail_part *p = &m->parts[i];
		enum store_rc rc = STORE_OK;
		if (p->data)
			rc = blob_put(db, p->sha256, p->data, p->size);
		if (rc == STORE_OK)
			rc = store_exec(
			    db,
			    "INSERT INTO attachments (message_id, filename, content_type, "
			    "content_id, size, sha256, is_inline) VALUES ($1, $2, $3, $4, "
			    "$5, $6, $7)",
			    STORE_PARAMS(SP_I(message_id),
			                 SP_T(p->filename ? p->filename
			                      : p->kind == MAIL_PART_MESSAGE ? "mensaje.eml"
			                                                     : "adjunto"),
			                 SP_T(p->content_type), SP_T(p->content_id),
			                 SP_I((int64_t)p->size),
			                 SP_T(p->data ? p->sha256 : NULL),
			                 SP_I(p->kind == MAIL_PART_INLINE)));
		if (rc != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

/* Records the message on ticket_id (0: the review queue, with why). */
static enum store_rc
record_message(struct route_ctx *c, int64_t ticket_id, int64_t contact_id,
               const char *review_reason, int64_t *message_row)
{
	const struct mail *m = c->m;
	char irt[300] = "";
	if (m->in_reply_to)
		snprintf(irt, sizeof irt, "%s", m->in_reply_to);
	int64_t id = 0;
	enum store_rc rc = store_get_int(
	    c->in->db,
	    "INSERT INTO messages (ticket_id, raw_id, kind, contact_id, message_id, "
	    "in_reply_to, from_addr, subject, body_text, body_html, body_display, "
	    "review_reason, created_at) VALUES ($1, $2, 'in', $3, $4, $5, $6, $7, "
	    "$8, $9, $10, $11, $12) RETURNING id",
	    STORE_PARAMS(SP_ID(ticket_id), SP_I(c->raw_id), SP_ID(contact_id),
	                 SP_T(m->message_id), SP_T(*irt ? irt : NULL),
	                 SP_T(m->from.addr), SP_T(m->subject), SP_T(m->text),
	                 SP_T(m->html), SP_T(m->display_text), SP_T(review_reason),
	                 SP_I(c->now)),
	    &id);
	if (rc == STORE_OK)
		rc = store_parts(c->in->db, m, id);
	if (message_row)
		*message_row = id;
	return rc;
}

static enum store_rc
hold_for_review(struct route_ctx *c, const char *why)
{
	snprintf(c->res->reason, sizeof c->res->reason, "%s", why);
	enum store_rc rc = record_message(c, 0, 0, why, NULL);
	if (rc == STORE_OK)
		rc = set_disposition(c, "review", 0);
	return rc;
}

/* The contact that sent the mail: STORE_OK with its id and client,
 * STORE_NOTFOUND for an unknown sender, or a deactivated contact or
 * client (held for review like an unknown one). */
static enum store_rc
find_contact(struct store *db, const char *addr, int64_t *contact,
             int64_t *client)
{
	struct store_rows *r;
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT ct.id, ct.client_id FROM contacts ct JOIN clients c ON "
	    "c.id = ct.client_id WHERE ct.email = $1 AND ct.active = 1 AND "
	    "c.active = 1",
	    STORE_PARAMS(SP_T(addr ? addr : "")), &r);
	if (rc != STORE_OK)
		return rc;
	*contact = store_int(r, 0);
	*client = store_int(r, 1);
	store_done(r);
	return STORE_OK;
}

/* Queues the acknowledgment (R2) or the renewal notice (R3). */
static enum store_rc
queue_ack(struct route_ctx *c, const char *tmpl, int64_t ticket_id,
          int64_t number, int severity, int64_t due, const char *contact_name,
          const char *lang, const char *extra)
{
	const struct policy *pol = c->in->pol;
	/* Mail marked bulk, list or junk (Precedence) is never answered: a
	 * mailing list or a robot would get our answer (RFC 3834 section 2;
	 * Auto-Submitted mail does not get this far, route.c). */
	if (c->m->flags & MAIL_F_BULK) {
		log_info("intake: %s to %s not sent: the mail is marked bulk",
		         tmpl, c->m->from.addr);
		return STORE_OK;
	}
	int64_t recent = 0;
	enum store_rc rc = store_get_int(
	    c->in->db,
	    "SELECT COUNT(*) FROM outbound_mail WHERE to_addr = $1 AND "
	    "kind IN ('ack', 'renewal', 'oversize') AND created_at > $2",
	    STORE_PARAMS(SP_T(c->m->from.addr), SP_I(c->now - 3600)), &recent);
	if (rc != STORE_OK)
		return rc;
	if (recent >= ACKS_PER_HOUR) {
		log_warn("intake: %d acknowledgments to %s in the last hour: not "
		         "answering (mail loop?)",
		         (int)recent, c->m->from.addr);
		return STORE_OK;
	}
	int64_t target = 0;
	rc = policy_ticket_target(c->in->db, pol, ticket_id, severity, &target);
	if (rc != STORE_OK)
		return rc;
	struct flow_mail_facts f = {
		.pol = pol,
		.cal = c->in->cal,
		.number = number,
		.subject = c->m->subject[0] ? c->m->subject : "(sin asunto)",
		.contact_name = contact_name,
		.reason = extra,
		.severity = severity,
		.due_at = due,
		.target_s = target,
	};
	char *subject = NULL, *body = NULL, err[256];
	if (flow_mail_render(&f, tmpl, lang, &subject, &body, err, sizeof err) != 0)
		return store_fail(c->in->db, STORE_ERROR, "template %s: %s", tmpl, err);
	char irt[300], refs[300];
	snprintf(irt, sizeof irt, "<%s>", c->m->message_id);
	snprintf(refs, sizeof refs, "<%s>", c->m->message_id);
	struct outbound_new o = {
		.ticket_id = ticket_id,
		.ticket_number = number,
		.kind = tmpl,
		.to = c->m->from.addr,
		.subject = subject,
		.body = body,
		.in_reply_to = irt,
		.references = refs,
	};
	rc = outbound_queue(c->in->db, pol, &o, c->now, NULL);
	free(subject);
	free(body);
	return rc;
}

static enum store_rc
open_ticket(struct route_ctx *c, int64_t contact_id, int64_t client_id)
{
	struct store *db = c->in->db;
	const struct mail *m = c->m;
	enum store_rc rc;
	/* Issue 17: the desk's model proposes severity and category. */
	struct triage_mail tm;
	triage_input_from_mail(m, NULL, NULL, &tm);
	struct triage_result tri;
	rc = ticket_triage_classify(db, c->in->pol, &tm.in, &tri);
	if (rc != STORE_OK)
		return rc;
	char contact_name[200] = "";
	char lang[4] = "es";
	struct store_rows *r;
	rc = store_query_row(db,
	                     "SELECT ct.name, c.language FROM contacts ct JOIN "
	                     "clients c ON c.id = ct.client_id WHERE ct.id = $1",
	                     STORE_PARAMS(SP_I(contact_id)), &r);
	if (rc == STORE_OK) {
		snprintf(contact_name, sizeof contact_name, "%s", store_text(r, 0));
		snprintf(lang, sizeof lang, "%s", store_text(r, 1));
		store_done(r);
	} else if (rc != STORE_NOTFOUND) {
		return rc;
	}

	/* The proposal sets the first clock (R6: preliminary; when the model
	 * is unsure it is the higher severity, flagged for a consultant); the
	 * consultant confirms or changes it, which recomputes the deadline
	 * (R7). An exclusion stays a proposal (R5: staff exclude). */
	int severity = tri.severity;
	struct ticket_request req = {
		.client_id = client_id,
		.contact_id = contact_id,
		.subject = m->subject[0] ? m->subject : "(sin asunto)",
		.body = m->text,
		.body_html = m->html,
		.body_display = m->display_text,
		.in_reply_to = m->in_reply_to,
		.from_addr = m->from.addr,
		.message_id = m->message_id,
		.raw_id = c->raw_id,
		.severity = severity,
		.triage = &tri,
		.category = ticket_triage_opening_category(&tri),
		.channel = "email",
		.reported_at = c->now,
		.actor = {ACTOR_CONTACT, contact_id},
	};
	int64_t ticket_id = 0, number = 0, due = 0, first_msg = 0;
	rc = ticket_open(db, c->in->pol, c->in->cal, &req, c->now, &ticket_id,
	                 &number);
	if (rc != STORE_OK)
		return rc;
	/* R3, as every way in (app/billing/ticket_entitle.h). */
	struct tcmd_env env = {db, c->in->pol, c->in->cal, c->now};
	struct entitlement e;
	char text[4096];
	snprintf(text, sizeof text, "%s\n%s", m->subject,
	         m->display_text ? m->display_text : "");
	rc = ticket_entitle_opening(&env, ticket_id, text, &e);
	if (rc == STORE_OK)
		rc = store_get_int(db,
		                   "SELECT response_due_at FROM tickets WHERE id = $1",
		                   STORE_PARAMS(SP_I(ticket_id)), &due);
	if (rc == STORE_OK)
		rc = store_get_int(db,
		                   "SELECT MIN(id) FROM messages WHERE ticket_id = $1",
		                   STORE_PARAMS(SP_I(ticket_id)), &first_msg);
	if (rc == STORE_OK)
		rc = store_parts(db, m, first_msg);
	/* Lifecycle (issue 5): auto-assignment and SLA timers. */
	if (rc == STORE_OK)
		rc = tcmd_opened(&env, ticket_id, 0);
	if (rc != STORE_OK)
		return rc;
	c->res->ticket_number = number;
	if (e.basis == ENTITLE_NONE) {
		snprintf(c->res->reason, sizeof c->res->reason,
		         "renewal required: %s", entitle_reason_name(e.reason));
		rc = queue_ack(c, "renewal", ticket_id, number, severity, due,
		               contact_name, lang,
		               strcmp(lang, "en") == 0 ? e.text_en : e.text_es);
	} else {
		snprintf(c->res->reason, sizeof c->res->reason, "entitled: %s",
		         entitle_basis_name(e.basis));
		rc = queue_ack(c, "ack", ticket_id, number, severity, due,
		               contact_name, lang, NULL);
	}
	if (rc == STORE_OK && (m->flags & MAIL_F_OVERSIZE))
		rc = queue_ack(c, "oversize", ticket_id, number, severity, due,
		               contact_name, lang, NULL);
	if (rc == STORE_OK)
		rc = ticket_entitle_ask_po(&env, ticket_id, &e);
	if (rc == STORE_OK)
		rc = set_disposition(c, "ticket", ticket_id);
	return rc;
}

static enum store_rc
take_reply(struct route_ctx *c, uint32_t number)
{
	struct store *db = c->in->db;
	int64_t ticket_id = 0, ticket_client = 0, contact = 0, client = 0;
	/* A merged ticket's number leads to the ticket that holds its
	 * thread now (app/ticket/ticket_merge.h). */
	int64_t n = number;
	enum store_rc rc = ticket_survivor(db, &n, &ticket_id, &ticket_client);
	if (rc == STORE_OK)
		number = (uint32_t)n;
	else if (rc != STORE_NOTFOUND)
		return rc;
	char why[120];
	/* A number this desk does not have (renumbered, imported): the
	 * ticket of a Message-ID it stored, when the reply names one. */
	if (ticket_id == 0 &&
	    (rc = sender_thread_by_refs(db, c->m, lookup_msgid, db, &number,
	                                &ticket_id, &ticket_client)) != STORE_OK &&
	    rc != STORE_NOTFOUND)
		return rc;
	if (ticket_id == 0) {
		snprintf(why, sizeof why, "reply to ticket #%06u, which this desk "
		         "does not have", number);
		return hold_for_review(c, why);
	}
	rc = find_contact(db, c->m->from.addr, &contact, &client);
	if (rc == STORE_NOTFOUND || (rc == STORE_OK && client != ticket_client)) {
		snprintf(why, sizeof why, "reply to ticket #%06u from %s, who is not "
		         "a contact of its client", number, c->m->from.addr);
		return hold_for_review(c, why);
	}
	if (rc != STORE_OK)
		return rc;
	snprintf(c->res->reason, sizeof c->res->reason, "reply to #%06u", number);
	c->res->ticket_number = number;
	int64_t row = 0;
	rc = record_message(c, ticket_id, contact, NULL, &row);
	if (rc == STORE_OK)
		rc = store_exec(db,
		                "UPDATE tickets SET updated_at = $2, version = version + 1 "
		                "WHERE id = $1",
		                STORE_PARAMS(SP_I(ticket_id), SP_I(c->now)));
	if (rc == STORE_OK)
		rc = audit_record(db, (struct actor){ACTOR_CONTACT, contact}, ticket_id,
		                  "message.received",
		                  json_pack("{s:s}", "message_id", c->m->message_id),
		                  c->now);
	/* Lifecycle: the client answered (R9 resumes the clock); what the
	 * reply asks for (R9 confirm or reopen, R7 escalation) only when its
	 * sender is authenticated (R2, app/intake/sender_check.h). */
	struct tcmd_env env = {db, c->in->pol, c->in->cal, c->now};
	if (rc == STORE_OK)
		rc = sender_reply_effect(&env, c->m, ticket_id, number, contact, row,
		                         c->res->reason, sizeof c->res->reason);
	if (rc == STORE_OK)
		rc = set_disposition(c, "reply", ticket_id);
	return rc;
}

static enum store_rc
take_bounce(struct route_ctx *c)
{
	struct store *db = c->in->db;
	const struct mail_bounce *b = &c->m->bounce;
	enum store_rc rc = STORE_OK;
	int failed = 0;
	for (size_t i = 0; i < b->n && rc == STORE_OK; i++) {
		if (b->rcpt[i].action == NULL || strcmp(b->rcpt[i].action, "failed") != 0 ||
		    b->rcpt[i].final_recipient == NULL)
			continue;
		failed++;
		rc = store_exec(db,
		                "UPDATE contacts SET email_failing_since = "
		                "COALESCE(email_failing_since, $2) WHERE email = $1",
		                STORE_PARAMS(SP_T(b->rcpt[i].final_recipient),
		                             SP_I(c->now)));
		if (rc == STORE_OK)
			rc = audit_record(db, ACTOR_SYSTEM_INIT, 0, "contact.email_failing",
			                  json_pack("{s:s, s:s?}", "email",
			                            b->rcpt[i].final_recipient, "status",
			                            b->rcpt[i].status),
			                  c->now);
	}
	if (rc != STORE_OK)
		return rc;
	int64_t ticket_id = 0;
	uint32_t number = 0;
	if (b->orig_message_id && lookup_msgid(db, b->orig_message_id, &number))
		store_get_int(db, "SELECT id FROM tickets WHERE number = $1",
		              STORE_PARAMS(SP_I(number)), &ticket_id);
	snprintf(c->res->reason, sizeof c->res->reason, "%s",
	         failed ? "delivery failed: the contact's address is marked failing"
	                : "delivery delayed or reported: nothing to do");
	return set_disposition(c, "bounce", ticket_id);
}

enum store_rc
intake_route_message(struct route_ctx *c, const char *envelope_to)
{
	struct store *db = c->in->db;
	const struct mail *m = c->m;
	struct route_opts o = {
		.support_addr = c->in->pol->support_address,
		.envelope_rcpt = envelope_to,
		.lookup = lookup_msgid,
		.lookup_ctx = db,
	};
	struct route_result r;
	route_classify(m, &o, &r);
	snprintf(c->res->reason, sizeof c->res->reason, "%s", r.reason ? r.reason : "");
	int64_t ticket_id = 0;
	switch (r.kind) {
	case ROUTE_NOT_FOR_SUPPORT:
		return set_disposition(c, "not_for_support", 0);
	case ROUTE_SPAM:
		return set_disposition(c, "spam", 0);
	case ROUTE_AUTO_REPLY:
		if (r.ticket)
			store_get_int(db, "SELECT id FROM tickets WHERE number = $1",
			              STORE_PARAMS(SP_I(r.ticket)), &ticket_id);
		c->res->ticket_number = ticket_id ? r.ticket : 0;
		return set_disposition(c, "auto_reply", ticket_id);
	case ROUTE_BOUNCE:
		return take_bounce(c);
	case ROUTE_REPLY:
		return take_reply(c, r.ticket);
	case ROUTE_NEW_REQUEST:
		break;
	}
	int64_t contact = 0, client = 0;
	enum store_rc rc = find_contact(db, m->from.addr, &contact, &client);
	if (rc == STORE_NOTFOUND)
		return hold_for_review(c, "sender is not a contact of any client");
	if (rc != STORE_OK)
		return rc;
	/* A message from a contact clears a failing address. */
	rc = store_exec(db, "UPDATE contacts SET email_failing_since = NULL "
	                    "WHERE id = $1 AND email_failing_since IS NOT NULL",
	                STORE_PARAMS(SP_I(contact)));
	return rc == STORE_OK ? open_ticket(c, contact, client) : rc;
}
