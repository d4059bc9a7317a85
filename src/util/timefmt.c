/*
 * timefmt.c - UTC instants and civil dates as text (see timefmt.h).
 *
 * The day-number conversions are Howard Hinnant's public-domain civil
 * calendar algorithms: exact for every proleptic Gregorian date, no
 * tables, no libc time zone state, so they are safe in the pure core.
 */
#include "util/timefmt.h"

#include <string.h>

static int64_t
floordiv(int64_t a, int64_t b)
{
	return (a >= 0 ? a : a - b + 1) / b;
}

int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = floordiv(y, 400);
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = floordiv(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int
weekday_from_days(int64_t z)
{
	/* 1970-01-01 was a Thursday (3 in Monday = 0 numbering). */
	int64_t w = (z + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int
days_in_month(int64_t y, int m)
{
	static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

/* Reads exactly n digits at s into *v; returns 0 or -1. */
static int
digits(const char *s, int n, int *v)
{
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

int
iso_date_parse(const char *s, int64_t *days)
{
	int y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

int
iso_month_parse(const char *s, int64_t *year, int *month)
{
	char buf[ISO_DATE_LEN];
	int64_t day;
	if (s == NULL || strlen(s) != 7)
		return -1;
	memcpy(buf, s, 7);
	memcpy(buf + 7, "-01", 4);
	if (iso_date_parse(buf, &day) != 0)
		return -1;
	int d;
	civil_from_days(day, year, month, &d);
	return 0;
}

int
iso_utc_parse(const char *s, int64_t *out)
{
	int64_t days;
	int hh, mm, ss;
	char date[11];
	if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    s[19] != 'Z')
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (iso_date_parse(date, &days) || digits(s + 11, 2, &hh) ||
	    digits(s + 14, 2, &mm) || digits(s + 17, 2, &ss))
		return -1;
	if (hh > 23 || mm > 59 || ss > 59)
		return -1;
	*out = days * 86400 + hh * 3600 + mm * 60 + ss;
	return 0;
}

void
digits_put(char *out, int64_t v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* "YYYY-MM-DD" of a day number into out (no NUL); years outside
 * 0000-9999 as "0000-00-00". */
static void
date_put(int64_t days, char *out)
{
	int64_t y;
	int m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0, m = 0, d = 0;
	digits_put(out, y, 4);
	out[4] = '-';
	digits_put(out + 5, m, 2);
	out[7] = '-';
	digits_put(out + 8, d, 2);
}

void
iso_date_format(int64_t days, char out[ISO_DATE_LEN])
{
	date_put(days, out);
	out[ISO_DATE_LEN - 1] = '\0';
}

void
iso_utc_format(int64_t t, char out[ISO_UTC_LEN])
{
	int64_t days = floordiv(t, 86400);
	int64_t sod = t - days * 86400;
	date_put(days, out);
	out[10] = 'T';
	digits_put(out + 11, sod / 3600, 2);
	out[13] = ':';
	digits_put(out + 14, sod / 60 % 60, 2);
	out[16] = ':';
	digits_put(out + 17, sod % 60, 2);
	out[19] = 'Z';
	out[ISO_UTC_LEN - 1] = '\0';
}
