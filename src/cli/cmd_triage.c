/*
 * cmd_triage.c - `soporte triage`: the triage model of new mail (issue 17).
 *
 *   soporte [--policy FILE] triage eval --labels FILE.csv --mail DIR
 *           [--folds K] [--threshold PERCENT] [--list]
 *
 * eval scores the model on labelled mail by k-fold cross-validation
 * (core/triage_eval.h: no mail is scored by a model trained on it; the
 * policy's definitions are always known): the confusion matrices of
 * severity and category, exact accuracy, the proposals "too low" (a
 * severity number higher than the label: a longer deadline than the
 * policy allows), each exclusion's precision and recall, and how many
 * were flagged under the policy's confidence threshold
 * ([triage] confidence_percent, or --threshold). --list prints each mail's
 * proposal and reasons too. Exit 0, 65 (EX_DATAERR) for a labels file or
 * mail that cannot be read, 64 for a bad command line.
 */
#include "cli/cli.h"

#include "app/intake/triage_corpus.h"
#include "core/policy.h"
#include "core/triage.h"
#include "core/triage_eval.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char eval_usage[] =
    "usage: soporte triage eval --labels FILE.csv --mail DIR [--folds K]\n"
    "                           [--threshold PERCENT] [--list]\n"
    "  Cross-validates the triage model on labelled mail (rows with\n"
    "  expected_kind new_ticket; columns file, severity, category, product).\n"
    "  --folds K        folds (default 10)\n"
    "  --threshold P    confidence under which the severity is raised and\n"
    "                   flagged (default: the policy's confidence_percent)\n"
    "  --list           each mail's proposal and reasons too\n";

static double
pct(size_t a, size_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0.0;
}

static void
print_eval(const struct triage_eval *e, double threshold)
{
	printf("triage eval: %zu new tickets, %zu-fold cross-validation, "
	       "threshold %.0f%%\n\n", e->n, e->folds, threshold * 100);
	printf("Severity (rows: label, columns: proposed)\n      ");
	for (int s = 0; s < TRIAGE_SEVERITIES; s++)
		printf("%6s%d", "S", s + 1);
	printf("\n");
	for (int l = 0; l < TRIAGE_SEVERITIES; l++) {
		printf("  S%d  ", l + 1);
		for (int s = 0; s < TRIAGE_SEVERITIES; s++)
			printf("%7zu", e->sev_confusion[l][s]);
		printf("\n");
	}
	printf("\nCategory (rows: label, columns: proposed, in this order)\n");
	for (int l = 0; l < TRIAGE_NCATEGORIES; l++) {
		printf("  %-21s", triage_category_name((enum triage_category)l));
		for (int c = 0; c < TRIAGE_NCATEGORIES; c++)
			printf("%4zu", e->cat_confusion[l][c]);
		printf("\n");
	}
	printf("\n");
	printf("severity exact:  %zu/%zu (%.1f%%); before raising %zu/%zu "
	       "(%.1f%%)\n", e->sev_exact, e->n, pct(e->sev_exact, e->n),
	       e->sev_model_exact, e->n, pct(e->sev_model_exact, e->n));
	printf("too low:         %zu/%zu (%.1f%%)\n", e->too_low, e->n,
	       pct(e->too_low, e->n));
	printf("category exact:  %zu/%zu (%.1f%%)\n", e->cat_exact, e->n,
	       pct(e->cat_exact, e->n));
	for (int i = 0; i < TRIAGE_EXCLUSIONS; i++) {
		const char *name = triage_category_name(
		    (enum triage_category)(TRIAGE_EXCLUDED_TRAINING + i));
		printf("%-22s precision %.1f%% (%zu/%zu), recall %.1f%% (%zu/%zu)\n",
		       name, 100 * triage_eval_precision(e, i), e->excl_tp[i],
		       e->excl_tp[i] + e->excl_fp[i], 100 * triage_eval_recall(e, i),
		       e->excl_tp[i], e->excl_tp[i] + e->excl_fn[i]);
	}
	printf("flagged:         %zu/%zu (%.1f%%)\n", e->flagged, e->n,
	       pct(e->flagged, e->n));
}

static void
print_list(const struct triage_corpus *c, const struct triage_result *r)
{
	printf("\nfile, label, proposed (confidence), reasons\n");
	for (size_t i = 0; i < c->n; i++) {
		const struct triage_example *x = &c->ex[i];
		printf("%s  S%d %s  ->  S%d%s (%.2f) %s (%.2f)%s\n", c->file[i],
		       x->severity,
		       x->category >= 0 ?
		           triage_category_name((enum triage_category)x->category) :
		           "?",
		       r[i].severity, r[i].flagged ? "!" : "",
		       r[i].severity_confidence,
		       triage_category_name((enum triage_category)r[i].category),
		       r[i].category_confidence,
		       (r[i].severity != x->severity || r[i].category != x->category)
		           ? "  MISS" : "");
		for (size_t k = 0; k < r[i].nreasons; k++)
			printf("      %s\n", r[i].reasons[k]);
	}
}

static int
triage_eval_cmd(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, eval_usage))
		return 0;
	const char *labels = NULL, *dir = NULL, *v;
	long folds = 10, threshold = -1;
	int list = 0;
	for (int i = 1; i < argc; i++) {
		char *end;
		if ((v = cli_arg(argc, argv, &i, "--labels")))
			labels = v;
		else if ((v = cli_arg(argc, argv, &i, "--mail")))
			dir = v;
		else if ((v = cli_arg(argc, argv, &i, "--folds"))) {
			folds = strtol(v, &end, 10);
			if (*end || folds < 2 || folds > 100000) {
				log_error("triage eval: --folds wants a number from 2 up");
				return EX_USAGE;
			}
		} else if ((v = cli_arg(argc, argv, &i, "--threshold"))) {
			threshold = strtol(v, &end, 10);
			if (*end || threshold < 0 || threshold > 100) {
				log_error("triage eval: --threshold wants a percent, 0-100");
				return EX_USAGE;
			}
		} else if (strcmp(argv[i], "--list") == 0)
			list = 1;
		else {
			log_error("triage eval: unknown argument '%s'", argv[i]);
			fputs(eval_usage, stderr);
			return EX_USAGE;
		}
	}
	if (labels == NULL || dir == NULL) {
		fputs(eval_usage, stderr);
		return EX_USAGE;
	}
	struct policy *pol = malloc(sizeof *pol);
	struct triage_policy_seed *seed = malloc(sizeof *seed);
	if (pol == NULL || seed == NULL) {
		free(pol);
		free(seed);
		log_error("triage eval: out of memory");
		return EX_OSERR;
	}
	int rc = cli_load_policy(cli, pol);
	if (rc != 0) {
		free(pol);
		free(seed);
		return rc;
	}
	triage_seed_from_policy(pol, seed);
	double thr = (threshold >= 0 ? threshold : pol->triage_confidence_percent)
	             / 100.0;
	free(pol);
	struct triage_corpus c;
	char err[1024];
	if (triage_corpus_load(labels, dir, &c, err, sizeof err) != 0) {
		log_error("triage eval: %s", err);
		free(seed);
		return EX_DATAERR;
	}
	struct triage_eval e;
	struct triage_result *each = calloc(c.n ? c.n : 1, sizeof *each);
	rc = each ? triage_cross_validate(seed, c.ex, c.n, (size_t)folds, thr,
	                                  &e, each) : -1;
	if (rc == 0) {
		print_eval(&e, thr);
		if (list)
			print_list(&c, each);
	} else
		log_error("triage eval: out of memory");
	free(each);
	free(seed);
	triage_corpus_free(&c);
	return rc == 0 ? 0 : EX_OSERR;
}

int
cmd_triage(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{"eval", "cross-validate the model on labelled mail", triage_eval_cmd},
		{"train", "learn a model from the consultants' confirmations",
		 cmd_triage_train},
		{"models", "the models the desk trained, the active one",
		 cmd_triage_models},
		{NULL, NULL, NULL},
	};
	return cli_dispatch(cli, "triage", cmds, argc, argv);
}
