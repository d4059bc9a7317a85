/*
 * uploads.h - files people attach to a reply or a note through the API.
 *
 * A file is uploaded first (upload_store: its bytes into the blob store,
 * content-addressed by SHA-256, and an uploads row naming the ticket and
 * the person), then named by the reply or note that carries it
 * (uploads_attach, in that command's transaction: the upload becomes an
 * attachments row of the new message). Only the person who uploaded a
 * file, on the same ticket, can attach it. An upload no message ever
 * names is removed once it is older than the policy's upload_keep_hours
 * (uploads_prune: the scheduler, or `soporte uploads prune` from cron).
 *
 * SECURITY: the name, the content type and the bytes are untrusted. Names
 * are checked (upload_filename_ok: no path, no control characters), types
 * reduced to a lowercase type/subtype (upload_type_clean); bytes are only
 * hashed and bound. Downloads decide inline vs attachment themselves.
 */
#ifndef SOPORTE_APP_UPLOADS_H
#define SOPORTE_APP_UPLOADS_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

#define UPLOAD_NAME_MAX 255
#define UPLOAD_TYPE_MAX 127
#define UPLOADS_PER_MESSAGE 10

/* True when name is a plain file name: 1..255 bytes of UTF-8, no control
 * characters, no '/' or '\', not starting with '.' (no "..", no hidden
 * files), not blank. */
int upload_filename_ok(const char *name);
/* Writes "type/subtype" of a Content-Type (parameters dropped, lowercase)
 * into out; 0, or -1 when ct is not of that shape. */
int upload_type_clean(const char *ct, char out[UPLOAD_TYPE_MAX + 1]);

/* Stores the bytes and the upload row, with an audit event, in one
 * transaction; *id receives the upload's id. When the ticket holds limit
 * files already (attachments and uploads; the policy's
 * max_attachments_per_ticket, 0: no limit) nothing is stored, *full is
 * set and STORE_CONSTRAINT says so. */
enum store_rc upload_store(struct store *db, int64_t ticket_id,
                           int64_t user_id, const char *filename,
                           const char *content_type, const void *data,
                           size_t len, int64_t now, int limit, int *full,
                           int64_t *id);

/* In the caller's transaction: the uploads ids[0..n) of user_id on
 * ticket_id become attachments of message_row. STORE_NOTFOUND (with a
 * message naming the id) when one is not such an upload. */
enum store_rc uploads_attach(struct store *db, const int64_t *ids, size_t n,
                             int64_t ticket_id, int64_t user_id,
                             int64_t message_row);

/* Removes, in one transaction, every upload created before `before`
 * (not attached by then: attaching removes the upload row), each with an
 * audit event "attachment.upload_pruned" on its ticket, and the blob
 * bytes of each one no attachment and no other upload names. *uploads
 * and *blobs (either may be NULL) count the rows removed. */
enum store_rc uploads_prune(struct store *db, int64_t before, int64_t now,
                            int *uploads, int *blobs);

#endif
