/*
 * client.h - what the core knows about a client: products and contracts.
 *
 * Plain data, filled by the shell from the store (tables products,
 * contracts, contract_products) and passed read only to entitlement
 * (entitle.h) and the hour bank (hourbank.h). Days are civil days in the
 * policy's time zone (days since 1970-01-01, see util/timefmt.h), all
 * ranges inclusive; CLIENT_NO_DAY marks an absent date.
 */
#ifndef SOPORTE_CORE_CLIENT_H
#define SOPORTE_CORE_CLIENT_H

#include "core/policy.h"

#include <stdbool.h>
#include <stdint.h>

#define CLIENT_NO_DAY INT64_MIN
#define CLIENT_MAX_PRODUCTS 32
#define CLIENT_MAX_CONTRACTS 16
#define CONTRACT_MAX_PRODUCTS 32

struct client_product {
	int64_t id;
	char type[POLICY_KEY_MAX];          /* a policy product type key */
	char name[POLICY_NAME_MAX];         /* the client's name for it */
	int64_t delivered_on;               /* day; CLIENT_NO_DAY: not yet */
	int warranty_months;                /* 0: the type's default */
	int64_t post_production_until;      /* last day, or CLIENT_NO_DAY */
};

struct client_contract {
	int64_t id;
	enum plan_kind plan;
	int64_t valid_from;                 /* first day */
	int64_t valid_to;                   /* last day */
	int64_t ended_on;                   /* ended early: last day, or
	                                       CLIENT_NO_DAY */
	int64_t hourly_rate_cents;          /* hours beyond the plan, events */
	int nproducts;                      /* covered products (R12) */
	int64_t products[CONTRACT_MAX_PRODUCTS];
};

struct client_facts {
	int64_t id;
	bool monthly_service;               /* "modalidad mensual de servicios" */
	int nproducts;
	struct client_product products[CLIENT_MAX_PRODUCTS];
	int ncontracts;
	struct client_contract contracts[CLIENT_MAX_CONTRACTS];
};

/* Returns the contract's last valid day (valid_to, or ended_on if
 * earlier). */
int64_t client_contract_last_day(const struct client_contract *c);
/* Returns true when c is valid on day and lists product_id. */
bool client_contract_covers(const struct client_contract *c,
                            int64_t product_id, int64_t day);
/* Returns the product with this id, or NULL. */
const struct client_product *client_product_find(const struct client_facts *f,
                                                 int64_t id);

#endif
