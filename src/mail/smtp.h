/*
 * smtp.h - handing one message to an SMTP server (libcurl).
 *
 * The server is named by a URL: smtp://host:port (plain, or STARTTLS when
 * the server offers it and ?tls=required is not needed) or smtps://host:port
 * (TLS from the start); user and password may be in the URL
 * (smtp://user:pass@host:587). The envelope sender is the support address.
 *
 * Returns SMTP_OK when the server accepted the message; SMTP_TEMPFAIL for
 * anything worth retrying (cannot connect, timeout, 4xx reply);
 * SMTP_PERMFAIL when the server refused it for good (5xx). err gets one
 * line saying what happened.
 */
#ifndef SOPORTE_MAIL_SMTP_H
#define SOPORTE_MAIL_SMTP_H

#include <stddef.h>

enum smtp_rc { SMTP_OK = 0, SMTP_TEMPFAIL, SMTP_PERMFAIL };

enum smtp_rc smtp_send(const char *url, const char *from, const char *to,
                       const char *message, size_t len, char *err,
                       size_t errlen);

#endif
