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

/*
 * Listings whose columns are the object's keys, in the query's order.
 * A key's first character says how its column reads and is not part of
 * the key: '#' an integer, '?' a boolean, '@' an instant (json_set_time:
 * ISO-8601 UTC, and key_local with a calendar); any other key is text. A
 * NULL column is null. Keys are literals of the code (as json_put's).
 */
json_t *json_row_object(struct store_rows *r, const struct calendar *cal,
                        const char *const *keys, int nkeys);
/* Runs sql: *out is a new array of its rows as json_row_object(), or
 * NULL when the store failed (the result). */
enum store_rc json_rows(struct store *db, const struct calendar *cal,
                        const char *sql, const struct store_param *p, int np,
                        const char *const *keys, int nkeys, json_t **out);

#endif
