/*
 * triage_mail.h - what the triage model reads of a mail (issue 17).
 *
 * triage_input_from_mail() points a struct triage_input (core/triage.h)
 * into a parsed mail: its subject, its text without the quoted history and
 * the signature (struct mail.display_text: src/mail/text.c's
 * text_display(); the text of the HTML part when the mail had only HTML),
 * the names of its attachments and inline files, and the product type and
 * client the caller knows. The input is valid while the mail and `tm`
 * live; nothing is copied.
 *
 * triage_doc_load() does the same from a file holding one message (the
 * labelled corpus of `soporte triage eval`), owning the parsed mail.
 */
#ifndef SOPORTE_APP_INTAKE_TRIAGE_MAIL_H
#define SOPORTE_APP_INTAKE_TRIAGE_MAIL_H

#include "core/triage.h"

#include <stddef.h>

struct mail;

#define TRIAGE_MAIL_MAX_FILES 32   /* attachment names looked at */

struct triage_mail {
	struct triage_input in;
	const char *names[TRIAGE_MAIL_MAX_FILES];
};

/* product_type and client may be NULL (unknown). */
void triage_input_from_mail(const struct mail *m, const char *product_type,
                            const char *client, struct triage_mail *tm);

struct triage_doc; /* a parsed mail and its triage_input */

/* Reads and parses the message in `path`. Returns 0, or -1 with a line in
 * err (unreadable, not a message, out of memory). */
int triage_doc_load(const char *path, const char *product_type,
                    struct triage_doc **out, char *err, size_t errlen);
const struct triage_input *triage_doc_input(const struct triage_doc *d);
void triage_doc_free(struct triage_doc *d);

#endif
