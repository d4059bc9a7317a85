/*
 * triage_text.c - the features of a mail for the triage model.
 *
 * Text is folded (lower case, Latin-1 accents to their base letter: the
 * same words whether the client typed accents or not), cut into words of
 * letters and digits, stripped of the commonest Spanish and English
 * function words (but not of "no", "sin", "todos", "nadie": they carry
 * meaning here), and stemmed with Snowball's Spanish stemmer (libstemmer,
 * as the search does). Features, each counted once per mail:
 *   w:STEM       a word of the subject or the body
 *   b:STEM_STEM  two words in a row ("no funciona", "sistema caído")
 *   s:STEM       a word of the subject (what the client chose to say first)
 *   c:caps       the subject written in capitals
 *   a:EXT        an attachment's extension (".log", ".png")
 *   p:KEY        the product type
 * Each keeps the words as written (the first time seen) for the reasons.
 * Only the first TX_BODY_MAX bytes of the body are read.
 */
#include "core/triage_internal.h"

#include <libstemmer.h>
#include <stdio.h>
#include <string.h>

struct sb_stemmer *
tx_stemmer_new(void)
{
	return sb_stemmer_new("spanish", "UTF_8");
}

void
tx_stemmer_free(struct sb_stemmer *s)
{
	if (s)
		sb_stemmer_delete(s);
}

/* FNV-1a. */
uint32_t
tx_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* Function words (folded). Negations and quantities are kept. */
static const char *const stopwords[] = {
	"al", "algo", "ante", "antes", "aqui", "asi", "cada", "como", "con",
	"cual", "de", "del", "desde", "donde", "e", "el", "ella", "ellos", "en",
	"entre", "es", "esa", "ese", "eso", "esta", "estan", "estas", "este",
	"esto", "estos", "fue", "ha", "han", "hay", "la", "las", "le", "les",
	"lo", "los", "me", "mi", "mis", "muy", "nos", "o", "para", "pero", "por",
	"que", "se", "ser", "si", "sobre", "son", "su", "sus", "tambien", "te",
	"tiene", "u", "un", "una", "uno", "unos", "unas", "y", "ya", "yo",
	"hola", "estimado", "estimados", "estimada", "buenas", "buenos", "dias",
	"tardes", "saludos", "gracias", "atentamente", "cordialmente", "favor",
	"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has",
	"have", "i", "in", "is", "it", "its", "of", "on", "or", "our", "that",
	"the", "this", "to", "was", "we", "were", "with", "you", "your", "hi",
	"hello", "dear", "regards", "thanks", "thank", "please", "best",
	NULL,
};

static int
is_stopword(const char *w)
{
	for (size_t i = 0; stopwords[i]; i++)
		if (strcmp(w, stopwords[i]) == 0)
			return 1;
	return 0;
}

/* The base letter of Latin-1 code point cp (0xC0-0xFF), or 0. */
static char
latin1_base(unsigned cp)
{
	static const char map[] =
	    /* C0 */ "aaaaaa\0ceeeeiiii"
	    /* D0 */ "\0nooooo\0\0uuuuy\0\0"
	    /* E0 */ "aaaaaa\0ceeeeiiii"
	    /* F0 */ "\0nooooo\0\0uuuuy\0y";
	return cp >= 0xC0 && cp <= 0xFF ? map[cp - 0xC0] : 0;
}

static void
feat_add(struct tx_feats *f, const char *name, const char *word)
{
	uint32_t h = tx_hash(name);
	size_t mask = sizeof f->slot / sizeof f->slot[0] - 1;
	size_t i = h & mask;
	while (f->slot[i]) {
		size_t k = f->slot[i] - 1u;
		if (f->hash[k] == h && strcmp(f->name[k], name) == 0)
			return;
		i = (i + 1) & mask;
	}
	if (f->n == TX_MAX_FEATS)
		return;
	size_t k = f->n++;
	snprintf(f->name[k], TX_NAME, "%s", name);
	/* Cut the words on a character boundary. */
	size_t wl = strlen(word);
	if (wl >= TX_WORD) {
		wl = TX_WORD - 1;
		while (wl > 0 && ((unsigned char)word[wl] & 0xC0) == 0x80)
			wl--;
	}
	memcpy(f->word[k], word, wl);
	f->word[k][wl] = '\0';
	f->hash[k] = h;
	f->slot[i] = (uint16_t)(k + 1);
}

struct tx_stream {
	struct sb_stemmer *stem;
	struct tx_feats *f;
	const char *prefix;        /* "s:" for the subject, or NULL */
	char prev_stem[24];        /* the last word's, for pairs */
	char prev_word[TX_WORD];
};

/* One folded word `w` (written `surf` of surflen bytes). */
static void
word_take(struct tx_stream *st, const char *w, const char *surf,
          size_t surflen)
{
	size_t wl = strlen(w);
	if (wl < 2 || wl > 30 || strspn(w, "0123456789") == wl ||
	    is_stopword(w))
		return; /* pairs skip it: "se cayó el sistema" pairs cay_sistem */
	const sb_symbol *s = sb_stemmer_stem(st->stem, (const sb_symbol *)w,
	                                     (int)wl);
	char stem[24];
	int sl = s ? sb_stemmer_length(st->stem) : 0;
	if (sl <= 0 || sl >= (int)sizeof stem)
		snprintf(stem, sizeof stem, "%.23s", w);
	else {
		memcpy(stem, s, (size_t)sl);
		stem[sl] = '\0';
	}
	char word[TX_WORD];
	snprintf(word, sizeof word, "%.*s",
	         (int)(surflen < TX_WORD ? surflen : TX_WORD - 1), surf);
	char name[TX_NAME];
	snprintf(name, sizeof name, "w:%s", stem);
	feat_add(st->f, name, word);
	if (st->prefix) {
		snprintf(name, sizeof name, "%s%s", st->prefix, stem);
		feat_add(st->f, name, word);
	}
	if (st->prev_stem[0]) {
		char pair[TX_WORD * 2 + 2];
		snprintf(name, sizeof name, "b:%s_%s", st->prev_stem, stem);
		snprintf(pair, sizeof pair, "%s %s", st->prev_word, word);
		feat_add(st->f, name, pair);
	}
	snprintf(st->prev_stem, sizeof st->prev_stem, "%s", stem);
	snprintf(st->prev_word, sizeof st->prev_word, "%s", word);
}

/* Words of text[0, len): letters (ASCII and Latin-1, folded) and digits. */
static void
text_take(struct tx_stream *st, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	char w[32];
	size_t wl = 0, start = 0;
	int too_long = 0;
	st->prev_stem[0] = '\0';
	for (size_t i = 0; i <= len; i++) {
		unsigned c = i < len ? s[i] : 0;
		char base = 0;
		size_t adv = 0;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			base = (char)c;
		else if (c >= 'A' && c <= 'Z')
			base = (char)(c - 'A' + 'a');
		else if ((c == 0xC2 || c == 0xC3) && i + 1 < len &&
		         (s[i + 1] & 0xC0) == 0x80) {
			base = latin1_base(((c & 0x1F) << 6) | (s[i + 1] & 0x3F));
			adv = 1;
		}
		if (base) {
			if (wl == 0 && !too_long)
				start = i;
			if (wl + 1 < sizeof w)
				w[wl++] = base;
			else
				too_long = 1;
			i += adv;
			continue;
		}
		if (wl > 0 && !too_long) {
			w[wl] = '\0';
			word_take(st, w, text + start, i - start);
		} else if (too_long)
			st->prev_stem[0] = '\0';
		wl = 0;
		too_long = 0;
		i += adv;
		/* A punctuation mark ends a phrase: no pair across it. */
		if (c == '.' || c == ',' || c == ';' || c == ':' || c == '?' ||
		    c == '!' || c == '\n' || c == '(' || c == ')')
			st->prev_stem[0] = '\0';
	}
}

/* The subject in capitals: four letters or more, nearly all upper case. */
static int
subject_caps(const char *s)
{
	int up = 0, low = 0;
	for (; *s; s++) {
		if (*s >= 'A' && *s <= 'Z')
			up++;
		else if (*s >= 'a' && *s <= 'z')
			low++;
	}
	return up >= 4 && up >= 4 * low;
}

static void
clear(struct tx_feats *f)
{
	f->n = 0;
	memset(f->slot, 0, sizeof f->slot);
}

void
tx_features_text(struct sb_stemmer *stem, const char *text,
                 struct tx_feats *f)
{
	clear(f);
	struct tx_stream st = {.stem = stem, .f = f};
	if (text)
		text_take(&st, text, strlen(text));
}

void
tx_features(struct sb_stemmer *stem, const struct triage_input *in,
            struct tx_feats *f)
{
	clear(f);
	struct tx_stream st = {.stem = stem, .f = f};
	char name[TX_NAME];
	if (in->subject && *in->subject) {
		st.prefix = "s:";
		text_take(&st, in->subject, strnlen(in->subject, TX_BODY_MAX));
		st.prefix = NULL;
		if (subject_caps(in->subject))
			feat_add(f, "c:caps", "SUBJECT IN CAPITALS");
	}
	if (in->body)
		text_take(&st, in->body, strnlen(in->body, TX_BODY_MAX));
	for (size_t i = 0; in->attachment_names && i < in->nattachments; i++) {
		const char *a = in->attachment_names[i];
		const char *dot = a ? strrchr(a, '.') : NULL;
		if (dot == NULL || dot[1] == '\0' || strlen(dot + 1) > 8)
			continue;
		char ext[10];
		size_t n = 0;
		for (const char *p = dot + 1; *p; p++) {
			char c = *p;
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
				n = 0;
				break;
			}
			ext[n++] = c;
		}
		if (n == 0)
			continue;
		ext[n] = '\0';
		snprintf(name, sizeof name, "a:%s", ext);
		char word[TX_WORD];
		snprintf(word, sizeof word, ".%s attachment", ext);
		feat_add(f, name, word);
	}
	if (in->product_type && *in->product_type &&
	    strcmp(in->product_type, "unknown") != 0 &&
	    strlen(in->product_type) < TX_NAME - 3 &&
	    strspn(in->product_type, "abcdefghijklmnopqrstuvwxyz0123456789_") ==
	        strlen(in->product_type)) {
		snprintf(name, sizeof name, "p:%s", in->product_type);
		char word[TX_WORD];
		snprintf(word, sizeof word, "product %s", in->product_type);
		feat_add(f, name, word);
	}
}
