/*
 * desk_key.h - the desk's own secret keys, kept in the database.
 *
 * The reply token (mail/reply_token.h) is made when mail is queued (by
 * the API, the CLI, the scheduler, mail intake) and checked when mail
 * comes in (by the gate, the resident worker, IMAP polling): every
 * process that touches the desk's mail, on every server, with no key file
 * to hand around. So its key lives where all of them already are: the
 * table desk_keys, one row per key, made at first use from libsodium's
 * random bytes (INSERT ... ON CONFLICT DO NOTHING, then read: two first
 * uses at once agree on one key).
 *
 * SECURITY: whoever reads the database can make reply tokens, i.e. make
 * a mail from a client's contact count as authenticated; they can read
 * and change every ticket already. Backups hold the key: treat them as
 * the database itself.
 */
#ifndef SOPORTE_APP_DESK_KEY_H
#define SOPORTE_APP_DESK_KEY_H

#include "store/store.h"

#include <stdint.h>

#define DESK_KEY_BYTES 32

/* The key called name into key; made when missing and create is set
 * (else STORE_NOTFOUND). */
enum store_rc desk_key_get(struct store *db, const char *name, int create,
                           int64_t now, unsigned char key[DESK_KEY_BYTES]);

#endif
