/*
 * triage_eval.h - k-fold cross-validation of the triage model (issue 17).
 *
 * The examples are split into k folds; each fold is classified by a model
 * trained on the other folds (and the seed: the policy's definitions are
 * always known), so no mail is scored by a model that saw it. Examples
 * with the same subject and body (a second delivery of one mail) go to
 * the same fold. Fold i holds every k-th distinct mail in the given order:
 * the same input gives the same numbers. Pure: no I/O, no clock.
 */
#ifndef SOPORTE_CORE_TRIAGE_EVAL_H
#define SOPORTE_CORE_TRIAGE_EVAL_H

#include "core/triage.h"

#include <stddef.h>

#define TRIAGE_EXCLUSIONS 3 /* TRIAGE_EXCLUDED_* in enum order */

struct triage_eval {
	size_t n;                 /* examples scored (known severity and
	                             category) */
	size_t folds;
	size_t sev_confusion[TRIAGE_SEVERITIES][TRIAGE_SEVERITIES];
	                          /* [label - 1][proposed - 1] */
	size_t cat_confusion[TRIAGE_NCATEGORIES][TRIAGE_NCATEGORIES];
	size_t sev_exact;         /* the proposal (raised when flagged) */
	size_t sev_model_exact;   /* the likeliest severity, before raising */
	size_t cat_exact;
	size_t too_low;           /* proposed severity number > the label */
	size_t flagged;
	size_t excl_tp[TRIAGE_EXCLUSIONS], excl_fp[TRIAGE_EXCLUSIONS],
	       excl_fn[TRIAGE_EXCLUSIONS];
};

/* Scores n examples by k-fold cross-validation (2 <= folds; more folds
 * than distinct mails means leave-one-out). each (may be NULL) gets every
 * example's result (n of them). Returns 0, or -1 when memory ran out. */
int triage_cross_validate(const struct triage_policy_seed *seed,
                          const struct triage_example *ex, size_t n,
                          size_t folds, double threshold,
                          struct triage_eval *out,
                          struct triage_result *each);

/* Precision and recall of exclusion i (0..2), in [0, 1]; 1 when there is
 * nothing to get wrong (no proposal, or no such label). */
double triage_eval_precision(const struct triage_eval *e, int i);
double triage_eval_recall(const struct triage_eval *e, int i);

#endif
