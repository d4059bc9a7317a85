/*
 * server.c - the HTTP server: /healthz, static files from web/, and the
 * security headers every response carries.
 *
 * SECURITY: everything in a request is untrusted. Paths are resolved only
 * inside web_dir (no "..", no hidden files, no symlink escapes: realpath
 * must stay under the folder); header and body sizes are capped by
 * libmicrohttpd's connection memory limit.
 */
#include "http/server.h"
#include "store/migrate.h"
#include "store/store.h"
#include "util/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

struct server {
	const struct server_config *cfg;
	char web_root[PATH_MAX];
};

/* One store connection per worker thread, opened on first use. */
static _Thread_local struct store *thread_db;
static pthread_mutex_t dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store *all_dbs[256];
static int ndbs;

static struct store *
server_db(const struct server *srv)
{
	if (thread_db)
		return thread_db;
	char err[256];
	if (store_open(srv->cfg->db_url, &thread_db, err, sizeof err) !=
	    STORE_OK) {
		log_warn("serve: %s", err);
		return NULL;
	}
	pthread_mutex_lock(&dbs_lock);
	if (ndbs < (int)(sizeof all_dbs / sizeof all_dbs[0]))
		all_dbs[ndbs++] = thread_db;
	pthread_mutex_unlock(&dbs_lock);
	return thread_db;
}

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

static enum MHD_Result
reply_text(struct MHD_Connection *c, unsigned status, const char *type,
           const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
	    strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	add_security_headers(r);
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
reply_error(struct MHD_Connection *c, unsigned status, const char *code,
            const char *message)
{
	char body[512];
	snprintf(body, sizeof body,
	         "{\"error\":{\"code\":\"%s\",\"message\":\"%s\"}}\n", code,
	         message);
	return reply_text(c, status, "application/json", body);
}

/* GET /healthz: 200 when the database answers with a current schema,
 * 503 otherwise. */
static enum MHD_Result
serve_health(struct server *srv, struct MHD_Connection *c)
{
	struct store *db = server_db(srv);
	int64_t one = 0;
	if (db == NULL ||
	    store_get_int(db, "SELECT COALESCE(MAX(number), 0) FROM schema_migrations",
	                  STORE_NO_PARAMS, &one) != STORE_OK)
		return reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "application/json",
		                  "{\"status\":\"unavailable\",\"database\":false}\n");
	char body[128];
	snprintf(body, sizeof body,
	         "{\"status\":\"ok\",\"database\":true,\"schema\":%lld}\n",
	         (long long)one);
	return reply_text(c, MHD_HTTP_OK, "application/json", body);
}

static const char *
content_type(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{".html", "text/html; charset=utf-8"},
		{".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"},
		{".json", "application/json"},
		{".svg", "image/svg+xml"},
		{".png", "image/png"},
		{".ico", "image/x-icon"},
		{".woff2", "font/woff2"},
		{".txt", "text/plain; charset=utf-8"},
	};
	const char *dot = strrchr(path, '.');
	if (dot)
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

/* Returns 1 when url is a safe relative path: segments of [A-Za-z0-9._-],
 * none empty, none starting with a dot. */
static int
safe_path(const char *url)
{
	const char *s = url;
	if (*s != '/')
		return 0;
	while (*s == '/') {
		s++;
		if (*s == '.' || *s == '/' || *s == '\0')
			return 0;
		while (*s && *s != '/') {
			char ch = *s++;
			if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			      (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
			      ch == '-'))
				return 0;
		}
	}
	return *s == '\0';
}

static enum MHD_Result
serve_static(struct server *srv, struct MHD_Connection *c, const char *url)
{
	char rel[PATH_MAX], path[PATH_MAX], real[PATH_MAX];
	/* The UI is one page: unknown non-file paths get index.html. */
	if (strcmp(url, "/") == 0 || strchr(strrchr(url, '/'), '.') == NULL)
		url = "/index.html";
	if (!safe_path(url) || strlen(url) >= sizeof rel)
		return reply_error(c, MHD_HTTP_NOT_FOUND, "not_found",
		                   "no such page");
	snprintf(rel, sizeof rel, "%s", url);
	if ((size_t)snprintf(path, sizeof path, "%s%s", srv->web_root, rel) >=
	    sizeof path)
		return reply_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
	size_t rootlen = strlen(srv->web_root);
	if (realpath(path, real) == NULL || strncmp(real, srv->web_root, rootlen) ||
	    real[rootlen] != '/')
		return reply_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
	int fd = open(real, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return reply_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such page");
	}
	struct MHD_Response *r =
	    MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (r == NULL) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", content_type(real));
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	add_security_headers(r);
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
           const char *method, const char *version, const char *upload,
           size_t *upload_size, void **state)
{
	(void)version;
	(void)upload;
	struct server *srv = cls;
	if (*state == NULL) {
		/* First call: headers only. Bodies are not taken here yet. */
		*state = srv;
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0;   /* discarded: no route takes a body yet */
		return MHD_YES;
	}
	int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	if (strcmp(url, "/healthz") == 0) {
		if (!is_get)
			return reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
			                   "method_not_allowed", "use GET");
		return serve_health(srv, c);
	}
	if (strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0)
		return reply_error(c, MHD_HTTP_NOT_FOUND, "not_found",
		                   "no such API route");
	if (!is_get)
		return reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
		                   "method_not_allowed", "use GET");
	return serve_static(srv, c, url);
}

static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Parses "ADDR:PORT" into an IPv4 socket address; returns 0 or -1. */
static int
parse_listen(const char *s, struct sockaddr_in *sa)
{
	const char *colon = strrchr(s, ':');
	char host[64];
	if (colon == NULL || (size_t)(colon - s) >= sizeof host)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 1 || port > 65535 || colon[1] == '\0')
		return -1;
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

int
server_run(const struct server_config *cfg)
{
	struct server srv = {.cfg = cfg};
	struct sockaddr_in sa;
	if (parse_listen(cfg->listen, &sa) != 0) {
		log_error("serve: --listen '%s' is not ADDR:PORT (e.g. 127.0.0.1:8080)",
		          cfg->listen);
		return EX_USAGE;
	}
	if (realpath(cfg->web_dir, srv.web_root) == NULL) {
		log_error("serve: web folder %s: %s", cfg->web_dir, strerror(errno));
		return EX_CONFIG;
	}

	struct sigaction act = {0};
	act.sa_handler = on_signal;
	sigemptyset(&act.sa_mask);
	sigaction(SIGTERM, &act, NULL);
	sigaction(SIGINT, &act, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
	    0, NULL, NULL, on_request, &srv,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 0 ? cfg->threads : 4),
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_CONNECTION_LIMIT, 1000u,
	    MHD_OPTION_END);
	if (d == NULL) {
		log_error("serve: cannot listen on %s (in use, or not allowed)",
		          cfg->listen);
		return EX_UNAVAILABLE;
	}
	log_info("serve: listening on http://%s (database %s)", cfg->listen,
	         cfg->db_url);
	while (!stop_requested)
		pause();
	log_info("serve: shutting down");
	MHD_stop_daemon(d);
	pthread_mutex_lock(&dbs_lock);
	for (int i = 0; i < ndbs; i++)
		store_close(all_dbs[i]);
	ndbs = 0;
	pthread_mutex_unlock(&dbs_lock);
	return EX_OK;
}
