/*
 * client_facts.h - loading what the core needs to know about a client.
 *
 * Fills struct client_facts (core/client.h) from the store: the client's
 * products, contracts with their covered products, and the monthly
 * service flag. Returns STORE_OK, STORE_NOTFOUND for an unknown client,
 * or the store's error. Products or contracts beyond the core's limits
 * are an error, never silently dropped.
 */
#ifndef SOPORTE_APP_CLIENT_FACTS_H
#define SOPORTE_APP_CLIENT_FACTS_H

#include "core/client.h"
#include "store/store.h"

enum store_rc client_facts_load(struct store *db, int64_t client_id,
                                struct client_facts *out);

/* The civil day (days since 1970-01-01) of a "YYYY-MM-DD" column value,
 * or CLIENT_NO_DAY when it is NULL or not a date. */
int64_t client_day_of(const char *text);

#endif
