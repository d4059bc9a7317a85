/*
 * cmd_serve.c - soporte serve: run the HTTP server.
 */
#include "app/config/calendar_live.h"
#include "app/config/settings.h"
#include "app/base/desk.h"
#include "app/config/holidays_ics.h"
#include "app/intake/intake_worker.h"
#include "app/access/vault.h"
#include "cli/cli.h"
#include "app/base/outbound.h"
#include "app/ops/scheduler.h"
#include "core/calendar.h"
#include "core/policy.h"
#include "http/api.h"
#include "http/server.h"
#include "util/log.h"
#include "util/paths.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: soporte serve [--listen ADDR:PORT] [--web DIR] [--threads N]\n"
    "\n"
    "Serves the web console, the client portal, the API and /healthz.\n"
    "  --listen ADDR:PORT  where to listen (default [http] listen of the\n"
    "                      configuration file, $SOPORTE_LISTEN, else\n"
    "                      127.0.0.1:8080)\n"
    "  --web DIR           the static UI files (default ./web, else the\n"
    "                      installed copy)\n"
    "  --threads N         worker threads (default 4)\n"
    "  --key-file FILE     the credential vault's key (default\n"
    "                      $SOPORTE_KEY_FILE, else soporte.key;\n"
    "                      installed: /var/lib/soporte/soporte.key); created\n"
    "                      with mode 0600 when missing\n"
    "  --user NAME         when started as root: become NAME after binding\n"
    "  --allow-root        serve as root all the same (also\n"
    "                      SOPORTE_ALLOW_ROOT=1): started as root without\n"
    "                      --user, the server refuses to start\n"
    "  --no-access-log     no JSON line per request on stderr\n"
    "  --no-scheduler      do not run timed work here (SLA warnings,\n"
    "                      reminders, auto-close, sending mail)\n"
    "  --no-intake         do not route mail stored by 'soporte mailgate'\n"
    "                      here (the resident intake worker)\n"
    "  --smtp URL          send queued mail through this SMTP server\n"
    "                      (default [smtp] url of the configuration file,\n"
    "                      $SOPORTE_SMTP_URL; none: mail waits)\n"
    "  --insecure-cookies  cookies without Secure (plain-HTTP test setups)\n"
    "Stops cleanly on SIGTERM or SIGINT. SIGHUP (systemctl reload) reads\n"
    "the configuration file, the policy and its calendars again: when they\n"
    "load, the server stops and starts again in place (same process);\n"
    "when not, it says why and keeps serving with what it has.\n";

/* How often the server's scheduler looks for due work. */
#define SCHED_EVERY_S 15

/* SIGHUP: would the server start with what is on disk now? */
static int
serve_reload_check(void *arg)
{
	struct cli *cli = arg;
	struct settings s;
	char err[4096];
	if (settings_load(cli->config_path, &s, err, sizeof err) != 0) {
		log_error("serve: reload refused, the configuration has errors "
		          "(still serving with the one read at start):\n%s", err);
		return -1;
	}
	settings_free(&s);
	struct policy pol;
	struct calendar *cal = NULL;
	struct holiday_list holidays = {0};
	if (cli_calendar(cli, NULL, &pol, &cal, &holidays) != EX_OK) {
		log_error("serve: reload refused, the policy or its calendar has "
		          "errors (above; still serving with those read at start)");
		return -1;
	}
	calendar_free(cal);
	holiday_list_free(&holidays);
	log_info("serve: reload: the configuration, policy and calendars "
	         "load; starting again in place");
	return 0;
}

/* The scheduler's outbound hook: send what the mail queue has due. */
static int
serve_send_mail(const struct tcmd_env *env, void *arg)
{
	struct outbound_stats st;
	return outbound_send_due(env->db, env->pol, arg, env->now, 200, &st) ==
	               STORE_OK
	           ? 0
	           : -1;
}

int
cmd_serve(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	struct server_config cfg = {
		.listen = settings_current()->listen[0] ? settings_current()->listen
		                                        : "127.0.0.1:8080",
		.db_url = cli->db_url,
		.web_dir = access("web/index.html", R_OK) == 0
		               ? "web"
		               : paths_get(PATHS_WEB),
		.threads = 4,
		.access_log = 1,
	};
	const char *key_file = getenv("SOPORTE_KEY_FILE");
	const char *smtp_url = settings_current()->smtp_url;
	int secure = 1, scheduler = 1, intake = 1;
	const char *env_root = getenv("SOPORTE_ALLOW_ROOT");
	int allow_root = env_root != NULL && strcmp(env_root, "1") == 0;
	for (int i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--listen") == 0 && val) {
			cfg.listen = val;
			i++;
		} else if (strcmp(argv[i], "--web") == 0 && val) {
			cfg.web_dir = val;
			i++;
		} else if (strcmp(argv[i], "--key-file") == 0 && val) {
			key_file = val;
			i++;
		} else if (strcmp(argv[i], "--user") == 0 && val) {
			cfg.run_as = val;
			i++;
		} else if (strcmp(argv[i], "--allow-root") == 0) {
			allow_root = 1;
		} else if (strcmp(argv[i], "--no-scheduler") == 0) {
			scheduler = 0;
		} else if (strcmp(argv[i], "--no-intake") == 0) {
			intake = 0;
		} else if (strcmp(argv[i], "--smtp") == 0 && val) {
			smtp_url = val;
			cli_warn_url_password("--smtp", val, "SOPORTE_SMTP_URL_FILE");
			i++;
		} else if (strcmp(argv[i], "--no-access-log") == 0) {
			cfg.access_log = 0;
		} else if (strcmp(argv[i], "--insecure-cookies") == 0) {
			secure = 0;
		} else if (strcmp(argv[i], "--threads") == 0 && val) {
			cfg.threads = atoi(val);
			if (cfg.threads < 1 || cfg.threads > 64) {
				log_error("serve: --threads must be 1..64");
				return EX_USAGE;
			}
			i++;
		} else {
			log_error("serve: unknown option '%s' (try --help)", argv[i]);
			return EX_USAGE;
		}
	}
	/* A request handled as root could do anything to the machine. */
	if (geteuid() == 0 && cfg.run_as == NULL && !allow_root) {
		log_error("serve: refusing to run as root: start it as its own "
		          "user (the package's soporte.service does: User=soporte), "
		          "or name one with --user NAME to drop root after binding; "
		          "--allow-root serves as root all the same");
		return EX_NOPERM;
	}
	/* Refuse to start on a database that is not ready. */
	struct desk desk = {0};
	int rc = desk_open(&desk, cli->db_url);
	if (rc != EX_OK)
		return rc;

	/* The policy and its calendar (deadlines, local times) with the
	 * holidays imported so far, and the vault's key: all read before
	 * binding, while still privileged. */
	struct policy pol;
	struct calendar *cal = NULL;
	struct holiday_list holidays = {0};
	char err[512];
	rc = cli_calendar(cli, NULL, &pol, &cal, &holidays);
	if (rc != EX_OK) {
		desk_close(&desk);
		return rc;
	}
	struct calendar_live *live = calendar_live_new(&pol, cal);
	if (live == NULL || calendar_live_refresh(live, desk.db, err,
	                                          sizeof err) != 0) {
		log_error("serve: calendar: %s", live ? err : "out of memory");
		desk_close(&desk);
		calendar_live_free(live);
		holiday_list_free(&holidays);
		return EX_UNAVAILABLE;
	}
	desk_close(&desk);
	struct vault vault;
	if (key_file == NULL || *key_file == '\0')
		key_file = paths_get(PATHS_KEY);
	if (vault_open(key_file, &vault, err, sizeof err) != VAULT_OK) {
		log_error("serve: %s", err);
		calendar_live_free(live);
		holiday_list_free(&holidays);
		return EX_CONFIG;
	}
	struct api_env env = {
		.pol = &pol,
		.live = live,
		.vault = &vault,
		.holidays = &holidays,
		.cookie_secure = secure,
	};
	cfg.env = &env;
	cfg.reload_check = serve_reload_check;
	cfg.reload_arg = cli;
	cfg.at_risk_percent = pol.at_risk_percent;

	/* Timed work (SLA warnings, reminders, auto-close, outbound mail)
	 * runs here too, on its own connection; with several servers on one
	 * database the scheduler's lease lets one of them fire at a time. */
	struct sched_thread *sched = NULL;
	struct desk sched_desk = {0};
	char holder[160], host[64] = "localhost";
	gethostname(host, sizeof host - 1);
	snprintf(holder, sizeof holder, "%s:%d:%s", host, (int)getpid(), cfg.listen);
	struct sched_opts so = {
		.holder = holder,
		.keep_lease = 1,
		.outbound = smtp_url && *smtp_url ? serve_send_mail : NULL,
		.outbound_arg = (void *)smtp_url,
		.live = live,
	};
	if (scheduler) {
		char serr[256];
		if (desk_connect(&sched_desk, cli->db_url, serr, sizeof serr) !=
		        STORE_OK ||
		    sched_thread_start(sched_desk.db, &pol, NULL, &so,
		                       SCHED_EVERY_S,
		                       &sched) != 0) {
			log_error("serve: cannot start the scheduler: %s", serr);
			desk_close(&sched_desk);
			vault_close(&vault);
			calendar_live_free(live);
			holiday_list_free(&holidays);
			return EX_UNAVAILABLE;
		}
	}
	/* The resident intake worker routes what the light mail gate stores
	 * (app/intake/intake_worker.h), on a connection of its own; GMime is set up
	 * before the thread starts. */
	struct intake_worker *worker = NULL;
	struct desk worker_desk = {0};
	/* Request threads compose mail too (a reply's size, outbound.h). */
	app_mail_init();
	if (intake) {
		char serr[256] = "";
		if (desk_connect(&worker_desk, cli->db_url, serr,
		                 sizeof serr) !=
		        STORE_OK ||
		    intake_worker_start(worker_desk.db, &pol, live, holder,
		                        &worker) != 0) {
			log_error("serve: cannot start the intake worker: %s", serr);
			desk_close(&worker_desk);
			rc = EX_UNAVAILABLE;
			goto out;
		}
	}
	rc = server_run(&cfg);
out:
	intake_worker_stop(worker);
	desk_close(&worker_desk);
	app_mail_shutdown();
	sched_thread_stop(sched);
	desk_close(&sched_desk);
	vault_close(&vault);
	calendar_live_free(live);
	holiday_list_free(&holidays);
	if (rc == EX_OK && server_reload_requested()) {
		/* Everything is closed; the same command line again, same
		 * process (systemd's main PID), reads it all anew. */
		execv("/proc/self/exe", cli->argv);
		log_error("serve: reload: cannot start again: %s", strerror(errno));
		return EX_OSERR;
	}
	return rc;
}
