/*
 * entitle.h - R3 entitlement: may this client get support for this
 * product on this day, and on what basis.
 *
 * Pure: the policy, the client's facts and the day (a civil day in the
 * policy's time zone, computed by the caller from the ticket's instant)
 * are arguments. The answer lists every basis that holds, so coverage
 * (coverage.h) can pick the right one once the cause is known, and names
 * the first in this order:
 *   warranty        delivered, and today <= the warranty's last day
 *   plan            a valid basic/enterprise contract covering the product
 *   per_event       a valid per-event contract covering the product
 *   monthly_service the client has the monthly service modality
 *   post_production the product is in its post-production period
 *   none            "Requiere renovación": route to renewals (policy 3,
 *                   "será canalizado al área correspondiente")
 * with a reason code and a sentence in Spanish and English for the client
 * and the consultant.
 *
 * Warranty arithmetic: a product delivered on day D with W months of
 * warranty is covered from D to the day before the same day of the month
 * W months later; when that month is shorter, to its last day
 * (delivered 15/01 -> last day 14/02; 31/01 -> 28/02 or 29/02).
 *
 * SECURITY: entitle_pick_product() reads mail text, which is untrusted; it
 * only scans it (NUL-terminated, any bytes) and never copies it.
 */
#ifndef SOPORTE_CORE_ENTITLE_H
#define SOPORTE_CORE_ENTITLE_H

#include "core/client.h"
#include "core/policy.h"

#include <stdbool.h>
#include <stdint.h>

#define ENTITLE_TEXT_MAX 400

enum entitle_basis {
	ENTITLE_WARRANTY,
	ENTITLE_PLAN,
	ENTITLE_PER_EVENT,
	ENTITLE_MONTHLY_SERVICE,
	ENTITLE_POST_PRODUCTION,
	ENTITLE_NONE,            /* -> renewal required */
};

enum entitle_reason {
	ENTITLE_R_IN_WARRANTY,
	ENTITLE_R_PLAN_VALID,
	ENTITLE_R_PER_EVENT_VALID,
	ENTITLE_R_MONTHLY_SERVICE,
	ENTITLE_R_POST_PRODUCTION,
	/* Reasons for none, most telling first: */
	ENTITLE_R_UNKNOWN_PRODUCT,        /* not this client's product */
	ENTITLE_R_PRODUCT_TYPE_NOT_SUPPORTED, /* not a type of the policy */
	ENTITLE_R_PRODUCT_NOT_COVERED,    /* a valid contract, not for it */
	ENTITLE_R_CONTRACT_NOT_STARTED,
	ENTITLE_R_CONTRACT_EXPIRED,
	ENTITLE_R_WARRANTY_EXPIRED,
	ENTITLE_R_NOT_DELIVERED,
	ENTITLE_R_NO_CONTRACT,
};

struct entitlement {
	enum entitle_basis basis;
	enum entitle_reason reason;
	int64_t product_id;
	/* Every basis that holds (the others are false / -1): */
	bool in_warranty;
	int64_t warranty_last_day;        /* CLIENT_NO_DAY if not delivered */
	int plan_contract;                /* index in facts->contracts, or -1 */
	int per_event_contract;           /* index, or -1 */
	bool monthly_service;
	bool post_production;
	char text_es[ENTITLE_TEXT_MAX];   /* one or two sentences */
	char text_en[ENTITLE_TEXT_MAX];
};

/*
 * Decides entitlement for product_id of facts on day. Always fills *out;
 * returns out->basis.
 */
enum entitle_basis entitle_decide(const struct policy *p,
                                  const struct client_facts *facts,
                                  int64_t product_id, int64_t day,
                                  struct entitlement *out);

/* Returns the last day of warranty of a product (see above), or
 * CLIENT_NO_DAY when it was not delivered. months 0 means the product
 * type's default, else the policy's default. */
int64_t entitle_warranty_last_day(const struct policy *p,
                                  const struct client_product *prod);

/* Returns the stable name of a basis or reason ("warranty",
 * "contract_expired", ...), for logs, audit events and the API. */
const char *entitle_basis_name(enum entitle_basis b);
const char *entitle_reason_name(enum entitle_reason r);
/* Why a ticket has no entitlement, for the renewals team (R3), in
 * Spanish, from the stored reason name; the name itself when unknown. */
const char *entitle_reason_label_es(const char *reason_name);
/* The ticket's coverage word for a basis before the cause is known (R4):
 * warranty, per_event, none, or plan (plans, monthly service and
 * post-production all draw on the client's agreement). */
const char *entitle_coverage_name(enum entitle_basis b);

/* ---- which product is the ticket about -------------------------------- */

enum entitle_pick {
	ENTITLE_PICK_ONLY,       /* the client has exactly one product */
	ENTITLE_PICK_SUGGESTED,  /* several; the text points at one */
	ENTITLE_PICK_ASK,        /* several; the consultant chooses */
	ENTITLE_PICK_NONE,       /* the client has no product */
};

struct entitle_choice {
	enum entitle_pick pick;
	int64_t product_id;      /* ONLY, SUGGESTED; else 0 */
	int nscores;             /* one per product of the client, in order */
	int scores[CLIENT_MAX_PRODUCTS];
};

/*
 * Picks the product a mail is about: the client's only product; else
 * scores each product by its name (10 points) and its type's keywords
 * (1 point each) found as whole words in text (case-insensitive for
 * ASCII), and suggests the single best when it scores above zero. The
 * consultant confirms or picks another; nothing is decided here.
 */
enum entitle_pick entitle_pick_product(const struct policy *p,
                                       const struct client_facts *facts,
                                       const char *text,
                                       struct entitle_choice *out);

#endif
