/*
 * test_perevent.c - R8 per event (core/perevent.c) under the shipped
 * policy: where a ticket goes once its coverage is known (R3 renewal, R8
 * waiting for a purchase order, work), and what the entries on one order
 * bill (1-hour events, 3 hours for an update, 15-minute rounding up,
 * corrections) against what it paid for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/config/policy_file.h"
#include "core/perevent.h"

#include <string.h>

static struct policy pol;

#define H(h) ((int64_t)(h) * 3600)
#define M(m) ((int64_t)(m) * 60)

static struct hb_entry
e(int64_t id, int64_t ticket, int64_t s, enum hb_kind kind, int64_t corrects)
{
	struct hb_entry x;
	memset(&x, 0, sizeof x);
	x.id = id;
	x.ticket_id = ticket;
	x.day = 20400;
	x.seconds = s;
	x.kind = kind;
	x.coverage = CHARGE_PER_EVENT;
	x.contract_id = 30;
	x.corrects_id = corrects;
	strcpy(x.purchase_order, "OC-1");
	return x;
}

static void
R8_R3_route_by_coverage(void **state)
{
	(void)state;
	assert_int_equal(perevent_route(CHARGE_NONE, false), PE_RENEWAL);
	assert_int_equal(perevent_route(CHARGE_NONE, true), PE_RENEWAL);
	assert_int_equal(perevent_route(CHARGE_PER_EVENT, false), PE_WAIT_PO);
	assert_int_equal(perevent_route(CHARGE_PER_EVENT, true), PE_WORK);
	assert_int_equal(perevent_route(CHARGE_WARRANTY, false), PE_WORK);
	assert_int_equal(perevent_route(CHARGE_PLAN, false), PE_WORK);
	assert_int_equal(perevent_route(CHARGE_MONTHLY_SERVICE, false), PE_WORK);
	assert_string_equal(perevent_route_name(PE_WAIT_PO),
	                    "wait_purchase_order");
	assert_string_equal(perevent_route_name(PE_RENEWAL), "renewal_required");
}

static void
R8_po_billed_events_and_updates(void **state)
{
	(void)state;
	/* One event of 30 min bills the 1-hour event. */
	struct hb_entry a[] = {e(1, 7, M(30), HB_WORK, 0)};
	assert_int_equal(perevent_po_billed(&pol, a, 1), H(1));
	/* 50 min and 20 min, each rounded up to 15 minutes: 1 h + 30 min. */
	struct hb_entry b[] = {e(1, 7, M(50), HB_WORK, 0),
	                       e(2, 7, M(20), HB_WORK, 0)};
	assert_int_equal(perevent_po_billed(&pol, b, 2), M(90));
	/* An update of 1 h bills its 3-hour minimum. */
	struct hb_entry c[] = {e(1, 7, H(1), HB_UPDATE, 0)};
	assert_int_equal(perevent_po_billed(&pol, c, 1), H(3));
	/* Two tickets on one order: two events. */
	struct hb_entry d[] = {e(1, 7, M(10), HB_WORK, 0),
	                       e(2, 8, M(10), HB_WORK, 0)};
	assert_int_equal(perevent_po_billed(&pol, d, 2), H(2));
	/* A correction counts on the entry it corrects: 2 h - 50 min, rounded
	 * up to 1 h 15. */
	struct hb_entry f[] = {e(1, 7, H(2), HB_WORK, 0),
	                       e(2, 7, -M(50), HB_CORRECTION, 1)};
	assert_int_equal(perevent_po_billed(&pol, f, 2), M(75));
	/* A correction of an entry not on the order is not valid. */
	struct hb_entry g[] = {e(1, 7, H(2), HB_WORK, 0),
	                       e(2, 7, -M(50), HB_CORRECTION, 99)};
	assert_int_equal(perevent_po_billed(&pol, g, 2), -1);
	assert_int_equal(perevent_po_billed(&pol, NULL, 0), 0);
}

static void
R8_po_hours_enforced(void **state)
{
	(void)state;
	assert_int_equal(perevent_po_check(M(30), H(1)), PE_PO_FITS);
	assert_int_equal(perevent_po_check(H(1), H(1)), PE_PO_FULL);
	/* A 1-hour order cannot absorb a 3-hour update. */
	struct hb_entry c[] = {e(1, 7, H(1), HB_UPDATE, 0)};
	assert_int_equal(perevent_po_check(perevent_po_billed(&pol, c, 1), H(1)),
	                 PE_PO_OVER);
	/* Unless it pays for three (a PM's extension adds to it). */
	assert_int_equal(perevent_po_check(perevent_po_billed(&pol, c, 1), H(3)),
	                 PE_PO_FULL);
}

static int
setup(void **state)
{
	(void)state;
	struct policy_diag d;
	return policy_load(SOPORTE_SRC "/policy/prodequa.ini", &pol, &d) ==
	               POLICY_LOAD_OK
	           ? 0
	           : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(R8_R3_route_by_coverage),
		cmocka_unit_test(R8_po_billed_events_and_updates),
		cmocka_unit_test(R8_po_hours_enforced),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
