/*
 * test_hourbank.c - R8 hours (core/hourbank.c) under the shipped policy:
 * 15-minute rounding up, basic 20 h and enterprise 40 h a month, per
 * event 1 h minimum, 3 h per update, purchase orders, prorated partial
 * months. Table rows build a few entries each; the last test runs a whole
 * month for several clients and checks that every statement reconciles
 * with its lines and with the ledger, to the cent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/config/policy_file.h"
#include "core/hourbank.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct policy pol;

#define D(y, m, d) days_from_civil(y, m, d)
#define H(h) ((int64_t)(h) * 3600)
#define M(m) ((int64_t)(m) * 60)
#define NO CLIENT_NO_DAY

/* Contracts (ids are what entries name). */
enum { C_BASIC = 10, C_ENT = 20, C_EVENT = 30, C_MID = 40, C_ENDS = 50 };

static struct client_contract contracts[] = {
	{C_BASIC, PLAN_BASIC, 0, 0, NO, 12000, 0, {0}},
	{C_ENT, PLAN_ENTERPRISE, 0, 0, NO, 15000, 0, {0}},
	{C_EVENT, PLAN_PER_EVENT, 0, 0, NO, 15000, 0, {0}},
	{C_MID, PLAN_BASIC, 0, 0, NO, 12000, 0, {0}},   /* from 16/03/2026 */
	{C_ENDS, PLAN_BASIC, 0, 0, NO, 12000, 0, {0}},  /* to 10/03/2026 */
};

static const struct client_contract *
contract(int64_t id)
{
	for (size_t i = 0; i < sizeof contracts / sizeof contracts[0]; i++)
		if (contracts[i].id == id)
			return &contracts[i];
	return NULL;
}

/* An entry: e(id, ticket, consultant, day, seconds, kind, coverage,
 * contract, corrects, purchase order). */
static struct hb_entry
e(int64_t id, int64_t ticket, int64_t who, int64_t day, int64_t s,
  enum hb_kind kind, enum charge cov, int64_t contract_id, int64_t corrects,
  const char *po)
{
	struct hb_entry x;
	memset(&x, 0, sizeof x);
	x.id = id;
	x.ticket_id = ticket;
	x.consultant_id = who;
	x.day = day;
	x.seconds = s;
	x.kind = kind;
	x.coverage = cov;
	x.contract_id = contract_id;
	x.corrects_id = corrects;
	snprintf(x.purchase_order, sizeof x.purchase_order, "%s", po ? po : "");
	return x;
}

#define WORK(id, t, day, s, c) \
	e(id, t, 1, day, s, HB_WORK, CHARGE_PLAN, c, 0, NULL)
#define EVENT(id, t, day, s, po) \
	e(id, t, 1, day, s, HB_WORK, CHARGE_PER_EVENT, C_EVENT, 0, po)
#define UPDATE(id, t, day, s, po) \
	e(id, t, 1, day, s, HB_UPDATE, CHARGE_PER_EVENT, C_EVENT, 0, po)
#define FIX(id, t, day, s, of) \
	e(id, t, 1, day, s, HB_CORRECTION, CHARGE_PLAN, C_BASIC, of, NULL)
#define WARRANTY(id, t, day, s) \
	e(id, t, 1, day, s, HB_WORK, CHARGE_WARRANTY, 0, 0, NULL)

#define MAXE 32

struct row {
	const char *name;
	int64_t contract;
	int n;
	struct hb_entry entries[MAXE];
	enum hb_rc rc;
	int64_t bad_entry;      /* the entry the error names */
	int64_t included_s, used_s, remaining_s, overage_s, billed_s;
	int64_t amount_cents;
};

/* Twenty 1-hour entries charged to contract c in March 2026. */
#define TWENTY_HOURS(c) \
	WORK(1, 100, D(2026, 3, 2), H(1), c), WORK(2, 100, D(2026, 3, 2), H(1), c), \
	WORK(3, 100, D(2026, 3, 3), H(1), c), WORK(4, 100, D(2026, 3, 3), H(1), c), \
	WORK(5, 101, D(2026, 3, 4), H(1), c), WORK(6, 101, D(2026, 3, 4), H(1), c), \
	WORK(7, 101, D(2026, 3, 5), H(1), c), WORK(8, 101, D(2026, 3, 5), H(1), c), \
	WORK(9, 102, D(2026, 3, 6), H(1), c), WORK(10, 102, D(2026, 3, 6), H(1), c), \
	WORK(11, 102, D(2026, 3, 9), H(1), c), WORK(12, 102, D(2026, 3, 9), H(1), c), \
	WORK(13, 103, D(2026, 3, 10), H(1), c), WORK(14, 103, D(2026, 3, 10), H(1), c), \
	WORK(15, 103, D(2026, 3, 11), H(1), c), WORK(16, 103, D(2026, 3, 11), H(1), c), \
	WORK(17, 104, D(2026, 3, 12), H(1), c), WORK(18, 104, D(2026, 3, 12), H(1), c), \
	WORK(19, 104, D(2026, 3, 13), H(1), c), WORK(20, 104, D(2026, 3, 13), H(1), c)

static void
R8_statement_table(void **state)
{
	(void)state;
	/* Built at run time: days and entries come from functions. */
	const struct row rows[] = {
	{"R8 basic: a month with exactly 20 h used", C_BASIC, 20,
	 {TWENTY_HOURS(C_BASIC)}, HB_OK, 0, H(20), H(20), 0, 0, 0, 0},
	{"R8 basic: 20 h + 1 min is 15 min over (rounded up)", C_BASIC, 21,
	 {TWENTY_HOURS(C_BASIC), WORK(21, 105, D(2026, 3, 31), M(1), C_BASIC)},
	 HB_OK, 0, H(20), H(20) + M(15), 0, M(15), M(15), 3000},
	{"R8 basic: 19 h 59 min rounds to 20 h, nothing over", C_BASIC, 2,
	 {WORK(1, 100, D(2026, 3, 2), H(19), C_BASIC),
	  WORK(2, 100, D(2026, 3, 3), M(59), C_BASIC)},
	 HB_OK, 0, H(20), H(20), 0, 0, 0, 0},
	{"R8 rounding: each entry rounds up to 15 min", C_BASIC, 3,
	 {WORK(1, 100, D(2026, 3, 2), M(50), C_BASIC),
	  WORK(2, 100, D(2026, 3, 2), M(1), C_BASIC),
	  WORK(3, 100, D(2026, 3, 2), M(15), C_BASIC)},
	 HB_OK, 0, H(20), H(1) + M(30), H(18) + M(30), 0, 0, 0},
	{"R8 enterprise: 41 h is 1 h over at the contract's rate", C_ENT, 3,
	 {WORK(1, 200, D(2026, 3, 2), H(20), C_ENT),
	  WORK(2, 200, D(2026, 3, 20), H(20), C_ENT),
	  WORK(3, 201, D(2026, 3, 31), H(1), C_ENT)},
	 HB_OK, 0, H(40), H(41), 0, H(1), H(1), 15000},
	{"R8 months are calendar months: 31/03 is not in April", C_BASIC, 2,
	 {WORK(1, 100, D(2026, 3, 31), H(5), C_BASIC),
	  WORK(2, 100, D(2026, 4, 1), H(2), C_BASIC)},
	 HB_OK, 0, H(20), H(5), H(15), 0, 0, 0},
	{"R8 contract starting mid-month: prorated allowance", C_MID, 2,
	 {WORK(1, 400, D(2026, 3, 16), H(10), C_MID),
	  WORK(2, 400, D(2026, 3, 31), H(1), C_MID)},
	 /* 20 h x 16/31 days = 10 h 19 min, down to 10 h 15 min */
	 HB_OK, 0, H(10) + M(15), H(11), 0, M(45), M(45), 9000},
	{"R8 contract ending mid-month: prorated allowance", C_ENDS, 1,
	 {WORK(1, 500, D(2026, 3, 10), H(7), C_ENDS)},
	 /* 20 h x 10/31 days = 6 h 27 min, down to 6 h 15 min */
	 HB_OK, 0, H(6) + M(15), H(7), 0, M(45), M(45), 9000},
	{"R8 work before a contract starts is refused", C_MID, 1,
	 {WORK(1, 400, D(2026, 3, 15), H(1), C_MID)},
	 HB_ERR_OUTSIDE_CONTRACT, 1, 0, 0, 0, 0, 0, 0},
	{"R8 work after a contract ends is refused", C_ENDS, 1,
	 {WORK(7, 500, D(2026, 3, 11), H(1), C_ENDS)},
	 HB_ERR_OUTSIDE_CONTRACT, 7, 0, 0, 0, 0, 0, 0},
	{"R8 warranty work is logged, not charged", C_BASIC, 2,
	 {WARRANTY(1, 100, D(2026, 3, 2), H(3)),
	  WORK(2, 101, D(2026, 3, 2), H(2), C_BASIC)},
	 HB_OK, 0, H(20), H(2), H(18), 0, 0, 0},
	{"R8 other contracts' entries are skipped", C_BASIC, 2,
	 {WORK(1, 100, D(2026, 3, 2), H(2), C_ENT),
	  WORK(2, 101, D(2026, 3, 2), H(2), C_BASIC)},
	 HB_OK, 0, H(20), H(2), H(18), 0, 0, 0},
	{"R8 a negative correction is a new entry", C_BASIC, 2,
	 {WORK(1, 100, D(2026, 3, 2), H(3), C_BASIC),
	  FIX(2, 100, D(2026, 3, 20), -H(1), 1)},
	 HB_OK, 0, H(20), H(2), H(18), 0, 0, 0},
	{"R8 corrections are netted before rounding", C_BASIC, 2,
	 {WORK(1, 100, D(2026, 3, 2), M(50), C_BASIC),
	  FIX(2, 100, D(2026, 3, 2), M(10), 1)},
	 HB_OK, 0, H(20), H(1), H(19), 0, 0, 0},
	{"R8 a correction of a correction", C_BASIC, 3,
	 {WORK(1, 100, D(2026, 3, 2), H(2), C_BASIC),
	  FIX(2, 100, D(2026, 3, 3), -H(2), 1),
	  FIX(3, 100, D(2026, 3, 4), H(1), 2)},
	 HB_OK, 0, H(20), H(1), H(19), 0, 0, 0},
	{"R8 a correction below zero is refused", C_BASIC, 2,
	 {WORK(1, 100, D(2026, 3, 2), H(1), C_BASIC),
	  FIX(2, 100, D(2026, 3, 2), -H(2), 1)},
	 HB_ERR_NEGATIVE_TOTAL, 1, 0, 0, 0, 0, 0, 0},
	{"R8 a correction of an unknown entry is refused", C_BASIC, 1,
	 {FIX(5, 100, D(2026, 3, 2), -H(1), 99)},
	 HB_ERR_BAD_CORRECTION, 5, 0, 0, 0, 0, 0, 0},
	{"R8 a correction of another ticket's entry is refused", C_BASIC, 2,
	 {WORK(1, 100, D(2026, 3, 2), H(1), C_BASIC),
	  FIX(2, 101, D(2026, 3, 2), -M(30), 1)},
	 HB_ERR_BAD_CORRECTION, 2, 0, 0, 0, 0, 0, 0},
	{"R8 zero seconds are refused", C_BASIC, 1,
	 {WORK(3, 100, D(2026, 3, 2), 0, C_BASIC)},
	 HB_ERR_BAD_SECONDS, 3, 0, 0, 0, 0, 0, 0},
	{"R8 a plan entry on a per-event contract is refused", C_EVENT, 1,
	 {WORK(4, 300, D(2026, 3, 2), H(1), C_EVENT)},
	 HB_ERR_WRONG_CONTRACT, 4, 0, 0, 0, 0, 0, 0},
	/* Per event. */
	{"R8 per event without a purchase order is refused", C_EVENT, 2,
	 {EVENT(1, 300, D(2026, 3, 2), H(1), "OC-1"),
	  EVENT(2, 301, D(2026, 3, 3), H(1), NULL)},
	 HB_ERR_NO_PURCHASE_ORDER, 2, 0, 0, 0, 0, 0, 0},
	{"R8 per event: a 20-minute event is billed 1 h", C_EVENT, 1,
	 {EVENT(1, 300, D(2026, 3, 2), M(20), "OC-1")},
	 HB_OK, 0, 0, M(30), 0, 0, H(1), 15000},
	{"R8 per event: an update of 2 h is billed 3 h", C_EVENT, 1,
	 {UPDATE(1, 300, D(2026, 3, 2), H(2), "OC-2")},
	 HB_OK, 0, 0, H(2), 0, 0, H(3), 45000},
	{"R8 per event: an update of 4 h is billed 4 h", C_EVENT, 2,
	 {UPDATE(1, 300, D(2026, 3, 2), H(3), "OC-2"),
	  EVENT(2, 300, D(2026, 3, 3), H(1), "OC-2")},
	 HB_OK, 0, 0, H(4), 0, 0, H(4), 60000},
	{"R8 per event: 1 h 50 min rounds to 2 h", C_EVENT, 1,
	 {EVENT(1, 300, D(2026, 3, 2), H(1) + M(50), "OC-3")},
	 HB_OK, 0, 0, H(2), 0, 0, H(2), 30000},
	{"R8 per event: each event has its own minimum", C_EVENT, 3,
	 {EVENT(1, 300, D(2026, 3, 2), M(15), "OC-4"),
	  EVENT(2, 301, D(2026, 3, 2), M(15), "OC-5"),
	  EVENT(3, 302, D(2026, 3, 9), H(2), "OC-6")},
	 HB_OK, 0, 0, M(30) + H(2), 0, 0, H(4), 60000},
	{"R8 per event: April's entry without an order does not block March",
	 C_EVENT, 2,
	 {EVENT(1, 300, D(2026, 4, 2), H(1), NULL),
	  EVENT(2, 301, D(2026, 3, 2), M(30), "OC-9")},
	 HB_OK, 0, 0, M(30), 0, 0, H(1), 15000},
	{"R8 per event: an event belongs to the month it starts in", C_EVENT, 3,
	 {EVENT(1, 300, D(2026, 2, 27), H(1), "OC-7"),
	  EVENT(2, 300, D(2026, 3, 2), H(1), "OC-7"),
	  EVENT(3, 301, D(2026, 3, 31), M(30), "OC-8")},
	 HB_OK, 0, 0, M(30), 0, 0, H(1), 15000},
};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		static struct hb_statement st;
		struct hb_error err;
		enum hb_rc rc = hourbank_statement(&pol, contract(r->contract),
		                                   r->entries, r->n, 2026, 3, &st,
		                                   &err);
		if (rc != r->rc)
			fail_msg("%s: got rc %d (%s), entry %lld", r->name, rc,
			         hourbank_rc_text(rc), (long long)err.entry_id);
		if (rc != HB_OK) {
			if (err.entry_id != r->bad_entry || err.rc != rc)
				fail_msg("%s: error names entry %lld, want %lld", r->name,
				         (long long)err.entry_id, (long long)r->bad_entry);
			continue;
		}
		if (st.included_s != r->included_s || st.used_s != r->used_s ||
		    st.remaining_s != r->remaining_s ||
		    st.overage_s != r->overage_s || st.billed_s != r->billed_s ||
		    st.amount_cents != r->amount_cents)
			fail_msg("%s: got included %lld used %lld remaining %lld "
			         "overage %lld billed %lld amount %lld", r->name,
			         (long long)st.included_s, (long long)st.used_s,
			         (long long)st.remaining_s, (long long)st.overage_s,
			         (long long)st.billed_s, (long long)st.amount_cents);
	}
}

static void
R8_per_event_lines_show_the_minimum(void **state)
{
	(void)state;
	const struct hb_entry en[] = {
		e(1, 300, 7, D(2026, 3, 2), M(20), HB_WORK, CHARGE_PER_EVENT,
		  C_EVENT, 0, "OC-9"),
		e(2, 301, 8, D(2026, 3, 3), H(2), HB_UPDATE, CHARGE_PER_EVENT,
		  C_EVENT, 0, "OC-10"),
	};
	static struct hb_statement st;
	assert_int_equal(hourbank_statement(&pol, contract(C_EVENT), en, 2, 2026,
	                                    3, &st, NULL), HB_OK);
	assert_int_equal(st.nevents, 2);
	assert_int_equal(st.events[0].ticket_id, 300);
	assert_false(st.events[0].update);
	assert_int_equal(st.events[0].min_s, H(1));
	assert_int_equal(st.events[0].billed_s, H(1));
	assert_string_equal(st.events[0].purchase_order, "OC-9");
	assert_true(st.events[1].update);
	assert_int_equal(st.events[1].min_s, H(3));
	assert_int_equal(st.events[1].billed_s, H(3));
	/* 30 min rounded + 30 min of minimum; 2 h + 1 h of minimum. */
	assert_int_equal(st.minimum_s, M(30) + H(1));
	assert_int_equal(st.minimums.billed_s, st.minimum_s);
	assert_int_equal(st.consultants[0].billed_s + st.consultants[1].billed_s +
	                 st.minimums.billed_s, st.billed_s);
	assert_int_equal(st.tickets[0].billed_s, H(1));
	assert_int_equal(st.tickets[1].billed_s, H(3));
	assert_int_equal(st.amount_cents, 4 * 15000);
}

static void
R8_check_entry_before_recording(void **state)
{
	(void)state;
	const struct hb_entry recorded[] = {
		WORK(1, 100, D(2026, 3, 2), H(1), C_BASIC),
		FIX(2, 100, D(2026, 3, 3), -M(30), 1),
	};
	const struct {
		const char *name;
		int64_t contract;
		struct hb_entry e;
		enum hb_rc want;
	} rows2[] = {
		{"R8 plan work inside the contract", C_BASIC,
		 WORK(3, 100, D(2026, 3, 4), H(1), C_BASIC), HB_OK},
		{"R8 per event with a purchase order", C_EVENT,
		 EVENT(3, 300, D(2026, 3, 4), H(1), "OC-1"), HB_OK},
		{"R8 per event without a purchase order is refused", C_EVENT,
		 EVENT(3, 300, D(2026, 3, 4), H(1), ""), HB_ERR_NO_PURCHASE_ORDER},
		{"R8 plan work outside the contract", C_MID,
		 WORK(3, 400, D(2026, 3, 1), H(1), C_MID), HB_ERR_OUTSIDE_CONTRACT},
		{"R8 plan work on another contract", C_ENT,
		 WORK(3, 100, D(2026, 3, 4), H(1), C_BASIC), HB_ERR_WRONG_CONTRACT},
		{"R8 per-event work on a monthly contract", C_BASIC,
		 e(3, 100, 1, D(2026, 3, 4), H(1), HB_WORK, CHARGE_PER_EVENT,
		   C_BASIC, 0, "OC"), HB_ERR_WRONG_CONTRACT},
		{"R8 warranty work needs no contract", 0,
		 WARRANTY(3, 100, D(2026, 3, 4), H(1)), HB_OK},
		{"R8 negative work is refused", C_BASIC,
		 WORK(3, 100, D(2026, 3, 4), -H(1), C_BASIC), HB_ERR_BAD_SECONDS},
		{"R8 more than a day in one entry is refused", C_BASIC,
		 WORK(3, 100, D(2026, 3, 4), H(25), C_BASIC), HB_ERR_BAD_SECONDS},
		{"R8 a correction down to zero", 0,
		 FIX(3, 100, D(2026, 3, 4), -M(30), 1), HB_OK},
		{"R8 a correction below zero", 0,
		 FIX(3, 100, D(2026, 3, 4), -M(31), 1), HB_ERR_NEGATIVE_TOTAL},
		{"R8 a correction of a correction", 0,
		 FIX(3, 100, D(2026, 3, 4), M(10), 2), HB_OK},
		{"R8 a correction of nothing", 0,
		 FIX(3, 100, D(2026, 3, 4), M(10), 42), HB_ERR_BAD_CORRECTION},
		{"R8 a correction of zero", 0,
		 FIX(3, 100, D(2026, 3, 4), 0, 1), HB_ERR_BAD_SECONDS},
	};
	for (size_t i = 0; i < sizeof rows2 / sizeof rows2[0]; i++) {
		enum hb_rc rc = hourbank_check_entry(&pol, contract(rows2[i].contract),
		                                     &rows2[i].e, recorded, 2);
		if (rc != rows2[i].want)
			fail_msg("%s: got %d (%s)", rows2[i].name, rc,
			         hourbank_rc_text(rc));
	}
}

static void
R8_rounding_modes_and_amounts(void **state)
{
	(void)state;
	struct policy p = pol;
	assert_int_equal(hourbank_round(&p, 1), M(15));
	assert_int_equal(hourbank_round(&p, M(15)), M(15));
	assert_int_equal(hourbank_round(&p, M(15) + 1), M(30));
	assert_int_equal(hourbank_round(&p, 0), 0);
	p.rounding = ROUNDING_NEAREST;
	assert_int_equal(hourbank_round(&p, M(7)), 0);
	assert_int_equal(hourbank_round(&p, M(7) + 30), M(15));
	assert_int_equal(hourbank_round(&p, M(22)), M(15));
	p.rounding = ROUNDING_NONE;
	assert_int_equal(hourbank_round(&p, 61), 61);
	p.rounding = ROUNDING_UP;
	p.rounding_min = 0;
	assert_int_equal(hourbank_round(&p, 61), 61);

	assert_int_equal(hourbank_amount_cents(H(1), 12000), 12000);
	assert_int_equal(hourbank_amount_cents(M(15), 12000), 3000);
	assert_int_equal(hourbank_amount_cents(M(20), 10001), 3334); /* .33 up */
	assert_int_equal(hourbank_amount_cents(M(10), 10001), 1667); /* 1666.8 */
	assert_int_equal(hourbank_amount_cents(0, 12000), 0);
}

/* With an odd rate, per-line rounding would drift; the running total
 * keeps every sum exact. */
static void
R8_odd_rate_lines_add_up_to_the_cent(void **state)
{
	(void)state;
	struct client_contract c = *contract(C_BASIC);
	c.hourly_rate_cents = 10001;
	struct hb_entry en[40];
	for (int i = 0; i < 40; i++)
		en[i] = e(i + 1, 100 + i % 7, 1 + i % 3, D(2026, 3, 1 + i % 28),
		          M(20 + i), HB_WORK, CHARGE_PLAN, C_BASIC, 0, NULL);
	static struct hb_statement st;
	assert_int_equal(hourbank_statement(&pol, &c, en, 40, 2026, 3, &st, NULL),
	                 HB_OK);
	assert_true(st.overage_s > 0);
	int64_t t = 0, k = 0;
	for (int i = 0; i < st.ntickets; i++)
		t += st.tickets[i].amount_cents;
	for (int i = 0; i < st.nconsultants; i++)
		k += st.consultants[i].amount_cents;
	assert_int_equal(t, st.amount_cents);
	assert_int_equal(k, st.amount_cents);
	assert_int_equal(st.amount_cents,
	                 hourbank_amount_cents(st.overage_s, 10001));
}

static void
R8_partial_month_full_when_the_policy_says_so(void **state)
{
	(void)state;
	struct policy p = pol;
	p.partial_month = PARTIAL_MONTH_FULL;
	const struct hb_entry en[] = {WORK(1, 400, D(2026, 3, 20), H(1), C_MID)};
	static struct hb_statement st;
	assert_int_equal(hourbank_statement(&p, contract(C_MID), en, 1, 2026, 3,
	                                    &st, NULL), HB_OK);
	assert_int_equal(st.included_s, H(20));
	assert_int_equal(st.first_day, D(2026, 3, 16));
	assert_int_equal(st.last_day, D(2026, 3, 31));
	/* A month the contract does not touch: nothing included. */
	assert_int_equal(hourbank_statement(&pol, contract(C_MID), en, 0, 2026, 2,
	                                    &st, NULL), HB_OK);
	assert_int_equal(st.included_s, 0);
	assert_true(st.first_day > st.last_day);
	assert_int_equal(hourbank_statement(&pol, contract(C_MID), en, 1, 2026,
	                                    13, &st, NULL), HB_ERR_BAD_MONTH);
}

/* ---- a month-long scenario ------------------------------------------ */

/*
 * March 2026, three clients:
 *   A  basic (20 h, S/ 120.00/h), contract 10, goes over;
 *   B  enterprise (40 h, S/ 150.50/h), contract 20, stays under;
 *   C  per event (S/ 175.25/h), contract 30, five events (two updates);
 * plus warranty work for A, monthly-service work for B, corrections, work
 * in February and April that must stay out, and four consultants.
 */
static int nscen;
static struct hb_entry scen[400];

static void
add(struct hb_entry x)
{
	x.id = ++nscen;
	scen[nscen - 1] = x;
}

static void
build_scenario(void)
{
	nscen = 0;
	uint32_t seed = 12345;
	for (int i = 0; i < 60; i++) {
		seed = seed * 1103515245u + 12345u;
		int day = 2 + (int)(seed >> 16) % 27;           /* 2..28 March */
		int64_t s = M(10) + (int64_t)((seed >> 8) % 170) * 60;
		int who = 1 + (int)((seed >> 4) % 4);
		int64_t ticket = 1000 + (seed >> 12) % 9;       /* A's tickets */
		add(e(0, ticket, who, D(2026, 3, day), s, HB_WORK, CHARGE_PLAN, 10, 0,
		      NULL));
	}
	for (int i = 0; i < 25; i++) {
		seed = seed * 1103515245u + 12345u;
		int day = 1 + (int)(seed >> 16) % 31;
		int64_t s = M(5) + (int64_t)((seed >> 8) % 120) * 60;
		int who = 1 + (int)((seed >> 4) % 4);
		add(e(0, 2000 + (seed >> 12) % 5, who, D(2026, 3, day), s,
		      i % 5 == 0 ? HB_REMOTE_SESSION : HB_WORK, CHARGE_PLAN, 20, 0,
		      NULL));
	}
	/* C: five events, two of them updates. */
	static const struct {
		int ticket, day, minutes;
		enum hb_kind kind;
		const char *po;
	} ev[] = {
		{3000, 3, 20, HB_WORK, "OC-100"},
		{3001, 5, 95, HB_WORK, "OC-101"},
		{3001, 6, 40, HB_WORK, "OC-101"},
		{3002, 10, 120, HB_UPDATE, "OC-102"},
		{3003, 17, 200, HB_UPDATE, "OC-103"},
		{3004, 31, 61, HB_WORK, "OC-104"},
	};
	for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++)
		add(e(0, ev[i].ticket, 1 + (int)i % 4, D(2026, 3, ev[i].day),
		      M(ev[i].minutes), ev[i].kind, CHARGE_PER_EVENT, 30, 0,
		      ev[i].po));
	/* Warranty and monthly-service work: logged, not charged. */
	for (int i = 0; i < 6; i++)
		add(e(0, 1100 + i, 1 + i % 4, D(2026, 3, 2 + i * 4), M(45 + i * 10),
		      HB_WORK, CHARGE_WARRANTY, 0, 0, NULL));
	for (int i = 0; i < 4; i++)
		add(e(0, 2100 + i, 2, D(2026, 3, 3 + i * 5), M(30 + i * 7), HB_WORK,
		      CHARGE_MONTHLY_SERVICE, 0, 0, NULL));
	/* Corrections: A's entry 3 loses 20 min, B's first entry gains 25. */
	add(e(0, scen[2].ticket_id, 1, D(2026, 3, 30), -M(20), HB_CORRECTION,
	      CHARGE_PLAN, 10, scen[2].id, NULL));
	add(e(0, scen[60].ticket_id, 1, D(2026, 3, 30), M(25), HB_CORRECTION,
	      CHARGE_PLAN, 20, scen[60].id, NULL));
	/* Outside March. */
	add(e(0, 1000, 1, D(2026, 2, 27), H(3), HB_WORK, CHARGE_PLAN, 10, 0,
	      NULL));
	add(e(0, 1000, 1, D(2026, 4, 1), H(3), HB_WORK, CHARGE_PLAN, 10, 0,
	      NULL));
}

static void
check_reconciles(const struct hb_statement *st)
{
	int64_t tl = 0, tc = 0, tb = 0, ta = 0;
	for (int i = 0; i < st->ntickets; i++) {
		tl += st->tickets[i].logged_s;
		tc += st->tickets[i].counted_s;
		tb += st->tickets[i].billed_s;
		ta += st->tickets[i].amount_cents;
	}
	assert_int_equal(tl, st->logged_s);
	assert_int_equal(tc, st->used_s);
	assert_int_equal(tb, st->billed_s);
	assert_int_equal(ta, st->amount_cents);
	int64_t cl = 0, cc = 0, cb = st->minimums.billed_s,
	        ca = st->minimums.amount_cents;
	for (int i = 0; i < st->nconsultants; i++) {
		cl += st->consultants[i].logged_s;
		cc += st->consultants[i].counted_s;
		cb += st->consultants[i].billed_s;
		ca += st->consultants[i].amount_cents;
	}
	assert_int_equal(cl, st->logged_s);
	assert_int_equal(cc, st->used_s);
	assert_int_equal(cb, st->billed_s);
	assert_int_equal(ca, st->amount_cents);
	assert_int_equal(st->amount_cents,
	                 hourbank_amount_cents(st->billed_s, st->rate_cents));
	if (st->period == PLAN_PERIOD_MONTH) {
		assert_int_equal(st->billed_s, st->overage_s);
		assert_int_equal(st->used_s - st->included_s,
		                 st->overage_s - st->remaining_s);
	} else {
		int64_t eb = 0, ea = 0;
		for (int i = 0; i < st->nevents; i++) {
			eb += st->events[i].billed_s;
			ea += st->events[i].amount_cents;
			assert_true(st->events[i].billed_s >= st->events[i].min_s);
		}
		assert_int_equal(eb, st->billed_s);
		assert_int_equal(ea, st->amount_cents);
		assert_int_equal(st->billed_s, st->used_s + st->minimum_s);
	}
}

static const struct hb_ledger_row *
ledger_row(const struct hb_ledger *l, enum charge c, int64_t contract_id)
{
	for (int i = 0; i < l->nrows; i++)
		if (l->rows[i].coverage == c && l->rows[i].contract_id == contract_id)
			return &l->rows[i];
	return NULL;
}

static void
R8_month_scenario_statements_reconcile_with_the_ledger(void **state)
{
	(void)state;
	build_scenario();
	struct client_contract a = {10, PLAN_BASIC, D(2026, 1, 1),
	                            D(2026, 12, 31), NO, 12000, 0, {0}};
	struct client_contract b = {20, PLAN_ENTERPRISE, D(2025, 7, 1),
	                            D(2026, 6, 30), NO, 15050, 0, {0}};
	struct client_contract c = {30, PLAN_PER_EVENT, D(2026, 1, 1),
	                            D(2026, 12, 31), NO, 17525, 0, {0}};
	static struct hb_statement sa, sb, sc;
	struct hb_ledger led;
	struct hb_error err;

	assert_int_equal(hourbank_statement(&pol, &a, scen, nscen, 2026, 3, &sa,
	                                    &err), HB_OK);
	assert_int_equal(hourbank_statement(&pol, &b, scen, nscen, 2026, 3, &sb,
	                                    &err), HB_OK);
	assert_int_equal(hourbank_statement(&pol, &c, scen, nscen, 2026, 3, &sc,
	                                    &err), HB_OK);
	assert_int_equal(hourbank_ledger(&pol, scen, nscen, 2026, 3, &led, &err),
	                 HB_OK);

	check_reconciles(&sa);
	check_reconciles(&sb);
	check_reconciles(&sc);

	/* A goes over its 20 h, B stays under its 40 h. */
	assert_int_equal(sa.included_s, H(20));
	assert_true(sa.overage_s > 0 && sa.remaining_s == 0);
	assert_true(sa.amount_cents > 0);
	assert_int_equal(sb.included_s, H(40));
	assert_true(sb.overage_s == 0 && sb.remaining_s > 0);
	assert_int_equal(sb.amount_cents, 0);
	/* C: five events; 20 min -> 1 h, 95+40 -> 2 h 30, updates -> 3 h and
	 * 3 h 30 (200 min rounds up), 61 min -> 1 h 15. */
	assert_int_equal(sc.nevents, 5);
	assert_int_equal(sc.billed_s, H(1) + H(2) + M(30) + H(3) + H(3) + M(30) +
	                 H(1) + M(15));
	assert_int_equal(sc.amount_cents,
	                 hourbank_amount_cents(sc.billed_s, 17525));

	/* The ledger agrees with every statement, and holds the rest. */
	const struct hb_ledger_row *ra = ledger_row(&led, CHARGE_PLAN, 10);
	const struct hb_ledger_row *rb = ledger_row(&led, CHARGE_PLAN, 20);
	const struct hb_ledger_row *rc = ledger_row(&led, CHARGE_PER_EVENT, 30);
	const struct hb_ledger_row *rw = ledger_row(&led, CHARGE_WARRANTY, 0);
	const struct hb_ledger_row *rm = ledger_row(&led, CHARGE_MONTHLY_SERVICE,
	                                            0);
	assert_non_null(ra);
	assert_non_null(rb);
	assert_non_null(rc);
	assert_non_null(rw);
	assert_non_null(rm);
	assert_int_equal(led.nrows, 5);
	assert_int_equal(ra->counted_s, sa.used_s);
	assert_int_equal(ra->logged_s, sa.logged_s);
	assert_int_equal(ra->nentries, sa.nentries);
	assert_int_equal(rb->counted_s, sb.used_s);
	assert_int_equal(rb->nentries, sb.nentries);
	assert_int_equal(rc->counted_s, sc.used_s);
	assert_int_equal(rw->nentries, 6);
	assert_int_equal(rw->logged_s, M(45 + 55 + 65 + 75 + 85 + 95));
	assert_int_equal(rm->nentries, 4);
	int64_t sum = 0;
	for (int i = 0; i < led.nrows; i++)
		sum += led.rows[i].counted_s;
	assert_int_equal(sum, led.counted_s);
	assert_int_equal(led.counted_s, sa.used_s + sb.used_s + sc.used_s +
	                 rw->counted_s + rm->counted_s);
	/* 60 + 25 + 6 + 6 + 4 entries in March, 2 corrections folded in. */
	assert_int_equal(sa.nentries + sb.nentries + sc.nentries + rw->nentries +
	                 rm->nentries, 60 + 25 + 6 + 6 + 4 + 2);
	/* Consultants: A's work is spread over all four. */
	assert_int_equal(sa.nconsultants, 4);
}

static int
setup(void **state)
{
	(void)state;
	struct policy_diag d;
	if (policy_load(SOPORTE_SRC "/policy/prodequa.ini", &pol, &d) !=
	    POLICY_LOAD_OK) {
		policy_diag_print(&d, stderr);
		return -1;
	}
	for (size_t i = 0; i < sizeof contracts / sizeof contracts[0]; i++) {
		contracts[i].valid_from = D(2026, 1, 1);
		contracts[i].valid_to = D(2026, 12, 31);
	}
	contracts[3].valid_from = D(2026, 3, 16);
	contracts[4].valid_from = D(2025, 1, 1);
	contracts[4].valid_to = D(2026, 3, 10);
	return 0;
}

static void
R8_kind_names_round_trip(void **state)
{
	(void)state;
	for (int k = 0; k < HB_KIND_COUNT; k++) {
		enum hb_kind got;
		assert_int_equal(hb_kind_parse(hb_kind_name((enum hb_kind)k), &got), 0);
		assert_int_equal(got, k);
	}
	enum hb_kind got;
	assert_int_equal(hb_kind_parse("overtime", &got), -1);
	assert_string_equal(hb_kind_name(HB_REMOTE_SESSION), "remote_session");
	assert_null(hb_kind_names[HB_KIND_COUNT]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(R8_statement_table),
		cmocka_unit_test(R8_per_event_lines_show_the_minimum),
		cmocka_unit_test(R8_check_entry_before_recording),
		cmocka_unit_test(R8_rounding_modes_and_amounts),
		cmocka_unit_test(R8_odd_rate_lines_add_up_to_the_cent),
		cmocka_unit_test(R8_partial_month_full_when_the_policy_says_so),
		cmocka_unit_test(R8_month_scenario_statements_reconcile_with_the_ledger),
		cmocka_unit_test(R8_kind_names_round_trip),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
