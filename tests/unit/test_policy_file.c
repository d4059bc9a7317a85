/*
 * test_policy_file.c - the policy file loader (src/app/config/policy_file.c).
 *
 * Two halves:
 *  - the shipped policy/prodequa.ini holds every number of the policy
 *    text (../shared/policy/politicas-de-soporte-ti.txt), one test per
 *    rule (R3, R5, R6, R8, R9, R12);
 *  - broken copies of it, one table row per mistake, must fail with the
 *    right message on the right line. Each row edits one line of the
 *    shipped file (found by its text, after a given section header), so
 *    the rows stay valid when the file's comments move lines around.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/config/policy_file.h"
#include "app/config/policy_show.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHIPPED SOPORTE_SRC "/policy/prodequa.ini"

static char tmpdir[] = "/tmp/test_policy_file.XXXXXX";

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static struct policy pol;
static struct policy_diag diag;

/* Returns a copy of text with the first find replaced (caller frees). */
static char *
replace_once(const char *text, const char *find, const char *repl)
{
	const char *at = strstr(text, find);
	assert_non_null(at);
	size_t n = strlen(text) - strlen(find) + strlen(repl) + 1;
	char *out = malloc(n);
	assert_non_null(out);
	snprintf(out, n, "%.*s%s%s", (int)(at - text), text, repl,
	         at + strlen(find));
	return out;
}

static void
load_shipped(void)
{
	enum policy_load_rc rc = policy_load(SHIPPED, &pol, &diag);
	if (rc != POLICY_LOAD_OK)
		policy_diag_print(&diag, stderr);
	assert_int_equal(rc, POLICY_LOAD_OK);
	assert_int_equal(diag.count, 0);
}

/* ---- the shipped file says what the policy text says ------------------ */

static void
R6_response_targets_6_8_24_36_business_hours(void **state)
{
	(void)state;
	load_shipped();
	static const struct {
		int sev;
		const char *es, *en;
		int hours;
		bool or_more;
	} want[] = {
		{1, "Crítica", "Critical", 6, false},
		{2, "Alta", "High", 8, false},
		{3, "Media", "Medium", 24, false},
		{4, "Baja", "Low", 36, true}, /* "36 horas o más" */
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct policy_severity *s = &pol.severity[want[i].sev - 1];
		assert_string_equal(s->name_es, want[i].es);
		assert_string_equal(s->name_en, want[i].en);
		assert_int_equal(policy_response_s(&pol, want[i].sev),
		                 want[i].hours * 3600);
		assert_int_equal(s->response_or_more, want[i].or_more);
		assert_true(s->description_en[0] != '\0');
	}
	assert_int_equal(policy_response_s(&pol, 0), -1);
	assert_int_equal(policy_response_s(&pol, 5), -1);
	assert_int_equal(pol.at_risk_percent, 75);
}

static void
R6_severity_descriptions_verbatim_from_the_text(void **state)
{
	(void)state;
	load_shipped();
	char *text = slurp(SOPORTE_SHARED "/policy/politicas-de-soporte-ti.txt");
	/* Each sentence of the file's description_es is in the text. */
	for (int i = 0; i < POLICY_SEVERITIES; i++) {
		char buf[POLICY_TEXT_MAX];
		snprintf(buf, sizeof buf, "%s", pol.severity[i].description_es);
		char *save = NULL;
		for (char *s = strtok_r(buf, ".", &save); s;
		     s = strtok_r(NULL, ".", &save)) {
			while (*s == ' ')
				s++;
			if (*s == '\0')
				continue;
			if (strstr(text, s) == NULL)
				fail_msg("severity %d: '%s' not in the policy text", i + 1,
				         s);
		}
	}
	assert_non_null(strstr(pol.severity[0].description_es,
	                       "Sistema de negocio es inoperable"));
	assert_non_null(strstr(pol.severity[2].description_es,
	                       "Preguntas de uso y cambios"));
	assert_non_null(strstr(pol.severity[3].description_es,
	                       "Clarificación de la documentación"));
	free(text);
}

static void
R6_business_hours_mon_fri_two_windows_lima(void **state)
{
	(void)state;
	load_shipped();
	assert_string_equal(pol.time_zone, "America/Lima");
	assert_string_equal(pol.holidays, "peru");
	for (int d = 0; d < 5; d++) {
		assert_int_equal(pol.week[d].nwindows, 2);
		assert_int_equal(pol.week[d].windows[0].start_min, 8 * 60);
		assert_int_equal(pol.week[d].windows[0].end_min, 12 * 60);
		assert_int_equal(pol.week[d].windows[1].start_min, 14 * 60);
		assert_int_equal(pol.week[d].windows[1].end_min, 18 * 60);
	}
	assert_int_equal(pol.week[5].nwindows, 0);
	assert_int_equal(pol.week[6].nwindows, 0);
}

static void
R8_plans_per_event_basic_enterprise(void **state)
{
	(void)state;
	load_shipped();
	assert_int_equal(pol.nplans, 3);
	const struct policy_plan *ev = policy_plan_find(&pol, "per_event");
	const struct policy_plan *ba = policy_plan_find(&pol, "basic");
	const struct policy_plan *en = policy_plan_find(&pol, "enterprise");
	assert_non_null(ev);
	assert_non_null(ba);
	assert_non_null(en);
	assert_null(policy_plan_find(&pol, "gold"));

	/* "pagará por cada evento de 1 hora", "orden de compra", "tiempo
	 * mínimo de una actualización ... 3 horas", "Período: 1 evento" */
	assert_int_equal(ev->kind, PLAN_PER_EVENT);
	assert_int_equal(ev->period, PLAN_PERIOD_EVENT);
	assert_int_equal(ev->included_s, 1 * 3600);
	assert_int_equal(ev->event_min_s, 1 * 3600);
	assert_int_equal(ev->update_min_s, 3 * 3600);
	assert_true(ev->purchase_order_required);
	assert_string_equal(ev->name_es, "Por evento");

	/* "Básica: 20 horas mensuales", "Empresarial: 40 horas mensuales" */
	assert_int_equal(ba->kind, PLAN_BASIC);
	assert_int_equal(ba->period, PLAN_PERIOD_MONTH);
	assert_int_equal(ba->included_s, 20 * 3600);
	assert_false(ba->purchase_order_required);
	assert_string_equal(ba->name_es, "Básica");
	assert_int_equal(en->kind, PLAN_ENTERPRISE);
	assert_int_equal(en->period, PLAN_PERIOD_MONTH);
	assert_int_equal(en->included_s, 40 * 3600);
	assert_string_equal(en->name_es, "Empresarial");

	/* Same for all: phone advice, mail follow-up, extra hours billed. */
	for (int i = 0; i < pol.nplans; i++) {
		assert_true(pol.plans[i].phone_advice);
		assert_true(pol.plans[i].email_follow_up);
		assert_true(pol.plans[i].overage_billed_hourly);
	}
	assert_int_equal(pol.rounding_min, 15);
	assert_int_equal(pol.rounding, ROUNDING_UP);
	assert_int_equal(pol.partial_month, PARTIAL_MONTH_PRORATE);
}

static void
R3_warranty_one_to_two_months_per_product(void **state)
{
	(void)state;
	load_shipped();
	assert_int_equal(pol.warranty_min_months, 1);
	assert_int_equal(pol.warranty_max_months, 2);
	assert_true(pol.warranty_default_months >= 1 &&
	            pol.warranty_default_months <= 2);
	static const char *const types[] = {
		"landing_page", "onepage", "multipage", "web_app", "android_app",
		"ios_app", "smart_web", "ai_chatbot",
	};
	assert_int_equal(pol.nproduct_types, 8);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		const struct policy_product_type *t =
		    policy_product_type_find(&pol, types[i]);
		if (t == NULL)
			fail_msg("product type %s missing", types[i]);
		assert_true(t->warranty_months >= 1 && t->warranty_months <= 2);
		assert_true(t->name_es[0] && t->name_en[0]);
	}
	assert_null(policy_product_type_find(&pol, "erp"));
}

static void
R5_exclusions_with_reasons(void **state)
{
	(void)state;
	load_shipped();
	const struct policy_exclusion *tr =
	    policy_exclusion_find(&pol, EXCLUSION_TRAINING);
	const struct policy_exclusion *tp =
	    policy_exclusion_find(&pol, EXCLUSION_THIRD_PARTY);
	const struct policy_exclusion *bc =
	    policy_exclusion_find(&pol, EXCLUSION_BUSINESS_CONSULTING);
	assert_non_null(tr);
	assert_non_null(tp);
	assert_non_null(bc);
	assert_non_null(strstr(tr->reason_es, "capacitación"));
	assert_non_null(strstr(tp->reason_es, "sistemas operativos"));
	assert_non_null(strstr(tp->examples, "operating_system"));
	assert_non_null(strstr(tp->examples, "internet"));
	assert_non_null(strstr(tp->examples, "telephony"));
	assert_non_null(strstr(bc->reason_es, "consultoría de negocios"));
	assert_non_null(strstr(bc->offer_es, "consultoría especializada"));
	assert_true(tr->reason_en[0] && tp->reason_en[0] && bc->offer_en[0]);
}

static void
R9_three_contact_attempts_and_a_stated_wait(void **state)
{
	(void)state;
	load_shipped();
	assert_int_equal(pol.contact_attempts, 3);
	assert_true(pol.attempt_wait_s > 0);
}

static void
R1_R7_contact_addresses_and_phone(void **state)
{
	(void)state;
	load_shipped();
	assert_string_equal(pol.support_address, "soporte@prodequa.example");
	assert_string_equal(pol.phone, "01 277 5569");
	assert_true(pol.phone_requires_email);
	assert_true(pol.project_manager[0]);
	assert_true(pol.renewals_address[0]);
	assert_string_equal(pol.effective_from, "2017-01-01");
	assert_string_equal(pol.language, "es");
	assert_true(pol.max_attachment_bytes <= pol.max_message_bytes);
	assert_int_equal(pol.max_message_bytes, 4 * 1024 * 1024);
	assert_int_equal(pol.max_outbound_bytes, 20 * 1024 * 1024);
	assert_int_equal(pol.upload_keep_s, 24 * 3600);
}

/* R12: the fingerprint follows the rules, not the comments or layout. */
static void
R12_fingerprint_stable_and_content_sensitive(void **state)
{
	(void)state;
	load_shipped();
	char first[POLICY_FINGERPRINT_LEN];
	memcpy(first, pol.fingerprint, sizeof first);
	assert_int_equal(strlen(first), 64);

	load_shipped();
	assert_string_equal(pol.fingerprint, first);

	char *text = slurp(SHIPPED);
	char path[64];
	snprintf(path, sizeof path, "%s/fp.ini", tmpdir);

	/* More comments and spaces: same fingerprint. */
	size_t n = strlen(text);
	char *more = malloc(n + 64);
	assert_non_null(more);
	snprintf(more, n + 64, "; a new comment\n\n%s\n; the end\n", text);
	write_file(path, more);
	assert_int_equal(policy_load(path, &pol, &diag), POLICY_LOAD_OK);
	assert_string_equal(pol.fingerprint, first);

	/* One number changed: another fingerprint. */
	char *at = strstr(more, "included_hours = 20");
	assert_non_null(at);
	at[strlen("included_hours = 2")] = '1';
	write_file(path, more);
	assert_int_equal(policy_load(path, &pol, &diag), POLICY_LOAD_OK);
	assert_int_equal(pol.plans[1].included_s, 21 * 3600);
	assert_string_not_equal(pol.fingerprint, first);
	free(more);
	free(text);
}

/* ---- broken files ----------------------------------------------------- */

/*
 * One mistake per row: in the shipped file, the first line starting with
 * `find` after the line `after` (NULL: from the top) is replaced by
 * `repl` (NULL: deleted). The load must fail with an error containing
 * `want` on the line of `at` (found the same way in the edited file;
 * NULL: the edited line; "$NEXT": the line after it; "$END": the last
 * line).
 */
struct broken {
	const char *name;
	const char *after;
	const char *find;
	const char *repl;
	const char *at;
	const char *want;
};

static const struct broken broken_rows[] = {
	{"unknown section", NULL, "[sla]", "[slas]", NULL,
	 "unknown section [slas]"},
	{"unknown key", "[sla]", "at_risk_percent", "at_risk_pct = 75", NULL,
	 "unknown key 'at_risk_pct' in [sla]"},
	{"unknown weekday", "[schedule]", "wed =", "wen = 08:00-12:00", NULL,
	 "unknown weekday 'wen'"},
	{"duplicate key", "[plan.basic]", "period", "period = month\nperiod = "
	 "month", "$NEXT", "duplicate key 'period' in [plan.basic] (first at"},
	{"duplicate section", NULL, "[closure]", "[closure]\n[closure]", "$NEXT",
	 "duplicate section [closure]"},
	{"bad number", "[severity.2]", "response_hours", "response_hours = 8h",
	 NULL, "response_hours: bad number '8h'"},
	{"negative number", "[severity.2]", "response_hours",
	 "response_hours = -8", NULL, "response_hours: bad number '-8'"},
	{"number out of range", "[sla]", "at_risk_percent",
	 "at_risk_percent = 100", NULL, "at_risk_percent: 100 out of range"},
	{"window overlap", "[schedule]", "mon =",
	 "mon = 08:00-12:00, 11:00-18:00", NULL, "overlap"},
	{"window ends before start", "[schedule]", "tue =",
	 "tue = 12:00-08:00", NULL, "ends before it starts"},
	{"window empty", "[schedule]", "tue =", "tue = 08:00-08:00", NULL,
	 "ends before it starts"},
	{"window past 24:00", "[schedule]", "thu =", "thu = 14:00-24:30", NULL,
	 "from 00:00 to 24:00"},
	{"window bad minutes", "[schedule]", "fri =", "fri = 08:75-12:00",
	 NULL, "bad time window"},
	{"window no dash", "[schedule]", "fri =", "fri = 08:00", NULL,
	 "want HH:MM-HH:MM"},
	{"unknown plan", NULL, "[plan.enterprise]", "[plan.gold]", NULL,
	 "unknown plan [plan.gold]"},
	{"unknown severity", NULL, "[severity.4]", "[severity.5]", NULL,
	 "unknown severity [severity.5]"},
	{"missing severity", NULL, "[severity.4]", "[severity.3b]", "$END",
	 "missing required section [severity.4]"},
	{"unknown period", "[plan.basic]", "period", "period = weekly", NULL,
	 "unknown value 'weekly' (want one of: event, month)"},
	{"per-event plan by month", "[plan.per_event]", "period",
	 "period = month", "[plan.per_event]", "period must be 'event'"},
	{"missing required key", "[plan.enterprise]", "included_hours", NULL,
	 "[plan.enterprise]", "[plan.enterprise]: missing required key "
	 "'included_hours'"},
	{"missing required section", NULL, "[closure]", "[closur]", "$END",
	 "missing required section [closure]"},
	{"bad time zone", "[schedule]", "time_zone", "time_zone = America/Lim",
	 NULL, "unknown time zone 'America/Lim'"},
	{"time zone escaping zoneinfo", "[schedule]", "time_zone",
	 "time_zone = ../../etc/passwd", NULL, "unknown time zone"},
	{"warranty min over max", "[warranty]", "min_months",
	 "min_months = 3", "[warranty]", "min_months 3 is more than max_months 2"},
	{"warranty default outside", "[warranty]", "default_months",
	 "default_months = 0", "[warranty]", "default_months 0 is not between"},
	{"product warranty outside", "[product.web_app]", "warranty_months",
	 "warranty_months = 6", NULL, "warranty_months 6 is not between 1 and 2"},
	{"bad boolean", "[plan.basic]", "phone_advice", "phone_advice = si",
	 NULL, "phone_advice: want yes or no, got 'si'"},
	{"unknown exclusion", NULL, "[exclusion.training]",
	 "[exclusion.hardware]", NULL, "unknown exclusion [exclusion.hardware]"},
	{"unknown holiday set", "[schedule]", "holidays =",
	 "holidays = chile", NULL, "holidays: unknown value 'chile'"},
	{"missing ics file", "[schedule]", "holidays_ics",
	 "holidays_ics = nowhere.ics", NULL, "holidays_ics: no such file"},
	{"bad mail address", "[contact]", "support_address",
	 "support_address = soporte at prodequa", NULL, "is not a mail address"},
	{"bad date", "[policy]", "effective_from",
	 "effective_from = 2017-02-30", NULL, "bad date '2017-02-30'"},
	{"bad language", "[policy]", "language", "language = fr", NULL,
	 "language: unknown value 'fr' (want one of: es, en)"},
	{"empty value", "[severity.1]", "name_es", "name_es =", NULL,
	 "name_es: empty value"},
	{"value too long", "[severity.1]", "name_en",
	 "name_en = Critical Critical Critical Critical", NULL,
	 "name_en: value too long"},
	{"bad size", "[limits]", "max_message_bytes",
	 "max_message_bytes = 25 MB", NULL, "bad size '25 MB'"},
	{"attachment over message", "[limits]", "max_attachment_bytes",
	 "max_attachment_bytes = 30 MiB", "[limits]",
	 "max_attachment_bytes is more than max_message_bytes"},
	{"bad outbound size", "[limits]", "max_outbound_bytes",
	 "max_outbound_bytes = 20 MB", NULL, "bad size '20 MB'"},
	{"upload kept no time", "[limits]", "upload_keep_hours",
	 "upload_keep_hours = 0", NULL, "upload_keep_hours: 0 out of range"},
	{"contact attempts zero", "[closure]", "contact_attempts",
	 "contact_attempts = 0", NULL, "contact_attempts: 0 out of range"},
	{"severity order", "[severity.2]", "response_hours",
	 "response_hours = 4", "$END", "severity 2 responds sooner (4 h)"},
	{"syntax: no equals", "[sla]", "at_risk_percent", "at_risk_percent 75",
	 NULL, "syntax error: want 'key = value'"},
	{"syntax: bad header", NULL, "[sla]", "[sla", NULL,
	 "syntax error: bad section header '[sla'"},
	{"rounding mode", "[hour_bank]", "rounding =", "rounding = down", NULL,
	 "rounding: unknown value 'down' (want one of: up, nearest, none)"},
	{"partial month mode", "[hour_bank]", "partial_month",
	 "partial_month = half", NULL, "partial_month: unknown value 'half' "
	 "(want one of: prorate, full)"},
	{"rounding minutes over an hour", "[hour_bank]", "rounding_minutes",
	 "rounding_minutes = 90", NULL, "rounding_minutes: 90 out of range"},
	{"semicolon is text, not a comment", "[sla]", "at_risk_percent",
	 "at_risk_percent = 75 ; seventy-five", NULL,
	 "bad number '75 ; seventy-five'"},
	{"not UTF-8", "[severity.1]", "name_es", "name_es = Cr\xedtica", NULL,
	 "name_es: value is not valid UTF-8 text"},
	{"bad product name", NULL, "[product.onepage]", "[product.One Page]",
	 NULL, "bad product type name [product.One Page]"},
	{"all days closed", "[schedule]", "mon =", "mon = closed\ntue = closed\n"
	 "wed = closed\nthu = closed\nfri = closed", "[schedule]",
	 "no open time window on any weekday"},
};

/* Line number (1-based) of the first line starting with find after the
 * line equal to after, in text; 0 when none. */
static int
line_of(const char *text, const char *after, const char *find,
        const char **start)
{
	int line = 1, armed = after == NULL;
	const char *p = text;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		if (armed && strncmp(p, find, strlen(find)) == 0) {
			if (start)
				*start = p;
			return line;
		}
		if (!armed && len == strlen(after) && strncmp(p, after, len) == 0)
			armed = 1;
		if (!eol)
			break;
		p = eol + 1;
		line++;
	}
	return 0;
}

static int
count_lines(const char *text)
{
	int n = 0;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

static void
policy_file_rejects_broken_files_with_line_numbers(void **state)
{
	(void)state;
	char *orig = slurp(SHIPPED);
	char path[64];
	snprintf(path, sizeof path, "%s/broken.ini", tmpdir);
	size_t nrows = sizeof broken_rows / sizeof broken_rows[0];

	for (size_t i = 0; i < nrows; i++) {
		const struct broken *r = &broken_rows[i];
		const char *start;
		int line = line_of(orig, r->after, r->find, &start);
		if (line == 0)
			fail_msg("%s: '%s' not found in the shipped file", r->name,
			         r->find);
		const char *eol = strchr(start, '\n');
		size_t head = (size_t)(start - orig);
		const char *tail = eol ? eol + 1 : "";
		size_t need = strlen(orig) + (r->repl ? strlen(r->repl) : 0) + 2;
		char *text = malloc(need);
		assert_non_null(text);
		snprintf(text, need, "%.*s%s%s%s", (int)head, orig,
		         r->repl ? r->repl : "", r->repl ? "\n" : "", tail);
		write_file(path, text);

		int want_line;
		if (r->at == NULL)
			want_line = line;
		else if (strcmp(r->at, "$NEXT") == 0)
			want_line = line + 1;
		else if (strcmp(r->at, "$END") == 0)
			want_line = count_lines(text);
		else
			want_line = line_of(text, NULL, r->at, NULL);

		enum policy_load_rc rc = policy_load(path, &pol, &diag);
		int found = 0;
		for (int k = 0; k < diag.count && k < POLICY_DIAG_MAX; k++)
			if (diag.items[k].line == want_line &&
			    strstr(diag.items[k].msg, r->want))
				found = 1;
		if (rc != POLICY_LOAD_INVALID || !found) {
			fprintf(stderr, "row '%s': want line %d: %s; got rc %d:\n",
			        r->name, want_line, r->want, rc);
			policy_diag_print(&diag, stderr);
			fail_msg("row '%s' failed", r->name);
		}
		free(text);
	}
	free(orig);
}

/* Every error of a file is reported, not only the first. */
static void
policy_file_collects_every_error(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof path, "%s/many.ini", tmpdir);
	write_file(path,
	           "stray = 1\n"                       /* 1 */
	           "[sla]\n"                           /* 2 */
	           "at_risk_percent = x\n"             /* 3 */
	           "[schedule]\n"                      /* 4 */
	           "time_zone = Mars/Olympus\n"        /* 5 */
	           "mon = 09:00-08:00\n"               /* 6 */
	           "[nonsense]\n"                      /* 7 */
	           "whatever = 1\n"                    /* 8 */
	           "[sla]\n");                         /* 9 */
	assert_int_equal(policy_load(path, &pol, &diag), POLICY_LOAD_INVALID);
	static const struct {
		int line;
		const char *want;
	} want[] = {
		{1, "key 'stray' outside any section"},
		{3, "at_risk_percent: bad number 'x'"},
		{4, "[schedule]: missing required key 'tue'"},
		{5, "unknown time zone 'Mars/Olympus'"},
		{6, "ends before it starts"},
		{7, "unknown section [nonsense]"},
		{9, "duplicate section [sla] (first at line 2)"},
		{9, "missing required section [policy]"},
		{9, "missing required section [severity.*]"},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		int found = 0;
		for (int k = 0; k < diag.count && k < POLICY_DIAG_MAX; k++)
			found |= diag.items[k].line == want[i].line &&
			         strstr(diag.items[k].msg, want[i].want) != NULL;
		if (!found) {
			policy_diag_print(&diag, stderr);
			fail_msg("missing error at line %d: %s", want[i].line,
			         want[i].want);
		}
	}
	/* Sorted by line. */
	for (int k = 1; k < diag.count && k < POLICY_DIAG_MAX; k++)
		assert_true(diag.items[k - 1].line <= diag.items[k].line);
	/* "whatever" in an unknown section is not reported twice. */
	for (int k = 0; k < diag.count && k < POLICY_DIAG_MAX; k++)
		assert_int_not_equal(diag.items[k].line, 8);
}

static void
policy_file_line_too_long_and_missing_file(void **state)
{
	(void)state;
	char path[64];
	snprintf(path, sizeof path, "%s/long.ini", tmpdir);
	size_t n = 6000;
	char *text = malloc(n + 64);
	assert_non_null(text);
	strcpy(text, "[sla]\nat_risk_percent = ");
	size_t len = strlen(text);
	memset(text + len, '7', n);
	strcpy(text + len + n, "\n");
	write_file(path, text);
	free(text);
	assert_int_equal(policy_load(path, &pol, &diag), POLICY_LOAD_INVALID);
	int found = 0;
	for (int k = 0; k < diag.count && k < POLICY_DIAG_MAX; k++)
		found |= diag.items[k].line == 2 &&
		         strstr(diag.items[k].msg, "line too long") != NULL;
	assert_true(found);

	snprintf(path, sizeof path, "%s/absent.ini", tmpdir);
	assert_int_equal(policy_load(path, &pol, &diag), POLICY_LOAD_IO);
	assert_int_equal(diag.count, 1);
	assert_non_null(strstr(diag.items[0].msg, "cannot open"));
}

/* Every prefix of the shipped file, and the file with bytes flipped, must
 * load or be refused cleanly (run under ASan/UBSan in CI). */
static void
policy_file_survives_truncation_and_garbage(void **state)
{
	(void)state;
	char *orig = slurp(SHIPPED);
	size_t n = strlen(orig);
	char path[64];
	snprintf(path, sizeof path, "%s/fuzz.ini", tmpdir);
	char *text = malloc(n + 1);
	assert_non_null(text);
	int ok = 0, bad = 0;
	for (size_t cut = 0; cut <= n; cut += 97) {
		memcpy(text, orig, cut);
		text[cut] = '\0';
		write_file(path, text);
		enum policy_load_rc rc = policy_load(path, &pol, &diag);
		assert_true(rc == POLICY_LOAD_OK || rc == POLICY_LOAD_INVALID);
		rc == POLICY_LOAD_OK ? ok++ : bad++;
		assert_true(rc == POLICY_LOAD_OK || diag.count > 0);
	}
	uint32_t seed = 7;
	static const char junk[] = "=[];#:,-\n\t 0a\xc3\xff";
	for (int round = 0; round < 300; round++) {
		memcpy(text, orig, n + 1);
		for (int k = 0; k < 4; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % n;
			text[at] = junk[(seed >> 4) % (sizeof junk - 1)];
		}
		write_file(path, text);
		enum policy_load_rc rc = policy_load(path, &pol, &diag);
		assert_true(rc == POLICY_LOAD_OK || rc == POLICY_LOAD_INVALID);
	}
	assert_true(bad > 0);
	free(text);
	free(orig);
}

/* holidays = none and an .ics file next to the policy file. */
static void
policy_file_holidays_none_and_ics_relative_to_the_file(void **state)
{
	(void)state;
	char *orig = slurp(SHIPPED);
	char path[96], ics[96];
	snprintf(path, sizeof path, "%s/hol.ini", tmpdir);
	snprintf(ics, sizeof ics, "%s/extra.ics", tmpdir);
	write_file(ics, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
	char *text = replace_once(orig, "\nholidays = peru\n",
	                          "\nholidays = none\n");
	char *text2 = replace_once(text, "\nholidays_ics =\n",
	                           "\nholidays_ics = extra.ics\n");
	free(text);
	text = text2;
	write_file(path, text);
	enum policy_load_rc rc = policy_load(path, &pol, &diag);
	if (rc != POLICY_LOAD_OK)
		policy_diag_print(&diag, stderr);
	assert_int_equal(rc, POLICY_LOAD_OK);
	assert_string_equal(pol.holidays, "");
	assert_string_equal(pol.holidays_ics, ics);
	unlink(ics);
	unlink(path);
	free(text);
	free(orig);
}

static void
policy_file_default_path_prefers_explicit(void **state)
{
	(void)state;
	assert_string_equal(policy_default_path("/x/y.ini"), "/x/y.ini");
	const char *d = policy_default_path(NULL);
	assert_non_null(strstr(d, "policy/prodequa.ini"));
	assert_string_equal(policy_default_path(""), d);
}

static void
policy_file_json_has_every_section(void **state)
{
	(void)state;
	load_shipped();
	json_t *j = policy_to_json(&pol, 1);
	assert_non_null(j);
	static const char *const keys[] = {
		"name", "version", "fingerprint", "contact", "schedule",
		"severities", "plans", "hour_bank", "warranty", "product_types",
		"exclusions", "closure", "limits", "at_risk_percent",
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (json_object_get(j, keys[i]) == NULL)
			fail_msg("json: no '%s'", keys[i]);
	assert_int_equal(json_array_size(json_object_get(j, "severities")), 4);
	json_decref(j);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	static const char *const files[] = {
		"fp.ini", "broken.ini", "many.ini", "long.ini", "fuzz.ini",
	};
	char path[96];
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, files[i]);
		unlink(path);
	}
	return rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(R6_response_targets_6_8_24_36_business_hours),
		cmocka_unit_test(R6_severity_descriptions_verbatim_from_the_text),
		cmocka_unit_test(R6_business_hours_mon_fri_two_windows_lima),
		cmocka_unit_test(R8_plans_per_event_basic_enterprise),
		cmocka_unit_test(R3_warranty_one_to_two_months_per_product),
		cmocka_unit_test(R5_exclusions_with_reasons),
		cmocka_unit_test(R9_three_contact_attempts_and_a_stated_wait),
		cmocka_unit_test(R1_R7_contact_addresses_and_phone),
		cmocka_unit_test(R12_fingerprint_stable_and_content_sensitive),
		cmocka_unit_test(policy_file_rejects_broken_files_with_line_numbers),
		cmocka_unit_test(policy_file_collects_every_error),
		cmocka_unit_test(policy_file_line_too_long_and_missing_file),
		cmocka_unit_test(policy_file_survives_truncation_and_garbage),
		cmocka_unit_test(policy_file_holidays_none_and_ics_relative_to_the_file),
		cmocka_unit_test(policy_file_default_path_prefers_explicit),
		cmocka_unit_test(policy_file_json_has_every_section),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
