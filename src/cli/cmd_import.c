/* cmd_import.c - placeholder until the foundation lands. */
#include "cli/cli.h"
#include "util/log.h"

int
cmd_import(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	(void)argc;
	(void)argv;
	log_error("import: not built yet");
	return EX_SOFTWARE;
}
