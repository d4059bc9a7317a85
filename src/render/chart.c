/*
 * chart.c - the charts of a document (see doc.h): bars side by side,
 * stacked bars or lines over a few categories, with a y axis of round
 * steps, a dashed reference line and a legend, drawn with cairo.
 */
#include "render/doc_int.h"

#include <math.h>
#include <stdio.h>

#define CHART_PLOT_H 150.0
#define CHART_AXIS_W 40.0

/* The largest value the y axis must hold. */
static double
chart_max(const struct doc_block *b)
{
	const struct doc_chart *c = &b->chart;
	double top = c->has_line ? c->line_value : 0;
	for (size_t i = 0; i < c->nlabels; i++) {
		double sum = 0;
		for (size_t s = 0; s < c->nseries; s++) {
			double v = c->series[s].values[i];
			if (b->chart_kind == CHART_STACKED)
				sum += v > 0 ? v : 0;
			else if (v > top)
				top = v;
		}
		if (sum > top)
			top = sum;
	}
	return top > 0 ? top : 1;
}

/* A round step (1, 2, 2.5 or 5 times a power of ten) giving at most
 * five intervals up to top. */
static double
chart_step(double top)
{
	double raw = top / 5, mag = pow(10, floor(log10(raw)));
	static const double k[] = {1, 2, 2.5, 5, 10};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
		if (k[i] * mag >= raw)
			return k[i] * mag;
	return 10 * mag;
}

static void
set_rgb(struct doc *d, const double *rgb)
{
	cairo_set_source_rgb(d->cr, rgb[0], rgb[1], rgb[2]);
}

static void
legend(struct doc *d, const struct doc_chart *c, enum doc_chart_kind kind,
       double x, double y)
{
	for (size_t s = 0; s < c->nseries; s++) {
		if (!d->dry) {
			set_rgb(d, doc_palette[s % 6]);
			if (kind == CHART_LINE) {
				cairo_set_line_width(d->cr, 2);
				cairo_move_to(d->cr, x, y + 5);
				cairo_line_to(d->cr, x + 14, y + 5);
				cairo_stroke(d->cr);
			} else {
				cairo_rectangle(d->cr, x + 3, y + 1, 8, 8);
				cairo_fill(d->cr);
			}
		}
		doc_text(d, c->series[s].name, x + 18, y, 0, F_TINY, DOC_LEFT, doc_ink);
		int pw;
		pango_layout_get_size(d->layout, &pw, NULL);
		x += 18 + (double)pw / PANGO_SCALE + 14;
	}
	if (c->has_line && c->line_label) {
		if (!d->dry) {
			static const double dash[] = {4, 3};
			set_rgb(d, doc_palette[5]);
			cairo_set_line_width(d->cr, 1.2);
			cairo_set_dash(d->cr, dash, 2, 0);
			cairo_move_to(d->cr, x, y + 5);
			cairo_line_to(d->cr, x + 14, y + 5);
			cairo_stroke(d->cr);
			cairo_set_dash(d->cr, NULL, 0, 0);
		}
		doc_text(d, c->line_label, x + 18, y, 0, F_TINY, DOC_LEFT, doc_ink);
	}
}

/* The y axis: a rule and a label at each step, the unit on top. */
static void
axis(struct doc *d, const struct doc_chart *c, double x0, double y0,
     double pw, double top, double step)
{
	char t[32];
	for (double v = 0; v <= top + step / 2; v += step) {
		double y = y0 + CHART_PLOT_H - v / top * CHART_PLOT_H;
		if (!d->dry) {
			set_rgb(d, v == 0 ? doc_grey : doc_rule);
			cairo_set_line_width(d->cr, v == 0 ? 0.8 : 0.4);
			cairo_move_to(d->cr, x0, y);
			cairo_line_to(d->cr, x0 + pw, y);
			cairo_stroke(d->cr);
		}
		snprintf(t, sizeof t, "%g", v);
		doc_text(d, t, x0 - CHART_AXIS_W, y - 5, CHART_AXIS_W - 4, F_TINY,
		         DOC_RIGHT, doc_grey);
	}
	if (c->unit)
		doc_text(d, c->unit, x0 - CHART_AXIS_W, y0 - 14, CHART_AXIS_W - 4,
		         F_TINY, DOC_RIGHT, doc_grey);
}

/* The categories' labels under the plot, every k-th when they crowd. */
static void
categories(struct doc *d, const struct doc_chart *c, double x0, double y,
           double slot)
{
	size_t every = slot >= 28 ? 1 : (size_t)ceil(28 / slot);
	for (size_t i = 0; i < c->nlabels; i += every)
		doc_text(d, c->labels[i], x0 + slot * (double)i - slot * (every - 1) / 2,
		         y, slot * (double)every, F_TINY, DOC_CENTER, doc_grey);
}

static void
plot(struct doc *d, const struct doc_block *b, double x0, double y0, double pw,
     double top)
{
	const struct doc_chart *c = &b->chart;
	double slot = pw / (double)c->nlabels;
	cairo_t *cr = d->cr;
	for (size_t s = 0; s < c->nseries; s++) {
		set_rgb(d, doc_palette[s % 6]);
		for (size_t i = 0; i < c->nlabels; i++) {
			double v = c->series[s].values[i];
			v = v > 0 ? v : 0;
			double h = v / top * CHART_PLOT_H, base = y0 + CHART_PLOT_H;
			double cx = x0 + slot * ((double)i + 0.5);
			if (b->chart_kind == CHART_BARS) {
				double bw = slot * 0.7 / (double)c->nseries;
				cairo_rectangle(cr, cx - slot * 0.35 + bw * (double)s, base - h,
				                bw, h);
				cairo_fill(cr);
			} else if (b->chart_kind == CHART_STACKED) {
				for (size_t u = 0; u < s; u++) {
					double w = c->series[u].values[i];
					base -= (w > 0 ? w : 0) / top * CHART_PLOT_H;
				}
				cairo_rectangle(cr, cx - slot * 0.3, base - h, slot * 0.6, h);
				cairo_fill(cr);
			} else {
				if (i == 0)
					cairo_move_to(cr, cx, base - h);
				else
					cairo_line_to(cr, cx, base - h);
			}
		}
		if (b->chart_kind == CHART_LINE) {
			cairo_set_line_width(cr, 2);
			cairo_stroke(cr);
			for (size_t i = 0; i < c->nlabels; i++) {
				double v = c->series[s].values[i];
				cairo_arc(cr, x0 + slot * ((double)i + 0.5),
				          y0 + CHART_PLOT_H - (v > 0 ? v : 0) / top * CHART_PLOT_H,
				          2.5, 0, 2 * M_PI);
				cairo_fill(cr);
			}
		}
	}
	if (c->has_line) {
		static const double dash[] = {4, 3};
		double y = y0 + CHART_PLOT_H - c->line_value / top * CHART_PLOT_H;
		set_rgb(d, doc_palette[5]);
		cairo_set_line_width(cr, 1.2);
		cairo_set_dash(cr, dash, 2, 0);
		cairo_move_to(cr, x0, y);
		cairo_line_to(cr, x0 + pw, y);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
}

void
doc_chart_draw(struct doc *d, const struct doc_block *b)
{
	const struct doc_chart *c = &b->chart;
	if (c->nlabels == 0 || c->nseries == 0)
		return;
	double th = c->title ? doc_text(d, c->title, DOC_MARGIN, 0, DOC_TEXT_W,
	                                F_BOLD, DOC_LEFT, NULL) + 16
	                     : 16;
	doc_room(d, th + CHART_PLOT_H + 40);
	if (c->title)
		doc_text(d, c->title, DOC_MARGIN, d->y, DOC_TEXT_W, F_BOLD, DOC_LEFT,
		         doc_ink);
	double top = chart_max(b), step = chart_step(top);
	top = ceil(top / step - 1e-9) * step;
	double x0 = DOC_MARGIN + CHART_AXIS_W, y0 = d->y + th;
	double pw = DOC_TEXT_W - CHART_AXIS_W - 8;
	axis(d, c, x0, y0, pw, top, step);
	if (!d->dry)
		plot(d, b, x0, y0, pw, top);
	categories(d, c, x0, y0 + CHART_PLOT_H + 3, pw / (double)c->nlabels);
	legend(d, c, b->chart_kind, x0, y0 + CHART_PLOT_H + 18);
	d->y = y0 + CHART_PLOT_H + 40;
}
