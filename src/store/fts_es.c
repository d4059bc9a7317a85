/*
 * fts_es.c - the "soporte_es" FTS5 tokenizer (see fts_es.h).
 */
#ifdef SOPORTE_FTS_EXTENSION
/* Built as a loadable extension: SQLite's functions come from the host. */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#endif
#include "store/fts_es.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The stems of recent words, by a hash of the word: a desk's text is
 * mostly the same few hundred words ("de", "la", "problema"), and the
 * stemmer was a third of the cost of indexing a message (it runs twice:
 * the FTS table, then soporte_terms() for search_terms). */
#define STEM_SLOTS 1024
#define STEM_BYTES 24   /* longer words are stemmed every time */

struct stem_slot {
	unsigned char word_len, stem_len;   /* word_len 0: empty */
	char word[STEM_BYTES], stem[STEM_BYTES];
};

struct es_tokenizer {
	fts5_tokenizer inner_api;      /* unicode61's functions */
	Fts5Tokenizer *inner;          /* and its instance */
	struct sb_stemmer *stemmer;    /* one per instance: not thread-safe */
	struct stem_slot stems[STEM_SLOTS];
};

struct es_call {
	struct es_tokenizer *tok;
	void *ctx;
	int (*emit)(void *, int, const char *, int, int, int);
};

static int
es_create(void *api_ptr, const char **argv, int argc, Fts5Tokenizer **out)
{
	fts5_api *api = api_ptr;
	(void)argv;
	void *inner_ctx = NULL;
	struct es_tokenizer *t = calloc(1, sizeof *t);
	if (t == NULL)
		return SQLITE_NOMEM;
	int rc = api->xFindTokenizer(api, "unicode61", &inner_ctx, &t->inner_api);
	if (rc == SQLITE_OK) {
		/* Our own options are fixed; the table's are refused rather
		 * than half-honoured. */
		static const char *fold[] = {"remove_diacritics", "2"};
		rc = argc ? SQLITE_ERROR
		          : t->inner_api.xCreate(inner_ctx, fold, 2, &t->inner);
	}
	if (rc == SQLITE_OK) {
		t->stemmer = sb_stemmer_new("spanish", "UTF_8");
		if (t->stemmer == NULL)
			rc = SQLITE_NOMEM;
	}
	if (rc != SQLITE_OK) {
		if (t->inner)
			t->inner_api.xDelete(t->inner);
		free(t);
		return rc;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void
es_delete(Fts5Tokenizer *p)
{
	struct es_tokenizer *t = (struct es_tokenizer *)p;
	t->inner_api.xDelete(t->inner);
	sb_stemmer_delete(t->stemmer);
	free(t);
}

static int
es_stem(void *p, int flags, const char *word, int len, int start, int end)
{
	struct es_call *c = p;
	struct stem_slot *slot = NULL;
	if (len > 0 && len < STEM_BYTES) {
		uint32_t h = 2166136261u;   /* FNV-1a */
		for (int i = 0; i < len; i++)
			h = (h ^ (unsigned char)word[i]) * 16777619u;
		slot = &c->tok->stems[h % STEM_SLOTS];
		if (slot->word_len == len && memcmp(slot->word, word, len) == 0)
			return c->emit(c->ctx, flags, slot->stem, slot->stem_len,
			               start, end);
	}
	const sb_symbol *stem =
	    sb_stemmer_stem(c->tok->stemmer, (const sb_symbol *)word, len);
	if (stem == NULL)
		return SQLITE_NOMEM;
	int n = sb_stemmer_length(c->tok->stemmer);
	if (slot && n < STEM_BYTES) {
		slot->word_len = (unsigned char)len;
		slot->stem_len = (unsigned char)n;
		memcpy(slot->word, word, len);
		memcpy(slot->stem, stem, n);
	}
	return c->emit(c->ctx, flags, (const char *)stem, n, start, end);
}

static int
es_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int len,
            int (*emit)(void *, int, const char *, int, int, int))
{
	struct es_tokenizer *t = (struct es_tokenizer *)p;
	struct es_call c = {t, ctx, emit};
	return t->inner_api.xTokenize(t->inner, &c, flags, text, len, es_stem);
}

/* The FTS5 API of this connection, as SQLite's documentation asks for it. */
static fts5_api *
fts5_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
	}
	sqlite3_finalize(st);
	return api;
}

/* soporte_term(text): the first term the tokenizer makes of text, as
 * the index holds it (NULL when none), for code that looks terms up in
 * the index's vocabulary. */
static int
first_term(void *p, int flags, const char *term, int len, int start, int end)
{
	(void)flags, (void)start, (void)end;
	sqlite3_result_text(p, term, len, SQLITE_TRANSIENT);
	return SQLITE_DONE;   /* one is enough: stop */
}

static void
term_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	if (text == NULL)
		return;   /* NULL in, NULL out */
	int rc = es_tokenize(sqlite3_user_data(ctx), ctx, FTS5_TOKENIZE_QUERY,
	                     text, sqlite3_value_bytes(argv[0]), first_term);
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		sqlite3_result_error_code(ctx, rc);
}

/* soporte_terms(text): every term the tokenizer makes of text, as the
 * index holds them, as a JSON array (repeats included; NULL in, NULL
 * out), for the triggers that keep search_terms
 * (0100_search_terms.sql) with json_each(). */
static int
add_term(void *p, int flags, const char *term, int len, int start, int end)
{
	sqlite3_str *s = p;
	(void)flags, (void)start, (void)end;
	if (sqlite3_str_length(s) > 1)   /* after "[" */
		sqlite3_str_appendchar(s, 1, ',');
	sqlite3_str_appendchar(s, 1, '"');
	/* unicode61 makes terms of letters and digits only: the escapes
	 * keep the array valid whatever it makes. */
	for (int i = 0; i < len; i++) {
		unsigned char c = (unsigned char)term[i];
		if (c < 0x20 || c == '"' || c == '\\')
			sqlite3_str_appendf(s, "\\u%04x", c);
		else
			sqlite3_str_appendchar(s, 1, (char)c);
	}
	sqlite3_str_appendchar(s, 1, '"');
	return SQLITE_OK;
}

static void
terms_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	if (text == NULL)
		return;
	sqlite3_str *s = sqlite3_str_new(sqlite3_context_db_handle(ctx));
	sqlite3_str_appendchar(s, 1, '[');
	int rc = es_tokenize(sqlite3_user_data(ctx), s, FTS5_TOKENIZE_DOCUMENT,
	                     text, sqlite3_value_bytes(argv[0]), add_term);
	sqlite3_str_appendchar(s, 1, ']');
	if (rc == SQLITE_OK)
		rc = sqlite3_str_errcode(s);
	int n = sqlite3_str_length(s);
	char *json = sqlite3_str_finish(s);
	if (rc == SQLITE_OK) {
		sqlite3_result_text(ctx, json, n, sqlite3_free);
	} else {
		sqlite3_free(json);
		sqlite3_result_error_code(ctx, rc);
	}
}

static void
term_free(void *p)
{
	es_delete(p);
}

int
fts_es_register(sqlite3 *db)
{
	fts5_api *api = fts5_of(db);
	if (api == NULL || api->iVersion < 2)
		return SQLITE_ERROR;
	fts5_tokenizer methods = {es_create, es_delete, es_tokenize};
	int rc = api->xCreateTokenizer(api, "soporte_es", api, &methods, NULL);
	/* The function has its own tokenizer (and stemmer): a connection
	 * is used by one thread at a time, and so is it. */
	Fts5Tokenizer *tok = NULL;
	if (rc == SQLITE_OK)
		rc = es_create(api, NULL, 0, &tok);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(db, "soporte_term", 1,
		                                SQLITE_UTF8 | SQLITE_DETERMINISTIC,
		                                tok, term_fn, NULL, NULL, term_free);
	/* The same tokenizer, owned by soporte_term. */
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function_v2(db, "soporte_terms", 1,
		                                SQLITE_UTF8 | SQLITE_DETERMINISTIC,
		                                tok, terms_fn, NULL, NULL, NULL);
	return rc;
}

#ifdef SOPORTE_FTS_EXTENSION
int sqlite3_soportefts_init(sqlite3 *db, char **err,
                            const sqlite3_api_routines *api);

int
sqlite3_soportefts_init(sqlite3 *db, char **err,
                        const sqlite3_api_routines *api)
{
	(void)err;
	SQLITE_EXTENSION_INIT2(api);
	return fts_es_register(db);
}
#endif
