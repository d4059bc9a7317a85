/*
 * cmd_policy.c - `soporte policy check|show`: the support policy file.
 *
 *   soporte policy check [FILE]   every error as FILE:LINE: message,
 *                                 exit 78 (EX_CONFIG) when there are any
 *   soporte policy show [--format text|json]
 *                                 the effective policy (--policy FILE,
 *                                 $SOPORTE_POLICY or the default path)
 */
#include "app/policy_file.h"
#include "app/policy_show.h"
#include "cli/cli.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char check_usage[] =
    "usage: soporte policy check [FILE]\n"
    "\n"
    "Reads a policy file and prints every error as FILE:LINE: message.\n"
    "FILE defaults to --policy, $SOPORTE_POLICY, policy/prodequa.ini, or\n"
    "the installed policy. Exit 0 when the file is valid (one OK line),\n"
    "78 when it has errors, 66 when it cannot be read.\n";

static const char show_usage[] =
    "usage: soporte policy show [--format text|json]\n"
    "\n"
    "Prints the effective policy (--policy FILE, $SOPORTE_POLICY,\n"
    "policy/prodequa.ini, or the installed policy), with its version\n"
    "fingerprint. --format json prints it as one JSON object.\n";

/* Loads path, printing errors. Returns EX_OK, EX_CONFIG, EX_NOINPUT or
 * EX_SOFTWARE (out of memory). */
static int
load(const char *path, struct policy *p)
{
	struct policy_diag *d = malloc(sizeof *d);
	if (d == NULL) {
		log_error("out of memory");
		return EX_SOFTWARE;
	}
	enum policy_load_rc rc = policy_load(path, p, d);
	int ex = EX_OK;
	switch (rc) {
	case POLICY_LOAD_OK:
		break;
	case POLICY_LOAD_INVALID:
		policy_diag_print(d, stderr);
		fprintf(stderr, "%s: %d error%s\n", path, d->count,
		        d->count == 1 ? "" : "s");
		ex = EX_CONFIG;
		break;
	case POLICY_LOAD_IO:
		policy_diag_print(d, stderr);
		ex = EX_NOINPUT;
		break;
	case POLICY_LOAD_NOMEM:
		log_error("%s: out of memory", path);
		ex = EX_SOFTWARE;
		break;
	}
	free(d);
	return ex;
}

static int
policy_check(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, check_usage))
		return EX_OK;
	if (argc > 2 || (argc == 2 && argv[1][0] == '-' && argv[1][1] != '\0')) {
		fputs(check_usage, stderr);
		return EX_USAGE;
	}
	const char *path = policy_default_path(argc == 2 ? argv[1] :
	                                       cli->policy_path);
	struct policy *p = malloc(sizeof *p);
	if (p == NULL) {
		log_error("out of memory");
		return EX_SOFTWARE;
	}
	int ex = load(path, p);
	if (ex == EX_OK)
		printf("%s: OK: policy %s, %d severities, %d plans, %d product "
		       "types, %d exclusions, fingerprint %.16s\n", path,
		       p->version, POLICY_SEVERITIES, p->nplans, p->nproduct_types,
		       p->nexclusions, p->fingerprint);
	free(p);
	return ex;
}

static int
policy_show(struct cli *cli, int argc, char **argv)
{
	const char *format = "text";
	if (cli_wants_help(argc, argv, show_usage))
		return EX_OK;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			format = argv[++i];
		else if (strncmp(argv[i], "--format=", 9) == 0)
			format = argv[i] + 9;
		else {
			fputs(show_usage, stderr);
			return EX_USAGE;
		}
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		log_error("policy show: unknown format '%s' (want text or json)",
		          format);
		return EX_USAGE;
	}
	const char *path = policy_default_path(cli->policy_path);
	struct policy *p = malloc(sizeof *p);
	if (p == NULL) {
		log_error("out of memory");
		return EX_SOFTWARE;
	}
	int ex = load(path, p);
	if (ex != EX_OK)
		goto out;
	if (strcmp(format, "text") == 0) {
		printf("Archivo / file: %s\n", path);
		policy_print_text(p, stdout);
		goto out;
	}
	json_t *j = policy_to_json(p, 1);
	if (j == NULL || json_dumpf(j, stdout, JSON_INDENT(2) | JSON_SORT_KEYS)
	    != 0) {
		log_error("policy show: out of memory");
		ex = EX_SOFTWARE;
	} else {
		putchar('\n');
	}
	json_decref(j);
out:
	free(p);
	return ex;
}

static const struct cli_cmd policy_cmds[] = {
	{"check", "check a policy file, every error with its line", policy_check},
	{"show", "print the effective policy (text or json)", policy_show},
	{NULL, NULL, NULL},
};

int
cmd_policy(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, "policy", policy_cmds, argc, argv);
}
