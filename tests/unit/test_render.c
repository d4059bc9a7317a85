/*
 * test_render.c - the PDF layout module (src/render/doc.h), read back as
 * a person would with poppler's pdftotext: the header's company, the
 * title, a table long enough to break across pages with its header row
 * on every page, a chart's title and legend, and "Página N de M" in each
 * footer. Needs pdftotext (poppler-utils, scripts/deps.sh test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "render/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Renders d to a temporary PDF and returns pdftotext's text of it
 * (malloc'd), one page per form feed. */
static char *
pdf_text(struct doc *d, int *pages)
{
	char pdf[] = "/tmp/test_render_XXXXXX.pdf";
	int fd = mkstemps(pdf, 4);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "wb");
	assert_int_equal(doc_finish_file(d, f), 0);
	fclose(f);
	*pages = doc_pages(d);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "pdftotext -layout %s -", pdf);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 1 << 16, n = 0;
	char *out = malloc(cap);
	size_t got;
	while ((got = fread(out + n, 1, cap - n - 1, p)) > 0) {
		n += got;
		if (cap - n < 4096)
			out = realloc(out, cap *= 2);
	}
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
	unlink(pdf);
	return out;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void
render_table_breaks_with_header_on_every_page(void **state)
{
	(void)state;
	const struct doc_brand brand = {"ACME Servicios S.A.C.", NULL,
	                                "Av. Arequipa 123, Lima", "01 555 0100"};
	struct doc *d = doc_new(&brand, "es", "Estado de cuenta de prueba",
	                        "Página {{page}} de {{pages}}");
	assert_non_null(d);
	doc_subtitle(d, "Cliente Ejemplo · marzo de 2026");
	const char *kv[] = {"Plan", "Básica", "Horas incluidas", "20.00 h"};
	doc_keyvalues(d, kv, 2);
	doc_heading(d, "Horas por semana");
	const char *weeks[] = {"S1", "S2", "S3", "S4"};
	const double used[] = {3, 6.5, 4, 8};
	const struct doc_series s[] = {{"Horas usadas", used}};
	doc_chart_bars(d, &(struct doc_chart){"Horas por semana y plan", "h",
	                                      weeks, 4, s, 1, 1, 5, "Plan (5 h)"});
	doc_heading(d, "Por ticket");
	enum { ROWS = 150 };
	static char buf[ROWS][3][32];
	const char *cells[ROWS * 3];
	for (int r = 0; r < ROWS; r++) {
		snprintf(buf[r][0], 32, "#%06d", r + 1);
		snprintf(buf[r][1], 32, "Tema del ticket %d", r + 1);
		snprintf(buf[r][2], 32, "S/ %d.50", r + 1);
		for (int c = 0; c < 3; c++)
			cells[r * 3 + c] = buf[r][c];
	}
	const struct doc_column cols[] = {{"Ticket", 0.15, DOC_LEFT},
	                                  {"Asunto", 0, DOC_LEFT},
	                                  {"Importe", 0.2, DOC_RIGHT}};
	const char *foot[] = {"Total", "", "S/ 11,325.00"};
	doc_table(d, &(struct doc_table){cols, 3, cells, ROWS, foot});
	int pages;
	char *t = pdf_text(d, &pages);
	doc_free(d);

	assert_true(pages >= 3);
	assert_non_null(strstr(t, "ACME Servicios S.A.C."));
	assert_non_null(strstr(t, "Estado de cuenta de prueba"));
	assert_non_null(strstr(t, "Horas por semana y plan"));
	assert_non_null(strstr(t, "Plan (5 h)"));
	assert_non_null(strstr(t, "#000001"));
	assert_non_null(strstr(t, "#000150"));
	assert_non_null(strstr(t, "S/ 11,325.00"));
	char last[64];
	snprintf(last, sizeof last, "Página %d de %d", pages, pages);
	assert_non_null(strstr(t, "Página 1 de"));
	assert_non_null(strstr(t, last));
	/* Every page has its footer and the company in its header; the
	 * table's header row is on each page the table runs over (all but
	 * the first, where the chart comes first). */
	assert_int_equal(count(t, "Página "), (size_t)pages);
	assert_int_equal(count(t, "ACME Servicios S.A.C."), (size_t)pages);
	char *p = t;
	for (int pg = 1; pg <= pages; pg++) {
		char *ff = strchr(p, '\f');
		if (ff)
			*ff = '\0';
		if (pg > 1)
			assert_non_null(strstr(p, "Asunto"));
		p = ff ? ff + 1 : p + strlen(p);
	}
	free(t);
}

/* Stacked bars and lines: their titles, legends and reference line are
 * text in the PDF; a chart of many categories labels every few. */
static void
render_stacked_and_line_charts(void **state)
{
	(void)state;
	struct doc *d = doc_new(NULL, "es", "Gráficos", "Página {{page}} de {{pages}}");
	const char *days[31];
	static char names[31][8];
	double a[31], b[31];
	for (int i = 0; i < 31; i++) {
		snprintf(names[i], sizeof names[i], "%02d", i + 1);
		days[i] = names[i];
		a[i] = i % 5;
		b[i] = 31 - i;
	}
	const struct doc_series s[] = {{"Cumplidos", a}, {"Vencidos", b}};
	doc_chart_stacked(d, &(struct doc_chart){"Tickets por día", "tickets", days,
	                                         31, s, 2, 0, 0, NULL});
	doc_chart_line(d, &(struct doc_chart){"Primera respuesta", "h", days, 31,
	                                      s, 2, 1, 6, "Meta: 6 h"});
	doc_chart_bars(d, &(struct doc_chart){"Sin datos", "h", days, 0, s, 2, 0,
	                                      0, NULL});
	int pages;
	char *t = pdf_text(d, &pages);
	doc_free(d);
	assert_non_null(strstr(t, "Tickets por día"));
	assert_non_null(strstr(t, "Primera respuesta"));
	assert_non_null(strstr(t, "Cumplidos"));
	assert_non_null(strstr(t, "Vencidos"));
	assert_non_null(strstr(t, "Meta: 6 h"));
	assert_null(strstr(t, "Sin datos"));   /* no categories: nothing drawn */
	assert_int_equal(count(t, "Página "), (size_t)pages);
	free(t);
}

static void
render_english_footer_and_empty_document(void **state)
{
	(void)state;
	struct doc *d = doc_new(NULL, "en", "Statement", "Page {{page}} of {{pages}}");
	int pages;
	char *t = pdf_text(d, &pages);
	doc_free(d);
	assert_int_equal(pages, 1);
	assert_non_null(strstr(t, "Page 1 of 1"));
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(render_table_breaks_with_header_on_every_page),
		cmocka_unit_test(render_stacked_and_line_charts),
		cmocka_unit_test(render_english_footer_and_empty_document),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
