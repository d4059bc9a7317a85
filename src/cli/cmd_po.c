/*
 * cmd_po.c - soporte po request|override: per-event work's purchase
 * orders asked for and extended (R8; app/billing/po_hours.h).
 */
#include "app/base/desk.h"
#include "app/billing/po_hours.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "util/duration.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>

static const char request_usage[] =
    "usage: soporte po request TICKET --as USER_EMAIL [--note TEXT]\n"
    "\n"
    "Asks the client of a per-event ticket for a purchase order by mail (the\n"
    "1-hour event, the update's minimum and the hourly rate are in it); the\n"
    "ticket waits on the client, its response clock paused (R8).\n";

static const char override_usage[] =
    "usage: soporte po override --client DOMAIN --number NUMBER --hours N\n"
    "                           --reason TEXT --as PM_EMAIL\n"
    "\n"
    "A Project Manager extends a purchase order by N hours (\"2\", \"1h30m\")\n"
    "so that time beyond what it paid for can be logged on it (R8). Only a\n"
    "Project Manager may; the extension and its reason are audited.\n";

int
cmd_po_request(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "po request";
	if (cli_wants_help(argc, argv, request_usage))
		return EX_OK;
	const char *as = NULL, *note = NULL, *pos[1];
	const struct cli_opt opts[] = {
		{"--as", &as}, {"--note", &note}, {NULL, NULL},
	};
	int npos;
	int64_t number;
	int rc = cli_opts_parse(cmd, argc, argv, opts, pos, 1, &npos);
	if (rc != EX_OK)
		return rc;
	if (npos != 1 || cli_ticket_number(pos[0], &number) != 0) {
		log_error("%s: need a ticket number (try --help)", cmd);
		return EX_USAGE;
	}
	if (cli_need(cmd, "--as", as))
		return EX_USAGE;
	struct desk desk = {0};
	rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK)
		return rc;
	enum app_rc a = po_request(desk.db, &desk.pol, desk.cal, number, note, as,
	                           cli->now);
	if (a == APP_OK)
		printf("ticket #%06lld: purchase order asked for; waiting on the "
		       "client\n", (long long)number);
	else
		log_error("%s: %s", cmd, desk_errmsg(&desk));
	desk_close(&desk);
	return app_rc_exit(a);
}

int
cmd_po_override(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "po override";
	if (cli_wants_help(argc, argv, override_usage))
		return EX_OK;
	const char *client = NULL, *number = NULL, *hours = NULL,
	           *reason = NULL, *as = NULL;
	const struct cli_opt opts[] = {
		{"--client", &client}, {"--number", &number}, {"--hours", &hours},
		{"--reason", &reason}, {"--as", &as}, {NULL, NULL},
	};
	int npos;
	int rc = cli_opts_parse(cmd, argc, argv, opts, NULL, 0, &npos);
	if (rc != EX_OK)
		return rc;
	if (cli_need(cmd, "--client", client) ||
	    cli_need(cmd, "--number", number) ||
	    cli_need(cmd, "--hours", hours) || cli_need(cmd, "--reason", reason) ||
	    cli_need(cmd, "--as", as))
		return EX_USAGE;
	int64_t hours_s;
	char *end;
	long h = strtol(hours, &end, 10);
	if (*end == '\0' && h > 0 && h <= 1000)
		hours_s = h * 3600;
	else if (duration_parse(hours, 0, &hours_s) != DURATION_OK) {
		log_error("%s: --hours '%s' is not a number of hours", cmd, hours);
		return EX_USAGE;
	}
	struct desk desk = {0};
	rc = cli_open(cli, CLI_POLICY, &desk);
	if (rc != EX_OK)
		return rc;
	struct po_use u;
	enum app_rc a = po_override(desk.db, &desk.pol, 0, client, number,
	                            hours_s, reason, as, cli->now, &u);
	if (a == APP_OK) {
		char paid[DURATION_TEXT_MAX], left[DURATION_TEXT_MAX];
		duration_format(u.paid_s, paid);
		duration_format(u.left_s, left);
		printf("purchase order %s: %s paid, %s left\n", number, paid, left);
	} else {
		log_error("%s: %s", cmd, desk_errmsg(&desk));
	}
	desk_close(&desk);
	return app_rc_exit(a);
}
