/*
 * cmd_intake.c - soporte intake: many messages from files, one process.
 *
 * SECURITY: the files are untrusted mail (see app/intake/intake.h); their names
 * are the operator's.
 *
 * The batch door to intake, for an archive of .eml files, a Maildir's cur/
 * and new/, a redelivery after an outage, or the intake benchmark: the
 * policy, calendar and database are opened once, then each message is
 * stored and routed exactly as `soporte mailgate` would, in file order,
 * but up to INTAKE_GROUP_MAX messages (INTAKE_GROUP_BYTES) share one
 * transaction (intake_deliver_group(): one disk flush per group, not per
 * message). The files are read before the transaction starts, so the
 * write lock is never held while waiting on a slow file. A message that
 * fails to route is kept, marked 'failed', and its group goes on; a crash
 * leaves the open group's messages unstored, and running the same command
 * again stores each of them once (the earlier groups come back as
 * duplicates).
 * Exit status: 0 when every message is stored (or was already), 75 when
 * any could not be stored now (run again: the stored ones come back as
 * duplicates), 65 when any was refused for good, 66 when a file cannot be
 * read.
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/intake/intake.h"
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
    "Messages are committed in groups of up to 32: if the command is\n"
    "interrupted, run it again (the ones stored come back as duplicates).\n"
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

/* Messages read and not yet delivered: within INTAKE_GROUP_MAX and
 * INTAKE_GROUP_BYTES (app/intake/intake.h). */
#define GROUP_KEEP_BYTES (1u << 20)

struct group {
	const struct intake *in;
	const char *recipient;
	int64_t now;
	struct tally *t;
	size_t n, bytes;
	char *path[INTAKE_GROUP_MAX];   /* owned */
	struct buf msg[INTAKE_GROUP_MAX];
};

static void
report(const char *path, enum intake_rc rc, const struct intake_result *res,
       struct tally *t)
{
	switch (rc) {
	case INTAKE_STORED:
	case INTAKE_DUPLICATE:
		if (rc == INTAKE_DUPLICATE)
			t->duplicates++;
		else
			t->stored++;
		if (res->ticket_number)
			log_info("intake: %s: %s #%06lld (%s)", path, res->disposition,
			         (long long)res->ticket_number, res->reason);
		else
			log_info("intake: %s: %s (%s)", path, res->disposition,
			         res->reason);
		break;
	case INTAKE_TEMPFAIL:
		log_error("intake: %s: not stored, try again later: %s", path,
		          res->reason);
		t->tempfail++;
		break;
	case INTAKE_REFUSED:
		log_error("intake: %s: refused: %s", path, res->reason);
		t->refused++;
		break;
	}
}

/* Delivers the messages read so far, in one transaction (app/intake/intake.h),
 * reports each and empties the group. */
static void
group_flush(struct group *g)
{
	struct intake_msg msgs[INTAKE_GROUP_MAX];
	struct intake_result res[INTAKE_GROUP_MAX];
	enum intake_rc rc[INTAKE_GROUP_MAX];
	for (size_t i = 0; i < g->n; i++)
		msgs[i] = (struct intake_msg){buf_str(&g->msg[i]), g->msg[i].len,
		                              g->recipient};
	if (g->n > 0)
		intake_deliver_group(g->in, msgs, g->n, g->now, res, rc);
	for (size_t i = 0; i < g->n; i++) {
		report(g->path[i], rc[i], &res[i], g->t);
		free(g->path[i]);
		/* Kept for the next group (read_file() resets it), unless a
		 * large message made it large. */
		if (g->msg[i].cap > GROUP_KEEP_BYTES)
			buf_free(&g->msg[i]);
	}
	g->n = 0;
	g->bytes = 0;
}

/* Reads the file at path into the group, delivering the group first when
 * it is full. */
static void
group_add(struct group *g, const char *path)
{
	if (g->n == INTAKE_GROUP_MAX)
		group_flush(g);
	struct buf *b = &g->msg[g->n];
	int r = read_file(path, b);
	char *copy = r == 0 ? strdup(path) : NULL;
	if (r != 0 || copy == NULL) {
		if (r > 0) {
			log_error("intake: %s: larger than 64 MiB, refused", path);
			g->t->refused++;
		} else {
			log_error("intake: %s: %s", path, strerror(r ? errno : ENOMEM));
			g->t->unreadable++;
		}
		buf_free(b);
		return;
	}
	if (g->n > 0 && g->bytes + b->len > INTAKE_GROUP_BYTES) {
		/* The others go first; this one starts the next group. */
		size_t k = g->n;
		group_flush(g);
		struct buf first = g->msg[0];
		g->msg[0] = g->msg[k];
		g->msg[k] = first;
	}
	g->path[g->n] = copy;
	g->bytes += g->msg[g->n].len;
	g->n++;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Delivers the regular files of dir, sorted by name. */
static void
deliver_dir(struct group *g, const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		log_error("intake: %s: %s", dir, strerror(errno));
		g->t->unreadable++;
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
			group_add(g, names[i]);
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
	struct desk desk = {0};
	struct tally t = {0};
	struct group *g = NULL;
	int rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK)
		goto out;
	struct intake in = {desk.db, &desk.pol, desk.cal};
	if ((g = calloc(1, sizeof *g)) == NULL) {
		log_error("intake: out of memory");
		rc = EX_TEMPFAIL;
		goto out;
	}
	*g = (struct group){.in = &in, .recipient = recipient, .now = cli->now,
	                    .t = &t};
	for (size_t i = 0; i < INTAKE_GROUP_MAX; i++)
		g->msg[i] = (struct buf)BUF_INIT(INTAKE_MAX_BYTES);
	for (int i = first; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			deliver_dir(g, argv[i]);
		else
			group_add(g, argv[i]);
	}
	group_flush(g);
	fprintf(stderr, "soporte: intake: %d stored, %d already had, %d not stored "
	        "(retry), %d refused, %d unreadable\n",
	        t.stored, t.duplicates, t.tempfail, t.refused, t.unreadable);
	rc = t.tempfail ? EX_TEMPFAIL
	   : t.unreadable ? EX_NOINPUT
	   : t.refused ? EX_DATAERR
	   : EX_OK;
out:
	for (size_t i = 0; g && i < INTAKE_GROUP_MAX; i++)
		buf_free(&g->msg[i]);
	free(g);
	desk_close(&desk);
	return rc;
}
