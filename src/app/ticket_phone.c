/*
 * ticket_phone.c - staff-opened tickets (see ticket_phone.h).
 *
 * SECURITY: ids and text from the request are bound only.
 */
#include "app/ticket_phone.h"

enum store_rc
ticket_open_for_client(struct store *db, const struct policy *pol,
                       const struct calendar *cal,
                       const struct ticket_request *req, int64_t now,
                       int64_t *ticket_id, int64_t *number)
{
	int64_t n = 0;
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	rc = store_get_int(db, "SELECT COUNT(*) FROM clients WHERE id = $1",
	                   STORE_PARAMS(SP_I(req->client_id)), &n);
	if (rc == STORE_OK && n == 0)
		rc = store_fail(db, STORE_CONSTRAINT, "client_id: no such client");
	if (rc == STORE_OK && req->contact_id > 0) {
		rc = store_get_int(db,
		                   "SELECT COUNT(*) FROM contacts WHERE id = $1 AND "
		                   "client_id = $2",
		                   STORE_PARAMS(SP_I(req->contact_id),
		                                SP_I(req->client_id)),
		                   &n);
		if (rc == STORE_OK && n == 0)
			rc = store_fail(db, STORE_CONSTRAINT,
			                "contact_id: not a contact of this client");
	}
	if (rc == STORE_OK && req->product_id > 0) {
		rc = store_get_int(db,
		                   "SELECT COUNT(*) FROM products WHERE id = $1 AND "
		                   "client_id = $2",
		                   STORE_PARAMS(SP_I(req->product_id),
		                                SP_I(req->client_id)),
		                   &n);
		if (rc == STORE_OK && n == 0)
			rc = store_fail(db, STORE_CONSTRAINT,
			                "product_id: not a product of this client");
	}
	if (rc == STORE_OK)
		rc = ticket_open(db, pol, cal, req, now, ticket_id, number);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
	return rc;
}
