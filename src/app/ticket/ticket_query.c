/*
 * ticket_query.c - tickets read for the API (see ticket_query.h).
 *
 * SECURITY: every filter value is untrusted and bound; fragments of SQL
 * are fixed strings of this file whose "?" become the next "$n".
 */
#include "app/ticket/ticket_query.h"
#include "app/base/localtime.h"
#include "app/ticket/search.h"
#include "app/ticket/search_sql.h"
#include "app/ticket/ticket_view.h"
#include "app/ticket/ticket_merge.h"
#include "core/workflow.h"
#include "util/buf.h"
#include "util/timefmt.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends frag; each '?' in it takes the next of the n values. */
void
sql_add(struct sql_query *q, const char *frag, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	for (const char *s = frag; *s; s++) {
		if (*s != '?') {
			buf_putc(&q->sql, *s);
			continue;
		}
		if (q->np >= SQL_QUERY_MAX_PARAMS || n-- <= 0) {
			q->overflow = 1;
			break;
		}
		q->p[q->np++] = va_arg(ap, struct store_param);
		buf_printf(&q->sql, "$%d", q->np);
	}
	va_end(ap);
}

int
ticket_state_valid(const char *s)
{
	if (s == NULL || strcmp(s, "open") == 0)
		return 0;
	/* "reopened" is shown, never stored (in_progress and a flag) */
	int st = wf_state_parse(s);
	return st >= 0 && st != WF_REOPENED ? 0 : -1;
}

int
sla_status_parse(const char *s)
{
	static const char *const names[] = {"pending", "at_risk", "breached", "met"};
	for (int i = 0; i < 4; i++)
		if (strcmp(names[i], s) == 0)
			return i + 1;
	return -1;
}

/* Open and unanswered, where the response clock runs. */
#define SLA_RUNNING                                                           \
	"t.first_response_at IS NULL AND t.state IN ('new', 'assigned', "     \
	"'in_progress') "

static void
add_sla(struct sql_query *q, const struct ticket_query *f)
{
	switch (f->sla) {
	case SLAF_ANY:
		break;
	case SLAF_BREACHED:
		sql_add(q,
		        " AND ((" SLA_RUNNING "AND t.response_due_at <= ?) OR "
		        "t.first_response_at > t.response_due_at)",
		        1, SP_I(f->now));
		break;
	case SLAF_AT_RISK:
		sql_add(q,
		        " AND " SLA_RUNNING "AND t.response_due_at > ? AND "
		        "(? - t.created_at) * 100 >= ? * (t.response_due_at - t.created_at)",
		        3, SP_I(f->now), SP_I(f->now), SP_I(f->at_risk_percent));
		break;
	case SLAF_PENDING:
		sql_add(q,
		        " AND " SLA_RUNNING "AND t.response_due_at > ? AND "
		        "(? - t.created_at) * 100 < ? * (t.response_due_at - t.created_at)",
		        3, SP_I(f->now), SP_I(f->now), SP_I(f->at_risk_percent));
		break;
	case SLAF_MET:
		sql_add(q, " AND t.first_response_at <= t.response_due_at", 0);
		break;
	}
}

enum store_rc
ticket_query_list(struct store *db, const struct calendar *cal,
                  const struct ticket_query *f, json_t **items,
                  char next[TICKET_CURSOR_LEN])
{
	struct sql_query q = {.sql = BUF_INIT(16384)};
	struct buf match = BUF_INIT(0);   /* SQLite's FTS5 query */
	struct store_rows *r = NULL;
	struct tset set = {NULL, 0};
	char text[SEARCH_QUERY_MAX * 2];
	int64_t c1 = 0, c2 = 0;
	enum store_rc rc = STORE_OK;
	json_t *arr = NULL;
	int limit = f->limit < 1 ? 50 : f->limit > 200 ? 200 : f->limit;
	int by_deadline = f->sort == SORT_DEADLINE;
	int sqlite = store_engine(db) == STORE_SQLITE;
	int words = 0;

	*items = NULL;
	next[0] = '\0';
	if (f->cursor && *f->cursor) {
		char tail;
		int ok = by_deadline ? sscanf(f->cursor, "d%" SCNd64 ".%" SCNd64 "%c",
		                              &c1, &c2, &tail) == 2
		                     : sscanf(f->cursor, "i%" SCNd64 "%c", &c2,
		                              &tail) == 1 &&
		                           c2 > 0 && c2 <= INT32_MAX;
		if (!ok)
			return store_fail(db, STORE_CONSTRAINT,
			                  "cursor: not one this list gave out");
	}
	/* A ticket's number finds that ticket; a client's name or domain,
	 * that client's tickets; anything else is looked for in the text. */
	int64_t number = 0, clients[SEARCH_CLIENTS_MAX];
	int nclients = 0;
	if (f->text && !search_ticket_number(f->text, &number)) {
		rc = search_clients(db, f->text, clients, SEARCH_CLIENTS_MAX, &nclients);
		if (rc != STORE_OK)
			return rc;
	}
	if (f->text && !number && !nclients) {
		words = search_query(store_engine(db), f->text, text, sizeof text);
		if (words < 0)
			return store_fail(db, STORE_CONSTRAINT, "q: the search is too long");
		if (words == 0) {   /* nothing searchable: nothing found */
			*items = json_array();
			return STORE_OK;
		}
	}
	if (words > 0 && sqlite) {
		rc = search_fts_query(db, f->text, &match);
		if (rc != STORE_OK)
			goto out;
	}
	/* SQLite, newest first: the FTS index hands out matching docs in
	 * rowid order, which is ticket order with each ticket's docs together
	 * (0010_api.sql), so it drives the query: each doc is joined to its
	 * ticket and filtered, the loop below skips a ticket's further docs
	 * and stops after one page, whatever the number of matches. */
	int fts_walk = words > 0 && !by_deadline && sqlite;
	int probe = 0;   /* SQLite, newest first: a client's few tickets */
	if (fts_walk && f->client_id) {
		rc = search_client_few(db, f->client_id,
		                       f->cursor && *f->cursor ? c2 : INT64_MAX, &probe);
		if (rc != STORE_OK)
			goto out;
		fts_walk = !probe;
	}
	if (fts_walk)
		sql_add(&q,
		        "SELECT " TICKET_COLUMNS "FROM search_fts CROSS JOIN tickets t "
		        TICKET_JOINS "WHERE search_fts MATCH ? AND " SQ_VISIBLE
		        " AND t.id = search_fts.rowid >> 32",
		        2, SP_T(buf_str(&match)), SP_I(f->include_internal));
	else
		sql_add(&q, "SELECT " TICKET_COLUMNS TICKET_FROM "WHERE 1 = 1",
		        0);
	if (f->state && strcmp(f->state, "open") == 0)
		sql_add(&q, " AND t.state <> 'closed'", 0);
	else if (f->state)
		sql_add(&q, " AND t.state = ?", 1, SP_T(f->state));
	if (f->severity)
		sql_add(&q, " AND t.severity = ?", 1, SP_I(f->severity));
	if (f->client_id)
		sql_add(&q, " AND t.client_id = ?", 1, SP_I(f->client_id));
	if (f->assignee_id > 0)
		sql_add(&q, " AND t.assignee_id = ?", 1, SP_I(f->assignee_id));
	else if (f->assignee_id < 0)
		sql_add(&q, " AND t.assignee_id IS NULL", 0);
	add_sla(&q, f);
	if (number)
		sql_add(&q, " AND t.number = ?", 1, SP_I(number));
	for (int i = 0; i < nclients; i++)
		sql_add(&q, i ? ", ?" : " AND t.client_id IN (?", 1, SP_I(clients[i]));
	if (nclients)
		sql_add(&q, ")", 0);
	if (f->escalated)
		sql_add(&q, " AND (t.escalation_level > 0 OR " TICKET_RAISED " = 1)",
		        0);
	if (words > 0 && !sqlite)
		rc = search_add_text_pg(db, &q, text, f->include_internal);
	else if (probe)
		sql_add(&q, " AND EXISTS (" SQ_PROBE ")", 2,
		        SP_T(buf_str(&match)), SP_I(f->include_internal));
	else if (words > 0 && !fts_walk)
		rc = search_add_text_sqlite(db, &q, buf_str(&match), f->include_internal,
		                            &set);
	if (rc != STORE_OK)
		goto out;
	/* With a set to test rows against, or docs to skip, the walk stops
	 * in the loop. */
	if (by_deadline) {
		if (f->cursor && *f->cursor)
			sql_add(&q, " AND (t.response_due_at, t.number) > (?, ?)",
			        2, SP_I(c1), SP_I(c2));
		sql_add(&q, " ORDER BY t.response_due_at, t.number LIMIT ?", 1,
		        SP_I(set.bits ? INT64_MAX : limit + 1));
	} else if (fts_walk) {
		if (f->cursor && *f->cursor)
			sql_add(&q, " AND search_fts.rowid < ?", 1,
			        SP_I(c2 << 32));
		sql_add(&q, " ORDER BY search_fts.rowid DESC", 0);
	} else {
		/* Newest first: ticket ids grow with numbers (both are taken in
		 * the transaction that opens a ticket, under the counter's lock). */
		if (f->cursor && *f->cursor)
			sql_add(&q, " AND t.id < ?", 1, SP_I(c2));
		sql_add(&q, " ORDER BY t.id DESC LIMIT ?", 1, SP_I(limit + 1));
	}
	if (q.overflow) {
		rc = store_fail(db, STORE_ERROR, "ticket query: too many parameters");
		goto out;
	}
	rc = store_query(db, buf_str(&q.sql), q.p, q.np, &r);
	if (rc != STORE_OK)
		goto out;
	arr = json_array();
	int n = 0;
	int64_t last_id = 0, last_due = 0, last_number = 0;
	struct ticket_clock clock = {db, cal, f->pol, f->now};
	while ((rc = store_next(r)) == STORE_ROW) {
		int64_t id = store_int(r, 0);
		if ((set.bits && !tset_has(&set, id)) || id == last_id)
			continue;
		if (n == limit) {
			if (by_deadline)
				snprintf(next, TICKET_CURSOR_LEN, "d%" PRId64 ".%" PRId64,
				         last_due, last_number);
			else
				snprintf(next, TICKET_CURSOR_LEN, "i%" PRId64, last_id);
			rc = STORE_DONE;
			break;
		}
		json_t *item = ticket_row_json(r, cal);
		json_array_append_new(arr, item);
		if ((rc = ticket_clock_add(item, r, &clock, 0)) != STORE_OK)
			break;
		last_id = id;
		last_number = store_int(r, 1);
		last_due = store_int(r, 9);
		n++;
	}
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(arr);
		goto out;
	}
	rc = STORE_OK;
	*items = arr;
out:
	free(set.bits);
	buf_free(&match);
	buf_free(&q.sql);
	return rc;
}

enum store_rc
ticket_ref_get(struct store *db, int64_t number, struct ticket_ref *t)
{
	struct store_rows *r;
	memset(t, 0, sizeof *t);
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT id, number, client_id, assignee_id, version, state FROM tickets "
	    "WHERE number = $1",
	    STORE_PARAMS(SP_I(number)), &r);
	if (rc != STORE_OK)
		return rc;
	t->id = store_int(r, 0);
	t->number = store_int(r, 1);
	t->client_id = store_isnull(r, 2) ? 0 : store_int(r, 2);
	t->assignee_id = store_isnull(r, 3) ? 0 : store_int(r, 3);
	t->version = store_int(r, 4);
	snprintf(t->state, sizeof t->state, "%s", store_text(r, 5));
	store_done(r);
	return STORE_OK;
}

enum store_rc
ticket_get_json(struct store *db, const struct calendar *cal,
                const struct policy *pol, int64_t now, int64_t number,
                struct ticket_ref *t, json_t **out)
{
	struct ticket_clock k = {db, cal, pol, now};
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query_row(db,
	                                   "SELECT " TICKET_COLUMNS TICKET_FROM
	                                   "WHERE t.number = $1",
	                                   STORE_PARAMS(SP_I(number)), &r);
	if (rc != STORE_OK)
		return rc;
	if (t) {
		memset(t, 0, sizeof *t);
		t->id = store_int(r, 0);
		t->number = store_int(r, 1);
		snprintf(t->state, sizeof t->state, "%s", store_text(r, 2));
		t->version = store_int(r, 19);
		t->client_id = store_isnull(r, 25) ? 0 : store_int(r, 25);
		t->assignee_id = store_isnull(r, 26) ? 0 : store_int(r, 26);
	}
	int64_t id = store_int(r, 0);
	*out = ticket_row_json(r, cal);
	rc = ticket_clock_add(*out, r, &k, 1);
	store_done(r);
	/* Related tickets (all of its own client: app/ticket/ticket_merge.h). */
	json_t *links = NULL;
	if (rc == STORE_OK && (rc = ticket_links_json(db, id, &links)) == STORE_OK)
		json_put(*out, "links", links);
	if (rc != STORE_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}

enum store_rc
ticket_attachments_json(struct store *db, int64_t ticket_id,
                        int include_internal, int64_t after_id, int limit,
                        json_t **out)
{
	static const char *const keys[] = {
		"#id", "#message_id", "filename", "content_type", "#size",
		"?stored", "?inline",
	};
	return json_rows(
	    db, NULL,
	    "SELECT a.id, a.message_id, a.filename, a.content_type, a.size, "
	    "CASE WHEN a.sha256 IS NULL THEN 0 ELSE 1 END, a.is_inline FROM attachments a "
	    "JOIN messages m ON m.id = a.message_id "
	    "WHERE m.ticket_id = $1 AND ($2 = 1 OR m.kind <> 'note') AND a.id > $3 "
	    "ORDER BY a.id LIMIT $4",
	    STORE_PARAMS(SP_I(ticket_id), SP_I(include_internal), SP_I(after_id),
	                 SP_I(limit)),
	    keys, 7, out);
}

enum store_rc
ticket_messages_json(struct store *db, const struct calendar *cal,
                     int64_t ticket_id, int include_internal, int64_t after_id,
                     int limit, json_t **out)
{
	struct store_rows *r;
	json_t *atts = NULL;
	*out = NULL;
	enum store_rc rc = store_query(
	    db,
	    "SELECT m.id, m.kind, m.from_addr, m.subject, m.body_text, "
	    "m.created_at, u.name, m.duration_s, CASE WHEN m.body_html IS NULL "
	    "THEN 0 ELSE 1 END, m.verified, m.intent, m.intent_status "
	    "FROM messages m "
	    "LEFT JOIN users u ON u.id = m.author_user_id "
	    "WHERE m.ticket_id = $1 AND ($2 = 1 OR m.kind <> 'note') AND m.id > $3 "
	    "ORDER BY m.id LIMIT $4",
	    STORE_PARAMS(SP_I(ticket_id), SP_I(include_internal), SP_I(after_id),
	                 SP_I(limit)),
	    &r);
	if (rc != STORE_OK)
		return rc;
	/* The sanitized HTML is served apart, as its own sandboxed document
	 * (GET /api/messages/{id}/html): has_html says there is one.
	 * Incoming mail: whether its sender was authenticated, and what it
	 * asked (app/intake/sender_check.h); null for the rest. */
	static const char *const keys[] = {
		"#id", "kind", "from", "subject", "body_text", "@created_at",
		"author", "#duration_s", "?has_html", "?verified", "intent",
		"intent_status",
	};
	json_t *msgs = json_array();
	while ((rc = store_next(r)) == STORE_ROW) {
		json_t *m = json_row_object(r, cal, keys, 12);
		json_object_set_new(m, "attachments", json_array());
		json_array_append_new(msgs, m);
	}
	store_done(r);
	if (rc != STORE_DONE)
		goto fail;
	rc = ticket_attachments_json(db, ticket_id, include_internal, 0, INT32_MAX,
	                             &atts);
	if (rc != STORE_OK)
		goto fail;
	size_t i, j;
	json_t *a, *m;
	json_array_foreach(atts, i, a) {
		json_array_foreach(msgs, j, m) {
			if (json_integer_value(json_object_get(m, "id")) ==
			    json_integer_value(json_object_get(a, "message_id")))
				json_array_append(json_object_get(m, "attachments"), a);
		}
	}
	json_decref(atts);
	*out = msgs;
	return STORE_OK;
fail:
	json_decref(msgs);
	return rc;
}

/* Keys as json_row_object() reads them ('#' integer, '@' time). */
static const struct {
	const char *sql;
	const char *keys[12];
	int nkeys;
} children[] = {
	[CHILD_TIME_ENTRIES] = {
	    "SELECT e.id, u.name, e.work_date, e.seconds, e.kind, e.coverage, "
	    "e.purchase_order_id, e.corrects_id, e.note, e.created_at "
	    "FROM time_entries e LEFT JOIN users u ON u.id = e.user_id "
	    "WHERE e.ticket_id = $1 AND e.id > $2 ORDER BY e.id LIMIT $3",
	    {"#id", "user", "work_date", "#seconds", "kind", "coverage",
	     "#purchase_order_id", "#corrects_id", "note", "@created_at"},
	    10},
	[CHILD_CONTACT_ATTEMPTS] = {
	    "SELECT a.id, u.name, a.channel, a.outcome, a.wait_s, a.business_day, "
	    "a.attempted_at FROM contact_attempts a "
	    "LEFT JOIN users u ON u.id = a.user_id WHERE a.ticket_id = $1 "
	    "AND a.id > $2 ORDER BY a.id LIMIT $3",
	    {"#id", "user", "channel", "outcome", "#wait_s", "business_day",
	     "@attempted_at"},
	    7},
	[CHILD_ESCALATIONS] = {
	    "SELECT e.id, e.kind, e.from_severity, e.to_severity, e.from_level, "
	    "e.to_level, e.note, e.created_at, e.handled_at, u.name "
	    "FROM escalations e LEFT JOIN users u ON u.id = e.handled_by "
	    "WHERE e.ticket_id = $1 AND e.id > $2 ORDER BY e.id LIMIT $3",
	    {"#id", "kind", "#from_severity", "#to_severity", "#from_level",
	     "#to_level", "note", "@created_at", "@handled_at", "handled_by"},
	    10},
};

enum store_rc
ticket_children_json(struct store *db, const struct calendar *cal,
                     enum ticket_child which, int64_t ticket_id,
                     int64_t after_id, int limit, json_t **out)
{
	return json_rows(db, cal, children[which].sql,
	                 STORE_PARAMS(SP_I(ticket_id), SP_I(after_id), SP_I(limit)),
	                 children[which].keys, children[which].nkeys, out);
}

enum store_rc
attachment_ref_get(struct store *db, int64_t id, struct attachment_ref *a)
{
	struct store_rows *r;
	memset(a, 0, sizeof *a);
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT a.id, m.ticket_id, t.client_id, "
	    "CASE WHEN m.kind = 'note' THEN 1 ELSE 0 END, a.filename, "
	    "a.content_type, CASE WHEN a.sha256 IS NULL THEN 0 ELSE 1 END "
	    "FROM attachments a "
	    "JOIN messages m ON m.id = a.message_id "
	    "JOIN tickets t ON t.id = m.ticket_id WHERE a.id = $1",
	    STORE_PARAMS(SP_I(id)), &r);
	if (rc != STORE_OK)
		return rc;
	a->id = store_int(r, 0);
	a->ticket_id = store_int(r, 1);
	a->client_id = store_isnull(r, 2) ? 0 : store_int(r, 2);
	a->internal = (int)store_int(r, 3);
	snprintf(a->filename, sizeof a->filename, "%s", store_text(r, 4));
	snprintf(a->content_type, sizeof a->content_type, "%s", store_text(r, 5));
	a->stored = (int)store_int(r, 6);
	store_done(r);
	return STORE_OK;
}

enum store_rc
attachment_bytes(struct store *db, int64_t id, void **bytes, size_t *len)
{
	struct store_rows *r;
	*bytes = NULL;
	*len = 0;
	enum store_rc rc = store_query_row(db,
	                                   "SELECT b.bytes FROM attachments a "
	                                   "JOIN blobs b ON b.sha256 = a.sha256 "
	                                   "WHERE a.id = $1",
	                                   STORE_PARAMS(SP_I(id)), &r);
	if (rc != STORE_OK)
		return rc;
	size_t n;
	const void *p = store_blob(r, 0, &n);
	*bytes = malloc(n ? n : 1);
	if (*bytes == NULL) {
		store_done(r);
		return store_fail(db, STORE_ERROR, "out of memory");
	}
	if (n)
		memcpy(*bytes, p, n);
	*len = n;
	store_done(r);
	return STORE_OK;
}

enum store_rc
desk_gauges_get(struct store *db, int64_t now, int at_risk_percent,
                struct desk_gauges *g)
{
	struct store_rows *r;
	memset(g, 0, sizeof *g);
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT "
	    "(SELECT COUNT(*) FROM tickets t WHERE t.state <> 'closed'), "
	    "(SELECT COUNT(*) FROM tickets t WHERE " SLA_RUNNING
	    " AND t.response_due_at > $1 AND ($1 - t.created_at) * 100 >= "
	    "$2 * (t.response_due_at - t.created_at)), "
	    "(SELECT COUNT(*) FROM tickets t WHERE " SLA_RUNNING
	    " AND t.response_due_at <= $1), "
	    "(SELECT COUNT(*) FROM tickets t WHERE t.state = 'new' AND "
	    "t.assignee_id IS NULL), "
	    "(SELECT COUNT(*) FROM outbound_mail WHERE state = 'queued'), "
	    "(SELECT COUNT(*) FROM outbound_mail WHERE state = 'failed'), "
	    "(SELECT COUNT(*) FROM jobs WHERE state = 'pending'), "
	    "(SELECT COUNT(*) FROM messages WHERE ticket_id IS NULL AND "
	    "review_reason IS NOT NULL AND reviewed_at IS NULL)",
	    STORE_PARAMS(SP_I(now), SP_I(at_risk_percent)), &r);
	if (rc == STORE_NOTFOUND)
		return STORE_OK;   /* never: a SELECT of counts is one row */
	if (rc != STORE_OK)
		return rc;
	g->open_tickets = store_int(r, 0);
	g->at_risk = store_int(r, 1);
	g->breached = store_int(r, 2);
	g->unassigned = store_int(r, 3);
	g->mail_queued = store_int(r, 4);
	g->mail_failed = store_int(r, 5);
	g->jobs_pending = store_int(r, 6);
	g->review_queue = store_int(r, 7);
	store_done(r);
	return STORE_OK;
}
