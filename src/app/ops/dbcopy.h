/*
 * dbcopy.h - moving a live desk from one database to another
 * (`soporte migrate --from sqlite:PATH --to postgresql://...`).
 *
 * The target is migrated to the same schema first and must hold no
 * tickets, messages or clients. Every table of the schema is copied row by
 * row in dependency order (parents before children), inside one target
 * transaction, with the source read in one snapshot; identity sequences
 * are moved past the copied ids. Then both sides are verified table by
 * table: the row count and a SHA-256 over every row, in primary-key
 * order, rendered the same way on both engines. Search indexes are
 * rebuilt by the target's own triggers or migrations, not copied.
 *
 * Returns STORE_OK with a report of each table; STORE_CONSTRAINT when the
 * target is not empty; STORE_ERROR when verification finds a difference
 * (the target transaction is rolled back, nothing is left half-copied).
 */
#ifndef SOPORTE_APP_DBCOPY_H
#define SOPORTE_APP_DBCOPY_H

#include "store/store.h"

#include <stdio.h>

/* Copies src into dst and verifies; progress lines go to report. */
enum store_rc dbcopy_run(struct store *src, struct store *dst, FILE *report);

#endif
