/*
 * metrics.h - request counters and latency for /metrics (Prometheus).
 *
 * Counts requests by route (the route's pattern, never the raw path, so
 * the label set stays small) and status, and a latency histogram per
 * route; lock-free (atomic counters), safe from every worker thread.
 * The desk's gauges (queues, SLA at risk / breached) are read from the
 * database when /metrics is scraped.
 */
#ifndef SOPORTE_HTTP_METRICS_H
#define SOPORTE_HTTP_METRICS_H

#include "app/ticket/ticket_query.h"
#include "util/buf.h"

#include <stddef.h>

/* Routes beyond the API table. */
enum {
	METRIC_HEALTHZ = -2,
	METRIC_METRICS = -3,
	METRIC_STATIC = -4,
	METRIC_UNMATCHED = -5,
};

/* Records one request: route index in the API table or a METRIC_*
 * value, status code, latency in seconds. */
void metrics_observe(int route, unsigned status, double seconds);
/* Writes the exposition text; g may be NULL (database unavailable). */
void metrics_render(struct buf *b, const struct desk_gauges *g);

#endif
