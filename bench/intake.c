/*
 * intake.c - bench_intake: mail intake throughput (issue 6), over the
 * same messages in the same run, on SQLite and, when given a PostgreSQL
 * cluster, on PostgreSQL too:
 *
 *   raw insert   each message's bytes INSERTed into a bare table, one
 *                transaction per message, through the project's store
 *                (SQLite: WAL, synchronous=FULL): the floor a durable
 *                intake cannot beat;
 *   batch        `soporte intake DIR`: one process, intake_deliver() per
 *                message (stored and routed in one transaction);
 *   per process  `soporte mailgate` once per message with the message on
 *                stdin, as an MTA pipe runs it, 1 at a time and P at once:
 *                with no server (each gate routes its message: the light
 *                front stores it, then execs the full program), and with
 *                `soporte serve` running (on SQLite its resident intake
 *                worker routes what the gates store: reported as stored/s,
 *                the gates' own time, and routed/s, until the worker has
 *                routed the last one).
 *
 * The messages are the corpus (the 5 MB one left out) repeated to N with
 * unique Message-IDs; the desk has the corpus clients, products and
 * contracts, so messages open tickets, thread replies and queue
 * acknowledgments as they would in production.
 *
 * Usage: bench_intake [N [P [M]]]   (defaults 5000, 4, 1000): N messages
 * for the raw and batch runs, the first min(N, M) for the per-process
 * runs. $BENCH_PG=postgresql://USER@HOST:PORT (a cluster where USER may
 * create databases) adds the PostgreSQL rows. Runs the soporte binary of
 * its build ($SOPORTE overrides) and writes under $TMPDIR (default /tmp).
 */
#include "store/store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <signal.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
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

/* A fresh, empty database for one run: a file under work on SQLite, a
 * new database in the cluster on PostgreSQL. */
static int
fresh_url(const char *pg, const char *work, const char *name, char *url,
          size_t len)
{
	if (pg == NULL) {
		snprintf(url, len, "sqlite:%s/%s.db", work, name);
		return 0;
	}
	char admin[4200], err[256], sql[200];
	struct store *db;
	snprintf(admin, sizeof admin, "%s/postgres", pg);
	if (store_open(admin, &db, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "bench_intake: %s\n", err);
		return -1;
	}
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS bench_intake_%s", name);
	store_exec(db, sql, STORE_NO_PARAMS);
	snprintf(sql, sizeof sql, "CREATE DATABASE bench_intake_%s", name);
	enum store_rc rc = store_exec(db, sql, STORE_NO_PARAMS);
	if (rc != STORE_OK)
		fprintf(stderr, "bench_intake: %s\n", store_errmsg(db));
	store_close(db);
	snprintf(url, len, "%s/bench_intake_%s", pg, name);
	return rc == STORE_OK ? 0 : -1;
}

static int64_t
count(const char *url, const char *sql)
{
	struct store *db;
	char err[256];
	int64_t n = -1;
	if (store_open(url, &db, err, sizeof err) == STORE_OK) {
		if (store_get_int(db, sql, STORE_NO_PARAMS, &n) != STORE_OK)
			n = -1;
		store_close(db);
	}
	return n;
}

/* A free TCP port on 127.0.0.1. */
static int
free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t l = sizeof a;
	int port = 0;
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &l) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* Starts `soporte serve` on url and waits until its intake worker holds
 * the lease (SQLite) or it answers (PostgreSQL: the gates route
 * in-process there, the worker finds nothing to do). */
static pid_t
start_server(const char *soporte, const char *url, const char *work)
{
	char listen[64], key[4200], log[4200];
	snprintf(listen, sizeof listen, "127.0.0.1:%d", free_port());
	snprintf(key, sizeof key, "%s/vault.key", work);
	snprintf(log, sizeof log, "%s/serve.log", work);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd < 0 || dup2(fd, 2) < 0)
			_exit(127);
		setenv("SOPORTE_DB", url, 1);
		execl(soporte, soporte, "serve", "--listen", listen, "--web",
		      SOPORTE_SRC "/web", "--key-file", key, "--insecure-cookies",
		      "--no-access-log", "--no-scheduler", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; pid > 0 && i < 300; i++) {
		char sql[200];
		snprintf(sql, sizeof sql,
		         "SELECT COUNT(*) FROM leases WHERE name = 'intake' AND "
		         "expires_at > %lld", (long long)time(NULL));
		if (count(url, sql) > 0)
			return pid;
		usleep(100000);
	}
	fprintf(stderr, "bench_intake: the server did not start (see %s)\n", log);
	return -1;
}

static void
stop_server(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
}

struct row {
	char what[160];
	int n;
	double s;
};

static struct row rows[32];
static int nrows;

static void
add_row(const char *what, int n, double s)
{
	if (nrows < 32) {
		snprintf(rows[nrows].what, sizeof rows[nrows].what, "%s", what);
		rows[nrows].n = n;
		rows[nrows].s = s;
		nrows++;
	}
}

/* Every run of one engine; pg NULL for SQLite. Returns the failures. */
static int
bench_engine(const char *soporte, const char *pg, const char *work,
             const char *dir, struct msg *msgs, int n, int par, int nproc)
{
	const char *eng = pg ? "PostgreSQL" : "SQLite";
	char url[4500], err[256], what[160];
	int failures = 0;

	/* Raw inserts, through the store (same settings as the desk). */
	struct store *db;
	if (fresh_url(pg, work, "raw", url, sizeof url) != 0 ||
	    store_open(url, &db, err, sizeof err) != STORE_OK) {
		fprintf(stderr, "bench_intake: %s\n", err);
		return 1;
	}
	store_exec(db, store_engine(db) == STORE_SQLITE
	                   ? "CREATE TABLE raw (id INTEGER PRIMARY KEY, message_id "
	                     "TEXT NOT NULL UNIQUE, size BIGINT NOT NULL, bytes "
	                     "BLOB NOT NULL)"
	                   : "CREATE TABLE raw (id BIGSERIAL PRIMARY KEY, message_id "
	                     "TEXT NOT NULL UNIQUE, size BIGINT NOT NULL, bytes "
	                     "BYTEA NOT NULL)",
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
	snprintf(what, sizeof what, "%s: raw insert (1 transaction each)", eng);
	add_row(what, n, now_s() - t0);
	store_close(db);

	/* Batch: one process. */
	if (fresh_url(pg, work, "batch", url, sizeof url) != 0 ||
	    fresh_desk(soporte, url) != 0)
		return 1;
	char cmd[16384];
	snprintf(cmd, sizeof cmd, "%s --quiet intake --recipient "
	         "soporte@prodequa.example %s 2>%s/batch.log", soporte, dir, work);
	t0 = now_s();
	failures += run(cmd) != 0;
	snprintf(what, sizeof what, "%s: batch, soporte intake DIR (1 process)",
	         eng);
	add_row(what, n, now_s() - t0);

	/* One process per message: serial, then par at once; with no server
	 * (each gate routes its own message), then with `soporte serve`
	 * running. */
	for (int served = 0; served < 2; served++) {
		for (int k = 0; k < 2; k++) {
			char name[32];
			snprintf(name, sizeof name, "pp_%d_%d", served, k);
			if (fresh_url(pg, work, name, url, sizeof url) != 0 ||
			    fresh_desk(soporte, url) != 0)
				return 1;
			pid_t server = served ? start_server(soporte, url, work) : 0;
			if (server < 0)
				return 1;
			t0 = now_s();
			failures += per_process(soporte, dir, nproc, k ? par : 1);
			double stored = now_s() - t0;
			char how[40];
			if (k)
				snprintf(how, sizeof how, "%d at once", par);
			else
				snprintf(how, sizeof how, "serial");
			snprintf(what, sizeof what,
			         "%s: mailgate, 1 process per message, %s, %s", eng, how,
			         served ? "serve running: stored" : "no server: routed");
			add_row(what, nproc, stored);
			if (served) {
				/* Until the worker has routed the last one. */
				while (count(url, "SELECT COUNT(*) FROM raw_messages WHERE "
				                  "disposition = 'pending'") > 0)
					usleep(2000);
				snprintf(what, sizeof what,
				         "%s: mailgate, 1 process per message, %s, serve "
				         "running: routed", eng, how);
				add_row(what, nproc, now_s() - t0);
				stop_server(server);
			}
			int64_t routed = count(url, "SELECT COUNT(*) FROM raw_messages "
			                            "WHERE disposition NOT IN ('pending', "
			                            "'failed')");
			if (routed != nproc) {
				fprintf(stderr, "bench_intake: %s: %lld of %d routed\n", what,
				        (long long)routed, nproc);
				failures++;
			}
		}
	}
	return failures;
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
	const char *pg = getenv("BENCH_PG");
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

	int failures = bench_engine(soporte, NULL, workbuf, dir, msgs, n, par,
	                            nproc);
	if (pg && *pg)
		failures += bench_engine(soporte, pg, workbuf, dir, msgs, n, par,
		                         nproc);

	double loads[3] = {0};
	FILE *la = fopen("/proc/loadavg", "r");
	if (la) {
		if (fscanf(la, "%lf %lf %lf", &loads[0], &loads[1], &loads[2]) != 3)
			loads[0] = -1;
		fclose(la);
	}
	printf("messages: %d (%.1f MiB, corpus repeated, unique Message-IDs); "
	       "SQLite WAL synchronous=FULL; load average %.1f %.1f %.1f\n\n",
	       n, (double)total / (1024.0 * 1024.0), loads[0], loads[1],
	       loads[2]);
	printf("| path | messages | seconds | messages/s | vs raw insert |\n");
	printf("|---|---:|---:|---:|---:|\n");
	double raw_rate = 0;
	for (int i = 0; i < nrows; i++) {
		double rate = rows[i].n / rows[i].s;
		if (strstr(rows[i].what, "raw insert"))
			raw_rate = rate;
		printf("| %s | %d | %.2f | %.0f | %.2fx |\n", rows[i].what, rows[i].n,
		       rows[i].s, rate, raw_rate / rate);
	}
	printf("\nfailures: %d (any exit but 0, or a message not routed)\n",
	       failures);
	printf("work files: %s (remove by hand)\n", workbuf);
	for (int i = 0; i < n; i++)
		free(msgs[i].data);
	free(msgs);
	for (int i = 0; i < ns; i++)
		free(src[i]);
	return failures ? 1 : 0;
}
