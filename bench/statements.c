/*
 * statements.c - bench/statements (issue 18): the time to render one
 * monthly statement as PDF (in process: statement_render(), the layout
 * module on cairo and pango), and the monthly run for N clients (the
 * soporte binary: `scheduler run-once` on the first business day of a
 * month, pinned to one core with taskset when it is there). Prints a
 * table (docs/performance.md). Goals: < 50 ms a statement, < 30 s for
 * the run of 500 clients on one core.
 *     build-rel/bench/bench_statements [N=500]
 */
#include "app/billing/statement.h"
#include "app/config/policy_file.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

/* Renders are timed in this process's CPU time (the machine may be
 * shared); the monthly run, another process, in wall time. */
static int cpu_clock = 1;

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(cpu_clock ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static json_t *
line(int i, int64_t used, int64_t billed, int64_t cents)
{
	char subject[96];
	snprintf(subject, sizeof subject, "Portal: incidencia %d en facturación", i);
	return json_pack("{s:i, s:s, s:s, s:I, s:I, s:I, s:I}", "ticket_number",
	                 1000 + i, "subject", subject, "user_email",
	                 "carla@prodequa.example", "used_s", (json_int_t)used,
	                 "logged_s", (json_int_t)used, "billed_s",
	                 (json_int_t)billed, "amount_cents", (json_int_t)cents);
}

/* A statement as statement_json() gives it: a basic plan, tickets lines,
 * three consultants, the month's weeks. */
static json_t *
statement(int tickets)
{
	json_t *t = json_array(), *c = json_array(), *w = json_array();
	int64_t used = 0;
	for (int i = 0; i < tickets; i++) {
		json_array_append_new(t, line(i, 5400, 1800, 6000));
		used += 5400;
	}
	for (int i = 0; i < 3; i++) {
		json_t *x = line(i, used / 3, used / 6, 120000);
		json_object_set_new(x, "user_name", json_string("Consultor"));
		json_array_append_new(c, x);
	}
	static const char *const weeks[][2] = {
		{"2026-11-01", "2026-11-01"}, {"2026-11-02", "2026-11-08"},
		{"2026-11-09", "2026-11-15"}, {"2026-11-16", "2026-11-22"},
		{"2026-11-23", "2026-11-29"}, {"2026-11-30", "2026-11-30"},
	};
	for (int i = 0; i < 6; i++)
		json_array_append_new(w, json_pack("{s:s, s:s, s:I, s:I}", "first_day",
		                                   weeks[i][0], "last_day", weeks[i][1],
		                                   "charged_s", (json_int_t)(used / 6),
		                                   "logged_s", (json_int_t)(used / 6)));
	json_t *k = json_pack(
	    "{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, "
	    "s:I, s:o, s:o, s:o}",
	    "contract_id", 1, "plan", "basic", "plan_name_es", "Básica",
	    "plan_name_en", "Basic", "period", "month", "first_day", "2026-11-01",
	    "last_day", "2026-11-30", "hourly_rate_cents", (json_int_t)12000,
	    "included_s", (json_int_t)72000, "used_s", (json_int_t)used,
	    "remaining_s", (json_int_t)0, "overage_s", (json_int_t)(used - 72000),
	    "billed_s", (json_int_t)(used - 72000), "amount_cents",
	    (json_int_t)360000, "tickets", t, "consultants", c, "events",
	    json_array());
	return json_pack(
	    "{s:s, s:s, s:s, s:[o], s:o, s:{}, s:{s:I, s:I, s:I, s:I, s:I, s:I}}",
	    "client_domain", "andinas.example.pe", "client_name",
	    "Inversiones Andinas S.A.C.", "month", "2026-11", "contracts", k,
	    "weeks", w, "not_charged", "totals", "included_s", (json_int_t)72000,
	    "logged_s", (json_int_t)used, "used_s", (json_int_t)used,
	    "amount_cents", (json_int_t)360000, "overage_amount_cents",
	    (json_int_t)360000, "events_amount_cents", (json_int_t)0);
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Renders s n times: the first (cold) and the median of the rest, ms. */
static int
render_times(const struct policy *pol, json_t *s, int n, double *cold,
             double *median, size_t *bytes, int *pages)
{
	double *t = calloc((size_t)n, sizeof *t);
	for (int i = 0; i < n; i++) {
		unsigned char *pdf;
		size_t len;
		double t0 = now_s();
		if (statement_render(pol, s, "es", &pdf, &len) != 0)
			return -1;
		t[i] = (now_s() - t0) * 1000;
		*bytes = len;
		*pages = 0;
		for (size_t j = 0; j + 10 < len; j++)
			*pages += memcmp(pdf + j, "/Type /Page", 11) == 0 &&
			          pdf[j + 11] != 's';
		free(pdf);
	}
	*cold = t[0];
	qsort(t + 1, (size_t)n - 1, sizeof *t, cmp_d);
	*median = t[n / 2];
	free(t);
	return 0;
}

static int
run(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "bench_statements: '%s' failed (%d)\n", cmd, rc);
	return rc;
}

/* The CPU seconds the finished children used so far. */
static double
children_cpu(void)
{
	struct rusage u;
	getrusage(RUSAGE_CHILDREN, &u);
	return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 +
	       (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec / 1e6;
}

/* The monthly run for n clients on a fresh SQLite desk: wall seconds,
 * and the run's CPU seconds in *cpu. */
static double
monthly_run(int n, int *sent, double *cpu)
{
	char dir[] = "/tmp/bench_statements_XXXXXX";
	if (mkdtemp(dir) == NULL)
		return -1;
	char path[256], cmd[2048];
	snprintf(path, sizeof path, "%s/c.csv", dir);
	FILE *f = fopen(path, "w");
	fprintf(f, "company,domain,contact_name,contact_email,billing\n");
	for (int i = 0; i < n; i++)
		fprintf(f, "Cliente %d S.A.C.,c%d.pe,Finanzas,finanzas@c%d.pe,yes\n", i,
		        i, i);
	fclose(f);
	snprintf(path, sizeof path, "%s/p.csv", dir);
	f = fopen(path, "w");
	fprintf(f, "client_domain,product_type,name,delivered_on,warranty_months\n");
	for (int i = 0; i < n; i++)
		fprintf(f, "c%d.pe,web_app,Portal %d,2025-01-10,2\n", i, i);
	fclose(f);
	snprintf(path, sizeof path, "%s/k.csv", dir);
	f = fopen(path, "w");
	fprintf(f, "client_domain,plan,valid_from,valid_to,products,hourly_rate\n");
	for (int i = 0; i < n; i++)
		fprintf(f, "c%d.pe,basic,2026-12-01,2027-11-30,Portal %d,120\n", i, i);
	fclose(f);
	char db[300];
	snprintf(db, sizeof db, "sqlite:%s/desk.db", dir);
	setenv("SOPORTE_DB", db, 1);
	setenv("SOPORTE_POLICY", SOPORTE_SRC "/policy/prodequa.ini", 1);
	snprintf(cmd, sizeof cmd,
	         "%s --quiet migrate 2>/dev/null && "
	         "%s --quiet import clients %s/c.csv >/dev/null 2>&1 && "
	         "%s --quiet import products %s/p.csv >/dev/null 2>&1 && "
	         "%s --quiet import contracts %s/k.csv >/dev/null 2>&1",
	         SOPORTE_BIN, SOPORTE_BIN, dir, SOPORTE_BIN, dir, SOPORTE_BIN, dir);
	if (run(cmd) != 0)
		return -1;
	const char *pin = access("/usr/bin/taskset", X_OK) == 0 ? "taskset -c 0 " : "";
	snprintf(cmd, sizeof cmd,
	         "SOPORTE_NOW=2027-01-04T13:05:00Z %s%s scheduler run-once "
	         "--holder bench > %s/out.json",
	         pin, SOPORTE_BIN, dir);
	double t0 = now_s(), c0 = children_cpu();
	if (run(cmd) != 0)
		return -1;
	double t = now_s() - t0;
	*cpu = children_cpu() - c0;
	snprintf(path, sizeof path, "%s/out.json", dir);
	json_t *o = json_load_file(path, 0, NULL);
	*sent = (int)json_integer_value(json_object_get(o, "statements"));
	json_decref(o);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	run(cmd);
	return t;
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 500;
	static struct policy pol;
	static struct policy_diag diag;
	if (policy_load(SOPORTE_SRC "/policy/prodequa.ini", &pol, &diag) !=
	    POLICY_LOAD_OK) {
		policy_diag_print(&diag, stderr);
		return 1;
	}
	setenv("SOPORTE_TEMPLATES", SOPORTE_SRC "/templates", 1);
	printf("| what | size | first (ms) | median (ms) | PDF bytes | pages |\n"
	       "|---|---:|---:|---:|---:|---:|\n");
	static const int sizes[] = {25, 200};
	for (size_t i = 0; i < 2; i++) {
		json_t *s = statement(sizes[i]);
		double cold, med;
		size_t bytes;
		int pages;
		if (render_times(&pol, s, 30, &cold, &med, &bytes, &pages) != 0)
			return 1;
		printf("| render one statement | %d tickets | %.1f | %.1f | %zu | %d |\n",
		       sizes[i], cold, med, bytes, pages);
		json_decref(s);
	}
	int sent = 0;
	double cpu = 0;
	cpu_clock = 0;
	double t = monthly_run(n, &sent, &cpu);
	if (t < 0)
		return 1;
	printf("\n| monthly run | clients | statements queued | wall s | CPU s | "
	       "CPU ms per client |\n|---|---:|---:|---:|---:|---:|\n"
	       "| scheduler run-once, one core | %d | %d | %.2f | %.2f | %.1f |\n",
	       n, sent, t, cpu, cpu * 1000 / (n ? n : 1));
	return sent == n ? 0 : 1;
}
