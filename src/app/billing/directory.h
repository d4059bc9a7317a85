/*
 * directory.h - the desk's reference data: clients, contacts, products,
 * contracts and purchase orders, read and written as JSON objects.
 *
 * One table-driven implementation for the five kinds: each kind names
 * its table, the column that says which client owns a row, and its
 * columns with their type and whether a create or an update may set
 * them. SQL is assembled only from those static names; values are
 * always bound. Each write records its audit event in its transaction.
 *
 * Inputs are JSON objects whose keys and value types the caller has
 * already checked against the kind's fields (the HTTP layer's schema);
 * keys that are not writable columns are ignored here. Contracts also
 * take "product_ids" (the covered products, R12), which must belong to
 * the contract's client.
 *
 * SECURITY: values come from requests (untrusted) and are only bound.
 */
#ifndef SOPORTE_APP_DIRECTORY_H
#define SOPORTE_APP_DIRECTORY_H

#include "app/base/audit.h"
#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

enum dir_kind {
	DIR_CLIENT,
	DIR_CONTACT,
	DIR_PRODUCT,
	DIR_CONTRACT,
	DIR_PURCHASE_ORDER,
	DIR_KIND_COUNT
};

/* "client", "contact", ... (audit action prefixes). */
const char *dir_kind_name(enum dir_kind k);

/* Row id as JSON in *out, its owning client in *owner_client_id;
 * STORE_NOTFOUND when there is none. */
enum store_rc dir_get(struct store *db, enum dir_kind k, int64_t id,
                      json_t **out, int64_t *owner_client_id);
/* Up to limit rows with id > after_id (0: from the start), of client_id
 * when > 0, as a JSON array in *out, in id order. */
enum store_rc dir_list(struct store *db, enum dir_kind k, int64_t client_id,
                       int64_t after_id, int limit, json_t **out);
/* Creates a row from in; *id receives its id. STORE_CONSTRAINT (with a
 * message) when it clashes with another row or names a missing client or
 * product. */
enum store_rc dir_create(struct store *db, enum dir_kind k, json_t *in,
                         struct actor who, int64_t now, int64_t *id);
/* Sets the columns present in in on row id; STORE_NOTFOUND when there is
 * no such row. */
enum store_rc dir_update(struct store *db, enum dir_kind k, int64_t id,
                         json_t *in, struct actor who, int64_t now);

/* The client with this domain (any case); STORE_NOTFOUND. */
enum store_rc client_id_by_domain(struct store *db, const char *domain,
                                  int64_t *id);
/* The client with exactly this domain and its contact with exactly this
 * email; STORE_NOTFOUND when either is missing. */
enum store_rc client_contact_ids(struct store *db, const char *domain,
                                 const char *email, int64_t *client_id,
                                 int64_t *contact_id);

#endif
