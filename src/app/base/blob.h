/*
 * blob.h - the content-addressed blob store: file bytes kept once per
 * content, under their SHA-256 (mail parts, uploads).
 */
#ifndef SOPORTE_APP_BLOB_H
#define SOPORTE_APP_BLOB_H

#include "store/store.h"

#include <stddef.h>

/* Stores data under sha256 (util/sha256.h) unless it is there already. */
enum store_rc blob_put(struct store *db, const char *sha256, const void *data,
                       size_t len);

#endif
