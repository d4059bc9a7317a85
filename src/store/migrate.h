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

#endif
