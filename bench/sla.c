/*
 * bench/sla.c - how fast are response deadlines (R6)?
 *
 * Usage: bench_sla [CASES]   (default 4,000,000)
 *
 * Random tickets created 2017-2035 (any second), severity 1-4, 0-3
 * random pauses, on the policy's calendar (America/Lima, Mon-Fri
 * 08:00-12:00 and 14:00-18:00, Peru's feriados). One thread. Times
 * sla_due() over all cases (best of 3 passes), then the naive
 * minute-stepping walker (tests/support/naive_walker.h) on as many of the
 * same cases as fit in about 3 seconds, checks both agree, and prints a
 * Markdown table with both rates and their ratio, plus the index's cold
 * start and raw calendar_add/calendar_between rates.
 */
#include "support/lima.h"

#include "app/config/calendar_load.h"
#include "app/config/policy_file.h"
#include "core/sla.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct kase {
	int64_t created;
	int64_t target;
	size_t n;
	struct sla_pause p[3];
};

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static const int64_t targets[4] = {6 * 3600, 8 * 3600, 24 * 3600,
	                                   36 * 3600};
	size_t ncases = argc > 1 ? strtoul(argv[1], NULL, 10) : 4000000;
	struct fixture f;
	if (ncases == 0 || fixture_open(&f, "America/Lima", 2017, 2035) != 0) {
		fprintf(stderr, "usage: bench_sla [CASES]; needs tzdata\n");
		return 1;
	}

	/* Cold start: the 19-year index (2017-2035), best of 20 builds. */
	double cold = 1e9, first = 0;
	for (int i = 0; i < 20; i++) {
		struct calendar *c;
		double t0 = now_s();
		if (calendar_new(&f.spec, &c) != CAL_OK)
			return 1;
		double dt = now_s() - t0;
		if (i == 0)
			first = dt;
		cold = dt < cold ? dt : cold;
		calendar_free(c);
	}
	struct cal_spec s20 = f.spec;
	s20.first_year = 2016;
	struct calendar *c20;
	double t20 = now_s();
	if (calendar_new(&s20, &c20) != CAL_OK)
		return 1;
	t20 = now_s() - t20;
	calendar_free(c20);
	/* The whole shell path: tz file, holiday rules, index (31 years). */
	static struct policy pol;
	static struct policy_diag diag;
	char err[256];
	if (policy_load(SOPORTE_SRC "/policy/prodequa.ini", &pol, &diag) !=
	    POLICY_LOAD_OK) {
		policy_diag_print(&diag, stderr);
		return 1;
	}
	double tload = now_s();
	if (calendar_load(&pol, NULL, &c20, NULL, err, sizeof err) != CALLOAD_OK)
		return 1;
	tload = now_s() - tload;
	calendar_free(c20);

	struct kase *k = malloc(ncases * sizeof *k);
	int64_t *due = malloc(ncases * sizeof *due);
	if (k == NULL || due == NULL)
		return 1;
	uint64_t seed = 20261125;
	int64_t lo = days_from_civil(2017, 1, 1) * 86400;
	int64_t hi = days_from_civil(2035, 12, 1) * 86400;
	for (size_t i = 0; i < ncases; i++) {
		k[i].created = rnd_range(&seed, lo, hi);
		k[i].target = targets[rnd(&seed) % 4];
		k[i].n = (size_t)(rnd(&seed) % 4);
		for (size_t j = 0; j < k[i].n; j++) {
			int64_t st = k[i].created + rnd_range(&seed, -86400, 7 * 86400);
			k[i].p[j].start_s = st;
			k[i].p[j].end_s = st + rnd_range(&seed, 0, 2 * 86400);
		}
	}

	double best = 1e9;
	int64_t check = 0;
	for (int pass = 0; pass < 3; pass++) {
		double t0 = now_s();
		for (size_t i = 0; i < ncases; i++) {
			struct sla_clock c = {k[i].created, k[i].target, k[i].p, k[i].n};
			if (sla_due(f.cal, &c, &due[i]) != SLA_OK)
				return 1;
		}
		double dt = now_s() - t0;
		best = dt < best ? dt : best;
		check += due[ncases / 2];
	}

	/* Raw calendar operations on the same instants. */
	double t0 = now_s();
	for (size_t i = 0; i < ncases; i++) {
		int64_t out;
		calendar_add(f.cal, k[i].created, k[i].target, &out);
		check += out;
	}
	double add_s = now_s() - t0;
	t0 = now_s();
	for (size_t i = 0; i < ncases; i++) {
		int64_t out;
		calendar_between(f.cal, k[i].created, due[i], &out);
		check += out;
	}
	double between_s = now_s() - t0;

	size_t nnaive = 0, mismatch = 0;
	t0 = now_s();
	double naive_s = 0;
	while (nnaive < ncases && naive_s < 3.0) {
		int64_t d = naive_due(&f.naive, k[nnaive].created, k[nnaive].target,
		                      k[nnaive].p, k[nnaive].n);
		mismatch += d != due[nnaive];
		nnaive++;
		naive_s = now_s() - t0;
	}

	double rate = (double)ncases / best;
	double naive_rate = (double)nnaive / naive_s;
	printf("SLA engine, America/Lima 2017-2035, 1 thread "
	       "(random created, severity 1-4, 0-3 pauses)\n\n");
	printf("| engine | cases | seconds | due/s | ns/due |\n");
	printf("|---|---:|---:|---:|---:|\n");
	printf("| calendar index (sla_due) | %zu | %.3f | %.0f | %.1f |\n",
	       ncases, best, rate, best * 1e9 / (double)ncases);
	printf("| naive minute walker | %zu | %.3f | %.0f | %.0f |\n", nnaive,
	       naive_s, naive_rate, naive_s * 1e9 / (double)nnaive);
	printf("| **ratio index / naive** | | | **%.0fx** | |\n\n",
	       rate / naive_rate);
	printf("| operation | per second |\n|---|---:|\n");
	printf("| calendar_add | %.0f |\n", (double)ncases / add_s);
	printf("| calendar_between | %.0f |\n", (double)ncases / between_s);
	printf("| calendar_new, 2017-2035 (first / best of 20) | %.3f ms / "
	       "%.3f ms |\n", first * 1e3, cold * 1e3);
	printf("| calendar_new, 20 years 2016-2035 | %.3f ms |\n", t20 * 1e3);
	printf("| calendar_load, %d-%d (TZif + holidays + index) | %.3f ms |\n\n",
	       CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR, tload * 1e3);
	printf("naive vs index: %zu of %zu deadlines differ (checksum %lld)\n",
	       mismatch, nnaive, (long long)(check & 0xffff));
	free(k);
	free(due);
	fixture_close(&f);
	return mismatch ? 2 : 0;
}
