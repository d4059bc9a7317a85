/*
 * cmd_user.c - soporte user add|passwd|list|token: accounts at a shell
 * (staff who log time, client portal accounts, integrations' tokens).
 *
 * Passwords are read from standard input (one line), never from the
 * command line, where other users of the machine could see them in ps.
 * A token is printed once, when it is created; only its hash is kept.
 *
 * SECURITY: argv is the operator's (trusted); stdin is the password.
 */
#include "app/access/accounts.h"
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/billing/directory.h"
#include "app/ticket/account_mail.h"
#include "app/access/sessions.h"
#include "cli/cli.h"
#include "util/log.h"
#include "util/text.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char add_usage[] =
    "usage: soporte user add EMAIL --name NAME [--role ROLE] [--client DOMAIN]\n"
    "                        [--password-stdin]\n"
    "       (EMAIL may also be given as --email EMAIL)\n"
    "\n"
    "Creates an account. ROLE: client, consultant (the default),\n"
    "project_manager, renewals, admin; a client account names its\n"
    "organization by domain (--client).\n"
    "With --password-stdin the password is the first line of standard input\n"
    "(10 to 256 characters); without it the account cannot log in until\n"
    "'soporte user passwd' sets one.\n";
static const char passwd_usage[] =
    "usage: soporte user passwd EMAIL [--keep-tokens]\n"
    "\n"
    "Sets the password to the first line of standard input, ends the\n"
    "account's sessions and revokes its API tokens (--keep-tokens keeps\n"
    "them). Common passwords and ones containing the account's e-mail or\n"
    "name are refused.\n";
static const char reset_usage[] =
    "usage: soporte user reset EMAIL\n"
    "\n"
    "Mails the account a one-time link to set a new password (valid one\n"
    "hour, once; using it ends the account's sessions). The mail goes out\n"
    "with the outbound queue.\n";
static const char list_usage[] = "usage: soporte user list\n";
static const char token_usage[] =
    "usage: soporte user token add EMAIL --name NAME [--scopes read,write,admin,metrics]\n"
    "       soporte user token list EMAIL\n"
    "       soporte user token revoke ID\n"
    "\n"
    "API tokens for integrations (Authorization: Bearer TOKEN). The token is\n"
    "printed once; scopes default to read. metrics lets /metrics answer a\n"
    "client that is not on loopback (docs/security.md (part 3)).\n";

/* Reads one line of stdin into buf (without the line end); 0 or -1. */
static int
read_password(char *buf, size_t len)
{
	if (fgets(buf, (int)len, stdin) == NULL) {
		log_error("user: no password on standard input");
		return -1;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!account_password_ok(buf)) {
		log_error("user: the password must be %d to %d characters",
		          PASSWORD_MIN, PASSWORD_MAX);
		sodium_memzero(buf, len);
		return -1;
	}
	return 0;
}

static int
finish(struct desk *desk, enum store_rc rc, const char *what)
{
	char said[200];
	if (rc != STORE_OK)
		log_error("user: %s: %s", what, desk_said(desk, said, sizeof said));
	desk_close(desk);
	return app_exit_code(rc);
}

static int
user_add(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, add_usage))
		return EX_OK;
	const char *email = NULL, *name = NULL, *role = "consultant", *client = NULL;
	int pw_stdin = 0;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cli_arg(argc, argv, &i, "--name")))
			name = v;
		else if ((v = cli_arg(argc, argv, &i, "--email")))
			email = v;
		else if ((v = cli_arg(argc, argv, &i, "--role")))
			role = v;
		else if ((v = cli_arg(argc, argv, &i, "--client")))
			client = v;
		else if (strcmp(argv[i], "--password-stdin") == 0)
			pw_stdin = 1;
		else if (argv[i][0] != '-' && email == NULL)
			email = argv[i];
		else {
			log_error("user add: unexpected '%s' (try --help)", argv[i]);
			return EX_USAGE;
		}
	}
	if (email == NULL || name == NULL || role_parse(role) < 0) {
		fputs(add_usage, stderr);
		return EX_USAGE;
	}
	char pw[PASSWORD_MAX + 2];
	if (pw_stdin && read_password(pw, sizeof pw) != 0)
		return EX_DATAERR;
	struct desk desk = {0};
	int ex = desk_open(&desk, cli->db_url);
	if (ex != EX_OK)
		return ex;
	struct user_new u = {email, name, (enum user_role)role_parse(role), 0, 0,
	                     pw_stdin ? pw : NULL};
	enum store_rc rc = STORE_OK;
	if (client)
		rc = client_id_by_domain(desk.db, client, &u.client_id);
	if (rc == STORE_NOTFOUND)
		desk_fail(&desk, rc, "no client with domain %s", client);
	int64_t id = 0;
	if (rc == STORE_OK)
		rc = account_create(desk.db, &u, ACTOR_SYSTEM_INIT, cli->now, &id, NULL);
	sodium_memzero(pw, sizeof pw);
	if (rc == STORE_OK) {
		char low[256];
		snprintf(low, sizeof low, "%s", email);
		printf("user %lld: %s (%s)\n", (long long)id, ascii_lower(low), role);
	}
	return finish(&desk, rc, "add");
}

static int
user_passwd(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, passwd_usage))
		return EX_OK;
	int keep_tokens = argc == 3 && strcmp(argv[2], "--keep-tokens") == 0;
	if (argc != 2 && !keep_tokens) {
		fputs(passwd_usage, stderr);
		return EX_USAGE;
	}
	char pw[PASSWORD_MAX + 2];
	if (read_password(pw, sizeof pw) != 0)
		return EX_DATAERR;
	struct desk desk = {0};
	int ex = desk_open(&desk, cli->db_url);
	if (ex != EX_OK)
		return ex;
	int64_t id;
	enum store_rc rc = account_id_by_email(desk.db, argv[1], &id);
	if (rc == STORE_NOTFOUND)
		desk_fail(&desk, rc, "no account %s", argv[1]);
	if (rc == STORE_OK) {
		json_t *in = json_pack("{s:s,s:b}", "password", pw, "keep_tokens",
		                       keep_tokens);
		rc = account_update(desk.db, id, in, ACTOR_SYSTEM_INIT, cli->now, NULL);
		json_object_clear(in);
		json_decref(in);
	}
	sodium_memzero(pw, sizeof pw);
	if (rc == STORE_OK)
		printf("password set for %s; its sessions ended%s\n", argv[1],
		       keep_tokens ? "" : ", its API tokens revoked");
	return finish(&desk, rc, "passwd");
}

static int
user_reset(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, reset_usage))
		return EX_OK;
	if (argc != 2) {
		fputs(reset_usage, stderr);
		return EX_USAGE;
	}
	struct desk desk = {0};
	int ex = cli_open(cli, CLI_POLICY, &desk);
	if (ex != EX_OK)
		return ex;
	int64_t id;
	int sent = 0;
	enum store_rc rc = account_id_by_email(desk.db, argv[1], &id);
	if (rc == STORE_NOTFOUND)
		desk_fail(&desk, rc, "no account %s", argv[1]);
	if (rc == STORE_OK)
		rc = account_reset_by_id(desk.db, &desk.pol, id, 0, cli->now, &sent);
	if (rc == STORE_OK && !sent)
		rc = desk_fail(&desk, STORE_CONSTRAINT,
		               "%s already got the most links an hour allows", argv[1]);
	if (rc == STORE_OK)
		printf("a password reset link was queued for %s\n", argv[1]);
	return finish(&desk, rc, "reset");
}

static int
user_list(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, list_usage))
		return EX_OK;
	struct desk desk = {0};
	int ex = desk_open(&desk, cli->db_url);
	if (ex != EX_OK)
		return ex;
	json_t *items;
	enum store_rc rc = account_list_json(desk.db, 0, 100000, &items);
	if (rc == STORE_OK) {
		size_t i;
		json_t *u;
		json_array_foreach(items, i, u) {
			printf("%-5lld %-40s %-16s %s%s\n",
			       (long long)json_integer_value(json_object_get(u, "id")),
			       json_string_value(json_object_get(u, "email")),
			       json_string_value(json_object_get(u, "role")),
			       json_string_value(json_object_get(u, "name")),
			       json_is_true(json_object_get(u, "active")) ? ""
			                                                  : " (inactive)");
		}
		json_decref(items);
	}
	return finish(&desk, rc, "list");
}

static int
user_token(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, token_usage) || argc < 3) {
		if (argc < 3)
			fputs(token_usage, stderr);
		return argc < 3 ? EX_USAGE : EX_OK;
	}
	const char *verb = argv[1], *target = argv[2];
	const char *name = NULL, *scopes_text = "read";
	for (int i = 3; i < argc; i++) {
		const char *v;
		if ((v = cli_arg(argc, argv, &i, "--name")))
			name = v;
		else if ((v = cli_arg(argc, argv, &i, "--scopes")))
			scopes_text = v;
		else {
			log_error("user token: unexpected '%s'", argv[i]);
			return EX_USAGE;
		}
	}
	unsigned scopes;
	if (authz_scopes_parse(scopes_text, &scopes) != 0) {
		log_error("user token: --scopes: read, write, admin and/or metrics");
		return EX_USAGE;
	}
	struct desk desk = {0};
	int ex = desk_open(&desk, cli->db_url);
	if (ex != EX_OK)
		return ex;
	enum store_rc rc;
	int64_t id = 0;
	if (strcmp(verb, "revoke") == 0) {
		char *end;
		id = strtoll(target, &end, 10);
		if (*end || id <= 0) {
			desk_close(&desk);
			log_error("user token revoke: ID is a number");
			return EX_USAGE;
		}
		rc = apitoken_revoke(desk.db, id, 0, cli->now,
		                     ACTOR_SYSTEM_INIT);
		if (rc == STORE_OK)
			printf("token %lld revoked\n", (long long)id);
		return finish(&desk, rc, "token revoke");
	}
	rc = account_id_by_email(desk.db, target, &id);
	if (rc == STORE_NOTFOUND)
		desk_fail(&desk, rc, "no account %s", target);
	if (rc == STORE_OK && strcmp(verb, "add") == 0) {
		char token[AUTH_TOKEN_LEN];
		int64_t tid;
		if (name == NULL) {
			desk_close(&desk);
			log_error("user token add: --name NAME is required");
			return EX_USAGE;
		}
		rc = apitoken_create(desk.db, id, name, scopes, cli->now,
		                     ACTOR_SYSTEM_INIT,
		                     token, &tid);
		if (rc == STORE_OK)
			printf("%s\n", token);
		sodium_memzero(token, sizeof token);
		return finish(&desk, rc, "token add");
	}
	if (rc == STORE_OK && strcmp(verb, "list") == 0) {
		json_t *items;
		rc = apitoken_list_json(desk.db, id, 0, INT32_MAX, &items);
		if (rc == STORE_OK) {
			size_t i;
			json_t *t;
			json_array_foreach(items, i, t)
				printf("%-5lld %-30s %-18s%s\n",
				       (long long)json_integer_value(json_object_get(t, "id")),
				       json_string_value(json_object_get(t, "name")),
				       json_string_value(json_object_get(t, "scopes")),
				       json_is_true(json_object_get(t, "revoked")) ? " revoked"
				                                                   : "");
			json_decref(items);
		}
		return finish(&desk, rc, "token list");
	}
	if (rc == STORE_OK) {
		desk_close(&desk);
		log_error("user token: add, list or revoke");
		return EX_USAGE;
	}
	return finish(&desk, rc, "token");
}

int
cmd_user(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{"add", "create an account", user_add},
		{"passwd", "set an account's password (from stdin)", user_passwd},
		{"reset", "mail an account a one-time password reset link",
		 user_reset},
		{"list", "list accounts", user_list},
		{"token", "API tokens: add, list, revoke", user_token},
		{NULL, NULL, NULL},
	};
	return cli_dispatch(cli, "user", cmds, argc, argv);
}
