/*
 * paths.c - see paths.h.
 *
 * SOPORTE_REL_* (set by CMakeLists.txt from GNUInstallDirs) are each
 * directory relative to the install prefix: "bin", "libexec/soporte",
 * "share/soporte", "etc/soporte" or "../etc/soporte", "var/lib/soporte"
 * or "../var/lib/soporte". SOPORTE_SOURCE_DIR is the source tree.
 */
#include "util/paths.h"

#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char paths[PATHS_COUNT][PATH_MAX + 64];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* When DIR ends with "/REL", the part before it into out. */
static int
strip_suffix(const char *dir, const char *rel, char *out, size_t len)
{
	size_t d = strlen(dir), r = strlen(rel);
	if (r == 0 || r >= d || dir[d - r - 1] != '/' ||
	    strcmp(dir + d - r, rel) != 0 || d - r - 1 >= len)
		return -1;
	memcpy(out, dir, d - r - 1);
	out[d - r - 1] = '\0';
	return 0;
}

/* Sets paths[which]; -1 (and "", as if absent) when it does not fit. */
static int
set(enum paths_dir which, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int
set(enum paths_dir which, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(paths[which], sizeof paths[which], fmt, ap);
	va_end(ap);
	if (w >= 0 && (size_t)w < sizeof paths[which])
		return 0;
	paths[which][0] = '\0';
	return -1;
}

/* The installed layout under prefix; -1 when a path does not fit. */
static int
set_installed(const char *prefix, const char *self)
{
	char main_path[sizeof paths[0] + 16];
	if (set(PATHS_CONF, "%s/%s", prefix, SOPORTE_REL_CONFDIR) ||
	    set(PATHS_STATE, "%s/%s", prefix, SOPORTE_REL_STATEDIR) ||
	    set(PATHS_MAIN, "%s/%s", prefix, SOPORTE_REL_LIBEXECDIR) ||
	    set(PATHS_POLICY, "%s/prodequa.ini", paths[PATHS_CONF]) ||
	    set(PATHS_CONFIG, "%s/soporte.conf", paths[PATHS_CONF]) ||
	    set(PATHS_DB, "sqlite:%s/soporte.db", paths[PATHS_STATE]) ||
	    set(PATHS_KEY, "%s/soporte.key", paths[PATHS_STATE]))
		return -1;
	if (access(paths[PATHS_CONFIG], F_OK) != 0)
		paths[PATHS_CONFIG][0] = '\0';
	/* Copied by hand side by side into a bin directory, as before
	 * `cmake --install` existed: the full program is next to us. */
	snprintf(main_path, sizeof main_path, "%s/soporte-main",
	         paths[PATHS_MAIN]);
	if (access(main_path, X_OK) != 0)
		set(PATHS_MAIN, "%s", self);
	return 0;
}

static void
resolve(void)
{
	char self[PATH_MAX], prefix[PATH_MAX] = "";
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	self[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	/* Installed when this executable sits in the prefix's bin or
	 * libexec directory; otherwise (the build tree) prefix stays "". */
	if (self[0] &&
	    strip_suffix(self, SOPORTE_REL_BINDIR, prefix, sizeof prefix) &&
	    strip_suffix(self, SOPORTE_REL_LIBEXECDIR, prefix, sizeof prefix))
		prefix[0] = '\0';
	if (prefix[0] && set_installed(prefix, self) != 0)
		prefix[0] = '\0';
	if (!prefix[0]) {
		/* The build tree: the full program is built next to us. */
		paths[PATHS_CONF][0] = paths[PATHS_STATE][0] = '\0';
		paths[PATHS_CONFIG][0] = '\0';
		set(PATHS_MAIN, "%s", self);
		set(PATHS_POLICY, "%s/policy/prodequa.ini", SOPORTE_SOURCE_DIR);
		set(PATHS_DB, "sqlite:soporte.db");
		set(PATHS_KEY, "soporte.key");
	}

	/* Data: $SOPORTE_DATADIR, else the installed copy when it is there,
	 * else the source tree's. */
	const char *env = getenv("SOPORTE_DATADIR");
	char installed[sizeof paths[0] + 16];
	snprintf(installed, sizeof installed, "%s/%s/templates", prefix,
	         SOPORTE_REL_DATADIR);
	if (!(env && *env && set(PATHS_DATA, "%s", env) == 0) &&
	    !(prefix[0] && access(installed, F_OK) == 0 &&
	      set(PATHS_DATA, "%s/%s", prefix, SOPORTE_REL_DATADIR) == 0))
		set(PATHS_DATA, "%s", SOPORTE_SOURCE_DIR);
	if (set(PATHS_TEMPLATES, "%s/templates", paths[PATHS_DATA]) ||
	    set(PATHS_WEB, "%s/web", paths[PATHS_DATA])) {
		set(PATHS_TEMPLATES, "%s/templates", SOPORTE_SOURCE_DIR);
		set(PATHS_WEB, "%s/web", SOPORTE_SOURCE_DIR);
	}
}

const char *
paths_get(enum paths_dir which)
{
	pthread_once(&once, resolve);
	if ((unsigned)which >= PATHS_COUNT || paths[which][0] == '\0')
		return NULL;
	return paths[which];
}
