/*
 * ticket_query.c - tickets read for the API (see ticket_query.h).
 *
 * SECURITY: every filter value is untrusted and bound; fragments of SQL
 * are fixed strings of this file whose "?" become the next "$n".
 */
#include "app/ticket/ticket_query.h"
#include "app/base/localtime.h"
#include "app/ticket/search.h"
#include "app/ticket/ticket_view.h"
#include "core/workflow.h"
#include "util/buf.h"
#include "util/timefmt.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QB_MAX_PARAMS 24

/* A query built from fixed fragments and bound values. */
struct qb {
	struct buf sql;
	struct store_param p[QB_MAX_PARAMS];
	int np;
	int overflow;
};

/* Appends frag; each '?' in it takes the next of the n values. */
static void
qb_add(struct qb *q, const char *frag, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	for (const char *s = frag; *s; s++) {
		if (*s != '?') {
			buf_putc(&q->sql, *s);
			continue;
		}
		if (q->np >= QB_MAX_PARAMS || n-- <= 0) {
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
add_sla(struct qb *q, const struct ticket_query *f)
{
	switch (f->sla) {
	case SLAF_ANY:
		break;
	case SLAF_BREACHED:
		qb_add(q,
		       " AND ((" SLA_RUNNING "AND t.response_due_at <= ?) OR "
		       "t.first_response_at > t.response_due_at)",
		       1, SP_I(f->now));
		break;
	case SLAF_AT_RISK:
		qb_add(q,
		       " AND " SLA_RUNNING "AND t.response_due_at > ? AND "
		       "(? - t.created_at) * 100 >= ? * (t.response_due_at - t.created_at)",
		       3, SP_I(f->now), SP_I(f->now), SP_I(f->at_risk_percent));
		break;
	case SLAF_PENDING:
		qb_add(q,
		       " AND " SLA_RUNNING "AND t.response_due_at > ? AND "
		       "(? - t.created_at) * 100 < ? * (t.response_due_at - t.created_at)",
		       3, SP_I(f->now), SP_I(f->now), SP_I(f->at_risk_percent));
		break;
	case SLAF_MET:
		qb_add(q, " AND t.first_response_at <= t.response_due_at", 0);
		break;
	}
}

/* Which documents a client may find: not internal notes, nor files
 * attached to them (a doc's kind is its two low bits; see 0010_api.sql:
 * doc = ticket_id << 32 | (source id & 0x3FFFFFFF) << 2 | kind). An
 * attachment whose id does not fit 30 bits is not found here, so it stays
 * hidden: the safe way to be wrong. */
#define SQ_VISIBLE                                                           \
	"(? = 1 OR search_fts.rowid & 3 IN (0, 1) OR (search_fts.rowid & 3 = " \
	"2 AND (SELECT m.kind FROM attachments a JOIN messages m ON "          \
	"m.id = a.message_id WHERE "                                           \
	"a.id = (search_fts.rowid >> 2) & 1073741823 AND "                     \
	"m.ticket_id = search_fts.rowid >> 32) <> 'note'))"

/* SQLite FTS5 answers a prefix ("factur"*) by merging the doclists of
 * every term it begins into one before the first row: for a word in half
 * the tickets, ~70,000 entries and milliseconds, even for one page. An
 * exact term is read lazily, in rowid order. So each word becomes the OR
 * of the terms its stem begins, one range of search_terms
 * (0100_search_terms.sql), when there are at most SEARCH_EXPAND; else it
 * stays a prefix. Same matches, either way. The index holds Spanish stems
 * (0090_search_spanish.sql), so the range starts from the typed word's
 * stem (soporte_term()), and a term is only named when the tokenizer
 * reads it back as itself (a Snowball stem is not always its own stem:
 * "aambo" -> "aamb"); otherwise the word stays a prefix. */
#define SEARCH_EXPAND 8

/* Appends ("word" OR "term" ...) to out; *many when the word's stem begins
 * more than SEARCH_EXPAND terms, or one the query would not read back as
 * itself (out is then left half written). */
static enum store_rc
word_terms(struct store *db, const char *word, struct buf *out, int *many)
{
	struct store_rows *r;
	char *stem = NULL;
	enum store_rc rc = store_get_text(db, "SELECT soporte_term($1)",
	                                  STORE_PARAMS(SP_T(word)), &stem);
	*many = 0;
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		return rc;
	if (rc == STORE_NOTFOUND || *stem == '\0') {   /* no word in it */
		free(stem);
		*many = 1;
		return STORE_OK;
	}
	/* The terms after the stem that begin with it (no token holds
	 * U+10FFFF), one more than are named. */
	rc = store_query(db,
	                 "SELECT term, soporte_term(term) = term FROM search_terms "
	                 "WHERE term > $1 AND term < $1 || char(1114111) "
	                 "ORDER BY term LIMIT $2",
	                 STORE_PARAMS(SP_T(stem), SP_I(SEARCH_EXPAND + 1)), &r);
	free(stem);
	if (rc != STORE_OK)
		return rc;
	buf_printf(out, "(\"%s\"", word);
	for (int terms = 0; (rc = store_next(r)) == STORE_ROW; terms++) {
		if (terms == SEARCH_EXPAND || !store_int(r, 1)) {
			*many = 1;
			break;
		}
		buf_puts(out, " OR \"");
		for (const char *c = store_text(r, 0); *c; c++) {
			if (*c == '"')   /* FTS5 string quoting */
				buf_putc(out, '"');
			buf_putc(out, *c);
		}
		buf_putc(out, '"');
	}
	store_done(r);
	if (rc != STORE_ROW && rc != STORE_DONE)
		return rc;
	buf_putc(out, ')');
	return STORE_OK;
}

static enum store_rc
fts_query(struct store *db, const char *text, struct buf *out)
{
	char folded[SEARCH_QUERY_MAX];
	const char *w[SEARCH_MAX_WORDS];
	int n = search_words(text, folded, sizeof folded, w);
	for (int i = 0; i < n; i++) {
		struct buf g = BUF_INIT(0);
		int many = 0;
		/* Folded Spanish is ASCII. Other letters FTS5's tokenizer folds
		 * (case) where search_terms compares bytes: left to FTS5. */
		int ascii = 1;
		for (const char *c = w[i]; *c; c++)
			ascii &= (unsigned char)*c < 0x80;
		enum store_rc rc = ascii ? word_terms(db, w[i], &g, &many) : STORE_OK;
		if (rc != STORE_OK) {
			buf_free(&g);
			return rc;
		}
		if (i)
			buf_puts(out, " AND ");
		if (ascii && !many)
			buf_puts(out, buf_str(&g));
		else
			buf_printf(out, "\"%s\"*", w[i]);
		buf_free(&g);
	}
	return STORE_OK;
}

/* By deadline, above this many matching documents, walking the tickets
 * in the list's order and testing each against the set of matching
 * tickets is cheaper than fetching every matching ticket and sorting. */
#define SEARCH_DENSE 2000

/* A set of ticket ids, one bit each. */
struct tset {
	unsigned char *bits;
	int64_t n;                /* ids 0 .. n-1 fit */
};

static int
tset_has(const struct tset *s, int64_t id)
{
	return id >= 0 && id < s->n && (s->bits[id / 8] >> (id % 8)) & 1;
}

/* SQLite, by deadline: reads the doc ids matching query (visible ones
 * only) once, counting them. Few: the query gets an "id IN (matches)"
 * clause and *set stays empty. Many: *set holds the matching tickets and
 * the caller tests rows against it while it walks tickets in order. */
static enum store_rc
add_text_sqlite(struct store *db, struct qb *q, const char *query,
                int internal, struct tset *set)
{
	struct qb m = {.sql = BUF_INIT(4096)};
	struct store_rows *r;
	int64_t maxid = 0, docs = 0;
	enum store_rc rc = store_get_int(db, "SELECT COALESCE(MAX(id), 0) FROM tickets",
	                                 STORE_NO_PARAMS, &maxid);
	if (rc != STORE_OK)
		goto out;
	set->n = maxid + 1;
	set->bits = calloc((size_t)(set->n / 8 + 1), 1);
	if (set->bits == NULL) {
		rc = store_fail(db, STORE_ERROR, "out of memory");
		goto out;
	}
	qb_add(&m, "SELECT rowid >> 32 FROM search_fts WHERE search_fts MATCH ? "
	           "AND " SQ_VISIBLE,
	       2, SP_T(query), SP_I(internal));
	rc = store_query(db, buf_str(&m.sql), m.p, m.np, &r);
	if (rc != STORE_OK)
		goto out;
	while ((rc = store_next(r)) == STORE_ROW) {
		int64_t id = store_int(r, 0);
		docs++;
		if (id >= 0 && id < set->n)
			set->bits[id / 8] |= (unsigned char)(1u << (id % 8));
	}
	store_done(r);
	if (rc != STORE_DONE)
		goto out;
	rc = STORE_OK;
	if (docs <= SEARCH_DENSE) {
		free(set->bits);
		set->bits = NULL;
		set->n = 0;
		qb_add(q,
		       " AND t.id IN (SELECT rowid >> 32 FROM search_fts WHERE "
		       "search_fts MATCH ? AND " SQ_VISIBLE ")",
		       2, SP_T(query), SP_I(internal));
	}
out:
	buf_free(&m.sql);
	return rc;
}

/* SQLite, newest first, one client's list: the FTS walk reads every
 * matching document of other clients' newer tickets before the client's
 * own, so for a client with few or old tickets it reads most of a common
 * word's matches (bench/api's desk, 'facturacion' in 68,752 documents: 16
 * ms of server CPU for a client with 10 old tickets). When the client has
 * at most SEARCH_CLIENT_FEW tickets (below the cursor), its tickets are
 * walked newest first instead (tickets_client_id, 0140) and each one's
 * documents probed (SQ_PROBE: FTS5 over the ticket's rowid range), which
 * stops at one page too. Measured on that desk: a probe costs 12-20 us
 * for one word (FTS5 sets up its query each time), ~45 us for two; a
 * walked document ~0.2 us; so a probe is worth ~100 walked documents. At
 * 50 tickets the probes cost at most ~1 ms (2.5 ms for two words) whatever
 * the word, where the walk costs up to a common word's every match (16
 * ms); the price is a rare word's search (a few hundred documents walked,
 * 0.08 ms) costing up to 0.65 ms. More tickets than that lie among the
 * others, and the walk meets them sooner. */
#define SEARCH_CLIENT_FEW 50

#define SQ_PROBE                                                              \
	"SELECT 1 FROM search_fts WHERE search_fts MATCH ? AND "               \
	"search_fts.rowid BETWEEN t.id << 32 AND (t.id << 32) | 4294967295 "   \
	"AND " SQ_VISIBLE

/* *few: the client has at most SEARCH_CLIENT_FEW tickets below id before. */
static enum store_rc
client_few(struct store *db, int64_t client_id, int64_t before, int *few)
{
	int64_t n = 0;
	enum store_rc rc = store_get_int(
	    db,
	    "SELECT COUNT(*) FROM (SELECT 1 FROM tickets WHERE client_id = $1 "
	    "AND id < $2 LIMIT $3)",
	    STORE_PARAMS(SP_I(client_id), SP_I(before), SP_I(SEARCH_CLIENT_FEW + 1)),
	    &n);
	*few = n <= SEARCH_CLIENT_FEW;
	return rc;
}

/* PostgreSQL: how many of the newest 1,000 documents match decides the
 * plan. Dense (at least SEARCH_WALK): walk the tickets in the list's
 * order and probe each one's documents (search_docs by ticket_id, stored
 * vectors), stopping at one page. Sparse: collect the matching
 * tickets from the GIN index once, then fetch and sort those. Both are
 * spelled so that the planner has no other choice (OFFSET 0 keeps the
 * EXISTS a per-row probe; ARRAY() runs once): left to itself it cannot
 * tell a word in half the tickets from one in a hundred (prefix words
 * get a default estimate), and a plan cached for one word would serve
 * the next. */
#define SEARCH_WALK 5

#define PG_MATCH                                                              \
	"s.words @@ to_tsquery('soporte_es', ?) AND (? = 1 OR NOT s.internal)"

static enum store_rc
add_text_pg(struct store *db, struct qb *q, const char *query, int internal)
{
	int64_t sample = 0;
	enum store_rc rc = store_get_int(
	    db,
	    "SELECT COUNT(*) FROM (SELECT words, internal FROM search_docs "
	    "ORDER BY ticket_id DESC, doc DESC LIMIT 1000) s "
	    "WHERE s.words @@ to_tsquery('soporte_es', $1) AND ($2 = 1 OR NOT s.internal)",
	    STORE_PARAMS(SP_T(query), SP_I(internal)), &sample);
	if (rc != STORE_OK)
		return rc;
	if (sample >= SEARCH_WALK)
		qb_add(q,
		       " AND EXISTS (SELECT 1 FROM search_docs s WHERE s.ticket_id = "
		       "t.id AND " PG_MATCH " OFFSET 0)",
		       2, SP_T(query), SP_I(internal));
	else
		qb_add(q,
		       " AND t.id = ANY (ARRAY(SELECT s.ticket_id FROM search_docs s "
		       "WHERE " PG_MATCH "))",
		       2, SP_T(query), SP_I(internal));
	return STORE_OK;
}

enum store_rc
ticket_query_list(struct store *db, const struct calendar *cal,
                  const struct ticket_query *f, json_t **items,
                  char next[TICKET_CURSOR_LEN])
{
	struct qb q = {.sql = BUF_INIT(16384)};
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
	if (f->text) {
		words = search_query(store_engine(db), f->text, text, sizeof text);
		if (words < 0)
			return store_fail(db, STORE_CONSTRAINT, "q: the search is too long");
		if (words == 0) {   /* nothing searchable: nothing found */
			*items = json_array();
			return STORE_OK;
		}
	}
	if (words > 0 && sqlite) {
		rc = fts_query(db, f->text, &match);
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
		rc = client_few(db, f->client_id,
		                f->cursor && *f->cursor ? c2 : INT64_MAX, &probe);
		if (rc != STORE_OK)
			goto out;
		fts_walk = !probe;
	}
	if (fts_walk)
		qb_add(&q,
		       "SELECT " TICKET_COLUMNS "FROM search_fts CROSS JOIN tickets t "
		       TICKET_JOINS "WHERE search_fts MATCH ? AND " SQ_VISIBLE
		       " AND t.id = search_fts.rowid >> 32",
		       2, SP_T(buf_str(&match)), SP_I(f->include_internal));
	else
		qb_add(&q, "SELECT " TICKET_COLUMNS TICKET_FROM "WHERE 1 = 1", 0);
	if (f->state && strcmp(f->state, "open") == 0)
		qb_add(&q, " AND t.state <> 'closed'", 0);
	else if (f->state)
		qb_add(&q, " AND t.state = ?", 1, SP_T(f->state));
	if (f->severity)
		qb_add(&q, " AND t.severity = ?", 1, SP_I(f->severity));
	if (f->client_id)
		qb_add(&q, " AND t.client_id = ?", 1, SP_I(f->client_id));
	if (f->assignee_id > 0)
		qb_add(&q, " AND t.assignee_id = ?", 1, SP_I(f->assignee_id));
	else if (f->assignee_id < 0)
		qb_add(&q, " AND t.assignee_id IS NULL", 0);
	add_sla(&q, f);
	if (words > 0 && !sqlite)
		rc = add_text_pg(db, &q, text, f->include_internal);
	else if (probe)
		qb_add(&q, " AND EXISTS (" SQ_PROBE ")", 2, SP_T(buf_str(&match)),
		       SP_I(f->include_internal));
	else if (words > 0 && !fts_walk)
		rc = add_text_sqlite(db, &q, buf_str(&match), f->include_internal,
		                     &set);
	if (rc != STORE_OK)
		goto out;
	/* With a set to test rows against, or docs to skip, the walk stops
	 * in the loop. */
	if (by_deadline) {
		if (f->cursor && *f->cursor)
			qb_add(&q, " AND (t.response_due_at, t.number) > (?, ?)", 2,
			       SP_I(c1), SP_I(c2));
		qb_add(&q, " ORDER BY t.response_due_at, t.number LIMIT ?", 1,
		       SP_I(set.bits ? INT64_MAX : limit + 1));
	} else if (fts_walk) {
		if (f->cursor && *f->cursor)
			qb_add(&q, " AND search_fts.rowid < ?", 1, SP_I(c2 << 32));
		qb_add(&q, " ORDER BY search_fts.rowid DESC", 0);
	} else {
		/* Newest first: ticket ids grow with numbers (both are taken in
		 * the transaction that opens a ticket, under the counter's lock). */
		if (f->cursor && *f->cursor)
			qb_add(&q, " AND t.id < ?", 1, SP_I(c2));
		qb_add(&q, " ORDER BY t.id DESC LIMIT ?", 1, SP_I(limit + 1));
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
	enum store_rc rc = store_query(
	    db,
	    "SELECT id, number, client_id, assignee_id, version, state FROM tickets "
	    "WHERE number = $1",
	    STORE_PARAMS(SP_I(number)), &r);
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	if (rc == STORE_ROW) {
		t->id = store_int(r, 0);
		t->number = store_int(r, 1);
		t->client_id = store_isnull(r, 2) ? 0 : store_int(r, 2);
		t->assignee_id = store_isnull(r, 3) ? 0 : store_int(r, 3);
		t->version = store_int(r, 4);
		snprintf(t->state, sizeof t->state, "%s", store_text(r, 5));
	}
	store_done(r);
	if (rc == STORE_ROW)
		return STORE_OK;
	return rc == STORE_DONE ? STORE_NOTFOUND : rc;
}

enum store_rc
ticket_get_json(struct store *db, const struct calendar *cal,
                const struct policy *pol, int64_t now, int64_t number,
                struct ticket_ref *t, json_t **out)
{
	struct ticket_clock k = {db, cal, pol, now};
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(db,
	                               "SELECT " TICKET_COLUMNS TICKET_FROM
	                               "WHERE t.number = $1",
	                               STORE_PARAMS(SP_I(number)), &r);
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	if (rc == STORE_ROW && t) {
		memset(t, 0, sizeof *t);
		t->id = store_int(r, 0);
		t->number = store_int(r, 1);
		snprintf(t->state, sizeof t->state, "%s", store_text(r, 2));
		t->version = store_int(r, 19);
		t->client_id = store_isnull(r, 25) ? 0 : store_int(r, 25);
		t->assignee_id = store_isnull(r, 26) ? 0 : store_int(r, 26);
	}
	if (rc == STORE_ROW) {
		*out = ticket_row_json(r, cal);
		rc = ticket_clock_add(*out, r, &k, 1);
		if (rc != STORE_OK) {
			json_decref(*out);
			*out = NULL;
		}
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_NOTFOUND : rc;
}

enum store_rc
ticket_attachments_json(struct store *db, int64_t ticket_id,
                        int include_internal, json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(
	    db,
	    "SELECT a.id, a.message_id, a.filename, a.content_type, a.size, "
	    "CASE WHEN a.sha256 IS NULL THEN 0 ELSE 1 END, a.is_inline FROM attachments a "
	    "JOIN messages m ON m.id = a.message_id "
	    "WHERE m.ticket_id = $1 AND ($2 = 1 OR m.kind <> 'note') ORDER BY a.id",
	    STORE_PARAMS(SP_I(ticket_id), SP_I(include_internal)), &r);
	if (rc != STORE_OK)
		return rc;
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW) {
		json_t *a = json_object();
		json_object_set_new(a, "id", json_integer(store_int(r, 0)));
		json_object_set_new(a, "message_id", json_integer(store_int(r, 1)));
		json_object_set_new(a, "filename", json_string(store_text(r, 2)));
		json_object_set_new(a, "content_type", json_string(store_text(r, 3)));
		json_object_set_new(a, "size", json_integer(store_int(r, 4)));
		json_object_set_new(a, "stored", json_boolean(store_int(r, 5)));
		json_object_set_new(a, "inline", json_boolean(store_int(r, 6)));
		json_array_append_new(arr, a);
	}
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return STORE_OK;
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
	json_t *msgs = json_array();
	while ((rc = store_next(r)) == STORE_ROW) {
		json_t *m = json_object();
		json_object_set_new(m, "id", json_integer(store_int(r, 0)));
		json_object_set_new(m, "kind", json_string(store_text(r, 1)));
		json_object_set_new(m, "from", json_text_or_null(r, 2));
		json_object_set_new(m, "subject", json_text_or_null(r, 3));
		json_object_set_new(m, "body_text", json_string(store_text(r, 4)));
		json_set_time(m, cal, "created_at", r, 5);
		json_object_set_new(m, "author", json_text_or_null(r, 6));
		json_object_set_new(m, "duration_s", store_isnull(r, 7)
		                                          ? json_null()
		                                          : json_integer(store_int(r, 7)));
		/* The sanitized HTML is served apart, as its own sandboxed
		 * document (GET /api/messages/{id}/html). */
		json_object_set_new(m, "has_html", json_boolean(store_int(r, 8)));
		/* Incoming mail: whether its sender was authenticated, and what
		 * it asked (app/intake/sender_check.h); null for the rest. */
		json_object_set_new(m, "verified", store_isnull(r, 9)
		                                       ? json_null()
		                                       : json_boolean(store_int(r, 9)));
		json_object_set_new(m, "intent", json_text_or_null(r, 10));
		json_object_set_new(m, "intent_status", json_text_or_null(r, 11));
		json_object_set_new(m, "attachments", json_array());
		json_array_append_new(msgs, m);
	}
	store_done(r);
	if (rc != STORE_DONE)
		goto fail;
	rc = ticket_attachments_json(db, ticket_id, include_internal, &atts);
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

static const struct {
	const char *sql;
	const char *keys[12];
	char types[12];  /* i: integer, s: text, t: time, b: 0/1 */
} children[] = {
	[CHILD_TIME_ENTRIES] = {
	    "SELECT e.id, u.name, e.work_date, e.seconds, e.kind, e.coverage, "
	    "e.purchase_order_id, e.corrects_id, e.note, e.created_at "
	    "FROM time_entries e LEFT JOIN users u ON u.id = e.user_id "
	    "WHERE e.ticket_id = $1 ORDER BY e.id",
	    {"id", "user", "work_date", "seconds", "kind", "coverage",
	     "purchase_order_id", "corrects_id", "note", "created_at"},
	    "isssssiist"},
	[CHILD_CONTACT_ATTEMPTS] = {
	    "SELECT a.id, u.name, a.channel, a.outcome, a.wait_s, a.business_day, "
	    "a.attempted_at FROM contact_attempts a "
	    "LEFT JOIN users u ON u.id = a.user_id WHERE a.ticket_id = $1 "
	    "ORDER BY a.id",
	    {"id", "user", "channel", "outcome", "wait_s", "business_day",
	     "attempted_at"},
	    "isssist"},
	[CHILD_ESCALATIONS] = {
	    "SELECT e.id, e.kind, e.from_severity, e.to_severity, e.from_level, "
	    "e.to_level, e.note, e.created_at, e.handled_at, u.name "
	    "FROM escalations e LEFT JOIN users u ON u.id = e.handled_by "
	    "WHERE e.ticket_id = $1 ORDER BY e.id",
	    {"id", "kind", "from_severity", "to_severity", "from_level",
	     "to_level", "note", "created_at", "handled_at", "handled_by"},
	    "isiiiistts"},
};

enum store_rc
ticket_children_json(struct store *db, const struct calendar *cal,
                     enum ticket_child which, int64_t ticket_id, json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(db, children[which].sql,
	                               STORE_PARAMS(SP_I(ticket_id)), &r);
	if (rc != STORE_OK)
		return rc;
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW) {
		json_t *o = json_object();
		for (int c = 0; children[which].keys[c]; c++) {
			const char *k = children[which].keys[c];
			char t = children[which].types[c];
			if (t == 't')
				json_set_time(o, cal, k, r, c);
			else if (store_isnull(r, c))
				json_object_set_new(o, k, json_null());
			else if (t == 'i')
				json_object_set_new(o, k, json_integer(store_int(r, c)));
			else
				json_object_set_new(o, k, json_string(store_text(r, c)));
		}
		json_array_append_new(arr, o);
	}
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return STORE_OK;
}

enum store_rc
ticket_update(struct store *db, const struct ticket_ref *t,
              int64_t expected_version, json_t *in, struct actor who,
              int64_t now, int *stale, int64_t *new_version)
{
	*stale = 0;
	*new_version = t->version;
	json_t *v;
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	int64_t version = 0;
	rc = store_get_int(db, "SELECT version FROM tickets WHERE id = $1",
	                   STORE_PARAMS(SP_I(t->id)), &version);
	if (rc != STORE_OK)
		goto out;
	if (version != expected_version) {
		*stale = 1;
		*new_version = version;
		store_rollback(db);
		return STORE_OK;
	}
	if ((v = json_object_get(in, "assignee_id")) != NULL && !json_is_null(v)) {
		int64_t n = 0;
		rc = store_get_int(db,
		                   "SELECT COUNT(*) FROM users WHERE id = $1 AND active = 1 "
		                   "AND role IN ('consultant', 'project_manager')",
		                   STORE_PARAMS(SP_I(json_integer_value(v))), &n);
		if (rc == STORE_OK && n == 0)
			rc = store_fail(db, STORE_CONSTRAINT,
			                "assignee_id: no active consultant %lld",
			                (long long)json_integer_value(v));
	}
	if (rc == STORE_OK && (v = json_object_get(in, "product_id")) != NULL &&
	    !json_is_null(v)) {
		int64_t n = 0;
		rc = store_get_int(db,
		                   "SELECT COUNT(*) FROM products WHERE id = $1 AND "
		                   "client_id = $2",
		                   STORE_PARAMS(SP_I(json_integer_value(v)),
		                                SP_I(t->client_id)),
		                   &n);
		if (rc == STORE_OK && n == 0)
			rc = store_fail(db, STORE_CONSTRAINT,
			                "product_id: not a product of the ticket's client");
	}
	json_t *a = json_object_get(in, "assignee_id");
	json_t *p = json_object_get(in, "product_id");
	json_t *c = json_object_get(in, "category");
	json_t *s = json_object_get(in, "subject");
	if (rc == STORE_OK)
		rc = store_exec(
		    db,
		    "UPDATE tickets SET "
		    "assignee_id = CASE WHEN $1 = 1 THEN CAST($2 AS BIGINT) "
		    "  ELSE assignee_id END, "
		    "state = CASE WHEN $1 = 1 AND CAST($2 AS BIGINT) IS NOT NULL AND "
		    "  state = 'new' THEN 'assigned' ELSE state END, "
		    "product_id = CASE WHEN $3 = 1 THEN CAST($4 AS BIGINT) "
		    "  ELSE product_id END, "
		    "category = COALESCE(CAST($5 AS TEXT), category), "
		    "subject = COALESCE(CAST($6 AS TEXT), subject), "
		    "updated_at = $7, version = version + 1 WHERE id = $8",
		    STORE_PARAMS(SP_I(a != NULL),
		                 a ? SP_ID(json_integer_value(a)) : SP_NULL,
		                 SP_I(p != NULL),
		                 p ? SP_ID(json_integer_value(p)) : SP_NULL,
		                 SP_T(json_string_value(c)), SP_T(json_string_value(s)),
		                 SP_I(now), SP_I(t->id)));
	if (rc == STORE_OK) {
		json_t *detail = json_object();
		const char *k;
		json_object_foreach(in, k, v)
			json_object_set(detail, k, v);
		rc = audit_record(db, who, t->id, "ticket.update", detail, now);
	}
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc == STORE_OK)
		*new_version = version + 1;
out:
	if (rc != STORE_OK)
		store_rollback(db);
	return rc;
}

enum store_rc
attachment_ref_get(struct store *db, int64_t id, struct attachment_ref *a)
{
	struct store_rows *r;
	memset(a, 0, sizeof *a);
	enum store_rc rc = store_query(
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
	rc = store_next(r);
	if (rc == STORE_ROW) {
		a->id = store_int(r, 0);
		a->ticket_id = store_int(r, 1);
		a->client_id = store_isnull(r, 2) ? 0 : store_int(r, 2);
		a->internal = (int)store_int(r, 3);
		snprintf(a->filename, sizeof a->filename, "%s", store_text(r, 4));
		snprintf(a->content_type, sizeof a->content_type, "%s",
		         store_text(r, 5));
		a->stored = (int)store_int(r, 6);
	}
	store_done(r);
	if (rc == STORE_ROW)
		return STORE_OK;
	return rc == STORE_DONE ? STORE_NOTFOUND : rc;
}

enum store_rc
attachment_bytes(struct store *db, int64_t id, void **bytes, size_t *len)
{
	struct store_rows *r;
	*bytes = NULL;
	*len = 0;
	enum store_rc rc = store_query(db,
	                               "SELECT b.bytes FROM attachments a JOIN blobs b "
	                               "ON b.sha256 = a.sha256 WHERE a.id = $1",
	                               STORE_PARAMS(SP_I(id)), &r);
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	if (rc == STORE_ROW) {
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
	}
	store_done(r);
	if (rc == STORE_ROW)
		return STORE_OK;
	return rc == STORE_DONE ? STORE_NOTFOUND : rc;
}

enum store_rc
audit_list_json(struct store *db, int64_t ticket_id, int64_t before_id,
                int limit, json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(
	    db,
	    "SELECT e.id, e.at, e.actor_kind, u.name, e.actor_contact_id, "
	    "t.number, e.action, e.detail FROM audit_events e "
	    "LEFT JOIN users u ON u.id = e.actor_user_id "
	    "LEFT JOIN tickets t ON t.id = e.ticket_id "
	    "WHERE ($1 = 0 OR e.ticket_id = $1) AND ($2 = 0 OR e.id < $2) "
	    "ORDER BY e.id DESC LIMIT $3",
	    STORE_PARAMS(SP_I(ticket_id), SP_I(before_id), SP_I(limit)), &r);
	if (rc != STORE_OK)
		return rc;
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(store_int(r, 0)));
		json_set_time(o, NULL, "at", r, 1);
		json_object_set_new(o, "actor_kind", json_string(store_text(r, 2)));
		json_object_set_new(o, "actor", json_text_or_null(r, 3));
		json_object_set_new(o, "actor_contact_id",
		                    store_isnull(r, 4) ? json_null()
		                                       : json_integer(store_int(r, 4)));
		json_object_set_new(o, "ticket", store_isnull(r, 5)
		                                      ? json_null()
		                                      : json_integer(store_int(r, 5)));
		json_object_set_new(o, "action", json_string(store_text(r, 6)));
		json_t *d = json_loads(store_text(r, 7), 0, NULL);
		json_object_set_new(o, "detail", d ? d : json_object());
		json_array_append_new(arr, o);
	}
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return STORE_OK;
}

enum store_rc
desk_gauges_get(struct store *db, int64_t now, int at_risk_percent,
                struct desk_gauges *g)
{
	struct store_rows *r;
	memset(g, 0, sizeof *g);
	enum store_rc rc = store_query(
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
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	if (rc == STORE_ROW) {
		g->open_tickets = store_int(r, 0);
		g->at_risk = store_int(r, 1);
		g->breached = store_int(r, 2);
		g->unassigned = store_int(r, 3);
		g->mail_queued = store_int(r, 4);
		g->mail_failed = store_int(r, 5);
		g->jobs_pending = store_int(r, 6);
		g->review_queue = store_int(r, 7);
	}
	store_done(r);
	return rc == STORE_ROW ? STORE_OK : rc == STORE_DONE ? STORE_OK : rc;
}
