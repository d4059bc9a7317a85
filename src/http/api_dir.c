/*
 * api_dir.c - clients, contacts, products, contracts, purchase orders,
 * user accounts and API tokens.
 *
 * Lists are keyset-paginated by id: next_cursor is the last id of the
 * page. A client account lists and reads only its own organization's
 * rows; another organization's id answers 404 like an unknown one.
 *
 * A contract, product or purchase order stored (created or edited) may
 * entitle the client's tickets waiting for renewal: they are decided
 * again (R3, app/billing/ticket_entitle.h) before the answer.
 *
 * SECURITY: bodies arrive validated against the route's fields (router.c);
 * query values are parsed here; everything is bound by the app layer.
 */
#include "app/access/accounts.h"
#include "app/billing/directory.h"
#include "app/billing/ticket_entitle.h"
#include "app/access/sessions.h"
#include "http/api.h"
#include "http/api_handlers.h"
#include "util/log.h"

#include <stdio.h>
#include <string.h>

static enum authz_action
read_action(enum dir_kind k)
{
	return k == DIR_CONTRACT || k == DIR_PURCHASE_ORDER ? AZ_CONTRACT_READ
	                                                     : AZ_DIRECTORY_READ;
}

static enum authz_action
write_action(enum dir_kind k)
{
	return k == DIR_CONTRACT || k == DIR_PURCHASE_ORDER ? AZ_CONTRACT_WRITE
	                                                     : AZ_DIRECTORY_WRITE;
}

static void
dir_list_h(struct api_req *q, struct api_resp *r, enum dir_kind k)
{
	int64_t after, client = 0;
	int limit;
	json_t *items;
	if (!api_page_args(q, r, &after, &limit))
		return;
	if (k != DIR_CLIENT &&
	    api_query_int(q, r, "client_id", 1, INT64_MAX, 0, &client) < 0)
		return;
	int64_t scope = authz_client_scope(&q->who);
	if (scope != 0) {
		if (scope < 0 || (client && client != scope)) {
			api_page(r, json_array(), NULL);   /* nothing of theirs there */
			return;
		}
		client = scope;
	}
	enum store_rc rc = dir_list(q->desk->db, k, client, after, limit, &items);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_page_by_id(r, items, limit);
}

static void
dir_get_h(struct api_req *q, struct api_resp *r, enum dir_kind k)
{
	json_t *o;
	int64_t owner = 0;
	enum store_rc rc = dir_get(q->desk->db, k, q->id, &o, &owner);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	if (!api_allow(q, r, read_action(k), owner, 0)) {
		json_decref(o);
		return;
	}
	api_json(r, 200, o);
}

/* R3: what k of client owner stored may end its tickets' renewal. A
 * failure is logged: the row is stored, and `soporte ticket recheck` (or
 * the next change) decides again. */
static void
renewals_again(struct api_req *q, enum dir_kind k, int64_t owner)
{
	if ((k != DIR_CONTRACT && k != DIR_PRODUCT && k != DIR_PURCHASE_ORDER) ||
	    owner <= 0 || q->env == NULL || q->env->pol == NULL ||
	    q->env->cal == NULL)
		return;
	struct tcmd_env env = {q->desk->db, q->env->pol, q->env->cal, q->now};
	struct tcmd_who sys = TCMD_WHO_SYSTEM;
	if (ticket_recheck_client(&env, owner, &sys, NULL) != TCMD_OK)
		log_warn("api: client %lld's tickets waiting for renewal not "
		         "decided again: %s", (long long)owner, desk_errmsg(q->desk));
}

static void
created(struct api_req *q, struct api_resp *r, enum dir_kind k, int64_t id,
        const char *base)
{
	json_t *o;
	int64_t owner;
	enum store_rc rc = dir_get(q->desk->db, k, id, &o, &owner);
	if (rc == STORE_OK)
		renewals_again(q, k, owner);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	snprintf(r->location, sizeof r->location, "%s/%lld", base, (long long)id);
	api_json(r, 201, o);
}

static void
dir_create_h(struct api_req *q, struct api_resp *r, enum dir_kind k,
             const char *base)
{
	int64_t id;
	enum store_rc rc = dir_create(q->desk->db, k, q->body, api_actor(q), q->now, &id);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	created(q, r, k, id, base);
}

static void
dir_update_h(struct api_req *q, struct api_resp *r, enum dir_kind k)
{
	json_t *o;
	int64_t owner = 0;
	enum store_rc rc = dir_get(q->desk->db, k, q->id, &o, &owner);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	json_decref(o);
	if (!api_allow(q, r, write_action(k), owner, 0))
		return;
	rc = dir_update(q->desk->db, k, q->id, q->body, api_actor(q), q->now);
	if (rc == STORE_OK)
		renewals_again(q, k, owner);
	if (rc == STORE_OK)
		rc = dir_get(q->desk->db, k, q->id, &o, &owner);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_json(r, 200, o);
}

#define DIR_HANDLERS(prefix, kind, base)                                     \
	void h_##prefix##_list(struct api_req *q, struct api_resp *r)           \
	{                                                                       \
		dir_list_h(q, r, kind);                                             \
	}                                                                       \
	void h_##prefix##_create(struct api_req *q, struct api_resp *r)         \
	{                                                                       \
		dir_create_h(q, r, kind, base);                                     \
	}                                                                       \
	void h_##prefix##_get(struct api_req *q, struct api_resp *r)            \
	{                                                                       \
		dir_get_h(q, r, kind);                                              \
	}

DIR_HANDLERS(clients, DIR_CLIENT, "/api/clients")
DIR_HANDLERS(contacts, DIR_CONTACT, "/api/contacts")
DIR_HANDLERS(products, DIR_PRODUCT, "/api/products")
DIR_HANDLERS(contracts, DIR_CONTRACT, "/api/contracts")
DIR_HANDLERS(pos, DIR_PURCHASE_ORDER, "/api/purchase-orders")

void
h_clients_update(struct api_req *q, struct api_resp *r)
{
	dir_update_h(q, r, DIR_CLIENT);
}
void
h_contacts_update(struct api_req *q, struct api_resp *r)
{
	dir_update_h(q, r, DIR_CONTACT);
}
void
h_products_update(struct api_req *q, struct api_resp *r)
{
	dir_update_h(q, r, DIR_PRODUCT);
}
void
h_contracts_update(struct api_req *q, struct api_resp *r)
{
	dir_update_h(q, r, DIR_CONTRACT);
}
void
h_pos_update(struct api_req *q, struct api_resp *r)
{
	dir_update_h(q, r, DIR_PURCHASE_ORDER);
}

/* ---- accounts ---- */

void
h_users_list(struct api_req *q, struct api_resp *r)
{
	int64_t after;
	int limit;
	json_t *items;
	if (!api_page_args(q, r, &after, &limit))
		return;
	enum store_rc rc = account_list_json(q->desk->db, after, limit, &items);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_page_by_id(r, items, limit);
}

void
h_users_get(struct api_req *q, struct api_resp *r)
{
	json_t *o;
	enum store_rc rc = account_get_json(q->desk->db, q->id, &o);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_json(r, 200, o);
}

/* A refused account change: its stable code (accounts.h), else as the
 * store says. */
static void
account_fail(struct api_req *q, struct api_resp *r, enum store_rc rc,
             const char *refusal)
{
	if (rc == STORE_CONSTRAINT && refusal)
		api_error(r, strcmp(refusal, ACCOUNT_WEAK_PASSWORD) == 0 ? 400 : 409,
		          refusal, "%s", desk_errmsg(q->desk));
	else
		api_fail(q, r, rc);
}

void
h_users_create(struct api_req *q, struct api_resp *r)
{
	json_t *b = q->body;
	struct user_new u = {
		.email = json_string_value(json_object_get(b, "email")),
		.name = json_string_value(json_object_get(b, "name")),
		.role = (enum user_role)role_parse(
		    json_string_value(json_object_get(b, "role"))),
		.client_id = json_integer_value(json_object_get(b, "client_id")),
		.contact_id = json_integer_value(json_object_get(b, "contact_id")),
		.password = json_string_value(json_object_get(b, "password")),
	};
	int64_t id;
	json_t *o;
	const char *refusal;
	enum store_rc rc = account_create(q->desk->db, &u, api_actor(q), q->now, &id,
	                                  &refusal);
	if (rc == STORE_OK)
		rc = account_get_json(q->desk->db, id, &o);
	if (rc != STORE_OK) {
		account_fail(q, r, rc, refusal);
		return;
	}
	snprintf(r->location, sizeof r->location, "/api/users/%lld", (long long)id);
	api_json(r, 201, o);
}

void
h_users_update(struct api_req *q, struct api_resp *r)
{
	json_t *o;
	const char *refusal;
	enum store_rc rc = account_update(q->desk->db, q->id, q->body, api_actor(q),
	                                  q->now, &refusal);
	if (rc == STORE_OK)
		rc = account_get_json(q->desk->db, q->id, &o);
	if (rc != STORE_OK) {
		account_fail(q, r, rc, refusal);
		return;
	}
	api_json(r, 200, o);
}

void
h_tokens_list(struct api_req *q, struct api_resp *r)
{
	json_t *o, *items;
	int64_t after;
	int limit;
	if (!api_page_args(q, r, &after, &limit))
		return;
	enum store_rc rc = account_get_json(q->desk->db, q->id, &o);
	if (rc == STORE_OK) {
		json_decref(o);
		rc = apitoken_list_json(q->desk->db, q->id, after, limit, &items);
	}
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_page_by_id(r, items, limit);
}

void
h_tokens_create(struct api_req *q, struct api_resp *r)
{
	unsigned scopes;
	char token[AUTH_TOKEN_LEN];
	int64_t id;
	const char *s = json_string_value(json_object_get(q->body, "scopes"));
	if (authz_scopes_parse(s, &scopes) != 0) {
		api_error(r, 400, "invalid_value",
		          "scopes: a comma-separated list of read, write, admin, metrics");
		return;
	}
	if (!authz_scopes_grantable(&q->who, scopes)) {
		api_error(r, 403, "scope_exceeded",
		          "a token can only create tokens within its own scopes");
		return;
	}
	enum store_rc rc = apitoken_create(
	    q->desk->db, q->id, json_string_value(json_object_get(q->body, "name")),
	    scopes, q->now, api_actor(q), token, &id);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	char sc[32];
	authz_scopes_format(scopes, sc, sizeof sc);
	api_json(r, 201,
	         json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id, "token", token,
	                   "scopes", sc, "note", "shown once: store it now"));
	memset(token, 0, sizeof token);
}

void
h_tokens_revoke(struct api_req *q, struct api_resp *r)
{
	enum store_rc rc = apitoken_revoke(q->desk->db, q->id, 0, q->now, api_actor(q));
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_json(r, 204, NULL);
}
