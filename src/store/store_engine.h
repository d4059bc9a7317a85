/*
 * store_engine.h - what a storage engine implements (private to src/store).
 *
 * One file per engine (store_sqlite.c, store_pg.c) fills a struct
 * store_ops; store.c picks it from the URL and forwards the public calls.
 * Each engine's connection struct starts with a struct store.
 */
#ifndef SOPORTE_STORE_ENGINE_H
#define SOPORTE_STORE_ENGINE_H

#include "store/store.h"

struct store_ops {
	const char *name;
	enum store_engine engine;
	const char *id_type;    /* expansion of @ID@ */
	const char *blob_type;  /* expansion of @BLOB@ */
	enum store_rc (*open)(const char *url, struct store **out, char *err,
	                      size_t errlen);
	void (*close)(struct store *db);
	enum store_rc (*begin)(struct store *db, int exclusive);
	enum store_rc (*commit)(struct store *db);
	void (*rollback)(struct store *db);
	/* Optional (NULL: store_read_begin/end do nothing). */
	void (*read_begin)(struct store *db);
	void (*read_end)(struct store *db);
	enum store_rc (*query)(struct store *db, const char *sql,
	                       const struct store_param *p, int np,
	                       struct store_rows **out);
	enum store_rc (*next)(struct store_rows *r);
	int (*isnull)(struct store_rows *r, int col);
	int64_t (*col_int)(struct store_rows *r, int col);
	const char *(*col_text)(struct store_rows *r, int col);
	const void *(*col_blob)(struct store_rows *r, int col, size_t *len);
	void (*done)(struct store_rows *r);
	enum store_rc (*script)(struct store *db, const char *sql);
};

struct store {
	const struct store_ops *ops;
	char err[512];
};

struct store_rows {
	struct store *db;
};


extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

/* The SQLite connection of db, or NULL when db is not SQLite (the online
 * backup, sqlite_backup.c). */
struct sqlite3;
struct sqlite3 *store_sqlite_conn(struct store *db);

#endif
