/*
 * doc_int.h - what doc.c (the flow, text, tables) and chart.c share:
 * the document's blocks, the page being drawn and the text helpers.
 * Not for users of the module (doc.h is).
 */
#ifndef SOPORTE_RENDER_DOC_INT_H
#define SOPORTE_RENDER_DOC_INT_H

#include "render/doc.h"

#include <cairo.h>
#include <pango/pangocairo.h>

/* A4 in points, and the text area. */
#define DOC_PAGE_W 595.28
#define DOC_PAGE_H 841.89
#define DOC_MARGIN 48.0
#define DOC_TEXT_W (DOC_PAGE_W - 2 * DOC_MARGIN)
#define DOC_TOP 100.0
#define DOC_BOTTOM (DOC_PAGE_H - 60.0)

enum doc_font { F_TITLE, F_SUBTITLE, F_HEADING, F_BODY, F_BOLD, F_SMALL,
	            F_SMALL_BOLD, F_TINY, F_NFONTS };

enum doc_chart_kind { CHART_BARS, CHART_STACKED, CHART_LINE };

enum doc_block_kind { B_SUBTITLE, B_HEADING, B_PARAGRAPH, B_KEYVALUES,
	                  B_TABLE, B_CHART };

struct doc_block {
	enum doc_block_kind kind;
	const char *text;            /* subtitle, heading, paragraph */
	const char *const *pairs;    /* key-values: 2 * n strings */
	size_t n;
	struct doc_table table;      /* copies the block owns */
	struct doc_chart chart;
	enum doc_chart_kind chart_kind;
};

struct doc {
	struct doc_brand brand;
	const char *lang, *title, *page_words;
	struct doc_block *blocks;
	size_t nblocks, cap;
	void **owned;                /* every allocation of the copies */
	size_t nowned, owned_cap;
	int failed;
	int pages;                   /* of the last finish */

	/* While laying out: */
	cairo_t *cr;
	PangoLayout *layout;
	PangoFontDescription *font[F_NFONTS];
	cairo_surface_t *logo;
	int dry;                     /* measuring only: nothing is drawn */
	int page, total;             /* the page being laid out; the count
	                                (known from the dry run) */
	double y;                    /* where the next block goes */
	double page_top;             /* where this page's first block went */
};

extern const double doc_ink[3], doc_grey[3], doc_accent[3], doc_rule[3];
/* The series' colours, in turn. */
extern const double doc_palette[6][3];

/* Lays text out in layout l (font f, width w > 0 wraps it, align a) and
 * returns its height; draws it at (x, y) in colour rgb unless d->dry or
 * rgb is NULL. */
double doc_text_in(struct doc *d, PangoLayout *l, const char *text, double x,
                   double y, double w, enum doc_font f, enum doc_align a,
                   const double *rgb);
/* The same in the document's own layout. */
double doc_text(struct doc *d, const char *text, double x, double y, double w,
                enum doc_font f, enum doc_align a, const double *rgb);
/* Makes room for h points: a new page when the rest of this one is too
 * short (and this page has something on it). Returns 1 on a new page. */
int doc_room(struct doc *d, double h);
/* Draws chart block b at d->y and moves d->y past it. */
void doc_chart_draw(struct doc *d, const struct doc_block *b);

#endif
