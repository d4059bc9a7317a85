/*
 * throttle.h - the login throttle's counters (table login_throttle).
 *
 * Two kinds of key:
 *   back-off (an account 'user:EMAIL', a known browser 'device:ID:T'):
 *     the first THROTTLE_FREE failures cost nothing; after that each
 *     failure makes the key wait THROTTLE_BASE_S, doubled per further
 *     failure, up to THROTTLE_MAX_S, counted from the last failure. A day
 *     without failures forgets the key.
 *   window (a client address 'addr:IP', IPv6 per /64): at most
 *     THROTTLE_ADDR_MAX failures in THROTTLE_WINDOW_S from the window's
 *     first failure; then it waits for the window's end.
 * A waiting key's attempts are refused without checking the password
 * and are not counted. The state is in the database, so several servers
 * agree; one statement updates a key; rows untouched for a day are
 * deleted on the next failure (bounded by the last day's keys).
 */
#ifndef SOPORTE_APP_THROTTLE_H
#define SOPORTE_APP_THROTTLE_H

#include "store/store.h"

#include <stdint.h>

#define THROTTLE_FREE 5
#define THROTTLE_BASE_S 30
#define THROTTLE_MAX_S 3600
#define THROTTLE_FORGET_S 86400
#define THROTTLE_ADDR_MAX 30
#define THROTTLE_WINDOW_S (15 * 60)

enum throttle_kind { THROTTLE_BACKOFF, THROTTLE_WINDOW };

/* *wait receives the seconds key must still wait (0: it may try). */
enum store_rc throttle_wait(struct store *db, const char *key,
                            enum throttle_kind kind, int64_t now,
                            int64_t *wait);
/* Counts a failure for key. */
enum store_rc throttle_fail(struct store *db, const char *key,
                            enum throttle_kind kind, int64_t now);
/* Forgets key (a successful login). */
enum store_rc throttle_clear(struct store *db, const char *key);

#endif
