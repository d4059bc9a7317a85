/*
 * test_sla_vectors.c - rule R6: every row of ../shared/sla/vectors.csv.
 *
 * The deadline of each case must equal expected_due_utc to the second,
 * with Peru's holidays generated from our rules and, separately, with the
 * holidays read from the shared iCalendar file.
 */
#include "app/config/calendar_load.h"
#include "app/base/csvfile.h"
#include "app/config/policy_file.h"
#include "app/base/sla_csv.h"
#include "core/sla.h"
#include "util/timefmt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

struct run {
	const struct policy *p;
	const struct calendar *cal;
	struct sla_csv_cols cols;
	int header, rows, bad;
	struct sla_csv_row row;
};

static int
on_row(char **fields, int n, long line, void *user)
{
	struct run *r = user;
	char err[256];
	if (!r->header) {
		assert_int_equal(sla_csv_header(fields, (size_t)n, &r->cols, err,
		                                sizeof err), 0);
		assert_true(r->cols.expected >= 0);
		r->header = 1;
		return 0;
	}
	if (sla_csv_row(fields, (size_t)n, &r->cols, &r->row, err, sizeof err))
		fail_msg("line %ld: %s", line, err);
	struct sla_clock clk;
	int64_t due;
	assert_int_equal(sla_clock_init(&clk, r->p, r->row.severity,
	                                r->row.created_s, r->row.pauses,
	                                r->row.npauses), SLA_OK);
	assert_int_equal(sla_due(r->cal, &clk, &due), SLA_OK);
	r->rows++;
	if (due != r->row.expected_s) {
		char got[ISO_UTC_LEN], want[ISO_UTC_LEN];
		iso_utc_format(due, got);
		iso_utc_format(r->row.expected_s, want);
		print_error("R6 %s (line %ld): due %s, want %s\n", r->row.id, line,
		            got, want);
		r->bad++;
	}
	return 0;
}

static void
run_vectors(const char *ics)
{
	static struct policy p;
	static struct policy_diag diag;
	struct calendar *cal;
	char err[256] = "";
	/* The shipped policy file: R6's windows, zone, holidays and targets. */
	if (policy_load(SOPORTE_SRC "/policy/prodequa.ini", &p, &diag) !=
	    POLICY_LOAD_OK) {
		policy_diag_print(&diag, stderr);
		fail_msg("policy/prodequa.ini does not load");
	}
	struct calendar_load_opts o = {.ics_path = ics};
	if (calendar_load(&p, &o, &cal, NULL, err, sizeof err) != CALLOAD_OK)
		fail_msg("calendar_load: %s", err);

	static struct run r;
	memset(&r, 0, sizeof r);
	r.p = &p;
	r.cal = cal;
	FILE *f = fopen(SOPORTE_SHARED "/sla/vectors.csv", "rb");
	assert_non_null(f);
	if (csv_read(f, on_row, &r, err, sizeof err) != 0)
		fail_msg("vectors.csv: %s", err);
	fclose(f);
	calendar_free(cal);
	assert_int_equal(r.rows, 300);
	assert_int_equal(r.bad, 0);
}

static void
test_R6_vectors_generated_holidays(void **state)
{
	(void)state;
	run_vectors(NULL);
}

static void
test_R6_vectors_ics_holidays(void **state)
{
	(void)state;
	run_vectors(SOPORTE_SHARED "/calendars/peru-holidays.ics");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_R6_vectors_generated_holidays),
		cmocka_unit_test(test_R6_vectors_ics_holidays),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
