/*
 * html.c - a small tolerant HTML tokenizer, and on it html_to_text() and
 * html_sanitize() (see html.h).
 *
 * SECURITY: the input is untrusted HTML. The tokenizer never reads past
 * len, keeps at most HTML_MAX_ATTRS attributes per tag, and tag names are
 * truncated into a fixed buffer (a truncated name matches no allow-list
 * entry). The sanitizer's element stack is bounded (HTML_MAX_DEPTH);
 * deeper elements lose their tags but keep their text.
 */
#include "mail/html.h"
#include "mail/text.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HTML_MAX_ATTRS 32
#define HTML_MAX_DEPTH 128
#define HTML_NAME_MAX 16

enum html_tok_type { TOK_TEXT, TOK_START, TOK_END, TOK_SKIP };

struct html_attr {
	char name[HTML_NAME_MAX];
	const char *val; /* raw, entities not decoded; NULL when no value */
	size_t vlen;
};

struct html_tok {
	enum html_tok_type type;
	const char *text; /* TOK_TEXT: raw text */
	size_t len;
	char name[HTML_NAME_MAX]; /* lowercased tag name */
	int selfclose;
	struct html_attr attrs[HTML_MAX_ATTRS];
	size_t nattrs;
};

static int
name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == ':' || c == '_';
}

static void
copy_name(char dst[HTML_NAME_MAX], const char *s, size_t n)
{
	if (n >= HTML_NAME_MAX) {
		/* Too long for any known tag: mark it unknown. */
		dst[0] = '?';
		dst[1] = '\0';
		return;
	}
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)tolower((unsigned char)s[i]);
	dst[n] = '\0';
}

/* Finds `needle` (ASCII, lowercase) case-insensitively in s[from, len). */
static size_t
find_ci(const char *s, size_t len, size_t from, const char *needle)
{
	size_t nl = strlen(needle);
	for (size_t i = from; i + nl <= len; i++)
		if (strncasecmp(s + i, needle, nl) == 0)
			return i;
	return len;
}

/* Reads the tag at s[*pos] == '<'. Returns 0 when it is not a tag (the
 * '<' is then text). */
static int
read_tag(const char *s, size_t len, size_t *pos, struct html_tok *t)
{
	size_t i = *pos + 1;
	int end = 0;
	if (i < len && s[i] == '/') {
		end = 1;
		i++;
	}
	if (i >= len || !isalpha((unsigned char)s[i]))
		return 0;
	size_t ns = i;
	while (i < len && name_char(s[i]))
		i++;
	copy_name(t->name, s + ns, i - ns);
	t->type = end ? TOK_END : TOK_START;
	t->selfclose = 0;
	t->nattrs = 0;
	for (;;) {
		while (i < len && (isspace((unsigned char)s[i]) || s[i] == '/')) {
			if (s[i] == '/' && i + 1 < len && s[i + 1] == '>')
				t->selfclose = 1;
			i++;
		}
		if (i >= len) {
			*pos = len;
			return 1;
		}
		if (s[i] == '>') {
			*pos = i + 1;
			return 1;
		}
		size_t as = i;
		while (i < len && !isspace((unsigned char)s[i]) && s[i] != '=' &&
		       s[i] != '>' && s[i] != '/')
			i++;
		if (i == as) { /* a stray '=' */
			i++;
			continue;
		}
		struct html_attr a;
		copy_name(a.name, s + as, i - as);
		a.val = NULL;
		a.vlen = 0;
		while (i < len && isspace((unsigned char)s[i]))
			i++;
		if (i < len && s[i] == '=') {
			i++;
			while (i < len && isspace((unsigned char)s[i]))
				i++;
			if (i < len && (s[i] == '"' || s[i] == '\'')) {
				char q = s[i++];
				size_t vs = i;
				while (i < len && s[i] != q)
					i++;
				a.val = s + vs;
				a.vlen = i - vs;
				if (i < len)
					i++;
			} else {
				size_t vs = i;
				while (i < len && !isspace((unsigned char)s[i]) &&
				       s[i] != '>')
					i++;
				a.val = s + vs;
				a.vlen = i - vs;
			}
		}
		if (!end && t->nattrs < HTML_MAX_ATTRS)
			t->attrs[t->nattrs++] = a;
	}
}

/*
 * The next token from s[*pos]. Returns 0 at the end. Comments, doctypes
 * and processing instructions come back as TOK_SKIP.
 */
static int
html_next(const char *s, size_t len, size_t *pos, struct html_tok *t)
{
	size_t i = *pos;
	if (i >= len)
		return 0;
	if (s[i] == '<') {
		if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			size_t e = find_ci(s, len, i + 4, "-->");
			*pos = e < len ? e + 3 : len;
			t->type = TOK_SKIP;
			return 1;
		}
		if (i + 1 < len && (s[i + 1] == '!' || s[i + 1] == '?')) {
			const char *gt = memchr(s + i, '>', len - i);
			*pos = gt ? (size_t)(gt - s) + 1 : len;
			t->type = TOK_SKIP;
			return 1;
		}
		size_t p = i;
		if (read_tag(s, len, &p, t)) {
			*pos = p;
			return 1;
		}
		/* A lone '<': one byte of text. */
		t->type = TOK_TEXT;
		t->text = s + i;
		t->len = 1;
		*pos = i + 1;
		return 1;
	}
	const char *lt = memchr(s + i, '<', len - i);
	size_t e = lt ? (size_t)(lt - s) : len;
	t->type = TOK_TEXT;
	t->text = s + i;
	t->len = e - i;
	*pos = e;
	return 1;
}

/* Elements whose whole content is dropped, both for text and display. */
static int
is_dropped_container(const char *name)
{
	static const char *const names[] = {
		"script", "style", "iframe", "object", "embed", "applet",
		"noscript", "template", "title", "svg", "math", "textarea",
		"select", "frameset", "noembed", "noframes", "xml", "head",
		NULL};
	for (size_t i = 0; names[i]; i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* After the start tag of a dropped container, skip to after its end tag. */
static void
skip_container(const char *s, size_t len, size_t *pos, const char *name)
{
	char endtag[HTML_NAME_MAX + 3];
	size_t nl = strlen(name);
	endtag[0] = '<';
	endtag[1] = '/';
	memcpy(endtag + 2, name, nl + 1);
	size_t e = find_ci(s, len, *pos, endtag);
	if (e >= len) {
		/* <head> without </head> must not eat the message: only the
		 * raw-text elements run to the end when unterminated. */
		if (strcmp(name, "head") == 0)
			return;
		*pos = len;
		return;
	}
	const char *gt = memchr(s + e, '>', len - e);
	*pos = gt ? (size_t)(gt - s) + 1 : len;
}

struct entity {
	const char *name;
	uint32_t cp;
};

static const struct entity entities[] = {
	{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'},
	{"apos", '\''}, {"nbsp", 0xA0}, {"iexcl", 0xA1}, {"iquest", 0xBF},
	{"copy", 0xA9}, {"reg", 0xAE}, {"deg", 0xB0}, {"middot", 0xB7},
	{"laquo", 0xAB}, {"raquo", 0xBB}, {"ordf", 0xAA}, {"ordm", 0xBA},
	{"aacute", 0xE1}, {"eacute", 0xE9}, {"iacute", 0xED},
	{"oacute", 0xF3}, {"uacute", 0xFA}, {"ntilde", 0xF1},
	{"uuml", 0xFC}, {"Aacute", 0xC1}, {"Eacute", 0xC9},
	{"Iacute", 0xCD}, {"Oacute", 0xD3}, {"Uacute", 0xDA},
	{"Ntilde", 0xD1}, {"Uuml", 0xDC}, {"euro", 0x20AC},
	{"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026},
	{"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C},
	{"rdquo", 0x201D}, {"bull", 0x2022}, {"times", 0xD7},
	{NULL, 0},
};

/* Decodes the entity at s[0] == '&'; returns the bytes used, 0 if none. */
static size_t
decode_entity(const char *s, size_t len, uint32_t *cp)
{
	size_t i = 1;
	if (i < len && s[i] == '#') {
		i++;
		int hex = 0;
		if (i < len && (s[i] == 'x' || s[i] == 'X')) {
			hex = 1;
			i++;
		}
		uint32_t v = 0;
		size_t ds = i;
		while (i < len && i - ds < 8 &&
		       (hex ? isxdigit((unsigned char)s[i])
		            : isdigit((unsigned char)s[i]))) {
			int d = isdigit((unsigned char)s[i])
			                ? s[i] - '0'
			                : (tolower((unsigned char)s[i]) - 'a' + 10);
			v = v * (hex ? 16u : 10u) + (uint32_t)d;
			i++;
		}
		if (i == ds)
			return 0;
		if (i < len && s[i] == ';')
			i++;
		*cp = v;
		return i;
	}
	size_t ns = i;
	while (i < len && i - ns < 10 && isalnum((unsigned char)s[i]))
		i++;
	size_t nl = i - ns;
	for (const struct entity *e = entities; e->name; e++) {
		if (strlen(e->name) == nl && memcmp(e->name, s + ns, nl) == 0) {
			if (i < len && s[i] == ';')
				i++;
			*cp = e->cp;
			return i;
		}
	}
	return 0;
}

/* Appends s[0, len) with entities decoded (NUL bytes become spaces). */
static enum buf_rc
decode_text(const char *s, size_t len, struct buf *out)
{
	enum buf_rc rc = buf_append(out, "", 0);
	size_t i = 0, run = 0;
	while (i < len && rc == BUF_OK) {
		if (s[i] != '&' && s[i] != '\0') {
			i++;
			continue;
		}
		if (i > run)
			rc = buf_append(out, s + run, i - run);
		if (rc != BUF_OK)
			break;
		uint32_t cp;
		size_t n = s[i] == '&' ? decode_entity(s + i, len - i, &cp) : 0;
		if (n) {
			rc = text_put_codepoint(out, cp);
			i += n;
		} else {
			rc = buf_putc(out, s[i] ? s[i] : ' ');
			i++;
		}
		run = i;
	}
	if (rc == BUF_OK && i > run)
		rc = buf_append(out, s + run, i - run);
	return rc;
}

static const struct html_attr *
attr_find(const struct html_tok *t, const char *name)
{
	for (size_t i = 0; i < t->nattrs; i++)
		if (strcmp(t->attrs[i].name, name) == 0)
			return &t->attrs[i];
	return NULL;
}

/* ---- html_to_text ---- */

struct text_out {
	struct buf *b;
	int pending_nl;    /* newlines owed before the next text (max 2) */
	int pending_space; /* a space owed before the next text */
	int pre;           /* inside <pre>: keep whitespace */
	size_t link_start; /* output length at <a href>, for the target */
	struct buf href;
	enum buf_rc rc;
};

static void
to_flush(struct text_out *o)
{
	if (o->b->len > 0 && o->pending_nl > 0) {
		for (int i = 0; i < o->pending_nl && o->rc == BUF_OK; i++)
			o->rc = buf_putc(o->b, '\n');
	} else if (o->pending_space && o->b->len > 0 &&
	           o->b->data[o->b->len - 1] != '\n' && o->rc == BUF_OK) {
		o->rc = buf_putc(o->b, ' ');
	}
	o->pending_nl = 0;
	o->pending_space = 0;
}

static void
to_text(struct text_out *o, const char *raw, size_t len)
{
	struct buf dec = BUF_INIT(0);
	if (decode_text(raw, len, &dec) != BUF_OK) {
		o->rc = BUF_NOMEM;
		buf_free(&dec);
		return;
	}
	for (size_t i = 0; i < dec.len && o->rc == BUF_OK; i++) {
		unsigned char c = (unsigned char)dec.data[i];
		/* U+00A0 (C2 A0) counts as a space outside <pre>. */
		int nbsp = c == 0xC2 && i + 1 < dec.len &&
		           (unsigned char)dec.data[i + 1] == 0xA0;
		if (o->pre) {
			if (c == '\n') {
				o->rc = buf_putc(o->b, '\n');
				continue;
			}
		} else if (isspace(c) || nbsp) {
			o->pending_space = 1;
			if (nbsp)
				i++;
			continue;
		}
		to_flush(o);
		if (o->rc == BUF_OK)
			o->rc = buf_putc(o->b, (char)c);
	}
	buf_free(&dec);
}

static void
to_break(struct text_out *o, int n)
{
	if (o->pending_nl < n)
		o->pending_nl = n;
	o->pending_space = 0;
}

static int
name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return 1;
	return 0;
}

enum buf_rc
html_to_text(const char *html, size_t len, struct buf *out)
{
	static const char *const para[] = {"p", "h1", "h2", "h3", "h4", "h5",
	                                   "h6", "table", "blockquote", "ul",
	                                   "ol", "pre", "hr", NULL};
	static const char *const line[] = {"div", "tr", "li", "dt", "dd",
	                                   "section", "article", "header",
	                                   "footer", "address", "center",
	                                   "form", "fieldset", "caption", NULL};
	struct text_out o = {out, 0, 0, 0, 0, BUF_INIT(0), BUF_OK};
	struct html_tok t;
	size_t pos = 0;
	size_t base = out->len;
	if (buf_append(out, "", 0) != BUF_OK)
		return BUF_NOMEM;
	while (o.rc == BUF_OK && html_next(html, len, &pos, &t)) {
		if (t.type == TOK_TEXT) {
			to_text(&o, t.text, t.len);
			continue;
		}
		if (t.type == TOK_SKIP)
			continue;
		if (t.type == TOK_START && is_dropped_container(t.name) &&
		    !t.selfclose) {
			skip_container(html, len, &pos, t.name);
			continue;
		}
		int start = t.type == TOK_START;
		if (strcmp(t.name, "br") == 0) {
			if (o.pending_nl < 2)
				o.pending_nl++;
			o.pending_space = 0;
			continue;
		}
		if (strcmp(t.name, "pre") == 0)
			o.pre = start;
		if (name_in(t.name, para)) {
			to_break(&o, 2);
		} else if (name_in(t.name, line)) {
			to_break(&o, 1);
			if (start && strcmp(t.name, "li") == 0) {
				to_flush(&o);
				if (o.rc == BUF_OK)
					o.rc = buf_puts(o.b, "- ");
			}
		} else if (strcmp(t.name, "td") == 0 || strcmp(t.name, "th") == 0) {
			if (start)
				o.pending_space = 1;
		} else if (strcmp(t.name, "a") == 0) {
			if (start) {
				const struct html_attr *h = attr_find(&t, "href");
				buf_reset(&o.href);
				if (h && h->val &&
				    decode_text(h->val, h->vlen, &o.href) != BUF_OK)
					o.rc = BUF_NOMEM;
				o.link_start = o.b->len;
			} else if (o.href.len > 0) {
				const char *u = buf_str(&o.href);
				int web = strncasecmp(u, "http://", 7) == 0 ||
				          strncasecmp(u, "https://", 8) == 0;
				/* Show the target unless the text already does. */
				if (web && o.link_start <= o.b->len &&
				    strstr(o.b->data + o.link_start, u) == NULL) {
					to_flush(&o);
					if (o.rc == BUF_OK)
						o.rc = buf_printf(o.b, " (%s)", u);
				}
				buf_reset(&o.href);
			}
		}
	}
	buf_free(&o.href);
	/* Trim trailing whitespace of the whole output. */
	while (out->len > base && isspace((unsigned char)out->data[out->len - 1]))
		out->data[--out->len] = '\0';
	return o.rc;
}

/* ---- html_sanitize ---- */

struct allowed {
	const char *tag;
	const char *attrs; /* space-separated */
	int is_void;
};

static const struct allowed allow[] = {
	{"a", "href title", 0},
	{"abbr", "title", 0},
	{"b", "", 0},
	{"blockquote", "", 0},
	{"br", "", 1},
	{"caption", "", 0},
	{"cite", "", 0},
	{"code", "", 0},
	{"dd", "", 0},
	{"div", "align", 0},
	{"dl", "", 0},
	{"dt", "", 0},
	{"em", "", 0},
	{"h1", "", 0}, {"h2", "", 0}, {"h3", "", 0},
	{"h4", "", 0}, {"h5", "", 0}, {"h6", "", 0},
	{"hr", "", 1},
	{"i", "", 0},
	{"img", "src alt title width height", 1},
	{"li", "", 0},
	{"ol", "", 0},
	{"p", "align", 0},
	{"pre", "", 0},
	{"q", "", 0},
	{"s", "", 0},
	{"small", "", 0},
	{"span", "", 0},
	{"strike", "", 0},
	{"strong", "", 0},
	{"sub", "", 0},
	{"sup", "", 0},
	{"table", "border cellpadding cellspacing", 0},
	{"tbody", "", 0},
	{"td", "colspan rowspan align", 0},
	{"tfoot", "", 0},
	{"th", "colspan rowspan align", 0},
	{"thead", "", 0},
	{"tr", "", 0},
	{"u", "", 0},
	{"ul", "", 0},
	{NULL, NULL, 0},
};

static const struct allowed *
allowed_tag(const char *name)
{
	for (const struct allowed *a = allow; a->tag; a++)
		if (strcmp(a->tag, name) == 0)
			return a;
	return NULL;
}

static int
attr_allowed(const struct allowed *a, const char *name)
{
	size_t nl = strlen(name);
	const char *p = a->attrs;
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t wl = sp ? (size_t)(sp - p) : strlen(p);
		if (wl == nl && memcmp(p, name, nl) == 0)
			return 1;
		if (!sp)
			break;
		p = sp + 1;
	}
	return 0;
}

static enum buf_rc
put_escaped(struct buf *b, const char *s, size_t len)
{
	enum buf_rc rc = BUF_OK;
	size_t run = 0;
	for (size_t i = 0; i < len && rc == BUF_OK; i++) {
		const char *esc;
		switch (s[i]) {
		case '&': esc = "&amp;"; break;
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '"': esc = "&quot;"; break;
		case '\'': esc = "&#39;"; break;
		default: continue;
		}
		if (i > run)
			rc = buf_append(b, s + run, i - run);
		if (rc == BUF_OK)
			rc = buf_puts(b, esc);
		run = i + 1;
	}
	if (rc == BUF_OK && len > run)
		rc = buf_append(b, s + run, len - run);
	return rc;
}

/*
 * Whether a decoded URL may be kept: links need http, https or mailto;
 * images need cid. Control characters and whitespace are ignored while
 * reading the scheme (browsers ignore them too: "java\tscript:").
 */
static int
url_ok(const char *url, int image)
{
	char scheme[16];
	size_t n = 0;
	for (const char *p = url; *p && n < sizeof scheme - 1; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c == 0x7F)
			continue;
		if (c == ':') {
			scheme[n] = '\0';
			if (image)
				return strcmp(scheme, "cid") == 0;
			return strcmp(scheme, "http") == 0 ||
			       strcmp(scheme, "https") == 0 ||
			       strcmp(scheme, "mailto") == 0;
		}
		if (!isalnum(c) && c != '+' && c != '-' && c != '.')
			return 0; /* relative URL: no base to resolve against */
		scheme[n++] = (char)tolower(c);
	}
	return 0;
}

static int
numeric(const char *s)
{
	if (*s == '\0' || strlen(s) > 6)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s) && *s != '%')
			return 0;
	return 1;
}

static enum buf_rc
put_start_tag(struct buf *out, const struct allowed *a,
              const struct html_tok *t)
{
	enum buf_rc rc = buf_printf(out, "<%s", a->tag);
	struct buf val = BUF_INIT(0);
	int seen_href = 0;
	for (size_t i = 0; i < t->nattrs && rc == BUF_OK; i++) {
		const struct html_attr *at = &t->attrs[i];
		if (!attr_allowed(a, at->name) || at->val == NULL)
			continue;
		buf_reset(&val);
		if (decode_text(at->val, at->vlen, &val) != BUF_OK) {
			rc = BUF_NOMEM;
			break;
		}
		const char *v = buf_str(&val);
		if (strcmp(at->name, "href") == 0) {
			if (seen_href || !url_ok(v, 0))
				continue;
			seen_href = 1;
		} else if (strcmp(at->name, "src") == 0) {
			if (!url_ok(v, 1))
				continue;
		} else if (strcmp(at->name, "width") == 0 ||
		           strcmp(at->name, "height") == 0 ||
		           strcmp(at->name, "colspan") == 0 ||
		           strcmp(at->name, "rowspan") == 0 ||
		           strcmp(at->name, "border") == 0 ||
		           strcmp(at->name, "cellpadding") == 0 ||
		           strcmp(at->name, "cellspacing") == 0) {
			if (!numeric(v))
				continue;
		} else if (strcmp(at->name, "align") == 0) {
			if (strcasecmp(v, "left") != 0 && strcasecmp(v, "right") != 0 &&
			    strcasecmp(v, "center") != 0 &&
			    strcasecmp(v, "justify") != 0)
				continue;
		}
		rc = buf_printf(out, " %s=\"", at->name);
		if (rc == BUF_OK)
			rc = put_escaped(out, val.data ? val.data : "", val.len);
		if (rc == BUF_OK)
			rc = buf_putc(out, '"');
	}
	if (rc == BUF_OK && strcmp(a->tag, "a") == 0)
		rc = buf_puts(out, " rel=\"noopener noreferrer nofollow\"");
	if (rc == BUF_OK)
		rc = buf_putc(out, '>');
	buf_free(&val);
	return rc;
}

enum buf_rc
html_sanitize(const char *html, size_t len, struct buf *out)
{
	const struct allowed *stack[HTML_MAX_DEPTH];
	size_t depth = 0;
	struct html_tok t;
	size_t pos = 0;
	enum buf_rc rc = buf_append(out, "", 0);
	struct buf dec = BUF_INIT(0);
	while (rc == BUF_OK && html_next(html, len, &pos, &t)) {
		if (t.type == TOK_SKIP)
			continue;
		if (t.type == TOK_TEXT) {
			buf_reset(&dec);
			rc = decode_text(t.text, t.len, &dec);
			if (rc == BUF_OK)
				rc = put_escaped(out, dec.data ? dec.data : "", dec.len);
			continue;
		}
		if (t.type == TOK_START && is_dropped_container(t.name)) {
			if (!t.selfclose)
				skip_container(html, len, &pos, t.name);
			continue;
		}
		const struct allowed *a = allowed_tag(t.name);
		if (a == NULL)
			continue; /* unknown tag: drop it, keep its text */
		if (t.type == TOK_START) {
			if (!a->is_void && depth >= HTML_MAX_DEPTH)
				continue;
			rc = put_start_tag(out, a, &t);
			if (!a->is_void)
				stack[depth++] = a;
			continue;
		}
		/* An end tag closes the nearest open element of its name and
		 * everything opened after it; a stray one is dropped. */
		if (a->is_void)
			continue;
		size_t k = depth;
		while (k > 0 && stack[k - 1] != a)
			k--;
		if (k == 0)
			continue;
		while (depth >= k && rc == BUF_OK)
			rc = buf_printf(out, "</%s>", stack[--depth]->tag);
	}
	while (depth > 0 && rc == BUF_OK)
		rc = buf_printf(out, "</%s>", stack[--depth]->tag);
	buf_free(&dec);
	return rc;
}
