/*
 * ticket_entitle.h - every way in decides entitlement (R1, R3).
 *
 * A ticket opened by mail (intake), by a consultant on the client's
 * behalf because the client's e-mail is what fails (R1's exception:
 * phone, CLI `ticket open`, POST /api/tickets) or from the review queue
 * (app/intake/review.h) goes through the same steps, in one transaction:
 *
 *   ticket_open()            number, deadline, policy version (ticket room)
 *   ticket_entitle_opening() R3: which product (the one named, else the
 *                            text's, else any of the client's that holds),
 *                            the entitlement on the day of the report and
 *                            its coverage word; when nothing holds the
 *                            ticket goes to renewal_required, audited, and
 *                            its response clock is paused from the report
 *                            (a pause with reason 'renewal_required')
 *   tcmd_opened_told()       assignment, the client's acknowledgment or
 *                            renewal mail, the renewals team's notice, the
 *                            SLA warnings (ticket_cmds.h)
 *   ticket_entitle_ask_po()  R8: a client served only per event with no
 *                            purchase order on file is asked for one (the
 *                            ticket waits for it, po_request mailed)
 *
 * ticket_open_entitled() is those three for a staff-opened ticket.
 *
 * Leaving renewal (R3): only ticket_recheck() takes a ticket out of
 * renewal_required. It decides the entitlement again, for the day it runs
 * (a new contract, a purchase order, a corrected delivery date or warranty
 * may hold now). When something holds, the ticket records it and goes on
 * (the state machine's RENEWED command: new, or assigned when it has a
 * consultant; the renewal pause ends so the deadline moves by the time the
 * renewal took; the client is told; an unassigned ticket is assigned as a
 * new one is). When nothing holds it stays, and the refusal says why. An
 * assignment alone never moves it (core/workflow.h). ticket_recheck_client()
 * rechecks every ticket of a client waiting for renewal: the doors run it
 * once a contract, a product or a purchase order of the client is stored
 * (`soporte contract|product|po add`, POST/PATCH /api/contracts,
 * /api/products, POST /api/purchase-orders).
 */
#ifndef SOPORTE_APP_TICKET_ENTITLE_H
#define SOPORTE_APP_TICKET_ENTITLE_H

#include "app/ticket/ticket_cmds.h"
#include "core/entitle.h"

/* Decides and records the entitlement of ticket_id, just opened, inside
 * the caller's transaction; text is what the report says (to pick the
 * product when the ticket names none). *e gets the decision. */
enum store_rc ticket_entitle_opening(const struct tcmd_env *env,
                                     int64_t ticket_id, const char *text,
                                     struct entitlement *e);

/* R8, after the acknowledgment: when e says the client is served per
 * event (no warranty, no plan) and no purchase order of theirs has hours
 * left, the ticket waits on the client for one and the client is mailed
 * `po_request` (po_hours.h, ticket_route()). Inside the caller's
 * transaction; a ticket not yet assigned, or any refusal of the lifecycle,
 * leaves it as it is (logged), so that the opening never fails for it. */
enum store_rc ticket_entitle_ask_po(const struct tcmd_env *env,
                                    int64_t ticket_id,
                                    const struct entitlement *e);

/* A staff-opened ticket (checked with ticket_request_check()), in one
 * transaction of its own; TCMD_REFUSED for a bad request (res->message). */
enum tcmd_rc ticket_open_entitled(const struct tcmd_env *env,
                                  const struct ticket_request *req,
                                  struct tcmd_result *res);

/* Ticket number, in renewal_required: decides its entitlement again (see
 * above) as who. TCMD_OK when it left renewal; TCMD_REFUSED when it is
 * not waiting for renewal or nothing holds yet (res->message says why,
 * nothing changed); TCMD_NOT_FOUND when there is no such ticket. */
enum tcmd_rc ticket_recheck(const struct tcmd_env *env, int64_t number,
                            const struct tcmd_who *who,
                            struct tcmd_result *res);

/* Rechecks every renewal_required ticket of client_id (each in its own
 * transaction); *renewed (may be NULL) gets how many left renewal.
 * TCMD_OK unless the store failed. */
enum tcmd_rc ticket_recheck_client(const struct tcmd_env *env,
                                   int64_t client_id,
                                   const struct tcmd_who *who, int *renewed);

#endif
