/*
 * template.c - mail templates (see template.h).
 */
#include "app/base/template.h"
#include "util/buf.h"
#include "util/paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEMPLATE_MAX (64 * 1024)

/* The value of the key of klen bytes at k, or NULL when vars has none. */
static const struct tvar *
find_var(const struct tvar *vars, size_t nvars, const char *k, size_t klen)
{
	for (size_t i = 0; i < nvars; i++)
		if (strlen(vars[i].key) == klen && memcmp(vars[i].key, k, klen) == 0)
			return &vars[i];
	return NULL;
}

int
template_expand(const char *text, const struct tvar *vars, size_t nvars,
                char **out, char *err, size_t errlen)
{
	struct buf b = BUF_INIT(TEMPLATE_MAX * 4);
	const char *p = text;
	while (*p) {
		const char *open = strstr(p, "{{");
		if (open == NULL) {
			buf_puts(&b, p);
			break;
		}
		buf_append(&b, p, (size_t)(open - p));
		const char *close = strstr(open + 2, "}}");
		if (close == NULL) {
			snprintf(err, errlen, "'{{' without '}}'");
			goto fail;
		}
		char sigil = open[2];
		int section = sigil == '#' || sigil == '^' || sigil == '/';
		const char *k = open + 2 + section;
		size_t klen = (size_t)(close - k);
		const struct tvar *v = find_var(vars, nvars, k, klen);
		if (v == NULL) {
			snprintf(err, errlen, "unknown placeholder {{%.*s}}",
			         (int)(close - open - 2), open + 2);
			goto fail;
		}
		p = close + 2;
		if (sigil == '#' || sigil == '^') {
			char end[80];
			snprintf(end, sizeof end, "{{/%.*s}}", (int)klen, k);
			const char *stop = strstr(p, end);
			if (stop == NULL) {
				snprintf(err, errlen, "{{%c%.*s}} without %s", sigil,
				         (int)klen, k, end);
				goto fail;
			}
			int shown = (v->value && *v->value) == (sigil == '#');
			if (!shown)
				p = stop + strlen(end);
			continue;   /* shown: its text follows; {{/key}} is dropped */
		}
		if (sigil != '/' &&
		    buf_puts(&b, v->value ? v->value : "") != BUF_OK) {
			snprintf(err, errlen, "the result is too long");
			goto fail;
		}
	}
	*out = buf_steal(&b);
	return *out ? 0 : -1;
fail:
	buf_free(&b);
	return -1;
}

static const char *
template_dir(void)
{
	const char *env = getenv("SOPORTE_TEMPLATES");
	if (env && *env)
		return env;
	if (access("templates/es", R_OK) == 0)
		return "templates";
	return paths_get(PATHS_TEMPLATES);
}

static char *
read_template(const char *lang, const char *name, const char *ext, char *err,
              size_t errlen)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s/%s%s", template_dir(), lang, name, ext);
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct buf b = BUF_INIT(TEMPLATE_MAX);
	char chunk[4096];
	size_t n;
	int ok = 1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(&b, chunk, n) != BUF_OK) {
			snprintf(err, errlen, "%s: larger than 64 KiB", path);
			ok = 0;
			break;
		}
	fclose(f);
	if (!ok) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

int
template_render(const char *lang, const char *name, const struct tvar *vars,
                size_t nvars, char **subject, char **body, char *err,
                size_t errlen)
{
	*subject = *body = NULL;
	char *text = read_template(lang && *lang ? lang : "es", name, ".txt", err,
	                           errlen);
	if (text == NULL && lang && strcmp(lang, "es") != 0)
		text = read_template("es", name, ".txt", err, errlen);
	if (text == NULL)
		return -1;
	char *all = NULL;
	int rc = template_expand(text, vars, nvars, &all, err, errlen);
	free(text);
	if (rc != 0)
		return -1;
	char *nl = strchr(all, '\n');
	if (strncmp(all, "Subject: ", 9) != 0 || nl == NULL || nl[1] != '\n') {
		snprintf(err, errlen, "template %s/%s: needs 'Subject: ...', a blank "
		         "line, then the body", lang, name);
		free(all);
		return -1;
	}
	*subject = strndup(all + 9, (size_t)(nl - all - 9));
	*body = strdup(nl + 2);
	free(all);
	if (*subject == NULL || *body == NULL) {
		free(*subject);
		free(*body);
		*subject = *body = NULL;
		return -1;
	}
	return 0;
}

/* The line "key: text" of a phrase book's text, or NULL. */
static const char *
phrase_line(const char *text, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	for (const char *at = text; at != NULL && *at;) {
		const char *end = strchr(at, '\n');
		if (strncmp(at, key, klen) == 0 && at[klen] == ':') {
			const char *line = at + klen + 1 + (at[klen + 1] == ' ');
			*len = end ? (size_t)(end - line) : strlen(line);
			return line;
		}
		at = end ? end + 1 : NULL;
	}
	return NULL;
}

char *
phrases_load(const char *lang, const char *name, char *err, size_t errlen)
{
	char *text = read_template(lang && *lang ? lang : "es", name, ".lines", err,
	                           errlen);
	if (text == NULL && lang && strcmp(lang, "es") != 0)
		text = read_template("es", name, ".lines", err, errlen);
	return text;
}

int
phrases_say(const char *book, const char *key, const struct tvar *vars,
            size_t nvars, char **out, char *err, size_t errlen)
{
	*out = NULL;
	size_t len;
	const char *line = phrase_line(book, key, &len);
	if (line == NULL) {
		snprintf(err, errlen, "phrases: no line '%s:'", key);
		return -1;
	}
	char *one = strndup(line, len);
	if (one == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = template_expand(one, vars, nvars, out, err, errlen);
	free(one);
	return rc;
}

int
template_phrase(const char *lang, const char *name, const char *key,
                const struct tvar *vars, size_t nvars, char **out, char *err,
                size_t errlen)
{
	*out = NULL;
	char *text = phrases_load(lang, name, err, errlen);
	if (text == NULL)
		return -1;
	int rc = phrases_say(text, key, vars, nvars, out, err, errlen);
	if (rc != 0 && phrase_line(text, key, &(size_t){0}) == NULL)
		snprintf(err, errlen, "phrases %s/%s.lines: no line '%s:'", lang,
		         name, key);
	free(text);
	return rc;
}
