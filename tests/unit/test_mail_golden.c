/*
 * test_mail_golden.c - every mail the desk renders, word for word.
 *
 * For each template templates/LANG/NAME.txt, renders it with fixed sample
 * facts through the code the desk sends it with (flow_mail_render() for a
 * ticket's mail, the acknowledgment and renewal answers of intake
 * included; staff_digest_render() for the digests;
 * policy_change_render() for the policy notice) and compares the result,
 * "Subject: ...", a blank line and the body, with tests/golden/mail/
 * NAME.txt (tests/golden/mail/LANG/NAME.txt for templates/LANG other than
 * es). It fails when they differ, when a template has no golden file (a
 * new template needs one) and when a golden file has no template.
 *
 * After a deliberate change of wording, regenerate the golden files and
 * read their diff before committing it:
 *     scripts/golden-mail.sh          (builds, then runs this with
 *                                      SOPORTE_GOLDEN_UPDATE=1)
 */
#include "app/base/template.h"
#include "app/billing/hour_alerts.h"
#include "app/billing/remote_sessions.h"
#include "app/billing/statement_send.h"
#include "app/config/calendar_load.h"
#include "app/config/policy_file.h"
#include "app/ops/policy_notify.h"
#include "app/ticket/account_mail.h"
#include "app/ticket/flow_mail.h"
#include "app/ticket/staff_notice.h"

#include <dirent.h>
#include <sys/stat.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define TEMPLATES SOPORTE_SRC "/templates"
#define GOLDEN SOPORTE_SRC "/tests/golden/mail"
#define MON 1791208800   /* Monday 05/10/2026 09:00 Lima */

static struct policy pol;
static struct calendar *cal;
static int updating;

static int
setup(void **state)
{
	(void)state;
	struct policy_diag diag;
	char err[256];
	setenv("SOPORTE_TEMPLATES", TEMPLATES, 1);
	updating = getenv("SOPORTE_GOLDEN_UPDATE") &&
	           strcmp(getenv("SOPORTE_GOLDEN_UPDATE"), "1") == 0;
	if (policy_load(SOPORTE_SRC "/policy/prodequa.ini", &pol, &diag) !=
	    POLICY_LOAD_OK)
		return -1;
	/* The policy's own fingerprint changes with any edit of the file: the
	 * notice's golden file should not. */
	snprintf(pol.fingerprint, sizeof pol.fingerprint, "%s",
	         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
	return calendar_load(&pol, NULL, &cal, NULL, err, sizeof err) ==
	               CALLOAD_OK
	           ? 0
	           : -1;
}

static int
teardown(void **state)
{
	(void)state;
	calendar_free(cal);
	return 0;
}

/* The close reason and state a mail of kind is sent with. */
static void
kind_facts(const char *kind, struct flow_mail_facts *f)
{
	static const struct {
		const char *kind;
		enum wf_close_reason reason;
	} closes[] = {
		{"closed_confirmed", WF_CLOSE_CONFIRMED},
		{"closed_no_response", WF_CLOSE_NO_RESPONSE},
		{"closed_excluded", WF_CLOSE_EXCLUDED},
		{"closed_duplicate", WF_CLOSE_DUPLICATE},
		{"closed_renewal", WF_CLOSE_RENEWAL_REQUIRED},
	};
	f->state = WF_IN_PROGRESS;
	for (size_t i = 0; i < sizeof closes / sizeof closes[0]; i++)
		if (strcmp(kind, closes[i].kind) == 0) {
			f->close_reason = closes[i].reason;
			f->state = WF_CLOSED;
		}
	if (strcmp(kind, "renewal") == 0 || strcmp(kind, "renewal_notice") == 0)
		f->state = WF_RENEWAL_REQUIRED;
}

/* Renders template kind with the sample facts; 0 or -1 (err says why). */
static int
render(const char *lang, const char *kind, char **subject, char **body,
       char *err, size_t errlen)
{
	if (strcmp(kind, "digest") == 0 || strcmp(kind, "digest_overflow") == 0)
		return staff_digest_render(
		    &pol, strcmp(kind, "digest") == 0 ? 123 : -1,
		    "No carga el módulo de facturación", 3,
		    "05/10/2026 09:10  [Ticket #000123] Respuesta del cliente: "
		    "Adjunto la captura.\n"
		    "05/10/2026 09:40  [Ticket #000123] Reabierto: Sigue sin "
		    "cargar.\n",
		    subject, body, err, errlen);
	if (strcmp(kind, "policy_change") == 0) {
		/* Version 2026-12-01: Media 24 -> 16 h, Básica 25 h, Saturday
		 * mornings open (R12). */
		static struct policy next;
		static struct policy_diff d;
		next = pol;
		snprintf(next.version, sizeof next.version, "2026-12-01");
		snprintf(next.effective_from, sizeof next.effective_from,
		         "2026-12-01");
		next.severity[2].response_s = 16 * 3600;
		((struct policy_plan *)policy_plan_find(&next, "basic"))->included_s =
		    25 * 3600;
		next.week[5].nwindows = 1;
		next.week[5].windows[0] = (struct policy_window){9 * 60, 13 * 60};
		policy_diff(&pol, &next, &d);
		char *changes = NULL;
		if (policy_changes_text(lang, &d, &changes, err, errlen) != 0)
			return -1;
		int rc = policy_change_render(&next, lang, "Rosa Quispe",
		                              "Inversiones Andinas S.A.C.", changes,
		                              subject, body, err, errlen);
		free(changes);
		return rc;
	}
	if (strcmp(kind, "hour_alert") == 0 || strcmp(kind, "hour_overage") == 0) {
		int over = kind[5] == 'o';
		const struct hour_alert_facts h = {
			.client_name = "Inversiones Andinas S.A.C.",
			.plan_name = "Básica",
			.plan_name_en = "Basic",
			.month = "10/2026",
			.percent = 80,
			.used_s = over ? 21 * 3600 + 15 * 60 : 16 * 3600,
			.included_s = 20 * 3600,
			.overage_s = over ? 3600 + 15 * 60 : 0,
			.rate_cents = 12000,
		};
		return hour_alert_render(&pol, kind, lang, &h, subject, body, err,
		                         errlen);
	}
	if (strcmp(kind, "statement") == 0) {
		const int en = strcmp(lang, "en") == 0;
		const struct statement_mail_facts st = {
			.client_name = "Inversiones Andinas S.A.C.",
			.month = en ? "October 2026" : "octubre de 2026",
			.hours_used = "21.25 h",
			.total = "S/ 1,234.50",
			.filename = en ? "statement-andinas.pe-2026-10.pdf"
			               : "estado-de-cuenta-andinas.pe-2026-10.pdf",
		};
		return statement_mail_render(&pol, lang, &st, subject, body, err,
		                             errlen);
	}
	if (strcmp(kind, "password_reset") == 0)
		return account_reset_render(
		    &pol, lang, "Rosa Quispe",
		    "https://soporte.prodequa.example/reset#"
		    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		    subject, body, err, errlen);
	if (strcmp(kind, "remote_session") == 0) {
		const struct remote_mail_facts r = {
			.number = 123,
			.subject = "No carga el módulo de facturación",
			.contact_name = "Rosa Quispe",
			.assignee_name = "Diego Paredes",
			.start_local = "06/10/2026 10:00",
			.end_local = "06/10/2026 11:30",
			.planned_s = 90 * 60,
		};
		return remote_session_render(&pol, lang, &r, subject, body, err,
		                             errlen);
	}
	struct flow_mail_facts f = {
		.pol = &pol,
		.cal = cal,
		.number = 123,
		.subject = "No carga el módulo de facturación",
		.client_name = "Inversiones Andinas S.A.C.",
		.contact_name = "Rosa Quispe",
		.assignee_name = "Diego Paredes",
		.body = "Texto que escribió la persona.\nSegunda línea.",
		.actor_email = "dparedes@prodequa.example",
		.product_name = "Portal de facturación",
		.reason = "El plan de soporte venció el 31/08/2026.",
		.severity = 2,
		.old_severity = 3,
		.due_at = MON + 5 * 3600,
		.wait_s = 2 * 3600 + 2 * 60,
		.close_at = MON + 2 * 86400,
		.attempt = 2,
		.rate_cents = 12000,
	};
	kind_facts(kind, &f);
	return flow_mail_render(&f, kind, lang, subject, body, err, errlen);
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	if (fp == NULL)
		return NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		fwrite(chunk, 1, n, mem);
	fclose(fp);
	fclose(mem);
	return text;
}

/* The names (without .txt) of the .txt files of dir, sorted; with
 * dirs, its folders instead (but . and ..). None when dir is missing. */
static char **
txt_names(const char *dir, int dirs, int *count)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (dirs ? e->d_type != DT_DIR || e->d_name[0] == '.'
		         : len <= 4 || strcmp(e->d_name + len - 4, ".txt") != 0)
			continue;
		names = realloc(names, (size_t)(n + 2) * sizeof *names);
		assert_non_null(names);
		names[n++] = strndup(e->d_name, dirs ? len : len - 4);
	}
	if (d)
		closedir(d);
	for (int i = 1; i < n; i++)   /* insertion sort: a few dozen names */
		for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	*count = n;
	return names;
}

static void
free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Where the golden files of lang are: GOLDEN for Spanish, the first
 * language, GOLDEN/LANG for the others. */
static void
golden_dir(const char *lang, char *out, size_t len)
{
	if (strcmp(lang, "es") == 0)
		snprintf(out, len, GOLDEN);
	else
		snprintf(out, len, GOLDEN "/%s", lang);
}

/* The mails of one language: 0 when all match; bad ones are counted. */
static int
check_language(const char *lang)
{
	int n, bad = 0;
	char dir[512], gdir[512];
	snprintf(dir, sizeof dir, TEMPLATES "/%s", lang);
	golden_dir(lang, gdir, sizeof gdir);
	if (updating)
		mkdir(gdir, 0755);
	char **names = txt_names(dir, 0, &n);
	for (int i = 0; i < n; i++) {
		char *subject = NULL, *body = NULL, err[256], path[1100], *want;
		if (render(lang, names[i], &subject, &body, err, sizeof err) != 0) {
			print_error("%s/%s: cannot render: %s\n", lang, names[i], err);
			bad++;
			continue;
		}
		char *got = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&got, &len);
		fprintf(mem, "Subject: %s\n\n%s", subject, body);
		fclose(mem);
		snprintf(path, sizeof path, "%s/%s.txt", gdir, names[i]);
		if (updating) {
			FILE *out = fopen(path, "w");
			assert_non_null(out);
			fputs(got, out);
			assert_int_equal(fclose(out), 0);
		} else if ((want = slurp(path)) == NULL) {
			print_error("%s/%s: no golden file %s (a new template needs "
			            "one: run scripts/golden-mail.sh)\n", lang, names[i],
			            path);
			bad++;
		} else {
			if (strcmp(got, want) != 0) {
				print_error("%s/%s: the rendered mail differs from %s; it "
				            "renders as:\n%s\n(a deliberate change: run "
				            "scripts/golden-mail.sh and read the diff)\n",
				            lang, names[i], path, got);
				bad++;
			}
			free(want);
		}
		free(got);
		free(subject);
		free(body);
	}
	free_names(names, n);
	/* A golden file whose template is gone is stale: nothing checks it. */
	names = txt_names(gdir, 0, &n);
	for (int i = 0; i < n; i++) {
		char path[1100];
		snprintf(path, sizeof path, "%s/%s.txt", dir, names[i]);
		FILE *f = fopen(path, "r");
		if (f) {
			fclose(f);
			continue;
		}
		snprintf(path, sizeof path, "%s/%s.txt", gdir, names[i]);
		if (updating) {
			remove(path);
			continue;
		}
		print_error("%s: a golden file with no template (delete it)\n", path);
		bad++;
	}
	free_names(names, n);
	return bad;
}

static void
test_every_template_matches_its_golden_file(void **state)
{
	(void)state;
	int n, bad = 0, es = 0;
	char **langs = txt_names(TEMPLATES, 1, &n);
	for (int i = 0; i < n; i++) {
		bad += check_language(langs[i]);
		es += strcmp(langs[i], "es") == 0;
	}
	free_names(langs, n);
	assert_int_equal(es, 1);
	assert_int_equal(bad, 0);
}

/* Optional words stay in the template: {{#key}} shows its text when key
 * is not empty, {{^key}} when it is; a section of an unknown key, or not
 * closed, is an error (not mailed). */
static void
test_sections(void **state)
{
	(void)state;
	const struct tvar vars[] = {{"n", "36"}, {"more", "yes"}, {"pm", ""}};
	char *out = NULL, err[128];
	assert_int_equal(template_expand("{{n}} horas{{#more}} o más{{/more}}; "
	                                 "PM{{#pm}} ({{pm}}){{/pm}}{{^pm}}."
	                                 "{{/pm}}",
	                                 vars, 3, &out, err, sizeof err),
	                 0);
	assert_string_equal(out, "36 horas o más; PM.");
	free(out);
	assert_int_equal(template_expand("{{#nope}}x{{/nope}}", vars, 3, &out,
	                                 err, sizeof err),
	                 -1);
	assert_non_null(strstr(err, "{{#nope}}"));
	assert_int_equal(template_expand("{{#more}}x", vars, 3, &out, err,
	                                 sizeof err),
	                 -1);
	assert_non_null(strstr(err, "{{/more}}"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_every_template_matches_its_golden_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
