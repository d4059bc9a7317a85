/*
 * holiday.c - expand holiday rules into dates (see holiday.h).
 */
#include "core/holiday.h"

#include "util/timefmt.h"

#include <string.h>

int64_t
holiday_easter(int year)
{
	/* Anonymous Gregorian algorithm (Meeus, Astronomical Algorithms). */
	int a = year % 19, b = year / 100, c = year % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int day = (h + l - 7 * m + 114) % 31 + 1;
	return days_from_civil(year, month, day);
}

static const struct holiday_set *const sets[] = {&holidays_pe};

const struct holiday_set *
holiday_set_find(const char *key)
{
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
		if (strcmp(sets[i]->key, key) == 0)
			return sets[i];
	return NULL;
}

size_t
holiday_expand(const struct holiday_set *set, int first, int last,
               struct holiday *out, size_t max)
{
	size_t n = 0;
	for (int y = first; y <= last; y++) {
		size_t year_start = n;
		int64_t easter = holiday_easter(y);
		for (size_t r = 0; r < set->nrules; r++) {
			const struct holiday_rule *rule = &set->rules[r];
			if ((rule->from_year && y < rule->from_year) ||
			    (rule->to_year && y > rule->to_year))
				continue;
			int64_t day;
			if (rule->kind == HOLIDAY_EASTER)
				day = easter + rule->offset_days;
			else if (rule->month == 2 && rule->day == 29 &&
			         days_in_month(y, 2) != 29)
				continue;
			else
				day = days_from_civil(y, rule->month, rule->day);
			if (n < max) {
				/* Insertion keeps the year sorted (a few rules). */
				size_t j = n;
				while (j > year_start && out[j - 1].day > day) {
					out[j] = out[j - 1];
					j--;
				}
				out[j].day = day;
				out[j].name_es = rule->name_es;
				out[j].name_en = rule->name_en;
			}
			n++;
		}
	}
	return n;
}
