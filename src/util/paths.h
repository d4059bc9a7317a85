/*
 * paths.h - where soporte finds its files, built or installed.
 *
 * `cmake --install` lays out the FHS (docs/operations.md): the front in
 * PREFIX/bin, the full program in PREFIX/libexec/soporte, templates and
 * web assets in PREFIX/share/soporte, the policy and the configuration
 * file in /etc/soporte (PREFIX/etc/soporte unless PREFIX is /usr), state
 * in /var/lib/soporte. The layout relative to the prefix is compiled in;
 * the prefix itself is found at run time from the running executable, so
 * an installation moved as a whole (DESTDIR, a staging root) still finds
 * its files. A program run from the build tree is not installed: its data
 * is the source tree's, and it has no configuration or state directory.
 */
#ifndef SOPORTE_UTIL_PATHS_H
#define SOPORTE_UTIL_PATHS_H

enum paths_dir {
	PATHS_DATA,      /* templates/, web/: $SOPORTE_DATADIR, else the
	                    installed copy when there, else the source's */
	PATHS_CONF,      /* /etc/soporte: NULL when not installed */
	PATHS_STATE,     /* /var/lib/soporte: NULL when not installed */
	PATHS_MAIN,      /* the full program's directory: libexec/soporte,
	                    else (copied by hand) the running program's */
	PATHS_TEMPLATES, /* DATA/templates */
	PATHS_WEB,       /* DATA/web */
	PATHS_POLICY,    /* CONF/prodequa.ini, else the source's policy */
	PATHS_CONFIG,    /* CONF/soporte.conf when it exists, else NULL */
	PATHS_DB,        /* sqlite:STATE/soporte.db, else sqlite:soporte.db */
	PATHS_KEY,       /* STATE/soporte.key, else soporte.key */
	PATHS_COUNT
};

/* The path, resolved once (thread-safe), without a trailing slash; NULL
 * as said above. The strings live until the program ends. */
const char *paths_get(enum paths_dir which);

#endif
