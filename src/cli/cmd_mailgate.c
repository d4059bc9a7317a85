/*
 * cmd_mailgate.c - soporte mailgate: one message from the MTA on stdin.
 *
 * SECURITY: standard input is untrusted mail; see app/intake/intake.h.
 *
 * On a SQLite database the light front (src/front/gate.c) takes the
 * message first: it stores the raw row and either leaves it to the
 * resident worker of a running `soporte serve` or execs this program
 * with --route-raw ID to route it. Here: PostgreSQL, and what the front
 * hands over (it cannot open the database, or is asked for --help).
 * Exit codes are what an MTA pipe understands: 0 delivered (the message
 * is durably stored), 75 EX_TEMPFAIL (nothing stored: retry later),
 * 65 EX_DATAERR (refused for good: too large), 78 EX_CONFIG.
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/intake/intake.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "util/buf.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: soporte mailgate [--recipient ADDRESS]\n"
    "\n"
    "Reads one RFC 5322 message on standard input, the way an MTA pipe\n"
    "delivers it, stores it durably and routes it: a new ticket with its\n"
    "acknowledgment, a reply on its ticket, or a message held for review.\n"
    "  --recipient ADDRESS  the envelope recipient (Postfix: ${recipient})\n"
    "Exit status: 0 stored, 75 try again later, 65 refused (too large).\n";

/* Routes the raw row the light gate (src/front) stored. Rows left
 * pending before it (a gate killed before routing, a worker gone) go
 * first, in arrival order, so a reply is not routed before the message
 * that opens its ticket; a bounded number, so one delivery is not held up
 * by a long backlog. */
#define ROUTE_BACKLOG_MAX 100

static int
route_raw(struct intake *in, int64_t raw_id)
{
	enum intake_rc prc;
	intake_route_pending(in, raw_id, ROUTE_BACKLOG_MAX, 1, &prc);
	struct intake_result res;
	enum intake_rc irc = intake_route(in, raw_id, &res);
	if (irc == INTAKE_TEMPFAIL) {
		/* Stored, not routed: exit 75 so the MTA's retry (a duplicate
		 * of a pending row) routes it. */
		log_error("mailgate: stored, not routed yet: %s", res.reason);
		return EX_TEMPFAIL;
	}
	if (res.ticket_number)
		log_info("mailgate: %s #%06lld (%s)", res.disposition,
		         (long long)res.ticket_number, res.reason);
	else
		log_info("mailgate: %s (%s)", res.disposition, res.reason);
	return EX_OK;
}

int
cmd_mailgate(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	const char *recipient = NULL;
	int64_t raw_id = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--recipient") == 0 && i + 1 < argc) {
			recipient = argv[++i];
		} else if (strcmp(argv[i], "--route-raw") == 0 && i + 1 < argc &&
		           (raw_id = strtoll(argv[i + 1], NULL, 10)) > 0) {
			/* Internal: the light gate stored it already. */
			i++;
		} else {
			log_error("mailgate: unknown option '%s' (try --help)", argv[i]);
			return EX_USAGE;
		}
	}
	struct buf msg = BUF_INIT(INTAKE_MAX_BYTES);
	int r = raw_id ? 0 : msgid_read_stdin(&msg);
	if (r != 0) {
		buf_free(&msg);
		return r;
	}
	struct desk desk = {0};
	int rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK) {
		/* Whatever is wrong, the MTA must keep the message. */
		rc = EX_TEMPFAIL;
		goto out;
	}
	struct intake in = {desk.db, &desk.pol, desk.cal};
	if (raw_id) {
		rc = route_raw(&in, raw_id);
		goto out;
	}
	struct intake_result res;
	enum intake_rc irc = intake_deliver(&in, buf_str(&msg), msg.len, recipient,
	                                    cli->now, &res);
	switch (irc) {
	case INTAKE_STORED:
	case INTAKE_DUPLICATE:
		if (res.ticket_number)
			log_info("mailgate: %s #%06lld (%s)", res.disposition,
			         (long long)res.ticket_number, res.reason);
		else
			log_info("mailgate: %s (%s)", res.disposition, res.reason);
		rc = EX_OK;
		break;
	case INTAKE_TEMPFAIL:
		log_error("mailgate: not stored, try again later: %s", res.reason);
		rc = EX_TEMPFAIL;
		break;
	case INTAKE_REFUSED:
		log_error("mailgate: refused: %s", res.reason);
		rc = EX_DATAERR;
		break;
	}
out:
	desk_close(&desk);
	buf_free(&msg);
	return rc;
}
