/*
 * cmd_ticket_coverage.c - soporte cause N CAUSE and soporte exclude N
 * CATEGORY: who pays for a ticket (R4) and the exclusions (R5); and
 * soporte ticket recheck N: is a ticket waiting for renewal entitled now
 * (R3).
 *
 * They are top-level commands, not "ticket cause" / "ticket exclude", so
 * that the ticket group (the lifecycle: assign, reply, close, ...) stays
 * in one file owned by the workflow; the rules are in
 * app/billing/ticket_coverage.c.
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/billing/ticket_coverage.h"
#include "app/billing/ticket_entitle.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "util/log.h"

#include <stdio.h>
#include <string.h>

static const char cause_usage[] =
    "usage: soporte cause TICKET defect|misuse|third_party_change|question\n"
    "                     [--product NAME] [--as USER_EMAIL]\n"
    "\n"
    "Sets what caused the ticket and decides again who pays (R4): a defect\n"
    "inside the warranty is free; misuse (in or out of warranty), a defect\n"
    "from a change by the client or a third party, and anything after the\n"
    "warranty go to the plan (or per event). A usage question is free inside\n"
    "the warranty. --product names the client's product when the mail did\n"
    "not tell which. Prints the coverage and its reason.\n";

static const char exclude_usage[] =
    "usage: soporte exclude TICKET training|third_party|consulting\n"
    "                       --as USER_EMAIL [--note TEXT]\n"
    "\n"
    "Closes a ticket that the policy excludes (R5): training, problems of\n"
    "third-party products (operating systems, internet, telephony, ...) or\n"
    "business consulting. The ticket is closed as \"out of coverage\" and the\n"
    "client is mailed the policy's reason (for consulting, with the offer of\n"
    "the consulting service). It is the lifecycle's close (soporte ticket\n"
    "close, reason excluded) with the policy's words and the category\n"
    "recorded. --as is the staff member closing it (a consultant must be the\n"
    "assignee); --note is kept on the ticket for staff.\n";

int
cmd_cause(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "cause";
	if (cli_wants_help(argc, argv, cause_usage))
		return EX_OK;
	const char *product = NULL, *as = NULL, *pos[2];
	const struct cli_opt opts[] = {
		{"--product", &product}, {"--as", &as}, {NULL, NULL},
	};
	int npos;
	int64_t number;
	enum cause cause;
	int rc = cli_opts_parse(cmd, argc, argv, opts, pos, 2, &npos);
	if (rc != EX_OK)
		return rc;
	if (npos != 2 || cli_ticket_number(pos[0], &number) != 0) {
		log_error("%s: need a ticket number and a cause (try --help)", cmd);
		return EX_USAGE;
	}
	if (coverage_cause_parse(pos[1], &cause) != 0) {
		log_error("%s: '%s' is not defect, misuse, third_party_change or "
		          "question", cmd, pos[1]);
		return EX_USAGE;
	}
	struct desk desk = {0};
	rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK) {
		return rc;
	}
	struct actor who = ACTOR_SYSTEM_INIT;
	struct coverage cov;
	enum pe_route route = PE_WORK;
	enum app_rc a = as ? staff_actor(desk.db, as, &who) : APP_OK;
	if (a == APP_OK)
		a = ticket_set_cause(desk.db, &desk.pol, desk.cal, number,
		                     cause, product, who,
		                     cli->now, &cov, &route);
	if (a == APP_OK)
		printf("ticket #%06lld: cause %s, coverage %s: %s\n", (long long)number,
		       coverage_cause_name(cause), coverage_charge_name(cov.charge),
		       cov.text_en);
	if (a == APP_OK && route != PE_WORK)
		printf("ticket #%06lld: %s (the client is told by mail)\n",
		       (long long)number, perevent_route_name(route));
	else
		log_error("%s: %s", cmd, desk_errmsg(&desk));
	desk_close(&desk);
	return app_rc_exit(a);
}

int
cmd_exclude(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "exclude";
	if (cli_wants_help(argc, argv, exclude_usage))
		return EX_OK;
	static const struct {
		const char *name;
		enum category cat;
	} cats[] = {
		{"training", CATEGORY_TRAINING},
		{"third_party", CATEGORY_THIRD_PARTY_PRODUCT},
		{"consulting", CATEGORY_BUSINESS_CONSULTING},
	};
	const char *note = NULL, *as = NULL, *pos[2];
	const struct cli_opt opts[] = {
		{"--note", &note}, {"--as", &as}, {NULL, NULL},
	};
	int npos;
	int64_t number;
	int rc = cli_opts_parse(cmd, argc, argv, opts, pos, 2, &npos);
	if (rc != EX_OK)
		return rc;
	if (npos != 2 || cli_ticket_number(pos[0], &number) != 0) {
		log_error("%s: need a ticket number and a category (try --help)", cmd);
		return EX_USAGE;
	}
	int k = -1;
	for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++)
		if (strcmp(cats[i].name, pos[1]) == 0)
			k = (int)i;
	if (k < 0) {
		log_error("%s: '%s' is not training, third_party or consulting", cmd,
		          pos[1]);
		return EX_USAGE;
	}
	if (cli_need(cmd, "--as", as))
		return EX_USAGE;
	struct desk desk = {0};
	rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK) {
		return rc;
	}
	struct coverage cov;
	enum app_rc a = ticket_exclude(desk.db, &desk.pol, desk.cal, number,
	                               cats[k].cat, note,
	                               as, cli->now, &cov);
	if (a == APP_OK)
		printf("ticket #%06lld: closed, out of coverage (%s): %s\n",
		       (long long)number, cats[k].name, cov.text_en);
	else
		log_error("%s: %s", cmd, desk_errmsg(&desk));
	desk_close(&desk);
	return app_rc_exit(a);
}

static const char recheck_usage[] =
    "usage: soporte ticket recheck TICKET --as USER_EMAIL\n"
    "\n"
    "Decides again, for today, whether a ticket waiting for renewal (R3) is\n"
    "entitled: a contract or purchase order recorded since, a corrected\n"
    "delivery date or warranty. When one holds the ticket goes on (assigned,\n"
    "or new and assigned as any new ticket), its response clock resumes (the\n"
    "wait for the renewal does not count) and the client is told; when none\n"
    "does it stays, and the reason is printed. Assigning the ticket does not\n"
    "take it out of renewal. `soporte contract add`, `product add` and\n"
    "`po add` recheck the client's tickets by themselves.\n";

int
ticket_recheck_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "ticket recheck";
	if (cli_wants_help(argc, argv, recheck_usage))
		return EX_OK;
	const char *as = NULL, *pos[1];
	const struct cli_opt opts[] = {{"--as", &as}, {NULL, NULL}};
	int npos;
	int64_t number;
	int rc = cli_opts_parse(cmd, argc, argv, opts, pos, 1, &npos);
	if (rc != EX_OK)
		return rc;
	if (npos != 1 || cli_ticket_number(pos[0], &number) != 0) {
		log_error("%s: need one ticket number (try --help)", cmd);
		return EX_USAGE;
	}
	if (cli_need(cmd, "--as", as))
		return EX_USAGE;
	struct desk desk = {0};
	rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK)
		return rc;
	struct tcmd_env env = {desk.db, &desk.pol, desk.cal, cli->now};
	struct tcmd_who who;
	struct tcmd_result res;
	char err[512];
	enum tcmd_rc t = tcmd_who_lookup(desk.db, as, &who, err, sizeof err);
	if (t != TCMD_OK) {
		log_error("%s: --as: %s", cmd, err);
		desk_close(&desk);
		return t == TCMD_NOT_FOUND ? EX_NOUSER : tcmd_exit_code(t);
	}
	t = ticket_recheck(&env, number, &who, &res);
	if (t == TCMD_OK)
		printf("#%06lld %s (version %lld)\n", (long long)res.number,
		       wf_state_name(res.state), (long long)res.version);
	else
		log_error("%s: %s", cmd, res.message);
	desk_close(&desk);
	return tcmd_exit_code(t);
}
