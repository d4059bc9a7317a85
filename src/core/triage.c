/*
 * triage.c - the triage model: learning and classifying (see triage.h and
 * docs/triage.md).
 *
 * Two naive Bayes classifiers over the same binary features (triage_text.c):
 * one for the category (7 classes), one for the severity (4 classes) that
 * learns only from examples whose category leaves the severity to the
 * words (incidents and exclusions). The severity proposed mixes both:
 *   P(severity s) = sum over categories c of P(c) * P(s | c)
 * where P(s | c) is 1 for the severity the policy fixes for c (usage
 * questions and changes 3, suggestions 4) and the severity classifier's
 * probability otherwise. A class's score is its prior plus, for each
 * feature of the mail the model knows, the log of the feature's
 * probability in the class over its probability in the other classes
 * (Laplace smoothing, alpha 0.1); the class probabilities are their softmax over the number of
 * features the model knows ("tempered": naive Bayes alone is
 * overconfident, and the threshold needs probabilities that mean
 * something). The reasons are the features that favour the winner most
 * over the runner-up.
 */
#include "core/triage_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const category_names[TRIAGE_NCATEGORIES] = {
	"incident", "change_request", "question", "suggestion",
	"excluded_training", "excluded_third_party", "excluded_consulting",
};

const char *
triage_category_name(enum triage_category c)
{
	return (unsigned)c < TRIAGE_NCATEGORIES ? category_names[c] : NULL;
}

int
triage_category_parse(const char *name)
{
	for (int c = 0; name && c < TRIAGE_NCATEGORIES; c++)
		if (strcmp(name, category_names[c]) == 0)
			return c;
	return -1;
}

bool
triage_category_excluded(int c)
{
	return c == TRIAGE_EXCLUDED_TRAINING || c == TRIAGE_EXCLUDED_THIRD_PARTY ||
	       c == TRIAGE_EXCLUDED_CONSULTING;
}

/* ---- the seed -------------------------------------------------------- */

static void
join(char *dst, const char *a, const char *b, const char *c)
{
	snprintf(dst, TRIAGE_SEED_TEXT, "%s\n%s\n%s", a, b, c);
}

void
triage_seed_from_policy(const struct policy *p, struct triage_policy_seed *out)
{
	memset(out, 0, sizeof *out);
	out->weight = p->triage_seed_weight > 0 ? p->triage_seed_weight : 1;
	for (int s = 0; s < TRIAGE_SEVERITIES; s++) {
		const struct policy_severity *sv = &p->severity[s];
		join(out->severity_text[s], sv->description_es, sv->description_en,
		     sv->keywords);
		snprintf(out->severity_keywords[s], TRIAGE_SEED_TEXT, "%s",
		         sv->keywords);
	}
	for (int i = 0; i < p->nexclusions; i++) {
		const struct policy_exclusion *x = &p->exclusions[i];
		int c = x->kind == EXCLUSION_TRAINING ? TRIAGE_EXCLUDED_TRAINING
		      : x->kind == EXCLUSION_THIRD_PARTY ? TRIAGE_EXCLUDED_THIRD_PARTY
		      : TRIAGE_EXCLUDED_CONSULTING;
		join(out->category_text[c], x->reason_es, x->reason_en, x->keywords);
		snprintf(out->category_keywords[c], TRIAGE_SEED_TEXT, "%s",
		         x->keywords);
	}
	for (int i = 0; i < p->ntriage_categories; i++) {
		const struct policy_triage_category *tc = &p->triage_categories[i];
		int c = triage_category_parse(tc->key);
		if (c < 0)
			continue;
		join(out->category_text[c], tc->description_es, tc->description_en,
		     tc->keywords);
		snprintf(out->category_keywords[c], TRIAGE_SEED_TEXT, "%s",
		         tc->keywords);
		out->category_severity[c] = tc->severity;
	}
}

/* ---- learning -------------------------------------------------------- */

/* Adds the features of one example to the counts: w times to severity s
 * (1-4, or 0: none) and to category c (or -1: none). */
static int
count(struct triage_model *m, const struct tx_feats *f, int s, int c,
      uint32_t w)
{
	for (size_t k = 0; k < f->n; k++) {
		struct tm_feat *t = tm_add(m, f->name[k], f->hash[k]);
		if (t == NULL)
			return -1;
		if (s >= 1)
			t->sev[s - 1] += w;
		if (c >= 0)
			t->cat[c] += w;
	}
	return 0;
}

int
triage_train(const struct triage_policy_seed *seed,
             const struct triage_example *ex, size_t n,
             struct triage_model **out)
{
	*out = NULL;
	struct triage_model *m = calloc(1, sizeof *m);
	struct tx_feats *f = malloc(sizeof *f);
	struct sb_stemmer *st = tx_stemmer_new();
	int rc = m && f && st ? 0 : -1;
	if (rc == 0)
		m->alpha_milli = 100;
	if (rc == 0 && seed) {
		uint32_t w = seed->weight > 0 ? (uint32_t)seed->weight : 1;
		memcpy(m->cat_severity, seed->category_severity,
		       sizeof m->cat_severity);
		for (int s = 0; rc == 0 && s < TRIAGE_SEVERITIES; s++)
			rc = tx_cues_add_list(&m->cues, st, seed->severity_keywords[s],
			                      s);
		for (int c = 0; rc == 0 && c < TRIAGE_NCATEGORIES; c++)
			rc = tx_cues_add_list(&m->cues, st, seed->category_keywords[c],
			                      TRIAGE_SEVERITIES + c);
		for (int s = 0; rc == 0 && s < TRIAGE_SEVERITIES; s++) {
			tx_features_text(st, &m->cues, seed->severity_text[s], f);
			rc = count(m, f, s + 1, -1, w);
		}
		for (int c = 0; rc == 0 && c < TRIAGE_NCATEGORIES; c++) {
			tx_features_text(st, &m->cues, seed->category_text[c], f);
			rc = count(m, f, 0, c, w);
		}
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct triage_example *e = &ex[i];
		int c = e->category >= 0 && e->category < TRIAGE_NCATEGORIES ?
		        e->category : -1;
		int s = e->severity >= 1 && e->severity <= TRIAGE_SEVERITIES ?
		        e->severity : 0;
		/* The severity a category fixes teaches the words nothing. */
		if (c >= 0 && m->cat_severity[c] > 0)
			s = 0;
		if (s == 0 && c < 0)
			continue;
		tx_features(st, &m->cues, &e->in, f);
		rc = count(m, f, s, c, 1);
		if (s)
			m->sev_docs[s - 1]++;
		if (c >= 0)
			m->cat_docs[c]++;
		m->nexamples++;
	}
	if (rc == 0)
		rc = tm_finish(m);
	free(f);
	tx_stemmer_free(st);
	if (rc != 0) {
		triage_model_free(m);
		return -1;
	}
	*out = m;
	return 0;
}

/* ---- classifying ----------------------------------------------------- */

/* One classifier (severity or category) over the known features. */
struct nb {
	int k;
	const uint32_t *docs;
	bool sev; /* severity weights, else category */
	double score[TRIAGE_NCATEGORIES];
	double prob[TRIAGE_NCATEGORIES];
	int best, second;
};

static double
weight(const struct nb *b, const struct tm_feat *t, int j)
{
	return b->sev ? t->wsev[j] : t->wcat[j];
}

/* The severity is judged by the policy's phrases alone (k: features: what
 * the definitions of the levels and categories say) and a subject in
 * capitals; measured, the mail's other words made it worse
 * (docs/triage.md). The category reads every feature. */
static bool
uses(const struct nb *b, const struct tm_feat *t)
{
	return !b->sev || t->name[0] == 'k' || t->name[0] == 'c';
}

static void
nb_run(struct nb *b, const struct tm_feat **known, size_t nknown)
{
	double docs = 0;
	for (int j = 0; j < b->k; j++)
		docs += b->docs[j];
	for (int j = 0; j < b->k; j++)
		b->score[j] = log((b->docs[j] + 1.0) / (docs + b->k));
	size_t used = 0;
	for (size_t i = 0; i < nknown; i++) {
		if (!uses(b, known[i]))
			continue;
		used++;
		for (int j = 0; j < b->k; j++)
			b->score[j] += weight(b, known[i], j);
	}
	/* Tempered softmax: naive Bayes adds up evidence as if every word
	 * were independent; dividing by a temperature that grows with the
	 * features used keeps long mails from looking certain. */
	double temp = 1.0 + (double)used / 8.0;
	double mx = b->score[0], sum = 0;
	for (int j = 1; j < b->k; j++)
		if (b->score[j] > mx)
			mx = b->score[j];
	for (int j = 0; j < b->k; j++)
		sum += b->prob[j] = exp((b->score[j] - mx) / temp);
	b->best = 0;
	b->second = -1;
	for (int j = 0; j < b->k; j++) {
		b->prob[j] /= sum;
		if (b->prob[j] > b->prob[b->best])
			b->best = j;
	}
	for (int j = 0; j < b->k; j++)
		if (j != b->best && (b->second < 0 || b->prob[j] > b->prob[b->second]))
			b->second = j;
}

struct reason {
	double weight;
	size_t feat;
};

/* Up to max features of known[] that favour class `win` over `lose` most,
 * weightiest first. */
static size_t
top_reasons(const struct nb *b, const struct tm_feat **known, size_t nknown,
            int win, int lose, struct reason *r, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; lose >= 0 && i < nknown; i++) {
		if ((b->sev ? known[i]->sev[win] : known[i]->cat[win]) == 0 ||
		    !uses(b, known[i]))
			continue;
		double w = weight(b, known[i], win) - weight(b, known[i], lose);
		if (w <= 0.05)
			continue;
		size_t at = n < max ? n++ : max;
		if (at == max && w <= r[max - 1].weight)
			continue;
		if (at == max)
			at = max - 1;
		while (at > 0 && r[at - 1].weight < w) {
			r[at] = r[at - 1];
			at--;
		}
		r[at].weight = w;
		r[at].feat = i;
	}
	return n;
}

/* Adds "PRE WORD POST → TO". */
static void
reason_add(struct triage_result *out, const char *pre, const char *word,
           const char *post, const char *to)
{
	if (out->nreasons == TRIAGE_REASONS)
		return;
	char *r = out->reasons[out->nreasons];
	char what[TRIAGE_REASON_LEN];
	snprintf(what, sizeof what, "%s%s%s", pre, word, post);
	size_t room = TRIAGE_REASON_LEN - strlen(to) - 6;
	size_t wl = strlen(what);
	if (wl > room) { /* cut on a character boundary */
		wl = room;
		while (wl > 0 && ((unsigned char)what[wl] & 0xC0) == 0x80)
			wl--;
	}
	snprintf(r, TRIAGE_REASON_LEN, "%.*s → %s", (int)wl, what, to);
	for (size_t i = 0; i < out->nreasons; i++)
		if (strcmp(out->reasons[i], r) == 0) {
			r[0] = '\0'; /* said already (a phrase of two classes) */
			return;
		}
	out->nreasons++;
}

/* Adds a feature as a reason: words in quotes, the subject's and the
 * policy's phrases marked. */
static void
reason_feat(struct triage_result *out, const char *name, const char *word,
            const char *to)
{
	const char *pre = name[0] == 's' ? "subject \""
	                : name[0] == 'k' ? "policy \""
	                : name[0] == 'w' || name[0] == 'b' ? "\"" : "";
	reason_add(out, pre, word, *pre ? "\"" : "", to);
}

void
triage_classify(const struct triage_model *m, const struct triage_input *in,
                double threshold, struct triage_result *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->model_version, sizeof out->model_version, "%s", m->version);
	struct tx_feats *f = malloc(sizeof *f);
	struct sb_stemmer *st = tx_stemmer_new();
	const struct tm_feat **known = f ? malloc(TX_MAX_FEATS * sizeof *known)
	                                 : NULL;
	size_t nknown = 0, *widx = known ? malloc(TX_MAX_FEATS * sizeof *widx)
	                                 : NULL;
	if (f && st && known && widx) {
		tx_features(st, &m->cues, in, f);
		for (size_t k = 0; k < f->n; k++) {
			const struct tm_feat *t = tm_find(m, f->name[k], f->hash[k]);
			if (t) {
				widx[nknown] = k;
				known[nknown++] = t;
			}
		}
	}
	struct nb cat = {.k = TRIAGE_NCATEGORIES, .docs = m->cat_docs};
	struct nb sev = {.k = TRIAGE_SEVERITIES, .docs = m->sev_docs,
	                 .sev = true};
	nb_run(&cat, known, nknown);
	nb_run(&sev, known, nknown);

	double ps[TRIAGE_SEVERITIES] = {0};
	for (int c = 0; c < TRIAGE_NCATEGORIES; c++)
		for (int s = 0; s < TRIAGE_SEVERITIES; s++)
			ps[s] += cat.prob[c] * (m->cat_severity[c] > 0 ?
			         (m->cat_severity[c] == s + 1) : sev.prob[s]);
	int best = 0, second = -1;
	for (int s = 1; s < TRIAGE_SEVERITIES; s++)
		if (ps[s] > ps[best])
			best = s;
	for (int s = 0; s < TRIAGE_SEVERITIES; s++)
		if (s != best && (second < 0 || ps[s] > ps[second]))
			second = s;
	out->category = cat.best;
	out->category_confidence = cat.prob[cat.best];
	out->model_severity = best + 1;
	out->severity = best + 1;
	out->severity_confidence = ps[best];
	if (ps[best] < threshold) {
		out->flagged = true;
		if (second < best)
			out->severity = second + 1;
	}

	/* Reasons: the policy's rule, then the words. */
	char to[32];
	int fixed = m->cat_severity[cat.best];
	if (fixed == best + 1) {
		snprintf(to, sizeof to, "S%d", fixed);
		reason_add(out, "", category_names[cat.best], " (policy)", to);
	}
	struct reason r[4];
	size_t nr = 0;
	if (fixed == 0 && known) {
		nr = top_reasons(&sev, known, nknown, best, second, r, 3);
		snprintf(to, sizeof to, "S%d", best + 1);
		for (size_t i = 0; i < nr; i++) {
			size_t k = widx[r[i].feat];
			reason_feat(out, f->name[k], f->word[k], to);
		}
	}
	if (known) {
		nr = top_reasons(&cat, known, nknown, cat.best, cat.second, r, 4);
		for (size_t i = 0; i < nr; i++) {
			size_t k = widx[r[i].feat];
			reason_feat(out, f->name[k], f->word[k],
			            category_names[cat.best]);
		}
	}
	if (out->nreasons == 0)
		reason_add(out, "", "no known words", "", "priors");
	free(widx);
	free(known);
	free(f);
	tx_stemmer_free(st);
}
