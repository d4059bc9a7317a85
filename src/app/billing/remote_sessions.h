/*
 * remote_sessions.h - R11: remote sessions on a ticket.
 *
 * remote_schedule() records a session a consultant will hold on the
 * client's equipment (TeamViewer) at a time, and in the same transaction
 * mails the ticket's contact the time, the consultant and the policy's
 * notice that the user must not use the equipment meanwhile (template
 * remote_session). remote_start() and remote_end() log its start and end
 * (audited: who, when); the end logs the session's time to the hour bank
 * as a remote_session entry (time_log(), R8), so a session that cannot be
 * charged (the ticket's coverage refuses it) is not ended either: the
 * time entry goes first, the end then names it.
 *
 * Refused, changing nothing (APP_REFUSED, reason in the store's message):
 * an unknown ticket or session, a closed ticket, a user who is not staff,
 * a time in the past, a session started or ended twice or ended before
 * its start.
 */
#ifndef SOPORTE_APP_REMOTE_SESSIONS_H
#define SOPORTE_APP_REMOTE_SESSIONS_H

#include "app/base/app_rc.h"
#include "core/calendar.h"
#include "core/policy.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* What the scheduling mail says (local times "dd/mm/aaaa HH:MM"). */
struct remote_mail_facts {
	int64_t number;
	const char *subject, *contact_name, *assignee_name;
	const char *start_local, *end_local;
	int64_t planned_s;
};

/* Renders template remote_session in lang; 0, or -1 with err. */
int remote_session_render(const struct policy *pol, const char *lang,
                          const struct remote_mail_facts *f, char **subject,
                          char **body, char *err, size_t errlen);

enum app_rc remote_schedule(struct store *db, const struct policy *pol,
                            const struct calendar *cal, int64_t number,
                            const char *staff_email, int64_t at,
                            int64_t planned_s, int64_t now, int64_t *id);

enum app_rc remote_start(struct store *db, int64_t id,
                         const char *staff_email, int64_t now);

/* *entry_id: the time entry logged for the session. */
enum app_rc remote_end(struct store *db, const struct policy *pol,
                       const struct calendar *cal, int64_t id,
                       const char *staff_email, int64_t now,
                       int64_t *entry_id);

/* The ticket number of session id (APP_REFUSED: no such session). */
enum app_rc remote_ticket(struct store *db, int64_t id, int64_t *number);

/* The ticket's sessions as a JSON array (id, consultant, tool,
 * scheduled_at, planned_s, started_at, ended_at, time_entry_id). */
enum app_rc remote_list_json(struct store *db, int64_t number, json_t **out);

#endif
