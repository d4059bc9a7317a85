/*
 * cmd_policy.c - `soporte policy ...`: the support policy file and its
 * versions (R12).
 *
 *   soporte policy check [FILE]   every error as FILE:LINE: message,
 *                                 exit 78 (EX_CONFIG) when there are any
 *   soporte policy show [--format text|json]
 *                                 the effective policy (--policy FILE,
 *                                 $SOPORTE_POLICY or the default path)
 *   soporte policy load           record it as a version
 *   soporte policy versions       the versions, from when each is in force
 *   soporte policy notify-list    the clients to tell; --queue yes
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/base/localtime.h"
#include "app/config/policy_file.h"
#include "app/config/policy_version.h"
#include "app/ops/policy_notify.h"
#include "app/config/policy_show.h"
#include "app/billing/ticket_coverage.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "core/calendar.h"
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

static const char load_usage[] =
    "usage: soporte policy load\n"
    "\n"
    "Records the effective policy as a version of the desk (R12), when its\n"
    "content changed (by fingerprint). It is in force from its file's\n"
    "effective_from day: tickets reported from that day run under it, and\n"
    "each ticket keeps the version (and response targets) in force when it\n"
    "was reported. Then tell the clients what changed:\n"
    "soporte policy notify-list --queue yes.\n";

static const char notify_usage[] =
    "usage: soporte policy notify-list [--format table|json] [--queue yes]\n"
    "\n"
    "Lists the clients to tell of the effective policy version (R12): those\n"
    "with a contract valid today or with open tickets, with their contacts'\n"
    "addresses and whether they were told already. --queue yes queues the\n"
    "notice (templates/LANG/policy_change.txt) to every contact of each\n"
    "client not told yet; running it again queues nothing.\n";

static int
policy_load_cmd(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, load_usage))
		return EX_OK;
	if (argc > 1) {
		fputs(load_usage, stderr);
		return EX_USAGE;
	}
	struct policy *p = malloc(sizeof *p);
	struct desk desk = {0};
	if (p == NULL) {
		log_error("out of memory");
		return EX_SOFTWARE;
	}
	int ex = cli_load_policy(cli, p);
	if (ex == EX_OK)
		ex = desk_open(&desk, cli->db_url);
	if (ex == EX_OK) {
		int64_t id = 0;
		int is_new = 0;
		enum app_rc a = policy_record(desk.db, p, cli->now, &id,
		                              &is_new);
		char from[LOCAL_DATE_LEN];
		local_date_dmy(p->effective_from, from);
		if (a == APP_OK)
			printf("policy %s (%.16s): %s version %lld, in force from %s\n",
			       p->version, p->fingerprint,
			       is_new ? "recorded as new" : "already", (long long)id,
			       from);
		else
			log_error("policy load: %s", desk_errmsg(&desk));
		ex = app_rc_exit(a);
	}
	desk_close(&desk);
	free(p);
	return ex;
}

static int
policy_notify_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "policy notify-list";
	if (cli_wants_help(argc, argv, notify_usage))
		return EX_OK;
	const char *format = NULL, *queue = NULL;
	const struct cli_opt opts[] = {
		{"--format", &format}, {"--queue", &queue}, {NULL, NULL},
	};
	int npos;
	int ex = cli_opts_parse(cmd, argc, argv, opts, NULL, 0, &npos);
	if (ex != EX_OK)
		return ex;
	int json = format && strcmp(format, "json") == 0;
	if ((format && !json && strcmp(format, "table") != 0) ||
	    (queue && strcmp(queue, "yes") != 0)) {
		log_error("%s: --format is table or json; --queue takes yes", cmd);
		return EX_USAGE;
	}
	struct policy *p = malloc(sizeof *p);
	struct desk desk = {0};
	json_t *list = NULL;
	if (p == NULL) {
		log_error("out of memory");
		return EX_SOFTWARE;
	}
	ex = cli_load_calendar(cli, p, &desk.cal);
	if (ex == EX_OK)
		ex = desk_open(&desk, cli->db_url);
	if (ex != EX_OK)
		goto out;
	int64_t today = local_day_of(desk.cal, cli->now);
	enum app_rc a = APP_OK;
	if (queue) {
		int clients = 0, mails = 0;
		a = policy_notify_queue(desk.db, p, today, cli->now, &clients,
		                        &mails);
		if (a == APP_OK)
			log_info("%s: %d client%s told of policy %s (%d mail%s queued)",
			         cmd, clients, clients == 1 ? "" : "s", p->version, mails,
			         mails == 1 ? "" : "s");
	}
	if (a == APP_OK)
		a = policy_notify_json(desk.db, p, today, cli->now, &list);
	if (a != APP_OK) {
		log_error("%s: %s", cmd, desk_errmsg(&desk));
		ex = app_rc_exit(a);
		goto out;
	}
	if (json) {
		cli_print_json(list);
		goto out;
	}
	printf("Policy %s (%.16s), previous %s\n", p->version, p->fingerprint,
	       json_is_string(json_object_get(list, "previous_version"))
	           ? json_string_value(json_object_get(list, "previous_version"))
	           : "none");
	printf("%-24s %-8s %-6s %-8s %s\n", "CLIENT", "CONTRACT", "OPEN",
	       "TOLD", "CONTACTS");
	size_t i, j;
	json_t *c, *ct;
	json_array_foreach(json_object_get(list, "clients"), i, c) {
		printf("%-24.24s %-8s %-6lld %-8s",
		       json_string_value(json_object_get(c, "client_domain")),
		       json_is_true(json_object_get(c, "valid_contract")) ? "valid" : "-",
		       (long long)json_integer_value(json_object_get(c, "open_tickets")),
		       json_is_true(json_object_get(c, "notified")) ? "yes" : "no");
		json_array_foreach(json_object_get(c, "contacts"), j, ct)
			printf("%s%s", j ? ", " : " ",
			       json_string_value(json_object_get(ct, "email")));
		putchar('\n');
	}
out:
	json_decref(list);
	desk_close(&desk);
	free(p);
	return ex;
}

static const char versions_usage[] =
    "usage: soporte policy versions [--format table|json]\n"
    "\n"
    "Lists the policy versions the desk has recorded (R12), newest first:\n"
    "the day each is in force from (dd/mm/aaaa), its response targets,\n"
    "how many tickets run under it, and which one is in force today (the\n"
    "one a ticket reported now runs under) and which one this file is.\n";

static int
policy_versions_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "policy versions";
	if (cli_wants_help(argc, argv, versions_usage))
		return EX_OK;
	const char *format = NULL;
	const struct cli_opt opts[] = {{"--format", &format}, {NULL, NULL}};
	int npos;
	int ex = cli_opts_parse(cmd, argc, argv, opts, NULL, 0, &npos);
	if (ex != EX_OK)
		return ex;
	int json = format && strcmp(format, "json") == 0;
	if (format && !json && strcmp(format, "table") != 0) {
		log_error("%s: --format is table or json", cmd);
		return EX_USAGE;
	}
	struct desk *d = calloc(1, sizeof *d);
	if (d == NULL) {
		log_error("out of memory");
		return EX_SOFTWARE;
	}
	ex = cli_open(cli, CLI_CALENDAR, d);
	if (ex != EX_OK) {
		free(d);
		return ex;
	}
	json_t *list = NULL;
	enum store_rc rc = policy_versions_json(d->db, d->cal, &d->pol, cli->now,
	                                        0, 1000, &list);
	if (rc != STORE_OK) {
		log_error("%s: %s", cmd, desk_errmsg(d));
		ex = app_rc_exit(app_of_store(rc));
	} else if (json) {
		cli_print_json(list);
	} else {
		printf("%-4s %-16s %-10s %-14s %-7s %s\n", "ID", "VERSION", "FROM",
		       "TARGETS (h)", "TICKETS", "");
		size_t i;
		json_t *v;
		json_array_foreach(list, i, v) {
			char targets[64] = "";
			json_t *t = json_object_get(v, "response_targets_s");
			for (size_t k = 0; k < json_array_size(t); k++) {
				json_t *x = json_array_get(t, k);
				size_t n = strlen(targets);
				if (json_is_integer(x))
					snprintf(targets + n, sizeof targets - n, "%s%lld",
					         k ? "/" : "",
					         (long long)(json_integer_value(x) / 3600));
				else
					snprintf(targets + n, sizeof targets - n, "%s?",
					         k ? "/" : "");
			}
			printf("%-4lld %-16.16s %-10s %-14s %-7lld %s%s\n",
			       (long long)json_integer_value(json_object_get(v, "id")),
			       json_string_value(json_object_get(v, "version")),
			       json_string_value(json_object_get(v, "effective_from_local")),
			       targets,
			       (long long)json_integer_value(json_object_get(v, "tickets")),
			       json_is_true(json_object_get(v, "in_force")) ? "in force"
			                                                     : "",
			       json_is_true(json_object_get(v, "running")) ? " (this file)"
			                                                    : "");
		}
	}
	json_decref(list);
	desk_close(d);
	free(d);
	return ex;
}

static const struct cli_cmd policy_cmds[] = {
	{"check", "check a policy file, every error with its line", policy_check},
	{"show", "print the effective policy (text or json)", policy_show},
	{"load", "record the effective policy as a version (R12)",
	 policy_load_cmd},
	{"notify-list", "clients to tell of a policy change; --queue yes",
	 policy_notify_cmd},
	{"versions", "the recorded versions, from when each is in force (R12)",
	 policy_versions_cmd},
	{NULL, NULL, NULL},
};

int
cmd_policy(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, "policy", policy_cmds, argc, argv);
}
