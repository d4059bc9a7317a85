/*
 * workflow.h - the ticket state machine (pure): rules R6, R7, R9, R10.
 *
 * wf_decide() takes a snapshot of a ticket (struct wf_ticket), who acts
 * (a role and, for staff, a user id) and what they ask (struct wf_input),
 * and answers with a struct wf_decision: either a refusal (a reason code
 * with a clear message in Spanish and English, wf_refusal_message()) or
 * the new state, the audit events to record, the side effects to apply
 * (first response, pause start/end, deadline recomputation, ...), the
 * mails to queue and the timers to schedule, with their due instants.
 *
 * The shell (src/app/ticket/ticket_cmds.c) loads the snapshot, calls wf_decide()
 * and records everything the decision says in one transaction. Nothing
 * here reads a clock or does I/O: `now` and the business calendar are
 * arguments, so every transition is a table row in tests/unit.
 *
 * States (see docs/workflow.md for the diagram):
 *   new -> assigned -> in_progress <-> waiting_on_client
 *   -> solved (awaiting confirmation) -> closed | reopened -> ...
 *   renewal_required (R3, set by the entitlement check) -> new | assigned
 *   (only by RENEWED: the entitlement decided again holds; an assignment
 *   keeps the state) | closed
 *   any open state -> renewal_required (WF_CMD_RENEWAL: the cause made
 *   the coverage none, R4; the client and the renewals area are told)
 * Closed is final: a closed ticket takes no command.
 */
#ifndef SOPORTE_CORE_WORKFLOW_H
#define SOPORTE_CORE_WORKFLOW_H

#include "core/calendar.h"
#include "core/policy.h"
#include "core/sla.h"

#include <stdbool.h>
#include <stdint.h>

enum wf_state {
	WF_NEW,
	WF_ASSIGNED,
	WF_IN_PROGRESS,
	WF_WAITING,          /* waiting on the client: SLA clock paused */
	WF_SOLVED,           /* solution given, awaiting confirmation */
	WF_CLOSED,
	WF_REOPENED,         /* the client said it is not solved */
	WF_RENEWAL_REQUIRED, /* no valid entitlement (R3) */
	WF_STATE_COUNT
};

enum wf_close_reason {
	WF_CLOSE_NONE,
	WF_CLOSE_CONFIRMED,
	WF_CLOSE_NO_RESPONSE,
	WF_CLOSE_EXCLUDED,
	WF_CLOSE_DUPLICATE,
	WF_CLOSE_RENEWAL_REQUIRED,
	WF_CLOSE_COUNT
};

enum wf_role {
	WF_ROLE_CLIENT,      /* a client contact (mail, portal) */
	WF_ROLE_CONSULTANT,
	WF_ROLE_PM,          /* Project Manager */
	WF_ROLE_RENEWALS,
	WF_ROLE_ADMIN,
	WF_ROLE_SYSTEM,      /* the scheduler */
	WF_ROLE_COUNT
};

enum wf_cmd {
	WF_CMD_ASSIGN,        /* (re)assign to a consultant */
	WF_CMD_REPLY,         /* staff mail to the client (R6 first response) */
	WF_CMD_CALL,          /* logged phone call (R6, R10) */
	WF_CMD_CLIENT_REPLY,  /* the client wrote (mail or portal) */
	WF_CMD_WAIT,          /* ask the client for information: pause (R9) */
	WF_CMD_ATTEMPT,       /* contact attempt while waiting (R9) */
	WF_CMD_SOLVE,         /* give the solution: awaiting confirmation */
	WF_CMD_CONFIRM,       /* the client confirms the solution (R9) */
	WF_CMD_REOPEN,        /* the client says it is not solved */
	WF_CMD_RAISE_REQUEST, /* the client asks to raise the priority (R7) */
	WF_CMD_PM_REQUEST,    /* the client asks for the Project Manager (R7) */
	WF_CMD_ESCALATE_PM,   /* staff escalate to the Project Manager (R7) */
	WF_CMD_SEVERITY,      /* staff change the severity (R7) */
	WF_CMD_CLOSE,         /* staff close: excluded, duplicate, renewal */
	WF_CMD_AUTO_CLOSE,    /* the scheduler: third attempt's wait is over */
	WF_CMD_RENEWAL,       /* coverage none (R3, R4): to renewal required */
	WF_CMD_CONFIRM_SEVERITY, /* the consultant confirms the preliminary
	                            severity, or sets another (R6) */
	WF_CMD_RENEWED,       /* R3: the entitlement, decided again, holds: the
	                         ticket leaves renewal_required (given only by
	                         ticket_recheck(), app/billing/ticket_entitle.h) */
	WF_CMD_COUNT
};

/* Why a command is refused; WF_OK when it is not. */
enum wf_refusal {
	WF_OK = 0,
	WF_E_CLOSED,            /* the ticket is closed */
	WF_E_STATE,             /* not allowed in the ticket's state */
	WF_E_FORBIDDEN,         /* the role may not do this */
	WF_E_NOT_ASSIGNEE,      /* a consultant acting on another's ticket */
	WF_E_UNASSIGNED,        /* staff work needs an assignee first */
	WF_E_BAD_ASSIGNEE,      /* assign to someone who is not a consultant */
	WF_E_SAME_ASSIGNEE,     /* already assigned to that consultant */
	WF_E_BAD_SEVERITY,      /* not 1..4 */
	WF_E_SAME_SEVERITY,     /* already that severity */
	WF_E_ALREADY_PM,        /* already at the Project Manager level */
	WF_E_ASK_CONSULTANT_FIRST, /* R7: raise priority before the PM */
	WF_E_NOT_BUSINESS_DAY,  /* R9: attempts on business days only */
	WF_E_ATTEMPTS_DONE,     /* R9: all attempts made, closure pending */
	WF_E_BAD_WAIT,          /* stated wait not positive */
	WF_E_BAD_REASON,        /* close reason not allowed here */
	WF_E_NOT_DUE,           /* auto-close before the wait is over */
	WF_E_CALENDAR,          /* an instant outside the calendar's span */
	WF_E_TOO_MANY,          /* more events, mails or jobs than a decision
	                           holds (WF_MAX_*): a bug, never dropped */
	WF_E_ALREADY_CONFIRMED, /* R6: the severity is already confirmed */
	WF_E_NOT_ENTITLED,      /* R3: decided again, nothing holds yet: the
	                           ticket stays waiting for the renewal */
	WF_REFUSAL_COUNT
};

/* Side effects, a bit set in wf_decision.effects. */
enum wf_effect {
	WF_FX_FIRST_RESPONSE = 1u << 0,  /* record the first response now (R6) */
	WF_FX_PAUSE_START = 1u << 1,     /* open a pause at now */
	WF_FX_PAUSE_END = 1u << 2,       /* close the open pause at now */
	WF_FX_RECOMPUTE_DUE = 1u << 3,   /* deadline from created, new target */
	WF_FX_RESCHEDULE_SLA = 1u << 4,  /* cancel and re-plan SLA warnings */
	WF_FX_CANCEL_SLA = 1u << 5,      /* cancel SLA warnings */
	WF_FX_CANCEL_WAIT_JOBS = 1u << 6,/* cancel reminders and auto-close */
	WF_FX_NEW_EPISODE = 1u << 7,     /* waiting_since = now: attempts anew */
	WF_FX_END_EPISODE = 1u << 8,     /* waiting_since cleared */
	WF_FX_SET_ASSIGNEE = 1u << 9,    /* assignee = input.assignee_id */
	WF_FX_SET_SEVERITY = 1u << 10,   /* severity = input.severity */
	WF_FX_LEVEL_PM = 1u << 11,       /* escalation level 1 */
	WF_FX_SOLVED_AT = 1u << 12,
	WF_FX_CLOSED_AT = 1u << 13,
	WF_FX_RECORD_ATTEMPT = 1u << 14, /* insert the contact attempt */
	WF_FX_RECORD_ESCALATION = 1u << 15,
	WF_FX_MESSAGE_OUT = 1u << 16,    /* a staff message to the client */
	WF_FX_MESSAGE_IN = 1u << 17,     /* a client message */
	WF_FX_MESSAGE_CALL = 1u << 18,   /* a logged call */
	WF_FX_FLAG_CLIENT_REPLY = 1u << 24, /* R9: the client answered a solved
	                                      ticket: flag it for staff */
	WF_FX_CLEAR_CLIENT_REPLY = 1u << 25,/* staff answered, or it left
	                                      solved: the flag goes */
	WF_FX_CONFIRM_SEVERITY = 1u << 19, /* a consultant stands behind the
	                                      severity: no longer preliminary */
};

/* Who a mail goes to. */
enum wf_recipient {
	WF_TO_CLIENT,     /* the ticket's contact */
	WF_TO_ASSIGNEE,   /* the assigned consultant (the new one on assign) */
	WF_TO_PM,         /* the policy's Project Manager address */
	WF_TO_RENEWALS,   /* the policy's renewals address */
	WF_TO_PREVIOUS_ASSIGNEE, /* on reassign: the consultant it leaves */
};

/* Mail templates (src/app/ticket/flow_mail.c writes their text). */
enum wf_mail_kind {
	WF_MAIL_REPLY,            /* the staff reply itself */
	WF_MAIL_INFO_REQUEST,     /* waiting: what we need from the client */
	WF_MAIL_ATTEMPT,          /* e-mail attempt: we wait N, then close */
	WF_MAIL_SOLUTION,         /* solution: please confirm */
	WF_MAIL_CLOSED_CONFIRMED,
	WF_MAIL_CLOSED_NO_RESPONSE,
	WF_MAIL_CLOSED_EXCLUDED,
	WF_MAIL_CLOSED_DUPLICATE,
	WF_MAIL_CLOSED_RENEWAL,
	WF_MAIL_REOPENED,         /* to the assignee */
	WF_MAIL_ASSIGNED,         /* to the assignee */
	WF_MAIL_RAISE_REQUEST,    /* to the assignee: the client asks priority */
	WF_MAIL_PM_REQUEST,       /* to the PM (and assignee) */
	WF_MAIL_ESCALATED_PM,     /* to the PM: the consultant escalated */
	WF_MAIL_SEVERITY_CHANGED, /* to the client: new severity and deadline */
	WF_MAIL_CLIENT_ANSWERED,  /* to the assignee: the client replied */
	WF_MAIL_UNASSIGNED,       /* to the previous assignee: reassigned */
	WF_MAIL_PO_REQUEST,       /* waiting: send a purchase order (R8) */
	WF_MAIL_RENEWAL_REQUIRED, /* to the client: not covered, renewals call */
	WF_MAIL_RENEWAL_NOTICE,   /* to renewals: a ticket waits for them */
	WF_MAIL_RAISE_RECEIPT,    /* to the client: we have your request (R7) */
	WF_MAIL_PM_RECEIPT,       /* to the client: the PM was told (R7) */
	WF_MAIL_SEVERITY_CONFIRMED, /* to the client: the severity is final (R6) */
	WF_MAIL_RENEWED,          /* to the client: entitled again, served now */
	WF_MAIL_COUNT
};

/* Timers the decision asks for (rows in the jobs table). */
enum wf_job_kind {
	WF_JOB_SLA_AT_RISK,
	WF_JOB_SLA_BREACH,
	WF_JOB_ATTEMPT_REMINDER,  /* next business day: make the next attempt */
	WF_JOB_AUTO_CLOSE,        /* the announced close (wf_attempt_close_at) */
	WF_JOB_OUTBOUND_RETRY,
	WF_JOB_KIND_COUNT
};

/* The ticket as the state machine needs to see it. */
struct wf_ticket {
	enum wf_state state;
	enum wf_close_reason close_reason;
	int severity;               /* 1..4 */
	int escalation_level;       /* 0 consultant, 1 Project Manager */
	int64_t assignee_id;        /* 0: none */
	bool responded;             /* first response recorded (R6) */
	bool raise_requested;       /* a raise-priority request exists (R7) */
	bool severity_confirmed;    /* a consultant confirmed it (R6) */
	int64_t waiting_since;      /* start of the waiting episode, 0: none */
	int attempts;               /* counted attempts in this episode (R9) */
	int64_t last_attempt_day;   /* local day number of the last, -1: none */
	int64_t auto_close_at;      /* due instant of the pending auto-close */
};

struct wf_input {
	enum wf_cmd cmd;
	enum wf_role role;
	int64_t user_id;            /* the acting staff user, 0 otherwise */
	int64_t now;                /* UTC seconds */
	int64_t assignee_id;        /* ASSIGN: the new consultant */
	bool assignee_is_consultant;/* ASSIGN: checked by the shell */
	int severity;               /* SEVERITY: 1..4; CONFIRM_SEVERITY: 1..4,
	                               or 0 to confirm the current one */
	enum wf_close_reason reason;/* CLOSE */
	int64_t wait_s;             /* ATTEMPT: stated wait, business seconds;
	                               0: the policy's default */
	bool by_email;              /* ATTEMPT: by e-mail (a mail is queued) */
	bool for_po;                /* WAIT: what we wait for is a purchase
	                               order (R8): its own mail */
};

/* The most a decision holds. A command that would add more is refused
 * with WF_E_TOO_MANY rather than losing one (the unit tests run every
 * command in every state and role, and fail on that refusal). */
#define WF_MAX_EVENTS 4
#define WF_MAX_MAILS 4
#define WF_MAX_JOBS 4

struct wf_mail {
	enum wf_mail_kind kind;
	enum wf_recipient to;
};

struct wf_job {
	enum wf_job_kind kind;
	int64_t due_at;
};

struct wf_decision {
	enum wf_refusal refusal;
	enum wf_state state;        /* the new state */
	enum wf_close_reason close_reason;
	unsigned effects;           /* enum wf_effect bits */
	const char *events[WF_MAX_EVENTS]; /* audit actions, static strings */
	int nevents;
	struct wf_mail mails[WF_MAX_MAILS];
	int nmails;
	struct wf_job jobs[WF_MAX_JOBS];
	int njobs;
	int attempts;               /* counted attempts after this command */
	bool attempt_counted;       /* ATTEMPT: on a new business day */
	int64_t attempt_day;        /* ATTEMPT: local day number */
	int64_t wait_s;             /* ATTEMPT: business seconds to close_at */
	int64_t close_at;           /* ATTEMPT: the close it announces, the
	                               auto-close's due instant */
	bool overflow;              /* internal: an add past a WF_MAX_* */
};

/*
 * Decides cmd on t. Always fills *d: d->refusal is WF_OK and the rest
 * describes the transition, or a refusal code and d->state = t->state.
 * cal is the policy's business calendar (for attempt days and due times).
 */
void wf_decide(const struct policy *pol, const struct calendar *cal,
               const struct wf_ticket *t, const struct wf_input *in,
               struct wf_decision *d);

/*
 * SLA warning jobs for a clock of target_s business seconds (the target
 * of the ticket's policy version, R12): the at-risk instant (the
 * policy's at_risk_percent of the target used) and the breach instant
 * (the due instant + 1 s: sla_status() calls a ticket breached only past
 * its due instant). Writes up to 2 jobs into out and returns how many (0
 * while an open pause holds the clock, or on a calendar error).
 */
int wf_sla_jobs(const struct policy *pol, const struct calendar *cal,
                int64_t target_s, int64_t created,
                const struct sla_pause *pauses, size_t npauses,
                struct wf_job out[2]);

/*
 * Who hears of a ticket that opens in state s, besides the client's
 * acknowledgement: a ticket that opens in renewal_required (R3) is told to
 * the renewals team (WF_TO_RENEWALS: the policy's renewals address and the
 * renewals accounts), once, at its opening. Writes up to 1 recipient into
 * out and returns how many.
 */
int wf_opening_notices(enum wf_state s, enum wf_recipient out[1]);

/*
 * R9: the instant a ticket waiting on the client closes with no answer,
 * as an attempt made at now announces it, with `left` attempts still to
 * make (one per following business day) and wait_s business seconds of
 * wait after the last: left = 0, now + wait_s; otherwise the wait runs
 * from the end of the last of those days, so a later attempt made on its
 * day, at any hour, announces the same instant. decide_attempt() plans
 * the auto-close at what it announces, so the two never differ.
 */
enum wf_refusal wf_attempt_close_at(const struct calendar *cal, int64_t now,
                                    int left, int64_t wait_s, int64_t *out);
/* The local day number of instant t in the calendar's zone. */
int64_t wf_local_day(const struct calendar *cal, int64_t t);
/* True when local day `day` has business hours. */
bool wf_business_day(const struct calendar *cal, int64_t day);
/* The first business instant of the business day after t's local day;
 * WF_E_CALENDAR outside the span. */
enum wf_refusal wf_next_business_open(const struct calendar *cal, int64_t t,
                                      int64_t *out);

/* Name <-> enum tables: the lowercase keys the store and the CLI use.
 * Parsers return -1 for an unknown name. */
const char *wf_state_name(enum wf_state s);
int wf_state_parse(const char *s);
const char *wf_state_label(enum wf_state s, const char *lang);
const char *wf_close_name(enum wf_close_reason r);  /* NULL for NONE */
int wf_close_parse(const char *s);
const char *wf_close_label(enum wf_close_reason r, const char *lang);
const char *wf_role_name(enum wf_role r);
/* The roles a person's account can have, in enum order, NULL-terminated:
 * all but WF_ROLE_SYSTEM ("system", the scheduler's). wf_role_parse knows
 * only these, and returns -1 for "system". */
extern const char *const wf_person_role_names[WF_ROLE_SYSTEM + 1];
int wf_role_parse(const char *s);
const char *wf_cmd_name(enum wf_cmd c);
const char *wf_job_name(enum wf_job_kind k);
int wf_job_parse(const char *s);
const char *wf_mail_name(enum wf_mail_kind k);
const char *wf_refusal_code(enum wf_refusal r);    /* "closed", "state" */
/* The refusal as one sentence, lang "es" (default) or "en". */
const char *wf_refusal_message(enum wf_refusal r, const char *lang);

#endif
