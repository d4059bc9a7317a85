/*
 * ticket_phone.c - staff-opened tickets (see ticket_phone.h).
 *
 * SECURITY: ids and text from the request are bound only.
 */
#include "app/ticket/ticket_phone.h"

enum store_rc
ticket_request_check(struct store *db, const struct ticket_request *req)
{
	int64_t n = 0;
	enum store_rc rc = store_get_int(db, "SELECT COUNT(*) FROM clients WHERE id = $1",
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
	return rc;
}
