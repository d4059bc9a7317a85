/*
 * tzfile.h - load an IANA time zone from the system tz database.
 *
 * Reads /usr/share/zoneinfo/NAME (TZif, RFC 8536, versions 1 to 4) and
 * returns it as a struct tzoff (core/tzoff.h): every UTC offset change up
 * to the end of a given year, the rule in the file's footer (a POSIX TZ
 * string such as "CET-1CEST,M3.5.0,M10.5.0/3") expanded past the last
 * stored change. The core then needs neither the file nor libc's TZ state,
 * so calendars of several zones live side by side, on any thread.
 * Why our own reader and not a library: docs/libraries.md.
 *
 * SECURITY: the zone name comes from the policy file and the TZif bytes
 * from disk; the name is checked (no "..", no absolute path) and every
 * read of the file is bounds-checked against its length.
 */
#ifndef SOPORTE_APP_TZFILE_H
#define SOPORTE_APP_TZFILE_H

#include "core/tzoff.h"

#include <stddef.h>

enum tzfile_rc {
	TZFILE_OK = 0,
	TZFILE_ENAME,    /* not a plausible zone name */
	TZFILE_ENOENT,   /* no such zone file (or unreadable) */
	TZFILE_EFORMAT,  /* not a TZif file we understand */
	TZFILE_ENOMEM,
};

#define TZFILE_DIR "/usr/share/zoneinfo"

/*
 * Loads zone `name` with changes up to the end of `last_year` into *out
 * (the caller frees it with tzoff_free()). Returns TZFILE_OK or an error
 * and writes a one-line reason into err.
 */
enum tzfile_rc tzfile_load(const char *name, int last_year, struct tzoff *out,
                           char *err, size_t errlen);

/* The same from TZif bytes already in memory. */
enum tzfile_rc tzfile_parse(const unsigned char *data, size_t len,
                            int last_year, struct tzoff *out, char *err,
                            size_t errlen);

#endif
