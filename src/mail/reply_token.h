/*
 * reply_token.h - the token the desk puts in its own outgoing Message-IDs
 * so that a client's answer proves it answers the desk's mail (R2: a mail
 * changes a ticket's state only from an authenticated sender).
 *
 * The token of a ticket is "t" and 32 hex digits: the first 16 bytes of
 * HMAC-SHA-512-256 (libsodium crypto_auth) under the desk's key of
 * "soporte reply token v1 " and the ticket's id (its row id, which a
 * renumbering leaves alone). Without the key it cannot be guessed or
 * made for another ticket. The desk writes it as one dot-separated part
 * of the local part of the Message-ID of every mail it sends about a
 * ticket (ack-000123.1a2b3c4d5e6f.t0123...@soporte.prodequa.example), and
 * as the +tag of its Reply-To (soporte+t0123...@prodequa.example); a
 * reply carries it back in In-Reply-To and References, or in the address
 * it was sent to (To, Cc, Delivered-To, X-Original-To: a client program
 * that drops In-Reply-To still answers to the Reply-To).
 *
 * SECURITY: the ids come from the mail (untrusted); the check reads each
 * id's local part only, bounded, and compares in constant time
 * (sodium_memcmp). Anyone who saw a mail of the thread (a Cc, a
 * forward) holds its token: it proves "answers our mail", not who
 * wrote it; the sender must still be a contact of the ticket's client.
 */
#ifndef SOPORTE_MAIL_REPLY_TOKEN_H
#define SOPORTE_MAIL_REPLY_TOKEN_H

#include "mail/parse.h"

#include <stdint.h>

#define REPLY_TOKEN_KEY_BYTES 32
#define REPLY_TOKEN_SIZE 34   /* "t" + 32 hex + NUL */

/* The token of ticket_id under key. Returns 0, -1 when libsodium cannot
 * start. */
int reply_token_make(const unsigned char key[REPLY_TOKEN_KEY_BYTES],
                     int64_t ticket_id, char out[REPLY_TOKEN_SIZE]);

/* The support address with the token of message_id (a Message-ID the
 * desk made, without <>) as its +tag, into out[outlen]: "soporte+t0123..
 * @prodequa.example". Returns 0, or -1 when message_id carries no token
 * or support is not an address (out is then ""). */
int reply_token_address(const char *support, const char *message_id,
                        char *out, size_t outlen);

/* 1 when m's In-Reply-To, one of its References, or one of the addresses
 * it was sent to carries the token of ticket_id under key, else 0. */
int reply_token_in(const struct mail *m,
                   const unsigned char key[REPLY_TOKEN_KEY_BYTES],
                   int64_t ticket_id);

#endif
