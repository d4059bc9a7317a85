/*
 * sha256.h - SHA-256 of some bytes as 64 lowercase hex digits (libsodium),
 * the form the desk keys blobs, raw messages, tokens and policies by.
 */
#ifndef SOPORTE_UTIL_SHA256_H
#define SOPORTE_UTIL_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

void sha256_hex(const void *data, size_t len, char out[SHA256_HEX_LEN + 1]);

#endif
