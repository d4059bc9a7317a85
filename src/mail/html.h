/*
 * html.h - mail HTML to readable text, and mail HTML sanitized for display.
 *
 * Both walk the same small tolerant tokenizer (tags, attributes, comments,
 * entities); neither builds a DOM. The sanitizer re-serializes from tokens
 * through an allow-list, so nothing of the input reaches the output
 * unparsed: every kept tag and attribute is rebuilt and every text run and
 * attribute value re-escaped, and open elements are closed at the end.
 *
 * SECURITY: the input is untrusted HTML from mail. The sanitizer drops
 * script, style, iframe, object, embed, form controls, every on* handler,
 * style/class/id attributes and any URL whose scheme is not http, https or
 * mailto (links) or cid (images: remote images are dropped, they are web
 * beacons). Its output is meant to be shown inside a page that also sends
 * a restrictive Content-Security-Policy; it is not a reason to skip one.
 */
#ifndef SOPORTE_MAIL_HTML_H
#define SOPORTE_MAIL_HTML_H

#include <stddef.h>

#include "util/buf.h"

/* UTF-8 HTML -> plain text (paragraphs, line breaks, list bullets, link
 * targets in parentheses). Appends to out; returns the buf_rc. */
enum buf_rc html_to_text(const char *html, size_t len, struct buf *out);

/* UTF-8 HTML -> sanitized HTML fragment. Appends to out. */
enum buf_rc html_sanitize(const char *html, size_t len, struct buf *out);

#endif
