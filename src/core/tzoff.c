/*
 * tzoff.c - UTC offset lookups over a transition table (see tzoff.h).
 */
#include "core/tzoff.h"

#include <stdlib.h>
#include <string.h>

ptrdiff_t
tzoff_find(const struct tzoff *tz, int64_t t)
{
	/* Binary search for the last at_s[i] <= t. */
	size_t lo = 0, hi = tz->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tz->at_s[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (ptrdiff_t)lo - 1;
}

int32_t
tzoff_at(const struct tzoff *tz, int64_t t)
{
	ptrdiff_t i = tzoff_find(tz, t);
	return i < 0 ? tz->off0_s : tz->off_s[i];
}

int
tzoff_copy(struct tzoff *dst, const struct tzoff *src)
{
	struct tzoff c = *src;
	c.at_s = NULL;
	c.off_s = NULL;
	if (src->n > 0) {
		c.at_s = malloc(src->n * sizeof *c.at_s);
		c.off_s = malloc(src->n * sizeof *c.off_s);
		if (c.at_s == NULL || c.off_s == NULL) {
			free(c.at_s);
			free(c.off_s);
			return -1;
		}
		memcpy(c.at_s, src->at_s, src->n * sizeof *c.at_s);
		memcpy(c.off_s, src->off_s, src->n * sizeof *c.off_s);
	}
	*dst = c;
	return 0;
}

void
tzoff_free(struct tzoff *tz)
{
	free(tz->at_s);
	free(tz->off_s);
	tz->at_s = NULL;
	tz->off_s = NULL;
	tz->n = 0;
}
