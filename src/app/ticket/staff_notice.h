/*
 * staff_notice.h - mail to staff about their tickets, capped and
 * digested (issue 15: a burst of client replies once queued 81,076 mails
 * to one consultant).
 *
 * A staff notification (assigned, client_answered, reopened, the SLA
 * warnings, the reminders, the escalation requests) goes out at once
 * when it is the first to that address about that ticket in a window
 * ([notify] window_minutes, 15 by default), and opens the window. Until
 * the window ends, later ones are folded into it: counted, their times
 * and subjects kept (the first STAFF_NOTICE_LINES). When it ends, the
 * scheduler mails them as one digest and, if there were any, opens the
 * next window; a burst thus gives one mail per window, however long. (A
 * notice that finds its window ended but not yet mailed mails that
 * digest itself.) A missed deadline (sla_breach) and the client's
 * escalation requests are never held by a window, only by the cap.
 *
 * Over all tickets, an address gets at most [notify] hourly_cap (20)
 * notifications and digests an hour; past the cap, everything is folded
 * into its overflow window and mailed once, an hour later, as "N more
 * updates, see the console".
 *
 * Windows are rows (notice_windows) written in the caller's transaction;
 * the flush runs in the scheduler, one window per transaction whose claim
 * holds only while the caller holds the scheduler's lease, so a digest
 * goes out exactly once even with several servers.
 */
#ifndef SOPORTE_APP_STAFF_NOTICE_H
#define SOPORTE_APP_STAFF_NOTICE_H

#include "app/base/outbound.h"
#include "core/calendar.h"
#include "core/policy.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STAFF_NOTICE_LINES 50

/* True when mail of kind is a staff notification. */
bool staff_notice_kind(const char *kind);

/* Queues m (a staff notification) now, or folds it into an open window
 * as one line: its time, subject and the first words of detail (what the
 * client or a colleague wrote; may be NULL). msgid gets its Message-ID,
 * or "" when it was folded. */
enum store_rc staff_notice_queue(struct store *db, const struct policy *pol,
                                 const struct calendar *cal,
                                 const struct outbound_new *m,
                                 const char *detail, int64_t now,
                                 char msgid[OUTBOUND_MSGID_MAX]);

/* Renders a digest: of ticket number's folded events (lines, as folded)
 * with its subject, or with number -1 the overflow digest
 * (digest_overflow). Keys: number, subject, count, cap, window_minutes,
 * events, ticket_url (the ticket in the console, or its queue for the
 * overflow). *subj and *body are malloc'd. Returns 0, or -1 with the
 * reason in err. */
int staff_digest_render(const struct policy *pol, int64_t number,
                        const char *subject, int64_t folded, const char *lines,
                        char **subj, char **body, char *err, size_t errlen);

/* Mails the digests of the windows ended by now, while holder holds the
 * lease named lease; *mailed counts the digests queued. Returns STORE_OK
 * or the store's error (the windows not done stay for the next run). */
enum store_rc staff_notice_flush(struct store *db, const struct policy *pol,
                                 const char *lease, const char *holder,
                                 int64_t now, int *mailed);

#endif
