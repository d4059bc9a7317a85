/*
 * perevent.c - per-event routing and purchase-order hours (see
 * perevent.h).
 */
#include "core/perevent.h"

#include <stddef.h>

enum pe_route
perevent_route(enum charge charge, bool po_on_file)
{
	if (charge == CHARGE_NONE)
		return PE_RENEWAL;
	if (charge == CHARGE_PER_EVENT && !po_on_file)
		return PE_WAIT_PO;
	return PE_WORK;
}

const char *
perevent_route_name(enum pe_route r)
{
	switch (r) {
	case PE_WORK:
		return "work";
	case PE_WAIT_PO:
		return "wait_purchase_order";
	case PE_RENEWAL:
		return "renewal_required";
	}
	return "unknown";
}

/* The index of the entry a correction chain starting at i ends on (the
 * entry that is not a correction), or -1. */
static int
root_of(const struct hb_entry *e, int n, int i)
{
	for (int depth = 0; depth <= HB_MAX_CORRECTION_DEPTH; depth++) {
		if (e[i].kind != HB_CORRECTION)
			return i;
		int next = -1;
		for (int j = 0; j < n && next < 0; j++)
			if (e[j].id == e[i].corrects_id)
				next = j;
		if (next < 0)
			return -1;
		i = next;
	}
	return -1;
}

int64_t
perevent_po_billed(const struct policy *p, const struct hb_entry *e, int n)
{
	const struct policy_plan *plan = policy_plan_of(p, PLAN_PER_EVENT);
	int64_t event_min = plan ? plan->event_min_s : 0;
	int64_t update_min = plan ? plan->update_min_s : 0;
	int64_t total = 0;
	/* Each ticket once: at its first root entry. */
	for (int t = 0; t < n; t++) {
		if (e[t].kind == HB_CORRECTION)
			continue;
		bool first = true;
		for (int j = 0; j < t && first; j++)
			first = e[j].kind == HB_CORRECTION ||
			        e[j].ticket_id != e[t].ticket_id;
		if (!first)
			continue;
		int64_t counted = 0;
		bool update = false;
		for (int r = t; r < n; r++) {
			if (e[r].kind == HB_CORRECTION ||
			    e[r].ticket_id != e[t].ticket_id)
				continue;
			int64_t net = 0;
			for (int j = 0; j < n; j++) {
				int root = root_of(e, n, j);
				if (root < 0)
					return -1;
				if (root == r)
					net += e[j].seconds;
			}
			counted += hourbank_round(p, net);
			update = update || e[r].kind == HB_UPDATE;
		}
		int64_t min = update ? update_min : event_min;
		total += counted > min ? counted : min;
	}
	/* A correction whose chain leads nowhere is not valid. */
	for (int j = 0; j < n; j++)
		if (root_of(e, n, j) < 0)
			return -1;
	return total;
}

enum pe_po
perevent_po_check(int64_t billed_after, int64_t paid_s)
{
	if (billed_after > paid_s)
		return PE_PO_OVER;
	if (billed_after == paid_s)
		return PE_PO_FULL;
	return PE_PO_FITS;
}
