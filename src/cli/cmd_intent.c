/*
 * cmd_intent.c - soporte ticket apply-intent: a consultant applies what a
 * client's mail asked when its sender was not authenticated (R2; the
 * command is app/intake/intent_apply.h's, as the API's).
 *
 * SECURITY: argv is the operator's; --as names the staff member who
 * answers for it (audited as the actor).
 */
#include "app/base/desk.h"
#include "app/intake/intent_apply.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static const char usage[] =
    "usage: soporte ticket apply-intent NUMBER --message ID --as EMAIL\n"
    "\n"
    "A client's mail whose sender was not authenticated (no DMARC pass from\n"
    "the desk's mail server, no reply token) changes nothing by itself:\n"
    "'ticket show' marks it [unverified sender] and says what it asks\n"
    "(confirm, not_solved, raise, project_manager). Once you have checked\n"
    "with the client, this applies it as you (consultant, Project Manager\n"
    "or admin): the ticket closes as confirmed, reopens or escalates, when\n"
    "its state allows. Audited (message.intent_applied).\n"
    "Exit: 0 applied, 65 refused or no such message, 67 unknown --as.\n";

int
ticket_apply_intent_cmd(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	const char *as = NULL, *msg = NULL, *num = NULL;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cli_arg(argc, argv, &i, "--as")))
			as = v;
		else if ((v = cli_arg(argc, argv, &i, "--message")))
			msg = v;
		else if (argv[i][0] != '-' && num == NULL)
			num = argv[i];
		else {
			log_error("ticket apply-intent: unknown option '%s' (try --help)",
			          argv[i]);
			return EX_USAGE;
		}
	}
	int64_t number = 0, message_id = 0;
	if (num == NULL || msg == NULL || as == NULL ||
	    cli_ticket_number(num, &number) ||
	    cli_ticket_number(msg, &message_id)) {
		log_error("ticket apply-intent: NUMBER, --message ID and --as EMAIL "
		          "are required (try --help)");
		return EX_USAGE;
	}
	struct desk desk = {0};
	int rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK)
		return rc;
	struct tcmd_env env = {desk.db, &desk.pol, desk.cal, cli->now};
	struct tcmd_who who;
	char err[512];
	enum tcmd_rc t = tcmd_who_lookup(desk.db, as, &who, err, sizeof err);
	if (t != TCMD_OK) {
		log_error("ticket apply-intent: --as: %s", err);
		rc = t == TCMD_NOT_FOUND ? EX_NOUSER : tcmd_exit_code(t);
		goto out;
	}
	int64_t on = 0, client = 0, assignee = 0;
	enum store_rc src = intent_message_ticket(desk.db, message_id, &on,
	                                          &client, &assignee);
	if (src == STORE_OK && on != number)
		src = STORE_NOTFOUND;
	if (src != STORE_OK) {
		if (src == STORE_NOTFOUND)
			log_error("ticket apply-intent: ticket #%06lld has no incoming "
			          "message %lld", (long long)number, (long long)message_id);
		else
			log_error("ticket apply-intent: %s", desk_errmsg(&desk));
		rc = src == STORE_NOTFOUND ? EX_DATAERR : EX_TEMPFAIL;
		goto out;
	}
	struct tcmd_result res;
	t = intent_apply(&env, message_id, &who, &res);
	if (t == TCMD_OK) {
		printf("#%06lld %s (version %lld)\n", (long long)res.number,
		       wf_state_name(res.state), (long long)res.version);
		rc = EX_OK;
	} else {
		log_error("ticket apply-intent: %s", res.message);
		rc = tcmd_exit_code(t);
	}
out:
	desk_close(&desk);
	return rc;
}
