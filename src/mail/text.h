/*
 * text.h - small text helpers for mail: charsets to UTF-8, folding for
 * keyword matching, and trimming quoted replies and signatures.
 *
 * SECURITY: every input here is untrusted mail content (bytes in any or no
 * charset, possibly invalid, possibly with NUL bytes). Outputs are always
 * valid, NUL-free UTF-8; nothing here trusts a declared charset.
 *
 * Ownership: functions returning char * return a malloc'd string the caller
 * frees with free(); NULL only when memory ran out.
 */
#ifndef SOPORTE_MAIL_TEXT_H
#define SOPORTE_MAIL_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/*
 * Bytes in `charset` (may be NULL or unknown) -> UTF-8. Without a usable
 * charset the bytes are taken as UTF-8 when they are valid UTF-8, else as
 * windows-1252 (a superset of latin1 for everything printable);
 * *guessed (may be NULL) is set to 1 when that guess was made. ISO-8859-1
 * is read as windows-1252 (mail clients mislabel one as the other).
 * CR LF and lone CR become LF; NUL bytes are dropped.
 */
char *text_to_utf8(const char *bytes, size_t len, const char *charset,
                   int *guessed);

/* Appends code point cp as UTF-8 (NUL, surrogates and values past
 * U+10FFFF become U+FFFD). Returns the buf_rc. */
enum buf_rc text_put_codepoint(struct buf *b, uint32_t cp);

/* windows-1252 bytes -> UTF-8 (never fails except out of memory). */
char *text_cp1252_to_utf8(const char *bytes, size_t len);

/* Valid UTF-8 copy of s (invalid sequences replaced by U+FFFD). */
char *text_utf8_clean(const char *s, size_t len);

/*
 * Folds UTF-8 text for matching: lowercase ASCII, Latin-1 letters with
 * accents reduced to their base letter (á -> a, Ñ -> n, ü -> u), every
 * other byte kept. Appends to out; returns the buf_rc.
 */
enum buf_rc text_fold(const char *s, struct buf *out);

/*
 * Whether folded text `hay` contains `word` (already folded) at word
 * boundaries (neither side touches a letter or digit).
 */
int text_has_word(const char *hay, const char *word);

/*
 * The part of a reply body worth showing: the text before the quoted
 * original ("-----Mensaje original-----", an Outlook "De:/From:" block,
 * a forward banner) and before the signature ("--" line, "Enviado desde
 * mi iPhone"); inline quotes ("> ...") and their "On ... wrote:" /
 * "El ... escribió:" line are left out, so an answer written below a
 * quote is kept. Runs of blank lines become one; leading and trailing
 * blank lines go. When that leaves nothing, the whole text is returned.
 */
char *text_display(const char *text);

/* 1 when s holds only whitespace (or is NULL). */
int text_is_blank(const char *s);

#endif
