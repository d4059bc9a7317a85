/*
 * hour_alerts.h - R8: when a monthly plan's hours talk. The client's
 * contact and the Project Manager are told when the month's used hours
 * reach the policy's percent of the allowance (hour_bank.alert_percent,
 * 80), when they reach all of it (100%), and when overage starts (time
 * beyond the allowance, billed by the hour). Each alert is told once per
 * contract and month; when one entry passes several, only the highest
 * is mailed (the others count as told).
 */
#ifndef SOPORTE_CORE_HOUR_ALERTS_H
#define SOPORTE_CORE_HOUR_ALERTS_H

#include <stdint.h>

enum hb_alert {
	HB_ALERT_PERCENT = 1u << 0,   /* used >= percent of the allowance */
	HB_ALERT_FULL = 1u << 1,      /* used >= the allowance */
	HB_ALERT_OVERAGE = 1u << 2,   /* used > the allowance */
};

/* The alerts reached at used_s of included_s (a set of hb_alert bits);
 * none when the month has no allowance. */
unsigned hourbank_alerts_reached(int percent, int64_t included_s,
                                 int64_t used_s);

/* Of the alerts reached and not yet told, the one to mail (the
 * highest), or 0 when none. */
enum hb_alert hourbank_alert_to_mail(unsigned reached, unsigned told);

/* "percent", "full", "overage": the alert's name in the store. */
const char *hourbank_alert_name(enum hb_alert a);

#endif
