/*
 * sla.h - the response clock of rule R6 (pure).
 *
 * A ticket's clock starts at its creation (the original report time, also
 * after a severity change: R7 recomputes from there with the new target),
 * runs only in business time, and stops while the ticket waits on the
 * client. Pauses are half-open [start, end) UTC intervals that may overlap
 * (their union counts once), begin before the creation or run past the
 * deadline; an ongoing pause has end SLA_OPEN. Counted time = business
 * time after the creation that no pause covers.
 *
 * The due instant is the earliest T >= created with `target` counted
 * seconds in [created, T) (see ../shared/sla/README.md): it lands on a
 * window's end or a pause's start when the count runs out exactly there.
 *
 * All functions return SLA_OK or a named error and write only on SLA_OK.
 */
#ifndef SOPORTE_CORE_SLA_H
#define SOPORTE_CORE_SLA_H

#include "core/calendar.h"
#include "core/policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLA_OPEN INT64_MAX       /* end of a pause still running */
#define SLA_NEVER INT64_MAX      /* due while an open pause holds the clock */
#define SLA_MAX_PAUSES 256

enum sla_rc {
	SLA_OK = 0,
	SLA_ERANGE,     /* an instant or the deadline outside the calendar span */
	SLA_EINVAL,     /* bad severity, negative target, pause end < start */
	SLA_ETOOMANY,   /* more than SLA_MAX_PAUSES pauses */
};

enum sla_state {
	SLA_ON_TRACK,
	SLA_AT_RISK,    /* used >= the policy's at_risk_percent of the target */
	SLA_BREACHED,   /* past the due instant without a response */
};

struct sla_pause {
	int64_t start_s;
	int64_t end_s;          /* SLA_OPEN while still waiting */
};

struct sla_clock {
	int64_t created_s;      /* the original report instant */
	int64_t target_s;       /* business seconds to first response */
	const struct sla_pause *pauses; /* borrowed, any order */
	size_t npauses;
};

struct sla_status {
	int64_t due_s;          /* SLA_NEVER while an open pause holds it */
	int64_t used_s;         /* counted seconds in [created, now) */
	int64_t remaining_s;    /* target - used; negative once overdue */
	int used_permille;      /* used / target, in thousandths */
	enum sla_state state;
	int64_t breach_s;       /* the breach instant (= due_s) when breached */
	bool paused;            /* a pause covers now */
};

/*
 * Fills a clock for severity 1..4 of the policy; SLA_EINVAL for another
 * severity. Changing severity = calling it again with the same created.
 */
enum sla_rc sla_clock_init(struct sla_clock *c, const struct policy *p,
                           int severity, int64_t created_s,
                           const struct sla_pause *pauses, size_t npauses);

/*
 * The same with the target given (business seconds; SLA_EINVAL when
 * negative): a ticket's clock runs on the target of the policy version
 * it was opened under (R12), which may not be the policy in force.
 */
enum sla_rc sla_clock_target(struct sla_clock *c, int64_t target_s,
                             int64_t created_s, const struct sla_pause *pauses,
                             size_t npauses);

/* The response deadline in *due_s (SLA_NEVER: held by an open pause). */
enum sla_rc sla_due(const struct calendar *cal, const struct sla_clock *c,
                    int64_t *due_s);

/*
 * Counted seconds in [created, end) in *out_s: elapsed business time to
 * the first response or to resolution, minus pauses (0 if end < created).
 */
enum sla_rc sla_elapsed(const struct calendar *cal, const struct sla_clock *c,
                        int64_t end_s, int64_t *out_s);

/* The clock seen at `now` with the at-risk threshold in percent (1..100). */
enum sla_rc sla_status(const struct calendar *cal, const struct sla_clock *c,
                       int64_t now_s, int at_risk_percent,
                       struct sla_status *out);

#endif
