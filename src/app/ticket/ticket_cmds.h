/*
 * ticket_cmds.h - the ticket lifecycle commands (R6, R7, R9, R10), for
 * every door: the CLI, the HTTP API, mail intake and the scheduler.
 *
 * tcmd_run() loads the ticket, asks the state machine (core/workflow.h)
 * and, when it agrees, records in ONE transaction the new state, the
 * messages, pauses, contact attempts and escalations, the audit events,
 * the timers (jobs) and the mail rows (outbound_mail, state 'queued').
 * The ticket row is written with optimistic locking on tickets.version:
 * a request carrying expected_version fails with TCMD_CONFLICT when the
 * ticket changed since the caller read it (HTTP If-Match).
 *
 * tcmd_apply() is the same inside the caller's transaction (the scheduler
 * fires a job and marks it done in one transaction).
 *
 * Openings: tcmd_opened() does what follows ticket_open() in the same
 * transaction: automatic assignment (assign.h), the acknowledgment (R2)
 * and the SLA warning timers. A staff-opened ticket runs ticket_open(),
 * the entitlement (R3) and tcmd_opened_told() in one transaction:
 * ticket_open_entitled() (app/billing/ticket_entitle.h).
 *
 * Results: TCMD_OK (applied, see the result), TCMD_REFUSED (the state
 * machine or a check said no: res->refusal and res->message explain, in
 * Spanish then English; nothing changed), TCMD_NOT_FOUND (no such ticket
 * or user), TCMD_CONFLICT (expected_version is stale), TCMD_BUSY (the
 * store is busy: retry), TCMD_ERROR (res->message says what),
 * TCMD_TOO_LARGE (a reply's mail to the client, with the files it
 * carries, encoded, would be over the policy's max_outbound_bytes: SMTP
 * servers refuse such mail, so the reply is refused now, nothing
 * stored; res->message gives both sizes).
 */
#ifndef SOPORTE_APP_TICKET_CMDS_H
#define SOPORTE_APP_TICKET_CMDS_H

#include "app/base/audit.h"
#include "app/ticket/ticket_open.h"
#include "core/calendar.h"
#include "core/policy.h"
#include "core/workflow.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

enum tcmd_rc {
	TCMD_OK = 0,
	TCMD_REFUSED,
	TCMD_NOT_FOUND,
	TCMD_CONFLICT,
	TCMD_BUSY,
	TCMD_ERROR,
	TCMD_TOO_LARGE,     /* the mail with the files would be over the
	                       policy's max_outbound_bytes: nothing changed */
};

struct tcmd_env {
	struct store *db;
	const struct policy *pol;
	const struct calendar *cal;
	int64_t now;                /* UTC seconds: the simulated or real clock */
};

/* Who acts: a role, the audit actor, and for a client its client id. */
struct tcmd_who {
	enum wf_role role;
	struct actor actor;
	int64_t user_id;            /* staff (and portal) users, else 0 */
	int64_t contact_id;         /* client contacts, else 0 */
	int64_t client_id;          /* client contacts: their client */
	char email[256];
};

/* The system (scheduler) as actor. */
#define TCMD_WHO_SYSTEM \
	((struct tcmd_who){WF_ROLE_SYSTEM, {ACTOR_SYSTEM, 0}, 0, 0, 0, ""})

/*
 * Resolves an e-mail to who acts: an active user (staff role, or a
 * client portal account acting as its contact), else a client contact.
 * TCMD_OK, TCMD_NOT_FOUND, TCMD_BUSY or TCMD_ERROR (err says why).
 */
enum tcmd_rc tcmd_who_lookup(struct store *db, const char *email,
                             struct tcmd_who *out, char *err, size_t errlen);

struct tcmd_request {
	enum wf_cmd cmd;
	int64_t number;             /* the ticket number */
	struct tcmd_who who;
	int64_t expected_version;   /* 0: whatever the current version is */
	const char *body;           /* the message, reply, call notes, note */
	const char *channel;        /* ATTEMPT: "phone" or "email" */
	const char *outcome;        /* ATTEMPT: no_answer, left_message, ... */
	int64_t wait_s;             /* ATTEMPT: stated wait (0: the policy's) */
	int64_t duration_s;         /* CALL */
	int severity;               /* SEVERITY */
	const char *assignee_email; /* ASSIGN: the consultant's e-mail, */
	int64_t assignee_id;        /* or (when no e-mail) their user id */
	enum wf_close_reason reason;/* CLOSE */
	int for_po;                 /* WAIT: for a purchase order (R8) */
	int64_t rate_cents;         /* WAIT for_po: the hourly rate told */
	const char *message_id;     /* CLIENT_REPLY/CONFIRM/REOPEN from mail */
	int64_t raw_id;             /* the stored raw mail, 0: none */
	int64_t auto_close_at;      /* AUTO_CLOSE: the firing job's due time */
	int no_message;             /* the caller already stored the message */
	int64_t merged_into;        /* CLOSE duplicate by a merge: the number
	                               that now holds the case (its mail says so) */
	const int64_t *uploads;     /* files the author uploaded for this
	                               message (app/ticket/uploads.h); a reply to the
	                               client carries them in its mail */
	size_t nuploads;
};

struct tcmd_result {
	enum wf_refusal refusal;    /* WF_OK unless TCMD_REFUSED */
	char message[768];          /* refusal or error text, one line */
	int64_t ticket_id;
	int64_t number;
	enum wf_state state;        /* after the command */
	int64_t version;            /* after the command */
	int attempts;               /* ATTEMPT: counted so far */
	int64_t due_at;             /* the response deadline after it */
};

enum tcmd_rc tcmd_run(const struct tcmd_env *env,
                      const struct tcmd_request *req, struct tcmd_result *res);
enum tcmd_rc tcmd_apply(const struct tcmd_env *env,
                        const struct tcmd_request *req,
                        struct tcmd_result *res);

/* After ticket_open(), in its transaction: auto-assignment when the
 * ticket is new and has no assignee, the acknowledgment mail (R2) when
 * flags has TCMD_OPENED_ACK (mail intake queues its own), and the SLA
 * warning timers. Returns the store's result. */
#define TCMD_OPENED_ACK 1u
enum store_rc tcmd_opened(const struct tcmd_env *env, int64_t ticket_id,
                          unsigned flags);
/* tcmd_opened() for a ticket whose entitlement was decided (R3,
 * app/billing/ticket_entitle.h): when it is in renewal_required, the
 * client's mail is the renewal notice, giving why_es or why_en (by the
 * client's language; either may be NULL) as the reason. */
enum store_rc tcmd_opened_told(const struct tcmd_env *env, int64_t ticket_id,
                               unsigned flags, const char *why_es,
                               const char *why_en);

/* Mail intake, after it recorded a client's message on ticket_id in its
 * transaction: runs cmd for the client (WF_CMD_CLIENT_REPLY, or what the
 * reply asks: WF_CMD_CONFIRM, WF_CMD_REOPEN, WF_CMD_RAISE_REQUEST,
 * WF_CMD_PM_REQUEST). When the state machine refuses that command, the
 * reply still counts as the client answering (R9: a waiting ticket
 * resumes, the clock restarts, pending attempts and auto-close are
 * cancelled). A closed ticket is left as it is. *applied (may be NULL)
 * gets the command that ran. body (may be NULL) is the client's words,
 * quoted in the staff's notice. Returns the store's result. */
enum store_rc tcmd_client_message(const struct tcmd_env *env, enum wf_cmd cmd,
                                  enum wf_cmd *applied,
                                  int64_t ticket_id, int64_t contact_id,
                                  const char *body);

/* SLA warnings for a ticket: cancels the pending ones and plans new ones
 * from its clock (nothing once it has a first response or is closed). */
enum store_rc tcmd_plan_sla(const struct tcmd_env *env, int64_t ticket_id);

/*
 * The business calendar changed (holidays imported, R6): every ticket
 * still waiting for its first response, not closed and not held for
 * renewal, whose stored deadline is at or after `since` (a calendar
 * change before it cannot reach it), gets its deadline computed again
 * from its creation, its severity's target and its pauses under
 * env->cal. Each one that moves is written (response_due_at, version
 * + 1), its SLA warnings are planned again, and an audit event
 * "ticket.due_recomputed" {from, to, reason} by `who` goes on its own
 * trail. A ticket held by an open pause keeps its row: resuming
 * computes it. Answered and closed tickets keep their history. In the
 * caller's transaction; *moved counts the tickets written.
 */
enum store_rc tcmd_recompute_due(const struct tcmd_env *env, int64_t since,
                                 struct actor who, const char *reason,
                                 int *moved);

/*
 * The scheduler's job effects, inside its transaction. Each sets
 * *outcome to a static word: "notified", "skipped" (the premise is gone:
 * answered, closed, paused, another episode) or "rescheduled" (the
 * deadline moved; new jobs were planned).
 *   tcmd_sla_warning: at-risk or breach warning to the assignee and the
 *     Project Manager while the ticket has no first response (R6).
 *   tcmd_attempt_reminder: tells the assignee to make the next contact
 *     attempt while the waiting episode `since` goes on (R9).
 *   tcmd_auto_close: closes as "no response" once the third attempt's
 *     stated wait (the job's due_at) is over (R9).
 */
enum store_rc tcmd_sla_warning(const struct tcmd_env *env, int64_t ticket_id,
                               enum wf_job_kind kind, const char **outcome);
enum store_rc tcmd_attempt_reminder(const struct tcmd_env *env,
                                    int64_t ticket_id, int64_t since,
                                    const char **outcome);
enum store_rc tcmd_auto_close(const struct tcmd_env *env, int64_t ticket_id,
                              int64_t since, int64_t due_at,
                              const char **outcome);

/*
 * The lifecycle view of ticket number n as JSON in *out (the caller owns
 * it): state as the workflow names it (reopened included), close reason,
 * severity, escalation level, assignee, deadline, first response (time,
 * business seconds, met), resolution, counted attempts of the waiting
 * episode, pauses, jobs and the audit trail. STORE_NOTFOUND when there
 * is no such ticket.
 */
enum store_rc tcmd_status_json(const struct tcmd_env *env, int64_t n,
                               json_t **out);

/* Maps a tcmd_rc to a sysexits code (refusal 65, not found 67 for users
 * / 65 for tickets is the caller's choice: this gives 65; conflict and
 * busy 75; error 70). */
int tcmd_exit_code(enum tcmd_rc rc);

#endif
