/*
 * intake.c - bench_intake: mail intake throughput (issue 6), three ways
 * over the same messages in the same run:
 *
 *   raw insert   each message's bytes INSERTed into a bare SQLite table,
 *                one transaction per message, through the project's store
 *                (WAL, synchronous=FULL): the floor a durable intake
 *                cannot beat;
 *   batch        `soporte intake DIR`: one process, intake_deliver() per
 *                message (stored durably, then parsed and routed);
 *   per process  `soporte mailgate` once per message with the message on
 *                stdin, as an MTA pipe runs it, 1 at a time and P at once;
 *                alone, and with a database connection held open the way
 *                a running `soporte serve` holds one.
 *
 * The messages are the corpus (the 5 MB one left out) repeated to N with
 * unique Message-IDs; the desk has the corpus clients, products and
 * contracts, so messages open tickets, thread replies and queue
 * acknowledgments as they would in production.
 *
 * Usage: bench_intake [N [P [M]]]   (defaults 5000, 4, 1000): N messages
 * for the raw and batch runs, the first min(N, M) for the per-process
 * runs (serial, and P at once). Runs the soporte binary of its build
 * ($SOPORTE overrides) and writes under $TMPDIR (default /tmp).
 */
#include "store/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SOPORTE_SRC
#define SOPORTE_SRC "."
#endif
#ifndef SOPORTE_BIN
#define SOPORTE_BIN "soporte"
#endif

struct msg {
	char *data;
	size_t len;
	char id[64];
};

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)n + 1);
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	if (p) {
		p[n] = '\0';
		*len = (size_t)n;
	}
	return p;
}

/* The message with its Message-ID header (and folded lines) replaced. */
static void
rewrite(const char *raw, size_t len, const char *id, struct msg *m)
{
	size_t cap = len + 128, o = 0;
	m->data = malloc(cap);
	o += (size_t)snprintf(m->data, cap, "Message-ID: <%s>\n", id);
	snprintf(m->id, sizeof m->id, "%s", id);
	size_t i = 0;
	int in_headers = 1, skipping = 0;
	while (i < len) {
		const char *nl = memchr(raw + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - raw) + 1 : len;
		const char *line = raw + i;
		size_t n = end - i;
		if (in_headers && (n == 1 || (n == 2 && line[0] == '\r')))
			in_headers = 0;
		if (in_headers) {
			if (line[0] == ' ' || line[0] == '\t') {
				if (skipping) {
					i = end;
					continue;
				}
			} else {
				skipping = strncasecmp(line, "Message-ID:", 11) == 0;
				if (skipping) {
					i = end;
					continue;
				}
			}
		}
		memcpy(m->data + o, line, n);
		o += n;
		i = end;
	}
	m->len = o;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "bench_intake: '%s' failed (%d)\n", cmd, rc);
	return rc;
}

/* A fresh desk database at path with the corpus clients and contracts. */
static int
fresh_desk(const char *soporte, const char *path)
{
	char cmd[4096];
	setenv("SOPORTE_DB", path, 1);
	snprintf(cmd, sizeof cmd,
	         "%s --quiet migrate --next-ticket-number 240 2>/dev/null && "
	         "%s --quiet import clients %s/../shared/corpus/clients.csv >/dev/null 2>&1 && "
	         "%s --quiet import products %s/tests/fixtures/corpus-products.csv >/dev/null 2>&1 && "
	         "%s --quiet import contracts %s/tests/fixtures/corpus-contracts.csv >/dev/null 2>&1",
	         soporte, soporte, SOPORTE_SRC, soporte, SOPORTE_SRC, soporte,
	         SOPORTE_SRC);
	return run(cmd);
}

/* Runs mailgate on messages [0, n) with up to par at once; returns the
 * failures (any exit but 0). */
static int
per_process(const char *soporte, const char *dir, int n, int par)
{
	int running = 0, failed = 0, next = 0;
	while (next < n || running > 0) {
		while (running < par && next < n) {
			char path[8400];
			snprintf(path, sizeof path, "%s/%05d.eml", dir, next++);
			pid_t pid = fork();
			if (pid == 0) {
				int fd = open(path, O_RDONLY);
				int null = open("/dev/null", O_WRONLY);
				if (fd < 0 || dup2(fd, 0) < 0 || null < 0 || dup2(null, 2) < 0)
					_exit(127);
				execl(soporte, soporte, "--quiet", "mailgate", "--recipient",
				      "soporte@prodequa.example", (char *)NULL);
				_exit(127);
			}
			if (pid < 0)
				return n;
			running++;
		}
		int st;
		if (wait(&st) > 0) {
			running--;
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
				failed++;
		}
	}
	return failed;
}

int
main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5000;
	int par = argc > 2 ? atoi(argv[2]) : 4;
	int nproc = argc > 3 ? atoi(argv[3]) : 1000;
	if (n < 1 || par < 1 || nproc < 1)
		return 2;
	if (nproc > n)
		nproc = n;

	/* The binary: ../soporte next to bench/, or $SOPORTE. */
	char soporte[4096];
	if (getenv("SOPORTE"))
		snprintf(soporte, sizeof soporte, "%s", getenv("SOPORTE"));
	else
		snprintf(soporte, sizeof soporte, "%s", SOPORTE_BIN);
	setenv("SOPORTE_POLICY", SOPORTE_SRC "/policy/prodequa.ini", 0);
	setenv("SOPORTE_TEMPLATES", SOPORTE_SRC "/templates", 0);
	setenv("SOPORTE_NOW", "2026-11-25T15:00:00Z", 0);

	char work[] = "/tmp/bench-intake.XXXXXX";
	const char *tmp = getenv("TMPDIR");
	char workbuf[4096];
	if (tmp) {
		snprintf(workbuf, sizeof workbuf, "%s/bench-intake.XXXXXX", tmp);
		if (mkdtemp(workbuf) == NULL)
			return 1;
	} else {
		if (mkdtemp(work) == NULL)
			return 1;
		snprintf(workbuf, sizeof workbuf, "%s", work);
	}
	char dir[4200], path[4400];
	snprintf(dir, sizeof dir, "%s/msgs", workbuf);
	mkdir(dir, 0700);

	/* The corpus, repeated to n with unique Message-IDs. */
	char cdir[4096];
	snprintf(cdir, sizeof cdir, "%s/../shared/corpus", SOPORTE_SRC);
	DIR *d = opendir(cdir);
	if (d == NULL) {
		fprintf(stderr, "bench_intake: %s: %s\n", cdir, strerror(errno));
		return 1;
	}
	char *names[256];
	int nn = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && nn < 256) {
		size_t l = strlen(e->d_name);
		if (l > 4 && strcmp(e->d_name + l - 4, ".eml") == 0)
			names[nn++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)nn, sizeof *names, cmp_str);
	char *src[256];
	size_t srclen[256];
	int ns = 0;
	size_t total = 0;
	for (int i = 0; i < nn; i++) {
		snprintf(path, sizeof path, "%s/%s", cdir, names[i]);
		size_t len;
		char *p = slurp(path, &len);
		if (p && len < 1024 * 1024) {
			src[ns] = p;
			srclen[ns++] = len;
		} else {
			free(p);
		}
		free(names[i]);
	}
	struct msg *msgs = calloc((size_t)n, sizeof *msgs);
	for (int i = 0; i < n; i++) {
		char id[64];
		snprintf(id, sizeof id, "bench-%05d@bench.invalid", i);
		rewrite(src[i % ns], srclen[i % ns], id, &msgs[i]);
		total += msgs[i].len;
		snprintf(path, sizeof path, "%s/%05d.eml", dir, i);
		FILE *f = fopen(path, "wb");
		fwrite(msgs[i].data, 1, msgs[i].len, f);
		fclose(f);
	}

	/* Raw inserts, through the store (same pragmas as the desk). */
	struct store *db;
	char url[4500], err[256];
	snprintf(url, sizeof url, "sqlite:%s/raw.db", workbuf);
	if (store_open(url, &db, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "bench_intake: %s\n", err);
		return 1;
	}
	store_exec(db, "CREATE TABLE raw (id INTEGER PRIMARY KEY, message_id TEXT "
	               "NOT NULL UNIQUE, size BIGINT NOT NULL, bytes BLOB NOT NULL)",
	           STORE_NO_PARAMS);
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		if (store_begin(db, 1) != STORE_OK ||
		    store_exec(db, "INSERT INTO raw (message_id, size, bytes) VALUES "
		                   "($1, $2, $3)",
		               STORE_PARAMS(SP_T(msgs[i].id), SP_I((int64_t)msgs[i].len),
		                            SP_B(msgs[i].data, msgs[i].len))) != STORE_OK ||
		    store_commit(db) != STORE_OK) {
			fprintf(stderr, "bench_intake: raw insert: %s\n", store_errmsg(db));
			return 1;
		}
	}
	double raw_s = now_s() - t0;
	store_close(db);

	/* Batch: one process. */
	snprintf(url, sizeof url, "sqlite:%s/batch.db", workbuf);
	if (fresh_desk(soporte, url) != 0)
		return 1;
	char cmd[16384];
	snprintf(cmd, sizeof cmd, "%s --quiet intake --recipient "
	         "soporte@prodequa.example %s 2>%s/batch.log", soporte, dir, workbuf);
	t0 = now_s();
	int batch_rc = run(cmd);
	double batch_s = now_s() - t0;

	/* One process per message: serial, then par at once; each alone
	 * (every gate is the database's last connection: it checkpoints and
	 * removes the WAL at exit, the next one creates it again), and with
	 * a connection held open as a running `soporte serve` holds one. */
	double pp_s[2][2];
	int pp_fail = 0;
	for (int held = 0; held < 2; held++) {
		for (int k = 0; k < 2; k++) {
			snprintf(url, sizeof url, "sqlite:%s/pp-%d-%d.db", workbuf, held, k);
			if (fresh_desk(soporte, url) != 0)
				return 1;
			struct store *keep = NULL;
			int64_t dummy;
			if (held && (store_open(url, &keep, err, sizeof err) != STORE_OK ||
			             store_get_int(keep, "SELECT COUNT(*) FROM raw_messages",
			                           STORE_NO_PARAMS, &dummy) != STORE_OK)) {
				fprintf(stderr, "bench_intake: %s\n", err);
				return 1;
			}
			t0 = now_s();
			pp_fail += per_process(soporte, dir, nproc, k ? par : 1);
			pp_s[held][k] = now_s() - t0;
			store_close(keep);
		}
	}

	double raw_rate = n / raw_s;
	printf("messages: %d (%.1f MiB, corpus repeated, unique Message-IDs), "
	       "SQLite WAL synchronous=FULL\n\n",
	       n, (double)total / (1024.0 * 1024.0));
	printf("| path | messages | seconds | messages/s | vs raw insert |\n");
	printf("|---|---:|---:|---:|---:|\n");
	printf("| raw SQLite insert (1 transaction each) | %d | %.2f | %.0f | 1.00x |\n",
	       n, raw_s, raw_rate);
	printf("| batch: soporte intake DIR (1 process) | %d | %.2f | %.0f | %.2fx slower |\n",
	       n, batch_s, n / batch_s, raw_rate / (n / batch_s));
	for (int held = 0; held < 2; held++)
		for (int k = 0; k < 2; k++) {
			char what[120];
			snprintf(what, sizeof what, "%s%s",
			         k ? "" : "serial",
			         held ? ", server connection open" : ", alone");
			char at_once[40] = "";
			if (k)
				snprintf(at_once, sizeof at_once, "%d at once", par);
			printf("| soporte mailgate, 1 process per message, %s%s | %d | %.2f | "
			       "%.0f | %.2fx slower |\n",
			       k ? at_once : "", what, nproc, pp_s[held][k],
			       nproc / pp_s[held][k], raw_rate / (nproc / pp_s[held][k]));
		}
	printf("\nfailures: batch exit %d, per process %d (exit 75 = retry)\n",
	       batch_rc, pp_fail);
	printf("work files: %s (remove by hand)\n", workbuf);
	for (int i = 0; i < n; i++)
		free(msgs[i].data);
	free(msgs);
	for (int i = 0; i < ns; i++)
		free(src[i]);
	return batch_rc || pp_fail ? 1 : 0;
}
