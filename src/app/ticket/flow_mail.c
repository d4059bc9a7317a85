/*
 * flow_mail.c - the lifecycle's mail (see flow_mail.h).
 */
#include "app/ticket/flow_mail.h"
#include "app/base/localtime.h"
#include "app/base/template.h"
#include "app/config/branding.h"
#include "app/ticket/staff_notice.h"
#include "util/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

static const char *
nz(const char *s)
{
	return s ? s : "";
}

/* "2 h 02 min", "24 h", "45 min": a stated wait as people read it. */
static void
wait_text(int64_t s, char *out, size_t len)
{
	long long h = (long long)(s / 3600), m = (long long)(s % 3600 / 60);
	if (h && m)
		snprintf(out, len, "%lld h %02lld min", h, m);
	else if (h)
		snprintf(out, len, "%lld h", h);
	else
		snprintf(out, len, "%lld min", m);
}

/* The Project Manager's name, or "" when the policy names only the role
 * (the shipped policy masks the name): "Project Manager (Project
 * Manager)" says nothing twice. */
static const char *
pm_name(const struct policy *p)
{
	return strcasecmp(p->project_manager, "Project Manager") == 0
	           ? ""
	           : p->project_manager;
}

int
flow_mail_render(const struct flow_mail_facts *f, const char *kind,
                 const char *lang, char **subject, char **body, char *err,
                 size_t errlen)
{
	const struct policy *p = f->pol;
	char number[24], sev[8], old_sev[8], hours[24], wait[24], wait_t[40],
	    due[LOCAL_TIME_LEN], close_at[LOCAL_TIME_LEN] = "", attempt[8],
	    attempts_max[8], path[40], url[BRANDING_TEXT_MAX + 40],
	    merged[24] = "";
	struct branding b;
	branding_get(p, &b);
	int s = f->severity >= 1 && f->severity <= POLICY_SEVERITIES ? f->severity
	                                                             : 3;
	int os = f->old_severity >= 1 && f->old_severity <= POLICY_SEVERITIES
	             ? f->old_severity
	             : 0;
	snprintf(number, sizeof number, "%06lld", (long long)f->number);
	snprintf(path, sizeof path, "/tickets/%lld", (long long)f->number);
	if (f->merged_into > 0)
		snprintf(merged, sizeof merged, "%06lld", (long long)f->merged_into);
	branding_ticket_url(&b, f->number, url, sizeof url);
	snprintf(sev, sizeof sev, "%d", s);
	snprintf(old_sev, sizeof old_sev, "%d", f->old_severity);
	snprintf(hours, sizeof hours, "%lld",
	         (long long)((f->target_s > 0 ? f->target_s
	                                      : p->severity[s - 1].response_s) /
	                     3600));
	snprintf(wait, sizeof wait, "%lld", (long long)(f->wait_s / 3600));
	wait_text(f->wait_s, wait_t, sizeof wait_t);
	snprintf(attempt, sizeof attempt, "%d", f->attempt);
	snprintf(attempts_max, sizeof attempts_max, "%d", p->contact_attempts);
	local_time_format(f->cal, f->due_at, due);
	if (f->close_at > 0)
		local_time_format(f->cal, f->close_at, close_at);
	/* Per event (R8): the event, the update's minimum, the rate. */
	const struct policy_plan *pe = policy_plan_of(p, PLAN_PER_EVENT);
	char ev_h[24], upd_h[24], rate[MONEY_TEXT_MAX];
	snprintf(ev_h, sizeof ev_h, "%lld",
	         (long long)((pe ? pe->event_min_s : 0) / 3600));
	snprintf(upd_h, sizeof upd_h, "%lld",
	         (long long)((pe ? pe->update_min_s : 0) / 3600));
	money_text(f->rate_cents, rate);
	int en = lang && lang[0] == 'e' && lang[1] == 'n';
	const struct policy_severity *ps = &p->severity[s - 1];
	const char *old_name = os == 0 ? ""
	                       : en    ? p->severity[os - 1].name_en
	                               : p->severity[os - 1].name_es;
	const struct tvar vars[] = {
		{"number", number},
		{"subject", nz(f->subject)},
		{"client_name", nz(f->client_name)},
		{"contact_name", nz(f->contact_name)},
		{"assignee_name", nz(f->assignee_name)},
		{"severity", sev},
		{"severity_name", en ? ps->name_en : ps->name_es},
		{"old_severity", old_sev},
		{"old_severity_name", old_name},
		{"response_hours", hours},
		{"response_or_more", ps->response_or_more ? "yes" : ""},
		{"due_local", due},
		{"body", nz(f->body)},
		{"wait_hours", wait},
		{"wait_time", wait_t},
		{"close_local", close_at},
		{"attempt", attempt},
		{"attempts_max", attempts_max},
		{"close_reason", wf_close_label(f->close_reason, en ? "en" : "es")},
		{"state", wf_state_label(f->state, en ? "en" : "es")},
		{"company", b.company},
		{"support_address", p->support_address},
		{"phone", b.phone},
		{"phone_after_email", b.phone_after_email ? "yes" : ""},
		{"pm_name", pm_name(p)},
		{"actor", nz(f->actor_email)},
		{"product_name", nz(f->product_name)},
		{"reason", nz(f->reason)},
		{"ticket_path", path},
		{"ticket_url", url},
		{"event_hours", ev_h},
		{"update_hours", upd_h},
		{"rate", rate},
		{"merged_into", merged},
	};
	return template_render(lang ? lang : "es",
	                       f->template_name ? f->template_name : kind, vars,
	                       sizeof vars / sizeof vars[0], subject, body, err,
	                       errlen);
}

enum store_rc
flow_mail_queue(struct store *db, const struct flow_mail_facts *f,
                const char *kind, const char *lang, int64_t ticket_id,
                const char *to, int64_t now, char msgid[OUTBOUND_MSGID_MAX])
{
	const struct policy *p = f->pol;
	char *subject = NULL, *body = NULL, err[256];
	if (flow_mail_render(f, kind, lang, &subject, &body, err, sizeof err) != 0)
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
