/*
 * dkim.h - DKIM signatures on outgoing mail (RFC 6376, Debian's
 * libopendkim).
 *
 * A dkim_key is the installation's signing identity: the signing domain
 * (d=), the selector (s=; the public key is published in DNS at
 * SELECTOR._domainkey.DOMAIN) and the RSA private key read from a PEM
 * file. dkim_key_load() reads the file and signs a small message with it,
 * so a file that is not a usable private key is refused at start, not at
 * the first send.
 *
 * dkim_sign_message() returns the message with a DKIM-Signature header
 * first: rsa-sha256, relaxed/relaxed canonicalization, the whole body,
 * and the headers a reader trusts (From, To, Subject, Date, Message-ID,
 * In-Reply-To, References, Auto-Submitted and the MIME headers). From,
 * To and Subject are also "oversigned" (one more name in h= than copies
 * present), so a second From or Subject added on the way breaks the
 * signature instead of being shown under it.
 *
 * SECURITY: the private key stays in this process's memory only; it is
 * never logged, and errors name the file, never its contents.
 */
#ifndef SOPORTE_MAIL_DKIM_H
#define SOPORTE_MAIL_DKIM_H

#include <stddef.h>

struct dkim_key;

/* The key in key_file for domain and selector, or NULL with one line in
 * err (the file cannot be read, is not a private key, ...). */
struct dkim_key *dkim_key_load(const char *domain, const char *selector,
                               const char *key_file, char *err,
                               size_t errlen);
void dkim_key_free(struct dkim_key *k);

/* True when a From address in from_domain aligns with k's signing domain
 * for DMARC (relaxed: the same domain or a subdomain of it). */
int dkim_key_aligned(const struct dkim_key *k, const char *from_domain);

/* msg (CRLF line ends, headers, blank line, body) signed: a malloc'd
 * NUL-terminated copy with the DKIM-Signature header first, or NULL with
 * one line in err. */
char *dkim_sign_message(const struct dkim_key *k, const char *msg,
                        size_t len, char *err, size_t errlen);

#endif
