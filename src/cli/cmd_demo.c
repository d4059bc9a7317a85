/* cmd_demo.c - placeholder until the foundation lands. */
#include "cli/cli.h"
#include "util/log.h"

int
cmd_demo(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	log_error("demo: not built yet");
	return EX_SOFTWARE;
}
