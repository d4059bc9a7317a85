/*
 * demo.c - the demo desk (see demo.h).
 */
#include "app/ops/demo.h"
#include "app/billing/client_facts.h"
#include "core/entitle.h"
#include "app/ticket/ticket_open.h"
#include "app/access/users.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct demo_client {
	const char *name, *domain;
	int monthly_service;
	const char *contact_name, *contact_email, *phone;
	const char *contact2_name, *contact2_email;
	/* products: type, name, delivered days ago, warranty months,
	 * post-production days from today (0: none) */
	struct {
		const char *type, *name;
		int delivered_ago, warranty, postprod;
	} products[2];
	/* contract: plan or NULL, valid from/to relative days, rate in soles */
	const char *plan;
	int valid_from, valid_to, rate;
};

static const struct demo_client clients[] = {
	{"Inversiones Andinas del Sur S.A.C.", "andinas.example.pe", 0,
	 "Rosa Quispe Mamani", "rquispe@andinas.example.pe", "01 441 2030",
	 "Jorge Salazar", "jsalazar@andinas.example.pe",
	 {{"web_app", "Sistema de facturación", 400, 2, 0},
	  {"landing_page", "Página de campañas", 300, 1, 0}},
	 "enterprise", -200, 165, 150},
	{"Clínica Santa Rosa S.A.", "santarosa.example.pe", 0,
	 "Dra. Patricia Villanueva", "pvillanueva@santarosa.example.pe",
	 "01 512 8800", "Luis Ñahui Torres", "sistemas@santarosa.example.pe",
	 {{"ai_chatbot", "Asistente de citas", 250, 2, 0},
	  {"web_app", "Portal de pacientes", 500, 2, 0}},
	 "basic", -100, 265, 120},
	{"Transportes Huallaga E.I.R.L.", "huallaga.example.pe", 0,
	 "Carlos Ríos", "crios@huallaga.example.pe", "064 21 3344", NULL, NULL,
	 {{"android_app", "App de conductores", 420, 1, 0}, {NULL, NULL, 0, 0, 0}},
	 "per_event", -300, 400, 180},
	{"Colegio San Martín de Porres", "sanmartin.example.edu.pe", 0,
	 "Hna. Teresa Cárdenas", "direccion@sanmartin.example.edu.pe", NULL,
	 NULL, NULL,
	 {{"smart_web", "Intranet de notas", 20, 2, 0}, {NULL, NULL, 0, 0, 0}},
	 NULL, 0, 0, 0},
	{"Agroexport Ica S.A.C.", "agroica.example.pe", 1, "Miluska Huamán",
	 "mhuaman@agroica.example.pe", "056 23 1122", NULL, NULL,
	 {{"multipage", "Web corporativa", 700, 1, 0}, {NULL, NULL, 0, 0, 0}},
	 NULL, 0, 0, 0},
	{"Ferretería Los Andes S.R.L.", "losandes.example.pe", 0, "Óscar Mendoza",
	 "omendoza@losandes.example.pe", NULL, NULL, NULL,
	 {{"ios_app", "Catálogo móvil", 75, 1, 45}, {NULL, NULL, 0, 0, 0}},
	 NULL, 0, 0, 0},
	{"Restaurante El Tumi", "eltumi.example.pe", 0, "Julia Chávez",
	 "jchavez@eltumi.example.pe", NULL, NULL, NULL,
	 {{"onepage", "Carta digital", 600, 1, 0}, {NULL, NULL, 0, 0, 0}},
	 "basic", -500, -30, 120},
};

static const struct {
	const char *email, *name;
	enum user_role role;
} staff[] = {
	{"admin@prodequa.example", "Carmen Rojas", ROLE_ADMIN},
	{"dparedes@prodequa.example", "Diego Paredes", ROLE_CONSULTANT},
	{"lfernandez@prodequa.example", "Lucía Fernández", ROLE_CONSULTANT},
	{"mtorres@prodequa.example", "Miguel Torres", ROLE_CONSULTANT},
	{"acastillo@prodequa.example", "Ana Castillo", ROLE_PROJECT_MANAGER},
	{"renovaciones@prodequa.example", "Patricia Soto", ROLE_RENEWALS},
};

struct demo_ticket {
	int client;            /* index in clients[] */
	int product;           /* index in its products */
	int severity;
	const char *category;
	const char *subject;
	const char *body;
	int hours_ago;         /* reported this many hours before now */
	int consultant;        /* index in staff[] (1..3), 0: unassigned */
	const char *state;     /* final state */
	int responded;         /* a reply went out after this many minutes */
	int logged_min;        /* time logged by the consultant */
};

static const struct demo_ticket tickets[] = {
	{0, 0, 1, "incident", "URGENTE: el sistema de facturación no emite comprobantes",
	 "Desde las 9 de la mañana ningún usuario puede emitir facturas ni "
	 "boletas. Aparece \"Error 500\" al grabar. Toda el área de ventas está "
	 "detenida.\n\nAdjunto captura del error.\n\nRosa Quispe\nJefa de "
	 "Sistemas",
	 2, 1, "assigned", 0, 0},
	{1, 0, 2, "incident", "El asistente de citas no confirma las reservas",
	 "Los pacientes reciben el mensaje de bienvenida pero el asistente no "
	 "confirma la cita; desde ayer hay unas 40 citas sin confirmar.",
	 26, 2, "in_progress", 45, 90},
	{2, 0, 3, "question", "Consulta: cómo exportar el reporte de viajes",
	 "Buenos días, ¿cómo se exporta a Excel el reporte mensual de viajes "
	 "de los conductores? No encontramos la opción.",
	 50, 3, "waiting_on_client", 120, 30},
	{3, 0, 3, "incident", "No se pueden subir las notas del segundo bimestre",
	 "Al subir el archivo de notas aparece \"formato no válido\", aunque "
	 "usamos la plantilla que nos dieron.",
	 5, 2, "in_progress", 30, 60},
	{4, 0, 4, "suggestion", "Sugerencia: agregar la versión en inglés",
	 "Sería útil tener la web corporativa también en inglés para nuestros "
	 "compradores del extranjero.",
	 3, 0, "new", 0, 0},
	{6, 0, 3, "incident", "La carta digital no muestra los precios",
	 "Desde el lunes la carta digital aparece sin precios en los celulares.",
	 8, 0, "renewal_required", 0, 0},
	{0, 1, 3, "change_request", "Cambiar el banner de la campaña de verano",
	 "Por favor reemplazar el banner principal por el adjunto a partir del "
	 "lunes.",
	 120, 1, "closed", 60, 180},
};

static int64_t
lima_today(const struct calendar *cal, int64_t now)
{
	int64_t local = now + calendar_utc_offset(cal, now);
	return (local >= 0 ? local : local - 86399) / 86400;
}

static enum store_rc
add_client(struct store *db, const struct demo_client *c, int64_t today,
           int64_t now, int64_t *client_id, int64_t *contact_id,
           int64_t product_ids[2])
{
	char d1[ISO_DATE_LEN], d2[ISO_DATE_LEN], d3[ISO_DATE_LEN];
	enum store_rc rc = store_get_int(
	    db,
	    "INSERT INTO clients (name, domain, monthly_service, created_at) "
	    "VALUES ($1, $2, $3, $4) RETURNING id",
	    STORE_PARAMS(SP_T(c->name), SP_T(c->domain), SP_I(c->monthly_service),
	                 SP_I(now)),
	    client_id);
	if (rc == STORE_OK)
		rc = store_get_int(db,
		                   "INSERT INTO contacts (client_id, name, email, phone, "
		                   "created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
		                   STORE_PARAMS(SP_I(*client_id), SP_T(c->contact_name),
		                                SP_T(c->contact_email), SP_T(c->phone),
		                                SP_I(now)),
		                   contact_id);
	if (rc == STORE_OK && c->contact2_email)
		rc = store_exec(db,
		                "INSERT INTO contacts (client_id, name, email, "
		                "created_at) VALUES ($1, $2, $3, $4)",
		                STORE_PARAMS(SP_I(*client_id), SP_T(c->contact2_name),
		                             SP_T(c->contact2_email), SP_I(now)));
	for (int i = 0; i < 2 && rc == STORE_OK; i++) {
		product_ids[i] = 0;
		if (c->products[i].type == NULL)
			continue;
		iso_date_format(today - c->products[i].delivered_ago, d1);
		if (c->products[i].postprod)
			iso_date_format(today + c->products[i].postprod, d2);
		rc = store_get_int(
		    db,
		    "INSERT INTO products (client_id, type, name, delivered_on, "
		    "warranty_months, post_production_until, created_at) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
		    STORE_PARAMS(SP_I(*client_id), SP_T(c->products[i].type),
		                 SP_T(c->products[i].name), SP_T(d1),
		                 SP_I(c->products[i].warranty),
		                 SP_T(c->products[i].postprod ? d2 : NULL), SP_I(now)),
		    &product_ids[i]);
	}
	if (rc != STORE_OK || c->plan == NULL)
		return rc;
	int64_t contract_id = 0;
	iso_date_format(today + c->valid_from, d1);
	iso_date_format(today + c->valid_to, d3);
	rc = store_get_int(db,
	                   "INSERT INTO contracts (client_id, plan, valid_from, "
	                   "valid_to, hourly_rate_cents, created_at) VALUES "
	                   "($1, $2, $3, $4, $5, $6) RETURNING id",
	                   STORE_PARAMS(SP_I(*client_id), SP_T(c->plan), SP_T(d1),
	                                SP_T(d3), SP_I((int64_t)c->rate * 100),
	                                SP_I(now)),
	                   &contract_id);
	for (int i = 0; i < 2 && rc == STORE_OK; i++)
		if (product_ids[i])
			rc = store_exec(db,
			                "INSERT INTO contract_products (contract_id, "
			                "product_id) VALUES ($1, $2)",
			                STORE_PARAMS(SP_I(contract_id), SP_I(product_ids[i])));
	if (rc == STORE_OK && strcmp(c->plan, "per_event") == 0)
		rc = store_exec(db,
		                "INSERT INTO purchase_orders (client_id, number, "
		                "issued_on, hours_s, created_at) VALUES "
		                "($1, 'OC-2026-0142', $2, 3600, $3)",
		                STORE_PARAMS(SP_I(*client_id), SP_T(d1), SP_I(now)));
	return rc;
}

/* Records the ticket's entitlement (R3) as intake would: the core
 * decides from the client's products and contracts on the report day. */
static enum store_rc
demo_entitle(struct store *db, const struct policy *pol, int64_t client_id,
             int64_t ticket_id, int64_t product_id, int64_t today)
{
	struct client_facts *f = malloc(sizeof *f);
	if (f == NULL)
		return store_fail(db, STORE_ERROR, "out of memory");
	enum store_rc rc = client_facts_load(db, client_id, f);
	struct entitlement e;
	if (rc == STORE_OK) {
		entitle_decide(pol, f, product_id, today, &e);
		rc = store_exec(
		    db,
		    "UPDATE tickets SET entitlement = $2, entitlement_reason = $3, "
		    "coverage = $4 WHERE id = $1",
		    STORE_PARAMS(SP_I(ticket_id), SP_T(entitle_basis_name(e.basis)),
		                 SP_T(entitle_reason_name(e.reason)),
		                 SP_T(entitle_coverage_name(e.basis))));
	}
	free(f);
	return rc;
}

/* Moves a demo ticket to its final state with what got it there. */
static enum store_rc
play_ticket(struct store *db, const struct demo_ticket *t, int64_t id,
            int64_t contact_id, int64_t consultant, const struct calendar *cal,
            int64_t reported, int64_t today, int64_t now)
{
	enum store_rc rc = STORE_OK;
	if (t->responded) {
		int64_t at = reported + t->responded * 60;
		int64_t business = 0;
		calendar_between(cal, reported, at, &business);
		rc = store_exec(db,
		                "INSERT INTO messages (ticket_id, kind, author_user_id, "
		                "subject, body_text, created_at) VALUES ($1, 'out', $2, "
		                "$3, $4, $5)",
		                STORE_PARAMS(SP_I(id), SP_I(consultant),
		                             SP_T("Re: su solicitud"),
		                             SP_T("Buenos días, ya estamos revisando su "
		                                  "caso. Le escribiremos con novedades."),
		                             SP_I(at)));
		if (rc == STORE_OK)
			rc = store_exec(db,
			                "UPDATE tickets SET first_response_at = $2, "
			                "first_response_business_s = $3, response_met = "
			                "CASE WHEN $2 <= response_due_at THEN 1 ELSE 0 END "
			                "WHERE id = $1",
			                STORE_PARAMS(SP_I(id), SP_I(at), SP_I(business)));
	}
	if (rc == STORE_OK && t->logged_min) {
		char day[ISO_DATE_LEN];
		iso_date_format(today, day);
		rc = store_exec(db,
		                "INSERT INTO time_entries (ticket_id, user_id, "
		                "work_date, seconds, coverage, note, created_at) "
		                "VALUES ($1, $2, $3, $4, 'plan', $5, $6)",
		                STORE_PARAMS(SP_I(id), SP_I(consultant), SP_T(day),
		                             SP_I((int64_t)t->logged_min * 60),
		                             SP_T("Diagnóstico y corrección"), SP_I(now)));
	}
	if (rc == STORE_OK && strcmp(t->state, "waiting_on_client") == 0) {
		int64_t start = now - 3600 * 20;
		char day[ISO_DATE_LEN];
		iso_date_format(today - 1, day);
		rc = store_exec(db,
		                "INSERT INTO pauses (ticket_id, start_at) VALUES ($1, $2)",
		                STORE_PARAMS(SP_I(id), SP_I(start)));
		if (rc == STORE_OK)
			rc = store_exec(db,
			                "INSERT INTO contact_attempts (ticket_id, user_id, "
			                "channel, outcome, wait_s, business_day, "
			                "attempted_at) VALUES ($1, $2, 'phone', "
			                "'no_answer', 172800, $3, $4)",
			                STORE_PARAMS(SP_I(id), SP_I(consultant), SP_T(day),
			                             SP_I(start + 600)));
	}
	/* Waiting for the renewal, the clock waits too (ticket_entitle.h). */
	if (rc == STORE_OK && strcmp(t->state, "renewal_required") == 0)
		rc = store_exec(db,
		                "INSERT INTO pauses (ticket_id, start_at, reason) "
		                "SELECT id, created_at, 'renewal_required' FROM "
		                "tickets WHERE id = $1",
		                STORE_PARAMS(SP_I(id)));
	(void)contact_id;
	if (rc == STORE_OK)
		rc = store_exec(
		    db,
		    "UPDATE tickets SET state = $2, "
		    "close_reason = CASE WHEN $2 = 'closed' THEN 'confirmed' "
		    "WHEN $2 = 'renewal_required' THEN NULL ELSE close_reason END, "
		    "closed_at = CASE WHEN $2 = 'closed' THEN CAST($3 AS BIGINT) "
		    "ELSE NULL END, "
		    "coverage = CASE WHEN $2 = 'renewal_required' THEN 'none' "
		    "ELSE coverage END WHERE id = $1",
		    STORE_PARAMS(SP_I(id), SP_T(t->state), SP_I(now - 3600)));
	return rc;
}

enum store_rc
demo_load(struct store *db, const struct policy *pol, const struct calendar *cal,
          int64_t now)
{
	int64_t n = 0;
	enum store_rc rc = store_get_int(db, "SELECT COUNT(*) FROM clients",
	                                 STORE_NO_PARAMS, &n);
	if (rc != STORE_OK)
		return rc;
	if (n > 0)
		return store_fail(db, STORE_CONSTRAINT,
		                  "the database already has clients; the demo is "
		                  "loaded only into an empty desk");
	int64_t today = lima_today(cal, now);
	int64_t staff_ids[sizeof staff / sizeof staff[0]];
	int64_t client_ids[sizeof clients / sizeof clients[0]];
	int64_t contact_ids[sizeof clients / sizeof clients[0]];
	int64_t product_ids[sizeof clients / sizeof clients[0]][2];

	for (size_t i = 0; i < sizeof staff / sizeof staff[0] && rc == STORE_OK; i++) {
		struct user_new u = {staff[i].email, staff[i].name, staff[i].role, 0, 0,
		                     DEMO_PASSWORD};
		rc = user_create(db, &u, now, &staff_ids[i]);
	}
	for (size_t i = 0; i < sizeof clients / sizeof clients[0] && rc == STORE_OK;
	     i++)
		rc = add_client(db, &clients[i], today, now, &client_ids[i],
		                &contact_ids[i], product_ids[i]);
	/* Portal accounts for two client contacts. */
	for (int i = 0; i < 2 && rc == STORE_OK; i++) {
		int64_t uid;
		struct user_new u = {clients[i].contact_email, clients[i].contact_name,
		                     ROLE_CLIENT, client_ids[i], contact_ids[i],
		                     DEMO_PASSWORD};
		rc = user_create(db, &u, now, &uid);
	}
	for (size_t i = 0; i < sizeof tickets / sizeof tickets[0] && rc == STORE_OK;
	     i++) {
		const struct demo_ticket *t = &tickets[i];
		int64_t consultant = t->consultant ? staff_ids[t->consultant] : 0;
		struct ticket_request req = {
			.client_id = client_ids[t->client],
			.contact_id = contact_ids[t->client],
			.product_id = product_ids[t->client][t->product],
			.assignee_id = consultant,
			.subject = t->subject,
			.body = t->body,
			.from_addr = clients[t->client].contact_email,
			.severity = t->severity,
			.category = t->category,
			.channel = "email",
			.reported_at = now - (int64_t)t->hours_ago * 3600,
			.actor = {ACTOR_CONTACT, contact_ids[t->client]},
		};
		int64_t id, number;
		rc = ticket_open(db, pol, cal, &req, now, &id, &number);
		if (rc == STORE_OK)
			rc = demo_entitle(db, pol, client_ids[t->client], id,
			                  product_ids[t->client][t->product], today);
		if (rc == STORE_OK)
			rc = play_ticket(db, t, id, contact_ids[t->client], consultant, cal,
			                 req.reported_at, today, now);
	}
	return rc;
}

enum store_rc
demo_load_tx(struct store *db, const struct policy *pol,
             const struct calendar *cal, int64_t now)
{
	enum store_rc rc = store_begin(db, 1);
	if (rc == STORE_OK)
		rc = demo_load(db, pol, cal, now);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
	return rc;
}
