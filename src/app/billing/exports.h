/*
 * exports.h - the console's and the CLI's exports (issue 18) besides
 * the SLA report: the queue view, time entries and the monthly
 * statement, as export.h sheets over the JSON the API already answers
 * (ticket_query_list(), time_list_json(), statement_json()), so a file
 * tells the same numbers as the screen.
 */
#ifndef SOPORTE_APP_EXPORTS_H
#define SOPORTE_APP_EXPORTS_H

#include "app/base/export.h"

#include <jansson.h>

/* The queue: tickets as the list answers them (borrowed). */
struct export_sheet export_queue_sheet(json_t *items);
/* Time entries as time_list_json() gives them (borrowed). */
struct export_sheet export_time_sheet(json_t *entries);
/* The statement's lines (contract, ticket, consultant, event, minimums,
 * not charged, total) as rows, the same as `soporte statement --format
 * csv`; the sheet owns them: json_decref(sheet.rows) after use. */
struct export_sheet export_statement_sheet(json_t *statement);

#endif
