/*
 * cmd_user.c - soporte user add|list: staff accounts at a shell (the
 * consultants who log time, the renewals area, ...). Accounts are made
 * by app/users.c (passwords only as Argon2id hashes; this command sets
 * none: a login is given through the web console).
 */
#include "app/db.h"
#include "app/users.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "util/log.h"
#include "util/text.h"

#include <stdio.h>
#include <string.h>

static const char add_usage[] =
    "usage: soporte user add --email EMAIL --name NAME\n"
    "                        [--role consultant|project_manager|renewals|admin]\n"
    "\n"
    "Creates a staff account (role consultant by default), without a\n"
    "password.\n";

static int
user_add_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "user add";
	if (cli_wants_help(argc, argv, add_usage))
		return EX_OK;
	const char *email = NULL, *name = NULL, *role = "consultant";
	const struct cli_opt opts[] = {
		{"--email", &email}, {"--name", &name}, {"--role", &role},
		{NULL, NULL},
	};
	int npos;
	int rc = cli_opts_parse(cmd, argc, argv, opts, NULL, 0, &npos);
	if (rc != EX_OK)
		return rc;
	if (cli_need(cmd, "--email", email) || cli_need(cmd, "--name", name))
		return EX_USAGE;
	char low[320];
	snprintf(low, sizeof low, "%s", email);
	ascii_lower(low);
	int r = role_parse(role);
	if (r < 0 || r == ROLE_CLIENT) {
		log_error("%s: --role is consultant, project_manager, renewals or "
		          "admin", cmd);
		return EX_USAGE;
	}
	if (!email_valid(low) || !text_is_name(name, 200)) {
		log_error("%s: '%s' is not an e-mail address, or the name is not "
		          "text", cmd, email);
		return EX_DATAERR;
	}
	struct store *db;
	rc = app_db_open(cli->db_url, &db);
	if (rc != EX_OK)
		return rc;
	struct user_new u = {.email = low, .name = name,
	                     .role = (enum user_role)r};
	int64_t id = 0;
	enum store_rc src = user_create(db, &u, cli->now, &id);
	if (src == STORE_CONSTRAINT) {
		log_error("%s: there is already a user %s", cmd, low);
		rc = EX_DATAERR;
	} else if (src != STORE_OK) {
		log_error("%s: %s", cmd, store_errmsg(db));
		rc = app_exit_code(src);
	} else {
		printf("user %lld: %s (%s)\n", (long long)id, low, role);
	}
	store_close(db);
	return rc;
}

static int
user_list_cmd(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, "usage: soporte user list\n"))
		return EX_OK;
	if (argc > 1) {
		log_error("user list: no options");
		return EX_USAGE;
	}
	struct store *db;
	int rc = app_db_open(cli->db_url, &db);
	if (rc != EX_OK)
		return rc;
	struct store_rows *r;
	enum store_rc src = store_query(
	    db, "SELECT id, email, role, active, name FROM users ORDER BY id",
	    STORE_NO_PARAMS, &r);
	if (src == STORE_OK) {
		printf("%-5s %-32s %-16s %-6s %s\n", "ID", "EMAIL", "ROLE", "ACTIVE",
		       "NAME");
		while ((src = store_next(r)) == STORE_ROW)
			printf("%-5lld %-32s %-16s %-6s %s\n", (long long)store_int(r, 0),
			       store_text(r, 1), store_text(r, 2),
			       store_int(r, 3) ? "yes" : "no", store_text(r, 4));
		store_done(r);
		if (src == STORE_DONE)
			src = STORE_OK;
	}
	if (src != STORE_OK) {
		log_error("user list: %s", store_errmsg(db));
		rc = app_exit_code(src);
	}
	store_close(db);
	return rc;
}

int
cmd_user(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{"add", "create a staff account", user_add_cmd},
		{"list", "list accounts", user_list_cmd},
		{NULL, NULL, NULL},
	};
	return cli_dispatch(cli, "user", cmds, argc, argv);
}
