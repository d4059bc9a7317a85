/*
 * cmd_intake.c - soporte intake: many messages from files, one process.
 *
 * SECURITY: the files are untrusted mail (see app/intake.h); their names
 * are the operator's.
 *
 * The batch door to intake_deliver(), for an archive of .eml files, a
 * Maildir's cur/ and new/, a redelivery after an outage, or the intake
 * benchmark: the policy, calendar and database are opened once, then each
 * message is stored and routed exactly as `soporte mailgate` would (its
 * own transactions, durable before the next file). Exit status: 0 when
 * every message is stored (or was already), 75 when any could not be
 * stored now (run again: the stored ones come back as duplicates), 65 when
 * any was refused for good, 66 when a file cannot be read.
 */
#include "app/db.h"
#include "app/intake.h"
#include "cli/cli.h"
#include "core/calendar.h"
#include "util/buf.h"
#include "util/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage[] =
    "usage: soporte intake [--recipient ADDRESS] FILE|DIR...\n"
    "\n"
    "Takes each file (one RFC 5322 message) into the desk as 'soporte\n"
    "mailgate' does, in one process; a folder means its files, by name.\n"
    "  --recipient ADDRESS  the envelope recipient to record\n"
    "Exit status: 0 all stored, 75 some not stored (run again), 65 some\n"
    "refused (too large), 66 a file cannot be read.\n";

struct tally {
	int stored, duplicates, tempfail, refused, unreadable;
};

/* Reads a whole file into b (reset first): 0, 1 when too large, -1. */
static int
read_file(const char *path, struct buf *b)
{
	buf_reset(b);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	char chunk[65536];
	ssize_t n;
	int rc = 0;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = -1;
			break;
		}
		enum buf_rc r = buf_append(b, chunk, (size_t)n);
		if (r != BUF_OK) {
			rc = r == BUF_TOO_BIG ? 1 : -1;
			break;
		}
	}
	close(fd);
	return rc;
}

static void
deliver_file(const struct intake *in, const char *path, const char *recipient,
             int64_t now, struct buf *msg, struct tally *t)
{
	int r = read_file(path, msg);
	if (r != 0) {
		if (r > 0) {
			log_error("intake: %s: larger than 64 MiB, refused", path);
			t->refused++;
		} else {
			log_error("intake: %s: %s", path, strerror(errno));
			t->unreadable++;
		}
		return;
	}
	struct intake_result res;
	enum intake_rc rc = intake_deliver(in, buf_str(msg), msg->len, recipient,
	                                   now, &res);
	switch (rc) {
	case INTAKE_STORED:
	case INTAKE_DUPLICATE:
		if (rc == INTAKE_DUPLICATE)
			t->duplicates++;
		else
			t->stored++;
		if (res.ticket_number)
			log_info("intake: %s: %s #%06lld (%s)", path, res.disposition,
			         (long long)res.ticket_number, res.reason);
		else
			log_info("intake: %s: %s (%s)", path, res.disposition, res.reason);
		break;
	case INTAKE_TEMPFAIL:
		log_error("intake: %s: not stored, try again later: %s", path, res.reason);
		t->tempfail++;
		break;
	case INTAKE_REFUSED:
		log_error("intake: %s: refused: %s", path, res.reason);
		t->refused++;
		break;
	}
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Delivers the regular files of dir, sorted by name. */
static void
deliver_dir(const struct intake *in, const char *dir, const char *recipient,
            int64_t now, struct buf *msg, struct tally *t)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		log_error("intake: %s: %s", dir, strerror(errno));
		t->unreadable++;
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			char **nn = realloc(names, ncap * sizeof *nn);
			if (nn == NULL)
				break;
			names = nn;
			cap = ncap;
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		if ((names[n] = malloc(len)) == NULL)
			break;
		snprintf(names[n], len, "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			deliver_file(in, names[i], recipient, now, msg, t);
		free(names[i]);
	}
	free(names);
}

int
cmd_intake(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	const char *recipient = NULL;
	int first = 1;
	for (; first < argc; first++) {
		const char *v;
		if ((v = cli_arg(argc, argv, &first, "--recipient"))) {
			recipient = v;
		} else if (strcmp(argv[first], "--") == 0) {
			first++;
			break;
		} else if (argv[first][0] == '-' && argv[first][1] == '-') {
			log_error("intake: unknown option '%s' (try --help)", argv[first]);
			return EX_USAGE;
		} else {
			break;
		}
	}
	if (first >= argc) {
		log_error("intake: no files (try --help)");
		return EX_USAGE;
	}
	struct policy pol;
	struct calendar *cal = NULL;
	struct store *db = NULL;
	struct buf msg = BUF_INIT(INTAKE_MAX_BYTES);
	struct tally t = {0};
	int rc = cli_open_desk(cli, &pol, &cal, &db);
	if (rc != EX_OK)
		goto out;
	struct intake in = {db, &pol, cal};
	for (int i = first; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			deliver_dir(&in, argv[i], recipient, cli->now, &msg, &t);
		else
			deliver_file(&in, argv[i], recipient, cli->now, &msg, &t);
	}
	fprintf(stderr, "soporte: intake: %d stored, %d already had, %d not stored "
	        "(retry), %d refused, %d unreadable\n",
	        t.stored, t.duplicates, t.tempfail, t.refused, t.unreadable);
	rc = t.tempfail ? EX_TEMPFAIL
	   : t.unreadable ? EX_NOINPUT
	   : t.refused ? EX_DATAERR
	   : EX_OK;
out:
	buf_free(&msg);
	store_close(db);
	calendar_free(cal);
	return rc;
}
