/*
 * imap_cmds.c - the mailbox commands of an open session (see imap.h):
 * SELECT, UID SEARCH, UID FETCH, marking seen, CREATE and MOVE (or COPY,
 * mark deleted and expunge).
 *
 * SECURITY: the server's answers are untrusted and go through the
 * parsers of imap_parse.c; operator-given names are quoted.
 */
#include "mail/imap_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum imap_rc
on_select(struct imap *im, void *ctx)
{
	uint32_t *uidvalidity = ctx;
	const char *t = im->text.data, *end = t + im->text.len;
	if (imap_word_at(t, end, "* OK [UIDVALIDITY ")) {
		const char *p = t + 18;
		if (imap_parse_nz(&p, end, uidvalidity) != 0 || p >= end || *p != ']')
			return imap_fail(im, IMAP_PROTO, "%s: a bad UIDVALIDITY", im->name);
	}
	return IMAP_OK;
}

enum imap_rc
imap_select(struct imap *im, uint32_t *uidvalidity)
{
	char q[2 * IMAP_MAILBOX_MAX + 3];
	*uidvalidity = 0;
	if (imap_quote_mailbox(im->mailbox, q, sizeof q) != 0)
		return imap_fail(im, IMAP_CONFIG, "%s: unusable mailbox name", im->name);
	/* The verb as an argument: tests/layers.sh takes a string literal
	 * starting with the verb and a space for SQL. */
	enum imap_rc rc = imap_command(im, on_select, uidvalidity, "%s %s",
	                               "SELECT", q);
	if (rc == IMAP_OK && *uidvalidity == 0)
		return imap_fail(im, IMAP_PROTO, "%s: SELECT gave no UIDVALIDITY", im->name);
	return rc;
}

struct search_ctx {
	uint32_t first;
	uint32_t *uids;
	size_t n, cap;
};

static enum imap_rc
on_search(struct imap *im, void *ctx)
{
	struct search_ctx *s = ctx;
	const char *t = im->text.data;
	if (!imap_word_at(t, t + im->text.len, "* SEARCH"))
		return IMAP_OK;
	enum imap_rc rc = imap_parse_search(t, im->text.len, s->first, &s->uids,
	                                    &s->n, &s->cap);
	if (rc == IMAP_PROTO)
		return imap_fail(im, rc, "%s: a malformed SEARCH response", im->name);
	if (rc != IMAP_OK)
		return imap_fail(im, rc, "%s: out of memory", im->name);
	return IMAP_OK;
}

static int
cmp_uid(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

enum imap_rc
imap_search(struct imap *im, uint32_t first, uint32_t **uids, size_t *n)
{
	struct search_ctx s = {first ? first : 1, NULL, 0, 0};
	*uids = NULL;
	*n = 0;
	/* "N:*" also matches the highest UID when it is below N: filtered. */
	enum imap_rc rc = imap_command(im, on_search, &s, "UID SEARCH UID %u:*", s.first);
	if (rc != IMAP_OK) {
		free(s.uids);
		return rc;
	}
	if (s.n > 1) {
		qsort(s.uids, s.n, sizeof *s.uids, cmp_uid);
		size_t k = 1;
		for (size_t i = 1; i < s.n; i++)
			if (s.uids[i] != s.uids[k - 1])
				s.uids[k++] = s.uids[i];
		s.n = k;
	}
	*uids = s.uids;
	*n = s.n;
	return IMAP_OK;
}

struct fetch_ctx {
	uint32_t uid;
	struct buf *out;
	int found, too_big;
};

static enum imap_rc
on_fetch(struct imap *im, void *ctx)
{
	struct fetch_ctx *f = ctx;
	const char *t = im->text.data;
	struct imap_fetch_item it;
	/* Other untagged responses (EXISTS, EXPUNGE, ...) are not ours. */
	const char *p = t + 2, *end = t + im->text.len;
	uint32_t seq;
	if (imap_parse_nz(&p, end, &seq) != 0 || !imap_word_at(p, end, " FETCH "))
		return IMAP_OK;
	if (imap_parse_fetch(t, im->text.len, &it) != IMAP_OK)
		return imap_fail(im, IMAP_PROTO, "%s: a malformed FETCH response", im->name);
	if (it.uid != f->uid || !it.has_body)
		return IMAP_OK;   /* a flag update of another message */
	if (f->found)
		return IMAP_OK;   /* sent twice: the first one counts */
	f->found = 1;
	buf_reset(f->out);
	if (it.body_lit >= 0) {
		if (it.body_lit >= im->nlit)
			return imap_fail(im, IMAP_PROTO, "%s: FETCH literal count", im->name);
		if (im->lit_too_big && im->litlen[it.body_lit] == 0) {
			f->too_big = 1;
			return IMAP_OK;
		}
		enum buf_rc b = buf_append(f->out, im->lit.data + im->litoff[it.body_lit],
		                           im->litlen[it.body_lit]);
		if (b == BUF_TOO_BIG)
			f->too_big = 1;
		else if (b != BUF_OK)
			return imap_fail(im, IMAP_TEMPFAIL, "%s: out of memory", im->name);
		return IMAP_OK;
	}
	/* A quoted string: undo the escapes. */
	const char *q = t + it.qoff, *qend = q + it.qlen;
	for (; q < qend; q++) {
		if (*q == '\\' && q + 1 < qend)
			q++;
		enum buf_rc b = buf_putc(f->out, *q);
		if (b == BUF_TOO_BIG) {
			f->too_big = 1;
			break;
		}
		if (b != BUF_OK)
			return imap_fail(im, IMAP_TEMPFAIL, "%s: out of memory", im->name);
	}
	return IMAP_OK;
}

enum imap_rc
imap_fetch(struct imap *im, uint32_t uid, struct buf *out)
{
	struct fetch_ctx f = {uid, out, 0, 0};
	buf_reset(out);
	enum imap_rc rc = imap_command(im, on_fetch, &f, "UID FETCH %u (BODY.PEEK[])", uid);
	if (rc != IMAP_OK)
		return rc;
	if (f.too_big)
		return imap_fail(im, IMAP_TOO_BIG, "%s: UID %u is larger than the cap",
		                 im->name, uid);
	if (!f.found)
		return imap_fail(im, IMAP_GONE, "%s: UID %u is gone", im->name, uid);
	return IMAP_OK;
}

/* uids[0, n), ascending, as a UID set with runs as ranges ("3:5,9") into
 * set: 0, or -1 when there are none or they do not fit. */
static int
uid_set(const uint32_t *uids, size_t n, char *set, size_t cap)
{
	size_t k = 0;
	for (size_t i = 0, j; i < n; i = j + 1) {
		for (j = i; j + 1 < n && uids[j + 1] == uids[j] + 1; j++)
			;
		int m = j > i ? snprintf(set + k, cap - k, "%s%u:%u", k ? "," : "",
		                         uids[i], uids[j])
		              : snprintf(set + k, cap - k, "%s%u", k ? "," : "",
		                         uids[i]);
		if (m < 0 || (size_t)m >= cap - k)
			return -1;
		k += (size_t)m;
	}
	return k > 0 ? 0 : -1;
}

/* Any IMAP_SET_MAX UIDs: ten digits each and a comma or the NUL; with a
 * quoted folder, the command still fits. */
#define UID_SET_CHARS (IMAP_SET_MAX * 11)
_Static_assert(40 + UID_SET_CHARS + 2 * IMAP_MAILBOX_MAX + 3 < IMAP_CMD_MAX,
               "a UID MOVE of IMAP_SET_MAX UIDs fits a command line");

enum imap_rc
imap_mark_seen(struct imap *im, const uint32_t *uids, size_t n)
{
	char set[UID_SET_CHARS];
	if (uid_set(uids, n, set, sizeof set) != 0)
		return imap_fail(im, IMAP_CONFIG, "%s: an empty or too long UID set", im->name);
	return imap_command(im, NULL, NULL, "UID STORE %s +FLAGS.SILENT (\\Seen)", set);
}

enum imap_rc
imap_create(struct imap *im, const char *folder)
{
	char q[2 * IMAP_MAILBOX_MAX + 3];
	if (imap_quote_mailbox(folder, q, sizeof q) != 0)
		return imap_fail(im, IMAP_CONFIG, "folder names must be printable ASCII");
	enum imap_rc rc = imap_command(im, NULL, NULL, "CREATE %s", q);
	/* NO: most likely it exists; a real problem shows at the move. */
	return rc == IMAP_NO ? IMAP_OK : rc;
}

enum imap_rc
imap_move(struct imap *im, const uint32_t *uids, size_t n, const char *folder)
{
	char q[2 * IMAP_MAILBOX_MAX + 3], set[UID_SET_CHARS];
	if (imap_quote_mailbox(folder, q, sizeof q) != 0)
		return imap_fail(im, IMAP_CONFIG, "folder names must be printable ASCII");
	if (uid_set(uids, n, set, sizeof set) != 0)
		return imap_fail(im, IMAP_CONFIG, "%s: an empty or too long UID set", im->name);
	if (im->cap_move)
		return imap_command(im, NULL, NULL, "UID MOVE %s %s", set, q);
	enum imap_rc rc = imap_command(im, NULL, NULL, "UID COPY %s %s", set, q);
	if (rc == IMAP_OK)
		rc = imap_command(im, NULL, NULL, "UID STORE %s +FLAGS.SILENT (\\Deleted)", set);
	if (rc == IMAP_OK)
		rc = im->cap_uidplus ? imap_command(im, NULL, NULL, "UID EXPUNGE %s", set)
		                     : imap_command(im, NULL, NULL, "EXPUNGE");
	return rc;
}
