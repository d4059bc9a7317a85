/*
 * docwords.h - the words and strings of a document being laid out
 * (src/render borrows them until it is finished): a phrase book of
 * templates/LANG/BOOK.lines, and formatted strings, all freed at once.
 */
#ifndef SOPORTE_APP_DOCWORDS_H
#define SOPORTE_APP_DOCWORDS_H

#include "app/base/template.h"

#include <stddef.h>

struct docwords {
	const char *lang;       /* "es" or "en" */
	const char *book;       /* the phrase book's name: "sla_report" */
	char **s;               /* what was made, freed by docwords_free() */
	size_t n;
	int bad;                /* out of memory: the document is not made */
};

/* The phrase of key; the key itself, and a warning in the log, when the
 * book lacks it. */
const char *dw_word(struct docwords *w, const char *key);
/* The same with variables. */
const char *dw_phrase(struct docwords *w, const char *key,
                      const struct tvar *vars, size_t nvars);
const char *dw_fmt(struct docwords *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void docwords_free(struct docwords *w);

#endif
