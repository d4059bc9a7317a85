/*
 * import.c - all-or-nothing CSV imports (see import.h).
 *
 * The whole file is read inside one exclusive transaction. Each row is
 * checked and written; an error is recorded with its line and column and
 * reading goes on (to report every bad row at once), but once an error is
 * seen nothing more is written and the transaction is rolled back.
 */
#include "app/billing/import.h"
#include "app/base/csvfile.h"
#include "app/base/db.h"
#include "util/text.h"
#include "util/timefmt.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

struct column_spec {
	const char *name;
	int required;
};

struct import_ctx {
	struct store *db;
	const struct policy *pol;
	enum import_kind kind;
	int64_t now;
	struct import_result *res;
	const struct column_spec *spec;
	int ncols;
	int col[8];          /* spec index -> CSV column, -1 when absent */
	int header_seen;
	enum store_rc fatal; /* a store failure that is not the data's fault */
};

static const struct column_spec client_cols[] = {
	{"company", 1}, {"domain", 1}, {"contact_name", 1}, {"contact_email", 1},
	{"billing", 0},
};
static const struct column_spec product_cols[] = {
	{"client_domain", 1}, {"product_type", 1}, {"name", 1},
	{"delivered_on", 1}, {"warranty_months", 1}, {"post_production_until", 0},
};
static const struct column_spec contract_cols[] = {
	{"client_domain", 1}, {"plan", 1}, {"valid_from", 1}, {"valid_to", 1},
	{"products", 1}, {"hourly_rate", 0},
};

static void
row_error(struct import_ctx *c, long line, const char *column,
          const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
row_error(struct import_ctx *c, long line, const char *column,
          const char *fmt, ...)
{
	struct import_result *r = c->res;
	if (r->nerrors < IMPORT_MAX_ERRORS) {
		char msg[256];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof msg, fmt, ap);
		va_end(ap);
		if (column)
			snprintf(r->errors[r->nerrors], sizeof r->errors[0],
			         "line %ld, column %s: %s", line, column, msg);
		else
			snprintf(r->errors[r->nerrors], sizeof r->errors[0],
			         "line %ld: %s", line, msg);
	}
	r->nerrors++;
}

/* A store failure inside a row: a constraint is the row's fault, anything
 * else stops the import. Returns 1 when the row failed. */
static int
store_failed(struct import_ctx *c, long line, enum store_rc rc)
{
	if (rc == STORE_OK)
		return 0;
	if (rc == STORE_CONSTRAINT) {
		row_error(c, line, NULL, "conflicts with existing data (%s)",
		          store_errmsg(c->db));
	} else {
		c->fatal = rc;
	}
	return 1;
}

/* Returns the field of spec column i ("" when the column is absent). */
static char *
field(struct import_ctx *c, char **fields, int nfields, int i)
{
	int k = c->col[i];
	return k >= 0 && k < nfields ? fields[k] : (char *)"";
}

static int
check_header(struct import_ctx *c, char **fields, int n, long line)
{
	int ok = 1;
	for (int i = 0; i < c->ncols; i++) {
		c->col[i] = csv_column(fields, n, c->spec[i].name);
		if (c->col[i] < 0 && c->spec[i].required) {
			row_error(c, line, c->spec[i].name,
			          "missing from the header row");
			ok = 0;
		}
	}
	for (int k = 0; k < n; k++) {
		int known = 0;
		for (int i = 0; i < c->ncols; i++)
			if (strcmp(fields[k], c->spec[i].name) == 0)
				known = 1;
		if (!known) {
			row_error(c, line, fields[k], "unknown column");
			ok = 0;
		}
	}
	return ok;
}

static int
lookup_client(struct import_ctx *c, const char *domain, int64_t *id)
{
	return store_get_int(c->db, "SELECT id FROM clients WHERE domain = $1",
	                     STORE_PARAMS(SP_T(domain)), id);
}

/* Checks a domain field in place (lowercased); returns 1 when good. */
static int
check_domain(struct import_ctx *c, long line, const char *col, char *v)
{
	ascii_lower(v);
	if (!domain_valid(v)) {
		row_error(c, line, col, "'%.80s' is not a domain name (like empresa.pe)",
		          v);
		return 0;
	}
	return 1;
}

static int
check_name(struct import_ctx *c, long line, const char *col, const char *v)
{
	if (!text_is_name(v, 200)) {
		row_error(c, line, col,
		          *v ? "not valid text (UTF-8, no control characters, "
		               "200 bytes at most)"
		             : "is empty");
		return 0;
	}
	return 1;
}

static int
check_date(struct import_ctx *c, long line, const char *col, const char *v,
           int64_t *days)
{
	if (iso_date_parse(v, days) != 0) {
		row_error(c, line, col, "'%.40s' is not a date YYYY-MM-DD", v);
		return 0;
	}
	return 1;
}

static void
import_client_row(struct import_ctx *c, char **f, int n, long line)
{
	char *company = field(c, f, n, 0), *domain = field(c, f, n, 1);
	char *name = field(c, f, n, 2), *email = field(c, f, n, 3);
	char *billing = field(c, f, n, 4);
	int ok = check_name(c, line, "company", company);
	int bill = strcmp(billing, "yes") == 0 || strcmp(billing, "si") == 0 ||
	           strcmp(billing, "sí") == 0 || strcmp(billing, "1") == 0;
	if (!bill && *billing && strcmp(billing, "no") != 0 &&
	    strcmp(billing, "0") != 0) {
		row_error(c, line, "billing", "'%.20s' is not yes or no", billing);
		ok = 0;
	}
	ok &= check_domain(c, line, "domain", domain);
	ok &= check_name(c, line, "contact_name", name);
	email_fold_domain(email);
	if (!email_valid(email)) {
		row_error(c, line, "contact_email", "'%.80s' is not an e-mail address",
		          email);
		ok = 0;
	}
	if (!ok || c->res->nerrors)
		return;

	int64_t client_id = 0;
	enum store_rc rc = lookup_client(c, domain, &client_id);
	if (rc == STORE_NOTFOUND) {
		rc = store_get_int(c->db,
		                   "INSERT INTO clients (name, domain, created_at) "
		                   "VALUES ($1, $2, $3) RETURNING id",
		                   STORE_PARAMS(SP_T(company), SP_T(domain),
		                                SP_I(c->now)),
		                   &client_id);
		if (store_failed(c, line, rc))
			return;
		c->res->created++;
	} else if (store_failed(c, line, rc)) {
		return;
	}

	int64_t contact_client = 0;
	rc = store_get_int(c->db, "SELECT client_id FROM contacts WHERE email = $1",
	                   STORE_PARAMS(SP_T(email)), &contact_client);
	if (rc == STORE_OK) {
		if (contact_client != client_id) {
			row_error(c, line, "contact_email",
			          "%s is already a contact of another client", email);
		} else if (*billing) {
			rc = store_exec(c->db,
			                "UPDATE contacts SET billing = $2 WHERE email = $1",
			                STORE_PARAMS(SP_T(email), SP_I(bill)));
			if (!store_failed(c, line, rc))
				c->res->unchanged++;
		} else {
			c->res->unchanged++;
		}
		return;
	}
	if (rc != STORE_NOTFOUND) {
		store_failed(c, line, rc);
		return;
	}
	rc = store_exec(c->db,
	                "INSERT INTO contacts (client_id, name, email, billing, "
	                "created_at) VALUES ($1, $2, $3, $4, $5)",
	                STORE_PARAMS(SP_I(client_id), SP_T(name), SP_T(email),
	                             SP_I(bill), SP_I(c->now)));
	if (!store_failed(c, line, rc))
		c->res->created++;
}

static int
product_type_known(const struct policy *p, const char *type)
{
	for (int i = 0; i < p->nproduct_types; i++)
		if (strcmp(p->product_types[i].key, type) == 0)
			return 1;
	return 0;
}

static void
import_product_row(struct import_ctx *c, char **f, int n, long line)
{
	char *domain = field(c, f, n, 0), *type = field(c, f, n, 1);
	char *name = field(c, f, n, 2), *delivered = field(c, f, n, 3);
	char *months = field(c, f, n, 4), *postprod = field(c, f, n, 5);
	int64_t days, client_id = 0;
	int ok = check_domain(c, line, "client_domain", domain);
	if (!product_type_known(c->pol, type)) {
		row_error(c, line, "product_type",
		          "'%.40s' is not a product type of the policy", type);
		ok = 0;
	}
	ok &= check_name(c, line, "name", name);
	ok &= check_date(c, line, "delivered_on", delivered, &days);
	char *end;
	long w = strtol(months, &end, 10);
	if (*months == '\0' || *end != '\0' || w < c->pol->warranty_min_months ||
	    w > c->pol->warranty_max_months) {
		row_error(c, line, "warranty_months",
		          "'%.20s' is not a whole number of months from %d to %d "
		          "(the policy's warranty range)",
		          months, c->pol->warranty_min_months,
		          c->pol->warranty_max_months);
		ok = 0;
	}
	if (*postprod)
		ok &= check_date(c, line, "post_production_until", postprod, &days);
	if (!ok)
		return;
	enum store_rc rc = lookup_client(c, domain, &client_id);
	if (rc == STORE_NOTFOUND) {
		row_error(c, line, "client_domain",
		          "no client has the domain %s (import clients first)", domain);
		return;
	}
	if (store_failed(c, line, rc) || c->res->nerrors)
		return;
	int64_t existing = 0;
	rc = store_get_int(c->db,
	                   "SELECT id FROM products WHERE client_id = $1 AND name = $2 "
	                   "AND type = $3 AND delivered_on = $4 "
	                   "AND warranty_months = $5",
	                   STORE_PARAMS(SP_I(client_id), SP_T(name), SP_T(type),
	                                SP_T(delivered), SP_I(w)),
	                   &existing);
	if (rc == STORE_OK) {
		c->res->unchanged++;
		return;
	}
	rc = store_exec(c->db,
	                "INSERT INTO products (client_id, type, name, delivered_on, "
	                "warranty_months, post_production_until, created_at) "
	                "VALUES ($1, $2, $3, $4, $5, $6, $7)",
	                STORE_PARAMS(SP_I(client_id), SP_T(type), SP_T(name),
	                             SP_T(delivered), SP_I(w),
	                             SP_T(*postprod ? postprod : NULL),
	                             SP_I(c->now)));
	if (rc == STORE_CONSTRAINT) {
		row_error(c, line, "name",
		          "the client already has a product named '%.80s' with other "
		          "details", name);
		return;
	}
	if (!store_failed(c, line, rc))
		c->res->created++;
}

int
money_parse_cents(const char *s, int64_t *cents)
{
	int64_t units = 0;
	int digits = 0, frac = -1, fracdigits = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (frac >= 0) {
				if (++fracdigits > 2)
					return -1;
				frac = frac * 10 + (*p - '0');
			} else {
				if (units > INT64_MAX / 1000)
					return -1;
				units = units * 10 + (*p - '0');
				digits++;
			}
		} else if (*p == ',' && frac < 0 && digits > 0) {
			/* A thousands separator, as invoices write it: exactly three
			 * digits follow, so "120,50" (a decimal comma) is refused. */
			for (int k = 1; k <= 3; k++)
				if (p[k] < '0' || p[k] > '9')
					return -1;
			if (p[4] >= '0' && p[4] <= '9')
				return -1;
		} else if (*p == '.' && frac < 0 && digits > 0) {
			frac = 0;
		} else {
			return -1;
		}
	}
	if (digits == 0 || (frac >= 0 && fracdigits == 0))
		return -1;
	if (fracdigits == 1)
		frac *= 10;
	*cents = units * 100 + (frac > 0 ? frac : 0);
	return 0;
}

static void
import_contract_row(struct import_ctx *c, char **f, int n, long line)
{
	char *domain = field(c, f, n, 0), *plan = field(c, f, n, 1);
	char *from = field(c, f, n, 2), *to = field(c, f, n, 3);
	char *products = field(c, f, n, 4), *rate = field(c, f, n, 5);
	int64_t dfrom = 0, dto = 0, rate_cents = 0, client_id = 0;
	int ok = check_domain(c, line, "client_domain", domain);
	if (policy_plan_find(c->pol, plan) == NULL) {
		row_error(c, line, "plan",
		          "'%.40s' is not a plan (per_event, basic or enterprise)", plan);
		ok = 0;
	}
	ok &= check_date(c, line, "valid_from", from, &dfrom);
	ok &= check_date(c, line, "valid_to", to, &dto);
	if (ok && dto < dfrom) {
		row_error(c, line, "valid_to", "ends (%s) before it starts (%s)", to,
		          from);
		ok = 0;
	}
	if (*rate && money_parse_cents(rate, &rate_cents) != 0) {
		row_error(c, line, "hourly_rate",
		          "'%.40s' is not an amount in soles (like 120.00)", rate);
		ok = 0;
	}
	if (!ok)
		return;
	enum store_rc rc = lookup_client(c, domain, &client_id);
	if (rc == STORE_NOTFOUND) {
		row_error(c, line, "client_domain",
		          "no client has the domain %s (import clients first)", domain);
		return;
	}
	if (store_failed(c, line, rc))
		return;

	/* Resolve every product name before writing anything. */
	int64_t ids[64];
	int nids = 0;
	char *save = NULL;
	for (char *name = strtok_r(products, ";", &save); name;
	     name = strtok_r(NULL, ";", &save)) {
		while (*name == ' ')
			name++;
		size_t len = strlen(name);
		while (len && name[len - 1] == ' ')
			name[--len] = '\0';
		if (*name == '\0')
			continue;
		if (nids == 64) {
			row_error(c, line, "products", "more than 64 products");
			return;
		}
		rc = store_get_int(c->db,
		                   "SELECT id FROM products WHERE client_id = $1 "
		                   "AND name = $2",
		                   STORE_PARAMS(SP_I(client_id), SP_T(name)), &ids[nids]);
		if (rc == STORE_NOTFOUND) {
			row_error(c, line, "products",
			          "%s has no product named '%.80s' (import products first)",
			          domain, name);
			return;
		}
		if (store_failed(c, line, rc))
			return;
		nids++;
	}
	if (nids == 0) {
		row_error(c, line, "products", "names no product");
		return;
	}
	if (c->res->nerrors)
		return;

	int64_t existing = 0;
	rc = store_get_int(c->db,
	                   "SELECT id FROM contracts WHERE client_id = $1 AND "
	                   "plan = $2 AND valid_from = $3 AND valid_to = $4",
	                   STORE_PARAMS(SP_I(client_id), SP_T(plan), SP_T(from),
	                                SP_T(to)),
	                   &existing);
	if (rc == STORE_OK) {
		c->res->unchanged++;
		return;
	}
	/* A product is covered by one contract at a time. */
	for (int i = 0; i < nids; i++) {
		int64_t other = 0;
		rc = store_get_int(
		    c->db,
		    "SELECT k.id FROM contracts k JOIN contract_products cp "
		    "ON cp.contract_id = k.id WHERE cp.product_id = $1 "
		    "AND k.valid_from <= $3 AND k.valid_to >= $2 "
		    "AND k.ended_on IS NULL",
		    STORE_PARAMS(SP_I(ids[i]), SP_T(from), SP_T(to)), &other);
		if (rc == STORE_OK) {
			row_error(c, line, "valid_from",
			          "overlaps contract %lld, which already covers one of "
			          "these products in %s..%s",
			          (long long)other, from, to);
			return;
		}
	}
	int64_t contract_id = 0;
	rc = store_get_int(c->db,
	                   "INSERT INTO contracts (client_id, plan, valid_from, "
	                   "valid_to, hourly_rate_cents, created_at) "
	                   "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
	                   STORE_PARAMS(SP_I(client_id), SP_T(plan), SP_T(from),
	                                SP_T(to), SP_I(rate_cents), SP_I(c->now)),
	                   &contract_id);
	if (store_failed(c, line, rc))
		return;
	for (int i = 0; i < nids; i++) {
		rc = store_exec(c->db,
		                "INSERT INTO contract_products (contract_id, product_id) "
		                "VALUES ($1, $2) ON CONFLICT DO NOTHING",
		                STORE_PARAMS(SP_I(contract_id), SP_I(ids[i])));
		if (store_failed(c, line, rc))
			return;
	}
	c->res->created++;
}

static int
on_row(char **fields, int n, long line, void *user)
{
	struct import_ctx *c = user;
	if (!c->header_seen) {
		c->header_seen = 1;
		return check_header(c, fields, n, line) ? 0 : 1;
	}
	c->res->rows++;
	if (n != 0 && n > c->ncols) {
		row_error(c, line, NULL, "%d fields, the header has fewer", n);
		return 0;
	}
	switch (c->kind) {
	case IMPORT_CLIENTS:
		import_client_row(c, fields, n, line);
		break;
	case IMPORT_PRODUCTS:
		import_product_row(c, fields, n, line);
		break;
	case IMPORT_CONTRACTS:
		import_contract_row(c, fields, n, line);
		break;
	}
	return c->fatal != STORE_OK;
}

int
app_import(struct store *db, const struct policy *pol, enum import_kind kind,
           FILE *f, int64_t now, struct import_result *res)
{
	struct import_ctx c = {.db = db, .pol = pol, .kind = kind, .now = now,
	                       .res = res};
	memset(res, 0, sizeof *res);
	switch (kind) {
	case IMPORT_CLIENTS:
		c.spec = client_cols, c.ncols = 5;
		break;
	case IMPORT_PRODUCTS:
		c.spec = product_cols, c.ncols = 6;
		break;
	case IMPORT_CONTRACTS:
		c.spec = contract_cols, c.ncols = 6;
		break;
	}
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return app_exit_code(rc);
	char err[256];
	int r = csv_read(f, on_row, &c, err, sizeof err);
	if (r < 0 && res->nerrors < IMPORT_MAX_ERRORS)
		snprintf(res->errors[res->nerrors++], sizeof res->errors[0], "%s", err);
	else if (r < 0)
		res->nerrors++;
	if (!c.header_seen && r == 0)
		row_error(&c, 1, NULL, "the file is empty (a header row is needed)");
	if (c.fatal != STORE_OK) {
		store_rollback(db);
		return app_exit_code(c.fatal);
	}
	if (res->nerrors) {
		store_rollback(db);
		return EX_DATAERR;
	}
	rc = store_commit(db);
	if (rc != STORE_OK) {
		store_rollback(db);
		return app_exit_code(rc);
	}
	return EX_OK;
}
