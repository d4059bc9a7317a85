/*
 * sla_report.h - the month's SLA report for the Project Manager (issue
 * 18; R6 response targets, R7 escalations).
 *
 * The month is a calendar month in the policy's time zone (R8). Tickets
 * are those reported (created) in it, of one client or all. For each
 * severity: tickets, response target met / breached / still pending /
 * without a clock (closed or waiting for renewal before any response),
 * and the median and 90th percentile of the first response in business
 * seconds (nearest rank: the value at rank ceil(p * n / 100) of the
 * responded tickets sorted; null with none). The numbers are the
 * ticket's clock as the desk recorded it (first_response_business_s,
 * response_met, set by the SLA engine at the first response); a ticket
 * not yet answered is judged now by the SLA engine (core/sla.h) with
 * its pauses and its policy version's target.
 *
 * Breaches are listed with their cause, one stable word:
 *   unassigned       unanswered and nobody assigned
 *   severity_raised  the severity was raised (R7) after the deadline the
 *                    new severity gives had already passed
 *   late_response    answered after the deadline
 *   unanswered       not answered and past the deadline
 * and late_by_s, the business seconds beyond the target.
 * Also: the waits on the client of the month's tickets (how many, on
 * how many tickets, their business seconds inside the month), hours logged in
 * the month (time entries by work date) by client and by consultant,
 * and the escalations asked in the month (R7) by kind and listed.
 */
#ifndef SOPORTE_APP_SLA_REPORT_H
#define SOPORTE_APP_SLA_REPORT_H

#include "app/base/app_rc.h"
#include "app/base/export.h"
#include "core/calendar.h"
#include "core/policy.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

struct sla_report_req {
	int64_t year;
	int month;                /* 1..12 */
	int64_t client_id;        /* 0: every client */
	int64_t now;              /* judge unanswered tickets at this instant */
};

/* The report as JSON in *out (the caller owns it). APP_REFUSED when the
 * client does not exist or the month is outside the calendar. */
enum app_rc sla_report_json(struct store *db, const struct policy *pol,
                            const struct calendar *cal,
                            const struct sla_report_req *req, json_t **out);

/*
 * The report's tables for export.h: a summary (one row per severity and
 * the total), the breaches, the hours by client, by consultant, and the
 * escalations; *n receives how many (SLA_REPORT_SHEETS). Each sheet
 * holds a reference to its rows: sla_report_sheets_free() drops them.
 * For CSV, sla_report_flat() gives one table of section, key, metric,
 * value rows holding every figure (sla_report_flat_cols; the caller
 * json_decref()s it).
 */
#define SLA_REPORT_SHEETS 5
void sla_report_sheets(json_t *report, struct export_sheet *sheets,
                       size_t *n);
void sla_report_sheets_free(struct export_sheet *sheets, size_t n);
json_t *sla_report_flat(json_t *report);
extern const struct export_col sla_report_flat_cols[4];

/*
 * The report as a PDF document (src/render) in *pdf (malloc'd, *len
 * bytes): the period and the client, a summary, a chart and a table by
 * severity, the breaches with their cause, waits, hours by client and
 * consultant with their charts, escalations. The words are those of
 * templates/LANG/sla_report.lines, lang "es" (the default) or "en";
 * times in business hours as "H:MM h", dates dd/mm/aaaa HH:MM in the
 * policy's zone. Returns 0 or -1 (the reason logged).
 */
int sla_report_pdf(const struct policy *pol, json_t *report, const char *lang,
                   unsigned char **pdf, size_t *len);

#endif
