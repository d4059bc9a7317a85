/*
 * imap.h - a small IMAP4rev1 client for polling one mailbox.
 *
 * SECURITY: everything the server sends is untrusted: response lines are
 * read with a length cap, literals are counted and capped before a byte
 * is stored, numbers are range-checked, and a message's bytes never pass
 * through the line parser (a message containing "A1 OK" cannot end a
 * command early). The URL (with its password) is the operator's own and
 * is never logged; errors name the host only.
 *
 * libcurl opens the connection, does TLS (imaps://, or STARTTLS when the
 * server offers it) and logs in; the commands after that are ours, sent
 * with curl_easy_send() and read with curl_easy_recv(). libcurl's own
 * IMAP commands cannot do what polling needs: its FETCH is BODY[] (which
 * sets \Seen before the message is stored) and its custom requests drop
 * the literal that carries the message.
 *
 * Use:
 *	struct imap *im;
 *	imap_open("imap://user:pass@host:143/INBOX", 60, &im, err, sizeof err);
 *	imap_select(im, &uidvalidity);
 *	imap_search(im, first_uid, &uids, &n);       free(uids)
 *	imap_fetch(im, uid, &msg);                   BODY.PEEK[]: \Seen untouched
 *	imap_mark_seen(im, uids, n); imap_move(im, uids, n, "Procesados");
 *	imap_close(im);                              LOGOUT, frees
 *
 * Every call returns an enum imap_rc: IMAP_OK; IMAP_NO (the server
 * refused the command: NO or BAD); IMAP_GONE (imap_fetch: no such
 * message any more); IMAP_TOO_BIG (imap_fetch: larger than the cap; the
 * session stays usable); IMAP_TEMPFAIL (cannot connect, log in, a
 * timeout, the connection dropped, or the server said BYE: try again
 * later); IMAP_PROTO (the server sent something that is not IMAP; the
 * session is unusable). imap_errmsg() says what, in one line.
 */
#ifndef SOPORTE_MAIL_IMAP_H
#define SOPORTE_MAIL_IMAP_H

#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>

enum imap_rc {
	IMAP_OK = 0,
	IMAP_NO,
	IMAP_GONE,
	IMAP_TOO_BIG,
	IMAP_TEMPFAIL,
	IMAP_PROTO,
	IMAP_CONFIG,   /* imap_open(): the URL or mailbox name is unusable */
};

#define IMAP_LINE_MAX (8u * 1024 * 1024)   /* one response line, literals apart */
#define IMAP_MAILBOX_MAX 200

struct imap;

/* Connects and logs in. url: imap://user:pass@host[:port]/MAILBOX or
 * imaps://...; MAILBOX is percent-decoded, INBOX when empty. On success
 * *out is the session (imap_close() it); on failure *out is NULL and err
 * says why. max_message is the largest message imap_fetch() accepts. */
enum imap_rc imap_open(const char *url, long timeout_s, size_t max_message,
                       struct imap **out, char *err, size_t errlen);
/* Logs out (politely, errors ignored) and frees; NULL is fine. */
void imap_close(struct imap *im);
const char *imap_errmsg(const struct imap *im);
/* "user@host:port/MAILBOX": names the mailbox, without the password. */
const char *imap_name(const struct imap *im);
const char *imap_mailbox(const struct imap *im);

/* Selects the URL's mailbox read-write; *uidvalidity gets its UIDVALIDITY. */
enum imap_rc imap_select(struct imap *im, uint32_t *uidvalidity);
/* UIDs >= first in the selected mailbox, ascending: *uids is malloc'd
 * (free it; NULL when *n is 0). */
enum imap_rc imap_search(struct imap *im, uint32_t first, uint32_t **uids,
                         size_t *n);
/* The whole message (BODY.PEEK[]) into out, which is reset first. */
enum imap_rc imap_fetch(struct imap *im, uint32_t uid, struct buf *out);
/* imap_mark_seen() and imap_move() act on n messages at once, uids[]
 * ascending, one command (a UID set): up to IMAP_SET_MAX of them (more
 * when they follow each other); IMAP_CONFIG for none or too many. */
#define IMAP_SET_MAX 32

/* Adds \Seen. */
enum imap_rc imap_mark_seen(struct imap *im, const uint32_t *uids, size_t n);
/* Creates folder (an existing one is fine). */
enum imap_rc imap_create(struct imap *im, const char *folder);
/* Moves the message to folder: UID MOVE when the server has MOVE, else
 * UID COPY, \Deleted and (UID) EXPUNGE. */
enum imap_rc imap_move(struct imap *im, const uint32_t *uids, size_t n,
                       const char *folder);

/*
 * The response parsers, exposed for the unit tests. text is one response
 * line with each literal left as its "{N}" marker; lits[i] / litn[i] are
 * the bytes of the i-th literal.
 */
struct imap_fetch_item {
	uint32_t uid;          /* 0 when the response has no UID item */
	int has_body;          /* 1 when BODY[] was a string or literal */
	int body_lit;          /* the literal's index, or -1 (quoted or NIL) */
	size_t qoff, qlen;     /* a quoted BODY[]: where in text (escapes kept) */
};
/* "* N FETCH (...)": IMAP_OK, or IMAP_PROTO when it is malformed. */
enum imap_rc imap_parse_fetch(const char *text, size_t len,
                              struct imap_fetch_item *it);
/* "* SEARCH 1 2 3": appends the UIDs >= first to *uids (growing *cap). */
enum imap_rc imap_parse_search(const char *text, size_t len, uint32_t first,
                               uint32_t **uids, size_t *n, size_t *cap);
/* Reads a number 1..4294967295 at *p (advancing it): 0 on success. */
int imap_parse_nz(const char **p, const char *end, uint32_t *out);

#endif
