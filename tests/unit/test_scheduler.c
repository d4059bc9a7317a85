/*
 * test_scheduler.c - the lifecycle commands and the scheduler in process
 * (SQLite in a temporary folder): R6 warnings fire exactly once with a
 * catch-up, the lease keeps a second scheduler out, a client reply
 * resumes a waiting ticket (R9), and the server thread starts, runs and
 * gives its lease back when stopped.
 */
#include "app/ops/scheduler.h"
#include "app/ticket/ticket_cmds.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../support/test_desk.h"

/* Monday 05/10/2026 09:00 Lima = 14:00Z. */
#define MON 1791208800

static struct test_desk d;

static int
setup(void **state)
{
	(void)state;
	return test_desk_open(&d, "sched", MON - 4 * 86400);
}

static int
teardown(void **state)
{
	(void)state;
	test_desk_close(&d);
	return 0;
}

static int64_t
count(const char *sql)
{
	int64_t n = -1;
	assert_int_equal(store_get_int(d.db, sql, STORE_NO_PARAMS, &n), STORE_OK);
	return n;
}

/* R6: two warnings per ticket, fired once, late runs catch up. */
static void
test_R6_warnings_fire_once(void **state)
{
	(void)state;
	int64_t n = test_desk_open_ticket(&d, 1, MON, NULL);
	assert_true(n > 0);
	struct tcmd_env env = {d.db, &d.pol, d.cal, MON + 86400};
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
	struct tcmd_env env = {d.db, &d.pol, d.cal, MON + 2 * 86400};
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
	int64_t n = test_desk_open_ticket(&d, 3, MON, NULL);
	struct tcmd_env env = {d.db, &d.pol, d.cal, MON + 3600};
	struct tcmd_request req = {.cmd = WF_CMD_WAIT, .number = n,
	                           .body = "Envíe capturas"};
	char err[256];
	assert_int_equal(tcmd_who_lookup(d.db, "ADMIN@prodequa.example", &req.who,
	                                 err, sizeof err),
	                 TCMD_OK);
	struct tcmd_result res;
	assert_int_equal(tcmd_run(&env, &req, &res), TCMD_OK);
	assert_int_equal(res.state, WF_WAITING);
	int64_t id = res.ticket_id, contact = 0;
	assert_int_equal(store_get_int(d.db,
	                               "SELECT contact_id FROM tickets WHERE id = $1",
	                               STORE_PARAMS(SP_I(id)), &contact),
	                 STORE_OK);
	env.now += 3600;
	assert_int_equal(store_begin(d.db, 1), STORE_OK);
	assert_int_equal(tcmd_client_message(&env, WF_CMD_CLIENT_REPLY, NULL, id, contact, NULL), STORE_OK);
	assert_int_equal(store_commit(d.db), STORE_OK);
	assert_int_equal(count("SELECT COUNT(*) FROM pauses WHERE end_at IS NULL "
	                       "AND ticket_id = (SELECT MAX(id) FROM tickets)"),
	                 0);
	assert_int_equal(count("SELECT COUNT(*) FROM jobs WHERE state = 'pending' "
	                       "AND kind IN ('attempt_reminder', 'auto_close')"),
	                 0);
	/* A stale version is a conflict and changes nothing. */
	req = (struct tcmd_request){.cmd = WF_CMD_REPLY, .number = n,
	                            .body = "Gracias", .expected_version = 1};
	assert_int_equal(tcmd_who_lookup(d.db, "admin@prodequa.example", &req.who,
	                                 err, sizeof err),
	                 TCMD_OK);
	assert_int_equal(tcmd_run(&env, &req, &res), TCMD_CONFLICT);
	/* An unknown person is not found. */
	assert_int_equal(tcmd_who_lookup(d.db, "x@y.example", &req.who, err,
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
	snprintf(url, sizeof url, "sqlite:%s/t.db", d.dir);
	assert_int_equal(store_open(url, &own, err, sizeof err), STORE_OK);
	assert_int_equal(sched_thread_start(own, &d.pol, d.cal, &o, 1, &t), 0);
	for (int i = 0; i < 50; i++) {
		int64_t n = 0;
		if (store_get_int(d.db,
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
