/*
 * listen.h - the server's socket before it serves: the listen address,
 * the listening socket, and dropping root once it is bound.
 */
#ifndef SOPORTE_HTTP_LISTEN_H
#define SOPORTE_HTTP_LISTEN_H

#include <netinet/in.h>

/* Parses "ADDR:PORT" ("localhost" is 127.0.0.1) into an IPv4 socket
 * address; returns 0 or -1. */
int listen_parse(const char *s, struct sockaddr_in *sa);
/* A listening TCP socket on sa, or -1 (errno set). MHD_stop_daemon
 * closes it once the daemon has it. */
int listen_open(const struct sockaddr_in *sa);
/* Becomes user name (its uid, gid, no supplementary groups); 0 or -1
 * (logged). */
int listen_drop_root(const char *name);

#endif
