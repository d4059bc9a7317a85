/*
 * cmd_fetchmail.c - soporte fetchmail: poll an IMAP mailbox into the desk.
 *
 * SECURITY: the server and its messages are untrusted (mail/imap.h,
 * app/intake/intake.h). The URL carries a password: prefer $SOPORTE_IMAP_URL to
 * --imap (argv is visible to other users); it is never printed.
 *
 * Once (the default) the exit status says how the round went: 0 done,
 * 75 try again later (server or database unavailable), 77 login refused,
 * 78 bad configuration. With --every SECONDS it polls until SIGTERM or
 * SIGINT, logging failed rounds and carrying on; it exits 0 when stopped.
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/intake/fetchmail.h"
#include "app/config/settings.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "util/log.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: soporte fetchmail [--imap URL] [--every SECONDS] [--move-to FOLDER]\n"
    "                         [--recipient ADDRESS] [--timeout SECONDS]\n"
    "\n"
    "Fetches the new messages of an IMAP mailbox and takes each into the desk\n"
    "as 'soporte mailgate' does; a message is marked \\Seen (and moved) only\n"
    "after it is stored. Where a round stopped is kept in the database.\n"
    "  --imap URL          imap://user:pass@host:143/INBOX or imaps://...:993/INBOX\n"
    "                      (default $SOPORTE_IMAP_URL, which keeps the password\n"
    "                      out of the process list)\n"
    "  --every SECONDS     poll until stopped (SIGTERM/SIGINT), not just once\n"
    "  --move-to FOLDER    move each stored message to FOLDER (created if needed)\n"
    "  --recipient ADDRESS the envelope recipient to record (default none)\n"
    "  --timeout SECONDS   how long to wait for the server (default 60)\n"
    "Exit status: 0 done, 75 try again later, 77 login refused, 78 bad setup.\n";

static volatile sig_atomic_t stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static int
parse_seconds(const char *s, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Sleeps up to s seconds, waking early when a signal asks to stop. */
static void
nap(long s)
{
	for (long i = 0; i < s * 10 && !stop_flag; i++) {
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

int
cmd_fetchmail(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	struct fetchmail_opts o = {
		.url = settings_current()->imap_url,
		.timeout_s = 60,
		.stop = &stop_flag,
	};
	long every = 0;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = cli_arg(argc, argv, &i, "--imap"))) {
			o.url = v;
			cli_warn_url_password("--imap", v, "SOPORTE_IMAP_URL_FILE");
		} else if ((v = cli_arg(argc, argv, &i, "--move-to"))) {
			o.move_to = v;
		} else if ((v = cli_arg(argc, argv, &i, "--recipient"))) {
			o.recipient = v;
		} else if ((v = cli_arg(argc, argv, &i, "--every"))) {
			if (parse_seconds(v, 86400, &every) != 0) {
				log_error("fetchmail: --every wants 1 to 86400 seconds, not '%s'", v);
				return EX_USAGE;
			}
		} else if ((v = cli_arg(argc, argv, &i, "--timeout"))) {
			if (parse_seconds(v, 3600, &o.timeout_s) != 0) {
				log_error("fetchmail: --timeout wants 1 to 3600 seconds, not '%s'", v);
				return EX_USAGE;
			}
		} else {
			log_error("fetchmail: unknown option '%s' (try --help)", argv[i]);
			return EX_USAGE;
		}
	}
	if (o.url == NULL || *o.url == '\0') {
		log_error("fetchmail: no mailbox: give --imap URL, set SOPORTE_IMAP_URL or [imap] url in the configuration file");
		return EX_USAGE;
	}

	struct desk desk = {0};
	int rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK)
		goto out;

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	struct intake in = {desk.db, &desk.pol, desk.cal};
	for (;;) {
		struct fetchmail_stats st;
		char err[512];
		o.now = cli->now_fixed ? cli->now : (int64_t)time(NULL);
		enum fetchmail_rc frc = fetchmail_round(&in, &o, &st, err, sizeof err);
		if (st.fetched || st.skipped || frc == FETCHMAIL_OK)
			log_info("fetchmail: %d fetched, %d new, %d already had, %d "
			         "skipped%s",
			         st.fetched, st.stored, st.duplicates, st.skipped,
			         st.restarted ? " (UIDVALIDITY changed: started over)" : "");
		switch (frc) {
		case FETCHMAIL_OK:
			rc = EX_OK;
			break;
		case FETCHMAIL_TEMPFAIL:
			log_error("fetchmail: %s", err);
			rc = EX_TEMPFAIL;
			break;
		case FETCHMAIL_LOGIN:
			log_error("fetchmail: %s", err);
			rc = EX_NOPERM;
			break;
		case FETCHMAIL_CONFIG:
			log_error("fetchmail: %s", err);
			rc = EX_CONFIG;
			break;
		}
		/* A bad setup does not get better by polling again. */
		if (every == 0 || stop_flag || frc == FETCHMAIL_CONFIG)
			break;
		nap(every);
		if (stop_flag) {
			rc = EX_OK;
			break;
		}
	}
	if (every && stop_flag)
		rc = EX_OK;
out:
	desk_close(&desk);
	return rc;
}
