/*
 * workflow.c - the ticket state machine (see workflow.h).
 *
 * wf_decide() checks, in this order: the ticket is not closed, the role
 * may give the command, a consultant works only on their own tickets,
 * the state allows the command, then the command's own guards. The first
 * failing check is the refusal; nothing else is filled then.
 */
#include "core/workflow.h"

int64_t
wf_local_day(const struct calendar *cal, int64_t t)
{
	int64_t local = t + calendar_utc_offset(cal, t);
	return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

/* The UTC instant of local midnight starting `day`. */
static int64_t
local_midnight(const struct calendar *cal, int64_t day)
{
	int64_t guess = day * 86400;
	/* The offset at the guess is right except across a DST change near
	 * midnight; one correction step settles it. */
	int64_t t = guess - calendar_utc_offset(cal, guess);
	return guess - calendar_utc_offset(cal, t);
}

bool
wf_business_day(const struct calendar *cal, int64_t day)
{
	int64_t start = local_midnight(cal, day), next;
	if (calendar_next_open(cal, start, &next) != CAL_OK)
		return false;
	return next < local_midnight(cal, day + 1);
}

enum wf_refusal
wf_next_business_open(const struct calendar *cal, int64_t t, int64_t *out)
{
	int64_t start = local_midnight(cal, wf_local_day(cal, t) + 1);
	return calendar_next_open(cal, start, out) == CAL_OK ? WF_OK
	                                                     : WF_E_CALENDAR;
}

int
wf_opening_notices(enum wf_state s, enum wf_recipient out[1])
{
	if (s != WF_RENEWAL_REQUIRED)
		return 0;
	out[0] = WF_TO_RENEWALS;
	return 1;
}

int
wf_sla_jobs(const struct policy *pol, const struct calendar *cal,
            int64_t target_s, int64_t created, const struct sla_pause *pauses,
            size_t npauses, struct wf_job out[2])
{
	struct sla_clock c;
	int64_t due = 0, risk = 0;
	if (sla_clock_target(&c, target_s, created, pauses, npauses) != SLA_OK ||
	    sla_due(cal, &c, &due) != SLA_OK || due == SLA_NEVER)
		return 0;
	/* Rounded up, so that at the instant sla_status() says "at risk". */
	c.target_s = (c.target_s * pol->at_risk_percent + 99) / 100;
	if (sla_due(cal, &c, &risk) != SLA_OK)
		return 0;
	out[0] = (struct wf_job){WF_JOB_SLA_AT_RISK, risk};
	/* Breached means past the due instant: the second after it. */
	out[1] = (struct wf_job){WF_JOB_SLA_BREACH, due + 1};
	return 2;
}

/* Helpers that append to the decision; one past its room marks the
 * decision, which wf_decide() then refuses (WF_E_TOO_MANY). */
static void
add_event(struct wf_decision *d, const char *action)
{
	if (d->nevents < WF_MAX_EVENTS)
		d->events[d->nevents++] = action;
	else
		d->overflow = true;
}

static void
add_mail(struct wf_decision *d, enum wf_mail_kind k, enum wf_recipient to)
{
	if (d->nmails < WF_MAX_MAILS)
		d->mails[d->nmails++] = (struct wf_mail){k, to};
	else
		d->overflow = true;
}

static void
add_job(struct wf_decision *d, enum wf_job_kind k, int64_t due)
{
	if (d->njobs < WF_MAX_JOBS)
		d->jobs[d->njobs++] = (struct wf_job){k, due};
	else
		d->overflow = true;
}

static bool
is_staff(enum wf_role r)
{
	return r == WF_ROLE_CONSULTANT || r == WF_ROLE_PM || r == WF_ROLE_ADMIN;
}

/* Who may give each command: a bit per role. */
#define R(x) (1u << (x))
#define STAFF (R(WF_ROLE_CONSULTANT) | R(WF_ROLE_PM) | R(WF_ROLE_ADMIN))
static const unsigned allowed_roles[WF_CMD_COUNT] = {
	[WF_CMD_ASSIGN] = STAFF | R(WF_ROLE_RENEWALS) | R(WF_ROLE_SYSTEM),
	[WF_CMD_REPLY] = STAFF,
	[WF_CMD_CALL] = STAFF,
	[WF_CMD_CLIENT_REPLY] = R(WF_ROLE_CLIENT),
	[WF_CMD_WAIT] = STAFF,
	[WF_CMD_ATTEMPT] = STAFF,
	[WF_CMD_SOLVE] = STAFF,
	[WF_CMD_CONFIRM] = STAFF | R(WF_ROLE_CLIENT),
	[WF_CMD_REOPEN] = STAFF | R(WF_ROLE_CLIENT),
	[WF_CMD_RAISE_REQUEST] = STAFF | R(WF_ROLE_CLIENT),
	[WF_CMD_PM_REQUEST] = STAFF | R(WF_ROLE_CLIENT),
	[WF_CMD_ESCALATE_PM] = R(WF_ROLE_CONSULTANT) | R(WF_ROLE_ADMIN),
	[WF_CMD_SEVERITY] = STAFF,
	[WF_CMD_CLOSE] = STAFF | R(WF_ROLE_RENEWALS),
	[WF_CMD_AUTO_CLOSE] = R(WF_ROLE_SYSTEM),
	[WF_CMD_RENEWAL] = STAFF | R(WF_ROLE_SYSTEM),
	[WF_CMD_CONFIRM_SEVERITY] = STAFF,
	[WF_CMD_RENEWED] = STAFF | R(WF_ROLE_RENEWALS) | R(WF_ROLE_SYSTEM),
};

/* Commands where a consultant must be the assignee (staff work). */
static bool
needs_assignee(enum wf_cmd c)
{
	switch (c) {
	case WF_CMD_REPLY:
	case WF_CMD_CALL:
	case WF_CMD_WAIT:
	case WF_CMD_ATTEMPT:
	case WF_CMD_SOLVE:
	case WF_CMD_ESCALATE_PM:
	case WF_CMD_SEVERITY:
	case WF_CMD_CONFIRM_SEVERITY:
		return true;
	default:
		return false;
	}
}

/* The first response, when this staff contact is the first (R6). */
static void
first_response(const struct wf_ticket *t, struct wf_decision *d)
{
	if (t->responded)
		return;
	d->effects |= WF_FX_FIRST_RESPONSE | WF_FX_CANCEL_SLA;
	add_event(d, "ticket.first_response");
}

static enum wf_refusal
decide_assign(const struct wf_ticket *t, const struct wf_input *in,
              struct wf_decision *d)
{
	if (in->role == WF_ROLE_RENEWALS && t->state != WF_RENEWAL_REQUIRED)
		return WF_E_FORBIDDEN;
	/* A consultant may only take an unassigned ticket for themselves. */
	if (in->role == WF_ROLE_CONSULTANT &&
	    (t->assignee_id != 0 || in->assignee_id != in->user_id))
		return WF_E_FORBIDDEN;
	if (in->assignee_id <= 0 || !in->assignee_is_consultant)
		return WF_E_BAD_ASSIGNEE;
	if (in->assignee_id == t->assignee_id)
		return WF_E_SAME_ASSIGNEE;
	/* A ticket in renewal_required keeps its state: only the
	 * entitlement decided again lets it go on (WF_CMD_RENEWED, R3). */
	switch (t->state) {
	case WF_NEW:
		d->state = WF_ASSIGNED;
		add_event(d, "ticket.assigned");
		break;
	default:
		add_event(d, t->assignee_id ? "ticket.reassigned"
		                            : "ticket.assigned");
		break;
	}
	d->effects |= WF_FX_SET_ASSIGNEE;
	add_mail(d, WF_MAIL_ASSIGNED, WF_TO_ASSIGNEE);
	if (t->assignee_id != 0)
		add_mail(d, WF_MAIL_UNASSIGNED, WF_TO_PREVIOUS_ASSIGNEE);
	return WF_OK;
}

static enum wf_refusal
decide_contact(const struct wf_ticket *t, const struct wf_input *in,
               struct wf_decision *d)
{
	switch (t->state) {
	case WF_ASSIGNED:
	case WF_REOPENED:
		d->state = WF_IN_PROGRESS;
		break;
	case WF_IN_PROGRESS:
	case WF_WAITING:
	case WF_SOLVED:
		break;
	default:
		return WF_E_STATE;
	}
	if (in->cmd == WF_CMD_REPLY) {
		d->effects |= WF_FX_MESSAGE_OUT;
		add_event(d, "ticket.replied");
		add_mail(d, WF_MAIL_REPLY, WF_TO_CLIENT);
	} else {
		d->effects |= WF_FX_MESSAGE_CALL;
		add_event(d, "ticket.call_logged");
	}
	first_response(t, d);
	return WF_OK;
}

static enum wf_refusal
decide_client_reply(const struct wf_ticket *t, struct wf_decision *d)
{
	d->effects |= WF_FX_MESSAGE_IN;
	add_event(d, "ticket.client_replied");
	if (t->state == WF_WAITING) {
		/* Any answer resumes the ticket and the clock (R9). */
		d->state = WF_IN_PROGRESS;
		d->effects |= WF_FX_PAUSE_END | WF_FX_END_EPISODE |
		              WF_FX_CANCEL_WAIT_JOBS;
		if (!t->responded)
			d->effects |= WF_FX_RESCHEDULE_SLA;
		add_event(d, "ticket.resumed");
	} else if (t->state == WF_SOLVED) {
		/* The client answered, neither confirming nor reopening: the
		 * attempts start over from this answer, and the queue shows
		 * staff the answer to read (they may reopen the ticket). */
		d->effects |= WF_FX_NEW_EPISODE | WF_FX_CANCEL_WAIT_JOBS |
		              WF_FX_FLAG_CLIENT_REPLY;
	}
	if (t->assignee_id)
		add_mail(d, WF_MAIL_CLIENT_ANSWERED, WF_TO_ASSIGNEE);
	return WF_OK;
}

static enum wf_refusal
decide_wait(const struct calendar *cal, const struct wf_ticket *t,
            const struct wf_input *in, struct wf_decision *d)
{
	if (t->state != WF_ASSIGNED && t->state != WF_IN_PROGRESS &&
	    t->state != WF_REOPENED)
		return WF_E_STATE;
	int64_t next;
	if (wf_next_business_open(cal, in->now, &next) != WF_OK)
		return WF_E_CALENDAR;
	d->state = WF_WAITING;
	d->effects |= WF_FX_PAUSE_START | WF_FX_NEW_EPISODE | WF_FX_MESSAGE_OUT |
	              WF_FX_CANCEL_WAIT_JOBS;
	add_event(d, in->for_po ? "ticket.waiting_purchase_order"
	                        : "ticket.waiting");
	add_mail(d, in->for_po ? WF_MAIL_PO_REQUEST : WF_MAIL_INFO_REQUEST,
	         WF_TO_CLIENT);
	first_response(t, d);
	add_job(d, WF_JOB_ATTEMPT_REMINDER, next);
	return WF_OK;
}

enum wf_refusal
wf_attempt_close_at(const struct calendar *cal, int64_t now, int left,
                    int64_t wait_s, int64_t *out)
{
	int64_t t = now;
	if (left > 0) {
		/* One attempt per following business day; the wait starts when
		 * the last of those days ends (the next one opens), so an
		 * attempt made at any hour of its day keeps this instant. */
		for (int i = 0; i <= left; i++)
			if (wf_next_business_open(cal, t, &t) != WF_OK)
				return WF_E_CALENDAR;
	}
	return calendar_add(cal, t, wait_s, out) == CAL_OK ? WF_OK
	                                                   : WF_E_CALENDAR;
}

static enum wf_refusal
decide_attempt(const struct policy *pol, const struct calendar *cal,
               const struct wf_ticket *t, const struct wf_input *in,
               struct wf_decision *d)
{
	if (t->state != WF_WAITING && t->state != WF_SOLVED)
		return WF_E_STATE;
	if (in->wait_s < 0)
		return WF_E_BAD_WAIT;
	int64_t day = wf_local_day(cal, in->now);
	if (!wf_business_day(cal, day))
		return WF_E_NOT_BUSINESS_DAY;
	if (t->attempts >= pol->contact_attempts)
		return WF_E_ATTEMPTS_DONE;
	int64_t wait = in->wait_s > 0 ? in->wait_s : pol->attempt_wait_s;
	if (wait <= 0)
		return WF_E_BAD_WAIT;
	bool counted = day != t->last_attempt_day;
	int attempts = t->attempts + (counted ? 1 : 0);
	/* The close this attempt announces is the auto-close's due instant:
	 * the one already announced, unless this attempt states its own
	 * wait, or the attempts left no longer fit before it. */
	int64_t close = t->auto_close_at, next = 0;
	if (counted || close <= 0 || in->wait_s > 0) {
		int64_t plan;
		if (wf_attempt_close_at(cal, in->now, pol->contact_attempts - attempts,
		                        wait, &plan) != WF_OK)
			return WF_E_CALENDAR;
		if (in->wait_s > 0 || close <= 0 || plan > close)
			close = plan;
	}
	/* The next attempt's reminder: tomorrow's opening (for an attempt
	 * on a day already counted, the same instant the pending one has,
	 * since its timers may be replaced below). */
	if (attempts < pol->contact_attempts &&
	    wf_next_business_open(cal, in->now, &next) != WF_OK)
		return WF_E_CALENDAR;
	if (calendar_between(cal, in->now, close, &wait) != CAL_OK)
		return WF_E_CALENDAR;
	d->effects |= WF_FX_RECORD_ATTEMPT;
	d->attempt_counted = counted;
	d->attempt_day = day;
	d->attempts = attempts;
	d->wait_s = wait;
	d->close_at = close;
	add_event(d, counted ? "contact.attempt" : "contact.attempt_same_day");
	if (in->by_email)
		add_mail(d, WF_MAIL_ATTEMPT, WF_TO_CLIENT);
	if (counted || close != t->auto_close_at) {
		/* The pending timers are replaced: the next attempt's reminder
		 * and the announced close. */
		d->effects |= WF_FX_CANCEL_WAIT_JOBS;
		if (next)
			add_job(d, WF_JOB_ATTEMPT_REMINDER, next);
		add_job(d, WF_JOB_AUTO_CLOSE, close);
	}
	return WF_OK;
}

static enum wf_refusal
decide_solve(const struct calendar *cal, const struct wf_ticket *t,
             const struct wf_input *in, struct wf_decision *d)
{
	switch (t->state) {
	case WF_ASSIGNED:
	case WF_IN_PROGRESS:
	case WF_REOPENED:
		break;
	case WF_WAITING:
		d->effects |= WF_FX_PAUSE_END;
		break;
	default:
		return WF_E_STATE;
	}
	int64_t next;
	if (wf_next_business_open(cal, in->now, &next) != WF_OK)
		return WF_E_CALENDAR;
	d->state = WF_SOLVED;
	d->effects |= WF_FX_SOLVED_AT | WF_FX_NEW_EPISODE | WF_FX_MESSAGE_OUT |
	              WF_FX_CANCEL_WAIT_JOBS;
	add_event(d, "ticket.solved");
	add_mail(d, WF_MAIL_SOLUTION, WF_TO_CLIENT);
	first_response(t, d);
	add_job(d, WF_JOB_ATTEMPT_REMINDER, next);
	return WF_OK;
}

static void
close_ticket(const struct wf_ticket *t, enum wf_close_reason why,
             enum wf_mail_kind m, struct wf_decision *d)
{
	d->state = WF_CLOSED;
	d->close_reason = why;
	d->effects |= WF_FX_CLOSED_AT | WF_FX_END_EPISODE |
	              WF_FX_CANCEL_WAIT_JOBS | WF_FX_CANCEL_SLA;
	if (t->state == WF_WAITING)
		d->effects |= WF_FX_PAUSE_END;
	add_event(d, "ticket.closed");
	add_mail(d, m, WF_TO_CLIENT);
}

static enum wf_refusal
decide_close(const struct wf_ticket *t, const struct wf_input *in,
             struct wf_decision *d)
{
	switch (in->reason) {
	case WF_CLOSE_EXCLUDED:
	case WF_CLOSE_DUPLICATE:
		if (!is_staff(in->role))
			return WF_E_FORBIDDEN;
		close_ticket(t, in->reason,
		             in->reason == WF_CLOSE_EXCLUDED ? WF_MAIL_CLOSED_EXCLUDED
		                                             : WF_MAIL_CLOSED_DUPLICATE,
		             d);
		return WF_OK;
	case WF_CLOSE_RENEWAL_REQUIRED:
		if (in->role != WF_ROLE_RENEWALS && in->role != WF_ROLE_ADMIN)
			return WF_E_FORBIDDEN;
		if (t->state != WF_RENEWAL_REQUIRED)
			return WF_E_STATE;
		close_ticket(t, in->reason, WF_MAIL_CLOSED_RENEWAL, d);
		return WF_OK;
	default:
		return WF_E_BAD_REASON;
	}
}

/* R3, R4: the cause made the coverage none. The clock stops (no promise
 * runs while nobody pays), pending attempts and closures are dropped; the
 * client is told and the renewals area too. */
static enum wf_refusal
decide_renewal(const struct wf_ticket *t, struct wf_decision *d)
{
	if (t->state == WF_RENEWAL_REQUIRED)
		return WF_E_STATE;
	d->state = WF_RENEWAL_REQUIRED;
	d->effects |= WF_FX_CANCEL_SLA | WF_FX_CANCEL_WAIT_JOBS |
	              WF_FX_END_EPISODE;
	/* The response clock waits for the renewal, as for a ticket that
	 * opens in renewal: paused (a pause already open stays open) until
	 * WF_CMD_RENEWED resumes it. */
	if (t->state != WF_WAITING)
		d->effects |= WF_FX_PAUSE_START;
	add_event(d, "ticket.renewal_required");
	add_mail(d, WF_MAIL_RENEWAL_REQUIRED, WF_TO_CLIENT);
	add_mail(d, WF_MAIL_RENEWAL_NOTICE, WF_TO_RENEWALS);
	return WF_OK;
}

static enum wf_refusal
decide_escalation(const struct wf_ticket *t, const struct wf_input *in,
                  struct wf_decision *d)
{
	switch (in->cmd) {
	case WF_CMD_RAISE_REQUEST:
		/* The client's request is a message in the thread they see,
		 * and they get a receipt (R7). */
		d->effects |= WF_FX_RECORD_ESCALATION;
		if (in->role == WF_ROLE_CLIENT)
			d->effects |= WF_FX_MESSAGE_IN;
		add_event(d, "escalation.requested");
		add_mail(d, WF_MAIL_RAISE_REQUEST,
		     t->assignee_id ? WF_TO_ASSIGNEE : WF_TO_PM);
		add_mail(d, WF_MAIL_RAISE_RECEIPT, WF_TO_CLIENT);
		return WF_OK;
	case WF_CMD_PM_REQUEST:
		if (t->escalation_level >= 1)
			return WF_E_ALREADY_PM;
		if (!t->raise_requested)
			return WF_E_ASK_CONSULTANT_FIRST;
		d->effects |= WF_FX_RECORD_ESCALATION | WF_FX_LEVEL_PM;
		if (in->role == WF_ROLE_CLIENT)
			d->effects |= WF_FX_MESSAGE_IN;
		add_event(d, "escalation.project_manager");
		add_mail(d, WF_MAIL_PM_REQUEST, WF_TO_PM);
		if (t->assignee_id)
			add_mail(d, WF_MAIL_PM_REQUEST, WF_TO_ASSIGNEE);
		add_mail(d, WF_MAIL_PM_RECEIPT, WF_TO_CLIENT);
		return WF_OK;
	case WF_CMD_ESCALATE_PM:
		if (t->escalation_level >= 1)
			return WF_E_ALREADY_PM;
		d->effects |= WF_FX_RECORD_ESCALATION | WF_FX_LEVEL_PM;
		add_event(d, "escalation.project_manager");
		add_mail(d, WF_MAIL_ESCALATED_PM, WF_TO_PM);
		return WF_OK;
	case WF_CMD_CONFIRM_SEVERITY:
		/* R6: the desk's proposal stays preliminary until a consultant
		 * confirms it; confirming with another severity changes it. */
		if (in->severity < 0 || in->severity > POLICY_SEVERITIES)
			return WF_E_BAD_SEVERITY;
		if (in->severity == 0 || in->severity == t->severity) {
			if (t->severity_confirmed)
				return WF_E_ALREADY_CONFIRMED;
			d->effects |= WF_FX_CONFIRM_SEVERITY;
			add_event(d, "ticket.severity_confirmed");
			add_mail(d, WF_MAIL_SEVERITY_CONFIRMED, WF_TO_CLIENT);
			return WF_OK;
		}
		/* another severity is a change: */
		/* fall through */
	default: /* WF_CMD_SEVERITY */
		if (in->severity < 1 || in->severity > POLICY_SEVERITIES)
			return WF_E_BAD_SEVERITY;
		if (in->severity == t->severity)
			return WF_E_SAME_SEVERITY;
		d->effects |= WF_FX_SET_SEVERITY | WF_FX_RECOMPUTE_DUE |
		              WF_FX_RECORD_ESCALATION | WF_FX_CONFIRM_SEVERITY;
		if (!t->responded)
			d->effects |= WF_FX_RESCHEDULE_SLA;
		add_event(d, "ticket.severity_changed");
		add_mail(d, WF_MAIL_SEVERITY_CHANGED, WF_TO_CLIENT);
		return WF_OK;
	}
}

static enum wf_refusal
decide(const struct policy *pol, const struct calendar *cal,
       const struct wf_ticket *t, const struct wf_input *in,
       struct wf_decision *d)
{
	if ((unsigned)in->cmd >= WF_CMD_COUNT ||
	    (unsigned)in->role >= WF_ROLE_COUNT)
		return WF_E_FORBIDDEN;
	if (t->state == WF_CLOSED)
		return WF_E_CLOSED;
	unsigned roles = allowed_roles[in->cmd];
	/* R8: the desk itself asks for a purchase order once the cause made
	 * a ticket per-event work and none is on file. */
	if (in->cmd == WF_CMD_WAIT && in->for_po)
		roles |= R(WF_ROLE_SYSTEM);
	if (!(roles & R(in->role)))
		return WF_E_FORBIDDEN;
	if (needs_assignee(in->cmd) || (in->role == WF_ROLE_CONSULTANT &&
	                                (in->cmd == WF_CMD_CONFIRM ||
	                                 in->cmd == WF_CMD_REOPEN ||
	                                 in->cmd == WF_CMD_CLOSE))) {
		if (t->assignee_id == 0)
			return WF_E_UNASSIGNED;
		if (in->role == WF_ROLE_CONSULTANT && t->assignee_id != in->user_id)
			return WF_E_NOT_ASSIGNEE;
	}
	switch (in->cmd) {
	case WF_CMD_ASSIGN:
		return decide_assign(t, in, d);
	case WF_CMD_REPLY:
	case WF_CMD_CALL:
		return decide_contact(t, in, d);
	case WF_CMD_CLIENT_REPLY:
		return decide_client_reply(t, d);
	case WF_CMD_WAIT:
		return decide_wait(cal, t, in, d);
	case WF_CMD_ATTEMPT:
		return decide_attempt(pol, cal, t, in, d);
	case WF_CMD_SOLVE:
		return decide_solve(cal, t, in, d);
	case WF_CMD_CONFIRM:
		if (t->state != WF_SOLVED)
			return WF_E_STATE;
		if (in->role == WF_ROLE_CLIENT)
			d->effects |= WF_FX_MESSAGE_IN;
		close_ticket(t, WF_CLOSE_CONFIRMED, WF_MAIL_CLOSED_CONFIRMED, d);
		return WF_OK;
	case WF_CMD_REOPEN:
		if (t->state != WF_SOLVED)
			return WF_E_STATE;
		d->state = WF_REOPENED;
		d->effects |= WF_FX_END_EPISODE | WF_FX_CANCEL_WAIT_JOBS;
		if (in->role == WF_ROLE_CLIENT)
			d->effects |= WF_FX_MESSAGE_IN;
		add_event(d, "ticket.reopened");
		add_mail(d, WF_MAIL_REOPENED, WF_TO_ASSIGNEE);
		return WF_OK;
	case WF_CMD_RAISE_REQUEST:
	case WF_CMD_PM_REQUEST:
	case WF_CMD_ESCALATE_PM:
	case WF_CMD_SEVERITY:
	case WF_CMD_CONFIRM_SEVERITY:
		return decide_escalation(t, in, d);
	case WF_CMD_CLOSE:
		return decide_close(t, in, d);
	case WF_CMD_AUTO_CLOSE:
		if (t->state != WF_WAITING && t->state != WF_SOLVED)
			return WF_E_STATE;
		if (t->attempts < pol->contact_attempts || t->auto_close_at <= 0 ||
		    in->now < t->auto_close_at)
			return WF_E_NOT_DUE;
		close_ticket(t, WF_CLOSE_NO_RESPONSE, WF_MAIL_CLOSED_NO_RESPONSE, d);
		return WF_OK;
	case WF_CMD_RENEWAL:
		return decide_renewal(t, d);
	case WF_CMD_RENEWED:
		/* R3: a contract, a purchase order or the warranty holds now.
		 * The clock was paused from the report (the renewal pause): it
		 * resumes, the deadline moves by the time the renewal took. */
		if (t->state != WF_RENEWAL_REQUIRED)
			return WF_E_STATE;
		d->state = t->assignee_id ? WF_ASSIGNED : WF_NEW;
		d->effects |= WF_FX_PAUSE_END;
		if (!t->responded)
			d->effects |= WF_FX_RESCHEDULE_SLA;
		add_event(d, "ticket.renewed");
		add_mail(d, WF_MAIL_RENEWED, WF_TO_CLIENT);
		return WF_OK;
	case WF_CMD_COUNT:
		break;
	}
	return WF_E_FORBIDDEN;
}

void
wf_decide(const struct policy *pol, const struct calendar *cal,
          const struct wf_ticket *t, const struct wf_input *in,
          struct wf_decision *d)
{
	struct wf_decision fresh = {0};
	*d = fresh;
	d->state = t->state;
	d->close_reason = t->close_reason;
	d->attempts = t->attempts;
	enum wf_refusal r = decide(pol, cal, t, in, d);
	/* A flagged answer on a solved ticket is dealt with when the ticket
	 * leaves solved or staff write or call the client. */
	if (r == WF_OK && t->state == WF_SOLVED &&
	    !(d->effects & WF_FX_FLAG_CLIENT_REPLY) &&
	    (d->state != WF_SOLVED ||
	     (d->effects & (WF_FX_MESSAGE_OUT | WF_FX_MESSAGE_CALL))))
		d->effects |= WF_FX_CLEAR_CLIENT_REPLY;
	if (r == WF_OK && d->overflow)
		r = WF_E_TOO_MANY;
	if (r != WF_OK) {
		*d = fresh;
		d->refusal = r;
		d->state = t->state;
		d->close_reason = t->close_reason;
		d->attempts = t->attempts;
	}
}
