/*
 * statement_send.h - the monthly statement sent on time (issue 18): to
 * each client's billing contacts (contacts.billing), the PDF attached,
 * once per client and month even with several servers running the
 * monthly run, and again on request (a resend).
 *
 * Each sending is one transaction: the statements_sent row (for the
 * monthly run unique per client and month), the PDF in blobs, one
 * outbound mail per billing contact with the PDF attached, and the audit
 * event. The PDF is rendered before the transaction (it reads only).
 */
#ifndef SOPORTE_APP_STATEMENT_SEND_H
#define SOPORTE_APP_STATEMENT_SEND_H

#include "app/base/app_rc.h"
#include "core/calendar.h"
#include "core/policy.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The facts of the statement mail (templates/LANG/statement.txt). */
struct statement_mail_facts {
	const char *client_name;
	const char *month;        /* "noviembre de 2026" */
	const char *hours_used;   /* "30.00 h" */
	const char *total;        /* "S/ 1,200.00" */
	const char *filename;     /* the attachment's name */
};

int statement_mail_render(const struct policy *pol, const char *lang,
                          const struct statement_mail_facts *f, char **subject,
                          char **body, char *err, size_t errlen);

/* Queues client's (domain) statement of year-month to its billing
 * contacts at now, recorded as sent by `by`. resend 0: the monthly
 * sending, refused (APP_REFUSED, "already sent") when it was sent
 * already; 1: a resend, always. *mails (may be NULL) gets the mails
 * queued. Refuses a client with no billing contact. */
enum app_rc statement_send(struct store *db, const struct policy *pol,
                           const char *domain, int64_t year, int month,
                           int resend, const char *by, int64_t now,
                           int *mails);

/* The statement's file name: "estado-de-cuenta-DOMAIN-YYYY-MM.pdf"
 * ("statement-..." in English). */
void statement_filename(const char *lang, const char *domain, int64_t year,
                        int month, char *out, size_t len);

/* The months a client has statements for, newest first (at most 36):
 * months with time logged or a statement sent. *out: {"items": [{month,
 * sent (how many times mailed), last_sent_at (ISO UTC or null)}]}. */
enum app_rc statement_months(struct store *db, int64_t client_id,
                             json_t **out);

struct statements_run {
	char month[32];           /* "YYYY-MM": the month sent, "" if none */
	int due;                  /* 1: today is on or after the month's first
	                             business day (policy zone and calendar) */
	int clients;              /* statements queued now */
	int mails;                /* mails queued now */
	int already;              /* sent before (by this or another server) */
	int failed;               /* could not be sent (logged): next run */
};

/* The monthly run at now: from the first business day of a month (the
 * calendar's), each client with a contract valid in the previous month
 * or time logged in it, and a billing contact, whose statement of that
 * month was not sent yet, gets it. Safe to run often and on several
 * servers at once: a statement goes once. */
enum app_rc statements_monthly_run(struct store *db, const struct policy *pol,
                                   const struct calendar *cal, const char *by,
                                   int64_t now, struct statements_run *out);

#endif
