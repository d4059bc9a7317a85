/*
 * route.h - pure decisions over a parsed mail (R1 intake, R2 threading):
 * which ticket it belongs to, whether it was sent to support, what kind
 * of mail it is (a new request's severity and category are the triage
 * model's: core/triage.h). No I/O, no clock: the store is asked about
 * Message-IDs only through the callback the caller passes.
 *
 * Classification order (route_classify), first match wins:
 *   1. bounce          delivery status notification (MAIL_F_BOUNCE)
 *   2. auto_reply      auto-reply signals (MAIL_F_AUTO_REPLY), or mail
 *                      from the support address itself (a loop)
 *   3. spam            spam score >= ROUTE_SPAM_THRESHOLD
 *   4. not_for_support support is in none of To, Cc, Delivered-To,
 *                      X-Original-To nor the envelope recipient
 *   5. reply           a ticket number in the subject, or In-Reply-To /
 *                      References resolve to a ticket
 *   6. new_request     anything else
 * Whether the sender is a known contact (R3) is the caller's question:
 * route only exposes the sender (m->from.addr).
 *
 * SECURITY: the mail is untrusted; every rule here reads parsed fields
 * only and is bounded by their length. The spam rules are heuristics to
 * keep bulk mail out of the queue, not a security boundary.
 */
#ifndef SOPORTE_MAIL_ROUTE_H
#define SOPORTE_MAIL_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "mail/parse.h"

#define ROUTE_DEFAULT_SUPPORT "soporte@prodequa.example"
#define ROUTE_SPAM_THRESHOLD 5
#define ROUTE_TICKET_MAX 999999999u

enum route_kind {
	ROUTE_NEW_REQUEST,
	ROUTE_REPLY,
	ROUTE_AUTO_REPLY,
	ROUTE_BOUNCE,
	ROUTE_SPAM,
	ROUTE_NOT_FOR_SUPPORT
};

enum route_thread_by {
	ROUTE_BY_NONE,
	ROUTE_BY_SUBJECT,  /* [Ticket #NNNNNN] in the subject */
	ROUTE_BY_LOOKUP,   /* the caller's lookup resolved a Message-ID */
	ROUTE_BY_ACK_ID    /* <ack-NNNNNN.…@soporte.…> in In-Reply-To/References */
};

/*
 * Resolves a Message-ID (without <>) the desk has seen to its ticket
 * number. Returns 1 and sets *ticket when known, 0 otherwise.
 */
typedef int (*route_lookup_fn)(void *ctx, const char *message_id,
                               uint32_t *ticket);

struct route_opts {
	const char *support_addr;  /* NULL: ROUTE_DEFAULT_SUPPORT */
	const char *envelope_rcpt; /* SMTP RCPT TO, NULL when unknown */
	route_lookup_fn lookup;    /* may be NULL */
	void *lookup_ctx;
};

#define ROUTE_MAX_RULES 12

struct route_spam {
	int score;
	size_t nrules;
	const char *rules[ROUTE_MAX_RULES]; /* static names of rules that hit */
};

struct route_result {
	enum route_kind kind;
	const char *reason;         /* static text: why this kind */
	uint32_t ticket;            /* 0 when none */
	enum route_thread_by by;
	struct route_spam spam;
};

/*
 * The ticket number in a subject: "[Ticket #000123]", "Ticket# 000123",
 * "ticket #123", "[Ticket 123]", after any RE:/Fwd:/RV:/FW:/AW:/
 * "Respuesta automática:" prefixes. Returns 1 and sets *num (1 ..
 * ROUTE_TICKET_MAX), 0 when there is none.
 */
int route_ticket_from_subject(const char *subject, uint32_t *num);

/*
 * The number in a desk Message-ID "ack-NNNNNN.<anything>@<host>" (without
 * <>), as the desk writes acknowledgments, where <host> is the domain of
 * the support address or a subdomain of it ("soporte.prodequa.example").
 * Returns 1 or 0.
 */
int route_ticket_from_msgid(const char *msgid, const char *support,
                            uint32_t *num);

/*
 * Whether addr is the support address: case-insensitive, and a +tag on
 * the local part is ignored ("Soporte+urgente@Prodequa.example").
 */
int route_addr_is(const char *addr, const char *support);

/* Whether support is among the recipients or is the envelope recipient. */
int route_addressed(const struct mail *m, const char *support,
                    const char *envelope_rcpt);

/*
 * The ticket a mail threads into. Subject first, then In-Reply-To, then
 * References newest to oldest; for each id the lookup callback first,
 * then the ack-NNNNNN pattern. Returns 1 with *ticket and *by set, 0.
 */
int route_thread(const struct mail *m, const struct route_opts *o,
                 uint32_t *ticket, enum route_thread_by *by);

/* Scores spam rules (see docs/mail.md for the table). */
void route_spam_score(const struct mail *m, const char *support,
                      struct route_spam *out);

void route_classify(const struct mail *m, const struct route_opts *o,
                    struct route_result *out);

const char *route_kind_str(enum route_kind k);

#endif
