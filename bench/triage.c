/*
 * bench/triage.c - how fast is the triage model (issue 17)?
 *
 * Usage: bench_triage [TICKETS]   (default 10,000)
 *
 * Loads the shipped policy and the shared corpus's new tickets
 * (SOPORTE_SHARED/corpus), then times, on one thread:
 *   - classifying a 5 KB mail (corpus text joined to 5 KB), best of 5
 *     passes of 2,000 classifications, against the goal of 100 us;
 *   - training on TICKETS tickets (the corpus's labelled mails repeated,
 *     each with a word of its own so the vocabulary grows as a desk's
 *     does), best of 3, against the goal of 5 s;
 *   - the model's text: its size, and parsing it back.
 * Times are the thread's CPU time (a busy shared machine does not count
 * against the code), best of the passes.
 * Prints a Markdown table (docs/performance.md, docs/triage.md).
 */
#include "app/config/policy_file.h"
#include "app/intake/triage_corpus.h"
#include "core/triage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	size_t nticket = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	struct policy *pol = malloc(sizeof *pol);
	struct policy_diag *diag = malloc(sizeof *diag);
	static struct triage_policy_seed seed;
	struct triage_corpus c;
	char err[1024];
	if (nticket == 0 || pol == NULL || diag == NULL ||
	    policy_load(SOPORTE_SRC "/policy/prodequa.ini", pol, diag) !=
	        POLICY_LOAD_OK ||
	    triage_corpus_load(SOPORTE_SHARED "/corpus/labels.csv",
	                       SOPORTE_SHARED "/corpus", &c, err, sizeof err) != 0 ||
	    c.n == 0) {
		fprintf(stderr, "usage: bench_triage [TICKETS]; needs the policy "
		        "and the shared corpus\n");
		return 1;
	}
	triage_seed_from_policy(pol, &seed);
	double thr = pol->triage_confidence_percent / 100.0;

	/* Training on nticket tickets. */
	struct triage_example *ex = calloc(nticket, sizeof *ex);
	char (*extra)[64] = calloc(nticket, sizeof *extra);
	char **bodies = calloc(nticket, sizeof *bodies);
	if (ex == NULL || extra == NULL || bodies == NULL)
		return 1;
	for (size_t i = 0; i < nticket; i++) {
		ex[i] = c.ex[i % c.n];
		size_t bl = strlen(ex[i].in.body ? ex[i].in.body : "");
		bodies[i] = malloc(bl + 64);
		if (bodies[i] == NULL)
			return 1;
		snprintf(bodies[i], bl + 64, "%s\npedido%zu", ex[i].in.body ?
		         ex[i].in.body : "", i);
		ex[i].in.body = bodies[i];
	}
	double train = 1e9;
	struct triage_model *m = NULL;
	for (int pass = 0; pass < 3; pass++) {
		triage_model_free(m);
		double t0 = now_s();
		if (triage_train(&seed, ex, nticket, &m) != 0)
			return 1;
		double dt = now_s() - t0;
		if (dt < train)
			train = dt;
	}
	char *text;
	size_t len;
	if (triage_model_serialize(m, &text, &len) != 0)
		return 1;
	double parse = 1e9;
	for (int pass = 0; pass < 3; pass++) {
		struct triage_model *back;
		double t0 = now_s();
		if (triage_model_parse(text, len, &back) != 0)
			return 1;
		double dt = now_s() - t0;
		if (dt < parse)
			parse = dt;
		triage_model_free(back);
	}
	free(text);

	/* A 5 KB mail from the corpus's words. */
	char body[5 * 1024 + 1];
	size_t used = 0;
	for (size_t i = 0; used < sizeof body - 1; i = (i + 1) % c.n) {
		const char *b = c.ex[i].in.body ? c.ex[i].in.body : "";
		size_t bl = strlen(b);
		if (bl > sizeof body - 1 - used)
			bl = sizeof body - 1 - used;
		memcpy(body + used, b, bl);
		used += bl;
		if (used < sizeof body - 1)
			body[used++] = '\n';
	}
	body[used] = '\0';
	/* Cut on a character boundary. */
	while (used > 0 && ((unsigned char)body[used - 1] & 0xC0) == 0x80)
		body[--used] = '\0';
	struct triage_input in = {.subject = "Urgente: el sistema no carga",
	                          .body = body};
	const int reps = 2000;
	double classify = 1e9;
	struct triage_result r;
	for (int pass = 0; pass < 5; pass++) {
		double t0 = now_s();
		for (int i = 0; i < reps; i++)
			triage_classify(m, &in, thr, &r);
		double dt = (now_s() - t0) / reps;
		if (dt < classify)
			classify = dt;
	}

	printf("| triage (one thread, CPU time) | measured | goal |\n");
	printf("|---|---|---|\n");
	printf("| classify a %zu-byte mail | %.1f us | < 100 us |\n", used,
	       classify * 1e6);
	printf("| train on %zu tickets | %.2f s | < 5 s |\n", nticket, train);
	printf("| parse the model's text (%.0f KB) | %.1f ms | |\n",
	       len / 1024.0, parse * 1e3);
	triage_model_free(m);
	for (size_t i = 0; i < nticket; i++)
		free(bodies[i]);
	free(bodies);
	free(extra);
	free(ex);
	triage_corpus_free(&c);
	free(pol);
	free(diag);
	return 0;
}
