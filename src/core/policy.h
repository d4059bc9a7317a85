/*
 * policy.h - the support policy as plain data.
 *
 * Every number and rule of the support policy lives in a struct policy,
 * filled by the policy file loader (src/app/config/policy_file.c) and
 * passed, read only, to the pure core (calendar, sla, entitlement, hour
 * bank, workflow).
 * Nothing here does I/O; the struct owns no heap memory, so it can be
 * copied by value; two policies are the same when their fingerprints are.
 *
 * Units are in the names: _s seconds, _min minutes, _cents money,
 * _hours whole hours. Local times of day are minutes after local midnight.
 */
#ifndef SOPORTE_CORE_POLICY_H
#define SOPORTE_CORE_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#define POLICY_MAX_WINDOWS   4   /* open windows per weekday */
#define POLICY_MAX_PLANS     8
#define POLICY_MAX_EXCLUSIONS 8
#define POLICY_MAX_PRODUCT_TYPES 16
#define POLICY_NAME_MAX      128
#define POLICY_TEXT_MAX      512
#define POLICY_KEY_MAX       32
#define POLICY_LIST_MAX      512 /* comma-separated word lists */
#define POLICY_FINGERPRINT_LEN 65 /* SHA-256 in hex + NUL */

/* One open window of a weekday, [start_min, end_min) local time. */
struct policy_window {
	int start_min;
	int end_min;
};

/* Weekdays are 0 = Monday ... 6 = Sunday (ISO order). */
struct policy_day {
	int nwindows;
	struct policy_window windows[POLICY_MAX_WINDOWS];
};

/* Severities 1 (most urgent) to 4. */
#define POLICY_SEVERITIES 4
struct policy_severity {
	char name_es[POLICY_KEY_MAX];
	char name_en[POLICY_KEY_MAX];
	int64_t response_s;                  /* business seconds to first contact */
	bool response_or_more;               /* "36 horas o más": a floor, not a cap */
	char description_es[POLICY_TEXT_MAX];
	char description_en[POLICY_TEXT_MAX];
	char keywords[POLICY_LIST_MAX];      /* triage: words that say it */
};

enum plan_period {
	PLAN_PERIOD_EVENT,   /* each event is billed on its own */
	PLAN_PERIOD_MONTH,   /* calendar month in the policy's time zone */
};

enum plan_kind {
	PLAN_PER_EVENT,
	PLAN_BASIC,
	PLAN_ENTERPRISE,
	PLAN_KIND_COUNT
};

struct policy_plan {
	enum plan_kind kind;
	char key[POLICY_KEY_MAX];            /* per_event, basic, enterprise */
	char name_es[POLICY_KEY_MAX];
	char name_en[POLICY_KEY_MAX];
	enum plan_period period;
	int64_t included_s;                  /* hours per period, in seconds */
	bool purchase_order_required;
	int64_t event_min_s;                 /* least billed per event (1 h) */
	int64_t update_min_s;                /* least billed for an update (3 h) */
	bool overage_billed_hourly;          /* hours beyond the allowance */
	bool phone_advice;
	bool email_follow_up;
};

/* Excluded categories (R5), policy text 3 "Limitaciones". */
enum exclusion_kind {
	EXCLUSION_TRAINING,            /* capacitación */
	EXCLUSION_THIRD_PARTY,         /* productos de terceros: SO, internet... */
	EXCLUSION_BUSINESS_CONSULTING, /* consultoría de negocios */
	EXCLUSION_KIND_COUNT
};

struct policy_exclusion {
	enum exclusion_kind kind;
	char key[POLICY_KEY_MAX];            /* training, third_party, ... */
	char reason_es[POLICY_TEXT_MAX];
	char reason_en[POLICY_TEXT_MAX];
	char offer_es[POLICY_TEXT_MAX];      /* what we offer instead, or "" */
	char offer_en[POLICY_TEXT_MAX];
	char examples[POLICY_LIST_MAX];      /* "operating_system, internet" */
	char keywords[POLICY_LIST_MAX];      /* triage: words that say it */
};

/* A kind of request the triage tells apart besides the exclusions
 * (incident, change_request, question, suggestion): how the policy
 * describes it, and the severity the policy gives it (0: its words say). */
#define POLICY_MAX_TRIAGE_CATEGORIES 8
struct policy_triage_category {
	char key[POLICY_KEY_MAX];
	char description_es[POLICY_TEXT_MAX];
	char description_en[POLICY_TEXT_MAX];
	char keywords[POLICY_LIST_MAX];
	int severity;
};

/* A product type support applies to (policy text 3, first bullet). */
struct policy_product_type {
	char key[POLICY_KEY_MAX];            /* landing_page, web_app, ... */
	char name_es[POLICY_KEY_MAX * 2];
	char name_en[POLICY_KEY_MAX * 2];
	int warranty_months;                 /* default by complexity, 1..2 */
	char keywords[POLICY_LIST_MAX];      /* lower case, comma-separated */
};

/* The allowance of a month the contract covers only in part (R8). */
enum partial_month {
	PARTIAL_MONTH_PRORATE,               /* by days covered, rounded down */
	PARTIAL_MONTH_FULL,                  /* the whole allowance */
};

/* How time entries are rounded before they count (R8). */
enum rounding_mode {
	ROUNDING_NONE,
	ROUNDING_UP,                         /* to the next multiple */
	ROUNDING_NEAREST,                    /* half up */
};

struct policy {
	char name[POLICY_NAME_MAX];          /* company and title */
	char version[POLICY_KEY_MAX];        /* the file's own label */
	char fingerprint[POLICY_FINGERPRINT_LEN]; /* SHA-256 of the content (R12) */
	char effective_from[11];             /* YYYY-MM-DD */
	char time_zone[64];                  /* IANA name, e.g. America/Lima */
	char language[3];                    /* default for client mail: es */

	char support_address[POLICY_NAME_MAX];   /* the only intake (R1) */
	char phone[POLICY_KEY_MAX];              /* "01 277 5569" */
	bool phone_requires_email;               /* "previo envío de correo" */
	char project_manager[POLICY_NAME_MAX];   /* escalation (R7) */
	char project_manager_address[POLICY_NAME_MAX];
	char renewals_address[POLICY_NAME_MAX];  /* "área correspondiente" (R3) */

	struct policy_day week[7];           /* 0 = Monday */
	char holidays[64];                   /* built-in set name, e.g. "peru";
	                                        "" for none */
	char holidays_ics[256];              /* optional extra .ics file */

	struct policy_severity severity[POLICY_SEVERITIES]; /* [0] = severity 1 */
	int at_risk_percent;                 /* SLA "at risk" from this use */

	int nplans;
	struct policy_plan plans[POLICY_MAX_PLANS];
	int rounding_min;                    /* time entries round to this */
	enum rounding_mode rounding;
	enum partial_month partial_month;
	int hour_alert_percent;              /* plan hours: first alert (R8) */

	int warranty_min_months;             /* 1 */
	int warranty_max_months;             /* 2 */
	int warranty_default_months;

	int nexclusions;
	struct policy_exclusion exclusions[POLICY_MAX_EXCLUSIONS];

	int nproduct_types;
	struct policy_product_type product_types[POLICY_MAX_PRODUCT_TYPES];

	/* Triage (issue 17): under this confidence (percent) the proposed
	 * severity is raised and flagged for a consultant (R6); each
	 * definition counts as this many examples of the model's seed. */
	int triage_confidence_percent;
	int triage_seed_weight;
	int ntriage_categories;
	struct policy_triage_category triage_categories[POLICY_MAX_TRIAGE_CATEGORIES];

	int contact_attempts;                /* 3 before closing "no response" */
	int64_t attempt_wait_s;              /* default wait stated to the client,
	                                        in business seconds */

	int64_t max_message_bytes;           /* bigger mail: stored, answered */
	int64_t max_attachment_bytes;
	int64_t max_outbound_bytes;          /* a mail we send with files,
	                                        encoded (base64 included) */
	int64_t upload_keep_s;               /* an upload never attached is
	                                        removed after this long */
	int max_secrets_per_ticket;          /* credentials on one ticket */
	int max_attachments_per_ticket;      /* files (kept and uploaded) */
	int max_notes_per_ticket;            /* internal notes on one ticket */
};

/* [limits] keys a policy file may leave out. */
#define POLICY_MAX_OUTBOUND_BYTES_DEFAULT (20LL * 1024 * 1024)
#define POLICY_UPLOAD_KEEP_S_DEFAULT (24LL * 3600)
#define POLICY_HOUR_ALERT_PERCENT_DEFAULT 80
#define POLICY_MAX_SECRETS_PER_TICKET_DEFAULT 50
#define POLICY_MAX_ATTACHMENTS_PER_TICKET_DEFAULT 500
#define POLICY_MAX_NOTES_PER_TICKET_DEFAULT 500
/* [triage] keys a policy file may leave out. */
#define POLICY_TRIAGE_CONFIDENCE_PERCENT_DEFAULT 60
#define POLICY_TRIAGE_SEED_WEIGHT_DEFAULT 2

/* Returns the plan with this key, or NULL. */
/* "per_event", "basic", "enterprise": the plan kinds' names in policy
 * files, the store and the API (NULL-terminated, in enum order). parse
 * returns the kind or -1. */
extern const char *const plan_kind_names[PLAN_KIND_COUNT + 1];
const char *plan_kind_name(enum plan_kind k);
int plan_kind_parse(const char *s);
/* The policy's plan of that kind, or NULL. */
const struct policy_plan *policy_plan_of(const struct policy *p,
                                         enum plan_kind kind);
const struct policy_plan *policy_plan_find(const struct policy *p,
                                           const char *key);
/* Returns the response target in seconds of severity 1..4, or -1. */
int64_t policy_response_s(const struct policy *p, int severity);
/* Returns the product type with this key, or NULL. */
const struct policy_product_type *
policy_product_type_find(const struct policy *p, const char *key);
/* Returns the exclusion of this kind, or NULL when the policy has none. */
const struct policy_exclusion *
policy_exclusion_find(const struct policy *p, enum exclusion_kind kind);

#endif
