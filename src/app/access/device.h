/*
 * device.h - the "known browser" cookie of the login throttle.
 *
 * A successful login hands the browser a device cookie: the account id
 * and the issue time, with a MAC (libsodium crypto_auth, HMAC-SHA-512-256)
 * under a key derived from the desk's vault key (crypto_kdf, context
 * "sopdevck"), so only this desk can issue one and it names one account.
 * The database keeps nothing of it. When the account is under back-off
 * (guessing from elsewhere), a login that brings a valid cookie of that
 * same account is judged by the cookie's own back-off instead: a guesser
 * cannot lock the account's owner out, and a stolen cookie still guesses
 * slowly. Cookies are good for DEVICE_TTL_S after issue; every successful
 * login issues a fresh one.
 *
 * SECURITY: the cookie value is untrusted request text: decoded with
 * bounds, its MAC compared in constant time; the key never leaves here.
 */
#ifndef SOPORTE_APP_DEVICE_H
#define SOPORTE_APP_DEVICE_H

#include <stdint.h>

#define DEVICE_COOKIE_LEN 72          /* 64 base64url characters + NUL */
#define DEVICE_TTL_S (180 * 86400)

struct vault;

/* A cookie value for user_id issued at now. 0, or -1 (libsodium). */
int device_cookie_make(const struct vault *v, int64_t user_id, int64_t now,
                       char out[DEVICE_COOKIE_LEN]);
/* 1 when value is a cookie this desk issued for user_id at most
 * DEVICE_TTL_S ago (and not in the future), with *issued its issue time;
 * else 0. */
int device_cookie_check(const struct vault *v, const char *value,
                        int64_t user_id, int64_t now, int64_t *issued);

#endif
