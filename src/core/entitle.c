/*
 * entitle.c - R3 entitlement and the choice of product (see entitle.h).
 *
 * Pure: no clock, no I/O, no allocation. Sentences are written into the
 * caller's struct with snprintf (truncated, never overflowing).
 */
#include "core/entitle.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <string.h>

/* ---- client.h helpers ------------------------------------------------ */

int64_t
client_contract_last_day(const struct client_contract *c)
{
	if (c->ended_on != CLIENT_NO_DAY && c->ended_on < c->valid_to)
		return c->ended_on;
	return c->valid_to;
}

static bool
contract_lists(const struct client_contract *c, int64_t product_id)
{
	for (int i = 0; i < c->nproducts && i < CONTRACT_MAX_PRODUCTS; i++)
		if (c->products[i] == product_id)
			return true;
	return false;
}

bool
client_contract_covers(const struct client_contract *c, int64_t product_id,
                       int64_t day)
{
	return day >= c->valid_from && day <= client_contract_last_day(c) &&
	       contract_lists(c, product_id);
}

const struct client_product *
client_product_find(const struct client_facts *f, int64_t id)
{
	for (int i = 0; i < f->nproducts && i < CLIENT_MAX_PRODUCTS; i++)
		if (f->products[i].id == id)
			return &f->products[i];
	return NULL;
}

/* ---- names ------------------------------------------------------------ */

const char *
entitle_basis_name(enum entitle_basis b)
{
	switch (b) {
	case ENTITLE_WARRANTY: return "warranty";
	case ENTITLE_PLAN: return "plan";
	case ENTITLE_PER_EVENT: return "per_event";
	case ENTITLE_MONTHLY_SERVICE: return "monthly_service";
	case ENTITLE_POST_PRODUCTION: return "post_production";
	case ENTITLE_NONE: break;
	}
	return "none";
}

const char *
entitle_reason_label_es(const char *name)
{
	static const char *const labels[][2] = {
		{"unknown_product", "el producto no figura entre los del cliente"},
		{"product_type_not_supported",
		 "el tipo de producto no tiene soporte en la política"},
		{"product_not_covered", "el plan vigente no cubre el producto"},
		{"contract_not_started", "el plan aún no comienza"},
		{"contract_expired", "el plan venció"},
		{"warranty_expired", "la garantía venció y no hay plan"},
		{"not_delivered", "el producto no ha sido entregado"},
		{"no_contract", "no tiene plan de soporte"},
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (name && strcmp(name, labels[i][0]) == 0)
			return labels[i][1];
	return name ? name : "";
}

const char *
entitle_reason_name(enum entitle_reason r)
{
	switch (r) {
	case ENTITLE_R_IN_WARRANTY: return "in_warranty";
	case ENTITLE_R_PLAN_VALID: return "plan_valid";
	case ENTITLE_R_PER_EVENT_VALID: return "per_event_valid";
	case ENTITLE_R_MONTHLY_SERVICE: return "monthly_service";
	case ENTITLE_R_POST_PRODUCTION: return "post_production";
	case ENTITLE_R_UNKNOWN_PRODUCT: return "unknown_product";
	case ENTITLE_R_PRODUCT_TYPE_NOT_SUPPORTED:
		return "product_type_not_supported";
	case ENTITLE_R_PRODUCT_NOT_COVERED: return "product_not_covered";
	case ENTITLE_R_CONTRACT_NOT_STARTED: return "contract_not_started";
	case ENTITLE_R_CONTRACT_EXPIRED: return "contract_expired";
	case ENTITLE_R_WARRANTY_EXPIRED: return "warranty_expired";
	case ENTITLE_R_NOT_DELIVERED: return "not_delivered";
	case ENTITLE_R_NO_CONTRACT: break;
	}
	return "no_contract";
}

/* ---- warranty --------------------------------------------------------- */

int64_t
entitle_warranty_last_day(const struct policy *p,
                          const struct client_product *prod)
{
	if (prod->delivered_on == CLIENT_NO_DAY)
		return CLIENT_NO_DAY;
	int months = prod->warranty_months;
	if (months <= 0) {
		const struct policy_product_type *t =
		    policy_product_type_find(p, prod->type);
		months = t ? t->warranty_months : p->warranty_default_months;
	}
	if (months <= 0)
		return prod->delivered_on - 1; /* no warranty at all */
	int64_t y;
	int m, d;
	civil_from_days(prod->delivered_on, &y, &m, &d);
	int64_t mi = (int64_t)m - 1 + months;
	y += mi / 12;
	m = (int)(mi % 12) + 1;
	int dim = days_in_month(y, m);
	if (d > dim)
		return days_from_civil(y, m, dim);
	return days_from_civil(y, m, d) - 1;
}

/* "dd/mm/aaaa" of a day, as users read dates (DESIGN.md). */
static void
day_text(int64_t day, char out[16])
{
	int64_t y;
	int m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(out, 16, "%02d/%02d/%04d", d % 100, m % 100, (int)(y % 10000));
}

static const char *
plan_name(const struct policy *p, enum plan_kind kind, int en)
{
	const struct policy_plan *pl = policy_plan_of(p, kind);
	if (pl == NULL)
		return "?";
	return en ? pl->name_en : pl->name_es;
}

/* ---- the decision ----------------------------------------------------- */

static const char renewal_es[] =
    " Se requiere renovación: la solicitud se deriva al área de "
    "renovaciones.";
static const char renewal_en[] =
    " A renewal is required: the request goes to the renewals area.";

static enum entitle_basis
decide_none(const struct policy *p, const struct client_facts *f,
            const struct client_product *prod, int64_t day,
            struct entitlement *out)
{
	char when[16];
	const char *name = prod ? prod->name : "";
	out->basis = ENTITLE_NONE;

	if (prod == NULL) {
		out->reason = ENTITLE_R_UNKNOWN_PRODUCT;
		snprintf(out->text_es, sizeof out->text_es, "El producto indicado "
		         "no pertenece al cliente.%s", renewal_es);
		snprintf(out->text_en, sizeof out->text_en, "The product is not "
		         "one of the client's.%s", renewal_en);
		return out->basis;
	}

	/* The contracts that name this product tell the most. */
	const struct client_contract *expired = NULL, *later = NULL;
	bool other_valid = false;
	for (int i = 0; i < f->ncontracts && i < CLIENT_MAX_CONTRACTS; i++) {
		const struct client_contract *c = &f->contracts[i];
		bool lists = contract_lists(c, prod->id);
		int64_t last = client_contract_last_day(c);
		if (lists && last < day &&
		    (expired == NULL || last > client_contract_last_day(expired)))
			expired = c;
		else if (lists && c->valid_from > day &&
		         (later == NULL || c->valid_from < later->valid_from))
			later = c;
		else if (!lists && day >= c->valid_from && day <= last)
			other_valid = true;
	}
	if (expired) {
		day_text(client_contract_last_day(expired), when);
		out->reason = ENTITLE_R_CONTRACT_EXPIRED;
		snprintf(out->text_es, sizeof out->text_es, "El plan %s del "
		         "producto «%s» venció el %s.%s",
		         plan_name(p, expired->plan, 0), name, when, renewal_es);
		snprintf(out->text_en, sizeof out->text_en, "The %s plan for "
		         "\"%s\" ended on %s.%s", plan_name(p, expired->plan, 1),
		         name, when, renewal_en);
	} else if (later) {
		day_text(later->valid_from, when);
		out->reason = ENTITLE_R_CONTRACT_NOT_STARTED;
		snprintf(out->text_es, sizeof out->text_es, "El plan %s del "
		         "producto «%s» inicia el %s.%s",
		         plan_name(p, later->plan, 0), name, when, renewal_es);
		snprintf(out->text_en, sizeof out->text_en, "The %s plan for "
		         "\"%s\" starts on %s.%s", plan_name(p, later->plan, 1),
		         name, when, renewal_en);
	} else if (prod->delivered_on == CLIENT_NO_DAY ||
	           prod->delivered_on > day) {
		out->reason = ENTITLE_R_NOT_DELIVERED;
		snprintf(out->text_es, sizeof out->text_es, "El producto «%s» aún "
		         "no figura como entregado y no tiene un plan de soporte "
		         "vigente.%s", name, renewal_es);
		snprintf(out->text_en, sizeof out->text_en, "\"%s\" is not "
		         "delivered yet and has no support plan in force.%s", name,
		         renewal_en);
	} else {
		char ended_es[96] = "", ended_en[96] = "";
		bool expired_w = out->warranty_last_day != CLIENT_NO_DAY &&
		                 day > out->warranty_last_day;
		if (expired_w) {
			day_text(out->warranty_last_day, when);
			snprintf(ended_es, sizeof ended_es, "La garantía del producto "
			         "terminó el %s. ", when);
			snprintf(ended_en, sizeof ended_en, "Its warranty ended on "
			         "%s. ", when);
		}
		if (other_valid) {
			out->reason = ENTITLE_R_PRODUCT_NOT_COVERED;
			snprintf(out->text_es, sizeof out->text_es, "%sEl plan de "
			         "soporte vigente no incluye el producto «%s».%s",
			         ended_es, name, renewal_es);
			snprintf(out->text_en, sizeof out->text_en, "%sThe support "
			         "plan in force does not include \"%s\".%s", ended_en,
			         name, renewal_en);
		} else {
			out->reason = expired_w ? ENTITLE_R_WARRANTY_EXPIRED :
			              ENTITLE_R_NO_CONTRACT;
			snprintf(out->text_es, sizeof out->text_es, "%sNo hay un plan "
			         "de soporte vigente para el producto «%s».%s",
			         ended_es, name, renewal_es);
			snprintf(out->text_en, sizeof out->text_en, "%sThere is no "
			         "support plan in force for \"%s\".%s", ended_en, name,
			         renewal_en);
		}
	}
	return out->basis;
}

enum entitle_basis
entitle_decide(const struct policy *p, const struct client_facts *f,
               int64_t product_id, int64_t day, struct entitlement *out)
{
	char when[16];
	memset(out, 0, sizeof *out);
	out->product_id = product_id;
	out->plan_contract = -1;
	out->per_event_contract = -1;
	out->warranty_last_day = CLIENT_NO_DAY;

	const struct client_product *prod = client_product_find(f, product_id);
	if (prod == NULL)
		return decide_none(p, f, NULL, day, out);
	const struct policy_product_type *type =
	    policy_product_type_find(p, prod->type);
	if (type == NULL) {
		out->basis = ENTITLE_NONE;
		out->reason = ENTITLE_R_PRODUCT_TYPE_NOT_SUPPORTED;
		snprintf(out->text_es, sizeof out->text_es, "El Soporte de TI sólo "
		         "aplica a los servicios proporcionados directamente por la "
		         "Empresa; «%s» no es uno de ellos.", prod->name);
		snprintf(out->text_en, sizeof out->text_en, "IT support only "
		         "applies to services the company provides itself; \"%s\" "
		         "is not one of them.", prod->name);
		return out->basis;
	}

	out->warranty_last_day = entitle_warranty_last_day(p, prod);
	out->in_warranty = prod->delivered_on != CLIENT_NO_DAY &&
	                   day >= prod->delivered_on &&
	                   day <= out->warranty_last_day;
	for (int i = 0; i < f->ncontracts && i < CLIENT_MAX_CONTRACTS; i++) {
		const struct client_contract *c = &f->contracts[i];
		if (!client_contract_covers(c, prod->id, day))
			continue;
		if (c->plan == PLAN_PER_EVENT) {
			if (out->per_event_contract < 0)
				out->per_event_contract = i;
		} else if (out->plan_contract < 0) {
			out->plan_contract = i;
		}
	}
	out->monthly_service = f->monthly_service;
	out->post_production = prod->post_production_until != CLIENT_NO_DAY &&
	                       day <= prod->post_production_until;

	if (out->in_warranty) {
		day_text(out->warranty_last_day, when);
		out->basis = ENTITLE_WARRANTY;
		out->reason = ENTITLE_R_IN_WARRANTY;
		snprintf(out->text_es, sizeof out->text_es, "El producto «%s» está "
		         "en garantía hasta el %s.", prod->name, when);
		snprintf(out->text_en, sizeof out->text_en, "\"%s\" is under "
		         "warranty until %s.", prod->name, when);
	} else if (out->plan_contract >= 0 || out->per_event_contract >= 0) {
		bool ev = out->plan_contract < 0;
		const struct client_contract *c =
		    &f->contracts[ev ? out->per_event_contract : out->plan_contract];
		day_text(client_contract_last_day(c), when);
		out->basis = ev ? ENTITLE_PER_EVENT : ENTITLE_PLAN;
		out->reason = ev ? ENTITLE_R_PER_EVENT_VALID : ENTITLE_R_PLAN_VALID;
		snprintf(out->text_es, sizeof out->text_es, "El producto «%s» está "
		         "cubierto por el plan %s, vigente hasta el %s.%s",
		         prod->name, plan_name(p, c->plan, 0), when,
		         ev ? " Cada evento requiere una orden de compra." : "");
		snprintf(out->text_en, sizeof out->text_en, "\"%s\" is covered by "
		         "the %s plan, valid until %s.%s", prod->name,
		         plan_name(p, c->plan, 1), when,
		         ev ? " Each event needs a purchase order." : "");
	} else if (out->monthly_service) {
		out->basis = ENTITLE_MONTHLY_SERVICE;
		out->reason = ENTITLE_R_MONTHLY_SERVICE;
		snprintf(out->text_es, sizeof out->text_es, "El cliente mantiene "
		         "la modalidad mensual de servicios de TI.");
		snprintf(out->text_en, sizeof out->text_en, "The client has the "
		         "monthly IT service arrangement.");
	} else if (out->post_production) {
		day_text(prod->post_production_until, when);
		out->basis = ENTITLE_POST_PRODUCTION;
		out->reason = ENTITLE_R_POST_PRODUCTION;
		snprintf(out->text_es, sizeof out->text_es, "El producto «%s» está "
		         "en período de post producción hasta el %s.", prod->name,
		         when);
		snprintf(out->text_en, sizeof out->text_en, "\"%s\" is in its "
		         "post-production period until %s.", prod->name, when);
	} else {
		return decide_none(p, f, prod, day, out);
	}
	return out->basis;
}

/* ---- product choice --------------------------------------------------- */

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* A byte that continues a word: ASCII letter or digit, or part of a
 * UTF-8 sequence (accented letters). */
static bool
wordy(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80;
}

/* Returns true when needle (n bytes) occurs in text as a whole word,
 * ignoring ASCII case. */
static bool
has_word(const char *text, const char *needle, size_t n)
{
	if (n == 0)
		return false;
	for (const char *s = text; *s; s++) {
		size_t i = 0;
		while (i < n && s[i] && lower((unsigned char)s[i]) ==
		       lower((unsigned char)needle[i]))
			i++;
		if (i < n)
			continue;
		if (s > text && wordy((unsigned char)s[-1]))
			continue;
		if (wordy((unsigned char)s[n]))
			continue;
		return true;
	}
	return false;
}

/* Counts the keywords of a comma-separated list found in text. */
static int
keyword_hits(const char *list, const char *text)
{
	int hits = 0;
	const char *k = list;
	while (*k) {
		while (*k == ' ' || *k == ',')
			k++;
		size_t n = strcspn(k, ",");
		size_t m = n;
		while (m > 0 && k[m - 1] == ' ')
			m--;
		if (m > 0 && has_word(text, k, m))
			hits++;
		k += n;
	}
	return hits;
}

enum entitle_pick
entitle_pick_product(const struct policy *p, const struct client_facts *f,
                     const char *text, struct entitle_choice *out)
{
	memset(out, 0, sizeof *out);
	int n = f->nproducts < CLIENT_MAX_PRODUCTS ? f->nproducts :
	        CLIENT_MAX_PRODUCTS;
	out->nscores = n;
	if (n == 0)
		return out->pick = ENTITLE_PICK_NONE;
	if (n == 1) {
		out->product_id = f->products[0].id;
		return out->pick = ENTITLE_PICK_ONLY;
	}
	int best = -1, best_score = 0, ties = 0;
	for (int i = 0; i < n; i++) {
		const struct client_product *prod = &f->products[i];
		const struct policy_product_type *t =
		    policy_product_type_find(p, prod->type);
		int score = 0;
		if (text && has_word(text, prod->name, strlen(prod->name)))
			score += 10;
		if (text && t)
			score += keyword_hits(t->keywords, text);
		out->scores[i] = score;
		if (score > best_score) {
			best = i;
			best_score = score;
			ties = 0;
		} else if (score == best_score && score > 0) {
			ties++;
		}
	}
	if (best < 0 || ties > 0)
		return out->pick = ENTITLE_PICK_ASK;
	out->product_id = f->products[best].id;
	return out->pick = ENTITLE_PICK_SUGGESTED;
}

const char *
entitle_coverage_name(enum entitle_basis b)
{
	switch (b) {
	case ENTITLE_WARRANTY:
		return "warranty";
	case ENTITLE_PER_EVENT:
		return "per_event";
	case ENTITLE_NONE:
		return "none";
	default:
		return "plan";
	}
}
