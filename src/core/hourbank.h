/*
 * hourbank.h - R8 hours: the ledger of time entries and monthly statements.
 *
 * A pure computation over time entries (as the store keeps them: never
 * edited; a correction is a new entry, positive or negative, naming the
 * entry it corrects). Days are civil days in the policy's time zone, so a
 * "month" is a calendar month there (R8).
 *
 * Rules, from the policy file:
 *  - each entry, net of its corrections, is rounded to the policy's step
 *    (hour_bank.rounding_minutes, up / nearest / none) before it counts;
 *  - monthly plans (basic 20 h, enterprise 40 h): entries charged to the
 *    contract in the month use up its allowance in date order; what goes
 *    beyond is overage, billed by the hour at the contract's rate. A month
 *    the contract covers only in part gets a prorated allowance (or the
 *    full one: hour_bank.partial_month);
 *  - per event: each ticket is one event, in the month of its first entry;
 *    it is billed at least event_min_hours (1 h), or update_min_hours
 *    (3 h) when it is an update (any entry of kind update); every entry
 *    needs a purchase order when the plan requires one, else the whole
 *    statement is refused (HB_ERR_NO_PURCHASE_ORDER);
 *  - warranty, monthly-service and post-production work is logged (it is
 *    in the ledger) but charged to no contract.
 * Money: integer cents. The amount of a run of billed seconds is
 * round_half_up(seconds * rate / 3600); each entry gets the difference of
 * that function between the running totals before and after it, so every
 * line, and every total, is a sum of entry amounts and the statement's
 * amount is exactly its billed hours times the rate, to the cent.
 */
#ifndef SOPORTE_CORE_HOURBANK_H
#define SOPORTE_CORE_HOURBANK_H

#include "core/client.h"
#include "core/coverage.h"
#include "core/policy.h"

#include <stdbool.h>
#include <stdint.h>

#define HB_MAX_ENTRIES 2048  /* entries of one contract in one month */
#define HB_MAX_LINES   1024  /* tickets, consultants or events (a month
                              of 1,000 tickets fits: issue 18) */
#define HB_MAX_LEDGER  64
#define HB_MAX_CORRECTION_DEPTH 8

enum hb_kind {
	HB_WORK,
	HB_UPDATE,               /* "actualización": 3 h minimum per event */
	HB_REMOTE_SESSION,       /* counts as work (R11) */
	HB_CORRECTION,           /* adds seconds (any sign) to corrects_id */
	HB_KIND_COUNT
};

/* "work", "update", "remote_session", "correction": the kinds' names in
 * the store and the API (NULL-terminated, in enum order). parse returns 0
 * or -1. */
extern const char *const hb_kind_names[HB_KIND_COUNT + 1];
const char *hb_kind_name(enum hb_kind k);
int hb_kind_parse(const char *s, enum hb_kind *out);

struct hb_entry {
	int64_t id;              /* unique, > 0 */
	int64_t ticket_id;
	int64_t consultant_id;
	int64_t day;             /* civil day of the work */
	int64_t seconds;         /* > 0; a correction's may be < 0, not 0 */
	enum hb_kind kind;
	enum charge coverage;    /* WARRANTY, PLAN, PER_EVENT, MONTHLY_SERVICE,
	                            POST_PRODUCTION or NONE */
	int64_t contract_id;     /* PLAN and PER_EVENT: the contract */
	int64_t corrects_id;     /* HB_CORRECTION: the corrected entry */
	char purchase_order[POLICY_KEY_MAX]; /* PER_EVENT, "" when none */
};

enum hb_rc {
	HB_OK = 0,
	HB_ERR_BAD_SECONDS,      /* 0, or negative outside a correction */
	HB_ERR_BAD_CORRECTION,   /* corrects an unknown entry, or another
	                            ticket's, or too deep a chain */
	HB_ERR_NEGATIVE_TOTAL,   /* corrections take an entry below zero */
	HB_ERR_NO_PURCHASE_ORDER,/* per-event work without a purchase order */
	HB_ERR_OUTSIDE_CONTRACT, /* dated outside the contract's validity */
	HB_ERR_WRONG_CONTRACT,   /* plan entry on a per-event contract, ... */
	HB_ERR_NO_PLAN,          /* the policy has no plan of that kind */
	HB_ERR_BAD_MONTH,
	HB_ERR_TOO_MANY,         /* over HB_MAX_ENTRIES / HB_MAX_LINES */
	HB_ERR_OVERFLOW,
};

/* Which entry (and ticket) an error is about; 0 when none. */
struct hb_error {
	enum hb_rc rc;
	int64_t entry_id;
	int64_t ticket_id;
};

/* One line of a statement: a ticket, a consultant, or the per-event
 * minimums nobody worked. */
struct hb_line {
	int64_t id;
	int64_t logged_s;        /* as logged, corrections applied */
	int64_t counted_s;       /* rounded */
	int64_t billed_s;        /* invoiced seconds */
	int64_t amount_cents;
};

/* One per-event ticket. */
struct hb_event {
	int64_t ticket_id;
	char purchase_order[POLICY_KEY_MAX];
	bool update;
	int64_t counted_s;       /* work, rounded */
	int64_t min_s;           /* 1 h, or 3 h for an update */
	int64_t billed_s;        /* max(counted_s, min_s) */
	int64_t amount_cents;
};

struct hb_statement {
	int64_t contract_id;
	enum plan_kind plan;
	enum plan_period period;
	int64_t year;
	int month;               /* 1..12 */
	int64_t first_day;       /* of the month, within the contract */
	int64_t last_day;        /* (first_day > last_day: not covered) */
	int64_t rate_cents;      /* per hour */

	int64_t included_s;      /* the month's allowance (0 per event) */
	int64_t logged_s;
	int64_t used_s;          /* counted */
	int64_t remaining_s;     /* max(0, included - used) */
	int64_t overage_s;       /* max(0, used - included) */
	int64_t minimum_s;       /* per event: minimums added to the work */
	int64_t billed_s;        /* overage, or per event all billed time */
	int64_t amount_cents;

	int nentries;            /* entries counted (corrections included) */
	int ntickets;
	struct hb_line tickets[HB_MAX_LINES];
	int nconsultants;
	struct hb_line consultants[HB_MAX_LINES];
	struct hb_line minimums; /* id 0: the per-event minimums */
	int nevents;
	struct hb_event events[HB_MAX_LINES];
};

/* One row of the ledger: the month's time by coverage and contract. */
struct hb_ledger_row {
	enum charge coverage;
	int64_t contract_id;     /* 0 for the coverages without a contract */
	int64_t logged_s;
	int64_t counted_s;
	int nentries;
};

struct hb_ledger {
	int64_t year;
	int month;
	int64_t logged_s;
	int64_t counted_s;
	int nrows;
	struct hb_ledger_row rows[HB_MAX_LEDGER];
};

/* Rounds positive seconds to the policy's step; returns the result (0
 * for 0 or less). */
int64_t hourbank_round(const struct policy *p, int64_t seconds);

/* Returns round_half_up(seconds * rate_cents / 3600). */
int64_t hourbank_amount_cents(int64_t seconds, int64_t rate_cents);

/*
 * Checks one new entry before it is recorded, against the contract it
 * is charged to (NULL for coverages without one) and the entries already
 * recorded for its ticket (for corrections). Returns HB_OK or the reason
 * to refuse it (a per-event entry without a purchase order, ...).
 */
enum hb_rc hourbank_check_entry(const struct policy *p,
                                const struct client_contract *contract,
                                const struct hb_entry *e,
                                const struct hb_entry *recorded, int n);

/*
 * Computes the statement of contract c for one calendar month from
 * entries (any number, any order; those of other contracts are skipped).
 * Returns HB_OK with *out filled, or an error with err (may be NULL)
 * naming the entry; *out is then unusable.
 */
enum hb_rc hourbank_statement(const struct policy *p,
                              const struct client_contract *c,
                              const struct hb_entry *entries, int n,
                              int64_t year, int month,
                              struct hb_statement *out, struct hb_error *err);

/*
 * Sums the month's entries (corrections applied to the entry they
 * correct, in that entry's month) by coverage and contract. Returns
 * HB_OK, or an error naming the entry.
 */
enum hb_rc hourbank_ledger(const struct policy *p,
                           const struct hb_entry *entries, int n,
                           int64_t year, int month, struct hb_ledger *out,
                           struct hb_error *err);

/* Returns a short English description of rc, for logs and the API. */
const char *hourbank_rc_text(enum hb_rc rc);

#endif
