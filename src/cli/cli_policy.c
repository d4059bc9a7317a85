/*
 * cli_policy.c - loading the policy for a subcommand, with clear errors.
 */
#include "app/config/calendar_live.h"
#include "app/base/desk.h"
#include "app/config/holidays_db.h"
#include "app/config/policy_file.h"
#include "cli/cli.h"
#include "util/log.h"

#include <stdio.h>
#include <string.h>

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

/* Holidays an administrator imported count here too (R6). */
static int
add_imported(struct desk *d)
{
	int64_t n = 0;
	char err[256];
	struct calendar *with;
	if (holidays_db_version(d->db, &n) == STORE_OK && n == 0)
		return EX_OK;
	if (calendar_load_imported(&d->pol, d->db, &with, &n, err,
	                           sizeof err) !=
	    0) {
		log_error("calendar: %s", err);
		return EX_TEMPFAIL;
	}
	calendar_free(d->cal);
	d->cal = with;
	return EX_OK;
}

int
cli_load_calendar(struct cli *cli, struct policy *pol, struct calendar **cal)
{
	*cal = NULL;
	return cli_calendar(cli, NULL, pol, cal, NULL);
}

int
cli_open(struct cli *cli, enum cli_need need, struct desk *d)
{
	memset(d, 0, sizeof *d);
	int rc = need >= CLI_CALENDAR ? cli_load_calendar(cli, &d->pol, &d->cal)
	         : need == CLI_POLICY ? cli_load_policy(cli, &d->pol)
	                              : EX_OK;
	if (rc == EX_OK)
		rc = desk_open(d, cli->db_url);
	if (rc == EX_OK && need == CLI_DEADLINES)
		rc = add_imported(d);
	if (rc != EX_OK)
		desk_close(d);
	return rc;
}
