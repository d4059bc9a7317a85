/*
 * cli.h - the soporte command line: shared context and subcommands.
 *
 * main.c takes the global options out of argv (--db URL, --policy FILE,
 * --now TIME for tests, --quiet), then calls the subcommand with the rest:
 * argv[0] is the subcommand's own name. A subcommand returns a sysexits
 * code and writes its errors to stderr as one clear line each.
 */
#ifndef SOPORTE_CLI_H
#define SOPORTE_CLI_H

#include <stdint.h>
#include <sysexits.h>

struct cli {
	const char *db_url;       /* --db or SOPORTE_DB or the default */
	const char *policy_path;  /* --policy or SOPORTE_POLICY or the default */
	const char *config_path;  /* --config or SOPORTE_CONFIG or the
	                             installed one; NULL: none */
	int64_t now;              /* --now / SOPORTE_NOW (tests), else time() */
	int now_fixed;            /* 1 when now was set by the test clock */
	char **argv;              /* the whole command line as given (a
	                             server's reload starts it again) */
};

typedef int cli_fn(struct cli *cli, int argc, char **argv);

struct cli_cmd {
	const char *name;
	const char *summary;
	cli_fn *run;
};

/* Returns 1 when argv holds -h or --help (and prints usage), else 0. */
int cli_wants_help(int argc, char **argv, const char *usage);
/* Runs argv[1] from a table of sub-subcommands ("policy check"). */
int cli_dispatch(struct cli *cli, const char *group,
                 const struct cli_cmd *cmds, int argc, char **argv);

struct policy;
/* Loads the policy named by --policy / $SOPORTE_POLICY / the default into
 * *out; prints every error and returns EX_CONFIG / EX_NOINPUT on failure. */
int cli_load_policy(struct cli *cli, struct policy *out);
struct calendar;
/* Loads the policy into *pol and builds its business calendar (time zone
 * from the system tz database, holidays) into *cal (calendar_free() it). */
int cli_load_calendar(struct cli *cli, struct policy *pol,
                      struct calendar **cal);
struct desk;
/* What a command needs opened, each level with the ones before it. */
enum cli_need {
	CLI_DB,        /* the database (desk_open) */
	CLI_POLICY,    /* and the policy (cli_load_policy) in d->pol */
	CLI_CALENDAR,  /* and its calendar (cli_load_calendar) in d->cal */
	CLI_DEADLINES, /* and the holidays imported into the database added to
	                  d->cal: commands that compute deadlines (mail intake,
	                  the lifecycle, time and coverage) (R6) */
};
/* Opens the desk d for a command: the policy and calendar first when
 * asked, then the database. Returns EX_OK, or a sysexits code after
 * logging why, with d closed. The caller desk_close()s d after EX_OK. */
int cli_open(struct cli *cli, enum cli_need need, struct desk *d);

cli_fn cmd_serve, cmd_migrate, cmd_demo, cmd_policy, cmd_import, cmd_ticket,
       cmd_outbound, cmd_mailgate, cmd_fetchmail, cmd_intake;
cli_fn cmd_sla, cmd_calendar;
/* The hour bank branch: contracts, time, statements, coverage (R3-R5,
 * R8, R12). */
cli_fn cmd_product, cmd_contract, cmd_po, cmd_time, cmd_statement,
       cmd_cause, cmd_exclude, cmd_user;
/* cmd_remote.c: remote sessions on a ticket (R11). */
cli_fn cmd_remote;
/* cmd_po.c: asking for a purchase order, a PM extending one (R8). */
cli_fn cmd_po_request, cmd_po_override;
/* cmd_ticket_coverage.c: a ticket waiting for renewal decided again (R3). */
cli_fn ticket_recheck_cmd;
/* cmd_ticket_merge.c: merge two tickets, link related ones. */
cli_fn ticket_merge_cmd, ticket_link_cmd;
/* cmd_triage_desk.c: soporte triage train, soporte triage models (issue
 * 17, the desk side; the "triage" group is cmd_triage.c). */
cli_fn cmd_triage_train, cmd_triage_models;
/* cmd_vault.c: the credential vault's key rotation (R11). */
cli_fn cmd_vault;
/* cmd_report.c: the month's SLA report (issue 18; R6, R7);
 * cmd_contract_doc.c: the contract document (R12). */
cli_fn cmd_report, contract_show_cmd;
/* cmd_uploads.c: uploads never attached, removed (cron). */
cli_fn cmd_uploads;
/* cmd_config.c: soporte config check [FILE]. */
cli_fn cmd_config;
/* Warns when a URL given on the command line (option) holds a password:
 * every local user sees argv; names the variable (or the configuration
 * file's *_file key) to use instead. */
void cli_warn_url_password(const char *option, const char *url,
                           const char *instead);
/* cmd_triage.c: the triage model of new mail (issue 17). */
cli_fn cmd_triage;
/* cmd_canned.c: canned replies for the reply box. */
cli_fn cmd_canned;
/* cmd_backup.c: backup and restore of a SQLite desk. */
cli_fn cmd_backup, cmd_restore;
/* cmd_flow.c: the ticket lifecycle (issue 5) and the scheduler. */
cli_fn cmd_scheduler, ticket_assign_cmd, ticket_reply_cmd, ticket_call_cmd,
    ticket_wait_cmd, ticket_attempt_cmd, ticket_solve_cmd, ticket_confirm_cmd,
    ticket_reopen_cmd, ticket_escalate_cmd, ticket_severity_cmd,
    ticket_close_cmd, ticket_open_cmd, ticket_status_cmd,
    ticket_confirm_severity_cmd;
/* cmd_intent.c: staff apply what an unverified client mail asked (R2). */
cli_fn ticket_apply_intent_cmd;


/* Returns the value of "--name VALUE" or "--name=VALUE" at argv[*i]
 * (advancing *i past VALUE), or NULL when argv[*i] is another option. */
const char *cli_arg(int argc, char **argv, int *i, const char *name);

struct policy;
struct calendar;
struct holiday_list;
/*
 * Loads the policy and builds its calendar (holidays from ics instead of
 * the policy's set when ics is non-NULL); fills *holidays when non-NULL.
 * Returns EX_OK, or a sysexits code after logging why. The caller frees
 * *cal with calendar_free() and *holidays with holiday_list_free().
 */
int cli_calendar(struct cli *cli, const char *ics, struct policy *p,
                 struct calendar **cal, struct holiday_list *holidays);

#endif
