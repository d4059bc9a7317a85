/*
 * test_triage.c - the triage model of issue 17 (core/triage.c, R6 "when
 * unsure, the higher severity"): what a consultant would notice. Any mail,
 * even empty, huge, English-only or HTML-only, gets a severity, a category
 * and reasons; a model survives its text; under the threshold the
 * severity goes up and the ticket is flagged; the policy's definitions
 * alone already tell an outage from a suggestion; a corrected example
 * changes the proposal for a near-identical mail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/config/policy_file.h"
#include "app/intake/triage_mail.h"
#include "core/triage.h"
#include "mail/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct triage_policy_seed seed;
static struct triage_model *seed_model; /* the policy's definitions only */

static int
setup(void **state)
{
	(void)state;
	struct policy *p = malloc(sizeof *p);
	struct policy_diag *d = malloc(sizeof *d);
	if (p == NULL || d == NULL ||
	    policy_load(SOPORTE_SRC "/policy/prodequa.ini", p, d) !=
	        POLICY_LOAD_OK)
		return -1;
	triage_seed_from_policy(p, &seed);
	free(p);
	free(d);
	return triage_train(&seed, NULL, 0, &seed_model);
}

static int
teardown(void **state)
{
	(void)state;
	triage_model_free(seed_model);
	return 0;
}

static struct triage_input
mail_of(const char *subject, const char *body)
{
	struct triage_input in = {.subject = subject, .body = body};
	return in;
}

/* Every result a person could be shown is whole. */
static void
assert_sane(const struct triage_result *r)
{
	assert_in_range(r->severity, 1, 4);
	assert_in_range(r->model_severity, 1, 4);
	assert_in_range(r->category, 0, TRIAGE_NCATEGORIES - 1);
	assert_true(r->severity_confidence > 0 && r->severity_confidence <= 1);
	assert_true(r->category_confidence > 0 && r->category_confidence <= 1);
	assert_true(r->nreasons >= 1 && r->nreasons <= TRIAGE_REASONS);
	for (size_t i = 0; i < r->nreasons; i++)
		assert_true(strlen(r->reasons[i]) > 0 &&
		            strlen(r->reasons[i]) < TRIAGE_REASON_LEN);
	assert_int_equal(strlen(r->model_version), 64);
}

static void
test_names(void **state)
{
	(void)state;
	for (int c = 0; c < TRIAGE_NCATEGORIES; c++)
		assert_int_equal(triage_category_parse(
		    triage_category_name((enum triage_category)c)), c);
	assert_int_equal(triage_category_parse("excluded_third_party"),
	                 TRIAGE_EXCLUDED_THIRD_PARTY);
	assert_int_equal(triage_category_parse("bug"), -1);
	assert_int_equal(triage_category_parse(NULL), -1);
	assert_true(triage_category_excluded(TRIAGE_EXCLUDED_TRAINING));
	assert_false(triage_category_excluded(TRIAGE_QUESTION));
}

static void
test_empty_mail(void **state)
{
	(void)state;
	struct triage_input in = {0};
	struct triage_result r;
	triage_classify(seed_model, &in, 0.6, &r);
	assert_sane(&r);
	in = mail_of("", "   \n\n  ");
	triage_classify(seed_model, &in, 0.6, &r);
	assert_sane(&r);
}

static void
test_huge_mail(void **state)
{
	(void)state;
	size_t n = 1024 * 1024;
	char *body = malloc(n + 1);
	assert_non_null(body);
	static const char line[] = "El sistema está caído y ningún usuario "
	                           "puede entrar; adjunto el registro. ";
	for (size_t i = 0; i < n; i++)
		body[i] = line[i % (sizeof line - 1)];
	body[n] = '\0';
	struct triage_input in = mail_of("Sistema caído", body);
	struct triage_result r;
	triage_classify(seed_model, &in, 0.6, &r);
	assert_sane(&r);
	assert_int_equal(r.severity, 1);
	free(body);
}

/* The policy's definitions alone, in English: an outage of everything
 * is critical, a suggestion is low. */
static void
test_english_only(void **state)
{
	(void)state;
	struct triage_input in = mail_of(
	    "Website down", "Our website is down, all users get an error and "
	    "nobody can log in. The business is inoperable.");
	struct triage_result r;
	triage_classify(seed_model, &in, 0.6, &r);
	assert_sane(&r);
	assert_int_equal(r.severity, 1);
	assert_int_equal(r.category, TRIAGE_INCIDENT);

	in = mail_of("A suggestion", "Just a suggestion: it would be nice to "
	             "clarify the documentation of the reports.");
	triage_classify(seed_model, &in, 0.6, &r);
	assert_sane(&r);
	assert_int_equal(r.category, TRIAGE_SUGGESTION);
	assert_int_equal(r.model_severity, 4);
}

/* A mail with only an HTML part: the caller's text extraction
 * (mail_parse, triage_input_from_mail) gives the classifier its words. */
static void
test_html_only(void **state)
{
	(void)state;
	static const char raw[] =
	    "From: Ana <ana@cliente.pe>\r\n"
	    "To: soporte@prodequa.example\r\n"
	    "Subject: Capacitación para el personal nuevo\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "\r\n"
	    "<html><body><p>Buenos días, necesitamos una <b>capacitación</b> "
	    "y un curso para enseñar al personal nuevo a usar el sistema."
	    "</p></body></html>\r\n";
	mail_init();
	struct mail *m;
	assert_int_equal(mail_parse(raw, sizeof raw - 1, NULL, &m), MAIL_OK);
	struct triage_mail tm;
	triage_input_from_mail(m, "web_app", "cliente.pe", &tm);
	assert_non_null(strstr(tm.in.body, "personal nuevo"));
	assert_null(strchr(tm.in.body, '<'));
	struct triage_result r;
	triage_classify(seed_model, &tm.in, 0.6, &r);
	assert_sane(&r);
	assert_int_equal(r.category, TRIAGE_EXCLUDED_TRAINING);
	mail_free(m);
}

static struct triage_model *
round_trip(const struct triage_model *m)
{
	char *text;
	size_t len;
	assert_int_equal(triage_model_serialize(m, &text, &len), 0);
	assert_int_equal(strlen(text), len);
	assert_int_equal(strncmp(text, "soporte-triage-model 1\n", 23), 0);
	struct triage_model *back;
	assert_int_equal(triage_model_parse(text, len, &back), 0);
	char *again;
	size_t len2;
	assert_int_equal(triage_model_serialize(back, &again, &len2), 0);
	assert_int_equal(len, len2);
	assert_memory_equal(text, again, len);
	free(text);
	free(again);
	return back;
}

static void
test_round_trip(void **state)
{
	(void)state;
	struct triage_model *back = round_trip(seed_model);
	assert_string_equal(triage_model_version(back),
	                    triage_model_version(seed_model));
	struct triage_input in = mail_of("Consulta", "¿Cómo puedo exportar el "
	                                 "reporte de ventas a Excel?");
	struct triage_result a, b;
	triage_classify(seed_model, &in, 0.6, &a);
	triage_classify(back, &in, 0.6, &b);
	assert_memory_equal(&a, &b, sizeof a);
	triage_model_free(back);

	/* Not a model: refused, nothing returned. */
	static const char *const bad[] = {
		"", "soporte-triage-model 2\n", "hello\n",
		"soporte-triage-model 1\nalpha 100\nexamples 0\n",
		"soporte-triage-model 1\nalpha 100\nexamples 0\ncatsev 0 3 3 4 0 0 "
		"0\nsevdocs 0 0 0 0\ncatdocs 0 0 0 0 0 0 0\nf a:log 1 2\n",
		"soporte-triage-model 1\nalpha 100\nexamples 0\ncatsev 0 3 3 4 0 0 "
		"9\nsevdocs 0 0 0 0\ncatdocs 0 0 0 0 0 0 0\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct triage_model *m = (struct triage_model *)1;
		assert_int_equal(triage_model_parse(bad[i], strlen(bad[i]), &m), -1);
		assert_null(m);
	}
}

/* R6: under the threshold, the more urgent of the two likeliest
 * severities, flagged; at threshold 0 the model's own answer, unflagged. */
static void
test_threshold_raises_and_flags(void **state)
{
	(void)state;
	static const char *const mails[][2] = {
		{"Error en el formulario", "El formulario de contacto muestra un "
		 "error a un usuario; los demás trabajan normal."},
		{"Consulta", "¿Dónde encuentro el reporte mensual?"},
		{"Cambio de logo", "Queremos cambiar el logo de la página."},
		{"Lento", "El sistema está lento por las tardes."},
		{"Sugerencia", "Sería bueno un botón para imprimir."},
	};
	int raised = 0;
	for (size_t i = 0; i < sizeof mails / sizeof mails[0]; i++) {
		struct triage_input in = mail_of(mails[i][0], mails[i][1]);
		struct triage_result low, high;
		triage_classify(seed_model, &in, 0.0, &low);
		assert_sane(&low);
		assert_false(low.flagged);
		assert_int_equal(low.severity, low.model_severity);

		triage_classify(seed_model, &in, 1.0, &high);
		assert_sane(&high);
		assert_true(high.flagged);
		assert_int_equal(high.model_severity, low.model_severity);
		/* Never a longer deadline than the model's own answer. */
		assert_true(high.severity <= high.model_severity);
		raised += high.severity < high.model_severity;
	}
	assert_true(raised > 0);
}

/* A consultant's correction is learnt: the same kind of mail, seen as
 * severity 1 twice, is proposed as 1. */
static void
test_learns_from_examples(void **state)
{
	(void)state;
	struct triage_input in = mail_of(
	    "Facturación electrónica", "La facturación electrónica rechaza "
	    "los comprobantes desde esta mañana.");
	struct triage_result before, after;
	triage_classify(seed_model, &in, 0.0, &before);
	assert_int_not_equal(before.model_severity, 1);
	struct triage_example ex[3] = {
		{mail_of("Facturación electrónica rechaza comprobantes",
		         "La facturación electrónica rechaza todos los comprobantes."),
		 1, TRIAGE_INCIDENT},
		{mail_of("Comprobantes rechazados",
		         "Los comprobantes de la facturación electrónica son "
		         "rechazados."), 1, TRIAGE_INCIDENT},
		{mail_of("Un cambio", "Cambiar el logo del pie de página."), 3,
		 TRIAGE_CHANGE_REQUEST},
	};
	struct triage_model *m;
	assert_int_equal(triage_train(&seed, ex, 3, &m), 0);
	assert_int_equal(triage_model_examples(m), 3);
	assert_string_not_equal(triage_model_version(m),
	                        triage_model_version(seed_model));
	triage_classify(m, &in, 0.0, &after);
	assert_sane(&after);
	assert_int_equal(after.model_severity, 1);
	assert_string_equal(after.model_version, triage_model_version(m));
	triage_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_empty_mail),
		cmocka_unit_test(test_huge_mail),
		cmocka_unit_test(test_english_only),
		cmocka_unit_test(test_html_only),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_threshold_raises_and_flags),
		cmocka_unit_test(test_learns_from_examples),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
