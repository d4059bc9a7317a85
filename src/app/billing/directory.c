/*
 * directory.c - table-driven reference data (see directory.h).
 *
 * SECURITY: JSON values are untrusted and only ever bound; the SQL text
 * is built from the static tables below, never from request keys.
 */
#include "app/billing/directory.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <string.h>

enum col_type { COL_TEXT, COL_INT, COL_BOOL, COL_TIME };
enum {
	ON_CREATE = 1,   /* a create may set it */
	ON_UPDATE = 2,   /* an update may set it */
	LOWER = 4,       /* stored lowercase (a domain) */
	ADDRESS = 8,     /* an e-mail address: its domain stored lowercase */
};

struct col {
	const char *name;
	enum col_type type;
	unsigned flags;
};

#define MAX_COLS 12

struct kind {
	const char *name;      /* audit prefix, "client" */
	const char *table;
	const char *owner;     /* column naming the owning client */
	struct col cols[MAX_COLS];
};

static const struct kind kinds[DIR_KIND_COUNT] = {
	[DIR_CLIENT] = {"client", "clients", "id", {
		{"name", COL_TEXT, ON_CREATE | ON_UPDATE},
		{"domain", COL_TEXT, ON_CREATE | ON_UPDATE | LOWER},
		{"monthly_service", COL_BOOL, ON_CREATE | ON_UPDATE},
		{"language", COL_TEXT, ON_CREATE | ON_UPDATE},
		{"active", COL_BOOL, ON_UPDATE},
		{"created_at", COL_TIME, 0},
	}},
	[DIR_CONTACT] = {"contact", "contacts", "client_id", {
		{"client_id", COL_INT, ON_CREATE},
		{"name", COL_TEXT, ON_CREATE | ON_UPDATE},
		{"email", COL_TEXT, ON_CREATE | ON_UPDATE | ADDRESS},
		{"phone", COL_TEXT, ON_CREATE | ON_UPDATE},
		{"billing", COL_BOOL, ON_CREATE | ON_UPDATE},
		{"active", COL_BOOL, ON_UPDATE},
		{"email_failing_since", COL_TIME, 0},
		{"created_at", COL_TIME, 0},
	}},
	[DIR_PRODUCT] = {"product", "products", "client_id", {
		{"client_id", COL_INT, ON_CREATE},
		{"type", COL_TEXT, ON_CREATE | ON_UPDATE},
		{"name", COL_TEXT, ON_CREATE | ON_UPDATE},
		{"delivered_on", COL_TEXT, ON_CREATE | ON_UPDATE},
		{"warranty_months", COL_INT, ON_CREATE | ON_UPDATE},
		{"post_production_until", COL_TEXT, ON_CREATE | ON_UPDATE},
		{"active", COL_BOOL, ON_UPDATE},
		{"created_at", COL_TIME, 0},
	}},
	[DIR_CONTRACT] = {"contract", "contracts", "client_id", {
		{"client_id", COL_INT, ON_CREATE},
		{"plan", COL_TEXT, ON_CREATE},
		{"valid_from", COL_TEXT, ON_CREATE | ON_UPDATE},
		{"valid_to", COL_TEXT, ON_CREATE | ON_UPDATE},
		{"hourly_rate_cents", COL_INT, ON_CREATE | ON_UPDATE},
		{"ended_on", COL_TEXT, ON_UPDATE},
		{"created_at", COL_TIME, 0},
	}},
	[DIR_PURCHASE_ORDER] = {"purchase_order", "purchase_orders", "client_id", {
		{"client_id", COL_INT, ON_CREATE},
		{"number", COL_TEXT, ON_CREATE},
		{"issued_on", COL_TEXT, ON_CREATE},
		{"hours_s", COL_INT, ON_CREATE},
		{"note", COL_TEXT, ON_CREATE | ON_UPDATE},
		{"active", COL_BOOL, ON_UPDATE},
		{"created_at", COL_TIME, 0},
	}},
};

const char *
dir_kind_name(enum dir_kind k)
{
	return k < DIR_KIND_COUNT ? kinds[k].name : "unknown";
}

static int
ncols(const struct kind *kd)
{
	int n = 0;
	while (n < MAX_COLS && kd->cols[n].name)
		n++;
	return n;
}

/* "id, c1, c2, ..., owner" */
static void
select_list(const struct kind *kd, struct buf *b)
{
	buf_puts(b, "id");
	for (int i = 0; i < ncols(kd); i++)
		buf_printf(b, ", %s", kd->cols[i].name);
	buf_printf(b, ", %s", kd->owner);
}

static json_t *
row_json(const struct kind *kd, struct store_rows *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(store_int(r, 0)));
	for (int i = 0; i < ncols(kd); i++) {
		const struct col *c = &kd->cols[i];
		int col = i + 1;
		json_t *v;
		if (store_isnull(r, col)) {
			v = json_null();
		} else if (c->type == COL_INT) {
			v = json_integer(store_int(r, col));
		} else if (c->type == COL_BOOL) {
			v = json_boolean(store_int(r, col));
		} else if (c->type == COL_TIME) {
			char iso[ISO_UTC_LEN];
			iso_utc_format(store_int(r, col), iso);
			v = json_string(iso);
		} else {
			v = json_string(store_text(r, col));
		}
		json_object_set_new(o, c->name, v);
	}
	return o;
}

static enum store_rc
contract_products_json(struct store *db, int64_t id, json_t *o)
{
	struct store_rows *r;
	enum store_rc rc = store_query(db,
	                               "SELECT product_id FROM contract_products "
	                               "WHERE contract_id = $1 ORDER BY product_id",
	                               STORE_PARAMS(SP_I(id)), &r);
	if (rc != STORE_OK)
		return rc;
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW)
		json_array_append_new(arr, json_integer(store_int(r, 0)));
	store_done(r);
	json_object_set_new(o, "product_ids", arr);
	return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc
dir_get(struct store *db, enum dir_kind k, int64_t id, json_t **out,
        int64_t *owner_client_id)
{
	const struct kind *kd = &kinds[k];
	struct buf sql = BUF_INIT(4096);
	struct store_rows *r = NULL;
	*out = NULL;
	buf_puts(&sql, "SELECT ");
	select_list(kd, &sql);
	buf_printf(&sql, " FROM %s WHERE id = $1", kd->table);
	enum store_rc rc =
	    store_query_row(db, buf_str(&sql), STORE_PARAMS(SP_I(id)), &r);
	if (rc != STORE_OK)
		goto out;
	*out = row_json(kd, r);
	*owner_client_id = store_int(r, ncols(kd) + 1);
	store_done(r);
	if (rc == STORE_OK && k == DIR_CONTRACT)
		rc = contract_products_json(db, id, *out);
out:
	if (rc != STORE_OK) {
		json_decref(*out);
		*out = NULL;
	}
	buf_free(&sql);
	return rc;
}

enum store_rc
dir_list(struct store *db, enum dir_kind k, int64_t client_id,
         int64_t after_id, int limit, json_t **out)
{
	const struct kind *kd = &kinds[k];
	struct buf sql = BUF_INIT(4096);
	struct store_rows *r;
	*out = NULL;
	buf_puts(&sql, "SELECT ");
	select_list(kd, &sql);
	buf_printf(&sql,
	           " FROM %s WHERE ($1 = 0 OR %s = $1) AND id > $2 "
	           "ORDER BY id LIMIT $3",
	           kd->table, kd->owner);
	enum store_rc rc = store_query(
	    db, buf_str(&sql),
	    STORE_PARAMS(SP_I(client_id), SP_I(after_id), SP_I(limit)), &r);
	buf_free(&sql);
	if (rc != STORE_OK)
		return rc;
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW)
		json_array_append_new(arr, row_json(kd, r));
	store_done(r);
	if (rc == STORE_DONE && k == DIR_CONTRACT) {
		rc = STORE_OK;
		size_t i;
		json_t *o;
		json_array_foreach(arr, i, o) {
			if (rc == STORE_OK)
				rc = contract_products_json(
				    db, json_integer_value(json_object_get(o, "id")), o);
		}
		rc = rc == STORE_OK ? STORE_DONE : rc;
	}
	if (rc != STORE_DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return STORE_OK;
}

/* Binds the JSON value of column c into *p; text lowercased into tmp
 * when the column says so. */
static void
bind_value(const struct col *c, json_t *v, struct store_param *p, char *tmp,
           size_t tmplen)
{
	if (v == NULL || json_is_null(v)) {
		*p = SP_NULL;
	} else if (c->type == COL_INT) {
		*p = SP_I(json_integer_value(v));
	} else if (c->type == COL_BOOL) {
		*p = SP_I(json_is_true(v) ? 1 : 0);
	} else if (c->flags & (LOWER | ADDRESS)) {
		snprintf(tmp, tmplen, "%s", json_string_value(v));
		if (c->flags & LOWER)
			ascii_lower(tmp);
		else
			email_fold_domain(tmp);
		*p = SP_T(tmp);
	} else {
		*p = SP_T(json_string_value(v));
	}
}

/* Checks that the products of a contract exist and belong to client_id,
 * then links them. */
static enum store_rc
contract_link(struct store *db, int64_t contract_id, int64_t client_id,
              json_t *ids)
{
	size_t i;
	json_t *v;
	enum store_rc rc = STORE_OK;
	if (!json_is_array(ids))
		return STORE_OK;
	rc = store_exec(db, "DELETE FROM contract_products WHERE contract_id = $1",
	                STORE_PARAMS(SP_I(contract_id)));
	json_array_foreach(ids, i, v) {
		if (rc != STORE_OK)
			break;
		int64_t pid = json_integer_value(v), n = 0;
		rc = store_get_int(db,
		                   "SELECT COUNT(*) FROM products WHERE id = $1 AND "
		                   "client_id = $2",
		                   STORE_PARAMS(SP_I(pid), SP_I(client_id)), &n);
		if (rc == STORE_OK && n == 0)
			rc = store_fail(db, STORE_CONSTRAINT,
			                "product %lld is not a product of client %lld",
			                (long long)pid, (long long)client_id);
		if (rc == STORE_OK)
			rc = store_exec(db,
			                "INSERT INTO contract_products (contract_id, "
			                "product_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
			                STORE_PARAMS(SP_I(contract_id), SP_I(pid)));
	}
	return rc;
}

static enum store_rc
client_exists(struct store *db, int64_t client_id)
{
	int64_t n = 0;
	enum store_rc rc = store_get_int(db,
	                                 "SELECT COUNT(*) FROM clients WHERE id = $1",
	                                 STORE_PARAMS(SP_I(client_id)), &n);
	if (rc == STORE_OK && n == 0)
		rc = store_fail(db, STORE_CONSTRAINT, "client %lld does not exist",
		                (long long)client_id);
	return rc;
}

enum store_rc
dir_create(struct store *db, enum dir_kind k, json_t *in, struct actor who,
           int64_t now, int64_t *id)
{
	const struct kind *kd = &kinds[k];
	struct store_param p[MAX_COLS + 1];
	char tmp[MAX_COLS][256];
	struct buf sql = BUF_INIT(4096), vals = BUF_INIT(1024);
	int np = 0;
	int64_t client_id = 0;

	buf_printf(&sql, "INSERT INTO %s (", kd->table);
	for (int i = 0; i < ncols(kd); i++) {
		const struct col *c = &kd->cols[i];
		if (!(c->flags & ON_CREATE) || json_object_get(in, c->name) == NULL)
			continue;
		bind_value(c, json_object_get(in, c->name), &p[np], tmp[np],
		           sizeof tmp[np]);
		if (strcmp(c->name, "client_id") == 0)
			client_id = p[np].i;
		np++;
		buf_printf(&sql, "%s, ", c->name);
		buf_printf(&vals, "$%d, ", np);
	}
	p[np++] = SP_I(now);
	buf_printf(&sql, "created_at) VALUES (%s$%d) RETURNING id", buf_str(&vals),
	           np);

	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		goto out;
	if (k != DIR_CLIENT)
		rc = client_exists(db, client_id);
	if (rc == STORE_OK)
		rc = store_get_int(db, buf_str(&sql), p, np, id);
	if (rc == STORE_OK && k == DIR_CONTRACT)
		rc = contract_link(db, *id, client_id, json_object_get(in, "product_ids"));
	if (rc == STORE_OK) {
		char action[64];
		snprintf(action, sizeof action, "%s.create", kd->name);
		rc = audit_record(db, who, 0, action,
		                  json_pack("{s:I}", "id", (json_int_t)*id), now);
	}
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
out:
	buf_free(&sql);
	buf_free(&vals);
	return rc;
}

/* The values of row's keys that the edit in names (the history an
 * update's audit event keeps: before and after). */
static json_t *
changed(json_t *row, json_t *in)
{
	json_t *o = json_object();
	const char *k;
	json_t *v;
	json_object_foreach(in, k, v) {
		json_t *was = json_object_get(row, k);
		if (was)
			json_object_set(o, k, was);
	}
	return o;
}

enum store_rc
dir_update(struct store *db, enum dir_kind k, int64_t id, json_t *in,
           struct actor who, int64_t now)
{
	const struct kind *kd = &kinds[k];
	struct store_param p[MAX_COLS + 1];
	char tmp[MAX_COLS][256];
	struct buf sql = BUF_INIT(4096);
	int np = 0;
	json_t *fields = json_array();

	buf_printf(&sql, "UPDATE %s SET ", kd->table);
	for (int i = 0; i < ncols(kd); i++) {
		const struct col *c = &kd->cols[i];
		if (!(c->flags & ON_UPDATE) || json_object_get(in, c->name) == NULL)
			continue;
		bind_value(c, json_object_get(in, c->name), &p[np], tmp[np],
		           sizeof tmp[np]);
		np++;
		buf_printf(&sql, "%s%s = $%d", np > 1 ? ", " : "", c->name, np);
		json_array_append_new(fields, json_string(c->name));
	}
	p[np++] = SP_I(id);
	buf_printf(&sql, " WHERE id = $%d", np);

	int64_t n = 0, owner = 0;
	json_t *before = NULL, *after = NULL;
	char q[160];
	snprintf(q, sizeof q, "SELECT %s FROM %s WHERE id = $1", kd->owner,
	         kd->table);
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		goto out;
	rc = store_get_int(db, q, STORE_PARAMS(SP_I(id)), &owner);
	n = rc == STORE_OK;
	if (rc == STORE_NOTFOUND)
		rc = store_fail(db, STORE_NOTFOUND, "no such %s", kd->name);
	if (rc == STORE_OK)
		rc = dir_get(db, k, id, &before, &owner);
	if (rc == STORE_OK && np > 1)
		rc = store_exec(db, buf_str(&sql), p, np);
	if (rc == STORE_OK && n && k == DIR_CONTRACT)
		rc = contract_link(db, id, owner, json_object_get(in, "product_ids"));
	if (rc == STORE_OK)
		rc = dir_get(db, k, id, &after, &owner);
	if (rc == STORE_OK) {
		char action[64];
		snprintf(action, sizeof action, "%s.update", kd->name);
		rc = audit_record(db, who, 0, action,
		                  json_pack("{s:I,s:O,s:o,s:o}", "id", (json_int_t)id,
		                            "fields", fields, "before",
		                            changed(before, in), "after",
		                            changed(after, in)),
		                  now);
	}
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
out:
	json_decref(before);
	json_decref(after);
	json_decref(fields);
	buf_free(&sql);
	return rc;
}

enum store_rc
client_id_by_domain(struct store *db, const char *domain, int64_t *id)
{
	char d[254];
	snprintf(d, sizeof d, "%s", domain);
	ascii_lower(d);
	return store_get_int(db, "SELECT id FROM clients WHERE domain = $1",
	                     STORE_PARAMS(SP_T(d)), id);
}

enum store_rc
client_contact_ids(struct store *db, const char *domain, const char *email,
                   int64_t *client_id, int64_t *contact_id)
{
	char addr[320];
	snprintf(addr, sizeof addr, "%s", email);
	email = email_fold_domain(addr);
	enum store_rc rc = store_get_int(
	    db, "SELECT id FROM clients WHERE domain = $1",
	    STORE_PARAMS(SP_T(domain)), client_id);
	if (rc == STORE_OK)
		rc = store_get_int(db,
		                   "SELECT id FROM contacts WHERE email = $1 AND "
		                   "client_id = $2",
		                   STORE_PARAMS(SP_T(email), SP_I(*client_id)),
		                   contact_id);
	return rc;
}
