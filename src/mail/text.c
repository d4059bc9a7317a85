/*
 * text.c - charsets to UTF-8, folding, reply trimming (see text.h).
 *
 * SECURITY: reads untrusted mail text. All loops are bounded by the input
 * length; conversion never trusts the declared charset (bad bytes become
 * U+FFFD) and the output is always valid UTF-8 without NUL bytes.
 */
#include "mail/text.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

enum buf_rc
text_put_codepoint(struct buf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return buf_append(b, u, n);
}

/*
 * Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes
 * there are not one (overlongs, surrogates and > U+10FFFF rejected).
 */
static size_t
utf8_seq(const unsigned char *s, size_t left)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t n;
	uint32_t cp;
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return n;
}

static int
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		size_t n = utf8_seq(p + i, len - i);
		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* Appends one byte of text, turning CR LF / CR into LF and dropping NUL. */
static int
put_text_byte(struct buf *b, const char *s, size_t len, size_t *i)
{
	char c = s[*i];
	if (c == '\0')
		return 0;
	if (c == '\r') {
		if (*i + 1 < len && s[*i + 1] == '\n')
			return 0;
		c = '\n';
	}
	return buf_putc(b, c) == BUF_OK ? 0 : -1;
}

char *
text_utf8_clean(const char *s, size_t len)
{
	struct buf b = BUF_INIT(0);
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	int rc = buf_append(&b, "", 0) == BUF_OK ? 0 : -1;
	/* Copy runs of good bytes in one append; stop only at NUL, CR and
	 * invalid sequences. */
	while (i < len && rc == 0) {
		unsigned char c = p[i];
		if (c != 0 && c != '\r' && c < 0x80) {
			i++;
			continue;
		}
		size_t n = c >= 0x80 ? utf8_seq(p + i, len - i) : 0;
		if (n) {
			i += n;
			continue;
		}
		if (i > run && buf_append(&b, s + run, i - run) != BUF_OK)
			rc = -1;
		else if (c >= 0x80)
			rc = (int)text_put_codepoint(&b, 0xFFFD);
		else if (c == '\r' && !(i + 1 < len && p[i + 1] == '\n'))
			rc = buf_putc(&b, '\n') == BUF_OK ? 0 : -1;
		i++;
		run = i;
	}
	if (rc == 0 && i > run && buf_append(&b, s + run, i - run) != BUF_OK)
		rc = -1;
	if (rc != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

char *
text_cp1252_to_utf8(const char *bytes, size_t len)
{
	struct buf b = BUF_INIT(0);
	if (buf_append(&b, "", 0) != BUF_OK)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)bytes[i];
		int rc;
		if (c < 0x80)
			rc = put_text_byte(&b, bytes, len, &i);
		else if (c < 0xA0)
			rc = (int)text_put_codepoint(&b, cp1252_high[c - 0x80] ?
			                    cp1252_high[c - 0x80] : 0xFFFD);
		else
			rc = (int)text_put_codepoint(&b, c);
		if (rc != 0) {
			buf_free(&b);
			return NULL;
		}
	}
	return buf_steal(&b);
}

static int
charset_is(const char *cs, const char *const *names)
{
	for (; *names; names++)
		if (strcasecmp(cs, *names) == 0)
			return 1;
	return 0;
}

/* Converts with iconv; bad input bytes become U+FFFD. NULL when the
 * charset is unknown to iconv (the caller then guesses). */
static char *
iconv_to_utf8(const char *bytes, size_t len, const char *charset)
{
	iconv_t cd = iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1)
		return NULL;
	struct buf raw = BUF_INIT(0);
	char out[1024];
	char *in = (char *)bytes; /* iconv's prototype is not const */
	size_t inleft = len;
	int failed = 0;
	while (inleft > 0 && !failed) {
		char *op = out;
		size_t oleft = sizeof out;
		size_t r = iconv(cd, &in, &inleft, &op, &oleft);
		if (buf_append(&raw, out, sizeof out - oleft) != BUF_OK)
			failed = 1;
		if (r == (size_t)-1) {
			if (errno == E2BIG)
				continue;
			/* EILSEQ or EINVAL: replace one byte and go on. */
			if (buf_puts(&raw, "\xEF\xBF\xBD") != BUF_OK)
				failed = 1;
			in++;
			inleft--;
			iconv(cd, NULL, NULL, NULL, NULL);
		}
	}
	iconv_close(cd);
	char *res = NULL;
	if (!failed)
		res = text_utf8_clean(raw.data ? raw.data : "", raw.len);
	buf_free(&raw);
	return res;
}

char *
text_to_utf8(const char *bytes, size_t len, const char *charset, int *guessed)
{
	static const char *const utf8_names[] = {"utf-8", "utf8", NULL};
	static const char *const cp1252_names[] = {
		"windows-1252", "cp1252", "x-cp1252", "iso-8859-1",
		"iso8859-1", "iso_8859-1", "latin1", "l1", "iso-ir-100",
		"ansi_x3.4-1968", NULL};
	static const char *const ascii_names[] = {"us-ascii", "ascii", NULL};
	if (guessed)
		*guessed = 0;
	if (bytes == NULL)
		len = 0;
	if (charset && *charset) {
		if (charset_is(charset, utf8_names))
			return text_utf8_clean(bytes ? bytes : "", len);
		if (charset_is(charset, cp1252_names))
			return text_cp1252_to_utf8(bytes, len);
		if (!charset_is(charset, ascii_names)) {
			char *r = iconv_to_utf8(bytes, len, charset);
			if (r)
				return r;
		}
		/* us-ascii with 8-bit bytes, or an unknown charset: guess. */
	}
	if (guessed) {
		for (size_t i = 0; i < len; i++)
			if ((unsigned char)bytes[i] >= 0x80) {
				*guessed = 1;
				break;
			}
	}
	if (utf8_valid(bytes ? bytes : "", len))
		return text_utf8_clean(bytes ? bytes : "", len);
	return text_cp1252_to_utf8(bytes, len);
}

/* Base letter of U+00C0..U+00FF, or 0 when none. */
static char
latin1_base(unsigned cp)
{
	static const char map[65] =
		"aaaaaaaceeeeiiii" "dnooooo.ouuuuyts"
		"aaaaaaaceeeeiiii" "dnooooo.ouuuuyty";
	if (cp < 0xC0 || cp > 0xFF)
		return 0;
	char c = map[cp - 0xC0];
	return c == '.' ? 0 : c;
}

enum buf_rc
text_fold(const char *s, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	enum buf_rc rc = buf_append(out, "", 0);
	const unsigned char *run = p;
	while (rc == BUF_OK && *p) {
		/* Bytes that fold to themselves are copied in runs. */
		if (!(*p >= 'A' && *p <= 'Z') && *p != 0xC3) {
			p++;
			continue;
		}
		if (p > run)
			rc = buf_append(out, run, (size_t)(p - run));
		if (rc != BUF_OK)
			break;
		if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
			char base = latin1_base(0xC0u + (p[1] - 0x80u));
			rc = base ? buf_putc(out, base) : buf_append(out, p, 2);
			p += 2;
		} else {
			rc = buf_putc(out, (char)tolower(*p));
			p++;
		}
		run = p;
	}
	if (rc == BUF_OK && p > run)
		rc = buf_append(out, run, (size_t)(p - run));
	return rc;
}

static int
is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/*
 * Whether the character that ends just before p (within hay) is part of a
 * word. U+0080..U+00BF (C2 xx: ¡ ¿ « » ° nbsp ...) are punctuation, so
 * "¡urgente!" has "urgente" as a word.
 */
static int
word_before(const char *hay, const char *p)
{
	if (p == hay)
		return 0;
	unsigned char c = (unsigned char)p[-1];
	if (c >= 0x80 && c < 0xC0 && p - 1 > hay &&
	    (unsigned char)p[-2] == 0xC2)
		return 0;
	return is_word_byte(c);
}

static int
word_at(const char *p)
{
	unsigned char c = (unsigned char)*p;
	if (c == 0xC2)
		return 0;
	return is_word_byte(c);
}

int
text_has_word(const char *hay, const char *word)
{
	size_t wl = strlen(word);
	if (wl == 0 || hay == NULL)
		return 0;
	for (const char *p = strstr(hay, word); p; p = strstr(p + 1, word)) {
		int left_ok = !word_before(hay, p) ||
		              !is_word_byte((unsigned char)word[0]);
		int right_ok = !word_at(p + wl) ||
		               !is_word_byte((unsigned char)word[wl - 1]);
		if (left_ok && right_ok)
			return 1;
	}
	return 0;
}

int
text_is_blank(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

static int
starts_with_ci(const char *s, size_t len, const char *prefix)
{
	size_t pl = strlen(prefix);
	return len >= pl && strncasecmp(s, prefix, pl) == 0;
}

static int
contains_ci(const char *s, size_t len, const char *needle)
{
	size_t nl = strlen(needle);
	for (size_t i = 0; i + nl <= len; i++)
		if (strncasecmp(s + i, needle, nl) == 0)
			return 1;
	return 0;
}

enum line_role { LINE_KEEP, LINE_DROP, LINE_CUT };

/*
 * What a line does to the display text: LINE_CUT where the quoted
 * original or the signature starts (nothing after it is shown),
 * LINE_DROP for an inline quote ("> ...") or its attribution ("On ...
 * wrote:"), so a bottom-posted answer below the quote is still shown.
 */
static enum line_role
line_role(const char *s, size_t len, const char *next, size_t nextlen)
{
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 2 && memcmp(s, "--", 2) == 0)
		return LINE_CUT;
	if (starts_with_ci(s, len, "-----mensaje original") ||
	    starts_with_ci(s, len, "-----original message") ||
	    starts_with_ci(s, len, "---------- forwarded message") ||
	    starts_with_ci(s, len, "---------- mensaje reenviado") ||
	    starts_with_ci(s, len, "________________________________") ||
	    starts_with_ci(s, len, "enviado desde mi ") ||
	    starts_with_ci(s, len, "sent from my "))
		return LINE_CUT;
	if (len > 0 && s[0] == '>')
		return LINE_DROP;
	/* "On Mon, ... wrote:" / "El lun, ... escribió:" */
	if (len > 3 && s[len - 1] == ':' &&
	    ((starts_with_ci(s, len, "on ") && contains_ci(s, len, "wrote")) ||
	     (starts_with_ci(s, len, "el ") &&
	      contains_ci(s, len, "escribi"))))
		return LINE_DROP;
	/* Outlook header block: "De: ..." followed by "Enviado"/"Sent"/"Para". */
	if ((starts_with_ci(s, len, "de: ") || starts_with_ci(s, len, "from: ")) &&
	    next &&
	    (starts_with_ci(next, nextlen, "enviado") ||
	     starts_with_ci(next, nextlen, "sent:") ||
	     starts_with_ci(next, nextlen, "fecha:") ||
	     starts_with_ci(next, nextlen, "date:") ||
	     starts_with_ci(next, nextlen, "para:") ||
	     starts_with_ci(next, nextlen, "to:")))
		return LINE_CUT;
	return LINE_KEEP;
}

static int
line_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Copies text without trailing whitespace. */
static char *
trimmed_copy(const char *text)
{
	size_t n = strlen(text);
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	char *r = malloc(n + 1);
	if (r) {
		memcpy(r, text, n);
		r[n] = '\0';
	}
	return r;
}

char *
text_display(const char *text)
{
	if (text == NULL)
		return strdup("");
	struct buf out = BUF_INIT(0);
	int blank_run = 0, failed = 0;
	const char *line = text;
	while (*line && !failed) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		const char *next = eol ? eol + 1 : NULL;
		size_t nextlen = 0;
		if (next) {
			const char *e2 = strchr(next, '\n');
			nextlen = e2 ? (size_t)(e2 - next) : strlen(next);
		}
		enum line_role role = line_role(line, len, next, nextlen);
		if (role == LINE_CUT)
			break;
		if (role == LINE_KEEP) {
			if (line_blank(line, len)) {
				blank_run = out.len > 0;
			} else {
				if (blank_run && buf_putc(&out, '\n') != BUF_OK)
					failed = 1;
				blank_run = 0;
				if (buf_append(&out, line, len) != BUF_OK ||
				    buf_putc(&out, '\n') != BUF_OK)
					failed = 1;
			}
		}
		if (!eol)
			break;
		line = eol + 1;
	}
	if (failed) {
		buf_free(&out);
		return NULL;
	}
	if (out.len == 0) {
		/* Nothing before the cut: show everything rather than nothing. */
		buf_free(&out);
		return trimmed_copy(text);
	}
	char *r = trimmed_copy(out.data);
	buf_free(&out);
	return r;
}
