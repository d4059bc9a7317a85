/*
 * test_sla_vectors.c - rule R6: every row of ../shared/sla/vectors.csv.
 *
 * The deadline of each case must equal expected_due_utc to the second,
 * with Peru's holidays generated from our rules and, separately, with the
 * holidays read from the shared iCalendar file.
 */
#include "app/calendar_load.h"
#include "app/policy_file.h"
#include "app/sla_csv.h"
#include "core/sla.h"
#include "util/csvrec.h"
#include "util/timefmt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return s;
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

	size_t len, nf, line;
	char *text = slurp(SOPORTE_SHARED "/sla/vectors.csv", &len);
	struct csvrec c;
	char buf[8192];
	char *fields[SLA_CSV_MAX_FIELDS];
	struct sla_csv_cols cols;
	static struct sla_csv_row row;
	csvrec_init(&c, text, len);
	assert_int_equal(csvrec_next(&c, buf, sizeof buf, fields,
	                             SLA_CSV_MAX_FIELDS, &nf, &line), CSVREC_OK);
	assert_int_equal(sla_csv_header(fields, nf, &cols, err, sizeof err), 0);
	assert_true(cols.expected >= 0);
	int rows = 0, bad = 0;
	enum csvrec_rc rc;
	while ((rc = csvrec_next(&c, buf, sizeof buf, fields, SLA_CSV_MAX_FIELDS,
	                         &nf, &line)) != CSVREC_EOF) {
		assert_int_equal(rc, CSVREC_OK);
		if (sla_csv_row(fields, nf, &cols, &row, err, sizeof err) != 0)
			fail_msg("line %zu: %s", line, err);
		struct sla_clock clk;
		int64_t due;
		assert_int_equal(sla_clock_init(&clk, &p, row.severity, row.created_s,
		                                row.pauses, row.npauses), SLA_OK);
		assert_int_equal(sla_due(cal, &clk, &due), SLA_OK);
		rows++;
		if (due != row.expected_s) {
			char got[ISO_UTC_LEN], want[ISO_UTC_LEN];
			iso_utc_format(due, got);
			iso_utc_format(row.expected_s, want);
			print_error("R6 %s (line %zu): due %s, want %s\n", row.id, line,
			            got, want);
			bad++;
		}
	}
	free(text);
	calendar_free(cal);
	assert_int_equal(rows, 300);
	assert_int_equal(bad, 0);
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
