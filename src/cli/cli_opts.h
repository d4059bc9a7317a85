/*
 * cli_opts.h - option tables for the subcommands of the bank branch
 * (contract, product, po, time, statement, cause, exclude, user).
 *
 * Every option takes a value ("--name VALUE" or "--name=VALUE"); the
 * words that are not options are positional arguments. An unknown option,
 * a missing value or too many words is a usage error (exit 64) with one
 * clear line.
 */
#ifndef SOPORTE_CLI_OPTS_H
#define SOPORTE_CLI_OPTS_H

#include <jansson.h>
#include <stdint.h>

struct cli_opt {
	const char *name;        /* "--client" */
	const char **value;      /* set when given; left alone otherwise */
};

/* Parses argv[1..argc-1]. Returns EX_OK or EX_USAGE (after saying why,
 * naming cmd). pos gets up to maxpos positional words. */
int cli_opts_parse(const char *cmd, int argc, char **argv,
                   const struct cli_opt *opts, const char **pos, int maxpos,
                   int *npos);

/* Requires an option: returns 0, or logs "cmd: --name is required" and
 * returns -1. */
int cli_need(const char *cmd, const char *name, const char *value);

/* "S/ 1,234.50" (DESIGN: amounts as Peruvian invoices write them); out
 * has 40 bytes. */
#define CLI_MONEY_MAX 64 /* MONEY_TEXT_MAX (util/money.h) */
void cli_money(int64_t cents, char out[CLI_MONEY_MAX]);

/* Prints a JSON value (indented, sorted keys, hours with few decimals)
 * and a newline. */
void cli_print_json(json_t *j);

/* A member of a JSON object the app returned: its text ("" when absent
 * or not a string), its integer (0 when absent or not an integer). */
const char *jtext(json_t *o, const char *key);
long long jint(json_t *o, const char *key);

/* Accepts 240, 000240 and #000240; returns 0 or -1. */
int cli_ticket_number(const char *s, int64_t *n);

#endif
