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
		size_t klen = (size_t)(close - open - 2);
		size_t i;
		for (i = 0; i < nvars; i++)
			if (strlen(vars[i].key) == klen &&
			    memcmp(vars[i].key, open + 2, klen) == 0)
				break;
		if (i == nvars) {
			snprintf(err, errlen, "unknown placeholder {{%.*s}}", (int)klen,
			         open + 2);
			goto fail;
		}
		if (buf_puts(&b, vars[i].value ? vars[i].value : "") != BUF_OK) {
			snprintf(err, errlen, "the result is too long");
			goto fail;
		}
		p = close + 2;
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
read_template(const char *lang, const char *name, char *err, size_t errlen)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s/%s.txt", template_dir(), lang, name);
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
	char *text = read_template(lang && *lang ? lang : "es", name, err, errlen);
	if (text == NULL && lang && strcmp(lang, "es") != 0)
		text = read_template("es", name, err, errlen);
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
