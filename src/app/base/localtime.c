/*
 * localtime.c - instants in the calendar's zone (see localtime.h).
 */
#include "app/base/localtime.h"
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
	if (y < 0 || y > 9999) {   /* as printf would, cut to the length */
		char tmp[64];
		snprintf(tmp, sizeof tmp, "%02d/%02d/%04d %02d:%02d", d, m,
		         (int)y, (int)(sod / 3600), (int)(sod / 60 % 60));
		memcpy(out, tmp, LOCAL_TIME_LEN - 1);
		out[LOCAL_TIME_LEN - 1] = '\0';
		return;
	}
	digits_put(out, d, 2);
	out[2] = '/';
	digits_put(out + 3, m, 2);
	out[5] = '/';
	digits_put(out + 6, y, 4);
	out[10] = ' ';
	digits_put(out + 11, sod / 3600, 2);
	out[13] = ':';
	digits_put(out + 14, sod / 60 % 60, 2);
	out[LOCAL_TIME_LEN - 1] = '\0';
}

void
local_date_dmy(const char *iso, char out[LOCAL_DATE_LEN])
{
	int64_t day;
	if (iso_date_parse(iso, &day) == 0)
		snprintf(out, LOCAL_DATE_LEN, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		snprintf(out, LOCAL_DATE_LEN, "%s", iso ? iso : "");
}
