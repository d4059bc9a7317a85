/*
 * server.c - the HTTP server: /healthz, /metrics, the JSON API (api.h),
 * static files from web/, the security headers every response carries,
 * the access log; binding and dropping root are listen.c.
 *
 * SECURITY: everything in a request is untrusted. Paths are resolved only
 * inside web_dir (no "..", no hidden files, no symlink escapes: realpath
 * must stay under the folder); headers are capped by libmicrohttpd's
 * connection memory limit (32 KiB: 431 beyond), bodies by API_BODY_MAX
 * (413, refused from Content-Length before reading when it is given).
 * The access log holds method, path, status, timing, user id and the
 * client's address: never query strings, bodies, cookies or tokens.
 * Framing, connections per address and the client behind a trusted
 * proxy: edge.h.
 */
#include "http/server.h"
#include "app/config/calendar_live.h"
#include "app/config/settings.h"
#include "http/edge.h"
#include "http/events.h"
#include "http/listen.h"
#include "http/api.h"
#include "http/metrics.h"
#include "http/static_path.h"
#include "http/svc_notify.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/timefmt.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

struct server {
	const struct server_config *cfg;
	char web_root[PATH_MAX];
};

/* One desk (its own database connection) per worker thread, opened on
 * first use. */
static _Thread_local struct desk *thread_desk;
static pthread_mutex_t desks_lock = PTHREAD_MUTEX_INITIALIZER;
static struct desk *all_desks[256];
static int ndesks;

static struct desk *
server_desk(const struct server *srv)
{
	if (thread_desk)
		return thread_desk;
	char err[256];
	struct desk *d = calloc(1, sizeof *d);
	if (d == NULL) {
		log_warn("serve: out of memory");
		return NULL;
	}
	if (desk_connect(d, srv->cfg->db_url, err, sizeof err) != STORE_OK) {
		log_warn("serve: %s", err);
		free(d);
		return NULL;
	}
	thread_desk = d;
	pthread_mutex_lock(&desks_lock);
	if (ndesks < (int)(sizeof all_desks / sizeof all_desks[0]))
		all_desks[ndesks++] = thread_desk;
	pthread_mutex_unlock(&desks_lock);
	return thread_desk;
}

/* What one request carries between libmicrohttpd's calls. */
struct req_state {
	struct server *srv;
	struct buf body;
	size_t limit;          /* the most body bytes read (api_body_limit) */
	int too_big;
	struct timespec t0;
	unsigned status;
	int route;             /* index in the API table, or METRIC_* */
	int64_t user_id;
	size_t bytes_out;
	char method[8];
	char path[200];
	char addr[NETADDR_TEXT_MAX];   /* the client (edge_client) */
	int loopback;                  /* and not relayed by an unknown proxy */
	int close;                     /* answer with Connection: close */
};

/* on_uri()'s mark on a request whose target holds %00 (never freed). */
static char nul_in_uri;

static void
add_security_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Content-Security-Policy",
	                        "default-src 'self'; img-src 'self' data:; "
	                        "style-src 'self'; script-src 'self'; "
	                        "object-src 'none'; base-uri 'none'; "
	                        "frame-ancestors 'none'");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

/* Queues r with the security headers, and notes the status and size for
 * the access log and the metrics. */
static enum MHD_Result
queue(struct MHD_Connection *c, struct req_state *st, unsigned status,
      struct MHD_Response *r, size_t bytes)
{
	add_security_headers(r);
	if (st) {
		st->status = status;
		st->bytes_out = bytes;
		if (st->close)
			MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
	}
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
reply_text(struct MHD_Connection *c, struct req_state *st, unsigned status,
           const char *type, const char *body)
{
	size_t n = strlen(body);
	struct MHD_Response *r = MHD_create_response_from_buffer(
	    n, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	return queue(c, st, status, r, n);
}

static enum MHD_Result
reply_error(struct MHD_Connection *c, struct req_state *st, unsigned status,
            const char *code, const char *message)
{
	char body[512];
	snprintf(body, sizeof body,
	         "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}\n", code,
	         message);
	return reply_text(c, st, status, "application/json", body);
}

static enum MHD_Result
reply_too_large(struct MHD_Connection *c, struct req_state *st)
{
	char body[192];
	if (st->limit == API_BODY_MAX)
		return reply_error(c, st, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
		                   "the body is over 1 MiB");
	/* An upload: the field names the file, so the console says so. */
	snprintf(body, sizeof body,
	         "{\"error\":{\"code\":\"too_large\",\"field\":\"file\","
	         "\"message\":\"the file is over the attachment limit (%zu "
	         "bytes)\"}}\n",
	         st->limit);
	return reply_text(c, st, MHD_HTTP_CONTENT_TOO_LARGE, "application/json",
	                  body);
}

/* GET /healthz: 200 when the database answers with a current schema,
 * 503 otherwise. */
static enum MHD_Result
serve_health(struct server *srv, struct MHD_Connection *c, struct req_state *st)
{
	struct desk *desk = server_desk(srv);
	int schema = desk ? desk_schema_version(desk) : -1;
	if (schema < 0)
		return reply_text(c, st, MHD_HTTP_SERVICE_UNAVAILABLE, "application/json",
		                  "{\"status\":\"unavailable\",\"database\":false}\n");
	char body[128];
	snprintf(body, sizeof body,
	         "{\"status\":\"ok\",\"database\":true,\"schema\":%d}\n",
	         schema);
	return reply_text(c, st, MHD_HTTP_OK, "application/json", body);
}

static enum MHD_Result
serve_static(struct server *srv, struct MHD_Connection *c,
             struct req_state *st, const char *url)
{
	char rel[PATH_MAX], path[PATH_MAX], real[PATH_MAX];
	/* The UI is one page: unknown non-file paths get index.html. */
	if (strcmp(url, "/") == 0 || strchr(strrchr(url, '/'), '.') == NULL)
		url = "/index.html";
	if (!static_safe_path(url) || strlen(url) >= sizeof rel)
		return reply_error(c, st, MHD_HTTP_NOT_FOUND, "not_found",
		                   "no such page");
	snprintf(rel, sizeof rel, "%s", url);
	if ((size_t)snprintf(path, sizeof path, "%s%s", srv->web_root, rel) >=
	    sizeof path)
		return reply_error(c, st, MHD_HTTP_NOT_FOUND, "not_found",
		                   "no such page");
	size_t rootlen = strlen(srv->web_root);
	if (realpath(path, real) == NULL || strncmp(real, srv->web_root, rootlen) ||
	    real[rootlen] != '/')
		return reply_error(c, st, MHD_HTTP_NOT_FOUND, "not_found",
		                   "no such page");
	int fd = open(real, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		if (fd >= 0)
			close(fd);
		return reply_error(c, st, MHD_HTTP_NOT_FOUND, "not_found",
		                   "no such page");
	}
	/* no-cache with a validator: the browser asks every time (a new
	 * release shows at once) but gets 304 for what it has, and keeps
	 * its compiled scripts. The ETag is the file's size and mtime. */
	char etag[64];
	snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)sb.st_size,
	         (unsigned long long)sb.st_mtim.tv_sec * 1000000000ull +
	             (unsigned long long)sb.st_mtim.tv_nsec);
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                              "If-None-Match");
	struct MHD_Response *r;
	unsigned status = MHD_HTTP_OK;
	size_t n = (size_t)sb.st_size;
	if (inm && strcmp(inm, etag) == 0) {
		close(fd);
		r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_MODIFIED;
		n = 0;
	} else {
		r = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
		if (r == NULL)
			close(fd);
	}
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", static_content_type(real));
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	MHD_add_response_header(r, "ETag", etag);
	return queue(c, st, status, r, n);
}

static enum MHD_Result
collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
            const char *value)
{
	(void)kind;
	struct api_req *q = cls;
	if (q->nquery >= API_QUERY_MAX) {
		q->query_overflow = 1;
		return MHD_NO;
	}
	q->query[q->nquery].key = key;
	q->query[q->nquery].value = value;
	q->nquery++;
	return MHD_YES;
}

static void
free_raw(void *p)
{
	free(p);
}

/* GET /api/events admitted by h_events(): the stream (events.h). */
static enum MHD_Result
send_stream(struct MHD_Connection *c, struct req_state *st,
            const struct api_req *q, const struct api_resp *ar)
{
	int full;
	struct MHD_Response *r = events_response(c, q, ar, &full);
	if (r == NULL && full)
		return reply_error(c, st, MHD_HTTP_TOO_MANY_REQUESTS, "too_many_streams",
		                   "too many live event streams are open; close one");
	return r ? queue(c, st, MHD_HTTP_OK, r, 0) : MHD_NO;
}

static enum MHD_Result
send_api(struct MHD_Connection *c, struct req_state *st, struct api_resp *ar)
{
	struct MHD_Response *r;
	size_t n = 0;
	if (ar->status == 204 || (ar->json == NULL && ar->raw == NULL)) {
		r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else if (ar->raw) {
		n = ar->raw_len;
		r = MHD_create_response_from_buffer_with_free_callback(n, ar->raw,
		                                                       free_raw);
		if (r)
			ar->raw = NULL;   /* the response owns it now */
	} else {
		char *text = json_dumps(ar->json, JSON_COMPACT);
		if (text == NULL)
			return MHD_NO;
		n = strlen(text);
		text[n] = '\0';
		r = MHD_create_response_from_buffer_with_free_callback(n, text, free_raw);
		if (r == NULL)
			free(text);
		snprintf(ar->content_type, sizeof ar->content_type,
		         "application/json; charset=utf-8");
	}
	if (r == NULL)
		return MHD_NO;
	if (ar->content_type[0])
		MHD_add_response_header(r, "Content-Type", ar->content_type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	if (ar->download) {
		MHD_add_response_header(r, "Content-Disposition", ar->disposition);
		MHD_add_response_header(r, "Content-Security-Policy",
		                        "default-src 'none'; sandbox");
	}
	if (ar->framed_html)
		/* Untrusted mail HTML: no script, style, form, font or
		 * remote load; images only as data: URLs; framed only by
		 * our own pages, sandboxed even when opened alone. */
		MHD_add_response_header(r, "Content-Security-Policy",
		                        "default-src 'none'; img-src data:; "
		                        "form-action 'none'; base-uri 'none'; "
		                        "frame-ancestors 'self'; sandbox");
	if (ar->etag[0])
		MHD_add_response_header(r, "ETag", ar->etag);
	if (ar->location[0])
		MHD_add_response_header(r, "Location", ar->location);
	if (ar->allow[0])
		MHD_add_response_header(r, "Allow", ar->allow);
	if (ar->retry_after_s > 0) {
		char ra[24];
		snprintf(ra, sizeof ra, "%lld", (long long)ar->retry_after_s);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	if (ar->status == 401)
		MHD_add_response_header(r, "WWW-Authenticate",
		                        "Bearer realm=\"soporte\"");
	for (int i = 0; i < ar->ncookies; i++)
		MHD_add_response_header(r, "Set-Cookie", ar->cookies[i]);
	if (ar->download || ar->framed_html) {
		/* Downloads and mail HTML keep their own CSP (sandboxed); add
		 * the rest. */
		MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
		MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
		MHD_add_response_header(r, "X-Frame-Options",
		                        ar->framed_html ? "SAMEORIGIN" : "DENY");
		st->status = ar->status;
		st->bytes_out = n;
		enum MHD_Result ret = MHD_queue_response(c, ar->status, r);
		MHD_destroy_response(r);
		return ret;
	}
	return queue(c, st, ar->status, r, n);
}

static enum MHD_Result
serve_api(struct server *srv, struct MHD_Connection *c, struct req_state *st,
          const char *url, const char *method)
{
	struct api_req q = {0};
	struct api_resp ar = {0};
	q.method = http_method_parse(method);
	q.path = url;
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect_arg, &q);
	q.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                             "Content-Type");
	q.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                              "Authorization");
	q.if_match = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Match");
	q.csrf_header = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                            "X-CSRF-Token");
	q.last_event_id = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                              "Last-Event-ID");
	q.session_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
	                                               "soporte_session");
	q.device_cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND,
	                                              "soporte_device");
	q.raw_body = st->body.data;
	q.raw_len = st->body.len;
	q.now = (int64_t)time(NULL);
	/* The calendar in force now, held until the answer is built: a
	 * holiday import swaps in a new one without pulling this one. */
	struct api_env env = *srv->cfg->env;
	struct calendar_ref *cal_ref = NULL;
	if (env.live) {
		cal_ref = calendar_live_get(env.live);
		env.cal = cal_ref->cal;
	}
	q.env = &env;
	snprintf(q.addr, sizeof q.addr, "%s", st->addr);
	q.desk = server_desk(srv);
	if (q.desk == NULL) {
		calendar_live_put(env.live, cal_ref);
		st->route = METRIC_UNMATCHED;
		return reply_error(c, st, MHD_HTTP_SERVICE_UNAVAILABLE, "busy",
		                   "the database is unreachable; retry shortly");
	}
	/* A GET's reads (the token, the ticket, its pauses, ...) in one read
	 * transaction: SQLite takes its locks once, not per statement. */
	int reads = q.method == HM_GET || q.method == HM_HEAD;
	if (reads)
		desk_read_begin(q.desk);
	api_handle(&q, &ar);
	if (reads)
		desk_read_end(q.desk);
	calendar_live_put(env.live, cal_ref);
	size_t nroutes;
	const struct route *routes = api_routes(&nroutes);
	st->route = q.route ? (int)(q.route - routes) : METRIC_UNMATCHED;
	st->user_id = q.who.user_id;
	enum MHD_Result ret = ar.event_stream && ar.status == 200
	                          ? send_stream(c, st, &q, &ar)
	                          : send_api(c, st, &ar);
	json_decref(q.body);
	api_resp_free(&ar);
	return ret;
}

/* GET /metrics: for loopback clients, or a token with the metrics
 * scope. */
static enum MHD_Result
serve_metrics(struct server *srv, struct MHD_Connection *c,
              struct req_state *st)
{
	struct desk *desk = server_desk(srv);
	if (!st->loopback) {
		struct api_req q = {0};
		struct api_resp ar = {0};
		q.desk = desk;
		q.now = (int64_t)time(NULL);
		q.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		                                              "Authorization");
		int ok = desk && api_authenticate(&q, &ar) &&
		         authz_decide(&q.who, AZ_METRICS, NULL) == AUTHZ_ALLOW;
		api_resp_free(&ar);
		if (!ok)
			return reply_error(c, st, MHD_HTTP_FORBIDDEN, "forbidden",
			                   "metrics are for loopback or a token with "
			                   "the metrics scope");
	}
	struct desk_gauges g;
	int have = desk && desk_gauges_get(desk->db, (int64_t)time(NULL),
	                                   srv->cfg->at_risk_percent > 0
	                                       ? srv->cfg->at_risk_percent
	                                       : 75,
	                                   &g) == STORE_OK;
	struct buf b = BUF_INIT(4 * 1024 * 1024);
	metrics_render(&b, have ? &g : NULL);
	enum MHD_Result ret = reply_text(c, st, MHD_HTTP_OK,
	                                 "text/plain; version=0.0.4; charset=utf-8",
	                                 buf_str(&b));
	buf_free(&b);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
           const char *method, const char *version, const char *upload,
           size_t *upload_size, void **state)
{
	(void)version;
	struct server *srv = cls;
	struct req_state *st = *state;
	int is_api = strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0;
	if (st == NULL || st == (void *)&nul_in_uri) {
		/* First call: headers only. */
		int nul = st != NULL;
		edge_headers_in(c);
		st = calloc(1, sizeof *st);
		if (st == NULL)
			return MHD_NO;
		st->srv = srv;
		st->limit = is_api ? api_body_limit(srv->cfg->env,
		                                    http_method_parse(method), url)
		                   : API_BODY_MAX;
		st->body = (struct buf)BUF_INIT(st->limit);
		st->route = METRIC_UNMATCHED;
		clock_gettime(CLOCK_MONOTONIC, &st->t0);
		snprintf(st->method, sizeof st->method, "%s", method);
		snprintf(st->path, sizeof st->path, "%s", url);
		*state = st;
		struct net_addr peer, client;
		int relayed = edge_client(c, &peer, &client);
		net_addr_format(&client, st->addr);
		st->loopback = net_addr_is_loopback(&client) && !relayed;
		/* Ambiguous framing or target: 400, and nothing more is read
		 * from this connection. */
		const char *bad = nul ? "the path or query holds %00"
		                      : edge_framing_error(c);
		st->close = bad != NULL;
		if (bad)
			return reply_error(c, st, MHD_HTTP_BAD_REQUEST, "bad_request", bad);
		const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		                                              "Content-Length");
		/* Far too big: refuse before reading a byte (the connection
		 * closes). Somewhat too big: read and discard it, so the client
		 * gets its 413 instead of a reset connection. */
		if (len && strtoull(len, NULL, 10) > (unsigned long long)st->limit * 16)
			return reply_too_large(c, st);
		return MHD_YES;
	}
	if (*upload_size != 0) {
		/* Only the API reads bodies; others are discarded. */
		if (!st->too_big && is_api &&
		    buf_append(&st->body, upload, *upload_size) != BUF_OK)
			st->too_big = 1;
		*upload_size = 0;
		return MHD_YES;
	}
	if (st->too_big && is_api)
		return reply_too_large(c, st);
	int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	if (strcmp(url, "/healthz") == 0) {
		st->route = METRIC_HEALTHZ;
		if (!is_get)
			return reply_error(c, st, MHD_HTTP_METHOD_NOT_ALLOWED,
			                   "method_not_allowed", "use GET");
		return serve_health(srv, c, st);
	}
	if (strcmp(url, "/metrics") == 0) {
		st->route = METRIC_METRICS;
		if (!is_get)
			return reply_error(c, st, MHD_HTTP_METHOD_NOT_ALLOWED,
			                   "method_not_allowed", "use GET");
		return serve_metrics(srv, c, st);
	}
	if (is_api)
		return serve_api(srv, c, st, url, method);
	st->route = METRIC_STATIC;
	if (!is_get)
		return reply_error(c, st, MHD_HTTP_METHOD_NOT_ALLOWED,
		                   "method_not_allowed", "use GET");
	return serve_static(srv, c, st, url);
}

/* After the response went out (or the connection broke): metrics, the
 * access log line, and the request's memory. */
static void
on_completed(void *cls, struct MHD_Connection *c, void **state,
             enum MHD_RequestTerminationCode toe)
{
	struct server *srv = cls;
	struct req_state *st = *state;
	edge_answered(c);
	if (st == NULL || st == (void *)&nul_in_uri)
		return;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - st->t0.tv_sec) +
	              (double)(t1.tv_nsec - st->t0.tv_nsec) / 1e9;
	unsigned status = st->status ? st->status : 499;
	metrics_observe(st->route, status, secs);
	if (srv->cfg->access_log) {
		char iso[ISO_UTC_LEN];
		iso_utc_format((int64_t)time(NULL), iso);
		json_t *line = json_pack(
		    "{s:s,s:s,s:s,s:i,s:f,s:I,s:I,s:s,s:b}", "ts", iso, "method",
		    st->method, "path", st->path, "status", (int)status, "ms",
		    secs * 1000.0, "bytes", (json_int_t)st->bytes_out, "user",
		    (json_int_t)st->user_id, "addr", st->addr, "completed",
		    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
		/* The path is untrusted: jansson escapes it; invalid UTF-8
		 * makes json_pack fail, and then the line says so instead. */
		char *text = line ? json_dumps(line, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(6))
		                  : NULL;
		if (text)
			fprintf(stderr, "%s\n", text);
		else
			fprintf(stderr, "{\"ts\":\"%s\",\"status\":%u,\"path\":null}\n", iso,
			        status);
		free(text);
		json_decref(line);
	}
	buf_free(&st->body);
	free(st);
	*state = NULL;
}

/* Called with the raw request target before it is decoded: the decoded
 * path ends at a NUL, so %00 is caught here and refused by on_request. */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	return edge_uri_has_nul(uri) ? (void *)&nul_in_uri : NULL;
}

static volatile sig_atomic_t stop_requested, hup_requested;
static int reload_accepted;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		hup_requested = 1;
	else
		stop_requested = 1;
}

int
server_reload_requested(void)
{
	return reload_accepted;
}

int
server_run(const struct server_config *cfg)
{
	struct server srv = {.cfg = cfg};
	struct sockaddr_in sa;
	if (listen_parse(cfg->listen, &sa) != 0) {
		log_error("serve: --listen '%s' is not ADDR:PORT (e.g. 127.0.0.1:8080)",
		          cfg->listen);
		return EX_USAGE;
	}
	if (realpath(cfg->web_dir, srv.web_root) == NULL) {
		log_error("serve: web folder %s: %s", cfg->web_dir, strerror(errno));
		return EX_CONFIG;
	}
	if (geteuid() == 0 && cfg->run_as == NULL)
		log_warn("serve: running as root; name an unprivileged user with "
		         "--user NAME to drop root after binding");

	struct sigaction act = {0};
	act.sa_handler = on_signal;
	sigemptyset(&act.sa_mask);
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	sigaction(SIGHUP, &act, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Bound here, then root dropped, then served: no request is ever
	 * handled while the process is still root. */
	int fd = listen_open(&sa);
	if (fd < 0) {
		log_error("serve: cannot listen on %s: %s", cfg->listen,
		          strerror(errno));
		return EX_UNAVAILABLE;
	}
	if (geteuid() == 0 && cfg->run_as && listen_drop_root(cfg->run_as) != 0) {
		close(fd);
		return EX_NOPERM;
	}
	edge_init(settings_current());
	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
	        MHD_ALLOW_SUSPEND_RESUME,   /* the live event streams */
	    0, edge_accept, NULL, on_request, &srv,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 0 ? cfg->threads : 4),
	    /* Headers fit in it (431 beyond). libmicrohttpd zeroes the
	     * whole of it after every request: 64 KiB took ~5% of the CPU
	     * of a GET of one ticket. */
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024,
	    /* Idle connections (and headers that stop coming) close after
	     * this; with EDGE_PER_ADDRESS one address holds a few slots;
	     * headers that come slowly, edge_reap() (below). */
	    MHD_OPTION_CONNECTION_TIMEOUT, 15u,
	    MHD_OPTION_CONNECTION_LIMIT, EDGE_MAX_CONNECTIONS,
	    MHD_OPTION_NOTIFY_CONNECTION, edge_notify, NULL,
	    /* HTTP/1.1 without Host, spaces in the target: 400. */
	    MHD_OPTION_STRICT_FOR_CLIENT, 1,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
	    MHD_OPTION_END);
	if (d == NULL) {
		log_error("serve: cannot serve on %s", cfg->listen);
		close(fd);
		return EX_UNAVAILABLE;
	}
	if (events_start(cfg->db_url) != 0) {   /* the live events' hub */
		MHD_stop_daemon(d);
		return EX_OSERR;
	}
	log_info("serve: listening on http://%s (database %s)", cfg->listen,
	         cfg->db_url);
	svc_notify_ready(cfg->listen);
	while (!stop_requested) {
		sleep(1);   /* a signal ends it early */
		svc_notify_alive();
		if (hup_requested) {
			hup_requested = 0;
			if (cfg->reload_check &&
			    cfg->reload_check(cfg->reload_arg) == 0) {
				reload_accepted = 1;
				svc_notify_reloading();
				break;
			}
			svc_notify_status("Reload refused (see the log); serving "
			                  "with the files read at start");
		}
		unsigned slow = edge_reap();
		if (slow)
			log_info("serve: closed %u connection(s) whose headers took over "
			         "%ld s", slow, settings_current()->header_timeout);
	}
	log_info("serve: %s", reload_accepted ? "stopping to reload"
	                                      : "shutting down");
	if (!reload_accepted)
		svc_notify_stopping();
	events_stop();   /* no connection may stay suspended */
	MHD_stop_daemon(d);
	events_free();
	pthread_mutex_lock(&desks_lock);
	for (int i = 0; i < ndesks; i++) {
		desk_close(all_desks[i]);
		free(all_desks[i]);
	}
	ndesks = 0;
	pthread_mutex_unlock(&desks_lock);
	return EX_OK;
}
