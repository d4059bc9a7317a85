/*
 * authres.h - Authentication-Results (RFC 8601): a small, strict parser,
 * and the one question the desk asks of it: did the desk's own MTA see
 * DMARC pass for the From domain of this mail?
 *
 * No Debian library parses the header on its own (libopendkim and
 * libopendmarc keep their parsers inside their milters; GMime has none),
 * hence this one. It reads the header's raw value (folded, as it came:
 * never RFC 2047 decoded, so an encoded word in a value our MTA copied
 * from the sender cannot turn into a "; dmarc=pass").
 *
 * Grammar (RFC 8601 §2.2, RFC 2045 token, RFC 5322 CFWS):
 *   value    = [CFWS] authserv-id [CFWS version] ( [CFWS] ";" [CFWS] "none"
 *              / 1*( [CFWS] ";" resinfo ) ) [CFWS]
 *   resinfo  = [CFWS] method ["/" version] [CFWS] "=" [CFWS] result
 *              [CFWS "reason" "=" value] *( CFWS ptype "." property "=" pvalue )
 *   pvalue   = value / [ [local-part] "@" ] domain
 * Comments nest (up to 8 deep) and take quoted pairs; quoted strings take
 * quoted pairs. Anything else (a missing authserv-id, as Microsoft 365
 * writes, a property without its type, an unterminated comment, more than
 * AUTHRES_MAX_RESULTS results) is not well-formed, and a header that is
 * not well-formed says nothing.
 *
 * SECURITY: every header is untrusted, including ones that carry our own
 * authserv-id: anyone can write one into a message. authres_dmarc() only
 * believes the topmost ones, which our MTA adds above what the sender
 * wrote (RFC 8601 §5: it also removes incoming ones carrying its id).
 */
#ifndef SOPORTE_MAIL_AUTHRES_H
#define SOPORTE_MAIL_AUTHRES_H

#include "mail/parse.h"

#include <stddef.h>

#define AUTHRES_MAX_RESULTS 16
#define AUTHRES_ID_MAX 256

struct authres_result {
	char method[32];         /* lowercase: "dmarc", "dkim", "spf", ... */
	char result[32];         /* lowercase: "pass", "fail", "none", ... */
	char header_from[256];   /* header.from's domain, lowercase; "" if none */
};

struct authres {
	char authserv_id[AUTHRES_ID_MAX]; /* as written (quotes removed) */
	size_t n;                         /* 0 for "; none" */
	struct authres_result r[AUTHRES_MAX_RESULTS];
};

/* Parses one header value (the text after "Authentication-Results:",
 * folded or not). Returns 0, or -1 when it is not well-formed. */
int authres_parse(const char *value, struct authres *out);

enum authres_dmarc {
	AUTHRES_DMARC_NONE,   /* no result of ours about the From domain */
	AUTHRES_DMARC_PASS,   /* our MTA says dmarc=pass for the From domain */
	AUTHRES_DMARC_FAIL,   /* our MTA says something else for it */
};

/*
 * What the desk's own MTA (authserv_id, compared case-insensitively)
 * reported about DMARC for the domain of m's From address, read from m's
 * headers top down:
 *  - headers with another authserv-id, or not well-formed, are skipped;
 *  - ours count from the first of ours down to the next Received header
 *    (a hop below ours: anything under it was written before our MTA saw
 *    the mail, by the sender);
 *  - of those, the first that carries a dmarc result decides: PASS when
 *    it has dmarc=pass with header.from equal to the From domain (case
 *    ignored) and no other dmarc result for that domain, else FAIL;
 *  - NONE when authserv_id is empty, the mail has no single From header,
 *    or none of ours carries a dmarc result.
 */
enum authres_dmarc authres_dmarc(const struct mail *m, const char *authserv_id);

const char *authres_dmarc_name(enum authres_dmarc d);

#endif
