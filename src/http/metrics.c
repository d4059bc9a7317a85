/*
 * metrics.c - Prometheus text exposition (see metrics.h).
 *
 * SECURITY: no request text reaches a label: routes are the table's
 * patterns, statuses are numbers.
 */
#include "http/metrics.h"
#include "http/api.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define MAX_ROUTES 96
#define EXTRA 4
#define NSTATUS 20

static const unsigned statuses[NSTATUS] = {
	200, 201, 204, 304, 400, 401, 403, 404, 405, 409,
	410, 412, 413, 415, 428, 429, 500, 501, 503, 0, /* 0: any other */
};
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
#define NB (sizeof bounds / sizeof bounds[0])

static _Atomic uint64_t counts[MAX_ROUTES + EXTRA][NSTATUS];
static _Atomic uint64_t buckets[MAX_ROUTES + EXTRA][NB + 1];
static _Atomic uint64_t sum_us[MAX_ROUTES + EXTRA];

static int
slot(int route)
{
	if (route >= 0 && route < MAX_ROUTES)
		return route;
	if (route <= -2 && route >= -5)
		return MAX_ROUTES + (-route - 2);
	return MAX_ROUTES + EXTRA - 1;
}

void
metrics_observe(int route, unsigned status, double seconds)
{
	int s = slot(route);
	int k = NSTATUS - 1;
	for (int i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			k = i;
	atomic_fetch_add_explicit(&counts[s][k], 1, memory_order_relaxed);
	size_t b = 0;
	while (b < NB && seconds > bounds[b])
		b++;
	atomic_fetch_add_explicit(&buckets[s][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&sum_us[s], (uint64_t)(seconds * 1e6),
	                          memory_order_relaxed);
}

static void
label(int s, char *out, size_t n, const struct route *rt, size_t nroutes)
{
	static const char *const extra[EXTRA] = {"/healthz", "/metrics", "static",
	                                         "unmatched"};
	if (s < MAX_ROUTES && (size_t)s < nroutes)
		snprintf(out, n, "%s %s", http_method_name(rt[s].method),
		         rt[s].pattern);
	else if (s >= MAX_ROUTES)
		snprintf(out, n, "%s", extra[s - MAX_ROUTES]);
	else
		out[0] = '\0';
}

void
metrics_render(struct buf *b, const struct desk_gauges *g)
{
	size_t nroutes;
	const struct route *rt = api_routes(&nroutes);
	char name[160];
	buf_puts(b, "# HELP soporte_http_requests_total HTTP requests by route and "
	            "status.\n# TYPE soporte_http_requests_total counter\n");
	for (int s = 0; s < MAX_ROUTES + EXTRA; s++) {
		label(s, name, sizeof name, rt, nroutes);
		if (name[0] == '\0')
			continue;
		for (int k = 0; k < NSTATUS; k++) {
			uint64_t c = atomic_load_explicit(&counts[s][k], memory_order_relaxed);
			if (c == 0)
				continue;
			if (statuses[k])
				buf_printf(b,
				           "soporte_http_requests_total{route=\"%s\",status=\"%u\"} "
				           "%llu\n",
				           name, statuses[k], (unsigned long long)c);
			else
				buf_printf(b,
				           "soporte_http_requests_total{route=\"%s\",status=\"other\"} "
				           "%llu\n",
				           name, (unsigned long long)c);
		}
	}
	buf_puts(b, "# HELP soporte_http_request_duration_seconds Latency by route.\n"
	            "# TYPE soporte_http_request_duration_seconds histogram\n");
	for (int s = 0; s < MAX_ROUTES + EXTRA; s++) {
		label(s, name, sizeof name, rt, nroutes);
		uint64_t total = 0;
		for (size_t i = 0; i <= NB; i++)
			total += atomic_load_explicit(&buckets[s][i], memory_order_relaxed);
		if (name[0] == '\0' || total == 0)
			continue;
		uint64_t cum = 0;
		for (size_t i = 0; i < NB; i++) {
			cum += atomic_load_explicit(&buckets[s][i], memory_order_relaxed);
			buf_printf(b,
			           "soporte_http_request_duration_seconds_bucket{route=\"%s\","
			           "le=\"%g\"} %llu\n",
			           name, bounds[i], (unsigned long long)cum);
		}
		buf_printf(b,
		           "soporte_http_request_duration_seconds_bucket{route=\"%s\","
		           "le=\"+Inf\"} %llu\n",
		           name, (unsigned long long)total);
		buf_printf(b,
		           "soporte_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
		           name,
		           (double)atomic_load_explicit(&sum_us[s], memory_order_relaxed) /
		               1e6);
		buf_printf(b,
		           "soporte_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
		           name, (unsigned long long)total);
	}
	if (g == NULL) {
		buf_puts(b, "# TYPE soporte_database_up gauge\nsoporte_database_up 0\n");
		return;
	}
	buf_puts(b, "# TYPE soporte_database_up gauge\nsoporte_database_up 1\n");
	struct {
		const char *name, *help;
		long long v;
	} gs[] = {
		{"soporte_tickets_open", "Tickets not closed.", g->open_tickets},
		{"soporte_tickets_unassigned", "New tickets with no consultant.",
		 g->unassigned},
		{"soporte_sla_at_risk", "Unanswered tickets past the at-risk share of "
		                        "their response time.",
		 g->at_risk},
		{"soporte_sla_breached", "Unanswered tickets past their response "
		                         "deadline.",
		 g->breached},
		{"soporte_mail_queue", "Outbound mail waiting to be sent.",
		 g->mail_queued},
		{"soporte_mail_failed", "Outbound mail that failed for good.",
		 g->mail_failed},
		{"soporte_jobs_pending", "Timed jobs waiting.", g->jobs_pending},
		{"soporte_review_queue", "Incoming mail held for review.",
		 g->review_queue},
	};
	for (size_t i = 0; i < sizeof gs / sizeof gs[0]; i++)
		buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", gs[i].name,
		           gs[i].help, gs[i].name, gs[i].name, gs[i].v);
}
