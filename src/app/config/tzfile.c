/*
 * tzfile.c - TZif reader and POSIX TZ rule expansion (see tzfile.h).
 *
 * SECURITY: untrusted bytes. A cursor with the bytes left is passed to
 * every read; counts from the header are checked against what is left
 * before anything is allocated or indexed.
 */
#include "app/config/tzfile.h"

#include "util/errmsg.h"
#include "util/timefmt.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZIF_MAX_BYTES (1 << 20)

struct cur {
	const unsigned char *p;
	size_t left;
};

static bool
take(struct cur *c, size_t n, const unsigned char **out)
{
	if (c->left < n)
		return false;
	*out = c->p;
	c->p += n;
	c->left -= n;
	return true;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* The growing result; at/off in step. */
struct table {
	struct tzoff *tz;
	size_t cap;
};

static int
push(struct table *t, int64_t at, int32_t off)
{
	struct tzoff *tz = t->tz;
	int32_t cur = tz->n ? tz->off_s[tz->n - 1] : tz->off0_s;
	if (off == cur)
		return 0;             /* only the abbreviation changed */
	if (tz->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		int64_t *a = realloc(tz->at_s, cap * sizeof *a);
		if (a == NULL)
			return -1;
		tz->at_s = a;
		int32_t *o = realloc(tz->off_s, cap * sizeof *o);
		if (o == NULL)
			return -1;
		tz->off_s = o;
		t->cap = cap;
	}
	tz->at_s[tz->n] = at;
	tz->off_s[tz->n] = off;
	tz->n++;
	return 0;
}

/* ---- POSIX TZ strings (the TZif footer) ---- */

struct rule_date {
	char kind;          /* 'J' Julian 1..365 no leap day, 'n' 0..365, 'M' */
	int a, b, c;        /* J/n: a = day; M: month a, week b, weekday c */
	int32_t time_s;     /* local time of the change, may be < 0 or > 24 h */
};

struct posix_tz {
	int32_t std_off, dst_off;  /* seconds east of UTC */
	bool has_dst;
	struct rule_date start, end;
};

static const char *
parse_name(const char *s)
{
	if (*s == '<') {
		const char *e = strchr(s, '>');
		return e && e - s >= 4 ? e + 1 : NULL;
	}
	const char *b = s;
	while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
		s++;
	return s - b >= 3 ? s : NULL;
}

/* [+-]hh[:mm[:ss]] with hh up to 167; seconds in *v. */
static const char *
parse_hms(const char *s, int32_t *v)
{
	int sign = 1;
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	int32_t part[3] = {0, 0, 0};
	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			if (*s != ':')
				break;
			s++;
		}
		if (*s < '0' || *s > '9')
			return NULL;
		int x = 0, nd = 0;
		while (*s >= '0' && *s <= '9' && nd < 3) {
			x = x * 10 + (*s++ - '0');
			nd++;
		}
		part[i] = x;
	}
	if (part[0] > 167 || part[1] > 59 || part[2] > 59)
		return NULL;
	*v = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
	return s;
}

static const char *
parse_int(const char *s, int *v, int lo, int hi)
{
	if (*s < '0' || *s > '9')
		return NULL;
	int x = 0;
	while (*s >= '0' && *s <= '9' && x <= hi)
		x = x * 10 + (*s++ - '0');
	if (x < lo || x > hi)
		return NULL;
	*v = x;
	return s;
}

static const char *
parse_date(const char *s, struct rule_date *d)
{
	d->time_s = 7200;
	if (*s == 'J') {
		d->kind = 'J';
		s = parse_int(s + 1, &d->a, 1, 365);
	} else if (*s == 'M') {
		d->kind = 'M';
		s = parse_int(s + 1, &d->a, 1, 12);
		if (s && *s == '.')
			s = parse_int(s + 1, &d->b, 1, 5);
		else
			s = NULL;
		if (s && *s == '.')
			s = parse_int(s + 1, &d->c, 0, 6);
		else
			s = NULL;
	} else {
		d->kind = 'n';
		s = parse_int(s, &d->a, 0, 365);
	}
	if (s && *s == '/')
		s = parse_hms(s + 1, &d->time_s);
	return s;
}

static int
parse_posix(const char *s, struct posix_tz *tz)
{
	int32_t v;
	memset(tz, 0, sizeof *tz);
	if ((s = parse_name(s)) == NULL || (s = parse_hms(s, &v)) == NULL)
		return -1;
	tz->std_off = -v;
	if (*s == '\0')
		return 0;
	if ((s = parse_name(s)) == NULL)
		return -1;
	tz->has_dst = true;
	tz->dst_off = tz->std_off + 3600;
	if (*s != ',' && *s != '\0') {
		if ((s = parse_hms(s, &v)) == NULL)
			return -1;
		tz->dst_off = -v;
	}
	if (*s != ',')
		return -1;     /* rule-less DST: not in modern TZif footers */
	if ((s = parse_date(s + 1, &tz->start)) == NULL || *s != ',' ||
	    (s = parse_date(s + 1, &tz->end)) == NULL || *s != '\0')
		return -1;
	return 0;
}

/* The local day number a rule date names in year y. */
static int64_t
rule_day(const struct rule_date *d, int y)
{
	int64_t jan1 = days_from_civil(y, 1, 1);
	bool leap = days_in_month(y, 2) == 29;
	switch (d->kind) {
	case 'J':
		return jan1 + d->a - 1 + (leap && d->a >= 60);
	case 'n':
		return jan1 + d->a;
	default: {
		int64_t first = days_from_civil(y, d->a, 1);
		int wd_sun = (weekday_from_days(first) + 1) % 7; /* 0 = Sunday */
		int64_t day = first + (d->c - wd_sun + 7) % 7 + (d->b - 1) * 7;
		int64_t end = first + days_in_month(y, d->a);
		while (day >= end)
			day -= 7;
		return day;
	}
	}
}

/* Appends the footer rule's changes after the last stored one. */
static int
expand_footer(struct table *t, const struct posix_tz *ptz, int last_year)
{
	struct tzoff *tz = t->tz;
	if (!ptz->has_dst) {
		if (tz->n == 0)
			tz->off0_s = ptz->std_off;
		return push(t, tz->n ? tz->at_s[tz->n - 1] + 1 : INT64_MIN,
		            ptz->std_off);
	}
	int64_t after = tz->n ? tz->at_s[tz->n - 1] : INT64_MIN;
	int64_t y0;
	int m, d;
	civil_from_days(after == INT64_MIN ? 0 : after / 86400, &y0, &m, &d);
	if (y0 < 1800)
		y0 = 1800;   /* a rule older than that is a corrupt file */
	for (int64_t y = y0; y <= last_year; y++) {
		/* The start is given in standard time, the end in DST. */
		int64_t on = rule_day(&ptz->start, (int)y) * 86400 + ptz->start.time_s -
		             ptz->std_off;
		int64_t off = rule_day(&ptz->end, (int)y) * 86400 + ptz->end.time_s -
		              ptz->dst_off;
		int64_t ev[2][2] = {{on, ptz->dst_off}, {off, ptz->std_off}};
		if (off < on) {
			ev[0][0] = off, ev[0][1] = ptz->std_off;
			ev[1][0] = on, ev[1][1] = ptz->dst_off;
		}
		for (int k = 0; k < 2; k++)
			if (ev[k][0] > after) {
				if (push(t, ev[k][0], (int32_t)ev[k][1]) != 0)
					return -1;
				if (tz->n)
					after = tz->at_s[tz->n - 1];
			}
	}
	return 0;
}

/* Reads one header; returns false when malformed. */
static bool
header(struct cur *c, int *version, uint32_t cnt[6])
{
	const unsigned char *h;
	if (!take(c, 44, &h) || memcmp(h, "TZif", 4) != 0)
		return false;
	*version = h[4] == 0 ? 1 : h[4] - '0';
	if (*version < 1 || *version > 9)
		return false;
	for (int i = 0; i < 6; i++)
		cnt[i] = be32(h + 20 + 4 * i);
	return true;
}

enum { ISUT, ISSTD, LEAP, TIME, TYPE, CHAR };

static size_t
block_len(const uint32_t cnt[6], size_t tsize)
{
	/* Each count is < 2^32, so this cannot overflow a 64-bit size_t. */
	return (size_t)cnt[TIME] * tsize + cnt[TIME] + (size_t)cnt[TYPE] * 6 +
	       cnt[CHAR] + (size_t)cnt[LEAP] * (tsize + 4) + cnt[ISSTD] +
	       cnt[ISUT];
}

enum tzfile_rc
tzfile_parse(const unsigned char *data, size_t len, int last_year,
             struct tzoff *out, char *err, size_t errlen)
{
	struct cur c = {data, len};
	struct tzoff tz = {0};
	struct table t = {&tz, 0};
	uint32_t cnt[6];
	int version;
	const unsigned char *times, *idx, *types, *skip;
	size_t tsize = 4;
	enum tzfile_rc rc = TZFILE_EFORMAT;

	if (!header(&c, &version, cnt)) {
		errmsg_set(err, errlen, "not a TZif file");
		goto out;
	}
	if (version >= 2) {
		/* Skip the 32-bit block; the 64-bit one follows. */
		if (!take(&c, block_len(cnt, 4), &skip) ||
		    !header(&c, &version, cnt)) {
			errmsg_set(err, errlen, "truncated TZif file");
			goto out;
		}
		tsize = 8;
	}
	if (cnt[TYPE] == 0 || cnt[TYPE] > 256 || cnt[CHAR] == 0 ||
	    (cnt[ISUT] && cnt[ISUT] != cnt[TYPE]) ||
	    (cnt[ISSTD] && cnt[ISSTD] != cnt[TYPE]) ||
	    !take(&c, (size_t)cnt[TIME] * tsize, &times) ||
	    !take(&c, cnt[TIME], &idx) ||
	    !take(&c, (size_t)cnt[TYPE] * 6, &types) ||
	    !take(&c, cnt[CHAR] + (size_t)cnt[LEAP] * (tsize + 4) +
	              cnt[ISSTD] + cnt[ISUT], &skip)) {
		errmsg_set(err, errlen, "bad TZif counts");
		goto out;
	}
	tz.off0_s = (int32_t)be32(types);
	rc = TZFILE_ENOMEM;
	int64_t prev = INT64_MIN;
	for (uint32_t i = 0; i < cnt[TIME]; i++) {
		int64_t at = tsize == 8 ? be64(times + 8 * i)
		                        : (int32_t)be32(times + 4 * i);
		if (idx[i] >= cnt[TYPE] || (i > 0 && at <= prev)) {
			errmsg_set(err, errlen, "bad TZif transition %u", i);
			rc = TZFILE_EFORMAT;
			goto out;
		}
		prev = at;
		int32_t off = (int32_t)be32(types + 6 * idx[i]);
		if (off < -25 * 3600 || off > 26 * 3600) {
			errmsg_set(err, errlen, "TZif offset out of range");
			rc = TZFILE_EFORMAT;
			goto out;
		}
		if (push(&t, at, off) != 0)
			goto out;
	}
	if (version >= 2) {
		/* Footer: "\n" POSIX-TZ "\n" (possibly empty). */
		char footer[128];
		const unsigned char *nl;
		if (c.left < 2 || c.p[0] != '\n' ||
		    (nl = memchr(c.p + 1, '\n', c.left - 1)) == NULL ||
		    (size_t)(nl - c.p - 1) >= sizeof footer) {
			errmsg_set(err, errlen, "bad TZif footer");
			rc = TZFILE_EFORMAT;
			goto out;
		}
		memcpy(footer, c.p + 1, (size_t)(nl - c.p - 1));
		footer[nl - c.p - 1] = '\0';
		struct posix_tz ptz;
		if (footer[0] != '\0') {
			if (parse_posix(footer, &ptz) != 0 ||
			    ptz.std_off < -25 * 3600 || ptz.std_off > 26 * 3600 ||
			    ptz.dst_off < -25 * 3600 || ptz.dst_off > 26 * 3600) {
				errmsg_set(err, errlen, "TZif footer '%s' not understood",
				       footer);
				rc = TZFILE_EFORMAT;
				goto out;
			}
			if (expand_footer(&t, &ptz, last_year) != 0)
				goto out;
		}
	}
	rc = TZFILE_OK;
out:
	if (rc == TZFILE_OK) {
		*out = tz;
	} else {
		tzoff_free(&tz);
	}
	return rc;
}

static bool
name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= TZOFF_NAME_MAX || name[0] == '/' ||
	    strstr(name, "..") != NULL)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || strchr("/_+-", *p)))
			return false;
	return true;
}

enum tzfile_rc
tzfile_load(const char *name, int last_year, struct tzoff *out, char *err,
            size_t errlen)
{
	char path[sizeof TZFILE_DIR + TZOFF_NAME_MAX + 1];
	unsigned char *data = NULL;
	size_t len = 0;
	enum tzfile_rc rc;
	FILE *f = NULL;

	if (!name_ok(name)) {
		errmsg_set(err, errlen, "'%s' is not a time zone name", name);
		return TZFILE_ENAME;
	}
	snprintf(path, sizeof path, "%s/%s", TZFILE_DIR, name);
	f = fopen(path, "rb");
	if (f == NULL) {
		errmsg_set(err, errlen, "time zone '%s': %s", name, strerror(errno));
		return TZFILE_ENOENT;
	}
	rc = TZFILE_ENOMEM;
	data = malloc(TZIF_MAX_BYTES);
	if (data == NULL)
		goto out;
	len = fread(data, 1, TZIF_MAX_BYTES, f);
	if (ferror(f)) {
		errmsg_set(err, errlen, "time zone '%s': read error", name);
		rc = TZFILE_ENOENT;
		goto out;
	}
	rc = tzfile_parse(data, len, last_year, out, err, errlen);
	if (rc == TZFILE_OK)
		snprintf(out->name, sizeof out->name, "%s", name);
out:
	free(data);
	fclose(f);
	return rc;
}
