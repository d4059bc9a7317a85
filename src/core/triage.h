/*
 * triage.h - issue 17: propose a severity (1-4) and a category from a mail,
 * explained, with a confidence, by a model learnt from labelled mail and
 * seeded with the policy's own definitions (docs/triage.md).
 *
 * The model is a naive Bayes (one class against the rest) over binary
 * features a reader understands: Spanish-stemmed words and word pairs of
 * the subject and body, words of the subject on their own, a subject in
 * capitals, attachment extensions (the product type is read but, measured,
 * not used: docs/triage.md).
 * The policy's definitions of each severity, exclusion and category
 * (struct triage_policy_seed) are pseudo-examples every model starts from,
 * so a model trained on no mail at all still proposes something sensible.
 * A category whose severity the policy fixes (usage questions and changes
 * 3, suggestions 4) gives that severity; other categories (incidents and
 * the exclusions) take the severity the words say.
 *
 * When the severity's confidence is under the caller's threshold (the
 * policy's [triage] confidence_percent), triage_classify() proposes the
 * more urgent of the two likeliest severities and flags the result for a
 * consultant (R6: when unsure, the shorter deadline, never a longer one).
 * An excluded category is only ever a proposal.
 *
 * Pure: no I/O, no clock, no global state that changes. A model is
 * read-only once built, so threads may share one. The text of a model
 * (triage_model_serialize) is versioned and deterministic: the same
 * training gives the same text and the same triage_model_version().
 */
#ifndef SOPORTE_CORE_TRIAGE_H
#define SOPORTE_CORE_TRIAGE_H

#include "core/policy.h"

#include <stdbool.h>
#include <stddef.h>

enum triage_category {
	TRIAGE_INCIDENT,
	TRIAGE_CHANGE_REQUEST,
	TRIAGE_QUESTION,
	TRIAGE_SUGGESTION,
	TRIAGE_EXCLUDED_TRAINING,
	TRIAGE_EXCLUDED_THIRD_PARTY,
	TRIAGE_EXCLUDED_CONSULTING,
	TRIAGE_NCATEGORIES
};

#define TRIAGE_SEVERITIES 4

/* "incident", "change_request", ... (the labels of the shared corpus's
 * labels.csv); NULL for a value out of range. */
const char *triage_category_name(enum triage_category c);
/* The category of that name, or -1. */
int triage_category_parse(const char *name);
/* Whether the category is one of the policy's exclusions (R5). */
bool triage_category_excluded(int category);

/* What the classifier reads of one mail. Every pointer may be NULL. */
struct triage_input {
	const char *subject;
	const char *body;   /* quoted history and signature already stripped
	                       by the caller (text of the HTML when only HTML) */
	const char *const *attachment_names;
	size_t nattachments;
	const char *product_type; /* policy product key, "" or NULL: unknown */
	const char *client;       /* kept for the caller; not a feature (a
	                             client's name would be memorised) */
};

struct triage_example {
	struct triage_input in;
	int severity; /* 1-4, 0 = unknown */
	int category; /* enum triage_category, -1 = unknown */
};

/* The policy's definitions, the model's starting point. Texts are UTF-8,
 * any language (both of the policy's are joined); the keyword phrases are
 * in the texts too. A category's severity is
 * the one the policy gives it (0: the words decide). */
#define TRIAGE_SEED_TEXT 2048
struct triage_policy_seed {
	char severity_text[TRIAGE_SEVERITIES][TRIAGE_SEED_TEXT]; /* [0] = 1 */
	char category_text[TRIAGE_NCATEGORIES][TRIAGE_SEED_TEXT];
	/* Comma-separated phrases that say a class ("no funciona", "curso"):
	 * a mail using any of them has that class's cue feature. */
	char severity_keywords[TRIAGE_SEVERITIES][TRIAGE_SEED_TEXT];
	char category_keywords[TRIAGE_NCATEGORIES][TRIAGE_SEED_TEXT];
	int category_severity[TRIAGE_NCATEGORIES];
	int weight; /* how many examples one definition counts for (>= 1) */
};

/* The seed from a policy: its severities' and exclusions' descriptions,
 * keywords and the [triage.*] category definitions. */
void triage_seed_from_policy(const struct policy *p,
                             struct triage_policy_seed *out);

struct triage_model; /* opaque */

/* Learns a model from the seed (NULL: none) and n examples (an example's
 * unknown labels teach nothing about them). Returns 0, or -1 when memory
 * ran out (*out is then NULL). */
int triage_train(const struct triage_policy_seed *seed,
                 const struct triage_example *ex, size_t n,
                 struct triage_model **out);

/* The model as text ("soporte-triage-model 1" and one line per feature),
 * malloc'd, NUL-terminated; 0, or -1 when memory ran out. */
int triage_model_serialize(const struct triage_model *m, char **text,
                           size_t *len);
/* A model from that text; 0, or -1 when the text is not one (or memory ran
 * out). */
int triage_model_parse(const char *text, size_t len,
                       struct triage_model **out);
/* The SHA-256 (hex) of the model's text: the same model, the same id. */
const char *triage_model_version(const struct triage_model *m);
/* Examples the model learnt from (the seed not counted). */
size_t triage_model_examples(const struct triage_model *m);
void triage_model_free(struct triage_model *m);

#define TRIAGE_REASONS 8
#define TRIAGE_REASON_LEN 80
struct triage_result {
	int severity;               /* 1-4: the proposal (raised when flagged) */
	double severity_confidence; /* 0-1: the model's probability of the
	                               likeliest severity */
	int category;               /* enum triage_category */
	double category_confidence;
	bool flagged;               /* below threshold: severity raised, a
	                               consultant must look */
	int model_severity;         /* the likeliest severity before raising */
	char reasons[TRIAGE_REASONS][TRIAGE_REASON_LEN]; /* weightiest first */
	size_t nreasons;
	char model_version[65];
};

/* Classifies one mail. threshold in [0, 1]: a severity confidence under it
 * flags the result and proposes the more urgent of the two likeliest
 * severities. Never fails: an empty mail gets the priors' answer. */
void triage_classify(const struct triage_model *m,
                     const struct triage_input *in, double threshold,
                     struct triage_result *out);

#endif
