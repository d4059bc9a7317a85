/*
 * policy_values.c - the policy file's value parsers (see
 * policy_internal.h): numbers, times and windows, time zones, sizes,
 * lists, e-mails, paths, UTF-8; each field parsed by its type.
 *
 * SECURITY: values are the operator's, still parsed defensively
 * (size-checked copies, strict numbers).
 */
#include "app/config/policy_internal.h"
#include "util/timefmt.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ---- value parsers: each returns 0, or -1 after adding an error ------- */

char *
pf_trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* Strict decimal integer: digits only, no sign, no spaces. */
static int
parse_ll(const char *s, long long *out)
{
	if (*s == '\0' || strlen(s) > 15)
		return -1;
	long long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
}

static int
copy_str(struct loader *L, const char *key, char *dst, size_t size,
         const char *v)
{
	size_t n = strlen(v);
	if (n >= size) {
		pf_diag_add(L->d, L->lineno, "%s: value too long (%zu bytes, at most "
		            "%zu)", key, n, size - 1);
		return -1;
	}
	memcpy(dst, v, n + 1);
	return 0;
}

/* "HH:MM" with 00 <= HH <= 24 and MM < 60, 24:00 the only 24; returns
 * minutes after midnight or -1. */
static int
parse_hhmm(const char *s)
{
	if (strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	int m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m >= 60 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

static int
parse_windows(struct loader *L, const char *key, struct policy_day *day,
              const char *v)
{
	memset(day, 0, sizeof *day);
	if (*v == '\0' || strcmp(v, "closed") == 0)
		return 0;
	char tmp[LINE_MAX_BYTES];
	snprintf(tmp, sizeof tmp, "%s", v);
	int bad = 0;
	char *save = NULL;
	for (char *tok = strtok_r(tmp, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *w = pf_trim(tok);
		char *dash = strchr(w, '-');
		if (dash == NULL) {
			pf_diag_add(L->d, L->lineno, "%s: bad time window '%s' (want "
			            "HH:MM-HH:MM)", key, w);
			bad = 1;
			continue;
		}
		*dash = '\0';
		char *a = pf_trim(w), *b = pf_trim(dash + 1);
		int s = parse_hhmm(a), e = parse_hhmm(b);
		if (s < 0 || e < 0) {
			pf_diag_add(L->d, L->lineno, "%s: bad time window '%s-%s' (times "
			            "are HH:MM from 00:00 to 24:00)", key, a, b);
			bad = 1;
			continue;
		}
		if (e <= s) {
			pf_diag_add(L->d, L->lineno, "%s: time window %s-%s ends before "
			            "it starts", key, a, b);
			bad = 1;
			continue;
		}
		if (day->nwindows == POLICY_MAX_WINDOWS) {
			pf_diag_add(L->d, L->lineno, "%s: more than %d time windows",
			            key, POLICY_MAX_WINDOWS);
			return -1;
		}
		day->windows[day->nwindows].start_min = s;
		day->windows[day->nwindows].end_min = e;
		day->nwindows++;
	}
	/* Sort by start, then windows must not touch or overlap. */
	for (int i = 1; i < day->nwindows; i++) {
		struct policy_window t = day->windows[i];
		int j = i - 1;
		while (j >= 0 && day->windows[j].start_min > t.start_min) {
			day->windows[j + 1] = day->windows[j];
			j--;
		}
		day->windows[j + 1] = t;
	}
	for (int i = 1; i < day->nwindows; i++) {
		const struct policy_window *a = &day->windows[i - 1];
		const struct policy_window *b = &day->windows[i];
		if (b->start_min < a->end_min) {
			pf_diag_add(L->d, L->lineno, "%s: time windows %02d:%02d-%02d:%02d "
			            "and %02d:%02d-%02d:%02d overlap", key,
			            a->start_min / 60, a->start_min % 60, a->end_min / 60,
			            a->end_min % 60, b->start_min / 60, b->start_min % 60,
			            b->end_min / 60, b->end_min % 60);
			bad = 1;
		}
	}
	if (*v != '\0' && day->nwindows == 0 && !bad) {
		pf_diag_add(L->d, L->lineno, "%s: no time window", key);
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* The zone must be a file under the zoneinfo directory; names with ".."
 * or a leading '/' are refused so the check cannot wander. */
static int
parse_tz(struct loader *L, const char *key, char *dst, size_t size,
         const char *v)
{
	const char *zdir = getenv("TZDIR");
	if (zdir == NULL || *zdir == '\0')
		zdir = "/usr/share/zoneinfo";
	char path[512];
	struct stat st;
	int ok = *v != '\0' && *v != '/' && strstr(v, "..") == NULL &&
	         strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                   "0123456789/_+-") == strlen(v);
	if (ok) {
		snprintf(path, sizeof path, "%s/%s", zdir, v);
		ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	}
	if (!ok) {
		pf_diag_add(L->d, L->lineno, "%s: unknown time zone '%s' (not in %s)",
		            key, v, zdir);
		return -1;
	}
	return copy_str(L, key, dst, size, v);
}

static int
parse_bytes(struct loader *L, const struct field *fd, int64_t *dst,
            const char *v)
{
	char num[32];
	size_t n = strspn(v, "0123456789");
	long long x, mult = 1;
	const char *unit = v + n;
	while (*unit == ' ')
		unit++;
	if (strcmp(unit, "KiB") == 0)
		mult = 1024;
	else if (strcmp(unit, "MiB") == 0)
		mult = 1024 * 1024;
	else if (*unit != '\0')
		n = 0;
	if (n == 0 || n >= sizeof num) {
		pf_diag_add(L->d, L->lineno, "%s: bad size '%s' (want bytes, or N "
		            "KiB, or N MiB)", fd->key, v);
		return -1;
	}
	memcpy(num, v, n);
	num[n] = '\0';
	if (parse_ll(num, &x) != 0 || x > fd->max / mult ||
	    x * mult < fd->min) {
		pf_diag_add(L->d, L->lineno, "%s: size '%s' out of range (%lld to "
		            "%lld bytes)", fd->key, v, fd->min, fd->max);
		return -1;
	}
	*dst = x * mult;
	return 0;
}

/* Lower-cases and normalises "a, b ,c" to "a, b, c"; empty items are
 * errors. */
static int
parse_list(struct loader *L, const char *key, char *dst, size_t size,
           const char *v)
{
	char tmp[LINE_MAX_BYTES], out[LINE_MAX_BYTES] = "";
	snprintf(tmp, sizeof tmp, "%s", v);
	size_t used = 0;
	char *p = tmp;
	for (;;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		char *w = pf_trim(p);
		if (*w == '\0') {
			pf_diag_add(L->d, L->lineno, "%s: empty item in list", key);
			return -1;
		}
		for (char *c = w; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		int w_len = snprintf(out + used, sizeof out - used, "%s%s",
		                     used ? ", " : "", w);
		if (w_len < 0 || (size_t)w_len >= sizeof out - used) {
			pf_diag_add(L->d, L->lineno, "%s: list too long", key);
			return -1;
		}
		used += (size_t)w_len;
		if (!comma)
			break;
		p = comma + 1;
	}
	return copy_str(L, key, dst, size, out);
}

static int
parse_email(struct loader *L, const char *key, char *dst, size_t size,
            const char *v)
{
	const char *at = strchr(v, '@');
	if (at == NULL || at == v || strchr(at + 1, '@') ||
	    strchr(at + 1, '.') == NULL || strpbrk(v, " \t<>,;\"") ||
	    v[strlen(v) - 1] == '.') {
		pf_diag_add(L->d, L->lineno, "%s: '%s' is not a mail address", key, v);
		return -1;
	}
	return copy_str(L, key, dst, size, v);
}

static int
parse_path(struct loader *L, const char *key, char *dst, size_t size,
           const char *v)
{
	if (*v == '\0') {
		dst[0] = '\0';
		return 0;
	}
	char full[512];
	if (v[0] == '/')
		snprintf(full, sizeof full, "%s", v);
	else
		snprintf(full, sizeof full, "%s/%s", L->dir, v);
	struct stat st;
	if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
		pf_diag_add(L->d, L->lineno, "%s: no such file '%s'", key, full);
		return -1;
	}
	return copy_str(L, key, dst, size, full);
}

/* Parses value v of field fd into base; errors go to the diag. */
void
pf_field_parse(struct loader *L, const struct field *fd, void *base,
               const char *v)
{
	char *dst = (char *)base + fd->off;
	long long x;
	int e;
	char names[256];

	switch (fd->type) {
	case F_STR:
		if (*v == '\0') {
			pf_diag_add(L->d, L->lineno, "%s: empty value", fd->key);
			return;
		}
		copy_str(L, fd->key, dst, fd->size, v);
		return;
	case F_WORD:
		if (*v == '\0' || strpbrk(v, " \t")) {
			pf_diag_add(L->d, L->lineno, "%s: want one word, got '%s'",
			            fd->key, v);
			return;
		}
		copy_str(L, fd->key, dst, fd->size, v);
		return;
	case F_EMAIL:
		parse_email(L, fd->key, dst, fd->size, v);
		return;
	case F_DATE: {
		int64_t days;
		if (iso_date_parse(v, &days) != 0) {
			pf_diag_add(L->d, L->lineno, "%s: bad date '%s' (want "
			            "YYYY-MM-DD)", fd->key, v);
			return;
		}
		copy_str(L, fd->key, dst, fd->size, v);
		return;
	}
	case F_INT:
	case F_HOURS_S:
		if (parse_ll(v, &x) != 0) {
			pf_diag_add(L->d, L->lineno, "%s: bad number '%s' (want a whole "
			            "number)", fd->key, v);
			return;
		}
		if (x < fd->min || x > fd->max) {
			pf_diag_add(L->d, L->lineno, "%s: %lld out of range (%lld to "
			            "%lld)", fd->key, x, fd->min, fd->max);
			return;
		}
		if (fd->type == F_INT)
			*(int *)(void *)dst = (int)x;
		else
			*(int64_t *)(void *)dst = (int64_t)x * 3600;
		return;
	case F_BOOL:
		e = pf_name_lookup(fd->names, v);
		if (e < 0) {
			pf_diag_add(L->d, L->lineno, "%s: want yes or no, got '%s'",
			            fd->key, v);
			return;
		}
		*(bool *)(void *)dst = e != 0;
		return;
	case F_ENUM:
	case F_NAME:
		e = pf_name_lookup(fd->names, v);
		if (e < 0) {
			pf_name_list(fd->names, names, sizeof names);
			pf_diag_add(L->d, L->lineno, "%s: unknown value '%s' (want one of: "
			            "%s)", fd->key, v, names);
			return;
		}
		/* A table's "none" is stored as "" (e.g. holidays = none:
		 * the calendar loads no built-in set). */
		if (fd->type == F_NAME)
			copy_str(L, fd->key, dst, fd->size,
			         strcmp(v, "none") == 0 ? "" : v);
		else if (fd->size == sizeof(bool))
			*(bool *)(void *)dst = e != 0;
		else
			*(int *)(void *)dst = e;
		return;
	case F_WINDOWS:
		parse_windows(L, fd->key, (struct policy_day *)(void *)dst, v);
		return;
	case F_TZ:
		parse_tz(L, fd->key, dst, fd->size, v);
		return;
	case F_PATH:
		parse_path(L, fd->key, dst, fd->size, v);
		return;
	case F_LIST:
		parse_list(L, fd->key, dst, fd->size, v);
		return;
	case F_BYTES:
		parse_bytes(L, fd, (int64_t *)(void *)dst, v);
		return;
	}
}

/* Returns true when s is well-formed UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF) with no control characters but tab. */
bool
pf_utf8_ok(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	while (*s) {
		unsigned c = *s;
		int n;
		unsigned cp;
		if (c < 0x80) {
			if (c < 0x20 && c != '\t')
				return false;
			s++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		for (int i = 1; i <= n; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		s += n + 1;
	}
	return true;
}
