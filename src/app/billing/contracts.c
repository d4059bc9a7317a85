/*
 * contracts.c - products, contracts and purchase orders (see contracts.h).
 */
#include "app/billing/contracts.h"
#include "app/billing/client_facts.h"
#include "app/billing/import.h"
#include "app/base/json_rows.h"
#include "core/entitle.h"
#include "util/text.h"
#include "util/timefmt.h"

#include <stdlib.h>
#include <string.h>

#define MAX_NAMES CONTRACT_MAX_PRODUCTS

enum app_rc
client_find(struct store *db, const char *domain, int64_t *id)
{
	char low[256];
	if (domain == NULL || *domain == '\0')
		return app_refuse(db, "which client? (--client DOMAIN)");
	snprintf(low, sizeof low, "%s", domain);
	ascii_lower(low);
	enum store_rc rc = store_get_int(
	    db, "SELECT id FROM clients WHERE domain = $1",
	    STORE_PARAMS(SP_T(low)), id);
	if (rc == STORE_NOTFOUND)
		return app_refuse(db, "no client has the domain '%.100s'", domain);
	return app_of_store(rc);
}

/* Checks a YYYY-MM-DD text; returns 0 with *day, or -1. */
static int
date_of(const char *s, int64_t *day)
{
	return s && iso_date_parse(s, day) == 0 ? 0 : -1;
}

/* Splits "A; B;C" into trimmed names in buf; returns how many, or -1
 * when there are too many. */
static int
split_names(char *buf, char *names[MAX_NAMES])
{
	int n = 0;
	char *save = NULL;
	for (char *s = strtok_r(buf, ";", &save); s; s = strtok_r(NULL, ";", &save)) {
		while (*s == ' ')
			s++;
		size_t len = strlen(s);
		while (len && s[len - 1] == ' ')
			s[--len] = '\0';
		if (*s == '\0')
			continue;
		if (n == MAX_NAMES)
			return -1;
		names[n++] = s;
	}
	return n;
}

/* Checks a contract request and resolves its products, before any write. */
static enum app_rc
contract_check(struct store *db, const struct policy *pol,
               const struct contract_new *c, int64_t client_id,
               int64_t ids[MAX_NAMES], int *nids)
{
	int64_t from, to;
	if (c->plan == NULL || policy_plan_find(pol, c->plan) == NULL)
		return app_refuse(db, "'%.40s' is not a plan of the policy "
		                  "(per_event, basic or enterprise)",
		                  c->plan ? c->plan : "");
	if (date_of(c->valid_from, &from) != 0)
		return app_refuse(db, "--from '%.40s' is not a date YYYY-MM-DD",
		                  c->valid_from ? c->valid_from : "");
	if (date_of(c->valid_to, &to) != 0)
		return app_refuse(db, "--to '%.40s' is not a date YYYY-MM-DD",
		                  c->valid_to ? c->valid_to : "");
	if (to < from)
		return app_refuse(db, "the contract ends (%s) before it starts (%s)",
		                  c->valid_to, c->valid_from);
	if (c->rate_cents < 0)
		return app_refuse(db, "the hourly rate cannot be negative");
	char buf[2048];
	char *names[MAX_NAMES];
	snprintf(buf, sizeof buf, "%s", c->products ? c->products : "");
	int n = split_names(buf, names);
	if (n < 0)
		return app_refuse(db, "a contract covers at most %d products",
		                  MAX_NAMES);
	if (n == 0)
		return app_refuse(db, "a contract names the products it covers "
		                  "(--products \"A;B\")");
	*nids = 0;
	for (int i = 0; i < n; i++) {
		int64_t pid = 0;
		enum store_rc rc = store_get_int(
		    db, "SELECT id FROM products WHERE client_id = $1 AND name = $2",
		    STORE_PARAMS(SP_I(client_id), SP_T(names[i])), &pid);
		if (rc == STORE_NOTFOUND)
			return app_refuse(db, "%s has no product named '%.80s' "
			                  "(soporte product add)",
			                  c->client, names[i]);
		if (rc != STORE_OK)
			return app_of_store(rc);
		int dup = 0;
		for (int k = 0; k < *nids; k++)
			dup |= ids[k] == pid;
		if (!dup)
			ids[(*nids)++] = pid;
	}
	/* A product is covered by one contract on any day; an ended contract
	 * counts up to its last day. */
	for (int i = 0; i < *nids; i++) {
		struct store_rows *r;
		enum store_rc rc = store_query_row(
		    db,
		    "SELECT k.id, k.plan, k.valid_from, "
		    "COALESCE(k.ended_on, k.valid_to), p.name FROM contracts k "
		    "JOIN contract_products cp ON cp.contract_id = k.id "
		    "JOIN products p ON p.id = cp.product_id "
		    "WHERE cp.product_id = $1 AND k.valid_from <= $3 "
		    "AND COALESCE(k.ended_on, k.valid_to) >= $2 "
		    "AND COALESCE(k.ended_on, k.valid_to) >= k.valid_from "
		    "ORDER BY k.id",
		    STORE_PARAMS(SP_I(ids[i]), SP_T(c->valid_from),
		                 SP_T(c->valid_to)),
		    &r);
		if (rc == STORE_NOTFOUND)
			continue;
		if (rc != STORE_OK)
			return app_of_store(rc);
		enum app_rc a = app_refuse(
		    db,
		    "overlaps contract %lld (%s, %s..%s), which already covers "
		    "'%.80s'; end it first (soporte contract end)",
		    (long long)store_int(r, 0), store_text(r, 1), store_text(r, 2),
		    store_text(r, 3), store_text(r, 4));
		store_done(r);
		return a;
	}
	return APP_OK;
}

enum app_rc
contract_add(struct store *db, const struct policy *pol,
             const struct contract_new *c, struct actor who, int64_t now,
             int64_t *id)
{
	int64_t client_id = 0, ids[MAX_NAMES];
	int nids = 0;
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	a = client_find(db, c->client, &client_id);
	if (a == APP_OK)
		a = contract_check(db, pol, c, client_id, ids, &nids);
	if (a != APP_OK)
		goto out;
	a = app_of_store(store_get_int(
	    db,
	    "INSERT INTO contracts (client_id, plan, valid_from, valid_to, "
	    "hourly_rate_cents, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
	    "RETURNING id",
	    STORE_PARAMS(SP_I(client_id), SP_T(c->plan), SP_T(c->valid_from),
	                 SP_T(c->valid_to), SP_I(c->rate_cents), SP_I(now)),
	    id));
	for (int i = 0; i < nids && a == APP_OK; i++)
		a = app_of_store(store_exec(
		    db,
		    "INSERT INTO contract_products (contract_id, product_id) "
		    "VALUES ($1, $2)",
		    STORE_PARAMS(SP_I(*id), SP_I(ids[i]))));
	if (a == APP_OK)
		a = app_of_store(audit_record(
		    db, who, 0, "contract.added",
		    json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:i}", "contract_id",
		              (json_int_t)*id, "client_id", (json_int_t)client_id,
		              "plan", c->plan, "valid_from", c->valid_from,
		              "valid_to", c->valid_to, "hourly_rate_cents",
		              (json_int_t)c->rate_cents, "products", nids),
		    now));
out:
	return app_finish(db, a);
}

enum app_rc
contract_end(struct store *db, int64_t id, const char *on, struct actor who,
             int64_t now)
{
	int64_t day;
	if (date_of(on, &day) != 0)
		return app_refuse(db, "--on '%.40s' is not a date YYYY-MM-DD",
		                  on ? on : "");
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	struct store_rows *r;
	char from[ISO_DATE_LEN] = "", to[ISO_DATE_LEN] = "", ended[ISO_DATE_LEN] = "";
	enum store_rc rc = store_query_row(
	    db, "SELECT valid_from, valid_to, ended_on FROM contracts WHERE id = $1",
	    STORE_PARAMS(SP_I(id)), &r);
	if (rc == STORE_NOTFOUND) {
		a = app_refuse(db, "there is no contract %lld", (long long)id);
		goto out;
	}
	if (rc != STORE_OK) {
		a = app_of_store(rc);
		goto out;
	}
	snprintf(from, sizeof from, "%s", store_text(r, 0));
	snprintf(to, sizeof to, "%s", store_text(r, 1));
	snprintf(ended, sizeof ended, "%s", store_text(r, 2));
	store_done(r);
	if (*ended) {
		a = app_refuse(db, "contract %lld already ended on %s", (long long)id,
		               ended);
		goto out;
	}
	if (strcmp(on, from) < 0 || strcmp(on, to) > 0) {
		a = app_refuse(db, "contract %lld runs %s..%s: it can end only on a "
		               "day of that range", (long long)id, from, to);
		goto out;
	}
	int64_t later = 0;
	rc = store_get_int(db,
	                   "SELECT COUNT(*) FROM time_entries WHERE contract_id = $1 "
	                   "AND work_date > $2 AND kind <> 'correction'",
	                   STORE_PARAMS(SP_I(id), SP_T(on)), &later);
	if (rc != STORE_OK) {
		a = app_of_store(rc);
		goto out;
	}
	if (later > 0) {
		a = app_refuse(db, "contract %lld has %lld time entr%s after %s; "
		               "correct them first", (long long)id, (long long)later,
		               later == 1 ? "y" : "ies", on);
		goto out;
	}
	a = app_of_store(store_exec(db,
	                            "UPDATE contracts SET ended_on = $2 WHERE id = $1",
	                            STORE_PARAMS(SP_I(id), SP_T(on))));
	if (a == APP_OK)
		a = app_of_store(audit_record(
		    db, who, 0, "contract.ended",
		    json_pack("{s:I, s:s}", "contract_id", (json_int_t)id, "ended_on",
		              on),
		    now));
out:
	return app_finish(db, a);
}

/* Resolves an optional client filter: *id 0 for all. */
static enum app_rc
client_filter(struct store *db, const char *client, int64_t *id)
{
	*id = 0;
	return client ? client_find(db, client, id) : APP_OK;
}

enum app_rc
contract_list_json(struct store *db, const char *client, json_t **out)
{
	static const char *const keys[] = {
		"#id", "client_domain", "plan", "valid_from", "valid_to", "ended_on",
		"last_day", "#hourly_rate_cents", "products",
	};
	int64_t cid;
	enum app_rc a = client_filter(db, client, &cid);
	if (a != APP_OK)
		return a;
	/* Product names are gathered per contract in C: GROUP_CONCAT and
	 * STRING_AGG are spelled differently. */
	a = app_of_store(json_rows(
	    db, NULL,
	    "SELECT k.id, c.domain, k.plan, k.valid_from, k.valid_to, k.ended_on, "
	    "COALESCE(k.ended_on, k.valid_to), k.hourly_rate_cents, '' "
	    "FROM contracts k JOIN clients c ON c.id = k.client_id "
	    "WHERE CAST($1 AS BIGINT) = 0 OR k.client_id = $1 "
	    "ORDER BY c.domain, k.valid_from, k.id",
	    STORE_PARAMS(SP_I(cid)), keys, 9, out));
	size_t i;
	json_t *k;
	json_array_foreach(a == APP_OK ? *out : NULL, i, k) {
		struct store_rows *r;
		enum store_rc rc = store_query(
		    db,
		    "SELECT p.name FROM contract_products cp JOIN products p "
		    "ON p.id = cp.product_id WHERE cp.contract_id = $1 ORDER BY p.name",
		    STORE_PARAMS(SP_I(json_integer_value(json_object_get(k, "id")))),
		    &r);
		if (rc != STORE_OK) {
			a = app_of_store(rc);
			break;
		}
		json_t *names = json_array();
		while ((rc = store_next(r)) == STORE_ROW)
			json_array_append_new(names, json_string(store_text(r, 0)));
		store_done(r);
		json_object_set_new(k, "products", names);
		if (rc != STORE_DONE) {
			a = app_of_store(rc);
			break;
		}
	}
	if (a != APP_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return a;
}

enum app_rc
product_add(struct store *db, const struct policy *pol,
            const struct product_new *p, struct actor who, int64_t now,
            int64_t *id)
{
	int64_t delivered, until, client_id = 0;
	if (p->type == NULL || policy_product_type_find(pol, p->type) == NULL)
		return app_refuse(db, "'%.40s' is not a product type of the policy "
		                  "(soporte policy show)", p->type ? p->type : "");
	if (p->name == NULL || !text_is_name(p->name, 200))
		return app_refuse(db, "the product name must be UTF-8 text without "
		                  "control characters, 1 to 200 bytes");
	if (date_of(p->delivered_on, &delivered) != 0)
		return app_refuse(db, "--delivered '%.40s' is not a date YYYY-MM-DD",
		                  p->delivered_on ? p->delivered_on : "");
	if (p->warranty_months < pol->warranty_min_months ||
	    p->warranty_months > pol->warranty_max_months)
		return app_refuse(db, "--warranty %d: the policy's warranty is %d to "
		                  "%d months", p->warranty_months,
		                  pol->warranty_min_months, pol->warranty_max_months);
	if (p->post_production_until) {
		if (date_of(p->post_production_until, &until) != 0)
			return app_refuse(db, "--post-production-until '%.40s' is not a "
			                  "date YYYY-MM-DD", p->post_production_until);
		if (until < delivered)
			return app_refuse(db, "post-production ends (%s) before the "
			                  "delivery (%s)", p->post_production_until,
			                  p->delivered_on);
	}
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	a = client_find(db, p->client, &client_id);
	if (a != APP_OK)
		goto out;
	int64_t other = 0;
	enum store_rc rc = store_get_int(
	    db, "SELECT id FROM products WHERE client_id = $1 AND name = $2",
	    STORE_PARAMS(SP_I(client_id), SP_T(p->name)), &other);
	if (rc == STORE_OK) {
		a = app_refuse(db, "%s already has a product named '%.80s'", p->client,
		               p->name);
		goto out;
	}
	if (rc != STORE_NOTFOUND) {
		a = app_of_store(rc);
		goto out;
	}
	a = app_of_store(store_get_int(
	    db,
	    "INSERT INTO products (client_id, type, name, delivered_on, "
	    "warranty_months, post_production_until, created_at) "
	    "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
	    STORE_PARAMS(SP_I(client_id), SP_T(p->type), SP_T(p->name),
	                 SP_T(p->delivered_on), SP_I(p->warranty_months),
	                 SP_T(p->post_production_until), SP_I(now)),
	    id));
	if (a == APP_OK)
		a = app_of_store(audit_record(
		    db, who, 0, "product.added",
		    json_pack("{s:I, s:I, s:s, s:s, s:s, s:i}", "product_id",
		              (json_int_t)*id, "client_id", (json_int_t)client_id,
		              "type", p->type, "name", p->name, "delivered_on",
		              p->delivered_on, "warranty_months", p->warranty_months),
		    now));
out:
	return app_finish(db, a);
}

enum app_rc
product_list_json(struct store *db, const struct policy *pol,
                  const char *client, json_t **out)
{
	static const char *const keys[] = {
		"#id", "client_domain", "type", "name", "delivered_on",
		"#warranty_months", "post_production_until",
	};
	int64_t cid;
	enum app_rc a = client_filter(db, client, &cid);
	if (a == APP_OK)
		a = app_of_store(json_rows(
		    db, NULL,
		    "SELECT p.id, c.domain, p.type, p.name, p.delivered_on, "
		    "p.warranty_months, p.post_production_until FROM products p "
		    "JOIN clients c ON c.id = p.client_id "
		    "WHERE CAST($1 AS BIGINT) = 0 OR p.client_id = $1 "
		    "ORDER BY c.domain, p.name",
		    STORE_PARAMS(SP_I(cid)), keys, 7, out));
	if (a != APP_OK)
		return a;
	size_t i;
	json_t *o;
	json_array_foreach(*out, i, o) {
		struct client_product prod = {0};
		snprintf(prod.type, sizeof prod.type, "%s",
		         json_string_value(json_object_get(o, "type")));
		prod.delivered_on = client_day_of(
		    json_string_value(json_object_get(o, "delivered_on")));
		prod.warranty_months =
		    (int)json_integer_value(json_object_get(o, "warranty_months"));
		int64_t last = entitle_warranty_last_day(pol, &prod);
		char d[ISO_DATE_LEN];
		iso_date_format(last, d);
		json_object_set_new(o, "warranty_last_day",
		                    last == CLIENT_NO_DAY ? json_null() : json_string(d));
	}
	return APP_OK;
}

enum app_rc
po_add(struct store *db, const struct po_new *po, struct actor who,
       int64_t now, int64_t *id)
{
	int64_t issued, client_id = 0;
	if (po->number == NULL || !text_is_name(po->number, POLICY_KEY_MAX - 1))
		return app_refuse(db, "the order number must be text of 1 to %d bytes",
		                  POLICY_KEY_MAX - 1);
	if (date_of(po->issued_on, &issued) != 0)
		return app_refuse(db, "--issued '%.40s' is not a date YYYY-MM-DD",
		                  po->issued_on ? po->issued_on : "");
	if (po->hours_s <= 0)
		return app_refuse(db, "a purchase order pays for some hours (--hours)");
	if (po->note && !text_is_name(po->note, 1000))
		return app_refuse(db, "the note must be UTF-8 text of 1000 bytes "
		                  "at most");
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	a = client_find(db, po->client, &client_id);
	if (a != APP_OK)
		goto out;
	int64_t other = 0;
	enum store_rc rc = store_get_int(
	    db, "SELECT id FROM purchase_orders WHERE client_id = $1 AND number = $2",
	    STORE_PARAMS(SP_I(client_id), SP_T(po->number)), &other);
	if (rc == STORE_OK) {
		a = app_refuse(db, "%s already has a purchase order %s", po->client,
		               po->number);
		goto out;
	}
	if (rc != STORE_NOTFOUND) {
		a = app_of_store(rc);
		goto out;
	}
	a = app_of_store(store_get_int(
	    db,
	    "INSERT INTO purchase_orders (client_id, number, issued_on, hours_s, "
	    "note, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
	    STORE_PARAMS(SP_I(client_id), SP_T(po->number), SP_T(po->issued_on),
	                 SP_I(po->hours_s), SP_T(po->note), SP_I(now)),
	    id));
	if (a == APP_OK)
		a = app_of_store(audit_record(
		    db, who, 0, "purchase_order.added",
		    json_pack("{s:I, s:I, s:s, s:I}", "purchase_order_id",
		              (json_int_t)*id, "client_id", (json_int_t)client_id,
		              "number", po->number, "hours_s",
		              (json_int_t)po->hours_s),
		    now));
out:
	return app_finish(db, a);
}

enum app_rc
po_list_json(struct store *db, const char *client, json_t **out)
{
	static const char *const keys[] = {
		"#id", "client_domain", "number", "issued_on", "#hours_s", "note",
		"#logged_s", "#tickets",
	};
	int64_t cid;
	enum app_rc a = client_filter(db, client, &cid);
	if (a != APP_OK)
		return a;
	return app_of_store(json_rows(
	    db, NULL,
	    "SELECT o.id, c.domain, o.number, o.issued_on, o.hours_s, o.note, "
	    "COALESCE((SELECT SUM(e.seconds) FROM time_entries e "
	    "WHERE e.purchase_order_id = o.id), 0), "
	    "(SELECT COUNT(DISTINCT e.ticket_id) FROM time_entries e "
	    "WHERE e.purchase_order_id = o.id) "
	    "FROM purchase_orders o JOIN clients c ON c.id = o.client_id "
	    "WHERE CAST($1 AS BIGINT) = 0 OR o.client_id = $1 ORDER BY c.domain, o.issued_on, o.id",
	    STORE_PARAMS(SP_I(cid)), keys, 8, out));
}
