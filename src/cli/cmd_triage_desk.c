/*
 * cmd_triage_desk.c - soporte triage train and soporte triage models
 * (issue 17, the desk side): learning a model from the consultants'
 * confirmations, and the models the desk has. The rules are in
 * app/ticket/ticket_triage.c; the "triage" group is cmd_triage.c.
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/billing/ticket_coverage.h"
#include "app/ticket/ticket_triage.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "util/log.h"
#include "util/timefmt.h"

#include <stdio.h>

static const char train_usage[] =
    "usage: soporte triage train [--as USER_EMAIL]\n"
    "\n"
    "Learns a triage model from the desk's history: every ticket whose\n"
    "severity a consultant confirmed or changed, or whose category staff\n"
    "set or excluded, with the labels they gave, plus the policy's own\n"
    "definitions (the seed). The model is stored as a new version and made\n"
    "the active one: intake (mail, phone, the API, the review queue) uses\n"
    "it from its next ticket, running servers included, no restart.\n"
    "Prints the model's version and how many examples it learnt from.\n"
    "--as names who trained it (kept with the model).\n";

static const char models_usage[] =
    "usage: soporte triage models\n"
    "\n"
    "Lists the triage models the desk trained, newest first: version, when\n"
    "and by whom, examples, and which one is active (*). With none, intake\n"
    "uses the policy's seed.\n";

int
cmd_triage_train(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "triage train";
	if (cli_wants_help(argc, argv, train_usage))
		return EX_OK;
	const char *as = NULL, *pos[1];
	const struct cli_opt opts[] = {{"--as", &as}, {NULL, NULL}};
	int npos;
	int rc = cli_opts_parse(cmd, argc, argv, opts, pos, 0, &npos);
	if (rc != EX_OK)
		return rc;
	struct desk desk = {0};
	if ((rc = cli_open(cli, CLI_POLICY, &desk)) != EX_OK)
		return rc;
	struct actor who = ACTOR_SYSTEM_INIT;
	struct triage_trained t;
	enum app_rc a = as ? staff_actor(desk.db, as, &who) : APP_OK;
	if (a != APP_OK) {
		log_error("%s: %s", cmd, desk_errmsg(&desk));
		desk_close(&desk);
		return app_rc_exit(a);
	}
	enum store_rc s = ticket_triage_train(desk.db, &desk.pol,
	                                      who.kind == ACTOR_USER ? who.id : 0,
	                                      cli->now, &t);
	if (s == STORE_OK)
		printf("model %s: %zu examples, active%s\n", t.version, t.examples,
		       t.known ? " (the same as an earlier version)" : "");
	else
		log_error("%s: %s", cmd, desk_errmsg(&desk));
	desk_close(&desk);
	return app_exit_code(s);
}

int
cmd_triage_models(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "triage models";
	if (cli_wants_help(argc, argv, models_usage))
		return EX_OK;
	const char *pos[1];
	const struct cli_opt opts[] = {{NULL, NULL}};
	int npos;
	int rc = cli_opts_parse(cmd, argc, argv, opts, pos, 0, &npos);
	if (rc != EX_OK)
		return rc;
	struct desk desk = {0};
	if ((rc = cli_open(cli, CLI_DB, &desk)) != EX_OK)
		return rc;
	json_t *arr = NULL;
	enum store_rc s = ticket_triage_models_json(desk.db, &arr);
	if (s != STORE_OK) {
		log_error("%s: %s", cmd, desk_errmsg(&desk));
		desk_close(&desk);
		return app_exit_code(s);
	}
	if (json_array_size(arr) == 0)
		printf("no model trained: intake uses the policy's seed\n");
	size_t i;
	json_t *m;
	json_array_foreach(arr, i, m) {
		char when[ISO_UTC_LEN];
		iso_utc_format(json_integer_value(json_object_get(m, "created_at")),
		               when);
		printf("%c %s  %s  %5lld examples  %s\n",
		       json_is_true(json_object_get(m, "active")) ? '*' : ' ',
		       jtext(m, "version"), when,
		       (long long)json_integer_value(json_object_get(m, "examples")),
		       *jtext(m, "created_by") ? jtext(m, "created_by") : "-");
	}
	json_decref(arr);
	desk_close(&desk);
	return EX_OK;
}
