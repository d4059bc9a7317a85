/*
 * cmd_uploads.c - soporte uploads prune: remove files uploaded through the
 * API that no reply or note attached (app/ticket/uploads.h). `soporte serve`'s
 * scheduler does the same on every run; this is for cron, or a desk
 * that runs no server.
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/ticket/uploads.h"
#include "core/policy.h"
#include "cli/cli.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char prune_usage[] =
    "usage: soporte uploads prune [--older-than HOURS]\n"
    "\n"
    "Removes the uploads no reply or note attached that are older than\n"
    "HOURS (default: the policy's [limits] upload_keep_hours, 24), and\n"
    "their stored bytes unless an attachment or another upload has the\n"
    "same content. Prints what it removed as JSON.\n";

static int
uploads_prune_cmd(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, prune_usage))
		return EX_OK;
	long long hours = -1;
	for (int i = 1; i < argc; i++) {
		const char *v;
		char *end;
		if ((v = cli_arg(argc, argv, &i, "--older-than"))) {
			hours = strtoll(v, &end, 10);
			if (end == v || *end != '\0' || hours < 1 || hours > 87600) {
				log_error("uploads prune: --older-than wants whole hours, "
				          "1 to 87600, not '%s'", v);
				return EX_USAGE;
			}
		} else {
			log_error("uploads prune: unknown option '%s' (try --help)",
			          argv[i]);
			return EX_USAGE;
		}
	}
	struct desk desk = {0};
	int rc = cli_open(cli, CLI_POLICY, &desk);
	if (rc != EX_OK)
		return rc;
	int64_t now = cli->now_fixed ? cli->now : (int64_t)time(NULL);
	int64_t keep_s = hours > 0 ? hours * 3600 : desk.pol.upload_keep_s;
	int uploads = 0, blobs = 0;
	enum store_rc src = uploads_prune(desk.db, now - keep_s, now, &uploads,
	                                  &blobs);
	if (src == STORE_OK)
		printf("{\"uploads_removed\":%d,\"blobs_removed\":%d,"
		       "\"older_than_hours\":%lld}\n",
		       uploads, blobs, (long long)(keep_s / 3600));
	else {
		log_error("uploads prune: %s", desk_errmsg(&desk));
		rc = app_exit_code(src);
	}
	desk_close(&desk);
	return rc;
}

static const struct cli_cmd uploads_cmds[] = {
	{"prune", "remove uploads never attached, after the policy's age",
	 uploads_prune_cmd},
	{NULL, NULL, NULL},
};

int
cmd_uploads(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, "uploads", uploads_cmds, argc, argv);
}
