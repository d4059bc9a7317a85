/*
 * hourbank_store.h - the hour bank on the store (R8): logging time,
 * listing it, and loading it for the monthly statement (statement.h).
 *
 * time_entries is an append-only ledger: an entry is never edited; a
 * mistake is fixed by a correction, a new entry (negative or positive)
 * naming the entry it corrects, which counts in that entry's month (so a
 * closed month is corrected without reopening it). Each entry records the
 * coverage decided when it was logged (ticket_coverage.h,
 * ticket_work_coverage()) and, for plan and per-event work, the contract
 * and purchase order it is charged to. The pure core checks each entry
 * (hourbank_check_entry()) and computes statements (hourbank_statement(),
 * hourbank_ledger()); nothing here does arithmetic on hours or money.
 *
 * time_log() refuses, changing nothing (APP_REFUSED, the reason in
 * store_errmsg()):
 *  - an unknown ticket, user or purchase order; a user who is not staff;
 *  - a date in the future, or in a closed month (any month before the
 *    current one in the policy's time zone) unless it is a correction;
 *  - a ticket excluded (R5) or not covered (R3: renewal required), or
 *    about no product yet;
 *  - a ticket whose cause decides who pays (warranty or plan) while the
 *    cause is not set;
 *  - per-event work without a purchase order (none named, none on the
 *    ticket, and the client has none with hours left on file: see
 *    po_hours.h), or beyond the order's hours (R8: a new order, or a
 *    Project Manager's extension, po_override()), work outside the
 *    contract's validity, a correction of another ticket's entry or one
 *    that takes an entry below zero (the core's checks).
 *
 * SECURITY: notes are operator text, checked as UTF-8 without control
 * characters; everything else is parsed before it reaches SQL, bound.
 */
#ifndef SOPORTE_APP_HOURBANK_STORE_H
#define SOPORTE_APP_HOURBANK_STORE_H

#include "app/base/app_rc.h"
#include "core/calendar.h"
#include "core/hourbank.h"
#include "core/policy.h"
#include "store/store.h"
#include "util/timefmt.h"

#include <jansson.h>
#include <stdint.h>

struct time_request {
	int64_t ticket_number;
	int64_t seconds;            /* > 0; a correction's may be < 0 */
	const char *work_date;      /* YYYY-MM-DD; NULL: today (policy zone) */
	const char *note;           /* may be NULL */
	const char *user_email;     /* who worked; NULL: the ticket's assignee */
	enum hb_kind kind;          /* HB_WORK, HB_UPDATE, HB_REMOTE_SESSION */
	const char *po_number;      /* per-event work; NULL: the ticket's */
	int64_t corrects_id;        /* > 0: a correction of that entry */
};

struct time_logged {
	int64_t id;
	enum charge coverage;
	int64_t contract_id;        /* 0 when none */
	char work_date[ISO_DATE_LEN];
	char purchase_order[POLICY_KEY_MAX];
	/* Per event (R8): the order's hours paid, billed with this entry,
	 * left; po_full: this entry used the last of them (warn). */
	int64_t po_paid_s, po_billed_s, po_left_s;
	int po_full;
};

enum app_rc time_log(struct store *db, const struct policy *pol,
                     const struct calendar *cal, const struct time_request *r,
                     int64_t now, struct time_logged *out);
/* time_log() inside the caller's transaction (begun with the write
 * lock): for a command whose time is one part of it (a remote session's
 * end). The caller commits or rolls back. */
enum app_rc time_log_in_tx(struct store *db, const struct policy *pol,
                           const struct calendar *cal,
                           const struct time_request *r, int64_t now,
                           struct time_logged *out);

struct time_filter {
	int64_t ticket_number;      /* > 0: this ticket's entries */
	const char *client;         /* else: this client's (domain) ... */
	int64_t year;               /* ... in this month */
	int month;
};

/* Entries as a JSON array (id, ticket_number, user_email, work_date,
 * seconds, kind, coverage, contract_id, purchase_order, corrects_id,
 * note, created_at), oldest first. */
enum app_rc time_list_json(struct store *db, const struct time_filter *f,
                           json_t **out);

/* The time entries matching where (SQL over time_entries e, with the
 * parameters p; never user text), oldest first, as the core's hb_entry
 * (shared by time logging and statements). */
struct hb_entries {
	struct hb_entry *e;      /* malloc'd; hb_entries_free() */
	int n, cap;
};

enum app_rc hb_entries_load(struct store *db, const char *where,
                            const struct store_param *p, int np,
                            struct hb_entries *out);
void hb_entries_free(struct hb_entries *es);

#endif
