/*
 * test_workflow.c - the ticket state machine (core/workflow.h), rules R6,
 * R7, R9, R10: every transition and every refusal, one table row each.
 *
 * The clock is pinned: Wednesday 07/10/2026 10:00 Lima (15:00Z); Thursday
 * 08/10/2026 is a holiday (Combate de Angamos), so "the next business day"
 * is Friday 09/10 08:00 Lima. The policy is the shipped prodequa.ini
 * (3 attempts, 16 business hours of stated wait by default).
 */
#include "app/config/calendar_load.h"
#include "app/config/policy_file.h"
#include "core/workflow.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* Rows override the fixture defaults by designated initializers. */
#pragma GCC diagnostic ignored "-Woverride-init"

#define WED_10 1791385200        /* Wed 07/10/2026 10:00 Lima */
#define THU_10 (WED_10 + 86400)  /* holiday */
#define FRI_08 (WED_10 + 2 * 86400 - 7200)
#define SAT_10 (WED_10 + 3 * 86400)
#define MON_10 (WED_10 + 5 * 86400)
#define WED_DAY ((WED_10 - 5 * 3600) / 86400)

#define ME 7      /* the acting consultant */
#define OTHER 9   /* another consultant */

static struct policy pol;
static struct calendar *cal;

static int
setup(void **state)
{
	(void)state;
	struct policy_diag diag;
	if (policy_load(SOPORTE_SRC "/policy/prodequa.ini", &pol, &diag) !=
	    POLICY_LOAD_OK)
		return -1;
	char err[256];
	return calendar_load(&pol, NULL, &cal, NULL, err, sizeof err) ==
	               CALLOAD_OK
	           ? 0
	           : -1;
}

static int
teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	return 0;
}

/* A ticket in state s, severity 3, assigned to ME, already answered. */
#define T(s, ...)                                                          \
	{.state = (s), .severity = 3, .assignee_id = ME, .responded = true,    \
	 .last_attempt_day = -1, __VA_ARGS__}
#define IN(r, c, ...)                                                      \
	{.cmd = (c), .role = (r), .user_id = (r) == WF_ROLE_CLIENT ? 0 : ME,   \
	 .now = WED_10, __VA_ARGS__}
#define NOJOB (-1)

struct row {
	const char *name;
	struct wf_ticket t;
	struct wf_input in;
	enum wf_refusal want;
	enum wf_state state;     /* when accepted */
	unsigned fx;             /* effects that must be set */
	unsigned nofx;           /* effects that must not be set */
	int job;                 /* the first job's kind, or NOJOB */
	int64_t due;             /* its due instant, 0: not checked */
	int mail;                /* the first mail's kind, -1: none */
	enum wf_close_reason close;
};

#define C WF_ROLE_CONSULTANT
#define CL WF_ROLE_CLIENT
#define PM WF_ROLE_PM
#define AD WF_ROLE_ADMIN
#define RN WF_ROLE_RENEWALS
#define SY WF_ROLE_SYSTEM

static const struct row rows[] = {
	/* ---- assignment ---- */
	{"assign_new_by_system", T(WF_NEW, .assignee_id = 0),
	 IN(SY, WF_CMD_ASSIGN, .assignee_id = ME, .assignee_is_consultant = true),
	 WF_OK, WF_ASSIGNED, WF_FX_SET_ASSIGNEE, WF_FX_RESCHEDULE_SLA, NOJOB, 0,
	 WF_MAIL_ASSIGNED, 0},
	{"assign_new_self_by_consultant", T(WF_NEW, .assignee_id = 0),
	 IN(C, WF_CMD_ASSIGN, .assignee_id = ME, .assignee_is_consultant = true),
	 WF_OK, WF_ASSIGNED, WF_FX_SET_ASSIGNEE, 0, NOJOB, 0, WF_MAIL_ASSIGNED, 0},
	{"assign_other_by_consultant_refused", T(WF_NEW, .assignee_id = 0),
	 IN(C, WF_CMD_ASSIGN, .assignee_id = OTHER, .assignee_is_consultant = true),
	 WF_E_FORBIDDEN, WF_NEW, 0, 0, NOJOB, 0, -1, 0},
	{"reassign_by_consultant_refused", T(WF_IN_PROGRESS),
	 IN(C, WF_CMD_ASSIGN, .assignee_id = ME, .assignee_is_consultant = true),
	 WF_E_FORBIDDEN, WF_IN_PROGRESS, 0, 0, NOJOB, 0, -1, 0},
	{"reassign_in_progress_by_pm", T(WF_IN_PROGRESS),
	 IN(PM, WF_CMD_ASSIGN, .assignee_id = OTHER, .assignee_is_consultant = true),
	 WF_OK, WF_IN_PROGRESS, WF_FX_SET_ASSIGNEE, 0, NOJOB, 0, WF_MAIL_ASSIGNED,
	 0},
	{"reassign_waiting_keeps_state", T(WF_WAITING),
	 IN(AD, WF_CMD_ASSIGN, .assignee_id = OTHER, .assignee_is_consultant = true),
	 WF_OK, WF_WAITING, WF_FX_SET_ASSIGNEE, WF_FX_PAUSE_END, NOJOB, 0,
	 WF_MAIL_ASSIGNED, 0},
	{"reassign_solved_keeps_state", T(WF_SOLVED),
	 IN(AD, WF_CMD_ASSIGN, .assignee_id = OTHER, .assignee_is_consultant = true),
	 WF_OK, WF_SOLVED, WF_FX_SET_ASSIGNEE, 0, NOJOB, 0, WF_MAIL_ASSIGNED, 0},
	{"reassign_reopened_keeps_state", T(WF_REOPENED),
	 IN(PM, WF_CMD_ASSIGN, .assignee_id = OTHER, .assignee_is_consultant = true),
	 WF_OK, WF_REOPENED, WF_FX_SET_ASSIGNEE, 0, NOJOB, 0, WF_MAIL_ASSIGNED, 0},
	{"reassign_assigned_keeps_state", T(WF_ASSIGNED),
	 IN(PM, WF_CMD_ASSIGN, .assignee_id = OTHER, .assignee_is_consultant = true),
	 WF_OK, WF_ASSIGNED, WF_FX_SET_ASSIGNEE, 0, NOJOB, 0, WF_MAIL_ASSIGNED, 0},
	{"assign_same_refused", T(WF_ASSIGNED),
	 IN(PM, WF_CMD_ASSIGN, .assignee_id = ME, .assignee_is_consultant = true),
	 WF_E_SAME_ASSIGNEE, WF_ASSIGNED, 0, 0, NOJOB, 0, -1, 0},
	{"assign_not_consultant_refused", T(WF_NEW, .assignee_id = 0),
	 IN(PM, WF_CMD_ASSIGN, .assignee_id = 3, .assignee_is_consultant = false),
	 WF_E_BAD_ASSIGNEE, WF_NEW, 0, 0, NOJOB, 0, -1, 0},
	{"assign_by_client_refused", T(WF_NEW, .assignee_id = 0),
	 IN(CL, WF_CMD_ASSIGN, .assignee_id = ME, .assignee_is_consultant = true),
	 WF_E_FORBIDDEN, WF_NEW, 0, 0, NOJOB, 0, -1, 0},
	{"R3_assign_in_renewal_keeps_renewal",
	 T(WF_RENEWAL_REQUIRED, .assignee_id = 0, .responded = false),
	 IN(RN, WF_CMD_ASSIGN, .assignee_id = ME, .assignee_is_consultant = true),
	 WF_OK, WF_RENEWAL_REQUIRED, WF_FX_SET_ASSIGNEE, WF_FX_RESCHEDULE_SLA,
	 NOJOB, 0,
	 WF_MAIL_ASSIGNED, 0},
	{"R3_renewed_unassigned_is_new",
	 T(WF_RENEWAL_REQUIRED, .assignee_id = 0, .responded = false),
	 IN(SY, WF_CMD_RENEWED), WF_OK, WF_NEW,
	 WF_FX_PAUSE_END | WF_FX_RESCHEDULE_SLA, 0, NOJOB, 0, WF_MAIL_RENEWED, 0},
	{"R3_renewed_assigned_is_assigned",
	 T(WF_RENEWAL_REQUIRED, .responded = false),
	 IN(RN, WF_CMD_RENEWED), WF_OK, WF_ASSIGNED,
	 WF_FX_PAUSE_END | WF_FX_RESCHEDULE_SLA, 0, NOJOB, 0, WF_MAIL_RENEWED, 0},
	{"R3_renewed_outside_renewal_refused", T(WF_ASSIGNED),
	 IN(SY, WF_CMD_RENEWED), WF_E_STATE, WF_ASSIGNED, 0, 0, NOJOB, 0, -1, 0},
	{"R3_renewed_by_client_refused", T(WF_RENEWAL_REQUIRED),
	 IN(CL, WF_CMD_RENEWED), WF_E_FORBIDDEN, WF_RENEWAL_REQUIRED, 0, 0, NOJOB,
	 0, -1, 0},
	{"assign_by_renewals_outside_renewal_refused", T(WF_NEW, .assignee_id = 0),
	 IN(RN, WF_CMD_ASSIGN, .assignee_id = ME, .assignee_is_consultant = true),
	 WF_E_FORBIDDEN, WF_NEW, 0, 0, NOJOB, 0, -1, 0},
	{"assign_closed_refused", T(WF_CLOSED),
	 IN(PM, WF_CMD_ASSIGN, .assignee_id = OTHER, .assignee_is_consultant = true),
	 WF_E_CLOSED, WF_CLOSED, 0, 0, NOJOB, 0, -1, 0},

	/* ---- R6: replies and calls, the first response ---- */
	{"R6_reply_assigned_is_first_response", T(WF_ASSIGNED, .responded = false),
	 IN(C, WF_CMD_REPLY), WF_OK, WF_IN_PROGRESS,
	 WF_FX_FIRST_RESPONSE | WF_FX_MESSAGE_OUT | WF_FX_CANCEL_SLA, 0, NOJOB, 0,
	 WF_MAIL_REPLY, 0},
	{"R6_second_reply_not_first_response", T(WF_IN_PROGRESS),
	 IN(C, WF_CMD_REPLY), WF_OK, WF_IN_PROGRESS, WF_FX_MESSAGE_OUT,
	 WF_FX_FIRST_RESPONSE, NOJOB, 0, WF_MAIL_REPLY, 0},
	{"R6_call_is_first_response", T(WF_ASSIGNED, .responded = false),
	 IN(C, WF_CMD_CALL), WF_OK, WF_IN_PROGRESS,
	 WF_FX_FIRST_RESPONSE | WF_FX_MESSAGE_CALL, WF_FX_MESSAGE_OUT, NOJOB, 0,
	 -1, 0},
	{"R6_reply_reopened_back_in_progress", T(WF_REOPENED), IN(C, WF_CMD_REPLY),
	 WF_OK, WF_IN_PROGRESS, WF_FX_MESSAGE_OUT, 0, NOJOB, 0, WF_MAIL_REPLY, 0},
	{"R6_reply_waiting_stays_waiting", T(WF_WAITING), IN(C, WF_CMD_REPLY),
	 WF_OK, WF_WAITING, WF_FX_MESSAGE_OUT, WF_FX_PAUSE_END, NOJOB, 0,
	 WF_MAIL_REPLY, 0},
	{"R6_reply_solved_stays_solved", T(WF_SOLVED), IN(PM, WF_CMD_REPLY),
	 WF_OK, WF_SOLVED, WF_FX_MESSAGE_OUT, 0, NOJOB, 0, WF_MAIL_REPLY, 0},
	{"R6_reply_unassigned_refused", T(WF_NEW, .assignee_id = 0),
	 IN(PM, WF_CMD_REPLY), WF_E_UNASSIGNED, WF_NEW, 0, 0, NOJOB, 0, -1, 0},
	{"R6_reply_other_consultant_refused", T(WF_ASSIGNED, .assignee_id = OTHER),
	 IN(C, WF_CMD_REPLY), WF_E_NOT_ASSIGNEE, WF_ASSIGNED, 0, 0, NOJOB, 0, -1,
	 0},
	{"R6_reply_by_client_refused", T(WF_ASSIGNED), IN(CL, WF_CMD_REPLY),
	 WF_E_FORBIDDEN, WF_ASSIGNED, 0, 0, NOJOB, 0, -1, 0},
	{"R6_reply_renewals_refused", T(WF_ASSIGNED), IN(RN, WF_CMD_REPLY),
	 WF_E_FORBIDDEN, WF_ASSIGNED, 0, 0, NOJOB, 0, -1, 0},
	{"R6_reply_renewal_required_refused", T(WF_RENEWAL_REQUIRED),
	 IN(AD, WF_CMD_REPLY), WF_E_STATE, WF_RENEWAL_REQUIRED, 0, 0, NOJOB, 0, -1,
	 0},
	{"R10_call_closed_refused", T(WF_CLOSED), IN(C, WF_CMD_CALL), WF_E_CLOSED,
	 WF_CLOSED, 0, 0, NOJOB, 0, -1, 0},
	{"R10_call_in_progress", T(WF_IN_PROGRESS), IN(C, WF_CMD_CALL), WF_OK,
	 WF_IN_PROGRESS, WF_FX_MESSAGE_CALL, WF_FX_FIRST_RESPONSE, NOJOB, 0, -1, 0},

	/* ---- R9: waiting on the client ---- */
	{"R9_wait_pauses_and_plans_reminder", T(WF_IN_PROGRESS),
	 IN(C, WF_CMD_WAIT), WF_OK, WF_WAITING,
	 WF_FX_PAUSE_START | WF_FX_NEW_EPISODE | WF_FX_MESSAGE_OUT, 0,
	 WF_JOB_ATTEMPT_REMINDER, FRI_08, WF_MAIL_INFO_REQUEST, 0},
	{"R9_wait_from_assigned_is_first_response",
	 T(WF_ASSIGNED, .responded = false), IN(C, WF_CMD_WAIT), WF_OK, WF_WAITING,
	 WF_FX_PAUSE_START | WF_FX_FIRST_RESPONSE, 0, WF_JOB_ATTEMPT_REMINDER, 0,
	 WF_MAIL_INFO_REQUEST, 0},
	{"R9_wait_from_reopened", T(WF_REOPENED), IN(PM, WF_CMD_WAIT), WF_OK,
	 WF_WAITING, WF_FX_PAUSE_START, 0, WF_JOB_ATTEMPT_REMINDER, 0,
	 WF_MAIL_INFO_REQUEST, 0},
	{"R9_wait_while_waiting_refused", T(WF_WAITING), IN(C, WF_CMD_WAIT),
	 WF_E_STATE, WF_WAITING, 0, 0, NOJOB, 0, -1, 0},
	{"R9_wait_solved_refused", T(WF_SOLVED), IN(C, WF_CMD_WAIT), WF_E_STATE,
	 WF_SOLVED, 0, 0, NOJOB, 0, -1, 0},
	{"R9_client_reply_resumes", T(WF_WAITING, .waiting_since = WED_10 - 3600),
	 IN(CL, WF_CMD_CLIENT_REPLY), WF_OK, WF_IN_PROGRESS,
	 WF_FX_PAUSE_END | WF_FX_END_EPISODE | WF_FX_CANCEL_WAIT_JOBS |
	     WF_FX_MESSAGE_IN,
	 0, NOJOB, 0, WF_MAIL_CLIENT_ANSWERED, 0},
	{"R9_client_reply_in_progress_keeps_state", T(WF_IN_PROGRESS),
	 IN(CL, WF_CMD_CLIENT_REPLY), WF_OK, WF_IN_PROGRESS, WF_FX_MESSAGE_IN,
	 WF_FX_PAUSE_END, NOJOB, 0, WF_MAIL_CLIENT_ANSWERED, 0},
	{"R9_client_reply_new_keeps_state", T(WF_NEW, .assignee_id = 0),
	 IN(CL, WF_CMD_CLIENT_REPLY), WF_OK, WF_NEW, WF_FX_MESSAGE_IN, 0, NOJOB, 0,
	 -1, 0},
	{"R9_client_reply_solved_restarts_attempts",
	 T(WF_SOLVED, .attempts = 2, .last_attempt_day = WED_DAY - 1),
	 IN(CL, WF_CMD_CLIENT_REPLY), WF_OK, WF_SOLVED,
	 WF_FX_NEW_EPISODE | WF_FX_CANCEL_WAIT_JOBS | WF_FX_FLAG_CLIENT_REPLY,
	 WF_FX_CLEAR_CLIENT_REPLY, NOJOB, 0, WF_MAIL_CLIENT_ANSWERED, 0},
	{"R9_staff_reply_solved_clears_flag", T(WF_SOLVED), IN(C, WF_CMD_REPLY),
	 WF_OK, WF_SOLVED, WF_FX_MESSAGE_OUT | WF_FX_CLEAR_CLIENT_REPLY,
	 WF_FX_FLAG_CLIENT_REPLY, NOJOB, 0, WF_MAIL_REPLY, 0},
	{"R9_client_reply_waiting_not_flagged", T(WF_WAITING),
	 IN(CL, WF_CMD_CLIENT_REPLY), WF_OK, WF_IN_PROGRESS, WF_FX_MESSAGE_IN,
	 WF_FX_FLAG_CLIENT_REPLY | WF_FX_CLEAR_CLIENT_REPLY, NOJOB, 0,
	 WF_MAIL_CLIENT_ANSWERED, 0},
	{"R9_client_reply_by_staff_refused", T(WF_WAITING),
	 IN(C, WF_CMD_CLIENT_REPLY), WF_E_FORBIDDEN, WF_WAITING, 0, 0, NOJOB, 0,
	 -1, 0},
	{"R9_client_reply_closed_refused", T(WF_CLOSED),
	 IN(CL, WF_CMD_CLIENT_REPLY), WF_E_CLOSED, WF_CLOSED, 0, 0, NOJOB, 0, -1,
	 0},

	/* ---- R9: contact attempts ---- */
	{"R9_first_attempt_counts_reminder_next_business_day",
	 T(WF_WAITING, .waiting_since = WED_10 - 86400),
	 IN(C, WF_CMD_ATTEMPT, .by_email = true), WF_OK, WF_WAITING,
	 WF_FX_RECORD_ATTEMPT | WF_FX_CANCEL_WAIT_JOBS, 0, WF_JOB_ATTEMPT_REMINDER,
	 FRI_08, WF_MAIL_ATTEMPT, 0},
	{"R9_phone_attempt_sends_no_mail", T(WF_WAITING),
	 IN(C, WF_CMD_ATTEMPT), WF_OK, WF_WAITING, WF_FX_RECORD_ATTEMPT, 0,
	 WF_JOB_ATTEMPT_REMINDER, FRI_08, -1, 0},
	{"R9_same_day_attempt_not_counted",
	 T(WF_WAITING, .attempts = 1, .last_attempt_day = WED_DAY,
	   .auto_close_at = MON_10 + 2 * 86400),
	 IN(C, WF_CMD_ATTEMPT), WF_OK, WF_WAITING, WF_FX_RECORD_ATTEMPT,
	 WF_FX_CANCEL_WAIT_JOBS, NOJOB, 0, -1, 0},
	{"R9_third_attempt_plans_auto_close_after_wait",
	 T(WF_WAITING, .attempts = 2, .last_attempt_day = WED_DAY - 1),
	 IN(C, WF_CMD_ATTEMPT, .by_email = true), WF_OK, WF_WAITING,
	 WF_FX_RECORD_ATTEMPT, 0, WF_JOB_AUTO_CLOSE, MON_10, WF_MAIL_ATTEMPT, 0},
	{"R9_third_attempt_stated_wait_4h",
	 T(WF_SOLVED, .attempts = 2, .last_attempt_day = WED_DAY - 1),
	 IN(C, WF_CMD_ATTEMPT, .wait_s = 4 * 3600), WF_OK, WF_SOLVED,
	 WF_FX_RECORD_ATTEMPT, 0, WF_JOB_AUTO_CLOSE, WED_10 + 6 * 3600, -1, 0},
	{"R9_fourth_attempt_refused",
	 T(WF_WAITING, .attempts = 3, .last_attempt_day = WED_DAY - 1),
	 IN(C, WF_CMD_ATTEMPT), WF_E_ATTEMPTS_DONE, WF_WAITING, 0, 0, NOJOB, 0, -1,
	 0},
	{"R9_attempt_on_holiday_refused", T(WF_WAITING),
	 IN(C, WF_CMD_ATTEMPT, .now = THU_10), WF_E_NOT_BUSINESS_DAY, WF_WAITING,
	 0, 0, NOJOB, 0, -1, 0},
	{"R9_attempt_on_saturday_refused", T(WF_WAITING),
	 IN(C, WF_CMD_ATTEMPT, .now = SAT_10), WF_E_NOT_BUSINESS_DAY, WF_WAITING,
	 0, 0, NOJOB, 0, -1, 0},
	{"R9_attempt_negative_wait_refused", T(WF_WAITING),
	 IN(C, WF_CMD_ATTEMPT, .wait_s = -5), WF_E_BAD_WAIT, WF_WAITING, 0, 0,
	 NOJOB, 0, -1, 0},
	{"R9_attempt_in_progress_refused", T(WF_IN_PROGRESS),
	 IN(C, WF_CMD_ATTEMPT), WF_E_STATE, WF_IN_PROGRESS, 0, 0, NOJOB, 0, -1, 0},
	{"R9_attempt_by_client_refused", T(WF_WAITING), IN(CL, WF_CMD_ATTEMPT),
	 WF_E_FORBIDDEN, WF_WAITING, 0, 0, NOJOB, 0, -1, 0},
	{"R9_attempt_other_consultant_refused",
	 T(WF_WAITING, .assignee_id = OTHER), IN(C, WF_CMD_ATTEMPT),
	 WF_E_NOT_ASSIGNEE, WF_WAITING, 0, 0, NOJOB, 0, -1, 0},
	{"R9_auto_close_no_response",
	 T(WF_WAITING, .attempts = 3, .auto_close_at = MON_10),
	 IN(SY, WF_CMD_AUTO_CLOSE, .now = MON_10), WF_OK, WF_CLOSED,
	 WF_FX_CLOSED_AT | WF_FX_PAUSE_END | WF_FX_CANCEL_WAIT_JOBS, 0, NOJOB, 0,
	 WF_MAIL_CLOSED_NO_RESPONSE, WF_CLOSE_NO_RESPONSE},
	{"R9_auto_close_solved_no_pause",
	 T(WF_SOLVED, .attempts = 3, .auto_close_at = MON_10),
	 IN(SY, WF_CMD_AUTO_CLOSE, .now = MON_10 + 60), WF_OK, WF_CLOSED,
	 WF_FX_CLOSED_AT, WF_FX_PAUSE_END, NOJOB, 0, WF_MAIL_CLOSED_NO_RESPONSE,
	 WF_CLOSE_NO_RESPONSE},
	{"R9_auto_close_early_refused",
	 T(WF_WAITING, .attempts = 3, .auto_close_at = MON_10),
	 IN(SY, WF_CMD_AUTO_CLOSE, .now = MON_10 - 1), WF_E_NOT_DUE, WF_WAITING, 0,
	 0, NOJOB, 0, -1, 0},
	{"R9_auto_close_two_attempts_refused",
	 T(WF_WAITING, .attempts = 2, .auto_close_at = MON_10),
	 IN(SY, WF_CMD_AUTO_CLOSE, .now = MON_10), WF_E_NOT_DUE, WF_WAITING, 0, 0,
	 NOJOB, 0, -1, 0},
	{"R9_auto_close_after_client_answer_refused",
	 T(WF_IN_PROGRESS, .attempts = 3, .auto_close_at = MON_10),
	 IN(SY, WF_CMD_AUTO_CLOSE, .now = MON_10), WF_E_STATE, WF_IN_PROGRESS, 0,
	 0, NOJOB, 0, -1, 0},
	{"R9_auto_close_by_staff_refused",
	 T(WF_WAITING, .attempts = 3, .auto_close_at = MON_10),
	 IN(AD, WF_CMD_AUTO_CLOSE, .now = MON_10), WF_E_FORBIDDEN, WF_WAITING, 0,
	 0, NOJOB, 0, -1, 0},

	/* ---- R9: solution, confirmation, reopening ---- */
	{"R9_solve_in_progress", T(WF_IN_PROGRESS), IN(C, WF_CMD_SOLVE), WF_OK,
	 WF_SOLVED, WF_FX_SOLVED_AT | WF_FX_NEW_EPISODE | WF_FX_MESSAGE_OUT, 0,
	 WF_JOB_ATTEMPT_REMINDER, FRI_08, WF_MAIL_SOLUTION, 0},
	{"R9_solve_waiting_ends_pause", T(WF_WAITING), IN(C, WF_CMD_SOLVE), WF_OK,
	 WF_SOLVED, WF_FX_SOLVED_AT | WF_FX_PAUSE_END, 0, WF_JOB_ATTEMPT_REMINDER,
	 0, WF_MAIL_SOLUTION, 0},
	{"R9_solve_assigned_is_first_response",
	 T(WF_ASSIGNED, .responded = false), IN(C, WF_CMD_SOLVE), WF_OK, WF_SOLVED,
	 WF_FX_FIRST_RESPONSE, 0, WF_JOB_ATTEMPT_REMINDER, 0, WF_MAIL_SOLUTION, 0},
	{"R9_solve_reopened", T(WF_REOPENED), IN(PM, WF_CMD_SOLVE), WF_OK,
	 WF_SOLVED, WF_FX_SOLVED_AT, 0, WF_JOB_ATTEMPT_REMINDER, 0,
	 WF_MAIL_SOLUTION, 0},
	{"R9_solve_twice_refused", T(WF_SOLVED), IN(C, WF_CMD_SOLVE), WF_E_STATE,
	 WF_SOLVED, 0, 0, NOJOB, 0, -1, 0},
	{"R9_solve_new_refused", T(WF_NEW, .assignee_id = 0), IN(AD, WF_CMD_SOLVE),
	 WF_E_UNASSIGNED, WF_NEW, 0, 0, NOJOB, 0, -1, 0},
	{"R9_confirm_by_client_closes", T(WF_SOLVED), IN(CL, WF_CMD_CONFIRM),
	 WF_OK, WF_CLOSED, WF_FX_CLOSED_AT | WF_FX_MESSAGE_IN | WF_FX_END_EPISODE,
	 0, NOJOB, 0, WF_MAIL_CLOSED_CONFIRMED, WF_CLOSE_CONFIRMED},
	{"R9_confirm_by_consultant_on_phone", T(WF_SOLVED), IN(C, WF_CMD_CONFIRM),
	 WF_OK, WF_CLOSED, WF_FX_CLOSED_AT, WF_FX_MESSAGE_IN, NOJOB, 0,
	 WF_MAIL_CLOSED_CONFIRMED, WF_CLOSE_CONFIRMED},
	{"R9_confirm_unsolved_refused", T(WF_IN_PROGRESS),
	 IN(CL, WF_CMD_CONFIRM), WF_E_STATE, WF_IN_PROGRESS, 0, 0, NOJOB, 0, -1,
	 0},
	{"R9_confirm_by_renewals_refused", T(WF_SOLVED), IN(RN, WF_CMD_CONFIRM),
	 WF_E_FORBIDDEN, WF_SOLVED, 0, 0, NOJOB, 0, -1, 0},
	{"R9_confirm_closed_refused", T(WF_CLOSED), IN(CL, WF_CMD_CONFIRM),
	 WF_E_CLOSED, WF_CLOSED, 0, 0, NOJOB, 0, -1, 0},
	{"R9_reopen_by_client", T(WF_SOLVED), IN(CL, WF_CMD_REOPEN), WF_OK,
	 WF_REOPENED, WF_FX_END_EPISODE | WF_FX_CANCEL_WAIT_JOBS | WF_FX_MESSAGE_IN,
	 0, NOJOB, 0, WF_MAIL_REOPENED, 0},
	{"R9_reopen_by_pm", T(WF_SOLVED), IN(PM, WF_CMD_REOPEN), WF_OK,
	 WF_REOPENED, WF_FX_END_EPISODE, WF_FX_MESSAGE_IN, NOJOB, 0,
	 WF_MAIL_REOPENED, 0},
	{"R9_reopen_in_progress_refused", T(WF_IN_PROGRESS),
	 IN(CL, WF_CMD_REOPEN), WF_E_STATE, WF_IN_PROGRESS, 0, 0, NOJOB, 0, -1, 0},
	{"R9_reopen_closed_refused", T(WF_CLOSED), IN(CL, WF_CMD_REOPEN),
	 WF_E_CLOSED, WF_CLOSED, 0, 0, NOJOB, 0, -1, 0},

	/* ---- closing by staff ---- */
	{"R5_close_excluded", T(WF_IN_PROGRESS),
	 IN(C, WF_CMD_CLOSE, .reason = WF_CLOSE_EXCLUDED), WF_OK, WF_CLOSED,
	 WF_FX_CLOSED_AT, 0, NOJOB, 0, WF_MAIL_CLOSED_EXCLUDED, WF_CLOSE_EXCLUDED},
	{"close_duplicate_waiting_ends_pause", T(WF_WAITING),
	 IN(PM, WF_CMD_CLOSE, .reason = WF_CLOSE_DUPLICATE), WF_OK, WF_CLOSED,
	 WF_FX_CLOSED_AT | WF_FX_PAUSE_END, 0, NOJOB, 0, WF_MAIL_CLOSED_DUPLICATE,
	 WF_CLOSE_DUPLICATE},
	{"close_duplicate_new_by_admin", T(WF_NEW, .assignee_id = 0),
	 IN(AD, WF_CMD_CLOSE, .reason = WF_CLOSE_DUPLICATE), WF_OK, WF_CLOSED,
	 WF_FX_CLOSED_AT, WF_FX_PAUSE_END, NOJOB, 0, WF_MAIL_CLOSED_DUPLICATE,
	 WF_CLOSE_DUPLICATE},
	{"R3_close_renewal_by_renewals", T(WF_RENEWAL_REQUIRED, .assignee_id = 0),
	 IN(RN, WF_CMD_CLOSE, .reason = WF_CLOSE_RENEWAL_REQUIRED), WF_OK,
	 WF_CLOSED, WF_FX_CLOSED_AT, 0, NOJOB, 0, WF_MAIL_CLOSED_RENEWAL,
	 WF_CLOSE_RENEWAL_REQUIRED},
	{"R3_close_renewal_by_consultant_refused", T(WF_RENEWAL_REQUIRED),
	 IN(C, WF_CMD_CLOSE, .reason = WF_CLOSE_RENEWAL_REQUIRED), WF_E_FORBIDDEN,
	 WF_RENEWAL_REQUIRED, 0, 0, NOJOB, 0, -1, 0},
	{"R3_close_renewal_outside_renewal_refused", T(WF_IN_PROGRESS),
	 IN(RN, WF_CMD_CLOSE, .reason = WF_CLOSE_RENEWAL_REQUIRED), WF_E_STATE,
	 WF_IN_PROGRESS, 0, 0, NOJOB, 0, -1, 0},
	/* ---- R3/R4: coverage none -> renewal required ---- */
	{"R3_coverage_none_assigned_to_renewal", T(WF_ASSIGNED),
	 IN(C, WF_CMD_RENEWAL), WF_OK, WF_RENEWAL_REQUIRED,
	 WF_FX_CANCEL_SLA | WF_FX_CANCEL_WAIT_JOBS | WF_FX_PAUSE_START,
	 WF_FX_PAUSE_END, NOJOB, 0, WF_MAIL_RENEWAL_REQUIRED, 0},
	{"R3_coverage_none_waiting_keeps_the_pause", T(WF_WAITING),
	 IN(SY, WF_CMD_RENEWAL), WF_OK, WF_RENEWAL_REQUIRED,
	 WF_FX_END_EPISODE | WF_FX_CANCEL_WAIT_JOBS,
	 WF_FX_PAUSE_END | WF_FX_PAUSE_START, NOJOB, 0, WF_MAIL_RENEWAL_REQUIRED,
	 0},
	{"R3_coverage_none_new_unassigned_by_system", T(WF_NEW, .assignee_id = 0),
	 IN(SY, WF_CMD_RENEWAL), WF_OK, WF_RENEWAL_REQUIRED,
	 WF_FX_CANCEL_SLA | WF_FX_PAUSE_START, 0, NOJOB, 0,
	 WF_MAIL_RENEWAL_REQUIRED, 0},
	{"R3_coverage_none_already_renewal_refused", T(WF_RENEWAL_REQUIRED),
	 IN(C, WF_CMD_RENEWAL), WF_E_STATE, WF_RENEWAL_REQUIRED, 0, 0, NOJOB, 0,
	 -1, 0},
	{"R3_coverage_none_by_client_refused", T(WF_ASSIGNED),
	 IN(CL, WF_CMD_RENEWAL), WF_E_FORBIDDEN, WF_ASSIGNED, 0, 0, NOJOB, 0, -1,
	 0},
	/* ---- R8: waiting for a purchase order ---- */
	{"R8_wait_for_po_by_consultant", T(WF_ASSIGNED),
	 IN(C, WF_CMD_WAIT, .for_po = true), WF_OK, WF_WAITING,
	 WF_FX_PAUSE_START | WF_FX_NEW_EPISODE, 0, WF_JOB_ATTEMPT_REMINDER, 0,
	 WF_MAIL_PO_REQUEST, 0},
	{"R8_wait_for_po_by_the_desk", T(WF_IN_PROGRESS),
	 IN(SY, WF_CMD_WAIT, .for_po = true), WF_OK, WF_WAITING,
	 WF_FX_PAUSE_START, 0, WF_JOB_ATTEMPT_REMINDER, 0, WF_MAIL_PO_REQUEST, 0},
	{"R8_wait_for_info_not_by_the_desk", T(WF_IN_PROGRESS),
	 IN(SY, WF_CMD_WAIT), WF_E_FORBIDDEN, WF_IN_PROGRESS, 0, 0, NOJOB, 0, -1,
	 0},
	{"R8_wait_for_po_unassigned_refused", T(WF_NEW, .assignee_id = 0),
	 IN(SY, WF_CMD_WAIT, .for_po = true), WF_E_UNASSIGNED, WF_NEW, 0, 0,
	 NOJOB, 0, -1, 0},
	{"R8_wait_for_po_solved_refused", T(WF_SOLVED),
	 IN(C, WF_CMD_WAIT, .for_po = true), WF_E_STATE, WF_SOLVED, 0, 0, NOJOB,
	 0, -1, 0},
	{"close_excluded_by_renewals_refused", T(WF_IN_PROGRESS),
	 IN(RN, WF_CMD_CLOSE, .reason = WF_CLOSE_EXCLUDED), WF_E_FORBIDDEN,
	 WF_IN_PROGRESS, 0, 0, NOJOB, 0, -1, 0},
	{"R9_close_confirmed_by_staff_refused", T(WF_SOLVED),
	 IN(PM, WF_CMD_CLOSE, .reason = WF_CLOSE_CONFIRMED), WF_E_BAD_REASON,
	 WF_SOLVED, 0, 0, NOJOB, 0, -1, 0},
	{"R9_close_no_response_by_staff_refused", T(WF_WAITING),
	 IN(AD, WF_CMD_CLOSE, .reason = WF_CLOSE_NO_RESPONSE), WF_E_BAD_REASON,
	 WF_WAITING, 0, 0, NOJOB, 0, -1, 0},
	{"close_by_client_refused", T(WF_IN_PROGRESS),
	 IN(CL, WF_CMD_CLOSE, .reason = WF_CLOSE_DUPLICATE), WF_E_FORBIDDEN,
	 WF_IN_PROGRESS, 0, 0, NOJOB, 0, -1, 0},
	{"close_closed_refused", T(WF_CLOSED),
	 IN(AD, WF_CMD_CLOSE, .reason = WF_CLOSE_DUPLICATE), WF_E_CLOSED,
	 WF_CLOSED, 0, 0, NOJOB, 0, -1, 0},

	/* ---- R7: escalation ---- */
	{"R7_client_asks_raise_priority", T(WF_IN_PROGRESS),
	 IN(CL, WF_CMD_RAISE_REQUEST), WF_OK, WF_IN_PROGRESS,
	 WF_FX_RECORD_ESCALATION, WF_FX_LEVEL_PM, NOJOB, 0, WF_MAIL_RAISE_REQUEST,
	 0},
	{"R7_raise_request_waiting_keeps_pause", T(WF_WAITING),
	 IN(CL, WF_CMD_RAISE_REQUEST), WF_OK, WF_WAITING, WF_FX_RECORD_ESCALATION,
	 WF_FX_PAUSE_END, NOJOB, 0, WF_MAIL_RAISE_REQUEST, 0},
	{"R7_raise_request_closed_refused", T(WF_CLOSED),
	 IN(CL, WF_CMD_RAISE_REQUEST), WF_E_CLOSED, WF_CLOSED, 0, 0, NOJOB, 0, -1,
	 0},
	{"R7_pm_request_without_raise_refused", T(WF_IN_PROGRESS),
	 IN(CL, WF_CMD_PM_REQUEST), WF_E_ASK_CONSULTANT_FIRST, WF_IN_PROGRESS, 0,
	 0, NOJOB, 0, -1, 0},
	{"R7_pm_request_after_raise", T(WF_IN_PROGRESS, .raise_requested = true),
	 IN(CL, WF_CMD_PM_REQUEST), WF_OK, WF_IN_PROGRESS,
	 WF_FX_LEVEL_PM | WF_FX_RECORD_ESCALATION, 0, NOJOB, 0,
	 WF_MAIL_PM_REQUEST, 0},
	{"R7_pm_request_already_pm_refused",
	 T(WF_IN_PROGRESS, .raise_requested = true, .escalation_level = 1),
	 IN(CL, WF_CMD_PM_REQUEST), WF_E_ALREADY_PM, WF_IN_PROGRESS, 0, 0, NOJOB,
	 0, -1, 0},
	{"R7_consultant_escalates_to_pm", T(WF_IN_PROGRESS),
	 IN(C, WF_CMD_ESCALATE_PM), WF_OK, WF_IN_PROGRESS, WF_FX_LEVEL_PM, 0,
	 NOJOB, 0, WF_MAIL_ESCALATED_PM, 0},
	{"R7_escalate_twice_refused",
	 T(WF_IN_PROGRESS, .escalation_level = 1), IN(C, WF_CMD_ESCALATE_PM),
	 WF_E_ALREADY_PM, WF_IN_PROGRESS, 0, 0, NOJOB, 0, -1, 0},
	{"R7_escalate_by_client_refused", T(WF_IN_PROGRESS),
	 IN(CL, WF_CMD_ESCALATE_PM), WF_E_FORBIDDEN, WF_IN_PROGRESS, 0, 0, NOJOB,
	 0, -1, 0},
	{"R7_escalate_by_pm_refused", T(WF_IN_PROGRESS),
	 IN(PM, WF_CMD_ESCALATE_PM), WF_E_FORBIDDEN, WF_IN_PROGRESS, 0, 0, NOJOB,
	 0, -1, 0},
	{"R7_severity_raise_recomputes_due", T(WF_ASSIGNED, .responded = false),
	 IN(C, WF_CMD_SEVERITY, .severity = 1), WF_OK, WF_ASSIGNED,
	 WF_FX_SET_SEVERITY | WF_FX_RECOMPUTE_DUE | WF_FX_RESCHEDULE_SLA |
	     WF_FX_RECORD_ESCALATION,
	 0, NOJOB, 0, WF_MAIL_SEVERITY_CHANGED, 0},
	{"R7_severity_after_response_no_warnings", T(WF_IN_PROGRESS),
	 IN(PM, WF_CMD_SEVERITY, .severity = 2), WF_OK, WF_IN_PROGRESS,
	 WF_FX_SET_SEVERITY | WF_FX_RECOMPUTE_DUE, WF_FX_RESCHEDULE_SLA, NOJOB, 0,
	 WF_MAIL_SEVERITY_CHANGED, 0},
	{"R7_severity_same_refused", T(WF_IN_PROGRESS),
	 IN(C, WF_CMD_SEVERITY, .severity = 3), WF_E_SAME_SEVERITY,
	 WF_IN_PROGRESS, 0, 0, NOJOB, 0, -1, 0},
	{"R7_severity_out_of_range_refused", T(WF_IN_PROGRESS),
	 IN(C, WF_CMD_SEVERITY, .severity = 5), WF_E_BAD_SEVERITY, WF_IN_PROGRESS,
	 0, 0, NOJOB, 0, -1, 0},
	{"R7_severity_by_client_refused", T(WF_IN_PROGRESS),
	 IN(CL, WF_CMD_SEVERITY, .severity = 1), WF_E_FORBIDDEN, WF_IN_PROGRESS,
	 0, 0, NOJOB, 0, -1, 0},
	{"R7_severity_closed_refused", T(WF_CLOSED),
	 IN(C, WF_CMD_SEVERITY, .severity = 1), WF_E_CLOSED, WF_CLOSED, 0, 0,
	 NOJOB, 0, -1, 0},
	/* The client's request is their message in the thread; staff
	 * recording it on the client's behalf write a note. */
	{"R7_client_raise_is_their_message", T(WF_IN_PROGRESS),
	 IN(CL, WF_CMD_RAISE_REQUEST), WF_OK, WF_IN_PROGRESS,
	 WF_FX_RECORD_ESCALATION | WF_FX_MESSAGE_IN, 0, NOJOB, 0,
	 WF_MAIL_RAISE_REQUEST, 0},
	{"R7_staff_raise_on_behalf_no_client_message", T(WF_IN_PROGRESS),
	 IN(C, WF_CMD_RAISE_REQUEST), WF_OK, WF_IN_PROGRESS,
	 WF_FX_RECORD_ESCALATION, WF_FX_MESSAGE_IN, NOJOB, 0,
	 WF_MAIL_RAISE_REQUEST, 0},
	{"R7_client_pm_request_is_their_message",
	 T(WF_IN_PROGRESS, .raise_requested = true), IN(CL, WF_CMD_PM_REQUEST),
	 WF_OK, WF_IN_PROGRESS, WF_FX_LEVEL_PM | WF_FX_MESSAGE_IN, 0, NOJOB, 0,
	 WF_MAIL_PM_REQUEST, 0},

	/* ---- R6: the preliminary severity, confirmed by a consultant ---- */
	{"R6_confirm_preliminary_severity", T(WF_IN_PROGRESS),
	 IN(C, WF_CMD_CONFIRM_SEVERITY), WF_OK, WF_IN_PROGRESS,
	 WF_FX_CONFIRM_SEVERITY,
	 WF_FX_SET_SEVERITY | WF_FX_RECOMPUTE_DUE | WF_FX_RECORD_ESCALATION,
	 NOJOB, 0, WF_MAIL_SEVERITY_CONFIRMED, 0},
	{"R6_confirm_naming_the_same_severity", T(WF_ASSIGNED),
	 IN(C, WF_CMD_CONFIRM_SEVERITY, .severity = 3), WF_OK, WF_ASSIGNED,
	 WF_FX_CONFIRM_SEVERITY, WF_FX_SET_SEVERITY, NOJOB, 0,
	 WF_MAIL_SEVERITY_CONFIRMED, 0},
	{"R6_confirm_as_another_changes_it", T(WF_ASSIGNED, .responded = false),
	 IN(C, WF_CMD_CONFIRM_SEVERITY, .severity = 1), WF_OK, WF_ASSIGNED,
	 WF_FX_CONFIRM_SEVERITY | WF_FX_SET_SEVERITY | WF_FX_RECOMPUTE_DUE |
	     WF_FX_RESCHEDULE_SLA | WF_FX_RECORD_ESCALATION,
	 0, NOJOB, 0, WF_MAIL_SEVERITY_CHANGED, 0},
	{"R6_severity_change_confirms", T(WF_IN_PROGRESS),
	 IN(C, WF_CMD_SEVERITY, .severity = 2), WF_OK, WF_IN_PROGRESS,
	 WF_FX_CONFIRM_SEVERITY | WF_FX_SET_SEVERITY, 0, NOJOB, 0,
	 WF_MAIL_SEVERITY_CHANGED, 0},
	{"R6_confirm_twice_refused", T(WF_IN_PROGRESS, .severity_confirmed = true),
	 IN(C, WF_CMD_CONFIRM_SEVERITY), WF_E_ALREADY_CONFIRMED, WF_IN_PROGRESS,
	 0, 0, NOJOB, 0, -1, 0},
	{"R6_confirm_by_client_refused", T(WF_IN_PROGRESS),
	 IN(CL, WF_CMD_CONFIRM_SEVERITY), WF_E_FORBIDDEN, WF_IN_PROGRESS, 0, 0,
	 NOJOB, 0, -1, 0},
	{"R6_confirm_out_of_range_refused", T(WF_IN_PROGRESS),
	 IN(C, WF_CMD_CONFIRM_SEVERITY, .severity = 5), WF_E_BAD_SEVERITY,
	 WF_IN_PROGRESS, 0, 0, NOJOB, 0, -1, 0},
	{"R6_confirm_closed_refused", T(WF_CLOSED),
	 IN(C, WF_CMD_CONFIRM_SEVERITY), WF_E_CLOSED, WF_CLOSED, 0, 0, NOJOB, 0,
	 -1, 0},
};

/* Runs the rows whose name starts with prefix ("" : rows of no rule). */
static void
run_rows(const char *prefix)
{
	int failed = 0, ran = 0;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		if (*prefix ? strncmp(r->name, prefix, strlen(prefix)) != 0
		            : r->name[0] == 'R')
			continue;
		ran++;
		struct wf_decision d;
		wf_decide(&pol, cal, &r->t, &r->in, &d);
		char why[160] = "";
		if (d.refusal != r->want)
			snprintf(why, sizeof why, "refusal %s, want %s",
			         wf_refusal_code(d.refusal), wf_refusal_code(r->want));
		else if (d.state != (r->want == WF_OK ? r->state : r->t.state))
			snprintf(why, sizeof why, "state %s, want %s",
			         wf_state_name(d.state), wf_state_name(r->state));
		else if ((d.effects & r->fx) != r->fx)
			snprintf(why, sizeof why, "missing effects 0x%x",
			         r->fx & ~d.effects);
		else if (d.effects & r->nofx)
			snprintf(why, sizeof why, "unwanted effects 0x%x",
			         d.effects & r->nofx);
		else if (r->job == NOJOB ? d.njobs != 0
		                         : d.njobs < 1 || (int)d.jobs[0].kind != r->job)
			snprintf(why, sizeof why, "jobs %d (first %s), want %s", d.njobs,
			         d.njobs ? wf_job_name(d.jobs[0].kind) : "-",
			         r->job == NOJOB ? "none" : wf_job_name(r->job));
		else if (r->due && d.jobs[0].due_at != r->due)
			snprintf(why, sizeof why, "due %lld, want %lld",
			         (long long)d.jobs[0].due_at, (long long)r->due);
		else if (r->mail < 0 ? d.nmails != 0
		                     : d.nmails < 1 || (int)d.mails[0].kind != r->mail)
			snprintf(why, sizeof why, "mail %s, want %s",
			         d.nmails ? wf_mail_name(d.mails[0].kind) : "-",
			         r->mail < 0 ? "none" : wf_mail_name(r->mail));
		else if (r->want == WF_OK && d.close_reason != r->close)
			snprintf(why, sizeof why, "close reason %d, want %d",
			         d.close_reason, r->close);
		else if (r->want == WF_OK && d.nevents == 0)
			snprintf(why, sizeof why, "no audit event");
		else if (r->want != WF_OK && (d.nevents || d.nmails || d.njobs ||
		                              d.effects))
			snprintf(why, sizeof why, "a refusal with side effects");
		if (why[0]) {
			fprintf(stderr, "FAIL %s: %s\n", r->name, why);
			failed++;
		}
	}
	assert_true(ran > 0);
	assert_int_equal(failed, 0);
}

static void test_R3_renewal_transitions(void **s) { (void)s; run_rows("R3_"); }
static void test_R5_exclusion_transitions(void **s) { (void)s; run_rows("R5_"); }
static void test_R8_purchase_order_transitions(void **s) { (void)s; run_rows("R8_"); }
static void test_R6_first_response_transitions(void **s) { (void)s; run_rows("R6_"); }
static void test_R7_escalation_transitions(void **s) { (void)s; run_rows("R7_"); }
static void test_R9_closure_transitions(void **s) { (void)s; run_rows("R9_"); }
static void test_R10_call_transitions(void **s) { (void)s; run_rows("R10_"); }
static void test_assign_close_transitions(void **s) { (void)s; run_rows(""); }

/* Every state x command x role: closed refuses everything, a refusal has
 * a message in both languages, and an accepted command records an event. */
static void
test_exhaustive(void **state)
{
	(void)state;
	/* v: three attempts made or none, by e-mail or not */
	for (int s = 0; s < WF_STATE_COUNT; s++)
	for (int c = 0; c < WF_CMD_COUNT; c++)
	for (int r = 0; r < WF_ROLE_COUNT; r++)
	for (int v = 0; v < 4; v++) {
		struct wf_ticket t = T((enum wf_state)s, .attempts = v < 2 ? 3 : 0,
		                       .auto_close_at = WED_10);
		struct wf_input in = IN((enum wf_role)r, (enum wf_cmd)c,
		                        .assignee_id = OTHER,
		                        .assignee_is_consultant = true,
		                        .severity = 1, .reason = WF_CLOSE_DUPLICATE,
		                        .by_email = v % 2 == 1);
		struct wf_decision d;
		wf_decide(&pol, cal, &t, &in, &d);
		/* a decision never holds more than it has room for */
		assert_int_not_equal(d.refusal, WF_E_TOO_MANY);
		assert_false(d.overflow);
		if (s == WF_CLOSED)
			assert_int_equal(d.refusal, WF_E_CLOSED);
		if (d.refusal == WF_OK) {
			assert_true(d.nevents > 0);
		} else {
			assert_int_equal(d.state, s);
			assert_true(strlen(wf_refusal_message(d.refusal, "es")) > 5);
			assert_true(strlen(wf_refusal_message(d.refusal, "en")) > 5);
		}
	}
}

/* R9: three attempts on three distinct business days, across the holiday;
 * each announces the same close, the auto-close is planned at it from the
 * first attempt on, and it closes then: the first attempt (Wed 07/10)
 * leaves Fri and Mon for the other two, so the 16 business hours run from
 * Tue 13/10 08:00 to Wed 14/10 18:00 Lima. */
static void
test_R9_three_attempts_then_auto_close(void **state)
{
	(void)state;
	struct wf_ticket t = T(WF_WAITING, .waiting_since = WED_10 - 3600);
	const int64_t when[] = {WED_10, WED_10 + 3600, FRI_08 + 3600,
	                        MON_10 + 7 * 3600};
	const int counted[] = {1, 0, 1, 1};
	const int64_t close = MON_10 + 2 * 86400 + 8 * 3600;
	for (int i = 0; i < 4; i++) {
		struct wf_input in = IN(WF_ROLE_CONSULTANT, WF_CMD_ATTEMPT,
		                        .now = when[i], .by_email = true);
		struct wf_decision d;
		wf_decide(&pol, cal, &t, &in, &d);
		assert_int_equal(d.refusal, WF_OK);
		assert_int_equal(d.attempt_counted, counted[i]);
		assert_int_equal(d.close_at, close);
		int64_t wait;
		assert_int_equal(calendar_between(cal, when[i], close, &wait), CAL_OK);
		assert_int_equal(d.wait_s, wait);
		for (int j = 0; j < d.njobs; j++)
			if (d.jobs[j].kind == WF_JOB_AUTO_CLOSE)
				assert_int_equal(d.jobs[j].due_at, close);
		assert_int_equal(d.njobs, counted[i] ? (i < 3 ? 2 : 1) : 0);
		t.attempts = d.attempts;
		t.last_attempt_day = d.attempt_day;
		t.auto_close_at = close;
	}
	assert_int_equal(t.attempts, 3);
	struct wf_input in = IN(WF_ROLE_SYSTEM, WF_CMD_AUTO_CLOSE,
	                        .now = close - 1);
	struct wf_decision d;
	wf_decide(&pol, cal, &t, &in, &d);
	assert_int_equal(d.refusal, WF_E_NOT_DUE);
	in.now = close;
	wf_decide(&pol, cal, &t, &in, &d);
	assert_int_equal(d.refusal, WF_OK);
	assert_int_equal(d.close_reason, WF_CLOSE_NO_RESPONSE);
}

/* R9: an attempt made a day late cannot keep the close announced before
 * (the attempts left no longer fit): it announces a later one, and the
 * auto-close moves with it; a stated wait on the last attempt is kept. */
static void
test_R9_late_attempt_moves_close(void **state)
{
	(void)state;
	struct wf_ticket t = T(WF_WAITING, .attempts = 1,
	                       .last_attempt_day = WED_DAY,
	                       .auto_close_at = MON_10 + 2 * 86400 + 8 * 3600);
	/* Attempt 2 on Mon instead of Fri: Tue is left for the third, the
	 * wait runs Wed 08:00 -> Thu 18:00. */
	struct wf_input in = IN(WF_ROLE_CONSULTANT, WF_CMD_ATTEMPT, .now = MON_10);
	struct wf_decision d;
	wf_decide(&pol, cal, &t, &in, &d);
	assert_int_equal(d.refusal, WF_OK);
	assert_int_equal(d.close_at, MON_10 + 3 * 86400 + 8 * 3600);
	assert_int_equal(d.jobs[1].kind, WF_JOB_AUTO_CLOSE);
	assert_int_equal(d.jobs[1].due_at, d.close_at);
}

/* R6: the SLA warnings: at 75 % of the target and at the deadline. */
static void
test_R6_sla_jobs(void **state)
{
	(void)state;
	struct wf_job j[2];
	/* Severity 1 (6 h) reported Wed 10:00: at risk after 4.5 h (Wed
	 * 16:30 Lima), due after 6 h: Wed 18:00 Lima. */
	assert_int_equal(wf_sla_jobs(&pol, cal, policy_response_s(&pol, 1), WED_10, NULL, 0, j), 2);
	assert_int_equal(j[0].kind, WF_JOB_SLA_AT_RISK);
	assert_int_equal(j[0].due_at, WED_10 + 6 * 3600 + 1800);
	assert_int_equal(j[1].kind, WF_JOB_SLA_BREACH);
	assert_int_equal(j[1].due_at, WED_10 + 8 * 3600 + 1);
	/* An open pause holds the clock: no warning can be planned. */
	struct sla_pause p = {WED_10 + 3600, SLA_OPEN};
	assert_int_equal(wf_sla_jobs(&pol, cal, policy_response_s(&pol, 1), WED_10, &p, 1, j), 0);
	/* A closed pause of one business hour moves both by an hour (the
	 * breach crosses the holiday: Fri 09:00 Lima). */
	p.end_s = WED_10 + 7200;
	assert_int_equal(wf_sla_jobs(&pol, cal, policy_response_s(&pol, 1), WED_10, &p, 1, j), 2);
	assert_int_equal(j[1].due_at, FRI_08 + 3600 + 1);
}

static void
test_names(void **state)
{
	(void)state;
	for (int s = 0; s < WF_STATE_COUNT; s++)
		assert_int_equal(wf_state_parse(wf_state_name((enum wf_state)s)), s);
	for (int r = 1; r < WF_CLOSE_COUNT; r++)
		assert_int_equal(wf_close_parse(wf_close_name((enum wf_close_reason)r)),
		                 r);
	for (int k = 0; k < WF_JOB_KIND_COUNT; k++)
		assert_int_equal(wf_job_parse(wf_job_name((enum wf_job_kind)k)), k);
	assert_int_equal(wf_state_parse("bogus"), -1);
	for (int r = 0; r < WF_ROLE_SYSTEM; r++)
		assert_int_equal(wf_role_parse(wf_role_name((enum wf_role)r)), r);
	assert_null(wf_person_role_names[WF_ROLE_SYSTEM]);
	assert_string_equal(wf_role_name(WF_ROLE_SYSTEM), "system");
	assert_int_equal(wf_role_parse("system"), -1);  /* no one's account */
	assert_string_equal(wf_state_label(WF_WAITING, "es"),
	                    "En espera del cliente");
	assert_string_equal(wf_close_label(WF_CLOSE_NO_RESPONSE, "en"),
	                    "No response");
	assert_true(wf_business_day(cal, WED_DAY));
	assert_false(wf_business_day(cal, WED_DAY + 1)); /* Angamos */
	assert_false(wf_business_day(cal, WED_DAY + 3)); /* Saturday */
}

/* A reassignment tells both consultants (issue 15): the new one
 * ("assigned") and the one it leaves ("unassigned"); a first assignment
 * has nobody to tell but the new one. */
static void
test_reassign_mails_previous_assignee(void **state)
{
	(void)state;
	struct wf_ticket t = T(WF_IN_PROGRESS);
	struct wf_input in = IN(PM, WF_CMD_ASSIGN, .assignee_id = OTHER,
	                        .assignee_is_consultant = true);
	struct wf_decision d;
	wf_decide(&pol, cal, &t, &in, &d);
	assert_int_equal(d.refusal, WF_OK);
	assert_int_equal(d.nmails, 2);
	assert_int_equal(d.mails[0].kind, WF_MAIL_ASSIGNED);
	assert_int_equal(d.mails[0].to, WF_TO_ASSIGNEE);
	assert_int_equal(d.mails[1].kind, WF_MAIL_UNASSIGNED);
	assert_int_equal(d.mails[1].to, WF_TO_PREVIOUS_ASSIGNEE);
	assert_string_equal(wf_mail_name(d.mails[1].kind), "unassigned");

	struct wf_ticket fresh = T(WF_NEW, .assignee_id = 0);
	wf_decide(&pol, cal, &fresh, &in, &d);
	assert_int_equal(d.refusal, WF_OK);
	assert_int_equal(d.nmails, 1);
	assert_int_equal(d.mails[0].kind, WF_MAIL_ASSIGNED);
}

/* R3: only a ticket that opens in renewal_required is told to renewals. */
static void
test_R3_opening_notices(void **state)
{
	(void)state;
	enum wf_recipient to[1];
	assert_int_equal(wf_opening_notices(WF_RENEWAL_REQUIRED, to), 1);
	assert_int_equal(to[0], WF_TO_RENEWALS);
	assert_int_equal(wf_opening_notices(WF_NEW, to), 0);
	assert_int_equal(wf_opening_notices(WF_ASSIGNED, to), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R3_renewal_transitions),
		cmocka_unit_test(test_R3_opening_notices),
		cmocka_unit_test(test_R5_exclusion_transitions),
		cmocka_unit_test(test_R8_purchase_order_transitions),
		cmocka_unit_test(test_R6_first_response_transitions),
		cmocka_unit_test(test_R7_escalation_transitions),
		cmocka_unit_test(test_R9_closure_transitions),
		cmocka_unit_test(test_R10_call_transitions),
		cmocka_unit_test(test_assign_close_transitions),
		cmocka_unit_test(test_exhaustive),
		cmocka_unit_test(test_R9_three_attempts_then_auto_close),
		cmocka_unit_test(test_R9_late_attempt_moves_close),
		cmocka_unit_test(test_R6_sla_jobs),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_reassign_mails_previous_assignee),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
