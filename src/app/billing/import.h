/*
 * import.h - all-or-nothing CSV imports of clients, products, contracts.
 *
 * SECURITY: the CSV file is untrusted. Every field is checked (UTF-8,
 * lengths, e-mail and domain syntax, dates, policy names); nothing is
 * written unless every row is good.
 *
 * Formats (a header row names the columns; their order is free, unknown
 * columns are an error so a typo is not silently ignored):
 *   clients    company,domain,contact_name,contact_email
 *              One row per contact; rows of one domain share the client.
 *   products   client_domain,product_type,name,delivered_on,warranty_months
 *              [,post_production_until]
 *   contracts  client_domain,plan,valid_from,valid_to,products[,hourly_rate]
 *              plan: per_event | basic | enterprise; products: ';'-separated
 *              names of the client's products; hourly_rate in soles
 *              ("120" or "120.50") for hours beyond the plan.
 * Re-importing the same file changes nothing (rows are matched by domain,
 * e-mail, client+product name, client+plan+validity).
 */
#ifndef SOPORTE_APP_IMPORT_H
#define SOPORTE_APP_IMPORT_H

#include "core/policy.h"
#include "store/store.h"

#include <stdint.h>
#include <stdio.h>

enum import_kind { IMPORT_CLIENTS, IMPORT_PRODUCTS, IMPORT_CONTRACTS };

#define IMPORT_MAX_ERRORS 20

struct import_result {
	int rows;        /* data rows read */
	int created;     /* records created (clients + contacts, ...) */
	int unchanged;   /* rows that matched what was there */
	int nerrors;     /* errors found; only the first IMPORT_MAX_ERRORS kept */
	char errors[IMPORT_MAX_ERRORS][320];  /* "line N, column C: ..." */
};

/* Imports f (named path in messages) in one transaction. Returns a
 * sysexits code: EX_OK (committed), EX_DATAERR (bad rows: see res->errors,
 * nothing written), EX_TEMPFAIL (database busy), EX_SOFTWARE. */
int app_import(struct store *db, const struct policy *pol,
               enum import_kind kind, FILE *f, int64_t now,
               struct import_result *res);

/* Parses "120", "120.5", "1,234.50" soles into cents; returns 0 or -1. */
int money_parse_cents(const char *s, int64_t *cents);

#endif
