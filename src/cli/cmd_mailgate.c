/*
 * cmd_mailgate.c - soporte mailgate: one message from the MTA on stdin.
 *
 * SECURITY: standard input is untrusted mail; see app/intake.h.
 * Exit codes are what an MTA pipe understands: 0 delivered (the message
 * is durably stored), 75 EX_TEMPFAIL (nothing stored: retry later),
 * 65 EX_DATAERR (refused for good: too large), 78 EX_CONFIG.
 */
#include "app/db.h"
#include "app/intake.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "util/buf.h"
#include "util/log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: soporte mailgate [--recipient ADDRESS]\n"
    "\n"
    "Reads one RFC 5322 message on standard input, the way an MTA pipe\n"
    "delivers it, stores it durably and routes it: a new ticket with its\n"
    "acknowledgment, a reply on its ticket, or a message held for review.\n"
    "  --recipient ADDRESS  the envelope recipient (Postfix: ${recipient})\n"
    "Exit status: 0 stored, 75 try again later, 65 refused (too large).\n";

/* Reads all of stdin up to the intake cap. Returns 0, 1 when too large,
 * -1 on a read error. */
static int
read_stdin(struct buf *b)
{
	char chunk[65536];
	ssize_t n;
	while ((n = read(STDIN_FILENO, chunk, sizeof chunk)) != 0) {
		if (n < 0)
			return -1;
		enum buf_rc rc = buf_append(b, chunk, (size_t)n);
		if (rc == BUF_TOO_BIG)
			return 1;
		if (rc != BUF_OK)
			return -1;
	}
	return 0;
}

int
cmd_mailgate(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	const char *recipient = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--recipient") == 0 && i + 1 < argc) {
			recipient = argv[++i];
		} else {
			log_error("mailgate: unknown option '%s' (try --help)", argv[i]);
			return EX_USAGE;
		}
	}
	struct buf msg = BUF_INIT(INTAKE_MAX_BYTES);
	int r = read_stdin(&msg);
	if (r != 0) {
		buf_free(&msg);
		log_error(r > 0 ? "mailgate: message larger than 64 MiB, refused"
		                : "mailgate: cannot read the message");
		return r > 0 ? EX_DATAERR : EX_TEMPFAIL;
	}
	struct policy pol;
	struct calendar *cal = NULL;
	struct store *db = NULL;
	int rc = cli_open_desk(cli, &pol, &cal, &db);
	if (rc != EX_OK) {
		/* Whatever is wrong, the MTA must keep the message. */
		rc = EX_TEMPFAIL;
		goto out;
	}
	struct intake in = {db, &pol, cal};
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
	store_close(db);
	calendar_free(cal);
	buf_free(&msg);
	return rc;
}
