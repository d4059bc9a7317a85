/*
 * url_login.h - a mail server's URL with its login put in (libcurl's URL
 * API does the parsing and the percent-encoding).
 *
 * The configuration file keeps a password apart from the URL (a secret
 * file, [smtp] password_file); SMTP and IMAP take one URL with the login
 * in it (smtp.h, imap.h). This joins them.
 */
#ifndef SOPORTE_MAIL_URL_LOGIN_H
#define SOPORTE_MAIL_URL_LOGIN_H

#include <stddef.h>

/* url with user (when not NULL or "") and password (likewise) set, into
 * out. Returns 0, or -1 when url does not parse or out is too small. */
int url_with_login(const char *url, const char *user, const char *password,
                   char *out, size_t outlen);

#endif
