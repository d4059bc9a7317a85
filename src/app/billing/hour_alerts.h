/*
 * hour_alerts.h - R8: the hour bank talks (core/hour_alerts.h decides).
 *
 * hour_alerts_after_log() runs inside time_log()'s transaction, after an
 * entry charged to contract k (a monthly plan) in the month of day: it
 * computes the month's statement (the core's hourbank_statement()), and
 * for an alert reached and not yet told it records it in hour_alerts and
 * queues one mail to the client's first contact and one to the Project
 * Manager (templates hour_alert, hour_overage). Never twice for the same
 * contract, month and alert, on either engine: the row is inserted first,
 * and a row already there means told.
 */
#ifndef SOPORTE_APP_HOUR_ALERTS_H
#define SOPORTE_APP_HOUR_ALERTS_H

#include "app/base/app_rc.h"
#include "core/client.h"
#include "core/policy.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* What an alert mail says. */
struct hour_alert_facts {
	const char *client_name;
	const char *plan_name;      /* in Spanish */
	const char *plan_name_en;   /* in English, or NULL: the Spanish one */
	const char *month;          /* "mm/aaaa" */
	int percent;                /* the alert's: alert_percent or 100 */
	int64_t used_s, included_s, overage_s;
	int64_t rate_cents;         /* per hour beyond the allowance */
};

/* Renders template kind ("hour_alert" or "hour_overage") in lang into
 * *subject and *body (malloc'd); 0, or -1 with err. */
int hour_alert_render(const struct policy *pol, const char *kind,
                      const char *lang, const struct hour_alert_facts *f,
                      char **subject, char **body, char *err, size_t errlen);

enum app_rc hour_alerts_after_log(struct store *db, const struct policy *pol,
                                  const struct client_contract *k,
                                  int64_t client_id, int64_t day, int64_t now);

#endif
