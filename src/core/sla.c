/*
 * sla.c - response deadlines and clock state (see sla.h).
 *
 * Pauses are copied to the stack, sorted and merged into a disjoint union;
 * then the deadline is one pass: count the business time up to the next
 * pause, and either the target is reached before it (calendar_add from the
 * cursor) or the cursor jumps to the pause's end. Each step is O(1) or
 * O(log) on the calendar index, so a deadline costs a few lookups.
 */
#include "core/sla.h"

static size_t
merge_pauses(const struct sla_clock *c, struct sla_pause *m)
{
	size_t n = 0;
	for (size_t i = 0; i < c->npauses; i++) {
		struct sla_pause p = c->pauses[i];
		if (p.end_s <= p.start_s || p.end_s <= c->created_s)
			continue;
		size_t j = n++;
		while (j > 0 && m[j - 1].start_s > p.start_s) {
			m[j] = m[j - 1];
			j--;
		}
		m[j] = p;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (k > 0 && m[i].start_s <= m[k - 1].end_s) {
			if (m[i].end_s > m[k - 1].end_s)
				m[k - 1].end_s = m[i].end_s;
			continue;
		}
		m[k++] = m[i];
	}
	return k;
}

static enum sla_rc
check(const struct sla_clock *c)
{
	if (c->target_s < 0)
		return SLA_EINVAL;
	if (c->npauses > SLA_MAX_PAUSES)
		return SLA_ETOOMANY;
	for (size_t i = 0; i < c->npauses; i++)
		if (c->pauses[i].end_s < c->pauses[i].start_s)
			return SLA_EINVAL;
	return SLA_OK;
}

static enum sla_rc
from_cal(enum cal_rc rc)
{
	return rc == CAL_OK ? SLA_OK : rc == CAL_ERANGE ? SLA_ERANGE : SLA_EINVAL;
}

enum sla_rc
sla_clock_init(struct sla_clock *c, const struct policy *p, int severity,
               int64_t created_s, const struct sla_pause *pauses,
               size_t npauses)
{
	return sla_clock_target(c, policy_response_s(p, severity), created_s,
	                        pauses, npauses);
}

enum sla_rc
sla_clock_target(struct sla_clock *c, int64_t target_s, int64_t created_s,
                 const struct sla_pause *pauses, size_t npauses)
{
	if (target_s < 0)
		return SLA_EINVAL;
	c->created_s = created_s;
	c->target_s = target_s;
	c->pauses = pauses;
	c->npauses = npauses;
	return SLA_OK;
}

enum sla_rc
sla_due(const struct calendar *cal, const struct sla_clock *c, int64_t *due_s)
{
	struct sla_pause m[SLA_MAX_PAUSES];
	enum sla_rc rc = check(c);
	if (rc != SLA_OK)
		return rc;
	int64_t lo, hi;
	calendar_span(cal, &lo, &hi);
	if (c->created_s < lo || c->created_s > hi)
		return SLA_ERANGE;
	size_t n = merge_pauses(c, m);
	int64_t cursor = c->created_s, remaining = c->target_s;
	if (remaining == 0) {
		*due_s = cursor;
		return SLA_OK;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t ps = m[i].start_s > cursor ? m[i].start_s : cursor;
		if (ps > hi)
			ps = hi;
		int64_t avail;
		rc = from_cal(calendar_between(cal, cursor, ps, &avail));
		if (rc != SLA_OK)
			return rc;
		if (avail >= remaining)
			break;
		remaining -= avail;
		if (m[i].end_s == SLA_OPEN) {
			*due_s = SLA_NEVER;
			return SLA_OK;
		}
		cursor = m[i].end_s;
		if (cursor > hi)
			return SLA_ERANGE;
	}
	return from_cal(calendar_add(cal, cursor, remaining, due_s));
}

enum sla_rc
sla_elapsed(const struct calendar *cal, const struct sla_clock *c,
            int64_t end_s, int64_t *out_s)
{
	struct sla_pause m[SLA_MAX_PAUSES];
	enum sla_rc rc = check(c);
	if (rc != SLA_OK)
		return rc;
	if (end_s <= c->created_s) {
		*out_s = 0;
		return SLA_OK;
	}
	int64_t total;
	rc = from_cal(calendar_between(cal, c->created_s, end_s, &total));
	if (rc != SLA_OK)
		return rc;
	size_t n = merge_pauses(c, m);
	for (size_t i = 0; i < n && m[i].start_s < end_s; i++) {
		int64_t s = m[i].start_s > c->created_s ? m[i].start_s : c->created_s;
		int64_t e = m[i].end_s < end_s ? m[i].end_s : end_s;
		int64_t paused;
		rc = from_cal(calendar_between(cal, s, e, &paused));
		if (rc != SLA_OK)
			return rc;
		total -= paused;
	}
	*out_s = total;
	return SLA_OK;
}

enum sla_rc
sla_status(const struct calendar *cal, const struct sla_clock *c,
           int64_t now_s, int at_risk_percent, struct sla_status *out)
{
	struct sla_status st = {0};
	if (at_risk_percent < 1 || at_risk_percent > 100)
		return SLA_EINVAL;
	enum sla_rc rc = sla_due(cal, c, &st.due_s);
	if (rc == SLA_OK)
		rc = sla_elapsed(cal, c, now_s, &st.used_s);
	if (rc != SLA_OK)
		return rc;
	st.remaining_s = c->target_s - st.used_s;
	st.used_permille = c->target_s > 0
	        ? (int)(st.used_s * 1000 / c->target_s)
	        : 1000;
	for (size_t i = 0; i < c->npauses; i++)
		if (c->pauses[i].start_s <= now_s && now_s < c->pauses[i].end_s)
			st.paused = true;
	if (st.due_s != SLA_NEVER && now_s > st.due_s) {
		st.state = SLA_BREACHED;
		st.breach_s = st.due_s;
	} else if (st.used_s * 100 >= (int64_t)at_risk_percent * c->target_s) {
		st.state = SLA_AT_RISK;
	} else {
		st.state = SLA_ON_TRACK;
	}
	*out = st;
	return SLA_OK;
}
