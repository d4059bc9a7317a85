/*
 * settings.h - the server's own configuration file (soporte.conf).
 *
 * The policy file says what the desk promises its clients (versioned,
 * audited, R12); this file says how this installation runs: which mail
 * headers it trusts, how it signs its mail, which proxies stand in front
 * of it. It is an INI file given by --config FILE or $SOPORTE_CONFIG;
 * without one every setting has its default. An unknown section or key,
 * or a value of the wrong kind, is a configuration error naming the line
 * (exit 78), never ignored.
 *
 *   [mail]
 *   trusted_authserv_id = mx.prodequa.example   ; RFC 8601 authserv-id of
 *                                                ; our own MTA's
 *                                                ; Authentication-Results
 *   [http]
 *   trusted_proxies = 10.0.0.5, 2001:db8:1::/48  ; peers whose forwarding
 *                                                ; header names the client
 *   forwarded_header = x-forwarded-for           ; or: forwarded (RFC 7239)
 *   header_timeout = 20             ; seconds for a request's whole headers
 *                                   ; (slow senders closed), 0: no limit
 *   public_url = https://soporte.prodequa.example ; where people open the
 *                                                ; console: links in mail
 *                                                ; (default: the serve
 *                                                ; default, 127.0.0.1:8080)
 *   [branding]                      ; who signs the mail clients read
 *   company_name = PRODEQUA S.A.C.  ; default: the policy's name before
 *                                   ; " - " (its title after it)
 *   phone = 01 277 5569             ; default: the policy's [contact] phone
 *   [dkim]                          ; sign outgoing mail (all three or none)
 *   domain = prodequa.example       ; d=, aligned with the From domain
 *   selector = soporte2026          ; s=: TXT at soporte2026._domainkey.DOMAIN
 *   key_file = /etc/soporte/dkim.pem ; RSA private key (PEM), readable by
 *                                    ; the desk only; checked at start
 *   [notify]                        ; mail to staff about their tickets
 *   window_minutes = 15             ; one mail per person per ticket per
 *                                   ; window, later events in one digest
 *   hourly_cap = 20                 ; then one "N more updates" digest
 *
 *   [database] url = sqlite:/var/lib/soporte/soporte.db   ; or postgresql://
 *   [database] url_file = /etc/soporte/db-url  ; the URL from a file (secret)
 *   [http] listen = 127.0.0.1:8080  ; where `soporte serve` listens
 *   [smtp] url = smtp://relay:587   ; where queued mail goes (smtps://)
 *   [smtp] user, password_file      ; its login: the password from a file
 *   [imap] url, user, password_file ; the mailbox `soporte fetchmail` polls
 *
 * Each setting is one row of the key table in settings.c: add a field
 * below and a row there. Every row has an environment variable that
 * overrides the file (SOPORTE_DB, SOPORTE_LISTEN, SOPORTE_SMTP_URL, ...:
 * settings_env_name()); a *_file key (and its *_FILE variable) names a
 * file whose content is the value, so secrets stay off command lines
 * and out of the file itself.
 *
 * SECURITY: the file is the operator's (trusted), still parsed strictly.
 */
#ifndef SOPORTE_APP_SETTINGS_H
#define SOPORTE_APP_SETTINGS_H

#include "util/netaddr.h"

#include <stddef.h>

#define SETTINGS_TEXT_MAX 256
#define SETTINGS_PROXIES_MAX 32

struct dkim_key;

struct settings {
	/* [mail] */
	char trusted_authserv_id[SETTINGS_TEXT_MAX]; /* "": trust none */
	/* [http] (docs/security.md (part 3)) */
	struct net_cidr trusted_proxies[SETTINGS_PROXIES_MAX]; /* none: the
	                                       peer is always the client */
	int ntrusted_proxies;
	enum net_forward_header forwarded_header;  /* the one header the
	                                       proxies write (default XFF) */
	long header_timeout;     /* seconds a request's headers may take from
	                            the connection's start or the previous
	                            answer (20; 0: only the idle timeout) */
	char public_url[SETTINGS_TEXT_MAX];  /* "": http://127.0.0.1:8080;
	                                       no trailing '/' */
	/* [branding] (app/config/branding.h): "": from the policy */
	char company_name[SETTINGS_TEXT_MAX];
	char phone[SETTINGS_TEXT_MAX];
	char address[SETTINGS_TEXT_MAX];     /* documents' header; "": none */
	char logo[SETTINGS_TEXT_MAX];        /* a PNG for documents; "": none */
	/* [dkim]: all "" (mail goes unsigned) or all set */
	char dkim_domain[SETTINGS_TEXT_MAX];
	char dkim_selector[SETTINGS_TEXT_MAX];
	char dkim_key_file[SETTINGS_TEXT_MAX];
	struct dkim_key *dkim;   /* the key read from dkim_key_file, or NULL */
	/* [notify] */
	long notify_window_minutes;   /* 15; 0: every notice goes out alone */
	long notify_hourly_cap;       /* 20; 0: no cap */
	/* [database], [http] listen, [smtp], [imap]: "" when not given (the
	 * command line, then the built-in defaults decide) */
	char db_url[SETTINGS_TEXT_MAX];
	char listen[SETTINGS_TEXT_MAX];
	char smtp_url[SETTINGS_TEXT_MAX];   /* with user and password in */
	char smtp_user[SETTINGS_TEXT_MAX];
	char smtp_password[SETTINGS_TEXT_MAX];
	char imap_url[SETTINGS_TEXT_MAX];   /* likewise */
	char imap_user[SETTINGS_TEXT_MAX];
	char imap_password[SETTINGS_TEXT_MAX];
};

/* The defaults (texts empty, window 15 minutes, cap 20 an hour). */
void settings_defaults(struct settings *s);

/* Reads path into *s (defaults first; path NULL: no file), then the
 * environment variables that override it; with [dkim] set, reads the key
 * too (s->dkim). Returns 0, or -1 with one clear line per error written
 * to err (what, where: "FILE:LINE: ..." or "$NAME: ...") and nothing
 * kept. */
int settings_load(const char *path, struct settings *s, char *err,
                  size_t errlen);

/* The environment variable of setting i of the table (0, 1, ...), its
 * section and key; NULL past the last. For `soporte config check`. */
const char *settings_env_name(size_t i, const char **section,
                              const char **key);

/* Frees what settings_load() read (the key); s keeps its texts. */
void settings_free(struct settings *s);

/* The settings this process runs with: set once at start (by main) with
 * settings_set_current(), which takes over s->dkim and hands it to the
 * outbound sender (outbound_use_dkim()); the defaults until then. */
const struct settings *settings_current(void);
void settings_set_current(const struct settings *s);

#endif
