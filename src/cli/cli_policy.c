/*
 * cli_policy.c - loading the policy for a subcommand, with clear errors.
 */
#include "app/config/calendar_live.h"
#include "app/base/db.h"
#include "app/config/holidays_db.h"
#include "app/config/policy_file.h"
#include "cli/cli.h"
#include "util/log.h"

#include <stdio.h>

int
cli_load_policy(struct cli *cli, struct policy *out)
{
	struct policy_diag diag;
	const char *path = policy_default_path(cli->policy_path);
	enum policy_load_rc rc = policy_load(path, out, &diag);
	if (rc == POLICY_LOAD_OK)
		return EX_OK;
	policy_diag_print(&diag, stderr);
	log_error("policy %s cannot be used (run 'soporte policy check %s')", path,
	          path);
	return rc == POLICY_LOAD_IO ? EX_NOINPUT : EX_CONFIG;
}

int
cli_load_calendar(struct cli *cli, struct policy *pol, struct calendar **cal)
{
	*cal = NULL;
	return cli_calendar(cli, NULL, pol, cal, NULL);
}

int
cli_open(struct cli *cli, struct policy *pol, struct calendar **cal,
         struct store **db)
{
	*db = NULL;
	int rc = cal   ? cli_load_calendar(cli, pol, cal)
	         : pol ? cli_load_policy(cli, pol)
	               : EX_OK;
	return rc == EX_OK ? app_db_open(cli->db_url, db) : rc;
}

int
cli_open_desk(struct cli *cli, struct policy *pol, struct calendar **cal,
              struct store **db)
{
	int rc = cli_open(cli, pol, cal, db);
	if (rc != EX_OK)
		return rc;
	/* Holidays an administrator imported count here too (R6). */
	int64_t n = 0;
	char err[256];
	struct calendar *with;
	if (holidays_db_version(*db, &n) == STORE_OK && n == 0)
		return EX_OK;
	if (calendar_load_imported(pol, *db, &with, &n, err, sizeof err) != 0) {
		log_error("calendar: %s", err);
		return EX_TEMPFAIL;
	}
	calendar_free(*cal);
	*cal = with;
	return EX_OK;
}
