/*
 * cmd_remote.c - soporte remote schedule|start|end|list: remote sessions
 * on a ticket (R11); the rules are in app/billing/remote_sessions.c.
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/billing/remote_sessions.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "util/log.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: soporte remote schedule TICKET --at YYYY-MM-DDTHH:MM:SSZ\n"
    "                               [--minutes N] --as USER_EMAIL\n"
    "       soporte remote start SESSION --as USER_EMAIL\n"
    "       soporte remote end SESSION --as USER_EMAIL\n"
    "       soporte remote list TICKET\n"
    "\n"
    "Remote sessions on the client's equipment (R11). schedule records one\n"
    "(default 60 minutes) and mails the client its time and that the user\n"
    "must not use the equipment meanwhile; start and end log it (consultant,\n"
    "start, end); the end logs its time to the hour bank (R8).\n";

/* nwant 1: a ticket number; 2: a session number. */
static int
remote_run(struct cli *cli, const char *cmd, int argc, char **argv,
           int nwant)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	const char *at = NULL, *minutes = NULL, *as = NULL, *pos[2];
	const struct cli_opt opts[] = {
		{"--at", &at}, {"--minutes", &minutes}, {"--as", &as}, {NULL, NULL},
	};
	int npos;
	int64_t number = 0, id = 0, when = 0, planned = 3600;
	int rc = cli_opts_parse(cmd, argc, argv, opts, pos, 1, &npos);
	if (rc != EX_OK)
		return rc;
	char *end = NULL;
	if (npos != 1 ||
	    (nwant == 1 ? cli_ticket_number(pos[0], &number) != 0
	                : (id = strtoll(pos[0], &end, 10)) <= 0 || *end)) {
		log_error("%s: need a %s number (try --help)", cmd,
		          nwant == 1 ? "ticket" : "session");
		return EX_USAGE;
	}
	int schedule = strcmp(cmd, "remote schedule") == 0;
	if (schedule) {
		if (cli_need(cmd, "--at", at))
			return EX_USAGE;
		if (iso_utc_parse(at, &when) != 0) {
			log_error("%s: --at is YYYY-MM-DDTHH:MM:SSZ", cmd);
			return EX_USAGE;
		}
		if (minutes && ((planned = strtoll(minutes, &end, 10) * 60) <= 0 ||
		                *end)) {
			log_error("%s: --minutes is a number of minutes", cmd);
			return EX_USAGE;
		}
	}
	if (strcmp(cmd, "remote list") != 0 && cli_need(cmd, "--as", as))
		return EX_USAGE;
	struct desk desk = {0};
	rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK)
		return rc;
	enum app_rc a;
	int64_t entry = 0;
	json_t *list = NULL;
	if (schedule)
		a = remote_schedule(desk.db, &desk.pol, desk.cal, number, as, when,
		                    planned, cli->now, &id);
	else if (strcmp(cmd, "remote start") == 0)
		a = remote_start(desk.db, id, as, cli->now);
	else if (strcmp(cmd, "remote end") == 0)
		a = remote_end(desk.db, &desk.pol, desk.cal, id, as, cli->now, &entry);
	else
		a = remote_list_json(desk.db, number, &list);
	if (a != APP_OK)
		log_error("%s: %s", cmd, desk_errmsg(&desk));
	else if (list)
		cli_print_json(list);
	else if (entry)
		printf("remote session %lld ended, time entry %lld\n", (long long)id,
		       (long long)entry);
	else if (schedule)
		printf("ticket #%06lld: remote session %lld scheduled\n",
		       (long long)number, (long long)id);
	else
		printf("remote session %lld started\n", (long long)id);
	json_decref(list);
	desk_close(&desk);
	return app_rc_exit(a);
}

static int
remote_schedule_cmd(struct cli *cli, int argc, char **argv)
{
	return remote_run(cli, "remote schedule", argc, argv, 1);
}
static int
remote_start_cmd(struct cli *cli, int argc, char **argv)
{
	return remote_run(cli, "remote start", argc, argv, 2);
}
static int
remote_end_cmd(struct cli *cli, int argc, char **argv)
{
	return remote_run(cli, "remote end", argc, argv, 2);
}
static int
remote_list_cmd(struct cli *cli, int argc, char **argv)
{
	return remote_run(cli, "remote list", argc, argv, 1);
}

static const struct cli_cmd remote_cmds[] = {
	{"schedule", "schedule one; mail the client (R11)", remote_schedule_cmd},
	{"start", "log its start", remote_start_cmd},
	{"end", "log its end; its time to the hour bank", remote_end_cmd},
	{"list", "a ticket's sessions as JSON", remote_list_cmd},
	{NULL, NULL, NULL},
};

int
cmd_remote(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, "remote", remote_cmds, argc, argv);
}
