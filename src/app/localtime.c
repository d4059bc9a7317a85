/*
 * localtime.c - instants in the calendar's zone (see localtime.h).
 */
#include "app/localtime.h"
#include "core/calendar.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <string.h>

void
local_time_format(const struct calendar *cal, int64_t t,
                  char out[LOCAL_TIME_LEN])
{
	int64_t local = t + calendar_utc_offset(cal, t);
	int64_t days = (local >= 0 ? local : local - 86399) / 86400;
	int64_t sod = local - days * 86400;
	int64_t y;
	int m, d;
	civil_from_days(days, &y, &m, &d);
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%02d/%02d/%04d %02d:%02d", d, m, (int)y,
	         (int)(sod / 3600), (int)(sod / 60 % 60));
	memcpy(out, tmp, LOCAL_TIME_LEN - 1);
	out[LOCAL_TIME_LEN - 1] = '\0';
}
