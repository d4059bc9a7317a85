/*
 * localtime.h - instants as people in the policy's time zone read them.
 *
 * "dd/mm/aaaa HH:MM" (DESIGN.md: dates and times shown in Lima time),
 * computed from the calendar's own time zone table, not from the
 * process's TZ.
 */
#ifndef SOPORTE_APP_LOCALTIME_H
#define SOPORTE_APP_LOCALTIME_H

#include <stdint.h>

#define LOCAL_TIME_LEN 17  /* "25/11/2026 14:30" + NUL */

struct calendar;

void local_time_format(const struct calendar *cal, int64_t t,
                       char out[LOCAL_TIME_LEN]);

#define LOCAL_DATE_LEN 11  /* "01/12/2026" + NUL */

/* A civil date "YYYY-MM-DD" (a policy's effective date) as people read
 * it, "dd/mm/aaaa"; copied as it is when it is not such a date. */
void local_date_dmy(const char *iso, char out[LOCAL_DATE_LEN]);

#endif
