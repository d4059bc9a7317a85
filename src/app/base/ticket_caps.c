/*
 * ticket_caps.c - per-ticket limits (see ticket_caps.h).
 */
#include "app/base/ticket_caps.h"

static const struct {
	const char *sql, *what, *key;
} caps[] = {
	[CAP_SECRETS] = {"SELECT COUNT(*) FROM secrets WHERE (ticket_id = $1 AND "
	                 "$1 > 0) OR (product_id = $2 AND $1 = 0)",
	                 "credentials", "max_secrets_per_ticket"},
	[CAP_FILES] = {"SELECT (SELECT COUNT(*) FROM attachments a JOIN messages m "
	               "ON m.id = a.message_id WHERE m.ticket_id = $1) + "
	               "(SELECT COUNT(*) FROM uploads u WHERE u.ticket_id = $1)",
	               "files", "max_attachments_per_ticket"},
	[CAP_NOTES] = {"SELECT COUNT(*) FROM messages WHERE ticket_id = $1 "
	               "AND kind = 'note'",
	               "internal notes", "max_notes_per_ticket"},
};

enum store_rc
ticket_cap_check(struct store *db, enum ticket_cap cap, int64_t ticket_id,
                 int64_t product_id, int limit, int *full)
{
	int64_t n = 0;
	*full = 0;
	if (limit <= 0)
		return STORE_OK;
	enum store_rc rc =
	    cap == CAP_SECRETS
	        ? store_get_int(db, caps[cap].sql,
	                        STORE_PARAMS(SP_I(ticket_id), SP_I(product_id)), &n)
	        : store_get_int(db, caps[cap].sql, STORE_PARAMS(SP_I(ticket_id)),
	                        &n);
	if (rc != STORE_OK || n < limit)
		return rc;
	*full = 1;
	return store_fail(db, STORE_CONSTRAINT,
	                  "this %s holds %lld %s already, the most the policy "
	                  "allows ([limits] %s = %d)",
	                  ticket_id > 0 ? "ticket" : "product", (long long)n,
	                  caps[cap].what, caps[cap].key, limit);
}
