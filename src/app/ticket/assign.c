/*
 * assign.c - who gets a new ticket (see assign.h).
 */
#include "app/ticket/assign.h"

#define MAX_POOL 256

enum store_rc
assign_pick(struct store *db, int64_t client_id, int64_t *user_id,
            int *pinned)
{
	*user_id = 0;
	*pinned = 0;
	enum store_rc rc = STORE_OK;
	if (client_id > 0) {
		rc = store_get_int(db,
		                   "SELECT u.id FROM client_pins p JOIN users u ON "
		                   "u.id = p.user_id WHERE p.client_id = $1 AND "
		                   "u.role = 'consultant' AND u.active = 1 AND "
		                   "u.on_duty = 1",
		                   STORE_PARAMS(SP_I(client_id)), user_id);
		if (rc == STORE_OK) {
			*pinned = 1;
			return STORE_OK;
		}
		if (rc != STORE_NOTFOUND)
			return rc;
	}
	struct store_rows *r;
	rc = store_query(db,
	                 "SELECT u.id, (SELECT COUNT(*) FROM tickets t WHERE "
	                 "t.assignee_id = u.id AND t.state NOT IN ('closed', "
	                 "'renewal_required')) AS open_work FROM users u WHERE "
	                 "u.role = 'consultant' AND u.active = 1 AND u.on_duty = 1 "
	                 "ORDER BY open_work, u.id",
	                 STORE_NO_PARAMS, &r);
	if (rc != STORE_OK)
		return rc;
	int64_t tied[MAX_POOL];
	int n = 0;
	int64_t least = -1;
	while ((rc = store_next(r)) == STORE_ROW) {
		int64_t work = store_int(r, 1);
		if (least < 0)
			least = work;
		if (work != least || n == MAX_POOL)
			break;
		tied[n++] = store_int(r, 0);
	}
	store_done(r);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return rc;
	if (n == 0)
		return STORE_OK;
	int64_t last = 0;
	rc = store_get_int(db, "SELECT value FROM counters WHERE name = 'assign_rr'",
	                   STORE_NO_PARAMS, &last);
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		return rc;
	*user_id = tied[0];
	for (int i = 0; i < n; i++)
		if (tied[i] > last) {
			*user_id = tied[i];
			break;
		}
	return store_exec(db,
	                  "UPDATE counters SET value = $1 WHERE name = 'assign_rr'",
	                  STORE_PARAMS(SP_I(*user_id)));
}
