/*
 * document.h - a new PDF document (render/doc.h) with the desk's
 * letterhead: the company's name, address, phone and logo (branding.h,
 * [branding] of the settings) and the page words of the language
 * (templates/LANG/document.lines, key "page").
 */
#ifndef SOPORTE_APP_DOCUMENT_H
#define SOPORTE_APP_DOCUMENT_H

#include "core/policy.h"
#include "render/doc.h"

/* A document in lang ("es", "en"; anything else is "es") titled title.
 * Returns NULL when out of memory or the page words cannot be read
 * (logged). */
struct doc *document_new(const struct policy *pol, const char *lang,
                         const char *title);

/* "es" unless lang is "en": the languages documents are written in. */
const char *document_lang(const char *lang);

#endif
