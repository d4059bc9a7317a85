/*
 * settings.c - the server's configuration file (see settings.h).
 *
 * inih does the INI syntax; a table names every key with its section and
 * where its value goes, so that a setting is one row here.
 */
#include "app/config/settings.h"
#include "app/base/outbound.h"
#include "mail/dkim.h"

#include <ini.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_TEXT, K_URL, K_CIDRS, K_FORWARDED, K_COUNT };

struct key {
	const char *section, *name;
	enum kind kind;
	size_t offset;
};

static const struct key keys[] = {
	{"mail", "trusted_authserv_id", K_TEXT,
	 offsetof(struct settings, trusted_authserv_id)},
	{"http", "trusted_proxies", K_CIDRS,
	 offsetof(struct settings, trusted_proxies)},
	{"http", "forwarded_header", K_FORWARDED,
	 offsetof(struct settings, forwarded_header)},
	{"http", "header_timeout", K_COUNT,
	 offsetof(struct settings, header_timeout)},
	{"http", "public_url", K_URL, offsetof(struct settings, public_url)},
	{"branding", "company_name", K_TEXT,
	 offsetof(struct settings, company_name)},
	{"branding", "phone", K_TEXT, offsetof(struct settings, phone)},
	{"branding", "address", K_TEXT, offsetof(struct settings, address)},
	{"branding", "logo", K_TEXT, offsetof(struct settings, logo)},
	{"dkim", "domain", K_TEXT, offsetof(struct settings, dkim_domain)},
	{"dkim", "selector", K_TEXT, offsetof(struct settings, dkim_selector)},
	{"dkim", "key_file", K_TEXT, offsetof(struct settings, dkim_key_file)},
	{"notify", "window_minutes", K_COUNT,
	 offsetof(struct settings, notify_window_minutes)},
	{"notify", "hourly_cap", K_COUNT,
	 offsetof(struct settings, notify_hourly_cap)},
};

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
	int dkim_line; /* of the last [dkim] key */
	char *err;
	size_t errlen, used;
	int bad;
};

static void complain(struct load *l, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
complain(struct load *l, int line, const char *fmt, ...)
{
	l->bad = 1;
	if (l->used + 1 >= l->errlen)
		return;
	int n = snprintf(l->err + l->used, l->errlen - l->used, "%s:%d: ",
	                 l->path, line);
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
read_cidrs(struct load *l, int line, const char *section, const char *name,
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
			complain(l, line, "[%s] %s: '%s' is not an address or range "
			         "(192.0.2.7, 10.0.0.0/8, 2001:db8::/32)", section, name,
			         item);
		else if (l->s->ntrusted_proxies >= SETTINGS_PROXIES_MAX)
			complain(l, line, "[%s] %s: more than %d entries", section, name,
			         SETTINGS_PROXIES_MAX);
		else
			l->s->trusted_proxies[l->s->ntrusted_proxies++] = c;
		p += n;
	}
}

static int
on_key(void *user, const char *section, const char *name, const char *value)
{
	struct load *l = user;
	int line = l->line;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const struct key *k = &keys[i];
		if (strcmp(k->section, section) != 0 || strcmp(k->name, name) != 0)
			continue;
		char *field = (char *)l->s + k->offset;
		if (strcmp(section, "dkim") == 0)
			l->dkim_line = line;
		switch (k->kind) {
		case K_TEXT:
			if (strlen(value) >= SETTINGS_TEXT_MAX)
				complain(l, line, "[%s] %s is too long", section, name);
			else
				strcpy(field, value);
			break;
		case K_URL: {
			size_t n = strlen(value);
			while (n > 0 && value[n - 1] == '/')
				n--;   /* "https://x/" links as "https://x/tickets/7" */
			if ((strncmp(value, "https://", 8) != 0 &&
			     strncmp(value, "http://", 7) != 0) ||
			    strpbrk(value, " \t\"<>") != NULL)
				complain(l, line, "[%s] %s: '%s' is not an http:// or "
				         "https:// address", section, name, value);
			else if (n >= SETTINGS_TEXT_MAX)
				complain(l, line, "[%s] %s is too long", section, name);
			else
				snprintf(field, SETTINGS_TEXT_MAX, "%.*s", (int)n, value);
			break;
		}
		case K_CIDRS:
			read_cidrs(l, line, section, name, value);
			break;
		case K_FORWARDED:
			if (strcmp(value, "x-forwarded-for") == 0)
				l->s->forwarded_header = NET_XFF;
			else if (strcmp(value, "forwarded") == 0)
				l->s->forwarded_header = NET_FORWARDED;
			else
				complain(l, line, "[%s] %s: '%s' is neither x-forwarded-for "
				         "nor forwarded", section, name, value);
			break;
		case K_COUNT: {
			long n = count_value(value);
			if (n < 0)
				complain(l, line, "[%s] %s must be a whole number from 0 "
				         "to 100000", section, name);
			else
				*(long *)field = n;
			break;
		}
		}
		return 1;
	}
	complain(l, line, "unknown setting [%s] %s", section, name);
	return 1;
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
		complain(l, l->dkim_line, "[dkim] needs domain, selector and key_file "
		         "together (or none of them: mail goes unsigned)");
		return;
	}
	char why[512];
	s->dkim = dkim_key_load(s->dkim_domain, s->dkim_selector,
	                        s->dkim_key_file, why, sizeof why);
	if (s->dkim == NULL)
		complain(l, l->dkim_line, "[dkim] key_file: %s", why);
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
	struct load l = {s, path, NULL, 0, 0, err, errlen, 0, 0};
	settings_defaults(s);
	if (errlen)
		err[0] = '\0';
	l.f = fopen(path, "r");
	if (l.f == NULL) {
		snprintf(err, errlen, "%s: cannot read the configuration file: %s\n",
		         path, strerror(errno));
		return -1;
	}
	int rc = ini_parse_stream(read_line, &l, on_key, &l);
	fclose(l.f);
	if (rc > 0)
		complain(&l, rc,
		         "not an INI line (expected [section] or key = value)");
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
