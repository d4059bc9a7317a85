/* cmd_policy.c - placeholder until the foundation lands. */
#include "cli/cli.h"
#include "util/log.h"

int
cmd_policy(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	log_error("policy: not built yet");
	return EX_SOFTWARE;
}
