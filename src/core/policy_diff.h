/*
 * policy_diff.h - what changed between two policy versions (R12), pure.
 *
 * "La Empresa se reserva el derecho de modificar las Políticas ... y de
 * comunicarlo a los Clientes": the notice says what changed. policy_diff()
 * compares an old and a new policy and lists the changes a client reads
 * (response targets per severity, plans and their hours, the business
 * windows of each weekday, the contact attempts before closing), in that
 * order. A change carries names and numbers only; its wording is the
 * template's (templates/LANG/policy_change.lines, one line per kind).
 */
#ifndef SOPORTE_CORE_POLICY_DIFF_H
#define SOPORTE_CORE_POLICY_DIFF_H

#include "core/policy.h"

#define POLICY_DIFF_MAX 64
#define POLICY_DIFF_TEXT 64

enum policy_change_kind {
	PCH_SEVERITY_TARGET,    /* level, name; old/new hours */
	PCH_PLAN_ADDED,         /* name (key in plan) */
	PCH_PLAN_REMOVED,       /* name */
	PCH_PLAN_HOURS,         /* name; old/new hours a period */
	PCH_PLAN_EVENT_MIN,     /* name; old/new least hours an event */
	PCH_PLAN_UPDATE_MIN,    /* name; old/new least hours an update */
	PCH_PLAN_PO_REQUIRED,   /* name: a purchase order is now needed */
	PCH_PLAN_PO_DROPPED,    /* name: no longer needed */
	PCH_PLAN_OVERAGE_HOURLY,  /* name: hours beyond are billed hourly now */
	PCH_PLAN_OVERAGE_DROPPED, /* name: no longer */
	PCH_DAY_WINDOWS,        /* weekday (0 = Monday); old/new windows
	                           "08:00-12:00, 14:00-18:00", "" closed */
	PCH_CONTACT_ATTEMPTS,   /* old/new attempts before closing */
	PCH_KIND_COUNT
};

struct policy_change {
	enum policy_change_kind kind;
	int level;                        /* severity 1..4, or weekday 0..6 */
	char name[POLICY_KEY_MAX];        /* severity or plan name (es) */
	char name_en[POLICY_KEY_MAX];     /* the same in English */
	char key[POLICY_KEY_MAX];         /* plan key, or "" */
	char old_value[POLICY_DIFF_TEXT]; /* "" when it did not exist */
	char new_value[POLICY_DIFF_TEXT];
};

struct policy_diff {
	int n;
	int dropped;                      /* changes past POLICY_DIFF_MAX */
	struct policy_change items[POLICY_DIFF_MAX];
};

/* Fills *out with what changed from old to new (out->n == 0: nothing a
 * client reads). */
void policy_diff(const struct policy *old, const struct policy *new,
                 struct policy_diff *out);

/* "severity_target", "plan_hours", ...: the kind's name (the template's
 * line key). */
const char *policy_change_kind_name(enum policy_change_kind k);

#endif
