/*
 * listen.c - the listening socket and dropping root (see listen.h).
 */
#include "http/listen.h"
#include "util/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Parses "ADDR:PORT" into an IPv4 socket address; returns 0 or -1. */
int
listen_parse(const char *s, struct sockaddr_in *sa)
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

/* Becomes user name (its uid, gid, no supplementary groups); 0 or -1. */
int
listen_drop_root(const char *name)
{
	struct passwd *pw = getpwnam(name);
	if (pw == NULL) {
		log_error("serve: --user %s: no such user", name);
		return -1;
	}
	if (pw->pw_uid == 0) {
		log_error("serve: --user %s is root", name);
		return -1;
	}
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		log_error("serve: cannot become %s: %s", name, strerror(errno));
		return -1;
	}
	if (setuid(0) == 0) {
		log_error("serve: could regain root after dropping it");
		return -1;
	}
	log_info("serve: running as %s (uid %u)", name, (unsigned)pw->pw_uid);
	return 0;
}

/* A listening TCP socket on sa, or -1 (errno set). MHD_stop_daemon
 * closes it once the daemon has it. */
int
listen_open(const struct sockaddr_in *sa)
{
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
	    bind(fd, (const struct sockaddr *)sa, sizeof *sa) != 0 ||
	    listen(fd, SOMAXCONN) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}
