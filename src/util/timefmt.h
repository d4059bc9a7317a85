/*
 * timefmt.h - UTC instants to and from text (pure: no clock, no TZ).
 *
 * Instants are int64 seconds since 1970-01-01T00:00:00Z. Dates are civil
 * days (days since 1970-01-01), for "YYYY-MM-DD" fields that have no time
 * zone of their own (delivery dates, contract validity).
 * Parsers return 0 on success and -1 on any malformed or out-of-range text;
 * they accept exactly the documented form, nothing lenient.
 */
#ifndef SOPORTE_UTIL_TIMEFMT_H
#define SOPORTE_UTIL_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

#define ISO_UTC_LEN 21  /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */
#define ISO_DATE_LEN 11 /* "YYYY-MM-DD" + NUL */

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
int64_t days_from_civil(int64_t y, int m, int d);
/* The civil date of a day number. */
void civil_from_days(int64_t z, int64_t *y, int *m, int *d);
/* 0 = Monday ... 6 = Sunday. */
int weekday_from_days(int64_t z);
/* Days in a month of a year. */
int days_in_month(int64_t y, int m);

/* Writes v (0 <= v < 10^n) as n decimal digits, zero-padded, without a
 * NUL: the fixed-width fields of the formats below, without printf's
 * cost (the API writes several instants into every ticket). */
void digits_put(char *out, int64_t v, int n);

/* "YYYY-MM-DDTHH:MM:SSZ" -> instant. */
int iso_utc_parse(const char *s, int64_t *out);
/* instant -> "YYYY-MM-DDTHH:MM:SSZ"; out has ISO_UTC_LEN bytes. */
void iso_utc_format(int64_t t, char out[ISO_UTC_LEN]);
/* "YYYY-MM-DD" -> day number. */
int iso_date_parse(const char *s, int64_t *days);
/* "YYYY-MM" -> year and month (1..12); NULL or anything else is -1. */
int iso_month_parse(const char *s, int64_t *year, int *month);
/* day number -> "YYYY-MM-DD"; out has ISO_DATE_LEN bytes. */
void iso_date_format(int64_t days, char out[ISO_DATE_LEN]);

#endif
