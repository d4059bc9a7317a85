/*
 * docwords.c - a document's words and strings (see docwords.h).
 */
#include "app/base/docwords.h"
#include "util/buf.h"
#include "util/log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *
keep(struct docwords *w, char *s)
{
	char **m = s ? realloc(w->s, (w->n + 1) * sizeof *m) : NULL;
	if (m == NULL) {
		free(s);
		w->bad = 1;
		return "";
	}
	w->s = m;
	w->s[w->n++] = s;
	return s;
}

const char *
dw_fmt(struct docwords *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct buf b = BUF_INIT(4096);
	enum buf_rc rc = buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc != BUF_OK || b.data == NULL) {
		buf_free(&b);
		return keep(w, rc == BUF_OK ? strdup("") : NULL);
	}
	return keep(w, buf_steal(&b));
}

const char *
dw_phrase(struct docwords *w, const char *key, const struct tvar *vars,
          size_t nvars)
{
	char *out = NULL, err[256];
	if (template_phrase(w->lang, w->book, key, vars, nvars, &out, err,
	                    sizeof err) != 0) {
		log_warn("%s: %s", w->book, err);
		return key;
	}
	return keep(w, out);
}

const char *
dw_word(struct docwords *w, const char *key)
{
	return dw_phrase(w, key, NULL, 0);
}

void
docwords_free(struct docwords *w)
{
	for (size_t i = 0; i < w->n; i++)
		free(w->s[i]);
	free(w->s);
	w->s = NULL;
	w->n = 0;
}
