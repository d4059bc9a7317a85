/*
 * migrate.h - the numbered SQL migrations compiled into the binary.
 *
 * migrations[] is generated at build time from src/store/migrations/
 * NNNN_name.sql (cmake/embed.cmake), sorted by number. The SQL is written
 * once for both engines; the few words that differ are macros that the
 * engine expands before running it (see store.h, store_expand_sql()).
 */
#ifndef SOPORTE_STORE_MIGRATE_H
#define SOPORTE_STORE_MIGRATE_H

struct migration {
	int number;
	const char *name;
	const char *sql;
};

extern const struct migration migrations[];
extern const int migrations_count;

struct store;

/* Applies every migration newer than the database's, each in its own
 * exclusive transaction, recording it in schema_migrations. Safe to run
 * twice and from two processes at once. *applied (may be NULL) gets how
 * many ran. Returns STORE_OK, or the failing store_rc with the migration's
 * number and name in store_errmsg(). */
int store_migrate(struct store *db, long long now, int *applied);
/* The newest applied migration number (0 for an empty database), or -1. */
int store_schema_version(struct store *db);

#endif
