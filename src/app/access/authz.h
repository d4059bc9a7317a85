/*
 * authz.h - the one authorization decision of soporte.
 *
 * Every door asks authz_decide() before it acts: the HTTP router once per
 * request with no object (may this principal do this action at all?), and
 * the handler again with the object it loaded (this ticket, this secret).
 * The roles matrix lives in one table in authz.c and nowhere else.
 *
 * Answers: AUTHZ_ALLOW; AUTHZ_UNAUTHENTICATED (no principal: 401);
 * AUTHZ_FORBIDDEN (the role may never do this: 403); AUTHZ_HIDDEN (the
 * object belongs to another organization, or a secret's ticket is not
 * the principal's: answer exactly as if it did not exist, 404, so ids
 * of other clients cannot be probed).
 */
#ifndef SOPORTE_APP_AUTHZ_H
#define SOPORTE_APP_AUTHZ_H

#include "app/access/users.h"

#include <stdint.h>

/* Token scopes (bit set); a browser session holds read, write and
 * admin. METRICS is a token's only: it lets /metrics answer a client
 * that is not on loopback (a Prometheus elsewhere). */
enum {
	SCOPE_READ = 1,
	SCOPE_WRITE = 2,
	SCOPE_ADMIN = 4,
	SCOPE_ALL = 7,
	SCOPE_METRICS = 8,
};

struct principal {
	int64_t user_id;        /* 0: nobody logged in */
	enum user_role role;
	int64_t client_id;      /* the organization of a client account */
	int64_t contact_id;     /* the contact a client account is, or 0 */
	unsigned scopes;        /* SCOPE_* */
	int via_token;          /* 1: bearer token, 0: session cookie */
	char name[128];
	char email[256];        /* the login, lowercase */
};

enum authz_action {
	AZ_PUBLIC,              /* anyone, logged in or not */
	AZ_SESSION,             /* any logged-in principal (whoami, logout) */
	AZ_TICKET_READ,         /* list, show, messages, attachments */
	AZ_TICKET_OPEN,         /* open on the client's behalf (R1) */
	AZ_TICKET_UPDATE,       /* assignee, category, product */
	AZ_TICKET_REPLY,        /* reply to the client */
	AZ_TICKET_NOTE,         /* internal notes, logged calls */
	AZ_TICKET_CONFIRM,      /* the client confirms the solution */
	AZ_TICKET_SOLVE,        /* staff: solved, wait, attempts */
	AZ_ESCALATION_REQUEST,  /* ask for a higher priority (R7) */
	AZ_ESCALATION_HANDLE,   /* change severity / level */
	AZ_TIME_READ,
	AZ_TIME_WRITE,
	AZ_SECRET_ADD,          /* hand a credential over (R11) */
	AZ_SECRET_LIST,         /* labels only */
	AZ_SECRET_REVEAL,       /* the value: assigned consultant and PM */
	AZ_SECRET_DELETE,       /* assigned consultant, PM, admin */
	AZ_DIRECTORY_READ,      /* clients, contacts, products */
	AZ_DIRECTORY_WRITE,
	AZ_CONTRACT_READ,       /* contracts, purchase orders, statements */
	AZ_CONTRACT_WRITE,
	AZ_USER_READ,
	AZ_USER_WRITE,          /* accounts and their API tokens */
	AZ_AUDIT_READ,
	AZ_CALENDAR_WRITE,      /* holiday import */
	AZ_METRICS,
	AZ_INTERNAL_READ,       /* internal notes and their files */
	AZ_ATTACHMENT_UPLOAD,   /* a file for a reply or a note */
	AZ_REVIEW,              /* the review queue of unknown senders (R3):
	                           hidden from clients (404), not refused */
	AZ_PO_OVERRIDE,         /* R8: extend a purchase order: the PM only */
	AZ_REPORT_READ,         /* the SLA report (issue 18): PM, admin */
	AZ_CONTRACT_DOC,        /* the contract document (issue 18): staff */
	AZ_CANNED_READ,         /* canned replies: staff who reply, admins */
	AZ_CANNED_WRITE,        /* manage them: admins and the PM */
	AZ_COUNT
};

enum authz_result {
	AUTHZ_ALLOW = 0,
	AUTHZ_UNAUTHENTICATED,
	AUTHZ_FORBIDDEN,
	AUTHZ_HIDDEN,
};

/* What a handler knows of the object acted on. owner_client_id is the
 * organization it belongs to (0: none, staff-only object); assignee_id
 * the consultant of the ticket (0: none). */
struct authz_object {
	int64_t owner_client_id;
	int64_t assignee_id;
};

/* The decision. p may be NULL or have user_id 0 (anonymous); obj NULL at
 * route level. An unsafe action also needs the WRITE scope (and user
 * administration the ADMIN scope) when the principal is a token. */
enum authz_result authz_decide(const struct principal *p,
                               enum authz_action a,
                               const struct authz_object *obj);

/* The organization whose data a list may show to p: its client id for a
 * client account, 0 (all) for staff, -1 for nobody (no principal). Lists
 * filter by it; single objects go through authz_decide(). */
int64_t authz_client_scope(const struct principal *p);

/* The action's name ("ticket.read", ...) for logs and the docs. */
const char *authz_action_name(enum authz_action a);
/* Returns 1 when the role may ever do the action (the matrix), else 0. */
int authz_role_may(enum user_role r, enum authz_action a);
/* Parses "read,write,admin,metrics" into *scopes; 0 or -1 on an unknown name. */
int authz_scopes_parse(const char *s, unsigned *scopes);
/* Writes the scope names, comma-separated, into out. */
void authz_scopes_format(unsigned scopes, char *out, size_t outlen);
/* May p hand out a token with these scopes? A token only scopes within
 * its own (a browser session holds them all). */
int authz_scopes_grantable(const struct principal *p, unsigned scopes);

#endif
