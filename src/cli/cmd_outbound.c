/*
 * cmd_outbound.c - soporte outbound send|list: the outbound mail queue.
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/base/outbound.h"
#include "app/config/settings.h"
#include "cli/cli.h"
#include "util/log.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char send_usage[] =
    "usage: soporte outbound send [--smtp URL] [--every SECONDS] [--max N]\n"
    "\n"
    "Sends the queued mail that is due through an SMTP server, retrying\n"
    "temporary failures with backoff.\n"
    "  --smtp URL       smtp://host:port or smtps://user:pass@host:465\n"
    "                   (default $SOPORTE_SMTP_URL, else smtp://127.0.0.1:25)\n"
    "  --every SECONDS  keep sending, waking up this often (default: once)\n"
    "  --max N          at most N messages per round (default 500)\n";

static const char list_usage[] =
    "usage: soporte outbound list [--state queued|sent|failed]\n"
    "\n"
    "Lists the outbound queue: id, state, attempts, kind, to, subject.\n";

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
outbound_send(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, send_usage))
		return EX_OK;
	const char *url = settings_current()->smtp_url;
	int every = 0, max = 500;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cli_arg(argc, argv, &i, "--smtp"))) {
			url = v;
			cli_warn_url_password("--smtp", v, "SOPORTE_SMTP_URL_FILE");
		}
		else if ((v = cli_arg(argc, argv, &i, "--every")))
			every = atoi(v);
		else if ((v = cli_arg(argc, argv, &i, "--max")))
			max = atoi(v);
		else {
			log_error("outbound send: unknown option '%s' (try --help)", argv[i]);
			return EX_USAGE;
		}
	}
	if (url == NULL || *url == '\0')
		url = "smtp://127.0.0.1:25";
	if (max < 1 || every < 0) {
		log_error("outbound send: --max must be 1 or more, --every 0 or more");
		return EX_USAGE;
	}
	struct desk desk = {0};
	int rc = cli_open(cli, CLI_POLICY, &desk);
	if (rc != EX_OK)
		return rc;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	do {
		struct outbound_stats st;
		int64_t now = cli->now_fixed ? cli->now : (int64_t)time(NULL);
		enum store_rc src = outbound_send_due(desk.db, &desk.pol, url,
		                                      now, max, &st);
		if (src != STORE_OK) {
			log_error("outbound send: %s", desk_errmsg(&desk));
			rc = app_exit_code(src);
			break;
		}
		if (st.sent || st.retried || st.failed || !every)
			log_info("outbound: %d sent, %d to retry, %d failed", st.sent,
			         st.retried, st.failed);
		for (int s = 0; s < every && !stop; s++)
			sleep(1);
	} while (every && !stop);
	desk_close(&desk);
	return rc;
}

static void
print_row(const struct outbound_row *m, void *arg)
{
	(void)arg;
	printf("%lld\t%s\t%lld\t%s\t%s\t%s\n", (long long)m->id, m->state,
	       (long long)m->attempts, m->kind, m->to, m->subject);
}

static int
outbound_list_cmd(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, list_usage))
		return EX_OK;
	const char *state = "";
	if (argc == 3 && strcmp(argv[1], "--state") == 0)
		state = argv[2];
	else if (argc != 1) {
		log_error("outbound list: unknown arguments (try --help)");
		return EX_USAGE;
	}
	struct desk desk = {0};
	int rc = desk_open(&desk, cli->db_url);
	if (rc != EX_OK)
		return rc;
	enum store_rc src = outbound_list(desk.db, state, print_row, NULL);
	if (src != STORE_OK) {
		log_error("outbound list: %s", desk_errmsg(&desk));
		rc = app_exit_code(src);
	}
	desk_close(&desk);
	return rc;
}

static const struct cli_cmd outbound_cmds[] = {
	{"send", "send the queued mail that is due (SMTP)", outbound_send},
	{"list", "list the outbound queue", outbound_list_cmd},
	{NULL, NULL, NULL},
};

int
cmd_outbound(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, "outbound", outbound_cmds, argc, argv);
}
