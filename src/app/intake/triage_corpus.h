/*
 * triage_corpus.h - a labelled corpus of mail for the triage model
 * (`soporte triage eval`, the benchmark).
 *
 * The labels file is CSV with a header naming at least the columns file,
 * severity and category (the shared corpus's labels.csv); product and
 * expected_kind are read when present. Only rows whose expected_kind is
 * new_ticket are taken (every row when there is no such column). Each
 * file is read from the mail folder and parsed as triage_mail.h says.
 *
 * SECURITY: the CSV and the mail are untrusted: csvfile.c caps the
 * fields, file names with a '/' or starting with '.' are refused, and the
 * mail parser bounds what it keeps.
 */
#ifndef SOPORTE_APP_INTAKE_TRIAGE_CORPUS_H
#define SOPORTE_APP_INTAKE_TRIAGE_CORPUS_H

#include "core/triage.h"

#include <stddef.h>

struct triage_doc;

struct triage_corpus {
	size_t n;
	struct triage_example *ex;  /* labels: 0 / -1 when unknown */
	char **file;                /* as named in the labels */
	struct triage_doc **doc;
};

/* Returns 0, or -1 with one line in err (the file, the line, why). */
int triage_corpus_load(const char *labels, const char *dir,
                       struct triage_corpus *out, char *err, size_t errlen);
void triage_corpus_free(struct triage_corpus *c);

#endif
