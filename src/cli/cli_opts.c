/*
 * cli_opts.c - option tables and small printers (see cli_opts.h).
 */
#include "cli/cli_opts.h"
#include "cli/cli.h"
#include "util/log.h"
#include "util/money.h"
#include "util/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

int
cli_opts_parse(const char *cmd, int argc, char **argv,
               const struct cli_opt *opts, const char **pos, int maxpos,
               int *npos)
{
	*npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--", 2) != 0 || strcmp(a, "--") == 0) {
			if (strcmp(a, "--") == 0 && ++i >= argc)
				break;
			if (*npos == maxpos) {
				log_error("%s: unexpected '%s' (try --help)", cmd, argv[i]);
				return EX_USAGE;
			}
			pos[(*npos)++] = argv[i];
			continue;
		}
		const struct cli_opt *o = NULL;
		const char *val = NULL;
		for (const struct cli_opt *p = opts; p && p->name && !o; p++) {
			size_t n = strlen(p->name);
			if (strcmp(a, p->name) == 0) {
				o = p;
				if (i + 1 >= argc) {
					log_error("%s: %s needs a value", cmd, p->name);
					return EX_USAGE;
				}
				val = argv[++i];
			} else if (strncmp(a, p->name, n) == 0 && a[n] == '=') {
				o = p;
				val = a + n + 1;
			}
		}
		if (o == NULL) {
			log_error("%s: unknown option '%s' (try --help)", cmd, a);
			return EX_USAGE;
		}
		*o->value = val;
	}
	return EX_OK;
}

int
cli_need(const char *cmd, const char *name, const char *value)
{
	if (value && *value)
		return 0;
	log_error("%s: %s is required (try --help)", cmd, name);
	return -1;
}

void
cli_money(int64_t cents, char out[CLI_MONEY_MAX])
{
	money_text(cents, out);
}

void
cli_print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS |
	                          JSON_REAL_PRECISION(12));
	putchar('\n');
}

const char *
jtext(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

long long
jint(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

int
cli_ticket_number(const char *s, int64_t *n)
{
	if (*s == '#')
		s++;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v <= 0)
		return -1;
	*n = v;
	return 0;
}

void
cli_warn_url_password(const char *option, const char *url,
                      const char *instead)
{
	if (url_has_password(url))
		log_warn("%s: a password on the command line is visible to every "
		         "user of this machine (ps); put the URL in the "
		         "configuration file or a file named by $%s instead",
		         option, instead);
}
