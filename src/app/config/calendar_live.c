/*
 * calendar_live.c - a calendar swapped in place (see calendar_live.h).
 */
#include "app/config/calendar_live.h"

#include "app/config/calendar_load.h"
#include "app/config/holidays_db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct calendar_live {
	pthread_mutex_t mu;
	const struct policy *pol;
	struct calendar_ref *current;
};

static struct calendar_ref *
ref_new(struct calendar *cal, int64_t version)
{
	struct calendar_ref *ref = calloc(1, sizeof *ref);
	if (ref == NULL)
		return NULL;
	ref->cal = cal;
	ref->version = version;
	ref->readers = 1;   /* in force */
	return ref;
}

static void
ref_drop(struct calendar_ref *ref)
{
	if (--ref->readers == 0) {
		calendar_free(ref->cal);
		free(ref);
	}
}

struct calendar_live *
calendar_live_new(const struct policy *pol, struct calendar *cal)
{
	struct calendar_live *lc = calloc(1, sizeof *lc);
	if (lc == NULL || (lc->current = ref_new(cal, -1)) == NULL) {
		free(lc);
		calendar_free(cal);
		return NULL;
	}
	pthread_mutex_init(&lc->mu, NULL);
	lc->pol = pol;
	return lc;
}

struct calendar_ref *
calendar_live_get(struct calendar_live *lc)
{
	pthread_mutex_lock(&lc->mu);
	struct calendar_ref *ref = lc->current;
	ref->readers++;
	pthread_mutex_unlock(&lc->mu);
	return ref;
}

void
calendar_live_put(struct calendar_live *lc, struct calendar_ref *ref)
{
	if (ref == NULL)
		return;
	pthread_mutex_lock(&lc->mu);
	ref_drop(ref);
	pthread_mutex_unlock(&lc->mu);
}

int
calendar_load_imported(const struct policy *pol, struct store *db,
                       struct calendar **out, int64_t *version, char *err,
                       size_t errlen)
{
	struct holiday_list imported = {0};
	struct calendar_load_opts o = {.extra = &imported};
	*out = NULL;
	/* The version first: an import landing in between only makes the
	 * next refresh build again. */
	if (holidays_db_version(db, version) != STORE_OK ||
	    holidays_db_load(db, &imported) != STORE_OK) {
		snprintf(err, errlen, "holidays: %s", store_errmsg(db));
		holiday_list_free(&imported);
		return -1;
	}
	enum calload_rc rc = calendar_load(pol, &o, out, NULL, err, errlen);
	holiday_list_free(&imported);
	return rc == CALLOAD_OK ? 0 : -1;
}

int
calendar_live_refresh(struct calendar_live *lc, struct store *db, char *err,
                      size_t errlen)
{
	int64_t version;
	if (holidays_db_version(db, &version) != STORE_OK) {
		snprintf(err, errlen, "holidays: %s", store_errmsg(db));
		return -1;
	}
	pthread_mutex_lock(&lc->mu);
	int64_t have = lc->current->version;
	pthread_mutex_unlock(&lc->mu);
	if (version == have)
		return 0;
	/* Built outside the lock: readers go on with the old calendar. */
	struct calendar *cal;
	if (calendar_load_imported(lc->pol, db, &cal, &version, err, errlen) != 0)
		return -1;
	struct calendar_ref *ref = ref_new(cal, version);
	if (ref == NULL) {
		calendar_free(cal);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pthread_mutex_lock(&lc->mu);
	/* Two refreshes may race: the newer holidays win. */
	if (version > lc->current->version) {
		struct calendar_ref *old = lc->current;
		lc->current = ref;
		ref_drop(old);
		ref = NULL;
	}
	pthread_mutex_unlock(&lc->mu);
	if (ref)
		ref_drop(ref);
	return 0;
}

void
calendar_live_free(struct calendar_live *lc)
{
	if (lc == NULL)
		return;
	ref_drop(lc->current);
	pthread_mutex_destroy(&lc->mu);
	free(lc);
}
