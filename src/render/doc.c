/*
 * doc.c - the document's blocks, the page flow, text and tables (see
 * doc.h). A document is laid out twice: a dry run that only measures
 * (to count the pages, for "Página 1 de N"), then the run that draws.
 */
#include "render/doc_int.h"

#include <cairo-pdf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const double doc_ink[3] = {0.13, 0.13, 0.15};
const double doc_grey[3] = {0.42, 0.44, 0.47};
const double doc_accent[3] = {0.11, 0.31, 0.52};
const double doc_rule[3] = {0.80, 0.82, 0.85};
const double doc_palette[6][3] = {
	{0.16, 0.44, 0.71}, {0.93, 0.55, 0.17}, {0.30, 0.62, 0.35},
	{0.55, 0.40, 0.70}, {0.60, 0.60, 0.62}, {0.80, 0.30, 0.30},
};

/* ---- copies ---------------------------------------------------------- */

static void *
own(struct doc *d, size_t size)
{
	if (d->failed)
		return NULL;
	if (d->nowned == d->owned_cap) {
		size_t cap = d->owned_cap ? d->owned_cap * 2 : 64;
		void **o = realloc(d->owned, cap * sizeof *o);
		if (o == NULL) {
			d->failed = 1;
			return NULL;
		}
		d->owned = o;
		d->owned_cap = cap;
	}
	void *p = calloc(1, size ? size : 1);
	if (p == NULL) {
		d->failed = 1;
		return NULL;
	}
	d->owned[d->nowned++] = p;
	return p;
}

static const char *
dup_text(struct doc *d, const char *s)
{
	if (s == NULL)
		return NULL;
	size_t n = strlen(s) + 1;
	char *c = own(d, n);
	if (c)
		memcpy(c, s, n);
	return c;
}

static const char *const *
dup_texts(struct doc *d, const char *const *v, size_t n)
{
	if (v == NULL)
		return NULL;
	const char **c = own(d, n * sizeof *c);
	for (size_t i = 0; c && i < n; i++)
		c[i] = dup_text(d, v[i]);
	return c;
}

static struct doc_block *
add(struct doc *d, enum doc_block_kind kind)
{
	if (d == NULL || d->failed)
		return NULL;
	if (d->nblocks == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct doc_block *b = realloc(d->blocks, cap * sizeof *b);
		if (b == NULL) {
			d->failed = 1;
			return NULL;
		}
		d->blocks = b;
		d->cap = cap;
	}
	struct doc_block *b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	return b;
}

struct doc *
doc_new(const struct doc_brand *brand, const char *lang, const char *title,
        const char *page_words)
{
	struct doc *d = calloc(1, sizeof *d);
	if (d == NULL)
		return NULL;
	if (brand) {
		d->brand.company = dup_text(d, brand->company);
		d->brand.logo_path = dup_text(d, brand->logo_path);
		d->brand.address = dup_text(d, brand->address);
		d->brand.phone = dup_text(d, brand->phone);
	}
	d->lang = dup_text(d, lang ? lang : "es");
	d->title = dup_text(d, title ? title : "");
	d->page_words = dup_text(d, page_words ? page_words : "{{page}}/{{pages}}");
	if (d->failed) {
		doc_free(d);
		return NULL;
	}
	return d;
}

static void
add_text(struct doc *d, enum doc_block_kind kind, const char *text)
{
	struct doc_block *b = add(d, kind);
	if (b)
		b->text = dup_text(d, text ? text : "");
}

void doc_subtitle(struct doc *d, const char *t) { add_text(d, B_SUBTITLE, t); }
void doc_heading(struct doc *d, const char *t) { add_text(d, B_HEADING, t); }
void doc_paragraph(struct doc *d, const char *t) { add_text(d, B_PARAGRAPH, t); }

void
doc_keyvalues(struct doc *d, const char *const *pairs, size_t n)
{
	struct doc_block *b = add(d, B_KEYVALUES);
	if (b == NULL)
		return;
	b->pairs = dup_texts(d, pairs, 2 * n);
	b->n = n;
}

void
doc_table(struct doc *d, const struct doc_table *t)
{
	struct doc_block *b = add(d, B_TABLE);
	if (b == NULL || t->ncols == 0)
		return;
	struct doc_column *cols = own(d, t->ncols * sizeof *cols);
	for (size_t i = 0; cols && i < t->ncols; i++) {
		cols[i] = t->cols[i];
		cols[i].title = dup_text(d, t->cols[i].title);
	}
	b->table.cols = cols;
	b->table.ncols = t->ncols;
	b->table.nrows = t->nrows;
	b->table.cells = dup_texts(d, t->cells, t->nrows * t->ncols);
	b->table.footer = dup_texts(d, t->footer, t->ncols);
}

static void
add_chart(struct doc *d, const struct doc_chart *c, enum doc_chart_kind k)
{
	struct doc_block *b = add(d, B_CHART);
	if (b == NULL)
		return;
	b->chart_kind = k;
	b->chart = *c;
	b->chart.title = dup_text(d, c->title);
	b->chart.unit = dup_text(d, c->unit);
	b->chart.line_label = dup_text(d, c->line_label);
	b->chart.labels = dup_texts(d, c->labels, c->nlabels);
	struct doc_series *s = own(d, c->nseries * sizeof *s);
	for (size_t i = 0; s && i < c->nseries; i++) {
		double *v = own(d, c->nlabels * sizeof *v);
		if (v)
			memcpy(v, c->series[i].values, c->nlabels * sizeof *v);
		s[i].name = dup_text(d, c->series[i].name);
		s[i].values = v;
	}
	b->chart.series = s;
}

void doc_chart_bars(struct doc *d, const struct doc_chart *c) { add_chart(d, c, CHART_BARS); }
void doc_chart_stacked(struct doc *d, const struct doc_chart *c) { add_chart(d, c, CHART_STACKED); }
void doc_chart_line(struct doc *d, const struct doc_chart *c) { add_chart(d, c, CHART_LINE); }

void
doc_free(struct doc *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->nowned; i++)
		free(d->owned[i]);
	free(d->owned);
	free(d->blocks);
	free(d);
}

int
doc_pages(const struct doc *d)
{
	return d ? d->pages : 0;
}

/* ---- text ------------------------------------------------------------- */

double
doc_text_in(struct doc *d, PangoLayout *l, const char *text, double x, double y,
            double w, enum doc_font f, enum doc_align a, const double *rgb)
{
	pango_layout_set_font_description(l, d->font[f]);
	pango_layout_set_width(l, w > 0 ? (int)(w * PANGO_SCALE) : -1);
	pango_layout_set_alignment(l, a == DOC_RIGHT    ? PANGO_ALIGN_RIGHT
	                              : a == DOC_CENTER ? PANGO_ALIGN_CENTER
	                                                : PANGO_ALIGN_LEFT);
	pango_layout_set_text(l, text ? text : "", -1);
	int pw, ph;
	pango_layout_get_size(l, &pw, &ph);
	if (!d->dry && rgb) {
		cairo_set_source_rgb(d->cr, rgb[0], rgb[1], rgb[2]);
		cairo_move_to(d->cr, x, y);
		pango_cairo_show_layout(d->cr, l);
	}
	return (double)ph / PANGO_SCALE;
}

double
doc_text(struct doc *d, const char *text, double x, double y, double w,
         enum doc_font f, enum doc_align a, const double *rgb)
{
	return doc_text_in(d, d->layout, text, x, y, w, f, a, rgb);
}

static void
rule(struct doc *d, double x0, double x1, double y, double width,
     const double *rgb)
{
	if (d->dry)
		return;
	cairo_set_source_rgb(d->cr, rgb[0], rgb[1], rgb[2]);
	cairo_set_line_width(d->cr, width);
	cairo_move_to(d->cr, x0, y);
	cairo_line_to(d->cr, x1, y);
	cairo_stroke(d->cr);
}

static void
fill(struct doc *d, double x, double y, double w, double h, const double *rgb)
{
	if (d->dry)
		return;
	cairo_set_source_rgb(d->cr, rgb[0], rgb[1], rgb[2]);
	cairo_rectangle(d->cr, x, y, w, h);
	cairo_fill(d->cr);
}

/* ---- pages ------------------------------------------------------------ */

static void
page_header(struct doc *d)
{
	double x = DOC_MARGIN, top = 36.0, hh = 36.0;
	if (d->logo && !d->dry) {
		double lw = cairo_image_surface_get_width(d->logo);
		double lh = cairo_image_surface_get_height(d->logo);
		double k = hh / (lh > 0 ? lh : 1);
		cairo_save(d->cr);
		cairo_translate(d->cr, x, top);
		cairo_scale(d->cr, k, k);
		cairo_set_source_surface(d->cr, d->logo, 0, 0);
		cairo_paint(d->cr);
		cairo_restore(d->cr);
		x += lw * k + 10;
	}
	double h = doc_text(d, d->brand.company, x, top, 0, F_HEADING, DOC_LEFT,
	                    doc_accent);
	(void)h;
	double right = DOC_PAGE_W - DOC_MARGIN, y = top;
	const char *lines[] = {d->brand.address, d->brand.phone};
	for (size_t i = 0; i < 2; i++)
		if (lines[i] && lines[i][0])
			y += doc_text(d, lines[i], right - 220, y, 220, F_TINY, DOC_RIGHT,
			              doc_grey);
	rule(d, DOC_MARGIN, right, top + hh + 8, 0.8, doc_accent);
	d->y = DOC_TOP;
	if (d->page == 1) {
		d->y += doc_text(d, d->title, DOC_MARGIN, d->y, DOC_TEXT_W, F_TITLE,
		                 DOC_LEFT, doc_ink) + 4;
	}
	d->page_top = d->y;
}

/* page_words with {{page}} and {{pages}} filled in. */
static void
page_text(const struct doc *d, char *out, size_t len)
{
	size_t o = 0;
	for (const char *p = d->page_words; *p && o + 1 < len;) {
		int v = -1;
		if (strncmp(p, "{{page}}", 8) == 0) {
			v = d->page;
			p += 8;
		} else if (strncmp(p, "{{pages}}", 9) == 0) {
			v = d->total;
			p += 9;
		}
		if (v >= 0) {
			int n = snprintf(out + o, len - o, "%d", v);
			o = n > 0 && (size_t)n < len - o ? o + (size_t)n : len - 1;
		} else {
			out[o++] = *p++;
		}
	}
	out[o < len ? o : len - 1] = '\0';
}

static void
page_footer(struct doc *d)
{
	double y = DOC_PAGE_H - 44.0, right = DOC_PAGE_W - DOC_MARGIN;
	char pt[128];
	page_text(d, pt, sizeof pt);
	rule(d, DOC_MARGIN, right, y - 6, 0.5, doc_rule);
	doc_text(d, d->title, DOC_MARGIN, y, DOC_TEXT_W - 130, F_TINY, DOC_LEFT,
	         doc_grey);
	doc_text(d, pt, right - 130, y, 130, F_TINY, DOC_RIGHT, doc_grey);
}

static void
page_next(struct doc *d)
{
	page_footer(d);
	if (!d->dry)
		cairo_show_page(d->cr);
	d->page++;
	page_header(d);
}

int
doc_room(struct doc *d, double h)
{
	if (d->y + h <= DOC_BOTTOM || d->y <= d->page_top + 0.5)
		return 0;
	page_next(d);
	return 1;
}

/* ---- blocks ----------------------------------------------------------- */

static void
keyvalues(struct doc *d, const struct doc_block *b)
{
	double kw = DOC_TEXT_W * 0.34, vx = DOC_MARGIN + kw + 8;
	for (size_t i = 0; i < b->n; i++) {
		const char *k = b->pairs[2 * i], *v = b->pairs[2 * i + 1];
		double h = doc_text(d, k, DOC_MARGIN, 0, kw, F_BODY, DOC_LEFT, NULL);
		double hv = doc_text(d, v, vx, 0, DOC_TEXT_W - kw - 8, F_BOLD,
		                     DOC_LEFT, NULL);
		h = h > hv ? h : hv;
		doc_room(d, h + 3);
		doc_text(d, k, DOC_MARGIN, d->y, kw, F_BODY, DOC_LEFT, doc_grey);
		doc_text(d, v, vx, d->y, DOC_TEXT_W - kw - 8, F_BOLD, DOC_LEFT, doc_ink);
		d->y += h + 3;
	}
	d->y += 8;
}

#define CELL_PAD 4.0

/* The columns' widths in points: the shares given, the rest split among
 * the columns without one, all scaled to the text width. */
static void
column_widths(const struct doc_table *t, double *w)
{
	double given = 0;
	size_t open = 0;
	for (size_t i = 0; i < t->ncols; i++) {
		if (t->cols[i].width > 0)
			given += t->cols[i].width;
		else
			open++;
	}
	double rest = given < 1 ? 1 - given : 0, sum = 0;
	for (size_t i = 0; i < t->ncols; i++) {
		w[i] = t->cols[i].width > 0 ? t->cols[i].width
		       : open            ? (rest > 0.05 ? rest : 0.1) / (double)open
		                         : 0;
		sum += w[i];
	}
	for (size_t i = 0; i < t->ncols; i++)
		w[i] = w[i] / sum * DOC_TEXT_W;
}

/* Lays one row out in the columns' layouts (font f) and returns its
 * height; row_draw() then draws what they hold. */
static double
row_measure(struct doc *d, PangoLayout **ls, const struct doc_table *t,
            const double *w, const char *const *cells, enum doc_font f)
{
	double h = 0;
	for (size_t c = 0; c < t->ncols; c++) {
		double ch = doc_text_in(d, ls[c], cells[c], 0, 0, w[c] - 2 * CELL_PAD,
		                        f, t->cols[c].align, NULL);
		h = ch > h ? ch : h;
	}
	return h + 2 * CELL_PAD - 1;
}

static void
row_draw(struct doc *d, PangoLayout **ls, const struct doc_table *t,
         const double *w, double h, const double *ink, const double *bg)
{
	if (d->dry)
		return;
	if (bg)
		fill(d, DOC_MARGIN, d->y, DOC_TEXT_W, h, bg);
	cairo_set_source_rgb(d->cr, ink[0], ink[1], ink[2]);
	double x = DOC_MARGIN;
	for (size_t c = 0; c < t->ncols; c++) {
		cairo_move_to(d->cr, x + CELL_PAD, d->y + CELL_PAD - 0.5);
		pango_cairo_show_layout(d->cr, ls[c]);
		x += w[c];
	}
}

static void
table(struct doc *d, const struct doc_block *b)
{
	static const double head_bg[3] = {0.11, 0.31, 0.52};
	static const double white[3] = {1, 1, 1};
	static const double zebra[3] = {0.95, 0.96, 0.97};
	const struct doc_table *t = &b->table;
	if (t->ncols == 0)
		return;
	double *w = calloc(t->ncols, sizeof *w);
	/* The rows' layouts, then the header's (kept for every page). */
	PangoLayout **ls = calloc(2 * t->ncols, sizeof *ls), **hs = ls + t->ncols;
	const char **head = calloc(t->ncols, sizeof *head);
	if (w == NULL || ls == NULL || head == NULL) {
		d->failed = 1;
		goto out;
	}
	column_widths(t, w);
	for (size_t c = 0; c < 2 * t->ncols; c++) {
		ls[c] = pango_layout_copy(d->layout);
		pango_layout_set_wrap(ls[c], PANGO_WRAP_WORD_CHAR);
	}
	for (size_t c = 0; c < t->ncols; c++)
		head[c] = t->cols[c].title;
	double hh = row_measure(d, hs, t, w, head, F_SMALL_BOLD);
	double first = t->nrows ? row_measure(d, ls, t, w, t->cells, F_SMALL) : 0;
	doc_room(d, hh + first);
	row_draw(d, hs, t, w, hh, white, head_bg);
	d->y += hh;
	for (size_t r = 0; r < t->nrows; r++) {
		double h = row_measure(d, ls, t, w, t->cells + r * t->ncols, F_SMALL);
		if (d->y + h > DOC_BOTTOM) {
			page_next(d);
			row_draw(d, hs, t, w, hh, white, head_bg);
			d->y += hh;
		}
		row_draw(d, ls, t, w, h, doc_ink, r % 2 ? zebra : NULL);
		d->y += h;
	}
	if (t->footer) {
		double h = row_measure(d, ls, t, w, t->footer, F_SMALL_BOLD);
		doc_room(d, h);
		rule(d, DOC_MARGIN, DOC_MARGIN + DOC_TEXT_W, d->y, 0.8, doc_ink);
		row_draw(d, ls, t, w, h, doc_ink, NULL);
		d->y += h;
	} else {
		rule(d, DOC_MARGIN, DOC_MARGIN + DOC_TEXT_W, d->y, 0.5, doc_rule);
	}
	d->y += 12;
out:
	for (size_t c = 0; ls && c < 2 * t->ncols; c++)
		if (ls[c])
			g_object_unref(ls[c]);
	free(w);
	free(ls);
	free(head);
}

static void
block(struct doc *d, const struct doc_block *b)
{
	double h;
	switch (b->kind) {
	case B_SUBTITLE:
		d->y += doc_text(d, b->text, DOC_MARGIN, d->y, DOC_TEXT_W, F_SUBTITLE,
		                 DOC_LEFT, doc_grey) + 6;
		break;
	case B_HEADING:
		h = doc_text(d, b->text, DOC_MARGIN, 0, DOC_TEXT_W, F_HEADING,
		             DOC_LEFT, NULL);
		if (!doc_room(d, h + 70) && d->y > d->page_top + 0.5)
			d->y += 10;
		d->y += doc_text(d, b->text, DOC_MARGIN, d->y, DOC_TEXT_W, F_HEADING,
		                 DOC_LEFT, doc_accent) + 6;
		break;
	case B_PARAGRAPH:
		h = doc_text(d, b->text, DOC_MARGIN, 0, DOC_TEXT_W, F_BODY, DOC_LEFT,
		             NULL);
		doc_room(d, h);
		d->y += doc_text(d, b->text, DOC_MARGIN, d->y, DOC_TEXT_W, F_BODY,
		                 DOC_LEFT, doc_ink) + 8;
		break;
	case B_KEYVALUES:
		keyvalues(d, b);
		break;
	case B_TABLE:
		table(d, b);
		break;
	case B_CHART:
		doc_chart_draw(d, b);
		break;
	}
}

/* ---- finishing -------------------------------------------------------- */

struct sink {
	unsigned char *p;
	size_t n, cap;
	int failed;
};

static cairo_status_t
sink_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct sink *s = closure;
	if (s == NULL)
		return CAIRO_STATUS_SUCCESS;   /* the dry run's: thrown away */
	if (s->n + len > s->cap) {
		size_t cap = s->cap ? s->cap : 65536;
		while (cap < s->n + len)
			cap *= 2;
		unsigned char *p = realloc(s->p, cap);
		if (p == NULL) {
			s->failed = 1;
			return CAIRO_STATUS_WRITE_ERROR;
		}
		s->p = p;
		s->cap = cap;
	}
	memcpy(s->p + s->n, data, len);
	s->n += len;
	return CAIRO_STATUS_SUCCESS;
}

static const struct {
	const char *family;
	int weight;
	double size;
} fonts[F_NFONTS] = {
	[F_TITLE] = {"DejaVu Sans", PANGO_WEIGHT_BOLD, 17},
	[F_SUBTITLE] = {"DejaVu Sans", PANGO_WEIGHT_NORMAL, 10.5},
	[F_HEADING] = {"DejaVu Sans", PANGO_WEIGHT_BOLD, 12},
	[F_BODY] = {"DejaVu Sans", PANGO_WEIGHT_NORMAL, 9},
	[F_BOLD] = {"DejaVu Sans", PANGO_WEIGHT_BOLD, 9},
	[F_SMALL] = {"DejaVu Sans Condensed", PANGO_WEIGHT_NORMAL, 8},
	[F_SMALL_BOLD] = {"DejaVu Sans Condensed", PANGO_WEIGHT_BOLD, 8},
	[F_TINY] = {"DejaVu Sans", PANGO_WEIGHT_NORMAL, 7},
};

/* One run over the blocks onto a PDF written to s (NULL: the dry run). */
static int
run(struct doc *d, struct sink *s)
{
	cairo_surface_t *surf = cairo_pdf_surface_create_for_stream(
	    sink_write, s, DOC_PAGE_W, DOC_PAGE_H);
	if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(surf);
		return -1;
	}
	if (s) {
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, d->title);
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_AUTHOR,
		                               d->brand.company ? d->brand.company : "");
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR,
		                               "soporte");
	}
	d->dry = s == NULL;
	d->cr = cairo_create(surf);
	d->layout = pango_cairo_create_layout(d->cr);
	pango_context_set_language(pango_layout_get_context(d->layout),
	                           pango_language_from_string(d->lang));
	pango_layout_set_wrap(d->layout, PANGO_WRAP_WORD_CHAR);
	d->page = 1;
	page_header(d);
	for (size_t i = 0; i < d->nblocks && !d->failed; i++)
		block(d, &d->blocks[i]);
	page_footer(d);
	if (!d->dry)
		cairo_show_page(d->cr);
	d->pages = d->page;
	g_object_unref(d->layout);
	d->layout = NULL;
	cairo_destroy(d->cr);
	d->cr = NULL;
	cairo_surface_finish(surf);
	int bad = cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(surf);
	return bad || d->failed || (s && s->failed) ? -1 : 0;
}

int
doc_finish_pdf(struct doc *d, unsigned char **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	if (d == NULL || d->failed)
		return -1;
	for (int f = 0; f < F_NFONTS; f++) {
		d->font[f] = pango_font_description_new();
		pango_font_description_set_family(d->font[f], fonts[f].family);
		pango_font_description_set_weight(d->font[f], fonts[f].weight);
		pango_font_description_set_absolute_size(d->font[f],
		                                         fonts[f].size * PANGO_SCALE);
	}
	if (d->brand.logo_path && d->brand.logo_path[0]) {
		d->logo = cairo_image_surface_create_from_png(d->brand.logo_path);
		if (cairo_surface_status(d->logo) != CAIRO_STATUS_SUCCESS) {
			cairo_surface_destroy(d->logo);
			d->logo = NULL;
		}
	}
	struct sink s = {0};
	int rc = run(d, NULL);
	if (rc == 0) {
		d->total = d->pages;
		rc = run(d, &s);
	}
	if (rc == 0) {
		*buf = s.p;
		*len = s.n;
	} else {
		free(s.p);
	}
	if (d->logo)
		cairo_surface_destroy(d->logo);
	d->logo = NULL;
	for (int f = 0; f < F_NFONTS; f++) {
		pango_font_description_free(d->font[f]);
		d->font[f] = NULL;
	}
	return rc;
}

int
doc_finish_file(struct doc *d, FILE *out)
{
	unsigned char *p;
	size_t n;
	if (doc_finish_pdf(d, &p, &n) != 0)
		return -1;
	int rc = fwrite(p, 1, n, out) == n ? 0 : -1;
	free(p);
	return rc;
}
