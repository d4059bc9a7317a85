/*
 * money.c - see money.h.
 */
#include "util/money.h"

#include <stdio.h>

void
money_text(int64_t cents, char out[MONEY_TEXT_MAX])
{
	char digits[32];
	const char *sign = cents < 0 ? "-" : "";
	uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	int n = snprintf(digits, sizeof digits, "%llu",
	                 (unsigned long long)(a / 100));
	char grouped[44];
	int g = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			grouped[g++] = ',';
		grouped[g++] = digits[i];
	}
	grouped[g] = '\0';
	snprintf(out, MONEY_TEXT_MAX, "%sS/ %s.%02u", sign, grouped,
	         (unsigned)(a % 100));
}
