/*
 * cli_policy.c - loading the policy for a subcommand, with clear errors.
 */
#include "app/policy_file.h"
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
