/*
 * triage_io.c - the triage model's tables and its text.
 *
 * The text (format 1) is line based, ASCII, deterministic (features in
 * byte order of their names), so the same model gives the same bytes and
 * the same version (the SHA-256 of the text):
 *   soporte-triage-model 1
 *   alpha 1000                      Laplace smoothing, in thousandths
 *   examples N
 *   catsev S S S S S S S            a category's fixed severity or 0
 *   sevdocs D D D D                 examples per severity (priors)
 *   catdocs D D D D D D D           examples per category
 *   k CLASSES STEM_STEM             a policy phrase and its classes (bits)
 *   f NAME S S S S C C C C C C C    per feature: examples of each class
 * Parsing is strict: anything else is refused.
 */
#include "core/triage_internal.h"
#include "util/buf.h"
#include "util/sha256.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* (Re)builds the hash index for at least `want` features. */
static int
slots_build(struct triage_model *m, size_t want)
{
	size_t n = 64;
	while (n < 2 * want + 2)
		n *= 2;
	uint32_t *s = calloc(n, sizeof *s);
	if (s == NULL)
		return -1;
	for (size_t k = 0; k < m->nfeat; k++) {
		size_t i = m->feat[k].hash & (n - 1);
		while (s[i])
			i = (i + 1) & (n - 1);
		s[i] = (uint32_t)(k + 1);
	}
	free(m->slots);
	m->slots = s;
	m->nslots = n;
	return 0;
}

const struct tm_feat *
tm_find(const struct triage_model *m, const char *name, uint32_t hash)
{
	if (m->nslots == 0)
		return NULL;
	size_t i = hash & (m->nslots - 1);
	while (m->slots[i]) {
		const struct tm_feat *f = &m->feat[m->slots[i] - 1];
		if (f->hash == hash && strcmp(f->name, name) == 0)
			return f;
		i = (i + 1) & (m->nslots - 1);
	}
	return NULL;
}

struct tm_feat *
tm_add(struct triage_model *m, const char *name, uint32_t hash)
{
	struct tm_feat *f = (struct tm_feat *)tm_find(m, name, hash);
	if (f)
		return f;
	if (m->nfeat == m->capfeat) {
		size_t cap = m->capfeat ? 2 * m->capfeat : 1024;
		struct tm_feat *nf = realloc(m->feat, cap * sizeof *nf);
		if (nf == NULL)
			return NULL;
		m->feat = nf;
		m->capfeat = cap;
	}
	if (2 * (m->nfeat + 1) + 2 > m->nslots) {
		if (slots_build(m, 2 * m->nfeat + 64) != 0)
			return NULL;
	}
	f = &m->feat[m->nfeat];
	memset(f, 0, sizeof *f);
	f->name = strdup(name);
	if (f->name == NULL)
		return NULL;
	f->hash = hash;
	size_t i = hash & (m->nslots - 1);
	while (m->slots[i])
		i = (i + 1) & (m->nslots - 1);
	m->slots[i] = (uint32_t)(++m->nfeat);
	return f;
}

static int
feat_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tm_feat *)a)->name,
	              ((const struct tm_feat *)b)->name);
}

/* One classifier's weights (triage.c explains the score): the log of a
 * feature's smoothed probability in class j over that in the other
 * classes together (one-vs-rest, as complement naive Bayes: a small class
 * is not drowned by the words it has never seen). */
static void
weigh(struct triage_model *m, int k, const uint64_t *tot, bool sev)
{
	double a = m->alpha_milli / 1000.0, v = (double)m->nfeat;
	uint64_t all_tot = 0;
	for (int j = 0; j < k; j++)
		all_tot += tot[j];
	for (size_t i = 0; i < m->nfeat; i++) {
		struct tm_feat *f = &m->feat[i];
		const uint32_t *c = sev ? f->sev : f->cat;
		float *w = sev ? f->wsev : f->wcat;
		uint64_t all = 0;
		for (int j = 0; j < k; j++)
			all += c[j];
		for (int j = 0; j < k; j++) {
			if (all == 0) {
				w[j] = 0;
				continue;
			}
			double in = (c[j] + a) / ((double)tot[j] + a * v);
			double out = ((double)(all - c[j]) + a) /
			             ((double)(all_tot - tot[j]) + a * v);
			w[j] = (float)log(in / out);
		}
	}
}

int
tm_finish(struct triage_model *m)
{
	memset(m->sev_tot, 0, sizeof m->sev_tot);
	memset(m->cat_tot, 0, sizeof m->cat_tot);
	for (size_t k = 0; k < m->nfeat; k++) {
		for (int s = 0; s < TRIAGE_SEVERITIES; s++)
			m->sev_tot[s] += m->feat[k].sev[s];
		for (int c = 0; c < TRIAGE_NCATEGORIES; c++)
			m->cat_tot[c] += m->feat[k].cat[c];
	}
	weigh(m, TRIAGE_SEVERITIES, m->sev_tot, true);
	weigh(m, TRIAGE_NCATEGORIES, m->cat_tot, false);
	if (m->nfeat > 1)
		qsort(m->feat, m->nfeat, sizeof *m->feat, feat_cmp);
	if (slots_build(m, m->nfeat) != 0 || tx_cues_sort(&m->cues) != 0)
		return -1;
	char *text;
	size_t len;
	if (triage_model_serialize(m, &text, &len) != 0)
		return -1;
	sha256_hex(text, len, m->version);
	free(text);
	return 0;
}

static int
put_u32s(struct buf *b, const char *head, const uint32_t *v, int n)
{
	int bad = buf_puts(b, head);
	for (int i = 0; i < n; i++)
		bad |= buf_printf(b, " %" PRIu32, v[i]);
	return bad | buf_putc(b, '\n');
}

int
triage_model_serialize(const struct triage_model *m, char **text,
                       size_t *len)
{
	struct buf b = BUF_INIT(0);
	int bad = buf_printf(&b, "soporte-triage-model %d\n", TRIAGE_MODEL_FORMAT);
	bad |= buf_printf(&b, "alpha %" PRIu32 "\n", m->alpha_milli);
	bad |= buf_printf(&b, "examples %zu\n", m->nexamples);
	bad |= buf_puts(&b, "catsev");
	for (int c = 0; c < TRIAGE_NCATEGORIES; c++)
		bad |= buf_printf(&b, " %d", m->cat_severity[c]);
	bad |= buf_putc(&b, '\n');
	bad |= put_u32s(&b, "sevdocs", m->sev_docs, TRIAGE_SEVERITIES);
	bad |= put_u32s(&b, "catdocs", m->cat_docs, TRIAGE_NCATEGORIES);
	for (size_t k = 0; k < m->cues.n; k++)
		bad |= buf_printf(&b, "k %" PRIu32 " %s\n", m->cues.v[k].classes,
		                  m->cues.v[k].stems);
	for (size_t k = 0; k < m->nfeat; k++) {
		const struct tm_feat *f = &m->feat[k];
		bad |= buf_printf(&b, "f %s", f->name);
		for (int s = 0; s < TRIAGE_SEVERITIES; s++)
			bad |= buf_printf(&b, " %" PRIu32, f->sev[s]);
		for (int c = 0; c < TRIAGE_NCATEGORIES; c++)
			bad |= buf_printf(&b, " %" PRIu32, f->cat[c]);
		bad |= buf_putc(&b, '\n');
	}
	if (bad) {
		buf_free(&b);
		return -1;
	}
	*len = b.len;
	*text = buf_steal(&b);
	return *text ? 0 : -1;
}

/* Reads n unsigned decimal numbers after `head` on the line at *p. */
static int
get_u32s(const char **p, const char *end, const char *head, uint32_t *v,
         int n)
{
	size_t hl = strlen(head);
	if ((size_t)(end - *p) < hl || memcmp(*p, head, hl) != 0)
		return -1;
	const char *s = *p + hl;
	for (int i = 0; i < n; i++) {
		if (s >= end || *s != ' ')
			return -1;
		s++;
		uint64_t x = 0;
		const char *d = s;
		while (s < end && *s >= '0' && *s <= '9' && s - d < 10)
			x = x * 10 + (uint64_t)(*s++ - '0');
		if (s == d || x > UINT32_MAX)
			return -1;
		v[i] = (uint32_t)x;
	}
	if (s >= end || *s != '\n')
		return -1;
	*p = s + 1;
	return 0;
}

int
triage_model_parse(const char *text, size_t len, struct triage_model **out)
{
	*out = NULL;
	struct triage_model *m = calloc(1, sizeof *m);
	if (m == NULL)
		return -1;
	const char *p = text, *end = text + len;
	uint32_t fmt, ex, catsev[TRIAGE_NCATEGORIES];
	int ok = get_u32s(&p, end, "soporte-triage-model", &fmt, 1) == 0 &&
	         fmt == TRIAGE_MODEL_FORMAT &&
	         get_u32s(&p, end, "alpha", &m->alpha_milli, 1) == 0 &&
	         m->alpha_milli > 0 &&
	         get_u32s(&p, end, "examples", &ex, 1) == 0 &&
	         get_u32s(&p, end, "catsev", catsev, TRIAGE_NCATEGORIES) == 0 &&
	         get_u32s(&p, end, "sevdocs", m->sev_docs, TRIAGE_SEVERITIES) ==
	             0 &&
	         get_u32s(&p, end, "catdocs", m->cat_docs, TRIAGE_NCATEGORIES) ==
	             0;
	for (int c = 0; ok && c < TRIAGE_NCATEGORIES; c++) {
		ok = catsev[c] <= TRIAGE_SEVERITIES;
		m->cat_severity[c] = (int)catsev[c];
	}
	m->nexamples = ok ? ex : 0;
	while (ok && p < end && end - p > 2 && p[0] == 'k' && p[1] == ' ') {
		const char *sp = p + 2;
		uint64_t v = 0;
		while (sp < end && *sp >= '0' && *sp <= '9' && v <= UINT32_MAX)
			v = v * 10 + (uint64_t)(*sp++ - '0');
		size_t nl = 0;
		if (sp < end && *sp == ' ')
			while (sp + 1 + nl < end && sp[1 + nl] != '\n' &&
			       sp[1 + nl] != ' ')
				nl++;
		ok = sp < end && *sp == ' ' && v > 0 &&
		     v < (1u << TX_CUE_CLASSES) && nl > 0 && nl < 80 &&
		     sp + 1 + nl < end && sp[1 + nl] == '\n' &&
		     memchr(sp + 1, '\0', nl) == NULL;
		if (!ok)
			break;
		char stems[80];
		memcpy(stems, sp + 1, nl);
		stems[nl] = '\0';
		ok = tx_cue_find(&m->cues, stems) == NULL &&
		     tx_cue_put(&m->cues, stems, (uint32_t)v) == 0;
		p = sp + 1 + nl + 1;
	}
	while (ok && p < end) {
		const char *sp = p + 2;
		size_t nl = 0;
		while (sp + nl < end && sp[nl] != ' ' && sp[nl] != '\n')
			nl++;
		ok = end - p > 2 && p[0] == 'f' && p[1] == ' ' && nl > 0 &&
		     nl < TX_NAME && memchr(sp, '\0', nl) == NULL;
		if (!ok)
			break;
		char name[TX_NAME];
		memcpy(name, sp, nl);
		name[nl] = '\0';
		uint32_t v[TRIAGE_SEVERITIES + TRIAGE_NCATEGORIES];
		p = sp + nl;
		ok = get_u32s(&p, end, "", v, TRIAGE_SEVERITIES +
		              TRIAGE_NCATEGORIES) == 0;
		uint32_t h = tx_hash(name);
		if (ok && tm_find(m, name, h) != NULL)
			ok = 0; /* a feature twice: not a model we wrote */
		struct tm_feat *f = ok ? tm_add(m, name, h) : NULL;
		if (f == NULL) {
			ok = 0;
			break;
		}
		memcpy(f->sev, v, sizeof f->sev);
		memcpy(f->cat, v + TRIAGE_SEVERITIES, sizeof f->cat);
	}
	if (!ok || tm_finish(m) != 0) {
		triage_model_free(m);
		return -1;
	}
	*out = m;
	return 0;
}

const char *
triage_model_version(const struct triage_model *m)
{
	return m->version;
}

size_t
triage_model_examples(const struct triage_model *m)
{
	return m->nexamples;
}

void
triage_model_free(struct triage_model *m)
{
	if (m == NULL)
		return;
	for (size_t k = 0; k < m->nfeat; k++)
		free(m->feat[k].name);
	free(m->feat);
	free(m->slots);
	tx_cues_free(&m->cues);
	free(m);
}
