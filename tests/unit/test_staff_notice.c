/*
 * test_staff_notice.c - staff notifications capped and digested (issue
 * 15), in process on SQLite: one mail per address and ticket per window,
 * the rest in one digest that only the scheduler lease's holder mails,
 * once; breach notices skip the window; past the hourly cap one
 * overflow mail.
 */
#include "app/base/lease.h"
#include "app/config/settings.h"
#include "app/ticket/staff_notice.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../support/test_desk.h"

#define MON 1791208800   /* Monday 05/10/2026 09:00 Lima */
#define TO "dparedes@prodequa.example"

static struct test_desk d;
static int64_t ticket_id;

static int
setup(void **state)
{
	(void)state;
	if (test_desk_open(&d, "notice", MON - 4 * 86400) != 0)
		return -1;
	return test_desk_open_ticket(&d, 1, MON, &ticket_id) > 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	test_desk_close(&d);
	return 0;
}

static int64_t
mails(const char *kind)
{
	int64_t n = -1;
	assert_int_equal(store_get_int(d.db,
	                               "SELECT COUNT(*) FROM outbound_mail WHERE "
	                               "to_addr = $1 AND kind = $2",
	                               STORE_PARAMS(SP_T(TO), SP_T(kind)), &n),
	                 STORE_OK);
	return n;
}

static void
notice(const char *kind, const char *words, int64_t now)
{
	struct outbound_new m = {
		.ticket_id = ticket_id, .ticket_number = 1, .kind = kind, .to = TO,
		.subject = "[Ticket #000001] Respuesta del cliente", .body = "-",
	};
	char msgid[OUTBOUND_MSGID_MAX];
	assert_int_equal(staff_notice_queue(d.db, &d.pol, d.cal, &m, words, now,
	                                    msgid),
	                 STORE_OK);
}

static void
hold_lease(const char *holder, int64_t now)
{
	int mine = 0;
	char seen[64];
	int64_t until;
	assert_int_equal(lease_take(d.db, "scheduler", holder, now, 600, &mine,
	                            seen, sizeof seen, &until),
	                 STORE_OK);
	assert_true(mine);
}

static void
test_window_digest_once_by_lease_holder(void **state)
{
	(void)state;
	const int64_t t = MON + 86400;
	int64_t before = mails("client_answered");
	notice("client_answered", "primero", t);
	notice("client_answered", "segundo", t + 60);
	notice("client_answered", "tercero\nmás", t + 120);
	assert_int_equal(mails("client_answered"), before + 1);
	/* A breach is never held by the window. */
	int64_t breaches = mails("sla_breach");
	notice("sla_breach", NULL, t + 180);
	assert_int_equal(mails("sla_breach"), breaches + 1);

	int mailed = -1;
	hold_lease("A", t + 16 * 60);
	/* B does not hold the lease: nothing is mailed. */
	assert_int_equal(staff_notice_flush(d.db, &d.pol, "scheduler", "B",
	                                    t + 16 * 60, &mailed),
	                 STORE_OK);
	assert_int_equal(mailed, 0);
	assert_int_equal(mails("digest"), 0);
	assert_int_equal(staff_notice_flush(d.db, &d.pol, "scheduler", "A",
	                                    t + 16 * 60, &mailed),
	                 STORE_OK);
	assert_int_equal(mailed, 1);
	assert_int_equal(staff_notice_flush(d.db, &d.pol, "scheduler", "A",
	                                    t + 16 * 60, &mailed),
	                 STORE_OK);
	assert_int_equal(mailed, 0);
	assert_int_equal(mails("digest"), 1);
	struct store_rows *r;
	assert_int_equal(store_query(d.db,
	                             "SELECT body_text FROM outbound_mail WHERE "
	                             "kind = 'digest'",
	                             STORE_NO_PARAMS, &r),
	                 STORE_OK);
	assert_int_equal(store_next(r), STORE_ROW);
	const char *body = store_text(r, 0);
	assert_non_null(strstr(body, "Hubo 2 novedades"));
	assert_non_null(strstr(body, "Respuesta del cliente: segundo\n"));
	assert_non_null(strstr(body, "Respuesta del cliente: tercero\n"));
	assert_null(strstr(body, "primero"));
	store_done(r);
}

static void
test_hourly_cap(void **state)
{
	(void)state;
	struct settings s;
	settings_defaults(&s);
	s.notify_window_minutes = 0;
	s.notify_hourly_cap = 2;
	settings_set_current(&s);
	const int64_t t = MON + 10 * 86400;
	int64_t before = mails("reopened");
	for (int i = 0; i < 6; i++)
		notice("reopened", "otra vez", t + i);
	assert_int_equal(mails("reopened"), before + 2);
	int mailed = -1;
	hold_lease("A", t + 1800);
	assert_int_equal(staff_notice_flush(d.db, &d.pol, "scheduler", "A",
	                                    t + 1800, &mailed),
	                 STORE_OK);
	assert_int_equal(mailed, 0); /* the overflow waits for its hour */
	hold_lease("A", t + 3610);
	assert_int_equal(staff_notice_flush(d.db, &d.pol, "scheduler", "A",
	                                    t + 3610, &mailed),
	                 STORE_OK);
	assert_int_equal(mailed, 1);
	assert_int_equal(mails("digest_overflow"), 1);
	settings_defaults(&s);
	settings_set_current(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_digest_once_by_lease_holder),
		cmocka_unit_test(test_hourly_cap),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
