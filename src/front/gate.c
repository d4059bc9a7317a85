/*
 * gate.c - the mail gate's fast path in the light front (see front.h and
 * docs/mail.md).
 *
 * SECURITY: standard input is untrusted mail. Here it is only read (up
 * to the 64 MiB cap), scanned for its Message-ID (util/msgid.c, bounded)
 * and stored as bytes; parsing and routing happen in the full program
 * or the resident worker, as for every other door.
 *
 * On a SQLite database, store/sqlite_gate.h inserts the raw row as
 * 'pending' under msgid_key() (a Message-ID already stored is a
 * duplicate) with the store's durability, and reads the lease 'intake',
 * in one transaction. Then:
 *   - a duplicate already routed: exit 0;
 *   - a worker holds the lease (a running `soporte serve`): exit 0, the
 *     worker routes the row (app/intake/intake_worker.h);
 *   - no worker: exec the full program with --route-raw ID, which routes
 *     it now (tickets opened, acknowledgments queued before the MTA hears
 *     "delivered", as before) and exits 0, or 75 when the database is
 *     busy (the row stays pending; the MTA's retry routes it).
 * Anything the fast path does not know (PostgreSQL, an option it does not
 * take, --help, a database it cannot open or write as expected) goes to
 * the full program with the same argv, the message handed over on a
 * memory file when it was read already.
 */
#include "front/front.h"
#include "store/sqlite_gate.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/msgid.h"
#include "util/paths.h"
#include "util/timefmt.h"
#include "util/sha256.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>

struct gate_args {
	const char *db_url;
	const char *config;
	const char *now;
	const char *recipient;
	int quiet;
};

/* "--name VALUE" or "--name=VALUE" at argv[*i]; NULL when not it. */
static const char *
opt_value(int argc, char **argv, int *i, const char *name, int *bad)
{
	size_t n = strlen(name);
	if (strcmp(argv[*i], name) == 0) {
		if (*i + 1 >= argc) {
			*bad = 1;
			return NULL;
		}
		return argv[++*i];
	}
	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	return NULL;
}

/* Reads the command line as the full program would (global options
 * anywhere). Returns 1 for `mailgate` with only what the fast path
 * takes, 0 for a mailgate line it leaves to the full program, -1 for
 * another command. */
static int
parse_args(int argc, char **argv, struct gate_args *a)
{
	const char *cmd = NULL;
	int bad = 0, other = 0;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if (strcmp(argv[i], "--") == 0) {
			other = 1;
			break;
		}
		if ((v = opt_value(argc, argv, &i, "--db", &bad)) != NULL)
			a->db_url = v;
		else if ((v = opt_value(argc, argv, &i, "--now", &bad)) != NULL)
			a->now = v;
		else if ((v = opt_value(argc, argv, &i, "--config", &bad)) != NULL)
			a->config = v;
		else if (opt_value(argc, argv, &i, "--policy", &bad) != NULL)
			;   /* the full program's business */
		else if (strcmp(argv[i], "--quiet") == 0)
			a->quiet = 1;
		else if (cmd == NULL && !bad)
			cmd = argv[i];
		else if (cmd && strcmp(cmd, "mailgate") == 0 &&
		         strcmp(argv[i], "--recipient") == 0 && i + 1 < argc)
			a->recipient = argv[++i];
		else
			other = 1;
	}
	if (cmd == NULL || strcmp(cmd, "mailgate") != 0)
		return -1;
	return !bad && !other;
}

/* What the fast path did with the message. */
enum gate_rc {
	GATE_ROUTE,     /* stored (or pending already): route *raw_id now */
	GATE_DONE,      /* stored for the worker, or routed before */
	GATE_BUSY,      /* nothing stored: exit 75 */
	GATE_FULL,      /* leave it to the full program */
};

static enum gate_rc
store_raw(const char *url, const char *raw, size_t len,
          const struct gate_args *a, int64_t received, int64_t *raw_id,
          char disposition[24])
{
	if (sodium_init() < 0)
		return GATE_FULL;
	char key[MSGID_MAX], hex[SHA256_HEX_LEN + 1], err[300];
	msgid_key(raw, len, key);
	sha256_hex(raw, len, hex);
	struct sqlite_gate_row row;
	/* The lease is about live processes: the wall clock, even when a
	 * test fixes the desk's clock. */
	switch (sqlite_gate_store(url, key, hex, a->recipient, raw, len, received,
	                          (int64_t)time(NULL), &row, err, sizeof err)) {
	case SQLITE_GATE_OK:
		break;
	case SQLITE_GATE_BUSY:
		return GATE_BUSY;
	case SQLITE_GATE_ERROR:
		log_warn("mailgate: %s; taking the long way", err);
		return GATE_FULL;
	}
	*raw_id = row.raw_id;
	snprintf(disposition, 24, "%s", row.disposition);
	return strcmp(row.disposition, "pending") != 0 || row.worker ? GATE_DONE
	                                                             : GATE_ROUTE;
}

int
gate_run(int argc, char **argv)
{
	struct gate_args a = {0};
	int fast = parse_args(argc, argv, &a);
	if (fast < 0)
		return -1;
	char url[1024];
	if (a.db_url == NULL) {
		switch (front_db_url(a.config, url, sizeof url)) {
		case 1:
			a.db_url = url;
			break;
		case 0:
			a.db_url = paths_get(PATHS_DB);
			break;
		default:
			fast = 0;
			a.db_url = "";
		}
	}
	if (a.now == NULL)
		a.now = getenv("SOPORTE_NOW");
	int64_t now = (int64_t)time(NULL);
	if (a.now && *a.now && iso_utc_parse(a.now, &now) != 0)
		fast = 0;
	if (!fast || strncmp(a.db_url, "sqlite:", 7) != 0) {
		front_exec_main(argc, argv, NULL);
		return EX_TEMPFAIL;   /* not even started: the MTA keeps it */
	}
	log_set_quiet(a.quiet);

	struct buf msg = BUF_INIT(MSGID_MAX_MESSAGE);
	int rc = msgid_read_stdin(&msg);
	if (rc != 0) {
		buf_free(&msg);
		return rc;
	}
	int64_t raw_id = 0;
	char disposition[24] = "";
	enum gate_rc g = store_raw(a.db_url, buf_str(&msg), msg.len, &a, now,
	                           &raw_id, disposition);
	char id[24];
	const char *const extra[] = {"--route-raw", id, NULL};
	switch (g) {
	case GATE_DONE:
		if (strcmp(disposition, "pending") == 0)
			log_info("mailgate: stored (raw message %lld), routed by the "
			         "intake worker", (long long)raw_id);
		else
			log_info("mailgate: %s (already received (same Message-ID))",
			         disposition);
		break;
	case GATE_BUSY:
		log_error("mailgate: not stored, try again later: database is busy");
		rc = EX_TEMPFAIL;
		break;
	case GATE_ROUTE:
		buf_free(&msg);
		snprintf(id, sizeof id, "%lld", (long long)raw_id);
		front_exec_main(argc, argv, extra);
		/* Stored, not routed: the MTA's retry routes the pending row. */
		return EX_TEMPFAIL;
	case GATE_FULL:
		front_exec_main_with_input(argc, argv, buf_str(&msg), msg.len);
		rc = EX_TEMPFAIL;
		break;
	}
	buf_free(&msg);
	return rc;
}
