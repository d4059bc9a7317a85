/*
 * money.h - amounts as people read them: "S/ 1,234.50" (DESIGN.md:
 * soles, as Peruvian invoices write them). Money is integer cents.
 */
#ifndef SOPORTE_UTIL_MONEY_H
#define SOPORTE_UTIL_MONEY_H

#include <stdint.h>

#define MONEY_TEXT_MAX 64

void money_format(int64_t cents, char out[MONEY_TEXT_MAX]);

#endif
