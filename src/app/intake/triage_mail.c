/*
 * triage_mail.c - a mail as the triage model's input (see triage_mail.h).
 */
#include "app/intake/triage_mail.h"
#include "mail/parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
triage_input_from_mail(const struct mail *m, const char *product_type,
                       const char *client, struct triage_mail *tm)
{
	memset(tm, 0, sizeof *tm);
	tm->in.subject = m->subject;
	tm->in.body = m->display_text ? m->display_text : m->text;
	size_t n = 0;
	for (size_t i = 0; i < m->nparts && n < TRIAGE_MAIL_MAX_FILES; i++)
		if (m->parts[i].filename && m->parts[i].kind != MAIL_PART_MESSAGE)
			tm->names[n++] = m->parts[i].filename;
	tm->in.attachment_names = tm->names;
	tm->in.nattachments = n;
	tm->in.product_type = product_type;
	tm->in.client = client;
}

struct triage_doc {
	struct mail *m;
	char *product;
	struct triage_mail tm;
};

int
triage_doc_load(const char *path, const char *product_type,
                struct triage_doc **out, char *err, size_t errlen)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 1 << 16, len = 0, r;
	char *raw = malloc(cap);
	while (raw && (r = fread(raw + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap) {
			char *nr = cap < (64u << 20) ? realloc(raw, cap * 2) : NULL;
			if (nr == NULL) {
				free(raw);
				raw = NULL;
				break;
			}
			raw = nr;
			cap *= 2;
		}
	}
	int read_err = ferror(f);
	fclose(f);
	struct triage_doc *d = raw && !read_err ? calloc(1, sizeof *d) : NULL;
	if (d == NULL) {
		free(raw);
		snprintf(err, errlen, "%s: cannot read it", path);
		return -1;
	}
	mail_init();
	enum mail_rc rc = mail_parse(raw, len, NULL, &d->m);
	free(raw);
	d->product = product_type ? strdup(product_type) : NULL;
	if (rc != MAIL_OK || (product_type && d->product == NULL)) {
		snprintf(err, errlen, "%s: %s", path,
		         rc != MAIL_OK ? mail_rc_str(rc) : "out of memory");
		triage_doc_free(d);
		return -1;
	}
	triage_input_from_mail(d->m, d->product, NULL, &d->tm);
	*out = d;
	return 0;
}

const struct triage_input *
triage_doc_input(const struct triage_doc *d)
{
	return &d->tm.in;
}

void
triage_doc_free(struct triage_doc *d)
{
	if (d == NULL)
		return;
	if (d->m)
		mail_free(d->m);
	free(d->product);
	free(d);
}
