/*
 * front.c - the light `soporte` executable (see front.h).
 *
 * SECURITY: argv and the environment are the operator's (as in the full
 * program); the full program is found from this executable's place
 * through /proc/self/exe (next to it in the build tree, in the prefix's
 * libexec directory when installed), never through PATH.
 */
#define _GNU_SOURCE   /* memfd_create */
#include "front/front.h"
#include "util/log.h"
#include "util/paths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

/* Next to this executable in the build tree; installed, in the prefix's
 * libexec directory (util/paths.h). */
static int
main_path(char *out, size_t len)
{
	const char *dir = paths_get(PATHS_MAIN);
	if (dir == NULL)
		return -1;
	int w = snprintf(out, len, "%s/%s", dir, FRONT_MAIN_NAME);
	return w > 0 && (size_t)w < len ? 0 : -1;
}

int
front_exec_main(int argc, char **argv, const char *const *extra)
{
	char path[PATH_MAX + 32];
	if (main_path(path, sizeof path) != 0) {
		log_error("cannot find the directory of this program");
		return EX_OSERR;
	}
	size_t nextra = 0;
	while (extra && extra[nextra])
		nextra++;
	char **av = calloc((size_t)argc + nextra + 1, sizeof *av);
	if (av == NULL)
		return EX_OSERR;
	for (int i = 0; i < argc; i++)
		av[i] = argv[i];
	for (size_t i = 0; i < nextra; i++)
		av[(size_t)argc + i] = (char *)extra[i];
	execv(path, av);
	log_error("cannot run %s: %s", path, strerror(errno));
	free(av);
	return EX_OSERR;
}

int
front_exec_main_with_input(int argc, char **argv, const char *data,
                           size_t len)
{
	int fd = memfd_create("soporte-message", 0);
	size_t off = 0;
	while (fd >= 0 && off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (fd < 0 || off < len || lseek(fd, 0, SEEK_SET) != 0 ||
	    dup2(fd, STDIN_FILENO) < 0) {
		log_error("cannot hand the message over: %s", strerror(errno));
		return EX_TEMPFAIL;
	}
	close(fd);
	return front_exec_main(argc, argv, NULL);
}

int
main(int argc, char **argv)
{
	umask(027);   /* as the full program (cli/main.c): nothing for others */
	int rc = gate_run(argc, argv);
	return rc >= 0 ? rc : front_exec_main(argc, argv, NULL);
}
