/*
 * renewal_notice.c - a ticket that opens in renewal_required is told to the
 * renewals team (R3): one mail to the policy's renewals address and one to
 * each active renewals account (an address once), naming the client, the
 * product, the entitlement reason the ticket stores and its console path.
 * Queued straight (outbound_queue), not as a staff notice: one per ticket,
 * never held in a window nor folded into a digest.
 */
#include "app/ticket/tcmd_internal.h"
#include "core/entitle.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#define NOTICE_MAX_TO 64

struct to_list {
	char addr[NOTICE_MAX_TO][256];
	int n;
};

static void
add_to(struct to_list *l, const char *addr)
{
	if (!addr || !addr[0] || l->n == NOTICE_MAX_TO)
		return;
	for (int i = 0; i < l->n; i++)
		if (strcasecmp(l->addr[i], addr) == 0)
			return;
	copy(l->addr[l->n++], sizeof l->addr[0], addr);
}

/* The addresses behind WF_TO_RENEWALS. */
static enum store_rc
renewals_team(const struct tcmd_env *env, struct to_list *l)
{
	add_to(l, env->pol->renewals_address);
	struct store_rows *r;
	enum store_rc rc = store_query(
	    env->db,
	    "SELECT email FROM users WHERE role = $1 AND active = 1 ORDER BY id",
	    STORE_PARAMS(SP_T(wf_role_name(WF_ROLE_RENEWALS))), &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW)
		add_to(l, store_text(r, 0));
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc
tcmd_opening_notices(const struct tcmd_env *env, const struct ticket_row *t)
{
	enum wf_recipient who[1];
	int n = wf_opening_notices(t->state, who);
	if (n == 0)
		return STORE_OK;
	char product[200] = "", reason[64] = "";
	struct store_rows *r;
	enum store_rc rc = store_query_row(
	    env->db,
	    "SELECT p.name, t.entitlement_reason FROM tickets t LEFT JOIN "
	    "products p ON p.id = t.product_id WHERE t.id = $1",
	    STORE_PARAMS(SP_I(t->id)), &r);
	if (rc != STORE_OK)
		return rc;
	copy(product, sizeof product, store_text(r, 0));
	copy(reason, sizeof reason, store_text(r, 1));
	store_done(r);
	struct to_list to = {.n = 0};
	for (int i = 0; i < n && rc == STORE_OK; i++)
		if (who[i] == WF_TO_RENEWALS)
			rc = renewals_team(env, &to);
	struct flow_mail_facts f;
	struct wf_decision none = {.state = t->state};
	struct tcmd_request r0 = {0};
	tcmd_mail_facts(env, t, &r0, &none, t->severity, &f);
	f.product_name = product;
	f.reason = reason[0] ? entitle_reason_label_es(reason) : "";
	for (int i = 0; i < to.n && rc == STORE_OK; i++)
		rc = flow_mail_queue(env->db, &f, "renewal_notice", "es", t->id,
		                     to.addr[i], env->now, NULL);
	return rc;
}
