/*
 * flow_mail.c - the lifecycle's mail (see flow_mail.h).
 */
#include "app/ticket/flow_mail.h"
#include "app/base/localtime.h"
#include "app/base/template.h"
#include "app/ticket/staff_notice.h"

#include <stdio.h>
#include <stdlib.h>

static const char *
nz(const char *s)
{
	return s ? s : "";
}

enum store_rc
flow_mail_queue(struct store *db, const struct flow_mail_facts *f,
                const char *kind, const char *lang, int64_t ticket_id,
                const char *to, int64_t now, char msgid[OUTBOUND_MSGID_MAX])
{
	const struct policy *p = f->pol;
	char number[24], sev[8], old_sev[8], hours[24], wait[24], due[LOCAL_TIME_LEN],
	    close_at[LOCAL_TIME_LEN] = "", attempt[8], attempts_max[8], path[40];
	int s = f->severity >= 1 && f->severity <= POLICY_SEVERITIES ? f->severity
	                                                             : 3;
	snprintf(number, sizeof number, "%06lld", (long long)f->number);
	snprintf(path, sizeof path, "/tickets/%lld", (long long)f->number);
	snprintf(sev, sizeof sev, "%d", s);
	snprintf(old_sev, sizeof old_sev, "%d", f->old_severity);
	snprintf(hours, sizeof hours, "%lld",
	         (long long)((f->target_s > 0 ? f->target_s
	                                      : p->severity[s - 1].response_s) /
	                     3600));
	snprintf(wait, sizeof wait, "%lld", (long long)(f->wait_s / 3600));
	snprintf(attempt, sizeof attempt, "%d", f->attempt);
	snprintf(attempts_max, sizeof attempts_max, "%d", p->contact_attempts);
	local_time_format(f->cal, f->due_at, due);
	if (f->close_at > 0)
		local_time_format(f->cal, f->close_at, close_at);
	int en = lang && lang[0] == 'e' && lang[1] == 'n';
	const struct tvar vars[] = {
		{"number", number},
		{"subject", nz(f->subject)},
		{"client_name", nz(f->client_name)},
		{"contact_name", nz(f->contact_name)},
		{"assignee_name", nz(f->assignee_name)},
		{"severity", sev},
		{"severity_name", en ? p->severity[s - 1].name_en
		                     : p->severity[s - 1].name_es},
		{"old_severity", old_sev},
		{"response_hours", hours},
		{"due_local", due},
		{"body", nz(f->body)},
		{"wait_hours", wait},
		{"close_local", close_at},
		{"attempt", attempt},
		{"attempts_max", attempts_max},
		{"close_reason", wf_close_label(f->close_reason, en ? "en" : "es")},
		{"state", wf_state_label(f->state, en ? "en" : "es")},
		{"company", p->name},
		{"support_address", p->support_address},
		{"phone", p->phone},
		{"pm_name", p->project_manager},
		{"actor", nz(f->actor_email)},
		{"product_name", nz(f->product_name)},
		{"reason", nz(f->reason)},
		{"ticket_path", path},
	};
	char *subject = NULL, *body = NULL, err[256];
	if (template_render(lang ? lang : "es", kind, vars,
	                    sizeof vars / sizeof vars[0], &subject, &body, err,
	                    sizeof err) != 0)
		return store_fail(db, STORE_ERROR, "mail template %s: %s", kind, err);
	struct outbound_new m = {
		.ticket_id = ticket_id,
		.ticket_number = f->number,
		.kind = kind,
		.to = to,
		.subject = subject,
		.body = body,
	};
	/* Staff notices are capped and digested (staff_notice.h). */
	enum store_rc rc = staff_notice_kind(kind)
	                       ? staff_notice_queue(db, p, f->cal, &m, f->body, now,
	                                            msgid)
	                       : outbound_queue(db, p, &m, now, msgid);
	free(subject);
	free(body);
	return rc;
}
