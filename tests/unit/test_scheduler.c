/*
 * test_scheduler.c - the lifecycle commands and the scheduler in process
 * (SQLite in a temporary folder): R6 warnings fire exactly once with a
 * catch-up, the lease keeps a second scheduler out, a client reply
 * resumes a waiting ticket (R9), and the server thread starts, runs and
 * gives its lease back when stopped.
 */
#include "app/calendar_load.h"
#include "app/demo.h"
#include "app/policy_file.h"
#include "app/scheduler.h"
#include "app/ticket_cmds.h"
#include "store/migrate.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* Monday 05/10/2026 09:00 Lima = 14:00Z. */
#define MON 1791208800

static struct policy pol;
static struct calendar *cal;
static struct store *db;
static char dir[64];

static int
setup(void **state)
{
	(void)state;
	struct policy_diag diag;
	char err[256], url[128];
	if (policy_load(SOPORTE_SRC "/policy/prodequa.ini", &pol, &diag) !=
	        POLICY_LOAD_OK ||
	    calendar_load(&pol, NULL, &cal, NULL, err, sizeof err) != CALLOAD_OK)
		return -1;
	snprintf(dir, sizeof dir, "/tmp/soporte-sched.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
	if (store_open(url, &db, err, sizeof err) != STORE_OK ||
	    store_migrate(db, MON, NULL) != STORE_OK)
		return -1;
	setenv("SOPORTE_TEMPLATES", SOPORTE_SRC "/templates", 1);
	if (store_begin(db, 1) != STORE_OK ||
	    demo_load(db, &pol, cal, MON - 4 * 86400) != STORE_OK ||
	    store_commit(db) != STORE_OK)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	char path[128];
	store_close(db);
	calendar_free(cal);
	snprintf(path, sizeof path, "%s/t.db", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/t.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/t.db-shm", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

static int64_t
count(const char *sql)
{
	int64_t n = -1;
	assert_int_equal(store_get_int(db, sql, STORE_NO_PARAMS, &n), STORE_OK);
	return n;
}

static int64_t
open_ticket(int severity, int64_t at)
{
	int64_t client = 0, contact = 0;
	assert_int_equal(store_get_int(db,
	                               "SELECT id FROM contacts WHERE "
	                               "email = 'rquispe@andinas.example.pe'",
	                               STORE_NO_PARAMS, &contact),
	                 STORE_OK);
	assert_int_equal(store_get_int(db,
	                               "SELECT client_id FROM contacts WHERE id = $1",
	                               STORE_PARAMS(SP_I(contact)), &client),
	                 STORE_OK);
	struct ticket_request req = {
		.client_id = client,
		.contact_id = contact,
		.subject = "Caída",
		.body = "No funciona",
		.severity = severity,
		.channel = "phone",
		.channel_reason = "el correo del cliente no funciona",
		.reported_at = at,
		.actor = ACTOR_SYSTEM_INIT,
	};
	struct tcmd_env env = {db, &pol, cal, at};
	struct tcmd_result res;
	assert_int_equal(tcmd_open(&env, &req, &res), TCMD_OK);
	assert_int_equal(res.state, WF_ASSIGNED);
	return res.number;
}

/* R6: two warnings per ticket, fired once, late runs catch up. */
static void
test_R6_warnings_fire_once(void **state)
{
	(void)state;
	int64_t n = open_ticket(1, MON);
	assert_true(n > 0);
	struct tcmd_env env = {db, &pol, cal, MON + 86400};
	struct sched_opts o = {.holder = "unit"};
	struct sched_stats st;
	assert_int_equal(sched_run_once(&env, &o, &st), SCHED_OK);
	assert_int_equal(st.fired, 2);
	assert_int_equal(sched_run_once(&env, &o, &st), SCHED_OK);
	assert_int_equal(st.fired + st.skipped, 0);
	assert_int_equal(count("SELECT COUNT(*) FROM audit_events WHERE action "
	                       "IN ('sla.at_risk', 'sla.breached')"),
	                 2);
}

/* The lease: a holder that keeps it shuts the others out until expiry. */
static void
test_lease(void **state)
{
	(void)state;
	struct tcmd_env env = {db, &pol, cal, MON + 2 * 86400};
	struct sched_opts a = {.holder = "A", .lease_s = 100, .keep_lease = 1};
	struct sched_opts b = {.holder = "B"};
	struct sched_stats st;
	assert_int_equal(sched_run_once(&env, &a, &st), SCHED_OK);
	assert_int_equal(sched_run_once(&env, &b, &st), SCHED_NOT_LEADER);
	assert_string_equal(st.holder, "A");
	env.now += 100;
	assert_int_equal(sched_run_once(&env, &b, &st), SCHED_OK);
	assert_string_equal(st.holder, "B");
}

/* R9: waiting pauses; the client's message resumes and cancels timers. */
static void
test_R9_client_message_resumes(void **state)
{
	(void)state;
	int64_t n = open_ticket(3, MON);
	struct tcmd_env env = {db, &pol, cal, MON + 3600};
	struct tcmd_request req = {.cmd = WF_CMD_WAIT, .number = n,
	                           .body = "Envíe capturas"};
	char err[256];
	assert_int_equal(tcmd_who_lookup(db, "ADMIN@prodequa.example", &req.who,
	                                 err, sizeof err),
	                 TCMD_OK);
	struct tcmd_result res;
	assert_int_equal(tcmd_run(&env, &req, &res), TCMD_OK);
	assert_int_equal(res.state, WF_WAITING);
	int64_t id = res.ticket_id, contact = 0;
	assert_int_equal(store_get_int(db,
	                               "SELECT contact_id FROM tickets WHERE id = $1",
	                               STORE_PARAMS(SP_I(id)), &contact),
	                 STORE_OK);
	env.now += 3600;
	assert_int_equal(store_begin(db, 1), STORE_OK);
	assert_int_equal(tcmd_client_message(&env, WF_CMD_CLIENT_REPLY, NULL, id, contact), STORE_OK);
	assert_int_equal(store_commit(db), STORE_OK);
	assert_int_equal(count("SELECT COUNT(*) FROM pauses WHERE end_at IS NULL "
	                       "AND ticket_id = (SELECT MAX(id) FROM tickets)"),
	                 0);
	assert_int_equal(count("SELECT COUNT(*) FROM jobs WHERE state = 'pending' "
	                       "AND kind IN ('attempt_reminder', 'auto_close')"),
	                 0);
	/* A stale version is a conflict and changes nothing. */
	req = (struct tcmd_request){.cmd = WF_CMD_REPLY, .number = n,
	                            .body = "Gracias", .expected_version = 1};
	assert_int_equal(tcmd_who_lookup(db, "admin@prodequa.example", &req.who,
	                                 err, sizeof err),
	                 TCMD_OK);
	assert_int_equal(tcmd_run(&env, &req, &res), TCMD_CONFLICT);
	/* An unknown person is not found. */
	assert_int_equal(tcmd_who_lookup(db, "x@y.example", &req.who, err,
	                                 sizeof err),
	                 TCMD_NOT_FOUND);
}

/* The server thread: starts, runs at the wall clock, stops, releases. */
static void
test_thread(void **state)
{
	(void)state;
	struct sched_opts o = {.holder = "thread"};
	struct sched_thread *t = NULL;
	struct store *own = NULL;
	char url[128], err[256];
	snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
	assert_int_equal(store_open(url, &own, err, sizeof err), STORE_OK);
	assert_int_equal(sched_thread_start(own, &pol, cal, &o, 1, &t), 0);
	for (int i = 0; i < 50; i++) {
		int64_t n = 0;
		if (store_get_int(db,
		                  "SELECT COUNT(*) FROM leases WHERE holder = 'thread'",
		                  STORE_NO_PARAMS, &n) == STORE_OK && n == 1)
			break;
		usleep(100000);
	}
	sched_thread_stop(t);
	store_close(own);
	assert_int_equal(count("SELECT expires_at FROM leases WHERE holder = "
	                       "'thread'"),
	                 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R6_warnings_fire_once),
		cmocka_unit_test(test_lease),
		cmocka_unit_test(test_R9_client_message_resumes),
		cmocka_unit_test(test_thread),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
