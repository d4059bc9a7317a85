/*
 * ticket_triage.h - issue 17, the desk side of triage: the model the desk
 * uses, the proposal each ticket keeps, and learning from the consultants.
 *
 * The model (core/triage.h) is the active row of triage_models, or, while
 * the desk has trained none, the policy's seed (its own definitions of
 * each severity, exclusion and category). A process keeps one parsed
 * model for all its threads; before each classification it reads the
 * active row's id (one indexed row) and loads the model again when it
 * changed, so every server on the database takes a newly trained model
 * at its next ticket, without a restart.
 *
 * Learning: a ticket whose severity a consultant confirmed or changed
 * (R6, severity_confirmed_at) or whose category staff set or confirmed
 * (category_confirmed_at: the ticket's edit, the R5 exclusion) is an
 * example: its subject, its first message's text without quoted history
 * and signature, its attachments' names and product type, with the
 * confirmed labels (an unconfirmed one is unknown and teaches nothing).
 * ticket_triage_train() learns a model from all of them plus the seed
 * and makes it the active one.
 */
#ifndef SOPORTE_APP_TICKET_TRIAGE_H
#define SOPORTE_APP_TICKET_TRIAGE_H

#include "core/policy.h"
#include "core/triage.h"
#include "store/store.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Classifies in with the desk's model (above), at the policy's threshold.
 * STORE_OK with *out filled, or the store's error. */
enum store_rc ticket_triage_classify(struct store *db, const struct policy *pol,
                                     const struct triage_input *in,
                                     struct triage_result *out);

/* Records proposal r on the ticket (triage_* columns). */
enum store_rc ticket_triage_record(struct store *db, int64_t ticket_id,
                                   const struct triage_result *r);

/* The ticket category a proposal sets at opening: its category, except
 * that an exclusion (R5) is only a proposal: "incident" until staff
 * exclude the ticket. */
const char *ticket_triage_opening_category(const struct triage_result *r);

struct triage_trained {
	int64_t id;            /* the triage_models row, now active */
	char version[65];
	size_t examples;       /* the desk's examples it learnt from */
	bool known;            /* the same model was trained before */
};

/* Learns a model from the desk's confirmed tickets plus the policy's
 * seed, stores it (by user_id, 0: nobody named) and makes it the active
 * one, in one transaction of its own. STORE_OK or the store's error. */
enum store_rc ticket_triage_train(struct store *db, const struct policy *pol,
                                  int64_t user_id, int64_t now,
                                  struct triage_trained *out);

/* The stored models, newest first, as a JSON array of {id, version,
 * created_at, created_by, examples, active}. */
enum store_rc ticket_triage_models_json(struct store *db, json_t **out);

#endif
