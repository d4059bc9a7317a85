/*
 * money.h - amounts as Peruvian invoices write them (DESIGN): "S/ 1,234.50".
 */
#ifndef SOPORTE_UTIL_MONEY_H
#define SOPORTE_UTIL_MONEY_H

#include <stdint.h>

#define MONEY_TEXT_MAX 64

/* Writes cents as "S/ 1,234.50" ("-S/ 3.00" below zero) into out. */
void money_text(int64_t cents, char out[MONEY_TEXT_MAX]);

#endif
