/*
 * hour_alerts.c - see hour_alerts.h.
 */
#include "core/hour_alerts.h"

unsigned
hourbank_alerts_reached(int percent, int64_t included_s, int64_t used_s)
{
	unsigned r = 0;
	if (included_s <= 0 || percent <= 0)
		return 0;
	/* used / included >= percent / 100, without rounding. */
	if (used_s >= (included_s * percent + 99) / 100)
		r |= HB_ALERT_PERCENT;
	if (used_s >= included_s)
		r |= HB_ALERT_FULL;
	if (used_s > included_s)
		r |= HB_ALERT_OVERAGE;
	return r;
}

enum hb_alert
hourbank_alert_to_mail(unsigned reached, unsigned told)
{
	unsigned fresh = reached & ~told;
	if (fresh & HB_ALERT_OVERAGE)
		return HB_ALERT_OVERAGE;
	if (fresh & HB_ALERT_FULL)
		return HB_ALERT_FULL;
	if (fresh & HB_ALERT_PERCENT)
		return HB_ALERT_PERCENT;
	return 0;
}

const char *
hourbank_alert_name(enum hb_alert a)
{
	switch (a) {
	case HB_ALERT_PERCENT:
		return "percent";
	case HB_ALERT_FULL:
		return "full";
	case HB_ALERT_OVERAGE:
		return "overage";
	}
	return "?";
}
