/*
 * contracts.h - a client's products, support contracts and purchase
 * orders (R3, R8, R12), for the CLI and the API alike.
 *
 * "Prodequa SAC elaborará un contrato donde se incluya el tipo de plan de
 * soporte, su vigencia y el/los productos que incluye": a contract names
 * its plan (a plan key of the policy), its validity (first and last day,
 * inclusive, civil days in the policy's time zone) and the products it
 * covers. A product is covered by at most one contract on any day, so
 * contract_add() refuses a contract that overlaps another one covering
 * one of its products; contract_end() ends one early (its new last day).
 * Purchase orders pay for per-event work (R8): a per-event time entry
 * names one.
 *
 * Every mutating call checks the whole request first, then writes it and
 * its audit event in one transaction; a refused request (APP_REFUSED, the
 * reason in store_errmsg()) changes nothing. Lists are JSON arrays with
 * the API's keys; the caller owns them.
 *
 * SECURITY: every text comes from an operator or an API client and is
 * checked here (UTF-8 names, dates, policy keys, amounts); SQL parameters
 * are always bound.
 */
#ifndef SOPORTE_APP_CONTRACTS_H
#define SOPORTE_APP_CONTRACTS_H

#include "app/base/app_rc.h"
#include "app/base/audit.h"
#include "core/policy.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

struct contract_new {
	const char *client;       /* the client's domain */
	const char *plan;         /* per_event | basic | enterprise */
	const char *valid_from;   /* YYYY-MM-DD */
	const char *valid_to;     /* YYYY-MM-DD, >= valid_from */
	const char *products;     /* product names joined by ';' */
	int64_t rate_cents;       /* per hour beyond the plan, or per event */
};

struct product_new {
	const char *client;
	const char *type;         /* a product type key of the policy */
	const char *name;         /* unique for the client */
	const char *delivered_on; /* YYYY-MM-DD */
	int warranty_months;      /* within the policy's range */
	const char *post_production_until; /* YYYY-MM-DD or NULL */
};

struct po_new {
	const char *client;
	const char *number;       /* the client's order number, unique for it */
	const char *issued_on;    /* YYYY-MM-DD */
	int64_t hours_s;          /* what it pays for; > 0 */
	const char *note;         /* may be NULL */
};

enum app_rc contract_add(struct store *db, const struct policy *pol,
                         const struct contract_new *c, struct actor who,
                         int64_t now, int64_t *id);
/* Ends contract id early: on is its new last day, from its first day to
 * its planned last day; refused when it already ended or when time is
 * charged to it after that day. */
enum app_rc contract_end(struct store *db, int64_t id, const char *on,
                         struct actor who, int64_t now);
/* The contracts of a client (all clients when client is NULL), each with
 * its products' names and its last day. */
enum app_rc contract_list_json(struct store *db, const char *client,
                               json_t **out);

enum app_rc product_add(struct store *db, const struct policy *pol,
                        const struct product_new *p, struct actor who,
                        int64_t now, int64_t *id);
/* Products with their warranty's last day (policy arithmetic). */
enum app_rc product_list_json(struct store *db, const struct policy *pol,
                              const char *client, json_t **out);

enum app_rc po_add(struct store *db, const struct po_new *po,
                   struct actor who, int64_t now, int64_t *id);
/* Purchase orders with the hours of per-event work logged against
 * each. */
enum app_rc po_list_json(struct store *db, const char *client, json_t **out);

/* The id of the client with this domain (lowercased): APP_OK, or
 * APP_REFUSED "no client has the domain ..." */
enum app_rc client_find(struct store *db, const char *domain, int64_t *id);

#endif
