/*
 * cli_out.c - documents and exports to a file or stdout (see cli_out.h).
 */
#include "cli/cli_out.h"
#include "cli/cli.h"
#include "util/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
cli_write_out(const char *cmd, const char *path, const void *data, size_t len)
{
	if (path == NULL || strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			log_error("%s: cannot write to standard output: %s", cmd,
			          strerror(errno));
			return EX_IOERR;
		}
		return EX_OK;
	}
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		log_error("%s: --output: the path is too long", cmd);
		return EX_USAGE;
	}
	FILE *f = fopen(tmp, "wb");
	if (f == NULL) {
		log_error("%s: cannot create %s: %s", cmd, tmp, strerror(errno));
		return EX_CANTCREAT;
	}
	int bad = fwrite(data, 1, len, f) != len;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		log_error("%s: cannot write %s: %s", cmd, path, strerror(errno));
		remove(tmp);
		return EX_IOERR;
	}
	return EX_OK;
}

int
cli_export(const char *cmd, const char *format, const char *path,
           const struct export_sheet *sheets, size_t n)
{
	char *data = NULL;
	size_t len = 0;
	int rc = strcmp(format, "xlsx") == 0
	             ? export_xlsx(sheets, n, &data, &len)
	             : export_csv(&sheets[0], &data, &len);
	if (rc != 0) {
		log_error("%s: the %s file could not be made", cmd, format);
		return EX_SOFTWARE;
	}
	rc = cli_write_out(cmd, path, data, len);
	free(data);
	return rc;
}
