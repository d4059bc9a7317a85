/*
 * duration.c - typed durations (see duration.h).
 */
#include "util/duration.h"

#include <stdio.h>

#define MAX_S (1000LL * 3600)

enum duration_rc
duration_parse(const char *s, int allow_sign, int64_t *seconds)
{
	static const struct {
		char unit;
		int64_t mult;
	} units[] = {{'h', 3600}, {'m', 60}, {'s', 1}};
	int sign = 1, next = 0, parts = 0;
	int64_t total = 0;
	if (*s == '-' || *s == '+') {
		if (!allow_sign)
			return DURATION_SIGN;
		sign = *s == '-' ? -1 : 1;
		s++;
	}
	while (*s) {
		if (*s == ' ' && parts > 0) {
			s++;
			continue;
		}
		if (*s < '0' || *s > '9')
			return DURATION_SYNTAX;
		int64_t v = 0;
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (*s - '0');
			if (v > MAX_S)
				return DURATION_RANGE;
			s++;
		}
		int k = next;
		while (k < 3 && units[k].unit != *s)
			k++;
		if (k == 3)
			return DURATION_SYNTAX;
		total += v * units[k].mult;
		if (total > MAX_S)
			return DURATION_RANGE;
		next = k + 1;
		parts++;
		s++;
	}
	if (parts == 0)
		return DURATION_SYNTAX;
	if (total == 0)
		return DURATION_ZERO;
	*seconds = sign * total;
	return DURATION_OK;
}

void
duration_format(int64_t seconds, char out[DURATION_TEXT_MAX])
{
	const char *sign = seconds < 0 ? "-" : "";
	int64_t a = seconds < 0 ? -seconds : seconds;
	int64_t h = a / 3600, m = a % 3600 / 60, s = a % 60;
	if (s)
		snprintf(out, DURATION_TEXT_MAX, "%s%lldh%02lldm%02llds", sign, (long long)h,
		         (long long)m, (long long)s);
	else if (h && m)
		snprintf(out, DURATION_TEXT_MAX, "%s%lldh%02lldm", sign, (long long)h, (long long)m);
	else if (h)
		snprintf(out, DURATION_TEXT_MAX, "%s%lldh", sign, (long long)h);
	else
		snprintf(out, DURATION_TEXT_MAX, "%s%lldm", sign, (long long)m);
}
