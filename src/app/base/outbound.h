/*
 * outbound.h - the outbound mail queue: mail is written in the same
 * transaction as the change it tells about, and sent later by SMTP.
 *
 * outbound_queue() adds a message (state 'queued', due now) and gives it a
 * Message-ID of the form <KIND-NNNNNN.RANDOM.TOKEN@LOCAL.DOMAIN> built from
 * the ticket number, its reply token (mail/reply_token.h: a reply that
 * carries it back comes from someone who got our mail) and the support
 * address (soporte@prodequa.example -> @soporte.prodequa.example), so that
 * replies thread back to the ticket by their In-Reply-To even when the
 * subject tag is lost. Mail about no ticket has no token.
 *
 * outbound_send_due() sends what is due: each message is first claimed
 * (so two senders never send it twice at once), composed, handed to SMTP,
 * then marked sent; a temporary failure retries with backoff (1 min,
 * 5 min, 15 min, 30 min, 1 h, 2 h, 4 h, 8 h, 12 h, 24 h), a permanent one
 * or the tenth failure marks it failed. With a DKIM key (outbound_use_dkim,
 * from the configuration file) each message is signed as it is sent.
 *
 * Mail a person did not write carries Auto-Submitted (RFC 3834):
 * "auto-replied" when it answers a message (In-Reply-To set: an
 * acknowledgment), "auto-generated" otherwise (notices, reminders, staff
 * notifications); a consultant's reply and the other kinds a person words
 * carry none.
 */
#ifndef SOPORTE_APP_OUTBOUND_H
#define SOPORTE_APP_OUTBOUND_H

#include "core/policy.h"
#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

struct dkim_key;

#define OUTBOUND_MSGID_MAX 160
#define OUTBOUND_MAX_ATTEMPTS 10

struct outbound_new {
	int64_t ticket_id;        /* 0: not about a ticket */
	int64_t ticket_number;    /* for the Message-ID; 0: none */
	const char *kind;         /* ack, reply, attempt, closure, ... */
	const char *to;
	const char *subject;
	const char *body;
	const char *in_reply_to;  /* <msg-id> of what we answer, or NULL */
	const char *references;   /* "<a> <b>", or NULL */
};

/* Queues m; *msgid (may be NULL) gets its Message-ID without <>. */
enum store_rc outbound_queue(struct store *db, const struct policy *pol,
                             const struct outbound_new *m, int64_t now,
                             char msgid[OUTBOUND_MSGID_MAX]);

/* Attaches the blob sha256 (blob.h) to queued mail msgid (as
 * outbound_queue() gave it) as filename of content_type; inside the
 * transaction that queued it. */
enum store_rc outbound_attach(struct store *db, const char *msgid,
                              const char *filename, const char *content_type,
                              const char *sha256);

/* The size in bytes of queued mail msgid as it would go out at now,
 * files encoded (what the SMTP server receives, less the dot-stuffing
 * of the DATA phase) into *size. STORE_NOTFOUND when there is no such
 * mail. */
enum store_rc outbound_size(struct store *db, const struct policy *pol,
                            const char *msgid, int64_t now, size_t *size);

/* Signs all mail sent from now on with key (NULL: unsigned). The key
 * stays the caller's and must outlive the sending. */
void outbound_use_dkim(const struct dkim_key *key);

struct outbound_stats {
	int sent, retried, failed;
};

/* Sends up to max due messages through smtp_url. Returns STORE_OK (see
 * stats for what happened) or the store's error. */
enum store_rc outbound_send_due(struct store *db, const struct policy *pol,
                                const char *smtp_url, int64_t now, int max,
                                struct outbound_stats *stats);

/* One queued mail as the queue lists it. */
struct outbound_row {
	int64_t id;
	const char *state;        /* queued, sent, failed */
	int64_t attempts;
	const char *kind, *to, *subject;
};
typedef void outbound_row_fn(const struct outbound_row *row, void *arg);
/* Calls fn for each queued mail in state (every one when state is ""),
 * oldest first. STORE_OK, or the store's error. */
enum store_rc outbound_list(struct store *db, const char *state,
                            outbound_row_fn *fn, void *arg);

#endif
