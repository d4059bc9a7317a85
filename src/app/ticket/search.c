/*
 * search.c - full-text queries from typed text (see search.h), and the
 * full-text parts of the ticket list on either engine (search_sql.h).
 *
 * SECURITY: q is untrusted; every write into out is bounds-checked; the
 * typed text reaches the store only as a bound value.
 */
#include "app/ticket/search.h"
#include "app/ticket/search_sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Latin-1 supplement letters (U+00C0..U+00FF) to their base letter;
 * 0 keeps the character as it is. */
static const char latin1_base[64] = {
	'a', 'a', 'a', 'a', 'a', 'a', 0,   'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
	0,   'n', 'o', 'o', 'o', 'o', 'o', 0,   0,   'u', 'u', 'u', 'u', 'y', 0,   0,
	'a', 'a', 'a', 'a', 'a', 'a', 0,   'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
	0,   'n', 'o', 'o', 'o', 'o', 'o', 0,   0,   'u', 'u', 'u', 'u', 'y', 0,   'y',
};

int
search_fold(const char *in, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t n = 0;
	while (*s) {
		unsigned char c = *s;
		if (c < 0x80) {
			if (n + 1 >= outlen)
				return -1;
			out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			s++;
			continue;
		}
		if ((c == 0xC3) && s[1] >= 0x80 && s[1] <= 0xBF) {
			char base = latin1_base[(s[1] - 0x80) & 63];
			if (base) {
				if (n + 1 >= outlen)
					return -1;
				out[n++] = base;
				s += 2;
				continue;
			}
		}
		if (n + 1 >= outlen)
			return -1;
		out[n++] = (char)c;
		s++;
	}
	out[n] = '\0';
	return 0;
}

static int
is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

int
search_words(const char *q, char *buf, size_t buflen,
             const char *words[SEARCH_MAX_WORDS])
{
	if (buflen == 0 || search_fold(q, buf, buflen) != 0)
		return -1;
	int n = 0;
	char *s = buf;
	while (*s && n < SEARCH_MAX_WORDS) {
		while (*s && !is_word_byte((unsigned char)*s))
			s++;
		char *w = s;
		while (*s && is_word_byte((unsigned char)*s))
			s++;
		if (s == w)
			continue;
		if (*s)
			*s++ = '\0';
		words[n++] = w;
	}
	return n;
}

int
search_query(enum store_engine engine, const char *q, char *out, size_t outlen)
{
	char folded[SEARCH_QUERY_MAX];
	const char *w[SEARCH_MAX_WORDS];
	int words = search_words(q, folded, sizeof folded, w);
	if (words < 0 || outlen == 0)
		return -1;
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < words; i++) {
		int k = engine == STORE_SQLITE
		            ? snprintf(out + used, outlen - used, "%s\"%s\"*",
		                       i ? " " : "", w[i])
		            : snprintf(out + used, outlen - used, "%s%s:*",
		                       i ? " & " : "", w[i]);
		if (k < 0 || (size_t)k >= outlen - used)
			return -1;
		used += (size_t)k;
	}
	return words;
}

int
search_ticket_number(const char *q, int64_t *number)
{
	while (*q == ' ')
		q++;
	if (*q == '#')
		q++;
	int64_t v = 0;
	int digits = 0;
	for (; *q >= '0' && *q <= '9'; q++)
		if (++digits > 12)
			return 0;
		else
			v = v * 10 + (*q - '0');
	while (*q == ' ')
		q++;
	if (digits == 0 || *q || v == 0)
		return 0;
	*number = v;
	return 1;
}

/* 1 when every word of want begins one of the words of have. */
static int
words_begin(const char *const *want, int nwant, const char *const *have,
            int nhave)
{
	for (int i = 0; i < nwant; i++) {
		int found = 0;
		for (int j = 0; j < nhave && !found; j++)
			found = strncmp(have[j], want[i], strlen(want[i])) == 0;
		if (!found)
			return 0;
	}
	return 1;
}

/* Cuts folded text in place into up to max words (as search_words()). */
static int
cut_words(char *s, const char **w, int max)
{
	int n = 0;
	while (*s && n < max) {
		while (*s && !is_word_byte((unsigned char)*s))
			s++;
		char *start = s;
		while (*s && is_word_byte((unsigned char)*s))
			s++;
		if (s == start)
			break;
		if (*s)
			*s++ = '\0';
		w[n++] = start;
	}
	return n;
}

enum store_rc
search_clients(struct store *db, const char *q, int64_t *ids, int max, int *n)
{
	char folded[SEARCH_QUERY_MAX], name[1024];
	const char *w[SEARCH_MAX_WORDS], *nw[64];
	size_t longest = 0;
	*n = 0;
	int words = search_words(q, folded, sizeof folded, w);
	for (int i = 0; i < words; i++)
		if (strlen(w[i]) > longest)
			longest = strlen(w[i]);
	if (words <= 0 || longest < 3)
		return STORE_OK;
	struct store_rows *r;
	enum store_rc rc = store_query(
	    db, "SELECT id, name || ' ' || domain FROM clients ORDER BY id",
	    STORE_NO_PARAMS, &r);
	if (rc != STORE_OK)
		return rc;
	while ((rc = store_next(r)) == STORE_ROW) {
		if (search_fold(store_text(r, 1), name, sizeof name) != 0)
			continue;
		int nn = cut_words(name, nw, 64);
		if (words_begin(w, words, nw, nn) && *n < max)
			ids[(*n)++] = store_int(r, 0);
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

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

enum store_rc
search_fts_query(struct store *db, const char *text, struct buf *out)
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

/* SQLite, by deadline: reads the doc ids matching query (visible ones
 * only) once, counting them. Few: the query gets an "id IN (matches)"
 * clause and *set stays empty. Many: *set holds the matching tickets and
 * the caller tests rows against it while it walks tickets in order. */
enum store_rc
search_add_text_sqlite(struct store *db, struct sql_query *q,
                       const char *query, int internal, struct tset *set)
{
	struct sql_query m = {.sql = BUF_INIT(4096)};
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
	sql_add(&m, "SELECT rowid >> 32 FROM search_fts WHERE "
	            "search_fts MATCH ? AND " SQ_VISIBLE,
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
		sql_add(q,
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
/* *few: the client has at most SEARCH_CLIENT_FEW tickets below id before. */
enum store_rc
search_client_few(struct store *db, int64_t client_id, int64_t before, int *few)
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

enum store_rc
search_add_text_pg(struct store *db, struct sql_query *q, const char *query,
                   int internal)
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
		sql_add(q,
		        " AND EXISTS (SELECT 1 FROM search_docs s WHERE s.ticket_id = "
		        "t.id AND " PG_MATCH " OFFSET 0)",
		        2, SP_T(query), SP_I(internal));
	else
		sql_add(q,
		        " AND t.id = ANY (ARRAY(SELECT s.ticket_id FROM search_docs s "
		        "WHERE " PG_MATCH "))",
		        2, SP_T(query), SP_I(internal));
	return STORE_OK;
}
