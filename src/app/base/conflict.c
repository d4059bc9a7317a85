/*
 * conflict.c - a refused write's kind and column, from the engine's text
 * (see conflict.h). SQLite says "UNIQUE constraint failed: users.email",
 * "CHECK constraint failed: valid_from <= valid_to", "NOT NULL constraint
 * failed: t.c", "FOREIGN KEY constraint failed"; PostgreSQL "duplicate
 * key value violates unique constraint ..." with "DETAIL: Key (email)=",
 * "violates check constraint \"t_c_check\"", "null value in column \"c\"",
 * "violates foreign key constraint" with "DETAIL: Key (client_id)=".
 */
#include "app/base/conflict.h"

#include <stdio.h>
#include <string.h>

static int
ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* The last identifier (lowercase, not a number) of s[0..len) into field. */
static void
last_ident(const char *s, size_t len, char *field, size_t n)
{
	const char *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < len;) {
		if (!ident_char(s[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && ident_char(s[j]))
			j++;
		if (s[i] < '0' || s[i] > '9') {
			best = s + i;
			best_len = j - i;
		}
		i = j;
	}
	if (best && best_len < n)
		snprintf(field, n, "%.*s", (int)best_len, best);
}

/* The text after "after" up to the end of its line, or to "until". */
static void
ident_after(const char *msg, const char *after, const char *until,
            char *field, size_t n)
{
	const char *p = strstr(msg, after);
	if (p == NULL)
		return;
	p += strlen(after);
	const char *end = until ? strstr(p, until) : NULL;
	if (end == NULL)
		end = p + strcspn(p, "\n");
	last_ident(p, (size_t)(end - p), field, n);
}

/* A table's check (PostgreSQL names it "<table>_check", without its
 * expression): the column a person corrects, as SQLite's message names
 * last (the schema, src/store/migrations/0001_schema.sql). */
static const char *const table_checks[][2] = {
	{"contracts_check", "valid_to"},
	{"users_check", "client_id"},
};

/* PostgreSQL's name for a column's check, "<table>_<column>_check":
 * the column; a table's check by the list above. */
static void
pg_check_column(const char *msg, char *field, size_t n)
{
	char table[64] = "", name[128] = "";
	const char *t = strstr(msg, "relation \"");
	const char *c = strstr(msg, "check constraint \"");
	if (t == NULL || c == NULL ||
	    sscanf(t, "relation \"%63[a-z0-9_]\"", table) != 1 ||
	    sscanf(c, "check constraint \"%127[a-z0-9_]\"", name) != 1)
		return;
	for (size_t i = 0; i < sizeof table_checks / sizeof table_checks[0]; i++)
		if (strcmp(name, table_checks[i][0]) == 0) {
			snprintf(field, n, "%s", table_checks[i][1]);
			return;
		}
	size_t tl = strlen(table), nl = strlen(name), sl = strlen("_check");
	if (nl > tl + 1 + sl && strncmp(name, table, tl) == 0 &&
	    name[tl] == '_' && strcmp(name + nl - sl, "_check") == 0 &&
	    nl - tl - 1 - sl < n)
		snprintf(field, n, "%.*s", (int)(nl - tl - 1 - sl), name + tl + 1);
}

enum conflict_kind
conflict_of(const char *msg, char *field, size_t n)
{
	if (n)
		field[0] = '\0';
	if (msg == NULL)
		return CONFLICT_OTHER;
	if (strstr(msg, "UNIQUE constraint failed: ")) {
		ident_after(msg, "UNIQUE constraint failed: ", NULL, field, n);
		return CONFLICT_DUPLICATE;
	}
	if (strstr(msg, "CHECK constraint failed: ")) {
		ident_after(msg, "CHECK constraint failed: ", NULL, field, n);
		return CONFLICT_CHECK;
	}
	if (strstr(msg, "NOT NULL constraint failed: ")) {
		ident_after(msg, "NOT NULL constraint failed: ", NULL, field, n);
		return CONFLICT_MISSING;
	}
	if (strstr(msg, "FOREIGN KEY constraint failed"))
		return CONFLICT_REFERENCE;
	if (strstr(msg, "violates unique constraint")) {
		ident_after(msg, "Key (", ")=", field, n);
		return CONFLICT_DUPLICATE;
	}
	if (strstr(msg, "violates check constraint")) {
		pg_check_column(msg, field, n);
		return CONFLICT_CHECK;
	}
	if (strstr(msg, "violates foreign key constraint")) {
		ident_after(msg, "Key (", ")=", field, n);
		return CONFLICT_REFERENCE;
	}
	if (strstr(msg, "null value in column \"")) {
		ident_after(msg, "null value in column \"", "\"", field, n);
		return CONFLICT_MISSING;
	}
	return CONFLICT_OTHER;
}
