/*
 * ticket_phone.h - a ticket opened by staff for a client (R1 exception).
 *
 * R1: tickets are opened only by e-mail, except when the client's e-mail
 * is itself what fails: then a consultant opens it by phone (or another
 * channel) and records why. This checks that the client, contact and
 * product belong together, then runs ticket_open() in one transaction.
 *
 * SECURITY: all fields come from an API request (untrusted), bound only.
 */
#ifndef SOPORTE_APP_TICKET_PHONE_H
#define SOPORTE_APP_TICKET_PHONE_H

#include "app/ticket/ticket_open.h"

/* STORE_OK when the request's client exists and its contact and product
 * (when given) are the client's; STORE_CONSTRAINT with a message when not. */
enum store_rc ticket_request_check(struct store *db,
                                   const struct ticket_request *req);

#endif
