/*
 * policy_show.c - the effective policy as JSON or readable text.
 */
#include "app/config/policy_show.h"

#include <stdlib.h>

static const char *const weekday_keys[7] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun",
};

const char *
policy_period_name(enum plan_period period)
{
	return period == PLAN_PERIOD_EVENT ? "event" : "month";
}

const char *
policy_rounding_name(enum rounding_mode mode)
{
	switch (mode) {
	case ROUNDING_UP:
		return "up";
	case ROUNDING_NEAREST:
		return "nearest";
	case ROUNDING_NONE:
		break;
	}
	return "none";
}

/* "08:00-12:00" of a window (minutes 0..1440), into out[16]. */
static void
window_text(const struct policy_window *w, char out[16])
{
	unsigned s = (unsigned)w->start_min % 1441, e = (unsigned)w->end_min % 1441;
	snprintf(out, 16, "%02u:%02u-%02u:%02u", s / 60, s % 60, e / 60, e % 60);
}

/* json_object_set_new that remembers a failure in *bad. */
static void
set(json_t *o, const char *k, json_t *v, int *bad)
{
	if (v == NULL || json_object_set_new(o, k, v) != 0)
		*bad = 1;
}

json_t *
policy_to_json(const struct policy *p, int with_fingerprint)
{
	int bad = 0;
	char w[16];
	json_t *root = json_object();
	if (root == NULL)
		return NULL;

	set(root, "name", json_string(p->name), &bad);
	set(root, "version", json_string(p->version), &bad);
	if (with_fingerprint)
		set(root, "fingerprint", json_string(p->fingerprint), &bad);
	set(root, "effective_from", json_string(p->effective_from), &bad);
	set(root, "language", json_string(p->language), &bad);

	json_t *c = json_object();
	set(root, "contact", c, &bad);
	if (c) {
		set(c, "support_address", json_string(p->support_address), &bad);
		set(c, "phone", json_string(p->phone), &bad);
		set(c, "phone_requires_email",
		    json_boolean(p->phone_requires_email), &bad);
		set(c, "project_manager", json_string(p->project_manager), &bad);
		set(c, "project_manager_address",
		    json_string(p->project_manager_address), &bad);
		set(c, "renewals_address", json_string(p->renewals_address), &bad);
	}

	json_t *sc = json_object();
	set(root, "schedule", sc, &bad);
	if (sc) {
		set(sc, "time_zone", json_string(p->time_zone), &bad);
		set(sc, "holidays", json_string(p->holidays[0] ? p->holidays :
		                                "none"), &bad);
		set(sc, "holidays_ics", json_string(p->holidays_ics), &bad);
		for (int d = 0; d < 7; d++) {
			json_t *a = json_array();
			set(sc, weekday_keys[d], a, &bad);
			for (int i = 0; a && i < p->week[d].nwindows; i++) {
				window_text(&p->week[d].windows[i], w);
				if (json_array_append_new(a, json_string(w)) != 0)
					bad = 1;
			}
		}
	}

	set(root, "at_risk_percent", json_integer(p->at_risk_percent), &bad);

	json_t *sv = json_array();
	set(root, "severities", sv, &bad);
	for (int i = 0; sv && i < POLICY_SEVERITIES; i++) {
		const struct policy_severity *s = &p->severity[i];
		json_t *o = json_object();
		if (o == NULL || json_array_append_new(sv, o) != 0) {
			bad = 1;
			break;
		}
		set(o, "level", json_integer(i + 1), &bad);
		set(o, "name_es", json_string(s->name_es), &bad);
		set(o, "name_en", json_string(s->name_en), &bad);
		set(o, "response_hours", json_integer(s->response_s / 3600), &bad);
		set(o, "response_or_more", json_boolean(s->response_or_more), &bad);
		set(o, "description_es", json_string(s->description_es), &bad);
		set(o, "description_en", json_string(s->description_en), &bad);
		set(o, "keywords", json_string(s->keywords), &bad);
	}

	json_t *pl = json_array();
	set(root, "plans", pl, &bad);
	for (int i = 0; pl && i < p->nplans; i++) {
		const struct policy_plan *x = &p->plans[i];
		json_t *o = json_object();
		if (o == NULL || json_array_append_new(pl, o) != 0) {
			bad = 1;
			break;
		}
		set(o, "key", json_string(x->key), &bad);
		set(o, "name_es", json_string(x->name_es), &bad);
		set(o, "name_en", json_string(x->name_en), &bad);
		set(o, "period", json_string(policy_period_name(x->period)), &bad);
		set(o, "included_hours", json_integer(x->included_s / 3600), &bad);
		set(o, "event_min_hours", json_integer(x->event_min_s / 3600), &bad);
		set(o, "update_min_hours", json_integer(x->update_min_s / 3600),
		    &bad);
		set(o, "purchase_order_required",
		    json_boolean(x->purchase_order_required), &bad);
		set(o, "overage", json_string(x->overage_billed_hourly ? "hourly" :
		                              "none"), &bad);
		set(o, "phone_advice", json_boolean(x->phone_advice), &bad);
		set(o, "email_follow_up", json_boolean(x->email_follow_up), &bad);
	}

	json_t *hb = json_object();
	set(root, "hour_bank", hb, &bad);
	if (hb) {
		set(hb, "rounding_minutes", json_integer(p->rounding_min), &bad);
		set(hb, "alert_percent", json_integer(p->hour_alert_percent), &bad);
		set(hb, "rounding", json_string(policy_rounding_name(p->rounding)),
		    &bad);
		set(hb, "partial_month", json_string(p->partial_month ==
		    PARTIAL_MONTH_FULL ? "full" : "prorate"), &bad);
	}

	json_t *wa = json_object();
	set(root, "warranty", wa, &bad);
	if (wa) {
		set(wa, "min_months", json_integer(p->warranty_min_months), &bad);
		set(wa, "max_months", json_integer(p->warranty_max_months), &bad);
		set(wa, "default_months", json_integer(p->warranty_default_months),
		    &bad);
	}

	json_t *pt = json_array();
	set(root, "product_types", pt, &bad);
	for (int i = 0; pt && i < p->nproduct_types; i++) {
		const struct policy_product_type *x = &p->product_types[i];
		json_t *o = json_object();
		if (o == NULL || json_array_append_new(pt, o) != 0) {
			bad = 1;
			break;
		}
		set(o, "key", json_string(x->key), &bad);
		set(o, "name_es", json_string(x->name_es), &bad);
		set(o, "name_en", json_string(x->name_en), &bad);
		set(o, "warranty_months", json_integer(x->warranty_months), &bad);
		set(o, "keywords", json_string(x->keywords), &bad);
	}

	json_t *ex = json_array();
	set(root, "exclusions", ex, &bad);
	for (int i = 0; ex && i < p->nexclusions; i++) {
		const struct policy_exclusion *x = &p->exclusions[i];
		json_t *o = json_object();
		if (o == NULL || json_array_append_new(ex, o) != 0) {
			bad = 1;
			break;
		}
		set(o, "key", json_string(x->key), &bad);
		set(o, "reason_es", json_string(x->reason_es), &bad);
		set(o, "reason_en", json_string(x->reason_en), &bad);
		set(o, "offer_es", json_string(x->offer_es), &bad);
		set(o, "offer_en", json_string(x->offer_en), &bad);
		set(o, "examples", json_string(x->examples), &bad);
		set(o, "keywords", json_string(x->keywords), &bad);
	}

	json_t *tr = json_object();
	set(root, "triage", tr, &bad);
	json_t *tcs = json_array();
	set(tr, "categories", tcs, &bad);
	if (tr) {
		set(tr, "confidence_percent",
		    json_integer(p->triage_confidence_percent), &bad);
		set(tr, "seed_weight", json_integer(p->triage_seed_weight), &bad);
	}
	for (int i = 0; tcs && i < p->ntriage_categories; i++) {
		const struct policy_triage_category *x = &p->triage_categories[i];
		json_t *o = json_object();
		if (o == NULL || json_array_append_new(tcs, o) != 0) {
			bad = 1;
			break;
		}
		set(o, "key", json_string(x->key), &bad);
		set(o, "description_es", json_string(x->description_es), &bad);
		set(o, "description_en", json_string(x->description_en), &bad);
		set(o, "keywords", json_string(x->keywords), &bad);
		set(o, "severity", json_integer(x->severity), &bad);
	}

	json_t *cl = json_object();
	set(root, "closure", cl, &bad);
	if (cl) {
		set(cl, "contact_attempts", json_integer(p->contact_attempts), &bad);
		set(cl, "attempt_wait_hours", json_integer(p->attempt_wait_s / 3600),
		    &bad);
	}

	json_t *li = json_object();
	set(root, "limits", li, &bad);
	if (li) {
		set(li, "max_message_bytes", json_integer(p->max_message_bytes),
		    &bad);
		set(li, "max_attachment_bytes",
		    json_integer(p->max_attachment_bytes), &bad);
		set(li, "max_outbound_bytes", json_integer(p->max_outbound_bytes),
		    &bad);
		set(li, "upload_keep_hours", json_integer(p->upload_keep_s / 3600),
		    &bad);
		set(li, "max_secrets_per_ticket",
		    json_integer(p->max_secrets_per_ticket), &bad);
		set(li, "max_attachments_per_ticket",
		    json_integer(p->max_attachments_per_ticket), &bad);
		set(li, "max_notes_per_ticket",
		    json_integer(p->max_notes_per_ticket), &bad);
	}

	if (bad) {
		json_decref(root);
		return NULL;
	}
	return root;
}

char *
policy_canonical(const struct policy *p)
{
	json_t *j = policy_to_json(p, 0);
	if (j == NULL)
		return NULL;
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(j);
	return s;
}

static const char *
yes_no(bool b)
{
	return b ? "sí / yes" : "no";
}

void
policy_print_text(const struct policy *p, FILE *f)
{
	static const char *const day_es[7] = {
		"Lunes", "Martes", "Miércoles", "Jueves", "Viernes", "Sábado",
		"Domingo",
	};
	char w[16];

	fprintf(f, "%s\n", p->name);
	fprintf(f, "Versión / version: %s (vigente desde %s)\n", p->version,
	        p->effective_from);
	fprintf(f, "Huella / fingerprint: %s\n", p->fingerprint);
	fprintf(f, "Idioma / language: %s\n\n", p->language);

	fprintf(f, "Contacto / contact\n");
	fprintf(f, "  Correo de soporte: %s\n", p->support_address);
	fprintf(f, "  Teléfono: %s%s\n", p->phone,
	        p->phone_requires_email ? " (previo envío de correo)" : "");
	fprintf(f, "  Project Manager: %s <%s>\n", p->project_manager,
	        p->project_manager_address);
	fprintf(f, "  Renovaciones: %s\n\n", p->renewals_address);

	fprintf(f, "Horario / schedule (%s; feriados: %s%s%s)\n", p->time_zone,
	        p->holidays[0] ? p->holidays : "none",
	        p->holidays_ics[0] ? " + " : "", p->holidays_ics);
	for (int d = 0; d < 7; d++) {
		/* Pad by characters, not bytes: the names are UTF-8. */
		int chars = 0;
		for (const char *c = day_es[d]; *c; c++)
			chars += ((unsigned char)*c & 0xC0) != 0x80;
		fprintf(f, "  %s%*s", day_es[d], 10 - chars, "");
		if (p->week[d].nwindows == 0)
			fprintf(f, " cerrado / closed");
		for (int i = 0; i < p->week[d].nwindows; i++) {
			window_text(&p->week[d].windows[i], w);
			fprintf(f, "%s%s", i ? ", " : " ", w);
		}
		fputc('\n', f);
	}

	fprintf(f, "\nTiempo de respuesta / response time (horas hábiles; en "
	        "riesgo al %d%%)\n", p->at_risk_percent);
	for (int i = 0; i < POLICY_SEVERITIES; i++) {
		const struct policy_severity *s = &p->severity[i];
		fprintf(f, "  %d %s / %s: %lld h%s\n", i + 1, s->name_es, s->name_en,
		        (long long)(s->response_s / 3600),
		        s->response_or_more ? " o más / or more" : "");
		fprintf(f, "      %s\n", s->description_es);
	}

	fprintf(f, "\nPlanes / plans (redondeo: %d min, %s; mes parcial: %s)\n",
	        p->rounding_min, policy_rounding_name(p->rounding),
	        p->partial_month == PARTIAL_MONTH_FULL ? "completo / full" :
	        "prorrateado / prorated");
	for (int i = 0; i < p->nplans; i++) {
		const struct policy_plan *x = &p->plans[i];
		fprintf(f, "  %s / %s [%s]: %lld h por %s", x->name_es, x->name_en,
		        x->key, (long long)(x->included_s / 3600),
		        x->period == PLAN_PERIOD_EVENT ? "evento" : "mes");
		if (x->purchase_order_required)
			fprintf(f, ", orden de compra");
		if (x->event_min_s)
			fprintf(f, ", mínimo por evento %lld h",
			        (long long)(x->event_min_s / 3600));
		if (x->update_min_s)
			fprintf(f, ", actualización mínimo %lld h",
			        (long long)(x->update_min_s / 3600));
		fprintf(f, "; adicional %s; teléfono %s; correo %s\n",
		        x->overage_billed_hourly ? "por hora" : "no",
		        yes_no(x->phone_advice), yes_no(x->email_follow_up));
	}

	fprintf(f, "\nGarantía / warranty: %d a %d meses (por defecto %d)\n",
	        p->warranty_min_months, p->warranty_max_months,
	        p->warranty_default_months);
	fprintf(f, "Productos / product types\n");
	for (int i = 0; i < p->nproduct_types; i++) {
		const struct policy_product_type *x = &p->product_types[i];
		fprintf(f, "  %-13s %s / %s (garantía %d %s)\n", x->key, x->name_es,
		        x->name_en, x->warranty_months,
		        x->warranty_months == 1 ? "mes" : "meses");
	}

	fprintf(f, "\nExclusiones / exclusions\n");
	for (int i = 0; i < p->nexclusions; i++) {
		const struct policy_exclusion *x = &p->exclusions[i];
		fprintf(f, "  %s: %s\n", x->key, x->reason_es);
		if (x->offer_es[0])
			fprintf(f, "      %s\n", x->offer_es);
	}

	fprintf(f, "\nCierre / closure: %d intentos de contacto, espera %lld h "
	        "hábiles\n", p->contact_attempts,
	        (long long)(p->attempt_wait_s / 3600));
	fprintf(f, "Límites / limits: mensaje %lld bytes, adjunto %lld bytes, "
	        "correo saliente %lld bytes; archivos subidos sin usar %lld h; "
	        "por ticket: %d credenciales, %d archivos, %d notas\n",
	        (long long)p->max_message_bytes,
	        (long long)p->max_attachment_bytes,
	        (long long)p->max_outbound_bytes,
	        (long long)(p->upload_keep_s / 3600), p->max_secrets_per_ticket,
	        p->max_attachments_per_ticket, p->max_notes_per_ticket);
}
