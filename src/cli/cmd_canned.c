/*
 * cmd_canned.c - soporte canned add|list|rm: the canned replies staff
 * insert from the reply box (app/ticket/canned.h), from the command line.
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/ticket/canned.h"
#include "cli/cli.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char add_usage[] =
    "usage: soporte canned add --lang es|en --title TITLE (--body TEXT | -)\n"
    "\n"
    "Adds a canned reply; with '-' its text is read from standard input.\n"
    "The text may use {{ticket}}, {{client}}, {{deadline}}, {{consultant}}\n"
    "and {{contact}}, filled from the ticket when a consultant inserts it.\n"
    "Prints the new reply's id.\n";
static const char list_usage[] =
    "usage: soporte canned list [--lang es|en]\n"
    "\n"
    "Prints the canned replies as JSON.\n";
static const char rm_usage[] =
    "usage: soporte canned rm ID\n"
    "\n"
    "Removes a canned reply (the audit keeps its text).\n";

static int64_t
now_of(const struct cli *cli)
{
	return cli->now_fixed ? cli->now : (int64_t)time(NULL);
}

static int
lang_ok(const char *l)
{
	return l && (strcmp(l, "es") == 0 || strcmp(l, "en") == 0);
}

/* Standard input, whole (a canned reply is short: at most CANNED_BODY_MAX). */
static char *
read_stdin(void)
{
	size_t cap = CANNED_BODY_MAX + 2, n = 0;
	char *s = malloc(cap);
	if (s == NULL)
		return NULL;
	while (n < cap - 1) {
		size_t got = fread(s + n, 1, cap - 1 - n, stdin);
		if (got == 0)
			break;
		n += got;
	}
	s[n] = '\0';
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int
canned_add_cmd(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, add_usage))
		return EX_OK;
	struct canned_in in = {0};
	int from_stdin = 0;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cli_arg(argc, argv, &i, "--lang")))
			in.language = v;
		else if ((v = cli_arg(argc, argv, &i, "--title")))
			in.title = v;
		else if ((v = cli_arg(argc, argv, &i, "--body")))
			in.body = v;
		else if (strcmp(argv[i], "-") == 0)
			from_stdin = 1;
		else {
			log_error("canned add: unknown option '%s' (try --help)",
			          argv[i]);
			return EX_USAGE;
		}
	}
	char *text = from_stdin ? read_stdin() : NULL;
	if (text)
		in.body = text;
	char why[160];
	int rc = EX_OK;
	if (!lang_ok(in.language) || in.title == NULL || in.body == NULL ||
	    !*in.title || !*in.body) {
		log_error("canned add: --lang es|en, --title and a text (--body or "
		          "-) are required");
		rc = EX_USAGE;
	} else if (strlen(in.title) > CANNED_TITLE_MAX ||
	           strlen(in.body) > CANNED_BODY_MAX) {
		log_error("canned add: the title has at most %d bytes, the text %d",
		          CANNED_TITLE_MAX, CANNED_BODY_MAX);
		rc = EX_DATAERR;
	} else if (!canned_body_ok(in.body, why, sizeof why)) {
		log_error("canned add: %s (variables: {{ticket}}, {{client}}, "
		          "{{deadline}}, {{consultant}}, {{contact}})",
		          why);
		rc = EX_DATAERR;
	}
	struct desk desk = {0};
	if (rc == EX_OK)
		rc = cli_open(cli, CLI_DB, &desk);
	if (rc == EX_OK) {
		int64_t id;
		enum store_rc src = canned_add(desk.db, &in, 0, now_of(cli), &id);
		if (src == STORE_OK)
			printf("%lld\n", (long long)id);
		else {
			char said[256];
			log_error("canned add: %s", desk_said(&desk, said, sizeof said));
			rc = app_exit_code(src);
		}
		desk_close(&desk);
	}
	free(text);
	return rc;
}

static int
canned_list_cmd(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, list_usage))
		return EX_OK;
	const char *lang = NULL;
	for (int i = 1; i < argc; i++) {
		const char *v = cli_arg(argc, argv, &i, "--lang");
		if (v == NULL || !lang_ok(v)) {
			log_error("canned list: unknown option '%s' (try --help)",
			          argv[i]);
			return EX_USAGE;
		}
		lang = v;
	}
	struct desk desk = {0};
	int rc = cli_open(cli, CLI_DB, &desk);
	if (rc != EX_OK)
		return rc;
	json_t *items;
	enum store_rc src = canned_list_json(desk.db, lang, &items);
	if (src == STORE_OK) {
		char *s = json_dumps(items, JSON_INDENT(2));
		if (s)
			puts(s);
		free(s);
		json_decref(items);
	} else {
		log_error("canned list: %s", desk_errmsg(&desk));
		rc = app_exit_code(src);
	}
	desk_close(&desk);
	return rc;
}

static int
canned_rm_cmd(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, rm_usage))
		return EX_OK;
	char *end = NULL;
	long long id = argc == 2 ? strtoll(argv[1], &end, 10) : 0;
	if (argc != 2 || end == argv[1] || *end != '\0' || id < 1) {
		fputs(rm_usage, stderr);
		return EX_USAGE;
	}
	struct desk desk = {0};
	int rc = cli_open(cli, CLI_DB, &desk);
	if (rc != EX_OK)
		return rc;
	enum store_rc src = canned_remove(desk.db, id, 0, now_of(cli));
	if (src != STORE_OK) {
		log_error("canned rm: %s", desk_errmsg(&desk));
		rc = app_exit_code(src);
	}
	desk_close(&desk);
	return rc;
}

static const struct cli_cmd canned_cmds[] = {
	{"add", "add a canned reply (per language, with variables)",
	 canned_add_cmd},
	{"list", "the canned replies as JSON", canned_list_cmd},
	{"rm", "remove a canned reply", canned_rm_cmd},
	{NULL, NULL, NULL},
};

int
cmd_canned(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, "canned", canned_cmds, argc, argv);
}
