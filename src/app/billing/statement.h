/*
 * statement.h - the monthly statement of a client's hours (R8), from the
 * time entries on the store (hourbank_store.h) and the core's arithmetic
 * (hourbank_statement(), hourbank_ledger()).
 */
#ifndef SOPORTE_APP_STATEMENT_H
#define SOPORTE_APP_STATEMENT_H

#include "app/base/app_rc.h"
#include "core/policy.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

/*
 * The statement of client (domain) for a calendar month: one block per
 * contract valid in the month (included, used, remaining and overage
 * hours, the amount, lines per ticket, per consultant and per event),
 * the time under warranty, the monthly service and post-production
 * apart, the month's ledger by coverage, and the totals. Durations in
 * seconds (_s keys) and hours (_hours, two decimals, for people); money
 * in integer cents (_cents keys).
 */
enum app_rc statement_json(struct store *db, const struct policy *pol,
                           const char *client, int64_t year, int month,
                           json_t **out);

/* The statement s (statement_json()'s) as a PDF in lang ("es" unless
 * "en"): the letterhead, the month's summary and a chart of hours per
 * week against the plans' hours, per contract its hours, the by-ticket,
 * by-consultant and per-event tables, the time not charged and the
 * amount to invoice. *pdf is malloc'd (*len bytes). Returns 0, or -1
 * (logged). */
int statement_render(const struct policy *pol, json_t *s, const char *lang,
                     unsigned char **pdf, size_t *len);

/* statement_json() and statement_render() in one. */
enum app_rc statement_pdf(struct store *db, const struct policy *pol,
                          const char *client, int64_t year, int month,
                          const char *lang, unsigned char **pdf, size_t *len);

#endif
