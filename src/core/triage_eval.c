/*
 * triage_eval.c - k-fold cross-validation of the triage model (see
 * triage_eval.h).
 */
#include "core/triage_eval.h"

#include <stdlib.h>
#include <string.h>

static int
same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* fold[i] for every example: the k-th distinct mail goes to fold k % folds;
 * a mail seen before goes with it. */
static void
assign_folds(const struct triage_example *ex, size_t n, size_t folds,
             size_t *fold)
{
	size_t distinct = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < i; j++)
			if (same_text(ex[i].in.subject, ex[j].in.subject) &&
			    same_text(ex[i].in.body, ex[j].in.body))
				break;
		fold[i] = j < i ? fold[j] : distinct++ % folds;
	}
}

static void
score(struct triage_eval *e, const struct triage_example *x,
      const struct triage_result *r)
{
	int ls = x->severity, lc = x->category;
	e->n++;
	e->sev_confusion[ls - 1][r->severity - 1]++;
	e->cat_confusion[lc][r->category]++;
	e->sev_exact += r->severity == ls;
	e->sev_model_exact += r->model_severity == ls;
	e->cat_exact += r->category == lc;
	e->too_low += r->severity > ls;
	e->flagged += r->flagged;
	for (int i = 0; i < TRIAGE_EXCLUSIONS; i++) {
		int c = TRIAGE_EXCLUDED_TRAINING + i;
		e->excl_tp[i] += r->category == c && lc == c;
		e->excl_fp[i] += r->category == c && lc != c;
		e->excl_fn[i] += r->category != c && lc == c;
	}
}

int
triage_cross_validate(const struct triage_policy_seed *seed,
                      const struct triage_example *ex, size_t n,
                      size_t folds, double threshold, struct triage_eval *out,
                      struct triage_result *each)
{
	memset(out, 0, sizeof *out);
	if (folds < 2)
		folds = 2;
	out->folds = folds;
	size_t *fold = malloc((n ? n : 1) * sizeof *fold);
	struct triage_example *train = malloc((n ? n : 1) * sizeof *train);
	int rc = fold && train ? 0 : -1;
	if (rc == 0)
		assign_folds(ex, n, folds, fold);
	for (size_t k = 0; rc == 0 && k < folds; k++) {
		size_t nt = 0;
		for (size_t i = 0; i < n; i++)
			if (fold[i] != k)
				train[nt++] = ex[i];
		if (nt == n)
			continue; /* an empty fold (fewer mails than folds) */
		struct triage_model *m;
		if (triage_train(seed, train, nt, &m) != 0) {
			rc = -1;
			break;
		}
		for (size_t i = 0; i < n; i++) {
			const struct triage_example *x = &ex[i];
			if (fold[i] == k && each)
				triage_classify(m, &x->in, threshold, &each[i]);
			if (fold[i] != k || x->severity < 1 ||
			    x->severity > TRIAGE_SEVERITIES || x->category < 0 ||
			    x->category >= TRIAGE_NCATEGORIES)
				continue;
			struct triage_result r;
			triage_classify(m, &x->in, threshold, &r);
			score(out, x, &r);
		}
		triage_model_free(m);
	}
	free(fold);
	free(train);
	return rc;
}

double
triage_eval_precision(const struct triage_eval *e, int i)
{
	size_t d = e->excl_tp[i] + e->excl_fp[i];
	return d ? (double)e->excl_tp[i] / (double)d : 1.0;
}

double
triage_eval_recall(const struct triage_eval *e, int i)
{
	size_t d = e->excl_tp[i] + e->excl_fn[i];
	return d ? (double)e->excl_tp[i] / (double)d : 1.0;
}
