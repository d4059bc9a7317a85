/*
 * doc.h - documents people keep, as PDF: a small layout module on cairo
 * and pango (Debian's libcairo2 and libpango1.0, the DejaVu fonts).
 *
 * A document is A4, portrait. Every page has a header (the company's
 * logo and name, its address and phone) and a footer (the title, and the
 * page words with the page number and the count: "Página 1 de 3"). The
 * body is a flow of blocks added in order: headings, paragraphs,
 * key-value lists, tables (which break across pages, repeating their
 * header row) and charts (bars, stacked bars, lines, with an optional
 * reference line such as a plan's hours).
 *
 * The module writes no words of its own: every text, the page words
 * included, comes from the caller (the app reads them from templates/).
 * Numbers are shown as the caller formats them, except a chart's axis
 * ticks (plain numbers).
 *
 * Usage: doc_new(), then the blocks (each copies what it is given, so the
 * caller's strings may go right after), then doc_finish_pdf() or
 * doc_finish_file(), then doc_free(). Errors (out of memory, a logo that
 * will not load is not one: it is left out) make doc_finish_* return -1.
 * A document is used by one thread at a time; different threads may
 * render different documents at once.
 */
#ifndef SOPORTE_RENDER_DOC_H
#define SOPORTE_RENDER_DOC_H

#include <stddef.h>
#include <stdio.h>

/* Who issues the document, on every page's header. Any field may be NULL
 * or empty; logo_path is a PNG file (scaled to the header's height). */
struct doc_brand {
	const char *company;
	const char *logo_path;
	const char *address;
	const char *phone;
};

enum doc_align { DOC_LEFT, DOC_RIGHT, DOC_CENTER };

struct doc_column {
	const char *title;
	double width;          /* share of the text width (0..1); 0: an equal
	                          share of what the others leave */
	enum doc_align align;
};

/* A table: ncols columns, nrows rows of cells (row-major, nrows * ncols
 * strings; NULL is an empty cell), and an optional footer row (ncols
 * cells, bold, e.g. the totals), drawn once after the last row. */
struct doc_table {
	const struct doc_column *cols;
	size_t ncols;
	const char *const *cells;
	size_t nrows;
	const char *const *footer;
};

/* A series of a chart: one value per label. */
struct doc_series {
	const char *name;
	const double *values;
};

/* A chart: nlabels categories along the x axis (weeks, days, names), one
 * or more series; has_line draws a dashed reference line at line_value
 * named line_label (e.g. the plan's hours); unit names the y axis ("h"). */
struct doc_chart {
	const char *title;
	const char *unit;
	const char *const *labels;
	size_t nlabels;
	const struct doc_series *series;
	size_t nseries;
	int has_line;
	double line_value;
	const char *line_label;
};

struct doc;

/* A new document. lang ("es", "en") is recorded as the PDF's language;
 * title is shown on the first page and in every footer; page_words is
 * the footer's page text with {{page}} and {{pages}} in it ("Página
 * {{page}} de {{pages}}"). Returns NULL only when out of memory. */
struct doc *doc_new(const struct doc_brand *brand, const char *lang,
                    const char *title, const char *page_words);

/* A line under the title on the first page (the client, the period). */
void doc_subtitle(struct doc *d, const char *text);
void doc_heading(struct doc *d, const char *text);
void doc_paragraph(struct doc *d, const char *text);
/* n pairs: pairs[2i] is a key, pairs[2i+1] its value. */
void doc_keyvalues(struct doc *d, const char *const *pairs, size_t n);
void doc_table(struct doc *d, const struct doc_table *t);
void doc_chart_bars(struct doc *d, const struct doc_chart *c);
void doc_chart_stacked(struct doc *d, const struct doc_chart *c);
void doc_chart_line(struct doc *d, const struct doc_chart *c);

/* Lays the document out and writes it as PDF into *buf (malloc'd, *len
 * bytes; the caller frees it). Returns 0, or -1 (nothing is returned). */
int doc_finish_pdf(struct doc *d, unsigned char **buf, size_t *len);
/* The same, written to out. Returns 0 or -1. */
int doc_finish_file(struct doc *d, FILE *out);
/* The pages of the last doc_finish_*; 0 before. */
int doc_pages(const struct doc *d);

void doc_free(struct doc *d);

#endif
