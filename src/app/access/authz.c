/*
 * authz.c - the roles matrix and the one decision (see authz.h).
 *
 * SECURITY: the principal comes from a session or token the caller has
 * already verified; the object from the database. Nothing here reads
 * request text. Deny is the default: an action missing from the table,
 * an unknown role or a missing scope is refused.
 */
#include "app/access/authz.h"

#include <stdio.h>
#include <string.h>

/* Who may do what, as role bits. Client rows are further limited to the
 * client's own organization by authz_decide(). */
#define C (1u << ROLE_CLIENT)
#define K (1u << ROLE_CONSULTANT)
#define P (1u << ROLE_PROJECT_MANAGER)
#define R (1u << ROLE_RENEWALS)
#define A (1u << ROLE_ADMIN)
#define ALL (C | K | P | R | A)

enum need { NEED_READ, NEED_WRITE, NEED_ADMIN, NEED_SESSION, NEED_METRICS };

static const struct {
	const char *name;
	unsigned roles;
	enum need need;
} matrix[AZ_COUNT] = {
	[AZ_PUBLIC] = {"public", ALL, NEED_READ},
	[AZ_SESSION] = {"session", ALL, NEED_READ},
	[AZ_TICKET_READ] = {"ticket.read", ALL, NEED_READ},
	[AZ_TICKET_OPEN] = {"ticket.open", K | P | A, NEED_WRITE},
	[AZ_TICKET_UPDATE] = {"ticket.update", K | P | A, NEED_WRITE},
	[AZ_TICKET_REPLY] = {"ticket.reply", C | K | P, NEED_WRITE},
	[AZ_TICKET_NOTE] = {"ticket.note", K | P, NEED_WRITE},
	[AZ_TICKET_CONFIRM] = {"ticket.confirm", C, NEED_WRITE},
	[AZ_TICKET_SOLVE] = {"ticket.solve", K | P, NEED_WRITE},
	[AZ_ESCALATION_REQUEST] = {"escalation.request", C | K | P, NEED_WRITE},
	[AZ_ESCALATION_HANDLE] = {"escalation.handle", K | P, NEED_WRITE},
	[AZ_TIME_READ] = {"time.read", K | P | R | A, NEED_READ},
	[AZ_TIME_WRITE] = {"time.write", K | P, NEED_WRITE},
	[AZ_SECRET_ADD] = {"secret.add", C | K | P, NEED_WRITE},
	[AZ_SECRET_LIST] = {"secret.list", C | K | P, NEED_READ},
	[AZ_SECRET_REVEAL] = {"secret.reveal", K | P, NEED_SESSION},
	[AZ_SECRET_DELETE] = {"secret.delete", K | P | A, NEED_WRITE},
	[AZ_DIRECTORY_READ] = {"directory.read", ALL, NEED_READ},
	[AZ_DIRECTORY_WRITE] = {"directory.write", P | R | A, NEED_WRITE},
	[AZ_CONTRACT_READ] = {"contract.read", ALL, NEED_READ},
	[AZ_CONTRACT_WRITE] = {"contract.write", R | A, NEED_WRITE},
	[AZ_USER_READ] = {"user.read", P | A, NEED_READ},
	[AZ_USER_WRITE] = {"user.write", A, NEED_ADMIN},
	[AZ_AUDIT_READ] = {"audit.read", P | A, NEED_READ},
	[AZ_CALENDAR_WRITE] = {"calendar.write", A, NEED_ADMIN},
	[AZ_METRICS] = {"metrics", A, NEED_METRICS},
	[AZ_INTERNAL_READ] = {"ticket.internal", K | P | R | A, NEED_READ},
	[AZ_ATTACHMENT_UPLOAD] = {"attachment.upload", C | K | P, NEED_WRITE},
	[AZ_REVIEW] = {"review", K | P | A, NEED_READ},
	[AZ_PO_OVERRIDE] = {"po.override", P, NEED_WRITE},
	[AZ_REPORT_READ] = {"report.read", P | A, NEED_READ},
	[AZ_CONTRACT_DOC] = {"contract.document", K | P | R | A, NEED_READ},
	[AZ_CANNED_READ] = {"canned.read", K | P | A, NEED_READ},
	[AZ_CANNED_WRITE] = {"canned.write", P | A, NEED_WRITE},
};

const char *
authz_action_name(enum authz_action a)
{
	return a < AZ_COUNT && matrix[a].name ? matrix[a].name : "unknown";
}

int
authz_role_may(enum user_role r, enum authz_action a)
{
	if (a >= AZ_COUNT || r >= ROLE_COUNT)
		return 0;
	return (matrix[a].roles & (1u << r)) != 0;
}

static int
scope_ok(const struct principal *p, enum need need)
{
	if (need == NEED_METRICS)
		return p->via_token && (p->scopes & SCOPE_METRICS) != 0;
	if (!p->via_token)
		return 1;
	switch (need) {
	case NEED_READ:
		return (p->scopes & SCOPE_READ) != 0;
	case NEED_WRITE:
		return (p->scopes & SCOPE_WRITE) != 0;
	case NEED_ADMIN:
		return (p->scopes & SCOPE_ADMIN) != 0;
	case NEED_SESSION:
		return 0;   /* secrets are revealed to people, not integrations */
	case NEED_METRICS:
		break;
	}
	return 0;
}

enum authz_result
authz_decide(const struct principal *p, enum authz_action a,
             const struct authz_object *obj)
{
	if (a >= AZ_COUNT || matrix[a].name == NULL)
		return AUTHZ_FORBIDDEN;
	if (a == AZ_PUBLIC)
		return AUTHZ_ALLOW;
	if (p == NULL || p->user_id <= 0)
		return AUTHZ_UNAUTHENTICATED;
	/* Held mail of unknown senders is none of a client's business: to
	 * them the review queue does not exist. */
	if (a == AZ_REVIEW && p->role == ROLE_CLIENT)
		return AUTHZ_HIDDEN;
	if (!authz_role_may(p->role, a) || !scope_ok(p, matrix[a].need))
		return AUTHZ_FORBIDDEN;
	if (obj == NULL)
		return AUTHZ_ALLOW;
	/* A client sees its own organization's objects, and nothing else
	 * exists for it: not even a 403 that would confirm an id. */
	if (p->role == ROLE_CLIENT &&
	    (obj->owner_client_id <= 0 || obj->owner_client_id != p->client_id))
		return AUTHZ_HIDDEN;
	/* R11: a consultant sees or deletes a secret only on the tickets
	 * assigned to them; project managers on every ticket. */
	if ((a == AZ_SECRET_REVEAL || a == AZ_SECRET_DELETE) &&
	    p->role == ROLE_CONSULTANT &&
	    (obj->assignee_id <= 0 || obj->assignee_id != p->user_id))
		return AUTHZ_FORBIDDEN;
	return AUTHZ_ALLOW;
}

int64_t
authz_client_scope(const struct principal *p)
{
	if (p == NULL || p->user_id <= 0)
		return -1;
	return p->role == ROLE_CLIENT ? (p->client_id > 0 ? p->client_id : -1) : 0;
}

static const char *const scope_names[] = {"read", "write", "admin", "metrics"};
#define NSCOPES (sizeof scope_names / sizeof scope_names[0])

int
authz_scopes_parse(const char *s, unsigned *scopes)
{
	*scopes = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		int found = 0;
		for (unsigned i = 0; i < NSCOPES; i++)
			if (strlen(scope_names[i]) == n &&
			    strncmp(s, scope_names[i], n) == 0) {
				*scopes |= 1u << i;
				found = 1;
			}
		if (!found)
			return -1;
		s += n;
		if (*s == ',')
			s++;
	}
	return *scopes ? 0 : -1;
}

void
authz_scopes_format(unsigned scopes, char *out, size_t outlen)
{
	size_t used = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < NSCOPES; i++)
		if (scopes & (1u << i)) {
			int n = snprintf(out + used, outlen - used, "%s%s",
			                 used ? "," : "", scope_names[i]);
			if (n < 0 || (size_t)n >= outlen - used)
				return;
			used += (size_t)n;
		}
}

int
authz_scopes_grantable(const struct principal *p, unsigned scopes)
{
	return (scopes & ~p->scopes) == 0;
}
