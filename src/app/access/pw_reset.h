/*
 * pw_reset.h - one-time password reset links (issue 19).
 *
 * A link carries a random token (32 bytes from libsodium, 64 hex
 * characters); the database keeps only its BLAKE2b hash, so a copy of the
 * password_resets table opens nothing. A token works once, for
 * PW_RESET_TTL_S after it was made, for an active account; using it sets
 * the new password (the password policy applies: password_policy.h),
 * ends the account's sessions and spends every other link of the
 * account. At most PW_RESET_PER_HOUR links are made per account an hour
 * (more asks are answered the same but make none: nobody can flood a
 * mailbox through the public form).
 *
 * The mail that carries the link is app/ticket/account_mail.h.
 *
 * SECURITY: tokens are compared by their hash (a lookup, no secret
 * compared byte by byte); the plain token lives only in the mail and the
 * caller's memory (wiped).
 */
#ifndef SOPORTE_APP_PW_RESET_H
#define SOPORTE_APP_PW_RESET_H

#include "store/store.h"

#include <stdint.h>

#define PW_RESET_TTL_S 3600
#define PW_RESET_PER_HOUR 3
#define PW_RESET_TOKEN_LEN 65   /* 64 hex characters + NUL */

/* Why pw_reset_use refused (STORE_CONSTRAINT, the message in a sentence):
 * the link is unknown, used or expired; or the password is too weak. */
#define PW_RESET_INVALID "invalid_reset_link"
#define PW_RESET_WEAK "weak_password"

/* In the caller's transaction: a new link for user_id (requested_by: the
 * administrator who asked, 0 the person), token receiving its plain
 * text. *made is 0 (and nothing changes) when the account already had
 * PW_RESET_PER_HOUR links in the last hour. */
enum store_rc pw_reset_new(struct store *db, int64_t user_id,
                           int64_t requested_by, int64_t now,
                           char token[PW_RESET_TOKEN_LEN], int *made);

/* Uses a link: the account's new password, its sessions ended, its other
 * links spent, audited (user.password_reset), in one transaction.
 * STORE_CONSTRAINT with *refusal PW_RESET_INVALID or PW_RESET_WEAK when
 * refused (nothing changed; a weak password leaves the link usable). */
enum store_rc pw_reset_use(struct store *db, const char *token,
                           const char *password, int64_t now,
                           const char **refusal);

#endif
