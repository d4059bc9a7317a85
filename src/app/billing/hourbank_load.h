/*
 * hourbank_load.h - time entries from the store as the core's hb_entry
 * (shared by time logging and statements).
 */
#ifndef SOPORTE_APP_HOURBANK_LOAD_H
#define SOPORTE_APP_HOURBANK_LOAD_H

#include "app/base/app_rc.h"
#include "core/hourbank.h"
#include "store/store.h"

struct hb_entries {
	struct hb_entry *e;      /* malloc'd; hb_entries_free() */
	int n, cap;
};

/* Loads the entries matching where (SQL over time_entries e, with the
 * parameters p; never user text), oldest first, into *out. */
enum app_rc hb_entries_load(struct store *db, const char *where,
                            const struct store_param *p, int np,
                            struct hb_entries *out);
void hb_entries_free(struct hb_entries *es);

#endif
