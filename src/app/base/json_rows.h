/*
 * json_rows.h - store rows as JSON values, the way every listing of the
 * API and the CLI shows them: times as ISO-8601 UTC ("...Z") and, where a
 * person reads them, also local "dd/mm/aaaa HH:MM" (_local keys) when a
 * calendar is given.
 */
#ifndef SOPORTE_APP_JSON_ROWS_H
#define SOPORTE_APP_JSON_ROWS_H

#include "store/store.h"

#include <jansson.h>
#include <stdint.h>

struct calendar;

/* Sets o's key to v (stolen). Keys are ASCII literals of the code, never
 * request or database text, so jansson need not check them for UTF-8: a
 * ticket has some forty, and the API answers many tickets. */
void json_put(json_t *o, const char *key, json_t *v);
/* Sets key to instant t and, with a calendar, key_local to its local
 * "dd/mm/aaaa HH:MM". key is a literal of the code (ASCII, shorter than
 * 57 bytes). */
void json_set_instant(json_t *o, const struct calendar *cal, const char *key,
                      int64_t t);
/* Sets key to column col as ISO-8601 UTC (null when NULL) and, with a
 * calendar, key_local to its local "dd/mm/aaaa HH:MM". key is a literal
 * of the code (ASCII, shorter than 57 bytes; not checked for UTF-8). */
void json_set_time(json_t *o, const struct calendar *cal, const char *key,
                   struct store_rows *r, int col);
/* Column col as a JSON string, or null. */
json_t *json_text_or_null(struct store_rows *r, int col);

#endif
