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

#endif
