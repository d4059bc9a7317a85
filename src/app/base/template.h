/*
 * template.h - the mail the desk sends, as editable text files.
 *
 * A template is templates/LANG/NAME.txt: a first line "Subject: ...", a
 * blank line, then the body. {{key}} is replaced by the value given for
 * key; a key the caller does not give is an error (so a typo in a
 * template is caught, not mailed). {{#key}}TEXT{{/key}} keeps TEXT only
 * when key's value is not empty, {{^key}}TEXT{{/key}} only when it is
 * (so a mail's optional words stay in the template, not in C); such a
 * section does not nest inside one of the same key. Values are inserted as they are: mail
 * is plain text, and the subject is later encoded by the composer.
 * The folder is $SOPORTE_TEMPLATES, else ./templates when it exists, else
 * the one beside the sources.
 */
#ifndef SOPORTE_APP_TEMPLATE_H
#define SOPORTE_APP_TEMPLATE_H

#include <stddef.h>

struct tvar {
	const char *key;
	const char *value;
};

/* Renders LANG/NAME (falls back to "es" when the language has no such
 * template) into *subject and *body (malloc'd; the caller frees both).
 * Returns 0, or -1 with a reason in err. */
int template_render(const char *lang, const char *name, const struct tvar *vars,
                    size_t nvars, char **subject, char **body, char *err,
                    size_t errlen);

/* Renders text (already loaded) the same way into *out. Returns 0 or -1. */
int template_expand(const char *text, const struct tvar *vars, size_t nvars,
                    char **out, char *err, size_t errlen);

/* A phrase book: LANG/NAME.lines (falls back to "es") holds lines
 * "key: text" (other lines are comments), the wording of the parts of a
 * mail that vary in number (the changes a policy notice lists). Renders
 * the text of key's line into *out (malloc'd). Returns 0, or -1 with a
 * reason in err (no such file or key, a missing value). */
int template_phrase(const char *lang, const char *name, const char *key,
                    const struct tvar *vars, size_t nvars, char **out,
                    char *err, size_t errlen);

/* A phrase book read once for many phrases: LANG/NAME.lines (falls back
 * to "es") as text (malloc'd; the caller frees it), or NULL with a reason
 * in err. phrases_say() renders key's line of it as template_phrase()
 * does. */
char *phrases_load(const char *lang, const char *name, char *err,
                   size_t errlen);
int phrases_say(const char *book, const char *key, const struct tvar *vars,
                size_t nvars, char **out, char *err, size_t errlen);

#endif
