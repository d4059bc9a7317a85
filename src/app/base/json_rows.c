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

