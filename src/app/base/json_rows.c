/*
 * json_rows.c - store rows as JSON values (see json_rows.h).
 */
#include "app/base/json_rows.h"
#include "app/base/localtime.h"
#include "util/timefmt.h"

#include <stdint.h>
#include <string.h>

json_t *
json_text_or_null(struct store_rows *r, int col)
{
	return store_isnull(r, col) ? json_null() : json_string(store_text(r, col));
}

void
json_put(json_t *o, const char *key, json_t *v)
{
	json_object_set_new_nocheck(o, key, v);
}

void
json_set_instant(json_t *o, const struct calendar *cal, const char *key, int64_t t)
{
	char iso[ISO_UTC_LEN];
	iso_utc_format(t, iso);
	json_put(o, key, json_string_nocheck(iso));
	if (cal) {
		static const char suffix[] = "_local";
		char local[LOCAL_TIME_LEN], k[64];
		size_t n = strlen(key);
		if (n + sizeof suffix > sizeof k)
			return;   /* no key of ours is that long */
		local_time_format(cal, t, local);
		memcpy(k, key, n);
		memcpy(k + n, suffix, sizeof suffix);
		json_put(o, k, json_string_nocheck(local));
	}
}

void
json_set_time(json_t *o, const struct calendar *cal, const char *key,
              struct store_rows *r, int col)
{
	if (store_isnull(r, col))
		json_put(o, key, json_null());
	else
		json_set_instant(o, cal, key, store_int(r, col));
}

json_t *
json_row_object(struct store_rows *r, const struct calendar *cal,
                const char *const *keys, int nkeys)
{
	json_t *o = json_object();
	for (int i = 0; i < nkeys; i++) {
		const char *key = keys[i];
		char kind = *key == '#' || *key == '?' || *key == '@' ? *key++ : 0;
		if (kind == '@')
			json_set_time(o, cal, key, r, i);
		else if (store_isnull(r, i))
			json_put(o, key, json_null());
		else if (kind == '#')
			json_put(o, key, json_integer(store_int(r, i)));
		else if (kind == '?')
			json_put(o, key, json_boolean(store_int(r, i)));
		else
			json_put(o, key, json_string(store_text(r, i)));
	}
	return o;
}

enum store_rc
json_rows(struct store *db, const struct calendar *cal, const char *sql,
          const struct store_param *p, int np, const char *const *keys,
          int nkeys, json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(db, sql, p, np, &r);
	if (rc != STORE_OK)
		return rc;
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW)
		json_array_append_new(arr, json_row_object(r, cal, keys, nkeys));
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(arr);
		return rc;
	}
	*out = arr;
	return STORE_OK;
}
