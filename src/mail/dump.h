/*
 * dump.h - struct mail as JSON, for golden-file tests, logs and the
 * intake's audit record.
 *
 * The JSON holds everything parse.h extracts except the attachment bytes
 * (name, type, size and SHA-256 stand for them) and the raw header list.
 * Keys come in a fixed order so two dumps of the same parse are
 * byte-identical.
 *
 * SECURITY: values are mail content (untrusted) escaped as JSON strings;
 * a consumer that renders them still escapes them for its medium.
 */
#ifndef SOPORTE_MAIL_DUMP_H
#define SOPORTE_MAIL_DUMP_H

#include "mail/parse.h"

/* Indented JSON text ending in a newline, malloc'd (caller frees with
 * free()); NULL when memory ran out. */
char *mail_dump_json(const struct mail *m);

#endif
