/*
 * intake_route.h - inside the intake room only: the routing decision for
 * one stored, parsed message (intake_route.c), called by intake.c inside
 * its transaction and savepoint.
 */
#ifndef SOPORTE_APP_INTAKE_ROUTE_H
#define SOPORTE_APP_INTAKE_ROUTE_H

#include "app/intake/intake.h"
#include "mail/parse.h"
#include "store/store.h"

#include <stdint.h>

/* One message being routed: raw row raw_id, parsed as m, as of now;
 * what was decided goes into res. */
struct route_ctx {
	const struct intake *in;
	const struct mail *m;
	struct intake_result *res;
	int64_t raw_id;
	int64_t now;
};

/* Routes the message (a new ticket, a reply, an auto-reply or bounce
 * recorded, spam or not for support set aside, or the review queue) and
 * sets the raw row's disposition; runs inside the routing transaction. */
enum store_rc intake_route_message(struct route_ctx *c, const char *envelope_to);

#endif
