/*
 * triage_corpus.c - a labelled corpus of mail (see triage_corpus.h).
 */
#include "app/intake/triage_corpus.h"
#include "app/intake/triage_mail.h"
#include "app/base/csvfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct load {
	const char *dir;
	struct triage_corpus *c;
	size_t cap;
	int col_file, col_sev, col_cat, col_prod, col_kind;
	int have_header;
	char *err;
	size_t errlen;
};

static int
grow(struct load *L)
{
	struct triage_corpus *c = L->c;
	if (c->n < L->cap)
		return 0;
	size_t cap = L->cap ? 2 * L->cap : 128;
	struct triage_example *ex = realloc(c->ex, cap * sizeof *ex);
	if (ex)
		c->ex = ex;
	char **file = ex ? realloc(c->file, cap * sizeof *file) : NULL;
	if (file)
		c->file = file;
	struct triage_doc **doc = file ? realloc(c->doc, cap * sizeof *doc)
	                               : NULL;
	if (doc == NULL)
		return -1;
	c->doc = doc;
	L->cap = cap;
	return 0;
}

static int
row(char **f, int n, long line, void *user)
{
	struct load *L = user;
	if (!L->have_header) {
		L->col_file = csv_column(f, n, "file");
		L->col_sev = csv_column(f, n, "severity");
		L->col_cat = csv_column(f, n, "category");
		L->col_prod = csv_column(f, n, "product");
		L->col_kind = csv_column(f, n, "expected_kind");
		L->have_header = 1;
		if (L->col_file < 0 || L->col_sev < 0 || L->col_cat < 0) {
			snprintf(L->err, L->errlen, "line %ld: the header must name the "
			         "columns file, severity and category", line);
			return 1;
		}
		return 0;
	}
	if (L->col_kind >= 0 && (L->col_kind >= n ||
	                         strcmp(f[L->col_kind], "new_ticket") != 0))
		return 0;
	if (L->col_file >= n || L->col_sev >= n || L->col_cat >= n) {
		snprintf(L->err, L->errlen, "line %ld: missing columns", line);
		return 1;
	}
	const char *name = f[L->col_file], *sev = f[L->col_sev],
	           *cat = f[L->col_cat];
	int s = (sev[0] >= '1' && sev[0] <= '4' && sev[1] == '\0') ?
	        sev[0] - '0' : 0;
	int c = triage_category_parse(cat);
	if ((sev[0] && s == 0) || (cat[0] && c < 0) || name[0] == '\0' ||
	    name[0] == '.' || strchr(name, '/')) {
		snprintf(L->err, L->errlen, "line %ld: bad file name, severity (1-4) "
		         "or category", line);
		return 1;
	}
	const char *prod = L->col_prod >= 0 && L->col_prod < n ?
	                   f[L->col_prod] : NULL;
	if (grow(L) != 0) {
		snprintf(L->err, L->errlen, "out of memory");
		return 1;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", L->dir, name);
	struct triage_corpus *co = L->c;
	struct triage_doc *d;
	char why[512];
	if (triage_doc_load(path, prod && *prod ? prod : NULL, &d, why,
	                    sizeof why) != 0) {
		snprintf(L->err, L->errlen, "line %ld: %s", line, why);
		return 1;
	}
	co->file[co->n] = strdup(name);
	if (co->file[co->n] == NULL) {
		triage_doc_free(d);
		snprintf(L->err, L->errlen, "out of memory");
		return 1;
	}
	co->doc[co->n] = d;
	co->ex[co->n].in = *triage_doc_input(d);
	co->ex[co->n].severity = s;
	co->ex[co->n].category = c;
	co->n++;
	return 0;
}

int
triage_corpus_load(const char *labels, const char *dir,
                   struct triage_corpus *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	FILE *f = fopen(labels, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", labels, strerror(errno));
		return -1;
	}
	struct load L = {.dir = dir, .c = out, .err = err, .errlen = errlen};
	char cerr[256];
	err[0] = '\0';
	int rc = csv_read(f, row, &L, cerr, sizeof cerr);
	fclose(f);
	if (rc == -1)
		snprintf(err, errlen, "%s: %s", labels, cerr);
	else if (rc != 0) {
		char tmp[512];
		snprintf(tmp, sizeof tmp, "%s", err);
		snprintf(err, errlen, "%s: %s", labels, tmp);
	} else if (!L.have_header) {
		snprintf(err, errlen, "%s: empty file", labels);
		rc = -1;
	}
	if (rc != 0) {
		triage_corpus_free(out);
		return -1;
	}
	return 0;
}

void
triage_corpus_free(struct triage_corpus *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->file[i]);
		triage_doc_free(c->doc[i]);
	}
	free(c->ex);
	free(c->file);
	free(c->doc);
	memset(c, 0, sizeof *c);
}
