/*
 * cmd_ticket_merge.c - soporte ticket merge|link: two tickets of one
 * client become one (the older number keeps both threads), or are marked
 * related (app/ticket/ticket_merge.h).
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/ticket/ticket_merge.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "util/log.h"

#include <stdio.h>
#include <string.h>

static const char merge_usage[] =
    "usage: soporte ticket merge TICKET OTHER --as STAFF_EMAIL\n"
    "\n"
    "Merges two tickets of the same client: the older number keeps the\n"
    "messages of both; the newer is closed as a duplicate and its client is\n"
    "told which ticket now holds the case. Mail that still names the newer\n"
    "number reaches the older one. Time logged stays where it was logged.\n";

static const char link_usage[] =
    "usage: soporte ticket link TICKET OTHER --as STAFF_EMAIL [--remove yes]\n"
    "\n"
    "Marks two tickets of the same client as related (both show the other);\n"
    "--remove yes takes the link away.\n";

/* Parses "TICKET OTHER --as EMAIL [extra]"; opens the desk and who acts.
 * EX_OK or the exit code (after saying why). */
static int
setup(struct cli *cli, const char *cmd, int argc, char **argv,
      const char **extra_name, const char **extra, struct desk *desk,
      struct tcmd_who *who, int64_t n[2])
{
	const char *as = NULL, *pos[2];
	struct cli_opt opts[3] = {{"--as", &as}, {NULL, NULL}, {NULL, NULL}};
	if (extra_name)
		opts[1] = (struct cli_opt){*extra_name, extra};
	int npos;
	int rc = cli_opts_parse(cmd, argc, argv, opts, pos, 2, &npos);
	if (rc != EX_OK)
		return rc;
	if (npos != 2 || cli_ticket_number(pos[0], &n[0]) != 0 ||
	    cli_ticket_number(pos[1], &n[1]) != 0) {
		log_error("%s: need two ticket numbers (try --help)", cmd);
		return EX_USAGE;
	}
	if (cli_need(cmd, "--as", as))
		return EX_USAGE;
	rc = cli_open(cli, CLI_DEADLINES, desk);
	if (rc != EX_OK)
		return rc;
	char err[512];
	enum tcmd_rc t = tcmd_who_lookup(desk->db, as, who, err, sizeof err);
	if (t != TCMD_OK) {
		log_error("%s: --as: %s", cmd, err);
		desk_close(desk);
		return t == TCMD_NOT_FOUND ? EX_NOUSER : tcmd_exit_code(t);
	}
	return EX_OK;
}

int
ticket_merge_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "ticket merge";
	if (cli_wants_help(argc, argv, merge_usage))
		return EX_OK;
	struct desk desk = {0};
	struct tcmd_who who;
	int64_t n[2];
	int rc = setup(cli, cmd, argc, argv, NULL, NULL, &desk, &who, n);
	if (rc != EX_OK)
		return rc;
	struct tcmd_env env = {desk.db, &desk.pol, desk.cal, cli->now};
	struct ticket_merge_result res;
	enum tcmd_rc t = ticket_merge(&env, n[0], n[1], &who, &res);
	if (t == TCMD_OK)
		printf("#%06lld merged into #%06lld (%d messages moved)\n",
		       (long long)res.merged, (long long)res.survivor, res.moved);
	else
		log_error("%s: %s", cmd, res.tcmd.message);
	desk_close(&desk);
	return tcmd_exit_code(t);
}

int
ticket_link_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "ticket link";
	if (cli_wants_help(argc, argv, link_usage))
		return EX_OK;
	struct desk desk = {0};
	struct tcmd_who who;
	int64_t n[2];
	const char *remove = NULL, *opt = "--remove";
	int rc = setup(cli, cmd, argc, argv, &opt, &remove, &desk, &who, n);
	if (rc != EX_OK)
		return rc;
	if (remove && strcmp(remove, "yes") != 0 && strcmp(remove, "no") != 0) {
		log_error("%s: --remove is yes or no", cmd);
		desk_close(&desk);
		return EX_USAGE;
	}
	bool rm = remove && strcmp(remove, "yes") == 0;
	struct tcmd_env env = {desk.db, &desk.pol, desk.cal, cli->now};
	struct ticket_merge_result res;
	enum tcmd_rc t = ticket_link(&env, n[0], n[1], rm, &who, &res);
	if (t == TCMD_OK)
		printf("#%06lld and #%06lld %s\n", (long long)n[0], (long long)n[1],
		       rm ? "are no longer linked" : "are linked");
	else
		log_error("%s: %s", cmd, res.tcmd.message);
	desk_close(&desk);
	return tcmd_exit_code(t);
}
