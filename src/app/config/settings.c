/*
 * settings.c - the server's configuration file (see settings.h).
 *
 * inih does the INI syntax; a table names every key with its section and
 * where its value goes, so that a setting is one row here.
 */
#include "app/config/settings.h"
#include "app/base/outbound.h"
#include "mail/dkim.h"
#include "mail/url_login.h"
#include "util/text.h"

#include <arpa/inet.h>
#include <ini.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind {
	K_TEXT, K_URL, K_CIDRS, K_FORWARDED, K_COUNT, K_DBURL, K_LISTEN,
	K_SECRET,
};

struct key {
	const char *section, *name;
	const char *env;      /* the variable that overrides the file */
	enum kind kind;
	size_t offset;
	const char *schemes;  /* K_URL: the schemes it takes, "a|b" */
	int file;             /* the value names a file holding the value */
};

#define F(field) offsetof(struct settings, field)
static const struct key keys[] = {
	{"database", "url", "SOPORTE_DB", K_DBURL, F(db_url), NULL, 0},
	{"database", "url_file", "SOPORTE_DB_FILE", K_DBURL, F(db_url), NULL, 1},
	{"mail", "trusted_authserv_id", "SOPORTE_TRUSTED_AUTHSERV_ID", K_TEXT,
	 F(trusted_authserv_id), NULL, 0},
	{"http", "listen", "SOPORTE_LISTEN", K_LISTEN, F(listen), NULL, 0},
	{"http", "trusted_proxies", "SOPORTE_TRUSTED_PROXIES", K_CIDRS,
	 F(trusted_proxies), NULL, 0},
	{"http", "forwarded_header", "SOPORTE_FORWARDED_HEADER", K_FORWARDED,
	 F(forwarded_header), NULL, 0},
	{"http", "header_timeout", "SOPORTE_HEADER_TIMEOUT", K_COUNT,
	 F(header_timeout), NULL, 0},
	{"http", "public_url", "SOPORTE_PUBLIC_URL", K_URL, F(public_url),
	 "http|https", 0},
	{"smtp", "url", "SOPORTE_SMTP_URL", K_URL, F(smtp_url), "smtp|smtps", 0},
	{"smtp", "url_file", "SOPORTE_SMTP_URL_FILE", K_URL, F(smtp_url),
	 "smtp|smtps", 1},
	{"smtp", "user", "SOPORTE_SMTP_USER", K_TEXT, F(smtp_user), NULL, 0},
	{"smtp", "password_file", "SOPORTE_SMTP_PASSWORD_FILE", K_SECRET,
	 F(smtp_password), NULL, 1},
	{"imap", "url", "SOPORTE_IMAP_URL", K_URL, F(imap_url), "imap|imaps", 0},
	{"imap", "url_file", "SOPORTE_IMAP_URL_FILE", K_URL, F(imap_url),
	 "imap|imaps", 1},
	{"imap", "user", "SOPORTE_IMAP_USER", K_TEXT, F(imap_user), NULL, 0},
	{"imap", "password_file", "SOPORTE_IMAP_PASSWORD_FILE", K_SECRET,
	 F(imap_password), NULL, 1},
	{"branding", "company_name", "SOPORTE_COMPANY_NAME", K_TEXT,
	 F(company_name), NULL, 0},
	{"branding", "phone", "SOPORTE_PHONE", K_TEXT, F(phone), NULL, 0},
	{"branding", "address", "SOPORTE_ADDRESS", K_TEXT, F(address), NULL, 0},
	{"branding", "logo", "SOPORTE_LOGO", K_TEXT, F(logo), NULL, 0},
	{"dkim", "domain", "SOPORTE_DKIM_DOMAIN", K_TEXT, F(dkim_domain), NULL,
	 0},
	{"dkim", "selector", "SOPORTE_DKIM_SELECTOR", K_TEXT, F(dkim_selector),
	 NULL, 0},
	{"dkim", "key_file", "SOPORTE_DKIM_KEY_FILE", K_TEXT, F(dkim_key_file),
	 NULL, 0},
	{"notify", "window_minutes", "SOPORTE_NOTIFY_WINDOW_MINUTES", K_COUNT,
	 F(notify_window_minutes), NULL, 0},
	{"notify", "hourly_cap", "SOPORTE_NOTIFY_HOURLY_CAP", K_COUNT,
	 F(notify_hourly_cap), NULL, 0},
};
#undef F
#define NKEYS (sizeof keys / sizeof keys[0])

/* A whole number from 0 to 100000, or -1. */
static long
count_value(const char *v)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno || n < 0 || n > 100000)
		return -1;
	return n;
}

struct load {
	struct settings *s;
	const char *path;
	FILE *f;
	int line;      /* of the line inih is at */
	char *err;
	size_t errlen, used;
	int bad;
	char where[NKEYS][300]; /* where each key was last set, or "" */
	char dkim_where[300];   /* where the last [dkim] key was */
};

static void complain(struct load *l, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* One line of err: "WHERE: what". */
static void
complain(struct load *l, const char *where, const char *fmt, ...)
{
	l->bad = 1;
	if (l->used + 1 >= l->errlen)
		return;
	int n = snprintf(l->err + l->used, l->errlen - l->used, "%s: ", where);
	if (n > 0 && (size_t)n < l->errlen - l->used)
		l->used += (size_t)n;
	va_list ap;
	va_start(ap, fmt);
	n = vsnprintf(l->err + l->used, l->errlen - l->used, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < l->errlen - l->used)
		l->used += (size_t)n;
	if (l->used + 1 < l->errlen)
		l->err[l->used++] = '\n';
	l->err[l->used] = '\0';
}

/* inih's reader: one physical line per call, counted (Debian's inih does
 * not pass line numbers to the handler). */
static char *
read_line(char *buf, int size, void *user)
{
	struct load *l = user;
	char *got = fgets(buf, size, l->f);
	if (got)
		l->line++;
	return got;
}

/* A list of addresses and ranges, separated by commas or spaces, into
 * the settings' proxy list (a repeated key adds to it). */
static void
read_cidrs(struct load *l, const char *where, const struct key *k,
           const char *value)
{
	const char *p = value;
	while (*p) {
		size_t skip = strspn(p, ", \t");
		p += skip;
		size_t n = strcspn(p, ", \t");
		if (n == 0)
			break;
		char item[64];
		struct net_cidr c;
		snprintf(item, sizeof item, "%.*s", (int)(n < 63 ? n : 63), p);
		if (n >= sizeof item || net_cidr_parse(item, &c) != 0)
			complain(l, where, "[%s] %s: '%s' is not an address or range "
			         "(192.0.2.7, 10.0.0.0/8, 2001:db8::/32)", k->section,
			         k->name, item);
		else if (l->s->ntrusted_proxies >= SETTINGS_PROXIES_MAX)
			complain(l, where, "[%s] %s: more than %d entries", k->section,
			         k->name, SETTINGS_PROXIES_MAX);
		else
			l->s->trusted_proxies[l->s->ntrusted_proxies++] = c;
		p += n;
	}
}

/* "scheme://" of one of k->schemes ("a|b")? */
static int
scheme_ok(const struct key *k, const char *value)
{
	const char *p = k->schemes;
	while (*p) {
		size_t n = strcspn(p, "|");
		if (strncmp(value, p, n) == 0 && strncmp(value + n, "://", 3) == 0 &&
		    value[n + 3] != '\0')
			return 1;
		p += n + (p[n] == '|');
	}
	return 0;
}

/* ADDR:PORT with an IPv4 address (or localhost) and a port 1..65535. */
static int
listen_ok(const char *v)
{
	const char *colon = strrchr(v, ':');
	if (colon == NULL || colon == v || (size_t)(colon - v) >= 64)
		return 0;
	char host[64], *end;
	snprintf(host, sizeof host, "%.*s", (int)(colon - v), v);
	errno = 0;
	long port = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno || port < 1 ||
	    port > 65535)
		return 0;
	struct in_addr a;
	return strcmp(host, "localhost") == 0 ||
	       inet_pton(AF_INET, host, &a) == 1;
}

/* The content of a secret file, without its final line break, into out
 * (SETTINGS_TEXT_MAX); 0, or -1 with why. */
static int
read_value_file(const char *path, char *out, char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(why, whylen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	size_t n = fread(out, 1, SETTINGS_TEXT_MAX, f);
	int err = ferror(f);
	fclose(f);
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		n--;
	if (err || n >= SETTINGS_TEXT_MAX) {
		snprintf(why, whylen, "%s: %s", path,
		         err ? "cannot read it" : "longer than 255 bytes");
		return -1;
	}
	out[n] = '\0';
	if (n == 0 || memchr(out, '\n', n) != NULL || strlen(out) != n) {
		snprintf(why, whylen, "%s: %s", path,
		         n == 0 ? "is empty" : "holds more than one line");
		return -1;
	}
	return 0;
}

/* Checks value as setting k and keeps it; complains where it came from. */
static void
set_value(struct load *l, const char *where, const struct key *k,
          const char *value)
{
	char *field = (char *)l->s + k->offset;
	char content[SETTINGS_TEXT_MAX], why[PATH_MAX + 64];
	snprintf(l->where[k - keys], sizeof l->where[0], "%s", where);
	if (strcmp(k->section, "dkim") == 0)
		snprintf(l->dkim_where, sizeof l->dkim_where, "%s", where);
	if (k->file) {
		if (read_value_file(value, content, why, sizeof why) != 0) {
			complain(l, where, "[%s] %s: %s", k->section, k->name, why);
			return;
		}
		value = content;
	}
	const char *shown = k->file ? "the file's content"
	                    : url_has_password(value) ? "(a URL with a password)"
	                                              : value;
	switch (k->kind) {
	case K_TEXT:
	case K_SECRET:
		if (strlen(value) >= SETTINGS_TEXT_MAX)
			complain(l, where, "[%s] %s is too long", k->section, k->name);
		else
			strcpy(field, value);
		break;
	case K_URL: {
		size_t n = strlen(value);
		if (strcmp(k->schemes, "http|https") == 0)
			while (n > 0 && value[n - 1] == '/')
				n--;   /* "https://x/" links as "https://x/tickets/7" */
		if (!scheme_ok(k, value) || strpbrk(value, " \t\"<>") != NULL)
			complain(l, where, "[%s] %s: '%s' is not an address starting "
			         "with %s", k->section, k->name, shown,
			         strcmp(k->schemes, "http|https") == 0 ? "http:// or https://"
			         : strcmp(k->schemes, "smtp|smtps") == 0
			             ? "smtp:// or smtps://"
			             : "imap:// or imaps://");
		else if (n >= SETTINGS_TEXT_MAX)
			complain(l, where, "[%s] %s is too long", k->section, k->name);
		else
			snprintf(field, SETTINGS_TEXT_MAX, "%.*s", (int)n, value);
		break;
	}
	case K_DBURL:
		if (!((strncmp(value, "sqlite:", 7) == 0 && value[7] != '\0') ||
		      strncmp(value, "postgresql://", 13) == 0 ||
		      strncmp(value, "postgres://", 11) == 0))
			complain(l, where, "[%s] %s: '%s' is not sqlite:PATH or "
			         "postgresql://...", k->section, k->name, shown);
		else if (strlen(value) >= SETTINGS_TEXT_MAX)
			complain(l, where, "[%s] %s is too long", k->section, k->name);
		else
			strcpy(field, value);
		break;
	case K_LISTEN:
		if (!listen_ok(value))
			complain(l, where, "[%s] %s: '%s' is not ADDR:PORT (an IPv4 "
			         "address and a port from 1 to 65535, e.g. "
			         "127.0.0.1:8080)", k->section, k->name, value);
		else
			strcpy(field, value);
		break;
	case K_CIDRS:
		read_cidrs(l, where, k, value);
		break;
	case K_FORWARDED:
		if (strcmp(value, "x-forwarded-for") == 0)
			l->s->forwarded_header = NET_XFF;
		else if (strcmp(value, "forwarded") == 0)
			l->s->forwarded_header = NET_FORWARDED;
		else
			complain(l, where, "[%s] %s: '%s' is neither x-forwarded-for "
			         "nor forwarded", k->section, k->name, value);
		break;
	case K_COUNT: {
		long n = count_value(value);
		if (n < 0)
			complain(l, where, "[%s] %s must be a whole number from 0 "
			         "to 100000", k->section, k->name);
		else
			*(long *)field = n;
		break;
	}
	}
}

static int
on_key(void *user, const char *section, const char *name, const char *value)
{
	struct load *l = user;
	char where[300];
	snprintf(where, sizeof where, "%.280s:%d", l->path, l->line);
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    strcmp(keys[i].name, name) == 0) {
			set_value(l, where, &keys[i], value);
			return 1;
		}
	complain(l, where, "unknown setting [%s] %s", section, name);
	return 1;
}

/* The environment over the file: a variable set and not empty wins. */
static void
load_env(struct load *l)
{
	for (size_t i = 0; i < NKEYS; i++) {
		const char *v = getenv(keys[i].env);
		if (v == NULL || *v == '\0')
			continue;
		char where[300];
		snprintf(where, sizeof where, "$%s", keys[i].env);
		if (keys[i].kind == K_CIDRS)
			l->s->ntrusted_proxies = 0;   /* replaces the file's list */
		set_value(l, where, &keys[i], v);
	}
}

const char *
settings_env_name(size_t i, const char **section, const char **key)
{
	if (i >= NKEYS)
		return NULL;
	*section = keys[i].section;
	*key = keys[i].name;
	return keys[i].env;
}

/* Where the first of keys [section] a, b was set ("" when neither). */
static const char *
where_of(struct load *l, const char *section, const char *a, const char *b)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, section) == 0 &&
		    (strcmp(keys[i].name, a) == 0 || strcmp(keys[i].name, b) == 0) &&
		    l->where[i][0])
			return l->where[i];
	return "";
}

/* [smtp], [imap]: the login goes into the URL the mail code takes. */
static void
join_login(struct load *l, const char *section, char *url, const char *user,
           const char *password)
{
	if (*user == '\0' && *password == '\0')
		return;
	const char *where = where_of(l, section, "user", "password_file");
	if (*url == '\0') {
		complain(l, where, "[%s] user and password_file need [%s] url",
		         section, section);
		return;
	}
	char full[SETTINGS_TEXT_MAX];
	if (url_with_login(url, user, password, full, sizeof full) != 0)
		complain(l, where, "[%s] url with its login is not a valid URL, or "
		         "longer than %d bytes", section, SETTINGS_TEXT_MAX - 1);
	else
		strcpy(url, full);
}

void
settings_defaults(struct settings *s)
{
	memset(s, 0, sizeof *s);
	s->notify_window_minutes = 15;
	s->notify_hourly_cap = 20;
	s->header_timeout = 20;
}

/* [dkim]: all three or none; the key is read (and tried) now, so a bad
 * file stops the start, not the first send. */
static void
load_dkim(struct load *l)
{
	struct settings *s = l->s;
	int set = !!s->dkim_domain[0] + !!s->dkim_selector[0] +
	          !!s->dkim_key_file[0];
	if (set == 0)
		return;
	if (set < 3) {
		complain(l, l->dkim_where,
		         "[dkim] needs domain, selector and key_file "
		         "together (or none of them: mail goes unsigned)");
		return;
	}
	char why[512];
	s->dkim = dkim_key_load(s->dkim_domain, s->dkim_selector,
	                        s->dkim_key_file, why, sizeof why);
	if (s->dkim == NULL)
		complain(l, l->dkim_where,
		         "[dkim] key_file: %s", why);
}

void
settings_free(struct settings *s)
{
	dkim_key_free(s->dkim);
	s->dkim = NULL;
}

int
settings_load(const char *path, struct settings *s, char *err, size_t errlen)
{
	struct load l = {.s = s, .path = path ? path : "", .err = err,
	                 .errlen = errlen};
	settings_defaults(s);
	if (errlen)
		err[0] = '\0';
	if (path != NULL) {
		l.f = fopen(path, "r");
		if (l.f == NULL) {
			snprintf(err, errlen, "%s: cannot read the configuration file: "
			         "%s\n", path, strerror(errno));
			return -1;
		}
		int rc = ini_parse_stream(read_line, &l, on_key, &l);
		fclose(l.f);
		if (rc > 0) {
			char where[300];
			snprintf(where, sizeof where, "%.280s:%d", path, rc);
			complain(&l, where, "not an INI line (expected [section] or "
			         "key = value)");
		}
	}
	load_env(&l);
	join_login(&l, "smtp", s->smtp_url, s->smtp_user, s->smtp_password);
	join_login(&l, "imap", s->imap_url, s->imap_user, s->imap_password);
	if (!l.bad)
		load_dkim(&l);
	if (l.bad)
		settings_free(s);
	return l.bad ? -1 : 0;
}

static struct settings current = {.notify_window_minutes = 15,
                                  .notify_hourly_cap = 20,
                                  .header_timeout = 20};

const struct settings *
settings_current(void)
{
	return &current;
}

void
settings_set_current(const struct settings *s)
{
	if (current.dkim != s->dkim)
		settings_free(&current);
	current = *s;
	outbound_use_dkim(current.dkim);
}
