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
 * The product type is not a feature: on the shared corpus it made the
 * cross-validated numbers worse (a product tends to be one client's: it
 * memorises), docs/triage.md.
 * Each keeps the words as written (the first time seen) for the reasons.
 * Only the first TX_BODY_MAX bytes of the body are read.
 */
#include "core/triage_internal.h"

#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Function words (folded), in byte order for bsearch(). Negations and
 * quantities are kept. */
static const char *const stopwords[] = {
	"a", "al", "algo", "an", "and", "ante", "antes", "aqui", "are", "as",
	"asi", "at", "atentamente", "be", "best", "buenas", "buenos", "by",
	"cada", "como", "con", "cordialmente", "cual", "de", "dear", "del",
	"desde", "dias", "donde", "e", "el", "ella", "ellos", "en", "entre", "es",
	"esa", "ese", "eso", "esta", "estan", "estas", "este", "estimada",
	"estimado", "estimados", "esto", "estos", "favor", "for", "from", "fue",
	"gracias", "ha", "han", "has", "have", "hay", "hello", "hi", "hola", "i",
	"in", "is", "it", "its", "la", "las", "le", "les", "lo", "los", "me",
	"mi", "mis", "muy", "nos", "o", "of", "on", "or", "our", "para", "pero",
	"please", "por", "que", "regards", "saludos", "se", "ser", "si", "sobre",
	"son", "su", "sus", "tambien", "tardes", "te", "thank", "thanks", "that",
	"the", "this", "tiene", "to", "u", "un", "una", "unas", "uno", "unos",
	"was", "we", "were", "with", "y", "ya", "yo", "you", "your",
};

static int
word_cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

static int
is_stopword(const char *w)
{
	return bsearch(w, stopwords, sizeof stopwords / sizeof stopwords[0],
	               sizeof stopwords[0], word_cmp) != NULL;
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
	size_t nl = strnlen(name, TX_NAME - 1);
	memcpy(f->name[k], name, nl);
	f->name[k][nl] = '\0';
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
	const struct tx_cues *cues; /* or NULL */
	const char *prefix;        /* "s:" for the subject, or NULL */
	char prev_stem[24];        /* the last word's, for pairs */
	char prev_word[TX_WORD];
	char prev2_stem[24];       /* the one before, for three-word phrases */
	char prev2_word[TX_WORD];
};

/* The cue features of the phrase `stems` (written `words`), if the
 * policy has it. */
static void
cue_take(struct tx_stream *st, const char *stems, const char *words)
{
	const struct tx_cue *c = tx_cue_find(st->cues, stems);
	for (int j = 0; c && j < TX_CUE_CLASSES; j++) {
		if (!(c->classes & (1u << j)))
			continue;
		char name[TX_NAME];
		if (j < TRIAGE_SEVERITIES)
			snprintf(name, sizeof name, "k:s%d", j + 1);
		else
			snprintf(name, sizeof name, "k:%s", triage_category_name(
			    (enum triage_category)(j - TRIAGE_SEVERITIES)));
		feat_add(st->f, name, words);
	}
}

/* dst = a b c, cut to cap - 1 bytes on a character boundary (the hot
 * path: no printf). */
static void
join3(char *dst, size_t cap, const char *a, const char *b, const char *c)
{
	const char *part[3] = {a, b, c};
	size_t n = 0;
	for (int i = 0; i < 3; i++) {
		size_t l = strlen(part[i]);
		if (l > cap - 1 - n)
			l = cap - 1 - n;
		memcpy(dst + n, part[i], l);
		n += l;
	}
	if (n == cap - 1)
		while (n > 0 && ((unsigned char)dst[n] & 0xC0) == 0x80)
			n--;
	dst[n] = '\0';
}

/* One folded word `w` (written `surf` of surflen bytes). */
static void
word_take(struct tx_stream *st, const char *w, const char *surf,
          size_t surflen)
{
	size_t wl = strlen(w);
	if (wl < 2 || wl > 30 || strspn(w, "0123456789") == wl ||
	    is_stopword(w))
		return; /* pairs skip it: "se cayó el sistema" pairs cay_sistem */
	char stem[24];
	size_t nslot = sizeof st->f->stems / sizeof st->f->stems[0];
	size_t at = tx_hash(w) & (nslot - 1);
	if (wl < sizeof stem && strcmp(st->f->stems[at].word, w) == 0)
		memcpy(stem, st->f->stems[at].stem, sizeof stem);
	else {
		const sb_symbol *s = sb_stemmer_stem(st->stem, (const sb_symbol *)w,
		                                     (int)wl);
		int sl = s ? sb_stemmer_length(st->stem) : 0;
		if (sl <= 0 || sl >= (int)sizeof stem)
			join3(stem, sizeof stem, w, "", "");
		else {
			memcpy(stem, s, (size_t)sl);
			stem[sl] = '\0';
		}
		if (wl < sizeof stem) {
			memcpy(st->f->stems[at].word, w, wl + 1);
			memcpy(st->f->stems[at].stem, stem, sizeof stem);
		}
	}
	char word[TX_WORD], surfz[TX_WORD + 4];
	size_t cut = surflen < sizeof surfz - 1 ? surflen : sizeof surfz - 1;
	memcpy(surfz, surf, cut);
	surfz[cut] = '\0';
	join3(word, sizeof word, surfz, "", "");
	char name[TX_NAME];
	join3(name, sizeof name, "w:", stem, "");
	feat_add(st->f, name, word);
	if (st->prefix) {
		join3(name, sizeof name, st->prefix, stem, "");
		feat_add(st->f, name, word);
	}
	if (st->cues && st->cues->n)
		cue_take(st, stem, word);
	if (st->prev_stem[0]) {
		char pair[TX_WORD * 2 + 2];
		join3(name, sizeof name, "b:", st->prev_stem, "_");
		join3(name + strlen(name), sizeof name - strlen(name), stem, "", "");
		join3(pair, sizeof pair, st->prev_word, " ", word);
		feat_add(st->f, name, pair);
		if (st->cues && st->cues->n) {
			cue_take(st, name + 2, pair);
			if (st->prev2_stem[0]) {
				char stems[80], words[TX_WORD * 3 + 3];
				join3(stems, sizeof stems, st->prev2_stem, "_", name + 2);
				join3(words, sizeof words, st->prev2_word, " ", pair);
				cue_take(st, stems, words);
			}
		}
	}
	memcpy(st->prev2_stem, st->prev_stem, sizeof stem);
	memcpy(st->prev2_word, st->prev_word, sizeof word);
	memcpy(st->prev_stem, stem, sizeof stem);
	memcpy(st->prev_word, word, sizeof word);
}

/* Words of text[0, len): letters (ASCII and Latin-1, folded) and digits. */
static void
text_take(struct tx_stream *st, const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	char w[32];
	size_t wl = 0, start = 0;
	int too_long = 0;
	st->prev_stem[0] = st->prev2_stem[0] = '\0';
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
			st->prev_stem[0] = st->prev2_stem[0] = '\0';
		wl = 0;
		too_long = 0;
		i += adv;
		/* A punctuation mark ends a phrase: no pair across it. */
		if (c == '.' || c == ',' || c == ';' || c == ':' || c == '?' ||
		    c == '!' || c == '\n' || c == '(' || c == ')')
			st->prev_stem[0] = st->prev2_stem[0] = '\0';
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
	for (size_t i = 0; i < sizeof f->stems / sizeof f->stems[0]; i++)
		f->stems[i].word[0] = '\0';
}

void
tx_features_text(struct sb_stemmer *stem, const struct tx_cues *cues,
                 const char *text, struct tx_feats *f)
{
	clear(f);
	struct tx_stream st = {.stem = stem, .f = f, .cues = cues};
	if (text)
		text_take(&st, text, strlen(text));
}

void
tx_features(struct sb_stemmer *stem, const struct tx_cues *cues,
            const struct triage_input *in, struct tx_feats *f)
{
	clear(f);
	struct tx_stream st = {.stem = stem, .f = f, .cues = cues};
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
}

/* ---- the policy's phrases -------------------------------------------- */

const struct tx_cue *
tx_cue_find(const struct tx_cues *c, const char *stems)
{
	if (c == NULL || c->nslots == 0)
		return NULL;
	uint32_t h = tx_hash(stems);
	for (size_t i = h & (c->nslots - 1); c->slots[i];
	     i = (i + 1) & (c->nslots - 1)) {
		const struct tx_cue *e = &c->v[c->slots[i] - 1];
		if (e->hash == h && strcmp(e->stems, stems) == 0)
			return e;
	}
	return NULL;
}

static int
cues_index(struct tx_cues *c)
{
	size_t n = 16;
	while (n < 2 * c->n + 2)
		n *= 2;
	uint32_t *s = calloc(n, sizeof *s);
	if (s == NULL)
		return -1;
	for (size_t k = 0; k < c->n; k++) {
		size_t i = c->v[k].hash & (n - 1);
		while (s[i])
			i = (i + 1) & (n - 1);
		s[i] = (uint32_t)(k + 1);
	}
	free(c->slots);
	c->slots = s;
	c->nslots = n;
	return 0;
}

int
tx_cue_put(struct tx_cues *c, const char *stems, uint32_t classes)
{
	struct tx_cue *e = (struct tx_cue *)tx_cue_find(c, stems);
	if (e) {
		e->classes |= classes;
		return 0;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		struct tx_cue *v = realloc(c->v, cap * sizeof *v);
		if (v == NULL)
			return -1;
		c->v = v;
		c->cap = cap;
	}
	char *dup = strdup(stems);
	if (dup == NULL)
		return -1;
	c->v[c->n].stems = dup;
	c->v[c->n].hash = tx_hash(stems);
	c->v[c->n].classes = classes;
	c->n++;
	return cues_index(c);
}

/* Collects a phrase's stems through the same word pipeline. */
struct phrase {
	char stems[80];
	int nstems;
};

int
tx_cues_add_list(struct tx_cues *c, struct sb_stemmer *stem,
                 const char *list, int cls)
{
	const char *p = list;
	while (p && *p) {
		size_t len = strcspn(p, ",");
		struct tx_feats *f = malloc(sizeof *f);
		if (f == NULL)
			return -1;
		clear(f);
		struct tx_stream st = {.stem = stem, .f = f};
		text_take(&st, p, len);
		/* The phrase's stems are its words' features, in order. */
		char stems[80] = "";
		int n = 0;
		for (size_t k = 0; k < f->n; k++)
			if (f->name[k][0] == 'w' && n < 4) {
				size_t l = strlen(stems);
				snprintf(stems + l, sizeof stems - l, "%s%s", n ? "_" : "",
				         f->name[k] + 2);
				n++;
			}
		free(f);
		if (n >= 1 && n <= 3 &&
		    tx_cue_put(c, stems, 1u << cls) != 0)
			return -1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

static int
cue_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tx_cue *)a)->stems,
	              ((const struct tx_cue *)b)->stems);
}

int
tx_cues_sort(struct tx_cues *c)
{
	if (c->n > 1)
		qsort(c->v, c->n, sizeof *c->v, cue_cmp);
	return c->n ? cues_index(c) : 0;
}

void
tx_cues_free(struct tx_cues *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].stems);
	free(c->v);
	free(c->slots);
	memset(c, 0, sizeof *c);
}
