/*
 * test_entitle.c - R3 entitlement and the product choice (core/entitle.c),
 * under the shipped policy (policy/prodequa.ini).
 *
 * One client holds a product for every case (warranty, plans starting and
 * ending mid-month, per event, post-production, a type the policy does not
 * support, ...); each row asks about one product on one day.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/config/policy_file.h"
#include "core/entitle.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <string.h>

static struct policy pol;

#define D(y, m, d) days_from_civil(y, m, d)

enum {
	P_WEBAPP = 1,       /* web_app, 15/01/2026, type default (2 months) */
	P_LANDING = 2,      /* landing_page, 31/01/2026, 1 month */
	P_ANDROID = 3,      /* old warranty; basic plan from 16/03/2026 */
	P_MULTI = 4,        /* enterprise plan ended 31/12/2025 */
	P_IOS = 5,          /* per-event contract for 2026 */
	P_ERP = 6,          /* a type the policy does not support */
	P_SMART = 7,        /* post-production until 30/04/2026 */
	P_BOT = 8,          /* no contract of its own */
	P_ONEPAGE = 9,      /* not delivered */
	P_LATER = 10,       /* basic plan from 01/06/2026 */
	P_ENDED = 11,       /* enterprise plan ended early on 10/03/2026 */
	P_BOTH = 12,        /* in warranty and in a plan */
};

static void
product(struct client_facts *f, int64_t id, const char *type, const char *name,
        int64_t delivered, int months, int64_t post)
{
	struct client_product *p = &f->products[f->nproducts++];
	p->id = id;
	snprintf(p->type, sizeof p->type, "%s", type);
	snprintf(p->name, sizeof p->name, "%s", name);
	p->delivered_on = delivered;
	p->warranty_months = months;
	p->post_production_until = post;
}

static void
contract(struct client_facts *f, int64_t id, enum plan_kind plan,
         int64_t from, int64_t to, int64_t ended, int64_t p1, int64_t p2)
{
	struct client_contract *c = &f->contracts[f->ncontracts++];
	c->id = id;
	c->plan = plan;
	c->valid_from = from;
	c->valid_to = to;
	c->ended_on = ended;
	c->hourly_rate_cents = 12000;
	c->products[c->nproducts++] = p1;
	if (p2)
		c->products[c->nproducts++] = p2;
}

static struct client_facts facts;

static void
make_facts(void)
{
	memset(&facts, 0, sizeof facts);
	facts.id = 7;
	const int64_t N = CLIENT_NO_DAY;
	product(&facts, P_WEBAPP, "web_app", "Intranet", D(2026, 1, 15), 0, N);
	product(&facts, P_LANDING, "landing_page", "Landing verano",
	        D(2026, 1, 31), 1, N);
	product(&facts, P_ANDROID, "android_app", "App Android", D(2025, 1, 10),
	        2, N);
	product(&facts, P_MULTI, "multipage", "Sitio web", D(2024, 5, 1), 1, N);
	product(&facts, P_IOS, "ios_app", "App iOS", D(2024, 1, 1), 2, N);
	product(&facts, P_ERP, "erp", "ERP de terceros", D(2024, 1, 1), 1, N);
	product(&facts, P_SMART, "smart_web", "Web inteligente", D(2025, 1, 1), 2,
	        D(2026, 4, 30));
	product(&facts, P_BOT, "ai_chatbot", "Asistente", D(2025, 6, 1), 2, N);
	product(&facts, P_ONEPAGE, "onepage", "Onepage", N, 1, N);
	product(&facts, P_LATER, "multipage", "Catálogo", D(2024, 1, 1), 1, N);
	product(&facts, P_ENDED, "web_app", "Facturación", D(2024, 1, 1), 2, N);
	product(&facts, P_BOTH, "web_app", "Portal", D(2026, 3, 1), 2, N);
	contract(&facts, 101, PLAN_BASIC, D(2026, 3, 16), D(2026, 9, 15), N,
	         P_ANDROID, P_BOTH);
	contract(&facts, 102, PLAN_ENTERPRISE, D(2025, 1, 1), D(2025, 12, 31), N,
	         P_MULTI, 0);
	contract(&facts, 103, PLAN_PER_EVENT, D(2026, 1, 1), D(2026, 12, 31), N,
	         P_IOS, 0);
	contract(&facts, 104, PLAN_BASIC, D(2026, 6, 1), D(2027, 5, 31), N,
	         P_LATER, 0);
	contract(&facts, 105, PLAN_ENTERPRISE, D(2026, 1, 1), D(2026, 12, 31),
	         D(2026, 3, 10), P_ENDED, 0);
}

struct row {
	const char *name;
	int64_t product;
	int64_t day;
	bool monthly_service;    /* also: true for rows that drop contracts */
	enum entitle_basis basis;
	enum entitle_reason reason;
	const char *es;      /* in text_es */
	const char *en;      /* in text_en */
};

static void
R3_entitlement_table(void **state)
{
	(void)state;
	const struct row rows[] = {
		{"R3 warranty: delivery day", P_WEBAPP, D(2026, 1, 15), false,
		 ENTITLE_WARRANTY, ENTITLE_R_IN_WARRANTY, "garantía hasta el 14/03/2026",
		 "under warranty until 14/03/2026"},
		{"R3 warranty: last day (type default, 2 months)", P_WEBAPP,
		 D(2026, 3, 14), false, ENTITLE_WARRANTY, ENTITLE_R_IN_WARRANTY,
		 "14/03/2026", "14/03/2026"},
		{"R3 warranty: the day after the last", P_WEBAPP, D(2026, 3, 15),
		 false, ENTITLE_NONE, ENTITLE_R_PRODUCT_NOT_COVERED,
		 "La garantía del producto terminó el 14/03/2026. El plan de "
		 "soporte vigente no incluye", "renewals area"},
		{"R3 warranty: the day after the last, no contracts", -P_WEBAPP,
		 D(2026, 3, 15), false, ENTITLE_NONE, ENTITLE_R_WARRANTY_EXPIRED,
		 "terminó el 14/03/2026. No hay un plan", "ended on 14/03/2026"},
		{"R3 warranty: before delivery", P_WEBAPP, D(2026, 1, 14), false,
		 ENTITLE_NONE, ENTITLE_R_NOT_DELIVERED, "Se requiere renovación",
		 "A renewal is required"},
		{"R3 warranty: 31/01 + 1 month ends 28/02", P_LANDING,
		 D(2026, 2, 28), false, ENTITLE_WARRANTY, ENTITLE_R_IN_WARRANTY,
		 "28/02/2026", "28/02/2026"},
		{"R3 warranty: 31/01 + 1 month, 01/03 is out", -P_LANDING,
		 D(2026, 3, 1), false, ENTITLE_NONE, ENTITLE_R_WARRANTY_EXPIRED,
		 "terminó el 28/02/2026", "ended on 28/02/2026"},
		{"R3 plan: the day before a mid-month start", P_ANDROID,
		 D(2026, 3, 15), false, ENTITLE_NONE,
		 ENTITLE_R_CONTRACT_NOT_STARTED, "inicia el 16/03/2026",
		 "starts on 16/03/2026"},
		{"R3 plan: first day", P_ANDROID, D(2026, 3, 16), false,
		 ENTITLE_PLAN, ENTITLE_R_PLAN_VALID, "plan Básica, vigente hasta el "
		 "15/09/2026", "Basic plan, valid until 15/09/2026"},
		{"R3 plan: last day", P_ANDROID, D(2026, 9, 15), false, ENTITLE_PLAN,
		 ENTITLE_R_PLAN_VALID, "Básica", "Basic"},
		{"R3 plan: the day after the last", P_ANDROID, D(2026, 9, 16), false,
		 ENTITLE_NONE, ENTITLE_R_CONTRACT_EXPIRED, "venció el 15/09/2026",
		 "ended on 15/09/2026"},
		{"R3 plan: expired contract", P_MULTI, D(2026, 1, 10), false,
		 ENTITLE_NONE, ENTITLE_R_CONTRACT_EXPIRED,
		 "plan Empresarial del producto «Sitio web» venció el 31/12/2025",
		 "Enterprise"},
		{"R3 plan: ended early", P_ENDED, D(2026, 3, 11), false,
		 ENTITLE_NONE, ENTITLE_R_CONTRACT_EXPIRED, "venció el 10/03/2026",
		 "ended on 10/03/2026"},
		{"R3 plan: ended early, last day", P_ENDED, D(2026, 3, 10), false,
		 ENTITLE_PLAN, ENTITLE_R_PLAN_VALID, "10/03/2026", "10/03/2026"},
		{"R3 plan: not started yet", P_LATER, D(2026, 5, 31), false,
		 ENTITLE_NONE, ENTITLE_R_CONTRACT_NOT_STARTED, "inicia el 01/06/2026",
		 "starts on 01/06/2026"},
		{"R3 per event", P_IOS, D(2026, 5, 5), false, ENTITLE_PER_EVENT,
		 ENTITLE_R_PER_EVENT_VALID, "orden de compra", "purchase order"},
		{"R3 product type the policy does not support", P_ERP,
		 D(2026, 5, 5), false, ENTITLE_NONE,
		 ENTITLE_R_PRODUCT_TYPE_NOT_SUPPORTED, "proporcionados directamente",
		 "provides itself"},
		{"R3 post-production: last day", P_SMART, D(2026, 4, 30), false,
		 ENTITLE_POST_PRODUCTION, ENTITLE_R_POST_PRODUCTION,
		 "post producción hasta el 30/04/2026", "post-production"},
		{"R3 post-production: over", -P_SMART, D(2026, 5, 1), false,
		 ENTITLE_NONE, ENTITLE_R_WARRANTY_EXPIRED, "renovación", "renewal"},
		{"R3 product not in the valid contract", P_BOT, D(2026, 4, 1), false,
		 ENTITLE_NONE, ENTITLE_R_PRODUCT_NOT_COVERED, "no incluye el producto "
		 "«Asistente»", "does not include \"Asistente\""},
		{"R3 monthly service", P_BOT, D(2026, 4, 1), true,
		 ENTITLE_MONTHLY_SERVICE, ENTITLE_R_MONTHLY_SERVICE,
		 "modalidad mensual", "monthly IT service"},
		{"R3 not delivered", P_ONEPAGE, D(2026, 4, 1), false, ENTITLE_NONE,
		 ENTITLE_R_NOT_DELIVERED, "aún no figura como entregado",
		 "not delivered yet"},
		{"R3 not the client's product", 999, D(2026, 4, 1), false,
		 ENTITLE_NONE, ENTITLE_R_UNKNOWN_PRODUCT, "no pertenece al cliente",
		 "not one of the client's"},
		{"R3 warranty comes first when a plan also holds", P_BOTH,
		 D(2026, 4, 1), false, ENTITLE_WARRANTY, ENTITLE_R_IN_WARRANTY,
		 "garantía", "warranty"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		struct entitlement e;
		make_facts();
		facts.monthly_service = r->monthly_service;
		/* A negative product id: the same product, the client without
		 * any contract. */
		int64_t product = r->product < 0 ? -r->product : r->product;
		if (r->product < 0)
			facts.ncontracts = 0;
		enum entitle_basis b = entitle_decide(&pol, &facts, product,
		                                      r->day, &e);
		if (b != r->basis || e.basis != b || e.reason != r->reason ||
		    strstr(e.text_es, r->es) == NULL ||
		    strstr(e.text_en, r->en) == NULL)
			fail_msg("%s: got %s/%s\n  es: %s\n  en: %s", r->name,
			         entitle_basis_name(e.basis),
			         entitle_reason_name(e.reason), e.text_es, e.text_en);
		assert_int_equal(e.product_id, product);
	}
}

static void
R3_every_basis_that_holds_is_listed(void **state)
{
	(void)state;
	struct entitlement e;
	make_facts();
	facts.monthly_service = true;
	entitle_decide(&pol, &facts, P_BOTH, D(2026, 4, 1), &e);
	assert_int_equal(e.basis, ENTITLE_WARRANTY);
	assert_true(e.in_warranty);
	assert_int_equal(e.plan_contract, 0); /* contract 101 */
	assert_int_equal(e.per_event_contract, -1);
	assert_true(e.monthly_service);
	assert_false(e.post_production);
	assert_int_equal(e.warranty_last_day, D(2026, 4, 30));
}

static void
R3_warranty_last_day_arithmetic(void **state)
{
	(void)state;
	static const struct {
		int y, m, d, months;
		const char *type;
		int wy, wm, wd;
	} rows[] = {
		{2026, 1, 15, 1, "web_app", 2026, 2, 14},
		{2026, 1, 1, 1, "web_app", 2026, 1, 31},
		{2026, 1, 31, 1, "web_app", 2026, 2, 28},
		{2028, 1, 31, 1, "web_app", 2028, 2, 29},   /* leap year */
		{2026, 1, 30, 1, "web_app", 2026, 2, 28},
		{2026, 11, 20, 2, "web_app", 2027, 1, 19},  /* across the year */
		{2026, 12, 31, 2, "web_app", 2027, 2, 28},
		{2026, 5, 10, 0, "landing_page", 2026, 6, 9}, /* type default 1 */
		{2026, 5, 10, 0, "ios_app", 2026, 7, 9},      /* type default 2 */
		{2026, 5, 10, 0, "unknown", 2026, 6, 9},      /* policy default 1 */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct client_product p = {0};
		p.delivered_on = D(rows[i].y, rows[i].m, rows[i].d);
		p.warranty_months = rows[i].months;
		snprintf(p.type, sizeof p.type, "%s", rows[i].type);
		int64_t got = entitle_warranty_last_day(&pol, &p);
		char g[ISO_DATE_LEN];
		iso_date_format(got, g);
		if (got != D(rows[i].wy, rows[i].wm, rows[i].wd))
			fail_msg("row %zu: got %s", i, g);
	}
	struct client_product none = {0};
	none.delivered_on = CLIENT_NO_DAY;
	assert_true(entitle_warranty_last_day(&pol, &none) == CLIENT_NO_DAY);
}

static void
R3_product_pick_from_mail_text(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		int only;            /* keep only the first product */
		const char *text;
		enum entitle_pick want;
		int64_t product;
	} rows[] = {
		{"only product", 1, "no funciona nada", ENTITLE_PICK_ONLY, P_WEBAPP},
		{"keyword android", 0, "La app de ANDROID se cierra al abrir",
		 ENTITLE_PICK_SUGGESTED, P_ANDROID},
		{"keyword iphone", 0, "En el iPhone no carga", ENTITLE_PICK_SUGGESTED,
		 P_IOS},
		{"keyword with accent", 0, "el chatbot responde mal",
		 ENTITLE_PICK_SUGGESTED, P_BOT},
		{"product name", 0, "La Intranet está lenta", ENTITLE_PICK_SUGGESTED,
		 P_WEBAPP},
		{"whole words only: precios has no ios", 0, "Cambiar los precios",
		 ENTITLE_PICK_ASK, 0},
		{"nothing to go on", 0, "Hola, tengo un problema", ENTITLE_PICK_ASK,
		 0},
		{"tie between two", 0, "android e iphone fallan", ENTITLE_PICK_ASK, 0},
		{"no text", 0, NULL, ENTITLE_PICK_ASK, 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct entitle_choice ch;
		make_facts();
		if (rows[i].only)
			facts.nproducts = 1;
		enum entitle_pick got = entitle_pick_product(&pol, &facts,
		                                             rows[i].text, &ch);
		if (got != rows[i].want || ch.product_id != rows[i].product)
			fail_msg("%s: got pick %d product %lld", rows[i].name, got,
			         (long long)ch.product_id);
	}
	struct entitle_choice ch;
	make_facts();
	facts.nproducts = 0;
	assert_int_equal(entitle_pick_product(&pol, &facts, "x", &ch),
	                 ENTITLE_PICK_NONE);
}

static void
R3_names_are_stable(void **state)
{
	(void)state;
	assert_string_equal(entitle_basis_name(ENTITLE_WARRANTY), "warranty");
	assert_string_equal(entitle_basis_name(ENTITLE_NONE), "none");
	assert_string_equal(entitle_reason_name(ENTITLE_R_CONTRACT_EXPIRED),
	                    "contract_expired");
	assert_string_equal(entitle_reason_name(ENTITLE_R_NO_CONTRACT),
	                    "no_contract");
}

static int
setup(void **state)
{
	(void)state;
	struct policy_diag d;
	if (policy_load(SOPORTE_SRC "/policy/prodequa.ini", &pol, &d) !=
	    POLICY_LOAD_OK) {
		policy_diag_print(&d, stderr);
		return -1;
	}
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(R3_entitlement_table),
		cmocka_unit_test(R3_every_basis_that_holds_is_listed),
		cmocka_unit_test(R3_warranty_last_day_arithmetic),
		cmocka_unit_test(R3_product_pick_from_mail_text),
		cmocka_unit_test(R3_names_are_stable),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
