/*
 * client_facts.c - a client's products and contracts for the core.
 */
#include "app/billing/client_facts.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <string.h>

int64_t
client_day_of(const char *text)
{
	int64_t d;
	return text && *text && iso_date_parse(text, &d) == 0 ? d : CLIENT_NO_DAY;
}

static enum store_rc
load_products(struct store *db, struct client_facts *f)
{
	struct store_rows *r;
	enum store_rc rc = store_query(
	    db,
	    "SELECT id, type, name, delivered_on, warranty_months, "
	    "post_production_until FROM products WHERE client_id = $1 ORDER BY id",
	    STORE_PARAMS(SP_I(f->id)), &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW) {
		if (f->nproducts == CLIENT_MAX_PRODUCTS) {
			store_done(r);
			return store_fail(db, STORE_ERROR,
			                  "client %lld has more than %d products",
			                  (long long)f->id, CLIENT_MAX_PRODUCTS);
		}
		struct client_product *p = &f->products[f->nproducts++];
		p->id = store_int(r, 0);
		snprintf(p->type, sizeof p->type, "%s", store_text(r, 1));
		snprintf(p->name, sizeof p->name, "%s", store_text(r, 2));
		p->delivered_on = client_day_of(store_text(r, 3));
		p->warranty_months = (int)store_int(r, 4);
		p->post_production_until = client_day_of(store_text(r, 5));
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

static enum store_rc
load_contracts(struct store *db, struct client_facts *f)
{
	struct store_rows *r;
	enum store_rc rc = store_query(
	    db,
	    "SELECT k.id, k.plan, k.valid_from, k.valid_to, k.ended_on, "
	    "k.hourly_rate_cents, cp.product_id FROM contracts k "
	    "LEFT JOIN contract_products cp ON cp.contract_id = k.id "
	    "WHERE k.client_id = $1 ORDER BY k.id, cp.product_id",
	    STORE_PARAMS(SP_I(f->id)), &r);
	if (rc != STORE_OK)
		return rc;
	struct client_contract *c = NULL;
	while ((rc = store_next(r)) == STORE_ROW) {
		int64_t id = store_int(r, 0);
		if (c == NULL || c->id != id) {
			int plan = plan_kind_parse(store_text(r, 1));
			if (f->ncontracts == CLIENT_MAX_CONTRACTS || plan < 0) {
				store_done(r);
				return store_fail(db, STORE_ERROR,
				                  "client %lld: too many contracts or "
				                  "an unknown plan",
				                  (long long)f->id);
			}
			c = &f->contracts[f->ncontracts++];
			memset(c, 0, sizeof *c);
			c->id = id;
			c->plan = (enum plan_kind)plan;
			c->valid_from = client_day_of(store_text(r, 2));
			c->valid_to = client_day_of(store_text(r, 3));
			c->ended_on = client_day_of(store_text(r, 4));
			c->hourly_rate_cents = store_int(r, 5);
		}
		if (!store_isnull(r, 6)) {
			if (c->nproducts == CONTRACT_MAX_PRODUCTS) {
				store_done(r);
				return store_fail(db, STORE_ERROR,
				                  "contract %lld covers too many products",
				                  (long long)id);
			}
			c->products[c->nproducts++] = store_int(r, 6);
		}
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

enum store_rc
client_facts_load(struct store *db, int64_t client_id, struct client_facts *out)
{
	memset(out, 0, sizeof *out);
	int64_t monthly = 0;
	enum store_rc rc = store_get_int(
	    db, "SELECT monthly_service FROM clients WHERE id = $1",
	    STORE_PARAMS(SP_I(client_id)), &monthly);
	if (rc != STORE_OK)
		return rc;
	out->id = client_id;
	out->monthly_service = monthly != 0;
	rc = load_products(db, out);
	if (rc == STORE_OK)
		rc = load_contracts(db, out);
	return rc;
}
