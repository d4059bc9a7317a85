/*
 * document.c - a document with the desk's letterhead (see document.h).
 */
#include "app/config/document.h"
#include "app/base/template.h"
#include "app/config/branding.h"
#include "app/config/settings.h"
#include "util/log.h"

#include <stdlib.h>
#include <string.h>

const char *
document_lang(const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? "en" : "es";
}

struct doc *
document_new(const struct policy *pol, const char *lang, const char *title)
{
	struct branding b;
	branding_get(pol, &b);
	const struct settings *s = settings_current();
	lang = document_lang(lang);
	/* {{page}} and {{pages}} are the module's to fill: given back as
	 * they are. */
	const struct tvar v[] = {{"page", "{{page}}"}, {"pages", "{{pages}}"}};
	char *words = NULL, err[256];
	if (template_phrase(lang, "document", "page", v, 2, &words, err,
	                    sizeof err) != 0) {
		log_error("document: %s", err);
		return NULL;
	}
	const struct doc_brand brand = {b.company, s->logo, s->address, b.phone};
	struct doc *d = doc_new(&brand, lang, title, words);
	free(words);
	return d;
}
