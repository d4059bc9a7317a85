/*
 * triage_internal.h - what triage.c, triage_text.c and triage_io.c share:
 * the features of one text (triage_text.c) and the model's tables.
 * Not for use outside src/core/triage*.c.
 */
#ifndef SOPORTE_CORE_TRIAGE_INTERNAL_H
#define SOPORTE_CORE_TRIAGE_INTERNAL_H

#include "core/triage.h"

#include <stdint.h>

#define TX_NAME 52      /* a feature's name: "w:caid", "b:no_funcion" */
#define TX_WORD 40      /* the words a reader is shown for it */
#define TX_MAX_FEATS 2048   /* distinct features of one mail */
#define TX_BODY_MAX (32 * 1024) /* body bytes read: the start says it */

/* The distinct features of one mail (each counts once: binary). */
struct tx_feats {
	size_t n;
	char name[TX_MAX_FEATS][TX_NAME];
	char word[TX_MAX_FEATS][TX_WORD];
	uint32_t hash[TX_MAX_FEATS];
	uint16_t slot[2 * TX_MAX_FEATS]; /* index + 1, open addressing */
	/* The stems of this mail's words so far: a word said twice is
	 * stemmed once (the stemmer is most of the cost). */
	struct {
		char word[24], stem[24];
	} stems[512];
};

/* The policy's keyword phrases ("no funciona", "todos los usuarios"), as
 * stems joined by '_' (one to three of them): a mail that says one has
 * the cue feature of its classes, k:s1 .. k:s4 or k:CATEGORY, whichever
 * of the phrases it used. Bit j of classes: severity j + 1 for j < 4,
 * category j - 4 after. */
#define TX_CUE_CLASSES (TRIAGE_SEVERITIES + TRIAGE_NCATEGORIES)
struct tx_cue {
	char *stems;
	uint32_t hash;
	uint32_t classes;
};
struct tx_cues {
	struct tx_cue *v;
	size_t n, cap;
	uint32_t *slots;  /* index + 1 by hash */
	size_t nslots;
};

struct sb_stemmer;
/* Adds the phrases of a comma-separated list for class bit cls; 0 or -1
 * (memory). */
int tx_cues_add_list(struct tx_cues *c, struct sb_stemmer *stem,
                     const char *list, int cls);
/* Adds (or merges) one phrase; 0 or -1 (memory). */
int tx_cue_put(struct tx_cues *c, const char *stems, uint32_t classes);
const struct tx_cue *tx_cue_find(const struct tx_cues *c, const char *stems);
/* Sorts the phrases by their stems (a model's text is deterministic). */
int tx_cues_sort(struct tx_cues *c);
void tx_cues_free(struct tx_cues *c);

/* Fills f (cleared first) from the input; stem is a Spanish Snowball
 * stemmer of the caller's (it is not thread-safe); cues may be NULL. */
void tx_features(struct sb_stemmer *stem, const struct tx_cues *cues,
                 const struct triage_input *in, struct tx_feats *f);
/* From free text alone (the seed's definitions). */
void tx_features_text(struct sb_stemmer *stem, const struct tx_cues *cues,
                      const char *text, struct tx_feats *f);
struct sb_stemmer *tx_stemmer_new(void);
void tx_stemmer_free(struct sb_stemmer *s);
uint32_t tx_hash(const char *s);

/* One feature of the model: how many examples of each class had it. */
struct tm_feat {
	char *name;
	uint32_t hash;
	uint32_t sev[TRIAGE_SEVERITIES];
	uint32_t cat[TRIAGE_NCATEGORIES];
	/* What it adds to each class's score (tm_finish): the log of its
	 * probability in the class over that in the other classes; 0 for a
	 * classifier none of whose classes has seen it. */
	float wsev[TRIAGE_SEVERITIES];
	float wcat[TRIAGE_NCATEGORIES];
};

#define TRIAGE_MODEL_FORMAT 1

struct triage_model {
	uint32_t alpha_milli;               /* Laplace smoothing x 1000 */
	uint32_t sev_docs[TRIAGE_SEVERITIES];  /* examples (priors) */
	uint32_t cat_docs[TRIAGE_NCATEGORIES];
	uint64_t sev_tot[TRIAGE_SEVERITIES];   /* sum of feature counts */
	uint64_t cat_tot[TRIAGE_NCATEGORIES];
	int cat_severity[TRIAGE_NCATEGORIES];  /* fixed by the policy, or 0 */
	size_t nexamples;
	struct tx_cues cues;                /* the policy's phrases */
	struct tm_feat *feat;               /* sorted by name */
	size_t nfeat, capfeat;
	uint32_t *slots;                    /* index + 1 by hash */
	size_t nslots;
	char version[65];
};

/* The feature of that name, or NULL. */
const struct tm_feat *tm_find(const struct triage_model *m, const char *name,
                              uint32_t hash);
/* The feature of that name, added with zero counts when new; NULL when
 * memory ran out. */
struct tm_feat *tm_add(struct triage_model *m, const char *name,
                       uint32_t hash);
/* Builds the hash index, the totals and the weights, sorts, computes the
 * version;
 * 0 or -1 (memory). */
int tm_finish(struct triage_model *m);

#endif
