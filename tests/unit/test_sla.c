/*
 * test_sla.c - rule R6/R7 clock state: on track / at risk / breached,
 * severity changes from the original report time, elapsed time for
 * reports, open pauses, bad input.
 */
#include "../support/lima.h"

#include "core/sla.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static struct fixture lima;
static struct policy pol;

static int
setup(void **state)
{
	(void)state;
	static const int64_t hours[4] = {6, 8, 24, 36};
	for (int i = 0; i < 4; i++)
		pol.severity[i].response_s = hours[i] * 3600;
	pol.at_risk_percent = 75;
	return fixture_open(&lima, "America/Lima", 2017, 2035);
}

static int
teardown(void **state)
{
	(void)state;
	fixture_close(&lima);
	return 0;
}

/* "YYYY-MM-DD HH:MM" Lima -> instant. */
static int64_t
L(const char *s)
{
	int64_t day;
	char date[11];
	memcpy(date, s, 10);
	date[10] = '\0';
	assert_int_equal(iso_date_parse(date, &day), 0);
	return day * 86400 + atoi(s + 11) * 3600 + atoi(s + 14) * 60 + 5 * 3600;
}

static void
test_R6_status_states(void **state)
{
	(void)state;
	/* Severity 1 created Mon 2026-03-02 08:00: due 16:00 the same day. */
	struct sla_clock c;
	assert_int_equal(sla_clock_init(&c, &pol, 1, L("2026-03-02 08:00"), NULL,
	                                0), SLA_OK);
	static const struct {
		const char *now;
		int64_t used_s;
		int permille;
		enum sla_state state;
	} rows[] = {
		{"2026-03-02 08:00", 0, 0, SLA_ON_TRACK},
		{"2026-03-02 11:00", 3 * 3600, 500, SLA_ON_TRACK},
		{"2026-03-02 13:00", 4 * 3600, 666, SLA_ON_TRACK}, /* lunch */
		{"2026-03-02 14:30", 16200, 750, SLA_AT_RISK},     /* 75 % */
		{"2026-03-02 16:00", 6 * 3600, 1000, SLA_AT_RISK}, /* at due */
		{"2026-03-02 16:01", 6 * 3600 + 60, 1002, SLA_BREACHED},
		{"2026-03-03 09:00", 9 * 3600, 1500, SLA_BREACHED},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct sla_status st;
		assert_int_equal(sla_status(lima.cal, &c, L(rows[i].now), 75, &st),
		                 SLA_OK);
		assert_int_equal(st.due_s, L("2026-03-02 16:00"));
		assert_int_equal(st.used_s, rows[i].used_s);
		assert_int_equal(st.remaining_s, 6 * 3600 - rows[i].used_s);
		assert_int_equal(st.used_permille, rows[i].permille);
		if (st.state != rows[i].state)
			fail_msg("R6 status at %s: state %d, want %d", rows[i].now,
			         st.state, rows[i].state);
		if (st.state == SLA_BREACHED)
			assert_int_equal(st.breach_s, L("2026-03-02 16:00"));
		assert_false(st.paused);
	}
}

static void
test_R7_severity_change_recomputes_from_report(void **state)
{
	(void)state;
	/* Reported Mon 10:00 as severity 3 (24 h): due Thu 10:00. Raised to
	 * severity 1 on Tue: 6 h from Monday 10:00 = Monday 18:00. */
	static const struct {
		int severity;
		const char *due;
	} rows[] = {
		{3, "2026-03-05 10:00"}, {2, "2026-03-03 10:00"},
		{1, "2026-03-02 18:00"}, {4, "2026-03-06 16:00"},
	};
	struct sla_pause p = {L("2026-03-02 11:00"), L("2026-03-02 12:00")};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct sla_clock c;
		int64_t due;
		assert_int_equal(sla_clock_init(&c, &pol, rows[i].severity,
		                                L("2026-03-02 10:00"), NULL, 0), SLA_OK);
		assert_int_equal(sla_due(lima.cal, &c, &due), SLA_OK);
		assert_int_equal(due, L(rows[i].due));
		/* One hour waiting on the client moves each by one business hour. */
		c.pauses = &p;
		c.npauses = 1;
		int64_t later, back;
		assert_int_equal(sla_due(lima.cal, &c, &later), SLA_OK);
		assert_int_equal(calendar_between(lima.cal, due, later, &back), CAL_OK);
		assert_int_equal(back, 3600);
	}
	struct sla_clock c;
	assert_int_equal(sla_clock_init(&c, &pol, 0, 0, NULL, 0), SLA_EINVAL);
	assert_int_equal(sla_clock_init(&c, &pol, 5, 0, NULL, 0), SLA_EINVAL);
}

static void
test_R6_elapsed_for_reports(void **state)
{
	(void)state;
	/* Created Mon 08:00; waits Mon 09:00-Tue 09:00 (overlapping pauses);
	 * answered Tue 11:00: 1 h Monday + 2 h Tuesday. */
	struct sla_pause p[] = {
		{L("2026-03-02 09:00"), L("2026-03-02 15:00")},
		{L("2026-03-02 14:00"), L("2026-03-03 09:00")},
		{L("2026-03-01 00:00"), L("2026-03-01 05:00")}, /* before creation */
	};
	struct sla_clock c = {L("2026-03-02 08:00"), 6 * 3600, p, 3};
	int64_t e;
	assert_int_equal(sla_elapsed(lima.cal, &c, L("2026-03-03 11:00"), &e),
	                 SLA_OK);
	assert_int_equal(e, 3 * 3600);
	assert_int_equal(sla_elapsed(lima.cal, &c, L("2026-03-01 11:00"), &e),
	                 SLA_OK);
	assert_int_equal(e, 0);
	int64_t due;
	assert_int_equal(sla_due(lima.cal, &c, &due), SLA_OK);
	assert_int_equal(due, L("2026-03-03 16:00"));
}

static void
test_R6_open_pause_and_errors(void **state)
{
	(void)state;
	struct sla_pause p = {L("2026-03-02 09:00"), SLA_OPEN};
	struct sla_clock c = {L("2026-03-02 08:00"), 6 * 3600, &p, 1};
	int64_t due;
	assert_int_equal(sla_due(lima.cal, &c, &due), SLA_OK);
	assert_int_equal(due, SLA_NEVER);
	struct sla_status st;
	assert_int_equal(sla_status(lima.cal, &c, L("2026-03-09 09:00"), 75, &st),
	                 SLA_OK);
	assert_true(st.paused);
	assert_int_equal(st.used_s, 3600);
	assert_int_equal(st.state, SLA_ON_TRACK);
	/* An open pause that starts after the deadline changes nothing. */
	p.start_s = L("2026-03-02 17:00");
	assert_int_equal(sla_due(lima.cal, &c, &due), SLA_OK);
	assert_int_equal(due, L("2026-03-02 16:00"));

	struct sla_pause bad = {10, 5};
	struct sla_clock b = {L("2026-03-02 08:00"), 3600, &bad, 1};
	assert_int_equal(sla_due(lima.cal, &b, &due), SLA_EINVAL);
	b.npauses = SLA_MAX_PAUSES + 1;
	assert_int_equal(sla_due(lima.cal, &b, &due), SLA_ETOOMANY);
	struct sla_clock far = {L("2035-12-31 08:00"), 36 * 3600, NULL, 0};
	assert_int_equal(sla_due(lima.cal, &far, &due), SLA_ERANGE);
	struct sla_clock neg = {L("2026-03-02 08:00"), -1, NULL, 0};
	assert_int_equal(sla_due(lima.cal, &neg, &due), SLA_EINVAL);
	assert_int_equal(sla_status(lima.cal, &c, 0, 0, &st), SLA_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R6_status_states),
		cmocka_unit_test(test_R7_severity_change_recomputes_from_report),
		cmocka_unit_test(test_R6_elapsed_for_reports),
		cmocka_unit_test(test_R6_open_pause_and_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
