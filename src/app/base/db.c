/*
 * db.c - a store result as the exit code of a command (see db.h).
 */
#include "app/base/db.h"

#include <sysexits.h>

int
app_exit_code(enum store_rc rc)
{
	switch (rc) {
	case STORE_OK:
	case STORE_ROW:
	case STORE_DONE:
		return EX_OK;
	case STORE_BUSY:
		return EX_TEMPFAIL;
	case STORE_CONSTRAINT:
	case STORE_NOTFOUND:
		return EX_DATAERR;
	case STORE_ERROR:
		break;
	}
	return EX_SOFTWARE;
}
