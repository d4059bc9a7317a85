/*
 * hourbank.c - R8 ledger and statements (see hourbank.h). Pure: no I/O,
 * no clock, no heap; work arrays live on the stack, bounded by
 * HB_MAX_ENTRIES.
 *
 * Every computation starts the same way: pick the "root" entries (work,
 * update, remote session) that belong to the result, then fold each
 * correction into the root it corrects (following chains of corrections),
 * so a root's net seconds are its own plus its corrections', rounded once.
 */
#include "core/hourbank.h"
#include "util/timefmt.h"

#include <string.h>

#define MAX_ENTRY_S (24 * 3600)            /* one entry: at most a day */
#define MAX_RATE_CENTS 1000000000LL        /* 10 million soles an hour */

struct root {
	int idx;                 /* in entries[] */
	int64_t net_s;           /* own seconds + corrections */
	int ncorr;
};

struct roots {
	int n;
	struct root r[HB_MAX_ENTRIES];
};

static enum hb_rc
fail(struct hb_error *err, enum hb_rc rc, const struct hb_entry *e)
{
	if (err) {
		err->rc = rc;
		err->entry_id = e ? e->id : 0;
		err->ticket_id = e ? e->ticket_id : 0;
	}
	return rc;
}

const char *const hb_kind_names[HB_KIND_COUNT + 1] = {
	[HB_WORK] = "work",
	[HB_UPDATE] = "update",
	[HB_REMOTE_SESSION] = "remote_session",
	[HB_CORRECTION] = "correction",
	[HB_KIND_COUNT] = NULL,
};

const char *
hb_kind_name(enum hb_kind k)
{
	return (unsigned)k < HB_KIND_COUNT ? hb_kind_names[k] : "unknown";
}

int
hb_kind_parse(const char *s, enum hb_kind *out)
{
	for (int i = 0; i < HB_KIND_COUNT; i++)
		if (strcmp(hb_kind_names[i], s) == 0) {
			*out = (enum hb_kind)i;
			return 0;
		}
	return -1;
}

const char *
hourbank_rc_text(enum hb_rc rc)
{
	switch (rc) {
	case HB_OK: return "ok";
	case HB_ERR_BAD_SECONDS:
		return "time must be more than zero and at most a day "
		       "(a correction: not zero)";
	case HB_ERR_BAD_CORRECTION:
		return "a correction must name an earlier entry of the same ticket";
	case HB_ERR_NEGATIVE_TOTAL:
		return "corrections would take the entry below zero";
	case HB_ERR_NO_PURCHASE_ORDER:
		return "per-event work needs a purchase order";
	case HB_ERR_OUTSIDE_CONTRACT:
		return "the entry is dated outside the contract's validity";
	case HB_ERR_WRONG_CONTRACT:
		return "the entry's coverage does not match the contract's plan";
	case HB_ERR_NO_PLAN: return "the policy has no plan of that kind";
	case HB_ERR_BAD_MONTH: return "no such month";
	case HB_ERR_TOO_MANY: return "too many entries or lines for one statement";
	case HB_ERR_OVERFLOW: return "amount out of range";
	}
	return "unknown error";
}

int64_t
hourbank_round(const struct policy *p, int64_t s)
{
	if (s <= 0)
		return 0;
	int64_t step = (int64_t)p->rounding_min * 60;
	if (step <= 0)
		return s;
	switch (p->rounding) {
	case ROUNDING_UP:
		return (s + step - 1) / step * step;
	case ROUNDING_NEAREST:
		return (s + step / 2) / step * step;
	case ROUNDING_NONE:
		break;
	}
	return s;
}

int64_t
hourbank_amount_cents(int64_t seconds, int64_t rate_cents)
{
	if (seconds <= 0 || rate_cents <= 0)
		return 0;
	return (seconds * rate_cents + 1800) / 3600;
}

/* ---- finding entries ------------------------------------------------ */

static int
find_id(const struct hb_entry *entries, int n, int64_t id)
{
	for (int i = 0; i < n; i++)
		if (entries[i].id == id)
			return i;
	return -1;
}

/* Returns the index of the root a correction (chain) ends at, or -1. */
static int
root_of(const struct hb_entry *entries, int n, int i)
{
	for (int depth = 0; depth <= HB_MAX_CORRECTION_DEPTH; depth++) {
		if (entries[i].kind != HB_CORRECTION)
			return i;
		int j = find_id(entries, n, entries[i].corrects_id);
		if (j < 0 || entries[j].ticket_id != entries[i].ticket_id)
			return -1;
		i = j;
	}
	return -1;
}

typedef bool root_filter(const struct hb_entry *e, const void *arg);

/* Collects the roots that pass keep() and folds their corrections in. */
static enum hb_rc
collect(const struct hb_entry *entries, int n, root_filter *keep,
        const void *arg, struct roots *rs, struct hb_error *err)
{
	rs->n = 0;
	for (int i = 0; i < n; i++) {
		const struct hb_entry *e = &entries[i];
		if (e->kind == HB_CORRECTION) {
			if (e->seconds == 0 || e->seconds > MAX_ENTRY_S ||
			    e->seconds < -MAX_ENTRY_S)
				return fail(err, HB_ERR_BAD_SECONDS, e);
			if (root_of(entries, n, i) < 0)
				return fail(err, HB_ERR_BAD_CORRECTION, e);
			continue;
		}
		if (!keep(e, arg))
			continue;
		if (e->seconds <= 0 || e->seconds > MAX_ENTRY_S)
			return fail(err, HB_ERR_BAD_SECONDS, e);
		if (rs->n == HB_MAX_ENTRIES)
			return fail(err, HB_ERR_TOO_MANY, e);
		rs->r[rs->n].idx = i;
		rs->r[rs->n].net_s = e->seconds;
		rs->r[rs->n].ncorr = 0;
		rs->n++;
	}
	for (int i = 0; i < n; i++) {
		if (entries[i].kind != HB_CORRECTION)
			continue;
		int root = root_of(entries, n, i);
		for (int k = 0; k < rs->n; k++)
			if (rs->r[k].idx == root) {
				rs->r[k].net_s += entries[i].seconds;
				rs->r[k].ncorr++;
			}
	}
	for (int k = 0; k < rs->n; k++)
		if (rs->r[k].net_s < 0)
			return fail(err, HB_ERR_NEGATIVE_TOTAL, &entries[rs->r[k].idx]);
	return HB_OK;
}

/* Sorts roots by (day, id): the order the allowance is used in. */
static void
sort_roots(const struct hb_entry *entries, struct roots *rs)
{
	for (int i = 1; i < rs->n; i++) {
		struct root t = rs->r[i];
		const struct hb_entry *te = &entries[t.idx];
		int j = i - 1;
		while (j >= 0) {
			const struct hb_entry *je = &entries[rs->r[j].idx];
			if (je->day < te->day || (je->day == te->day && je->id <= te->id))
				break;
			rs->r[j + 1] = rs->r[j];
			j--;
		}
		rs->r[j + 1] = t;
	}
}

/* ---- months --------------------------------------------------------- */

struct month {
	int64_t first, last;
};

static int
month_range(int64_t year, int month, struct month *m)
{
	if (month < 1 || month > 12 || year < 1 || year > 9999)
		return -1;
	m->first = days_from_civil(year, month, 1);
	m->last = days_from_civil(year, month, days_in_month(year, month));
	return 0;
}

static bool
in_month(const struct month *m, int64_t day)
{
	return day >= m->first && day <= m->last;
}

/* ---- lines ---------------------------------------------------------- */

static struct hb_line *
line_get(struct hb_line *lines, int *n, int64_t id)
{
	for (int i = 0; i < *n; i++)
		if (lines[i].id == id)
			return &lines[i];
	if (*n == HB_MAX_LINES)
		return NULL;
	struct hb_line *l = &lines[(*n)++];
	memset(l, 0, sizeof *l);
	l->id = id;
	return l;
}

static void
line_add(struct hb_line *l, int64_t logged, int64_t counted, int64_t billed,
         int64_t amount)
{
	l->logged_s += logged;
	l->counted_s += counted;
	l->billed_s += billed;
	l->amount_cents += amount;
}

/* The running billed total: each piece's amount is the step of the
 * rounded amount function, so the pieces add up to the total's amount. */
struct meter {
	int64_t billed_s;
	int64_t amount_cents;
	int64_t rate_cents;
};

static int64_t
meter_add(struct meter *m, int64_t seconds)
{
	int64_t before = m->amount_cents;
	m->billed_s += seconds;
	m->amount_cents = hourbank_amount_cents(m->billed_s, m->rate_cents);
	return m->amount_cents - before;
}

/* Adds one root's time to the ticket and consultant lines. */
static enum hb_rc
lines_add(struct hb_statement *st, const struct hb_entry *e, int64_t logged,
          int64_t counted, int64_t billed, int64_t amount,
          struct hb_error *err)
{
	struct hb_line *t = line_get(st->tickets, &st->ntickets, e->ticket_id);
	struct hb_line *c = line_get(st->consultants, &st->nconsultants,
	                             e->consultant_id);
	if (t == NULL || c == NULL)
		return fail(err, HB_ERR_TOO_MANY, e);
	line_add(t, logged, counted, billed, amount);
	line_add(c, logged, counted, billed, amount);
	return HB_OK;
}

/* ---- statements ----------------------------------------------------- */

struct contract_filter {
	const struct client_contract *c;
	const struct month *m;   /* NULL: any month */
	enum charge coverage;
};

static bool
keep_contract(const struct hb_entry *e, const void *arg)
{
	const struct contract_filter *f = arg;
	return e->contract_id == f->c->id &&
	       (e->coverage == CHARGE_PLAN || e->coverage == CHARGE_PER_EVENT) &&
	       (f->m == NULL || in_month(f->m, e->day));
}

/* Checks one root against the contract: coverage, validity, PO. */
static enum hb_rc
check_root(const struct policy_plan *plan, const struct client_contract *c,
           const struct hb_entry *e, enum charge want, struct hb_error *err)
{
	if (e->coverage != want)
		return fail(err, HB_ERR_WRONG_CONTRACT, e);
	if (e->day < c->valid_from || e->day > client_contract_last_day(c))
		return fail(err, HB_ERR_OUTSIDE_CONTRACT, e);
	if (want == CHARGE_PER_EVENT && plan->purchase_order_required &&
	    e->purchase_order[0] == '\0')
		return fail(err, HB_ERR_NO_PURCHASE_ORDER, e);
	return HB_OK;
}

/* The allowance of the month [first, last] of a contract. */
static int64_t
allowance(const struct policy *p, const struct policy_plan *plan,
          const struct month *m, int64_t first, int64_t last)
{
	if (first > last)
		return 0;
	int64_t covered = last - first + 1, days = m->last - m->first + 1;
	if (covered == days || p->partial_month == PARTIAL_MONTH_FULL)
		return plan->included_s;
	int64_t s = plan->included_s * covered / days;
	int64_t step = p->rounding_min > 0 ? (int64_t)p->rounding_min * 60 : 60;
	return s / step * step;
}

static enum hb_rc
statement_month(const struct policy *p, const struct policy_plan *plan,
                const struct client_contract *c, const struct hb_entry *entries,
                int n, const struct month *m, struct hb_statement *st,
                struct hb_error *err)
{
	struct roots rs;
	struct contract_filter f = {c, m, CHARGE_PLAN};
	enum hb_rc rc = collect(entries, n, keep_contract, &f, &rs, err);
	for (int k = 0; rc == HB_OK && k < rs.n; k++)
		rc = check_root(plan, c, &entries[rs.r[k].idx], CHARGE_PLAN, err);
	if (rc != HB_OK)
		return rc;
	sort_roots(entries, &rs);

	st->included_s = allowance(p, plan, m, st->first_day, st->last_day);
	struct meter mt = {0, 0, c->hourly_rate_cents};
	for (int k = 0; k < rs.n; k++) {
		const struct hb_entry *e = &entries[rs.r[k].idx];
		int64_t counted = hourbank_round(p, rs.r[k].net_s);
		int64_t over_before = st->used_s > st->included_s ?
		                      st->used_s - st->included_s : 0;
		st->used_s += counted;
		int64_t over_after = st->used_s > st->included_s ?
		                     st->used_s - st->included_s : 0;
		int64_t billed = over_after - over_before;
		int64_t amount = meter_add(&mt, billed);
		st->logged_s += rs.r[k].net_s;
		st->nentries += 1 + rs.r[k].ncorr;
		rc = lines_add(st, e, rs.r[k].net_s, counted, billed, amount, err);
		if (rc != HB_OK)
			return rc;
	}
	st->remaining_s = st->used_s < st->included_s ?
	                  st->included_s - st->used_s : 0;
	st->overage_s = st->used_s > st->included_s ?
	                st->used_s - st->included_s : 0;
	st->billed_s = mt.billed_s;
	st->amount_cents = mt.amount_cents;
	return HB_OK;
}

static enum hb_rc
statement_events(const struct policy *p, const struct policy_plan *plan,
                 const struct client_contract *c,
                 const struct hb_entry *entries, int n, const struct month *m,
                 struct hb_statement *st, struct hb_error *err)
{
	struct roots rs;
	/* All months: an event belongs to the month of its first entry. */
	struct contract_filter f = {c, NULL, CHARGE_PER_EVENT};
	enum hb_rc rc = collect(entries, n, keep_contract, &f, &rs, err);
	if (rc != HB_OK)
		return rc;
	sort_roots(entries, &rs);

	/* Events in the order of their first entry: since the roots are
	 * sorted by day, a ticket's first root is where its event starts. */
	struct meter mt = {0, 0, c->hourly_rate_cents};
	st->minimums.id = 0;
	for (int k = 0; k < rs.n; k++) {
		const struct hb_entry *first = &entries[rs.r[k].idx];
		bool seen = false;
		for (int j = 0; j < k && !seen; j++)
			seen = entries[rs.r[j].idx].ticket_id == first->ticket_id;
		if (seen || !in_month(m, first->day))
			continue;
		if (st->nevents == HB_MAX_LINES)
			return fail(err, HB_ERR_TOO_MANY, first);
		struct hb_event *ev = &st->events[st->nevents++];
		memset(ev, 0, sizeof *ev);
		ev->ticket_id = first->ticket_id;
		memcpy(ev->purchase_order, first->purchase_order,
		       sizeof ev->purchase_order);
		ev->purchase_order[sizeof ev->purchase_order - 1] = '\0';

		for (int j = k; j < rs.n; j++) {
			const struct hb_entry *e = &entries[rs.r[j].idx];
			if (e->ticket_id != ev->ticket_id)
				continue;
			/* Only this month's events are checked: a bad entry of
			 * another month does not block this statement. */
			rc = check_root(plan, c, e, CHARGE_PER_EVENT, err);
			if (rc != HB_OK)
				return rc;
			int64_t counted = hourbank_round(p, rs.r[j].net_s);
			int64_t amount = meter_add(&mt, counted);
			ev->update |= e->kind == HB_UPDATE;
			ev->counted_s += counted;
			ev->amount_cents += amount;
			st->logged_s += rs.r[j].net_s;
			st->used_s += counted;
			st->nentries += 1 + rs.r[j].ncorr;
			rc = lines_add(st, e, rs.r[j].net_s, counted, counted, amount,
			               err);
			if (rc != HB_OK)
				return rc;
		}
		ev->min_s = ev->update ? plan->update_min_s : plan->event_min_s;
		int64_t topup = ev->counted_s < ev->min_s ?
		                ev->min_s - ev->counted_s : 0;
		int64_t amount = meter_add(&mt, topup);
		ev->billed_s = ev->counted_s + topup;
		ev->amount_cents += amount;
		st->minimum_s += topup;
		line_add(&st->minimums, 0, 0, topup, amount);
		struct hb_line *t = line_get(st->tickets, &st->ntickets,
		                             ev->ticket_id);
		if (t == NULL)
			return fail(err, HB_ERR_TOO_MANY, first);
		line_add(t, 0, 0, topup, amount);
	}
	st->billed_s = mt.billed_s;
	st->amount_cents = mt.amount_cents;
	return HB_OK;
}

enum hb_rc
hourbank_statement(const struct policy *p, const struct client_contract *c,
                   const struct hb_entry *entries, int n, int64_t year,
                   int month, struct hb_statement *out, struct hb_error *err)
{
	struct month m;
	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if (month_range(year, month, &m) != 0)
		return fail(err, HB_ERR_BAD_MONTH, NULL);
	if (c->hourly_rate_cents < 0 || c->hourly_rate_cents > MAX_RATE_CENTS)
		return fail(err, HB_ERR_OVERFLOW, NULL);
	const struct policy_plan *plan = policy_plan_of(p, c->plan);
	if (plan == NULL)
		return fail(err, HB_ERR_NO_PLAN, NULL);

	out->contract_id = c->id;
	out->plan = c->plan;
	out->period = plan->period;
	out->year = year;
	out->month = month;
	out->rate_cents = c->hourly_rate_cents;
	int64_t last = client_contract_last_day(c);
	out->first_day = c->valid_from > m.first ? c->valid_from : m.first;
	out->last_day = last < m.last ? last : m.last;

	if (plan->period == PLAN_PERIOD_EVENT)
		return statement_events(p, plan, c, entries, n, &m, out, err);
	return statement_month(p, plan, c, entries, n, &m, out, err);
}

/* ---- checking one entry --------------------------------------------- */

enum hb_rc
hourbank_check_entry(const struct policy *p,
                     const struct client_contract *contract,
                     const struct hb_entry *e,
                     const struct hb_entry *recorded, int n)
{
	const struct hb_entry *root = e;
	if (e->kind == HB_CORRECTION) {
		if (e->seconds == 0 || e->seconds > MAX_ENTRY_S ||
		    e->seconds < -MAX_ENTRY_S)
			return HB_ERR_BAD_SECONDS;
		int j = find_id(recorded, n, e->corrects_id);
		if (j < 0 || recorded[j].ticket_id != e->ticket_id)
			return HB_ERR_BAD_CORRECTION;
		int r = root_of(recorded, n, j);
		if (r < 0)
			return HB_ERR_BAD_CORRECTION;
		root = &recorded[r];
		int64_t net = root->seconds + e->seconds;
		for (int i = 0; i < n; i++)
			if (recorded[i].kind == HB_CORRECTION &&
			    root_of(recorded, n, i) == r)
				net += recorded[i].seconds;
		if (net < 0)
			return HB_ERR_NEGATIVE_TOTAL;
		return HB_OK; /* the root was checked when it was recorded */
	}
	if (e->seconds <= 0 || e->seconds > MAX_ENTRY_S)
		return HB_ERR_BAD_SECONDS;
	if (e->coverage != CHARGE_PLAN && e->coverage != CHARGE_PER_EVENT)
		return HB_OK;
	if (contract == NULL || contract->id != e->contract_id)
		return HB_ERR_WRONG_CONTRACT;
	bool per_event = contract->plan == PLAN_PER_EVENT;
	if (per_event != (e->coverage == CHARGE_PER_EVENT))
		return HB_ERR_WRONG_CONTRACT;
	const struct policy_plan *plan = policy_plan_of(p, contract->plan);
	if (plan == NULL)
		return HB_ERR_NO_PLAN;
	if (e->day < contract->valid_from ||
	    e->day > client_contract_last_day(contract))
		return HB_ERR_OUTSIDE_CONTRACT;
	if (per_event && plan->purchase_order_required &&
	    e->purchase_order[0] == '\0')
		return HB_ERR_NO_PURCHASE_ORDER;
	return HB_OK;
}

/* ---- the ledger ----------------------------------------------------- */

static bool
keep_month(const struct hb_entry *e, const void *arg)
{
	return in_month(arg, e->day);
}

enum hb_rc
hourbank_ledger(const struct policy *p, const struct hb_entry *entries,
                int n, int64_t year, int month, struct hb_ledger *out,
                struct hb_error *err)
{
	struct roots rs;
	struct month m;
	memset(out, 0, sizeof *out);
	if (err)
		memset(err, 0, sizeof *err);
	if (month_range(year, month, &m) != 0)
		return fail(err, HB_ERR_BAD_MONTH, NULL);
	out->year = year;
	out->month = month;
	enum hb_rc rc = collect(entries, n, keep_month, &m, &rs, err);
	if (rc != HB_OK)
		return rc;
	for (int k = 0; k < rs.n; k++) {
		const struct hb_entry *e = &entries[rs.r[k].idx];
		int64_t contract = e->coverage == CHARGE_PLAN ||
		                   e->coverage == CHARGE_PER_EVENT ?
		                   e->contract_id : 0;
		struct hb_ledger_row *row = NULL;
		for (int i = 0; i < out->nrows && !row; i++)
			if (out->rows[i].coverage == e->coverage &&
			    out->rows[i].contract_id == contract)
				row = &out->rows[i];
		if (row == NULL) {
			if (out->nrows == HB_MAX_LEDGER)
				return fail(err, HB_ERR_TOO_MANY, e);
			row = &out->rows[out->nrows++];
			row->coverage = e->coverage;
			row->contract_id = contract;
		}
		int64_t counted = hourbank_round(p, rs.r[k].net_s);
		row->logged_s += rs.r[k].net_s;
		row->counted_s += counted;
		row->nentries += 1 + rs.r[k].ncorr;
		out->logged_s += rs.r[k].net_s;
		out->counted_s += counted;
	}
	return HB_OK;
}
