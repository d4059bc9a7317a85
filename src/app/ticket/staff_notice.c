/*
 * staff_notice.c - staff notifications capped and digested (see
 * staff_notice.h).
 */
#include "app/ticket/staff_notice.h"
#include "app/base/localtime.h"
#include "app/base/template.h"
#include "app/config/branding.h"
#include "app/config/settings.h"
#include "util/buf.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const notice_kinds[] = {
	"assigned", "client_answered", "reopened", "raise_request",
	"pm_request", "escalated_pm", "sla_at_risk", "sla_breach",
	"attempt_reminder", NULL,
};
/* Never held by a window (only by the cap): a missed deadline and the
 * client's escalation requests (R6, R7). */
static const char *const urgent_kinds[] = {
	"sla_breach", "raise_request", "pm_request", "escalated_pm", NULL,
};

/* What counts against an address's hourly cap: the above and digests. */
#define COUNTED_KINDS                                                       \
	"('assigned', 'client_answered', 'reopened', 'raise_request', "     \
	"'pm_request', 'escalated_pm', 'sla_at_risk', 'sla_breach', "       \
	"'attempt_reminder', 'digest', 'digest_overflow')"

#define HOUR_S 3600
#define FLUSH_BATCH 64

static bool
one_of(const char *kind, const char *const *kinds)
{
	for (int i = 0; kinds[i]; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

bool
staff_notice_kind(const char *kind)
{
	return one_of(kind, notice_kinds);
}

static int64_t
window_s(void)
{
	return (int64_t)settings_current()->notify_window_minutes * 60;
}

static int64_t
hourly_cap(void)
{
	return settings_current()->notify_hourly_cap;
}

/* The length of s's first line, at most max bytes, not cutting a UTF-8
 * character. */
static int
line_len(const char *s, size_t max)
{
	size_t n = strcspn(s, "\r\n");
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	return (int)n;
}

/* "25/11/2026 14:30  SUBJECT: first words of detail\n": detail's first
 * non-blank line, cut to 120 bytes. */
static void
event_line(const struct calendar *cal, int64_t now, const char *subject,
           const char *detail, char *out, size_t len)
{
	char when[LOCAL_TIME_LEN];
	local_time_format(cal, now, when);
	const char *sj = subject ? subject : "";
	const char *d = detail ? detail : "";
	while (*d == ' ' || *d == '\t' || *d == '\r' || *d == '\n')
		d++;
	int n = line_len(d, 120);
	snprintf(out, len, "%s  %.*s%s%.*s\n", when, line_len(sj, 200), sj,
	         n ? ": " : "", n, d);
}

/* Adds count events (their lines) to the open window of to and ticket
 * (0: the overflow window, which takes them until the scheduler mails
 * it). STORE_NOTFOUND when there is none (or the ticket's has ended) and
 * create_until is 0; else a missing window is opened until then. */
static enum store_rc
fold(struct store *db, const char *to, int64_t ticket_id, int64_t count,
     const char *lines, int64_t create_until, int64_t now)
{
	int64_t id = 0;
	enum store_rc rc = store_get_int(
	    db,
	    "UPDATE notice_windows SET folded = folded + $3, events = CASE "
	    "WHEN folded < $4 THEN events || $5 ELSE events END WHERE "
	    "to_addr = $1 AND COALESCE(ticket_id, 0) = $2 AND state = 'open' "
	    "AND (ticket_id IS NULL OR ends_at > $6) RETURNING id",
	    STORE_PARAMS(SP_T(to), SP_I(ticket_id), SP_I(count),
	                 SP_I(STAFF_NOTICE_LINES), SP_T(lines), SP_I(now)),
	    &id);
	if (rc != STORE_NOTFOUND || create_until == 0)
		return rc;
	return store_exec(db,
	                  "INSERT INTO notice_windows (to_addr, ticket_id, "
	                  "ends_at, folded, events, created_at) VALUES ($1, $2, "
	                  "$3, $4, $5, $6)",
	                  STORE_PARAMS(SP_T(to), SP_ID(ticket_id),
	                               SP_I(create_until), SP_I(count),
	                               SP_T(lines), SP_I(now)));
}

/* Opens the window of to and ticket until ends_at, nothing folded yet
 * (a concurrent opener may have done it: then that one stands). */
static enum store_rc
open_window(struct store *db, const char *to, int64_t ticket_id,
            int64_t ends_at, int64_t now)
{
	return store_exec(db,
	                  "INSERT INTO notice_windows (to_addr, ticket_id, "
	                  "ends_at, created_at) VALUES ($1, $2, $3, $4) "
	                  "ON CONFLICT DO NOTHING",
	                  STORE_PARAMS(SP_T(to), SP_I(ticket_id), SP_I(ends_at),
	                               SP_I(now)));
}

/* *over: to has had its hourly cap of notifications. */
static enum store_rc
over_cap(struct store *db, const char *to, int64_t now, bool *over)
{
	int64_t n = 0, cap = hourly_cap();
	*over = false;
	if (cap <= 0)
		return STORE_OK;
	enum store_rc rc = store_get_int(
	    db,
	    "SELECT COUNT(*) FROM outbound_mail WHERE to_addr = $1 AND "
	    "created_at > $2 AND kind IN " COUNTED_KINDS,
	    STORE_PARAMS(SP_T(to), SP_I(now - HOUR_S)), &n);
	*over = n >= cap;
	return rc;
}

static enum store_rc mail_digest(struct store *db, const struct policy *pol,
                                 const char *to, int64_t ticket_id,
                                 int64_t folded, const char *lines,
                                 int64_t now);

/* Closes the window of to and ticket that has ended, if the scheduler
 * has not yet, and mails its digest now (*mailed: 1), which opens the
 * next window (or, over the cap, folds it into the overflow window). The state change is the claim: the scheduler's flush and
 * this never both mail one window. */
static enum store_rc
close_ended(struct store *db, const struct policy *pol, const char *to,
            int64_t ticket_id, int64_t now, int *mailed)
{
	struct store_rows *r;
	*mailed = 0;
	enum store_rc rc = store_query_row(
	    db,
	    "UPDATE notice_windows SET state = 'closed' WHERE to_addr = $1 AND "
	    "ticket_id = $2 AND state = 'open' AND ends_at <= $3 RETURNING "
	    "folded, events",
	    STORE_PARAMS(SP_T(to), SP_I(ticket_id), SP_I(now)), &r);
	if (rc == STORE_NOTFOUND)
		return STORE_OK;   /* no window over */
	if (rc != STORE_OK)
		return rc;
	int64_t folded = store_int(r, 0);
	char *lines = strdup(store_text(r, 1));
	store_done(r);
	if (folded > 0) {
		rc = lines ? mail_digest(db, pol, to, ticket_id, folded, lines, now)
		           : store_fail(db, STORE_ERROR, "out of memory");
		*mailed = rc == STORE_OK;
	}
	free(lines);
	return rc;
}

enum store_rc
staff_notice_queue(struct store *db, const struct policy *pol,
                   const struct calendar *cal, const struct outbound_new *m,
                   const char *detail, int64_t now,
                   char msgid[OUTBOUND_MSGID_MAX])
{
	char line[400];
	int64_t win = window_s();
	if (msgid)
		msgid[0] = '\0';
	event_line(cal, now, m->subject, detail, line, sizeof line);
	enum store_rc rc;
	bool windowed = win > 0 && m->ticket_id > 0 && !one_of(m->kind, urgent_kinds);
	if (windowed) {
		rc = fold(db, m->to, m->ticket_id, 1, line, 0, now);
		if (rc == STORE_NOTFOUND) {
			int mailed;
			rc = close_ended(db, pol, m->to, m->ticket_id, now, &mailed);
			/* Its digest opened the next window (unless over the cap). */
			if (rc == STORE_OK)
				rc = mailed ? fold(db, m->to, m->ticket_id, 1, line, 0, now)
				            : STORE_NOTFOUND;
		}
		if (rc != STORE_NOTFOUND)
			return rc;
	}
	bool over;
	rc = over_cap(db, m->to, now, &over);
	if (rc != STORE_OK)
		return rc;
	if (over)
		return fold(db, m->to, 0, 1, line, now + HOUR_S, now);
	rc = outbound_queue(db, pol, m, now, msgid);
	if (rc == STORE_OK && windowed)
		rc = open_window(db, m->to, m->ticket_id, now + win, now);
	return rc;
}

/* The kept lines, and how many events they leave out. */
static char *
events_text(const char *lines, int64_t folded)
{
	struct buf b = BUF_INIT(0);
	int64_t kept = 0;
	for (const char *p = lines; *p; p++)
		kept += *p == '\n';
	buf_puts(&b, lines);
	if (folded > kept)
		buf_printf(&b, "... y %lld más\n", (long long)(folded - kept));
	return buf_steal(&b);
}

int
staff_digest_render(const struct policy *pol, int64_t number,
                    const char *subject, int64_t folded, const char *lines,
                    char **subj, char **body, char *err, size_t errlen)
{
	char num[24] = "", count[24], cap[24], minutes[24],
	    url[BRANDING_TEXT_MAX + 40];
	struct branding b;
	branding_get(pol, &b);
	branding_ticket_url(&b, number > 0 ? number : 0, url, sizeof url);
	if (number >= 0)
		snprintf(num, sizeof num, "%06lld", (long long)number);
	snprintf(count, sizeof count, "%lld", (long long)folded);
	snprintf(cap, sizeof cap, "%lld", (long long)hourly_cap());
	snprintf(minutes, sizeof minutes, "%lld", (long long)(window_s() / 60));
	char *events = events_text(lines, folded);
	const struct tvar vars[] = {
		{"number", num},      {"subject", subject ? subject : ""},
		{"count", count},     {"cap", cap},
		{"window_minutes", minutes},
		{"events", events ? events : ""},
		{"ticket_url", url},
	};
	int rc = template_render("es", number >= 0 ? "digest" : "digest_overflow",
	                         vars, sizeof vars / sizeof vars[0], subj, body,
	                         err, errlen);
	free(events);
	return rc;
}

/* Queues the digest of one ended window. */
static enum store_rc
mail_digest(struct store *db, const struct policy *pol, const char *to,
            int64_t ticket_id, int64_t folded, const char *lines,
            int64_t now)
{
	bool over = false;
	enum store_rc rc = ticket_id ? over_cap(db, to, now, &over) : STORE_OK;
	if (rc != STORE_OK || over)
		return rc != STORE_OK ? rc
		                      : fold(db, to, 0, folded, lines, now + HOUR_S, now);
	char subject[512] = "";
	int64_t num = 0;
	if (ticket_id) {
		struct store_rows *r;
		rc = store_query_row(db,
		                     "SELECT number, subject FROM tickets WHERE id = $1",
		                     STORE_PARAMS(SP_I(ticket_id)), &r);
		if (rc == STORE_OK) {
			num = store_int(r, 0);
			snprintf(subject, sizeof subject, "%s", store_text(r, 1));
			store_done(r);
		} else if (rc != STORE_NOTFOUND) {
			return rc;
		}
	}
	const char *kind = ticket_id ? "digest" : "digest_overflow";
	char *subj = NULL, *body = NULL, err[256];
	if (staff_digest_render(pol, ticket_id ? num : -1, subject, folded, lines,
	                        &subj, &body, err, sizeof err) != 0)
		return store_fail(db, STORE_ERROR, "mail template %s: %s", kind, err);
	struct outbound_new m = {
		.ticket_id = ticket_id,
		.ticket_number = num,
		.kind = kind,
		.to = to,
		.subject = subj,
		.body = body,
	};
	rc = outbound_queue(db, pol, &m, now, NULL);
	/* The digest is this window's mail: the next events wait for the
	 * next window, so a long burst still gives one mail per window. */
	if (rc == STORE_OK && ticket_id && window_s() > 0)
		rc = open_window(db, to, ticket_id, now + window_s(), now);
	free(subj);
	free(body);
	return rc;
}

/* Closes window id and mails its digest, in a transaction of its own,
 * only while holder holds lease. *mailed counts a digest queued. */
static enum store_rc
flush_one(struct store *db, const struct policy *pol, int64_t id,
          const char *lease, const char *holder, int64_t now, int *mailed)
{
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	struct store_rows *r;
	/* STORE_NOTFOUND: someone else's, or the lease is gone */
	rc = store_query_row(
	    db,
	    "UPDATE notice_windows SET state = 'closed' WHERE id = $1 AND "
	    "state = 'open' AND EXISTS (SELECT 1 FROM leases WHERE name = $3 "
	    "AND holder = $4 AND expires_at > $2) RETURNING to_addr, "
	    "ticket_id, folded, events",
	    STORE_PARAMS(SP_I(id), SP_I(now), SP_T(lease), SP_T(holder)), &r);
	char *to = NULL, *lines = NULL;
	int64_t ticket_id = 0, folded = 0;
	if (rc == STORE_OK) {
		to = strdup(store_text(r, 0));
		ticket_id = store_isnull(r, 1) ? 0 : store_int(r, 1);
		folded = store_int(r, 2);
		lines = strdup(store_text(r, 3));
		store_done(r);
		if (to == NULL || lines == NULL)
			rc = store_fail(db, STORE_ERROR, "out of memory");
	}
	if (rc == STORE_OK && folded > 0) {
		rc = mail_digest(db, pol, to, ticket_id, folded, lines, now);
		if (rc == STORE_OK)
			(*mailed)++;
	}
	free(to);
	free(lines);
	if (rc == STORE_OK)
		return store_commit(db);
	store_rollback(db);
	return rc;
}

enum store_rc
staff_notice_flush(struct store *db, const struct policy *pol,
                   const char *lease, const char *holder, int64_t now,
                   int *mailed)
{
	*mailed = 0;
	for (;;) {
		int64_t ids[FLUSH_BATCH];
		int n = 0;
		struct store_rows *r;
		enum store_rc rc = store_query(
		    db,
		    "SELECT id FROM notice_windows WHERE state = 'open' AND "
		    "ends_at <= $1 ORDER BY ends_at, id LIMIT $2",
		    STORE_PARAMS(SP_I(now), SP_I(FLUSH_BATCH)), &r);
		if (rc != STORE_OK)
			return rc;
		while ((rc = store_next(r)) == STORE_ROW && n < FLUSH_BATCH)
			ids[n++] = store_int(r, 0);
		store_done(r);
		if (rc != STORE_DONE && rc != STORE_ROW)
			return rc;
		if (n == 0)
			return STORE_OK;
		for (int i = 0; i < n; i++) {
			rc = flush_one(db, pol, ids[i], lease, holder, now, mailed);
			if (rc == STORE_NOTFOUND)
				return STORE_OK; /* the lease is gone: the next holder */
			if (rc != STORE_OK)
				return rc;
		}
	}
}
