/*
 * duration.h - durations as people type them: "90m", "1h30m", "21h",
 * "1h 15m", "45s", and "-30m" where a sign is allowed (corrections).
 *
 * Pure: no I/O. Each unit (h, m, s) at most once, in that order, each with
 * a whole number; at least one; spaces between parts are allowed. The
 * result is in seconds.
 */
#ifndef SOPORTE_UTIL_DURATION_H
#define SOPORTE_UTIL_DURATION_H

#include <stdint.h>

enum duration_rc {
	DURATION_OK = 0,
	DURATION_SYNTAX,     /* not h/m/s parts in order */
	DURATION_SIGN,       /* a sign where none is allowed */
	DURATION_ZERO,       /* adds up to nothing */
	DURATION_RANGE,      /* more than 1000 hours */
};

/* Parses s into *seconds; allow_sign lets "-" or "+" lead. */
enum duration_rc duration_parse(const char *s, int allow_sign,
                                int64_t *seconds);

/* Formats seconds as "1h30m" / "-45m" / "0m" into out. */
#define DURATION_TEXT_MAX 32
void duration_format(int64_t seconds, char out[DURATION_TEXT_MAX]);

#endif
