/*
 * flow_mail.h - the mail the ticket lifecycle sends, queued as rows.
 *
 * flow_mail_queue() renders templates/LANG/KIND.txt (app/base/template.h) with
 * the facts of a ticket and queues the result in outbound_mail (state
 * 'queued', app/base/outbound.h) inside the caller's transaction; sending is
 * the outbound sender's job. Kinds are the workflow's mail names
 * (wf_mail_name(): reply, info_request, attempt, solution, closed_*, ...)
 * plus ack, sla_at_risk, sla_breach and attempt_reminder. Notices to
 * staff go through app/ticket/staff_notice.h (one per window, digests).
 *
 * Template keys always given: number, subject, client_name, contact_name,
 * assignee_name, severity, severity_name, old_severity, old_severity_name,
 * response_hours, response_or_more ("yes" when the policy's time is a
 * floor: "36 horas o más"; else ""), due_local, body, wait_hours (whole
 * hours), wait_time ("2 h 02 min"), close_local, attempt, attempts_max,
 * close_reason, state, company and phone (app/config/branding.h),
 * phone_after_email ("yes" or ""), support_address, pm_name (the Project
 * Manager's name, "" when the policy names only the role), actor,
 * product_name, reason, ticket_path ("/tickets/N") and ticket_url (its
 * absolute address in the console, for staff).
 */
#ifndef SOPORTE_APP_FLOW_MAIL_H
#define SOPORTE_APP_FLOW_MAIL_H

#include "app/base/outbound.h"
#include "core/calendar.h"
#include "core/policy.h"
#include "core/workflow.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

struct flow_mail_facts {
	const struct policy *pol;
	const struct calendar *cal;
	int64_t number;
	const char *subject, *client_name, *contact_name, *assignee_name;
	const char *body;           /* the staff's or client's words, or NULL */
	const char *actor_email;    /* who acted, or NULL */
	const char *product_name;   /* the ticket's product, or NULL */
	const char *reason;         /* why it needs renewal (R3), or NULL */
	int64_t rate_cents;         /* per-event hourly rate (R8), 0: none */
	int severity, old_severity;
	int64_t due_at;             /* response deadline (UTC) */
	int64_t target_s;           /* its response target (its policy
	                               version's, R12); 0: the policy's */
	int64_t wait_s;             /* stated wait, business seconds */
	int64_t close_at;           /* when the wait ends (UTC), 0: none */
	int attempt;                /* counted attempts so far */
	enum wf_close_reason close_reason;
	enum wf_state state;
	const char *template_name;  /* the template, NULL: the kind's own */
	int64_t merged_into;        /* closed by a merge: the ticket number that
	                               holds the case now, 0: none */
};

/* Renders templates/LANG/KIND.txt with f's facts into *subject and *body
 * (malloc'd; the caller frees both): what flow_mail_queue() queues, and
 * what the golden files of tests/golden/mail hold. Returns 0, or -1 with
 * the reason in err. */
int flow_mail_render(const struct flow_mail_facts *f, const char *kind,
                     const char *lang, char **subject, char **body, char *err,
                     size_t errlen);

/* Renders and queues one mail; msgid (may be NULL) gets its Message-ID.
 * Returns STORE_OK, the store's error, or STORE_ERROR when the template
 * cannot be rendered (store_errmsg() says why). */
enum store_rc flow_mail_queue(struct store *db, const struct flow_mail_facts *f,
                              const char *kind, const char *lang,
                              int64_t ticket_id, const char *to, int64_t now,
                              char msgid[OUTBOUND_MSGID_MAX]);

#endif
