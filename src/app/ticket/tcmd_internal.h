/*
 * tcmd_internal.h - inside the ticket room only: what the ticket command
 * files (ticket_cmds.c, ticket_load.c, ticket_jobs.c, ticket_status.c)
 * share: the ticket row as loaded and the helpers that read it, plan its
 * timers and fill its mails.
 */
#ifndef SOPORTE_APP_TICKET_TCMD_INTERNAL_H
#define SOPORTE_APP_TICKET_TCMD_INTERNAL_H

#include "app/ticket/flow_mail.h"
#include "app/ticket/ticket_cmds.h"
#include "core/sla.h"

#include <stdbool.h>
#include <stdio.h>

/* The ticket row as loaded, with the names mail needs. */
struct ticket_row {
	int64_t id, number, client_id, contact_id, assignee_id;
	int64_t created_at, due_at, first_response_at, waiting_since;
	int64_t version, solved_at, closed_at, resolution_s, fr_business_s;
	int64_t targets[POLICY_SEVERITIES]; /* its policy version's response
	                                       targets (R12); -1: not recorded */
	int severity, level, reopened, responded, response_met;
	int severity_confirmed;     /* a consultant confirmed it (R6) */
	enum wf_state state;
	enum wf_close_reason close;
	char subject[400];
	char contact_email[256], contact_name[200], lang[8];
	char assignee_email[256], assignee_name[200], client_name[200];
};

struct pauses {
	struct sla_pause p[SLA_MAX_PAUSES];
	size_t n;
};

static inline void
copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* ticket_load.c */
/* The row WHERE `where` (one parameter, $1 = key): STORE_NOTFOUND when
 * there is none. */
enum store_rc tcmd_load_row(struct store *db, const char *where, int64_t key,
                            struct ticket_row *t);
/* The response target of severity 1..4 for t: its policy version's
 * (R12), else the policy in force's; -1 for another severity. */
int64_t tcmd_target(const struct tcmd_env *env, const struct ticket_row *t,
                    int severity);
enum store_rc tcmd_load_pauses(struct store *db, int64_t ticket_id,
                               struct pauses *ps);
/* What the state machine needs beyond the row. */
enum store_rc tcmd_load_snapshot(struct store *db, const struct calendar *cal,
                                 const struct ticket_row *t,
                                 struct wf_ticket *w);
/* Resolves ASSIGN's target (req's e-mail, else its user id): an active
 * consultant (*ok); its name and e-mail for the ticket row. */
enum store_rc tcmd_load_assignee(struct store *db,
                                 const struct tcmd_request *req, int64_t *id,
                                 bool *ok, char *name, size_t namelen,
                                 char *email, size_t emaillen);

/* ticket_jobs.c */
/* Job rows: a cancelled twin at the same instant is revived, a done one
 * is left alone (it fired). */
enum store_rc tcmd_job_insert(struct store *db, enum wf_job_kind kind,
                              int64_t ticket_id, int64_t due, int64_t since,
                              int64_t now);
/* Cancels the ticket's pending jobs of kinds k1 and k2. */
enum store_rc tcmd_jobs_cancel(struct store *db, int64_t ticket_id,
                               const char *k1, const char *k2);
/* Plans t's SLA warnings again (none once answered, closed or held). */
enum store_rc tcmd_plan_sla_row(const struct tcmd_env *env,
                                const struct ticket_row *t,
                                const struct pauses *ps);

/* ticket_cmds.c */
/* The mail's fields from the ticket and the decision. */
void tcmd_mail_facts(const struct tcmd_env *env, const struct ticket_row *t,
                     const struct tcmd_request *req,
                     const struct wf_decision *d, int old_severity,
                     struct flow_mail_facts *f);

/* renewal_notice.c */
/* Queues the notices the workflow asks for a ticket that has just opened
 * (wf_opening_notices(): the renewals team for renewal_required, R3). */
enum store_rc tcmd_opening_notices(const struct tcmd_env *env,
                                   const struct ticket_row *t);

#endif
