/*
 * test_ticket_clock.c - the "sla" object of the ticket JSON (R6), in
 * process on a SQLite desk: the countdown is business time (it stands
 * still over the weekend and runs again on Monday morning), waiting on
 * the client shows "paused", an unanswered ticket with an open pause
 * keeps its count frozen, and the list says the same as one ticket.
 */
#include "app/ticket/ticket_cmds.h"
#include "app/ticket/ticket_query.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../support/test_desk.h"

/* Monday 05/10/2026 09:00 Lima = 14:00Z; the Friday before, 11:00. */
#define MON 1791208800
#define FRI11 (MON - 3 * 86400 + 2 * 3600)
#define H 3600

static struct test_desk d;

static int
setup(void **state)
{
	(void)state;
	return test_desk_open(&d, "clock", FRI11 - 86400);
}

static int
teardown(void **state)
{
	(void)state;
	test_desk_close(&d);
	return 0;
}

/* The ticket's "sla" object at now (the caller frees *t). */
static json_t *
clock_at(int64_t number, int64_t now, json_t **t)
{
	assert_int_equal(ticket_get_json(d.db, d.cal, &d.pol, now, number, NULL, t),
	                 STORE_OK);
	json_t *s = json_object_get(*t, "sla");
	assert_non_null(s);
	return s;
}

struct want {
	const char *name;
	int64_t now;
	const char *status;
	int64_t remaining_s;
	int running;
};

static void
expect(int64_t number, const struct want *w)
{
	json_t *t;
	json_t *s = clock_at(number, w->now, &t);
	print_message("%s\n", w->name);
	assert_string_equal(json_string_value(json_object_get(s, "status")),
	                    w->status);
	assert_int_equal(json_integer_value(json_object_get(s, "remaining_business_s")),
	                 w->remaining_s);
	assert_int_equal(json_is_true(json_object_get(s, "running")), w->running);
	json_decref(t);
}

/* R6: severity 1 (6 business hours) reported Friday 11:00: at 17:00 two
 * hours are left, at 18:00 one, and still one all weekend; Monday 08:00
 * it runs again. */
static void
test_R6_countdown_in_business_time(void **state)
{
	(void)state;
	int64_t id;
	int64_t n = test_desk_open_ticket(&d, 1, FRI11, &id);
	static const struct want rows[] = {
		{"Friday 11:00: all six hours", FRI11, "ok", 6 * H, 1},
		{"Friday 17:00: two left", FRI11 + 6 * H, "ok", 2 * H, 1},
		{"Friday 18:30: one left, the day is over", FRI11 + 7 * H + 1800,
		 "at_risk", H, 0},
		{"Saturday noon: the same hour", FRI11 + 25 * H, "at_risk", H, 0},
		{"Monday 07:00: the same hour", MON - 2 * H, "at_risk", H, 0},
		{"Monday 08:30: half an hour", MON - 1800, "at_risk", 1800, 1},
		{"Monday 10:30: overdue by an hour and a half", MON + H + 1800,
		 "breached", -H - 1800, 1},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		expect(n, &rows[i]);
	json_t *t;
	json_t *s = clock_at(n, FRI11 + 6 * H, &t);
	/* The deadline: Monday 09:00 Lima. */
	assert_string_equal(json_string_value(json_object_get(s, "due_at")),
	                    "2026-10-05T14:00:00Z");
	assert_string_equal(json_string_value(json_object_get(s, "due_at_local")),
	                    "05/10/2026 09:00");
	assert_int_equal(json_integer_value(json_object_get(s, "target_s")), 6 * H);
	assert_int_equal(json_integer_value(json_object_get(s, "used_business_s")),
	                 4 * H);
	assert_int_equal(json_array_size(json_object_get(t, "pauses")), 0);
	json_decref(t);
}

/* R6/R9: waiting on the client shows paused; once the client answers,
 * the response was met (the request for information was the response). */
static void
test_R9_waiting_is_paused(void **state)
{
	(void)state;
	int64_t id, contact = 0;
	int64_t n = test_desk_open_ticket(&d, 3, MON, &id);
	struct tcmd_env env = {d.db, &d.pol, d.cal, MON + H};
	struct tcmd_request req = {.cmd = WF_CMD_WAIT, .number = n,
	                           .body = "Envíe capturas"};
	char err[256];
	struct tcmd_result res;
	assert_int_equal(tcmd_who_lookup(d.db, "admin@prodequa.example", &req.who,
	                                 err, sizeof err),
	                 TCMD_OK);
	assert_int_equal(tcmd_run(&env, &req, &res), TCMD_OK);
	struct want w = {"waiting on the client", MON + 5 * H, "paused", 23 * H, 0};
	expect(n, &w);
	json_t *t;
	clock_at(n, MON + 5 * H, &t);
	json_t *p = json_array_get(json_object_get(t, "pauses"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "start_at")),
	                    "2026-10-05T15:00:00Z");
	assert_true(json_is_null(json_object_get(p, "end_at")));
	json_decref(t);
	assert_int_equal(store_get_int(d.db,
	                               "SELECT contact_id FROM tickets WHERE id = $1",
	                               STORE_PARAMS(SP_I(id)), &contact),
	                 STORE_OK);
	env.now = MON + 6 * H;
	assert_int_equal(store_begin(d.db, 1), STORE_OK);
	assert_int_equal(tcmd_client_message(&env, WF_CMD_CLIENT_REPLY, NULL, id,
	                                     contact, NULL),
	                 STORE_OK);
	assert_int_equal(store_commit(d.db), STORE_OK);
	w = (struct want){"answered: met", MON + 7 * H, "met", 23 * H, 0};
	expect(n, &w);
}

/* An unanswered ticket held by an open pause (as imported or in the
 * demo): the count stands still and there is no deadline while it lasts;
 * the list shows the same clock as the ticket. */
static void
test_R6_open_pause_freezes_the_count(void **state)
{
	(void)state;
	int64_t id;
	int64_t n = test_desk_open_ticket(&d, 2, MON, &id);
	assert_int_equal(store_exec(d.db,
	                            "INSERT INTO pauses (ticket_id, start_at) "
	                            "VALUES ($1, $2)",
	                            STORE_PARAMS(SP_I(id), SP_I(MON + H))),
	                 STORE_OK);
	struct want w = {"held since 10:00", MON + 5 * H, "paused", 7 * H, 0};
	expect(n, &w);
	json_t *t;
	json_t *s = clock_at(n, MON + 5 * H, &t);
	assert_true(json_is_null(json_object_get(s, "due_at")));
	json_decref(t);

	struct ticket_query q = {.limit = 200, .now = MON + 5 * H, .pol = &d.pol,
	                         .at_risk_percent = d.pol.at_risk_percent};
	json_t *items;
	char next[TICKET_CURSOR_LEN];
	assert_int_equal(ticket_query_list(d.db, d.cal, &q, &items, next), STORE_OK);
	size_t i;
	json_t *it;
	int seen = 0;
	json_array_foreach(items, i, it) {
		json_t *ls = json_object_get(it, "sla");
		assert_non_null(ls);
		if (json_integer_value(json_object_get(it, "number")) != n)
			continue;
		seen = 1;
		assert_string_equal(json_string_value(json_object_get(ls, "status")),
		                    "paused");
		assert_int_equal(json_integer_value(json_object_get(
		                     ls, "remaining_business_s")),
		                 7 * H);
		assert_null(json_object_get(it, "pauses"));
	}
	assert_true(seen);
	json_decref(items);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R6_countdown_in_business_time),
		cmocka_unit_test(test_R9_waiting_is_paused),
		cmocka_unit_test(test_R6_open_pause_freezes_the_count),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
