/*
 * server.h - the HTTP server (libmicrohttpd): health, static UI, API.
 *
 * server_run() binds ADDR:PORT, serves until SIGTERM or SIGINT, then
 * stops accepting, finishes the requests in flight and returns. SIGHUP
 * asks for a reload: when cfg->reload_check() accepts what is on disk
 * now, the server stops the same way and server_reload_requested() says
 * so (the caller starts again in place); otherwise it keeps serving.
 * systemd hears of it all (svc_notify.h). Each
 * worker thread keeps its own store connection, opened on first use.
 * /api/... goes to api_handle() (api.h); /metrics is Prometheus text
 * (loopback peers, or an admin's credentials); each request can be
 * written to stderr as one JSON line (the access log).
 * Returns a sysexits code (EX_OK after a clean shutdown).
 */
#ifndef SOPORTE_HTTP_SERVER_H
#define SOPORTE_HTTP_SERVER_H

struct api_env;

struct server_config {
	const char *listen;    /* "127.0.0.1:8080" */
	const char *db_url;
	const char *web_dir;   /* static files; index.html at "/" */
	int threads;
	const char *run_as;    /* when started as root: the user to become
	                          after binding (NULL: stay, with a warning) */
	int access_log;        /* one JSON line per request on stderr */
	int at_risk_percent;   /* the policy's SLA "at risk" share */
	const struct api_env *env;
	/* SIGHUP: 0 when the files on disk load (reload), else -1 (logged;
	 * keep serving). NULL: SIGHUP is ignored. */
	int (*reload_check)(void *arg);
	void *reload_arg;
};

int server_run(const struct server_config *cfg);
/* 1 when server_run() returned for a reload (SIGHUP, accepted). */
int server_reload_requested(void);

#endif
