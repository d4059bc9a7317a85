/*
 * account_mail.h - mail to an account holder that is about no ticket:
 * the one-time password reset link (app/access/pw_reset.h), in the
 * account's language (a client's: its client's; staff: Spanish), with
 * the console's address from the branding (app/config/branding.h).
 *
 * Asked from the login page by an address, nothing tells whether the
 * address is an account's: an unknown or inactive one, or one over the
 * hourly cap, makes no link and no mail, and answers the same.
 */
#ifndef SOPORTE_APP_ACCOUNT_MAIL_H
#define SOPORTE_APP_ACCOUNT_MAIL_H

#include "core/policy.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* The person asks, by their address: STORE_OK whatever the address. */
enum store_rc account_reset_by_email(struct store *db,
                                     const struct policy *pol,
                                     const char *email, int64_t now);

/* An administrator (admin_id; 0: the command line) asks for account
 * user_id: STORE_NOTFOUND when there is none, STORE_CONSTRAINT (with a
 * message) when it is inactive; *sent is 0 when the hourly cap held the
 * link back. */
enum store_rc account_reset_by_id(struct store *db, const struct policy *pol,
                                  int64_t user_id, int64_t admin_id,
                                  int64_t now, int *sent);

/* Renders the reset mail (template password_reset) in lang for name,
 * with the link url; 0 or -1 (err says why). */
int account_reset_render(const struct policy *pol, const char *lang,
                         const char *name, const char *url, char **subject,
                         char **body, char *err, size_t errlen);

#endif
