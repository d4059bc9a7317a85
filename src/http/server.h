/*
 * server.h - the HTTP server (libmicrohttpd): health, static UI, API.
 *
 * server_run() binds ADDR:PORT, serves until SIGTERM or SIGINT, then
 * stops accepting, finishes the requests in flight and returns. Each
 * worker thread keeps its own store connection, opened on first use.
 * Returns a sysexits code (EX_OK after a clean shutdown).
 */
#ifndef SOPORTE_HTTP_SERVER_H
#define SOPORTE_HTTP_SERVER_H

struct server_config {
	const char *listen;    /* "127.0.0.1:8080" */
	const char *db_url;
	const char *web_dir;   /* static files; index.html at "/" */
	int threads;
};

int server_run(const struct server_config *cfg);

#endif
