/*
 * password_policy.h - which passwords an account may have.
 *
 * Beyond the length (accounts.h: PASSWORD_MIN..PASSWORD_MAX), a password
 * is refused when it is one of the commonest passwords (the list in
 * data/common-passwords.txt, compiled into the binary), such a password
 * with digits or symbols added before or after it ("Password2024!"), or
 * when it contains the account's own e-mail name or a word of its name.
 * Comparisons ignore ASCII case.
 *
 * SECURITY: the password is untrusted text; it is only compared, never
 * copied out, logged or echoed in the reason.
 */
#ifndef SOPORTE_APP_PASSWORD_POLICY_H
#define SOPORTE_APP_PASSWORD_POLICY_H

/* NULL when password is acceptable for the account with this e-mail
 * and name (either may be NULL); else why not, one clear sentence
 * (static text). */
const char *password_weakness(const char *password, const char *email,
                              const char *name);

#endif
