/*
 * mail_corpus.h - helpers shared by the mail tests: read a file, read the
 * labelled corpus (SOPORTE_SHARED/corpus/labels.csv, clients.csv).
 * Test-only code: inputs are the repository's own fixtures.
 */
#ifndef SOPORTE_TEST_MAIL_CORPUS_H
#define SOPORTE_TEST_MAIL_CORPUS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS_DIR SOPORTE_SHARED "/corpus"
#define CORPUS_MAX 200
#define CSV_MAX_FIELDS 8

/* Whole file, malloc'd and NUL-terminated; NULL when unreadable. */
static inline char *
corpus_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap + 1);
	size_t r;
	while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			char *nb = realloc(b, cap * 2 + 1);
			if (nb == NULL) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (b) {
		b[n] = '\0';
		*len = n;
	}
	return b;
}

/* Splits one CSV line (quotes allowed) in place; returns the field count. */
static inline int
csv_split(char *line, char *fields[CSV_MAX_FIELDS])
{
	int n = 0;
	char *p = line;
	while (n < CSV_MAX_FIELDS) {
		char *out = p;
		fields[n++] = p;
		if (*p == '"') {
			char *r = p + 1;
			for (;;) {
				if (*r == '\0')
					break;
				if (*r == '"' && r[1] == '"') {
					*out++ = '"';
					r += 2;
				} else if (*r == '"') {
					r++;
					break;
				} else {
					*out++ = *r++;
				}
			}
			p = r;
		} else {
			while (*p && *p != ',' && *p != '\n' && *p != '\r')
				*out++ = *p++;
		}
		char end = *p;
		*out = '\0';
		if (end != ',')
			break;
		p++;
	}
	return n;
}

struct corpus_row {
	char file[16];
	char from[128];
	char kind[16];
	int severity;
	char category[32];
	char is_reply_to[16];
	char notes[256];
};

/* Reads labels.csv into rows; returns the count, -1 on error. */
static inline int
corpus_labels(struct corpus_row *rows, int max)
{
	size_t len;
	char *csv = corpus_read(CORPUS_DIR "/labels.csv", &len);
	if (csv == NULL)
		return -1;
	int n = 0;
	char *save = NULL;
	char *line = strtok_r(csv, "\n", &save);
	for (line = strtok_r(NULL, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[CSV_MAX_FIELDS];
		int nf = csv_split(line, f);
		if (nf < 8)
			continue;
		struct corpus_row *r = &rows[n++];
		snprintf(r->file, sizeof r->file, "%s", f[0]);
		snprintf(r->from, sizeof r->from, "%s", f[1]);
		snprintf(r->kind, sizeof r->kind, "%s", f[2]);
		r->severity = atoi(f[3]);
		snprintf(r->category, sizeof r->category, "%s", f[4]);
		snprintf(r->is_reply_to, sizeof r->is_reply_to, "%s", f[6]);
		snprintf(r->notes, sizeof r->notes, "%s", f[7]);
	}
	free(csv);
	return n;
}

/* The contact emails of clients.csv, lowercased, one per slot. */
static inline int
corpus_clients(char emails[][128], int max)
{
	size_t len;
	char *csv = corpus_read(CORPUS_DIR "/clients.csv", &len);
	if (csv == NULL)
		return -1;
	int n = 0;
	char *save = NULL;
	char *line = strtok_r(csv, "\n", &save);
	for (line = strtok_r(NULL, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[CSV_MAX_FIELDS];
		if (csv_split(line, f) < 4)
			continue;
		snprintf(emails[n], 128, "%s", f[3]);
		for (char *p = emails[n]; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		n++;
	}
	free(csv);
	return n;
}

/* "ticket #000240" in notes -> 240; 0 when absent. */
static inline unsigned
corpus_note_ticket(const char *notes)
{
	const char *p = strstr(notes, "ticket #");
	return p ? (unsigned)strtoul(p + 8, NULL, 10) : 0;
}

#endif
