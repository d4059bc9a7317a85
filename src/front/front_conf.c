/*
 * front_conf.c - the database the light front's mail gate writes to, as
 * the full program finds it (app/config/settings.h): --db, else
 * $SOPORTE_DB_FILE's content, else $SOPORTE_DB, else the configuration
 * file's [database] url or url_file (the last one written), else the
 * default. inih reads the file, as in the full program; anything the
 * front cannot settle (an unreadable file) is left to the full program,
 * which reports it.
 */
#include "front/front.h"
#include "util/paths.h"

#include <ini.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first line of path into out; 0 or -1. */
static int
first_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return -1;
	int ok = fgets(out, (int)len, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	out[strcspn(out, "\r\n")] = '\0';
	return *out ? 0 : -1;
}

struct conf {
	char *out;
	size_t len;
	int bad;
};

static int
on_key(void *user, const char *section, const char *name, const char *value)
{
	struct conf *c = user;
	if (strcmp(section, "database") != 0)
		return 1;
	if (strcmp(name, "url") == 0)
		snprintf(c->out, c->len, "%s", value);
	else if (strcmp(name, "url_file") == 0 &&
	         first_line(value, c->out, c->len) != 0)
		c->bad = 1;
	return 1;
}

int
front_db_url(const char *config, char *out, size_t len)
{
	const char *v = getenv("SOPORTE_DB_FILE");
	if (v && *v)
		return first_line(v, out, len) == 0 ? 1 : -1;
	v = getenv("SOPORTE_DB");
	if (v && *v) {
		snprintf(out, len, "%s", v);
		return 1;
	}
	if (config == NULL || *config == '\0')
		config = getenv("SOPORTE_CONFIG");
	if (config == NULL || *config == '\0')
		config = paths_get(PATHS_CONFIG);
	if (config == NULL || *config == '\0')
		return 0;
	struct conf c = {out, len, 0};
	*out = '\0';
	if (ini_parse(config, on_key, &c) < 0 || c.bad)
		return -1;
	return *out ? 1 : 0;
}
