/*
 * policy_internal.h - inside the config room only: what the policy file
 * loader (policy_file.c) shares with its tables (policy_names.c) and its
 * value parsers (policy_values.c).
 */
#ifndef SOPORTE_APP_CONFIG_POLICY_INTERNAL_H
#define SOPORTE_APP_CONFIG_POLICY_INTERNAL_H

#include "app/config/policy_file.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define LINE_MAX_BYTES 4096
#define MAX_SECTIONS   64
#define MAX_FIELDS     16

struct name_val {
	const char *name;
	int val;
};

/* ---- section and key tables ------------------------------------------ */

enum ftype {
	F_STR,      /* text copied as is (size-checked) */
	F_WORD,     /* non-empty, no spaces */
	F_EMAIL,
	F_DATE,     /* YYYY-MM-DD */
	F_INT,      /* int in [min, max] */
	F_HOURS_S,  /* whole hours in [min, max] -> int64 seconds */
	F_BOOL,
	F_ENUM,     /* int (or bool) through a name table */
	F_NAME,     /* a string checked against a name table */
	F_WINDOWS,  /* "HH:MM-HH:MM, ..." or "closed" -> struct policy_day */
	F_TZ,
	F_PATH,     /* optional file, relative to the policy file */
	F_LIST,     /* comma-separated words, lower case */
	F_BYTES,    /* N, N KiB, N MiB -> int64 */
};

struct field {
	const char *key;
	enum ftype type;
	size_t off;                 /* into the section's struct */
	size_t size;                /* of the destination (strings) */
	long long min, max;         /* F_INT, F_HOURS_S, F_BYTES */
	const struct name_val *names; /* F_ENUM, F_BOOL */
	int required;
};

enum sect_kind {
	S_POLICY, S_CONTACT, S_SCHEDULE, S_SLA, S_SEVERITY, S_PLAN,
	S_HOUR_BANK, S_WARRANTY, S_PRODUCT, S_EXCLUSION, S_CLOSURE, S_LIMITS,
	S_TRIAGE, S_TRIAGE_CATEGORY,
	S_COUNT
};
/* A section kind: its name (prefix before the dot for keyed sections),
 * whether it takes a ".key" suffix, its keys, and whether the file must
 * have it. */
struct sect_def {
	const char *name;
	int keyed;
	const struct field *fields;
	int required;
};

/* One [section] met in the file. */
struct sect {
	char name[64];
	enum sect_kind kind;
	int valid;                  /* 0: unknown/duplicate, keys ignored */
	int line;
	void *base;                 /* the struct its keys fill */
	int key_line[MAX_FIELDS];   /* 0 = not seen yet */
};

struct loader {
	struct policy *p;
	struct policy_diag *d;
	const char *path;
	char dir[256];              /* of the policy file, for relative paths */
	FILE *f;
	int lineno;
	struct sect sects[MAX_SECTIONS];
	int nsects;
	struct sect *cur;           /* NULL before the first header */
	int sect_overflow;
};

/* policy_names.c */
extern const struct name_val pf_weekday_names[];
extern const struct name_val pf_exclusion_names[];
extern const struct sect_def pf_sect_defs[S_COUNT];
/* Returns the value for name, or -1. */
int pf_name_lookup(const struct name_val *t, const char *name);
/* Writes "a, b, c" of a table's names into out. */
void pf_name_list(const struct name_val *t, char *out, size_t n);
/* Writes "a, b, c" of a NULL-terminated list of names into out. */
void pf_names_join(const char *const *t, char *out, size_t n);

/* policy_file.c */
void pf_diag_add(struct policy_diag *d, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* policy_values.c */
char *pf_trim(char *s);
void pf_field_parse(struct loader *L, const struct field *fd, void *base,
                    const char *v);
bool pf_utf8_ok(const char *str);

#endif
