/*
 * policy_file.c - load and check the support policy INI file.
 *
 * How it works: libinih does the INI syntax through ini_parse_stream()
 * with our own reader, which reads the file a physical line at a time, so
 * it knows the line of every key (Debian's inih calls the handler without
 * one). The reader also sees section headers and malformed lines, which
 * the handler never does: unknown or duplicate sections and syntax errors
 * are found there. Each section kind has a table of its keys (name, value
 * type, where it goes, limits, required); every string that names
 * something (plans, weekdays, severities, periods, ...) goes through a
 * name<->enum table. All errors are collected; nothing stops at the first.
 * Cross-key checks (warranty bounds, overlapping windows, ...) run once
 * the whole file has been read.
 *
 * SECURITY: the file is the operator's; it is still parsed defensively
 * (line length cap, size-checked copies, strict numbers).
 */
#include "app/config/policy_file.h"
#include "app/config/policy_show.h"
#include "util/timefmt.h"
#include "util/sha256.h"

#include <ini.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define LINE_MAX_BYTES 4096
#define MAX_SECTIONS   64
#define MAX_FIELDS     16

/* ---- name <-> enum tables -------------------------------------------- */

struct name_val {
	const char *name;
	int val;
};

static const struct name_val weekday_names[] = {
	{"mon", 0}, {"tue", 1}, {"wed", 2}, {"thu", 3},
	{"fri", 4}, {"sat", 5}, {"sun", 6}, {NULL, 0},
};
static const struct name_val period_names[] = {
	{"event", PLAN_PERIOD_EVENT}, {"month", PLAN_PERIOD_MONTH}, {NULL, 0},
};
static const struct name_val overage_names[] = {
	{"hourly", 1}, {"none", 0}, {NULL, 0},
};
static const struct name_val bool_names[] = {
	{"yes", 1}, {"no", 0}, {"true", 1}, {"false", 0}, {NULL, 0},
};
static const struct name_val rounding_names[] = {
	{"up", ROUNDING_UP}, {"nearest", ROUNDING_NEAREST},
	{"none", ROUNDING_NONE}, {NULL, 0},
};
static const struct name_val partial_month_names[] = {
	{"prorate", PARTIAL_MONTH_PRORATE}, {"full", PARTIAL_MONTH_FULL},
	{NULL, 0},
};
static const struct name_val exclusion_names[] = {
	{"training", EXCLUSION_TRAINING},
	{"third_party", EXCLUSION_THIRD_PARTY},
	{"business_consulting", EXCLUSION_BUSINESS_CONSULTING}, {NULL, 0},
};
static const struct name_val language_names[] = {
	{"es", 0}, {"en", 1}, {NULL, 0},
};
/* Holiday sets the calendar has built in (core/holiday.h on main; keep in
 * step). "none": only the .ics file, stored as "". */
static const struct name_val holiday_set_names[] = {
	{"peru", 0}, {"none", 1}, {NULL, 0},
};

/* Returns the value for name, or -1. */
static int
name_lookup(const struct name_val *t, const char *name)
{
	for (; t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t->val;
	return -1;
}

/* Writes "a, b, c" of a table's names into out. */
static void
name_list(const struct name_val *t, char *out, size_t n)
{
	out[0] = '\0';
	for (const struct name_val *e = t; e->name; e++) {
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s%s", e == t ? "" : ", ", e->name);
	}
}

/* Writes "a, b, c" of a NULL-terminated list of names into out. */
static void
names_join(const char *const *t, char *out, size_t n)
{
	out[0] = '\0';
	for (const char *const *e = t; *e; e++) {
		size_t len = strlen(out);
		snprintf(out + len, n - len, "%s%s", e == t ? "" : ", ", *e);
	}
}

/* ---- section and key tables ------------------------------------------ */

enum ftype {
	F_STR,      /* text copied as is (size-checked) */
	F_WORD,     /* non-empty, no spaces */
	F_EMAIL,
	F_DATE,     /* YYYY-MM-DD */
	F_INT,      /* int in [min, max] */
	F_HOURS_S,  /* whole hours in [min, max] -> int64 seconds */
	F_BOOL,
	F_ENUM,     /* int (or bool) through a name table */
	F_NAME,     /* a string checked against a name table */
	F_WINDOWS,  /* "HH:MM-HH:MM, ..." or "closed" -> struct policy_day */
	F_TZ,
	F_PATH,     /* optional file, relative to the policy file */
	F_LIST,     /* comma-separated words, lower case */
	F_BYTES,    /* N, N KiB, N MiB -> int64 */
};

struct field {
	const char *key;
	enum ftype type;
	size_t off;                 /* into the section's struct */
	size_t size;                /* of the destination (strings) */
	long long min, max;         /* F_INT, F_HOURS_S, F_BYTES */
	const struct name_val *names; /* F_ENUM, F_BOOL */
	int required;
};

enum sect_kind {
	S_POLICY, S_CONTACT, S_SCHEDULE, S_SLA, S_SEVERITY, S_PLAN,
	S_HOUR_BANK, S_WARRANTY, S_PRODUCT, S_EXCLUSION, S_CLOSURE, S_LIMITS,
	S_COUNT
};

#define P(m) offsetof(struct policy, m), sizeof(((struct policy *)0)->m)
#define SV(m) offsetof(struct policy_severity, m), \
	sizeof(((struct policy_severity *)0)->m)
#define PL(m) offsetof(struct policy_plan, m), \
	sizeof(((struct policy_plan *)0)->m)
#define PR(m) offsetof(struct policy_product_type, m), \
	sizeof(((struct policy_product_type *)0)->m)
#define EX(m) offsetof(struct policy_exclusion, m), \
	sizeof(((struct policy_exclusion *)0)->m)

static const struct field policy_fields[] = {
	{"name", F_STR, P(name), 0, 0, NULL, 1},
	{"effective_from", F_DATE, P(effective_from), 0, 0, NULL, 1},
	{"version", F_WORD, P(version), 0, 0, NULL, 1},
	{"language", F_NAME, P(language), 0, 0, language_names, 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field contact_fields[] = {
	{"support_address", F_EMAIL, P(support_address), 0, 0, NULL, 1},
	{"phone", F_STR, P(phone), 0, 0, NULL, 1},
	{"phone_requires_email", F_BOOL, P(phone_requires_email), 0, 0,
	 bool_names, 1},
	{"project_manager", F_STR, P(project_manager), 0, 0, NULL, 1},
	{"project_manager_address", F_EMAIL, P(project_manager_address), 0, 0,
	 NULL, 1},
	{"renewals_address", F_EMAIL, P(renewals_address), 0, 0, NULL, 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field schedule_fields[] = {
	{"time_zone", F_TZ, P(time_zone), 0, 0, NULL, 1},
	{"mon", F_WINDOWS, P(week[0]), 0, 0, NULL, 1},
	{"tue", F_WINDOWS, P(week[1]), 0, 0, NULL, 1},
	{"wed", F_WINDOWS, P(week[2]), 0, 0, NULL, 1},
	{"thu", F_WINDOWS, P(week[3]), 0, 0, NULL, 1},
	{"fri", F_WINDOWS, P(week[4]), 0, 0, NULL, 1},
	{"sat", F_WINDOWS, P(week[5]), 0, 0, NULL, 1},
	{"sun", F_WINDOWS, P(week[6]), 0, 0, NULL, 1},
	{"holidays", F_NAME, P(holidays), 0, 0, holiday_set_names, 1},
	{"holidays_ics", F_PATH, P(holidays_ics), 0, 0, NULL, 0},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field sla_fields[] = {
	{"at_risk_percent", F_INT, P(at_risk_percent), 1, 99, NULL, 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field severity_fields[] = {
	{"name_es", F_STR, SV(name_es), 0, 0, NULL, 1},
	{"name_en", F_STR, SV(name_en), 0, 0, NULL, 1},
	{"response_hours", F_HOURS_S, SV(response_s), 1, 1000, NULL, 1},
	{"response_or_more", F_BOOL, SV(response_or_more), 0, 0, bool_names, 0},
	{"description_es", F_STR, SV(description_es), 0, 0, NULL, 1},
	{"description_en", F_STR, SV(description_en), 0, 0, NULL, 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field plan_fields[] = {
	{"name_es", F_STR, PL(name_es), 0, 0, NULL, 1},
	{"name_en", F_STR, PL(name_en), 0, 0, NULL, 1},
	{"period", F_ENUM, PL(period), 0, 0, period_names, 1},
	{"included_hours", F_HOURS_S, PL(included_s), 0, 744, NULL, 1},
	{"event_min_hours", F_HOURS_S, PL(event_min_s), 0, 24, NULL, 1},
	{"purchase_order_required", F_BOOL, PL(purchase_order_required), 0, 0,
	 bool_names, 1},
	{"update_min_hours", F_HOURS_S, PL(update_min_s), 0, 24, NULL, 1},
	{"overage", F_ENUM, PL(overage_billed_hourly), 0, 0, overage_names, 1},
	{"phone_advice", F_BOOL, PL(phone_advice), 0, 0, bool_names, 1},
	{"email_follow_up", F_BOOL, PL(email_follow_up), 0, 0, bool_names, 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field hour_bank_fields[] = {
	{"rounding_minutes", F_INT, P(rounding_min), 0, 60, NULL, 1},
	{"rounding", F_ENUM, P(rounding), 0, 0, rounding_names, 1},
	{"partial_month", F_ENUM, P(partial_month), 0, 0, partial_month_names,
	 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field warranty_fields[] = {
	{"min_months", F_INT, P(warranty_min_months), 0, 36, NULL, 1},
	{"max_months", F_INT, P(warranty_max_months), 0, 36, NULL, 1},
	{"default_months", F_INT, P(warranty_default_months), 0, 36, NULL, 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field product_fields[] = {
	{"name_es", F_STR, PR(name_es), 0, 0, NULL, 1},
	{"name_en", F_STR, PR(name_en), 0, 0, NULL, 1},
	{"warranty_months", F_INT, PR(warranty_months), 0, 36, NULL, 1},
	{"keywords", F_LIST, PR(keywords), 0, 0, NULL, 0},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field exclusion_fields[] = {
	{"reason_es", F_STR, EX(reason_es), 0, 0, NULL, 1},
	{"reason_en", F_STR, EX(reason_en), 0, 0, NULL, 1},
	{"offer_es", F_STR, EX(offer_es), 0, 0, NULL, 0},
	{"offer_en", F_STR, EX(offer_en), 0, 0, NULL, 0},
	{"examples", F_LIST, EX(examples), 0, 0, NULL, 0},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field closure_fields[] = {
	{"contact_attempts", F_INT, P(contact_attempts), 1, 10, NULL, 1},
	{"attempt_wait_hours", F_HOURS_S, P(attempt_wait_s), 1, 400, NULL, 1},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};
static const struct field limits_fields[] = {
	{"max_message_bytes", F_BYTES, P(max_message_bytes), 1024,
	 1024LL * 1024 * 1024, NULL, 1},
	{"max_attachment_bytes", F_BYTES, P(max_attachment_bytes), 1024,
	 1024LL * 1024 * 1024, NULL, 1},
	{"max_outbound_bytes", F_BYTES, P(max_outbound_bytes), 1024,
	 1024LL * 1024 * 1024, NULL, 0},
	{"upload_keep_hours", F_HOURS_S, P(upload_keep_s), 1, 8760, NULL, 0},
	{NULL, 0, 0, 0, 0, 0, NULL, 0},
};

/* A section kind: its name (prefix before the dot for keyed sections),
 * whether it takes a ".key" suffix, its keys, and whether the file must
 * have it. */
static const struct sect_def {
	const char *name;
	int keyed;
	const struct field *fields;
	int required;
} sect_defs[S_COUNT] = {
	[S_POLICY] = {"policy", 0, policy_fields, 1},
	[S_CONTACT] = {"contact", 0, contact_fields, 1},
	[S_SCHEDULE] = {"schedule", 0, schedule_fields, 1},
	[S_SLA] = {"sla", 0, sla_fields, 1},
	[S_SEVERITY] = {"severity", 1, severity_fields, 1},
	[S_PLAN] = {"plan", 1, plan_fields, 1},
	[S_HOUR_BANK] = {"hour_bank", 0, hour_bank_fields, 1},
	[S_WARRANTY] = {"warranty", 0, warranty_fields, 1},
	[S_PRODUCT] = {"product", 1, product_fields, 1},
	[S_EXCLUSION] = {"exclusion", 1, exclusion_fields, 0},
	[S_CLOSURE] = {"closure", 0, closure_fields, 1},
	[S_LIMITS] = {"limits", 0, limits_fields, 1},
};

/* One [section] met in the file. */
struct sect {
	char name[64];
	enum sect_kind kind;
	int valid;                  /* 0: unknown/duplicate, keys ignored */
	int line;
	void *base;                 /* the struct its keys fill */
	int key_line[MAX_FIELDS];   /* 0 = not seen yet */
};

struct loader {
	struct policy *p;
	struct policy_diag *d;
	const char *path;
	char dir[256];              /* of the policy file, for relative paths */
	FILE *f;
	int lineno;
	struct sect sects[MAX_SECTIONS];
	int nsects;
	struct sect *cur;           /* NULL before the first header */
	int sect_overflow;
};

/* ---- diagnostics ----------------------------------------------------- */

static void diag_add(struct policy_diag *d, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
diag_add(struct policy_diag *d, int line, const char *fmt, ...)
{
	if (d->count < POLICY_DIAG_MAX) {
		struct policy_diag_item *it = &d->items[d->count];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(it->msg, sizeof it->msg, fmt, ap);
		va_end(ap);
		it->line = line;
	}
	d->count++;
}

/* Sorts the kept items by line, keeping the order of equal lines. */
static void
diag_sort(struct policy_diag *d)
{
	int n = d->count < POLICY_DIAG_MAX ? d->count : POLICY_DIAG_MAX;
	for (int i = 1; i < n; i++) {
		struct policy_diag_item t = d->items[i];
		int j = i - 1;
		while (j >= 0 && d->items[j].line > t.line) {
			d->items[j + 1] = d->items[j];
			j--;
		}
		d->items[j + 1] = t;
	}
}

void
policy_diag_print(const struct policy_diag *d, FILE *f)
{
	int n = d->count < POLICY_DIAG_MAX ? d->count : POLICY_DIAG_MAX;
	for (int i = 0; i < n; i++) {
		if (d->items[i].line > 0)
			fprintf(f, "%s:%d: %s\n", d->path, d->items[i].line,
			        d->items[i].msg);
		else
			fprintf(f, "%s: %s\n", d->path, d->items[i].msg);
	}
	if (d->count > n)
		fprintf(f, "%s: %d more errors not shown\n", d->path,
		        d->count - n);
}

/* ---- value parsers: each returns 0, or -1 after adding an error ------- */

static char *
trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* Strict decimal integer: digits only, no sign, no spaces. */
static int
parse_ll(const char *s, long long *out)
{
	if (*s == '\0' || strlen(s) > 15)
		return -1;
	long long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
}

static int
copy_str(struct loader *L, const char *key, char *dst, size_t size,
         const char *v)
{
	size_t n = strlen(v);
	if (n >= size) {
		diag_add(L->d, L->lineno, "%s: value too long (%zu bytes, at most "
		         "%zu)", key, n, size - 1);
		return -1;
	}
	memcpy(dst, v, n + 1);
	return 0;
}

/* "HH:MM" with 00 <= HH <= 24 and MM < 60, 24:00 the only 24; returns
 * minutes after midnight or -1. */
static int
parse_hhmm(const char *s)
{
	if (strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	int m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m >= 60 || h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

static int
parse_windows(struct loader *L, const char *key, struct policy_day *day,
              const char *v)
{
	memset(day, 0, sizeof *day);
	if (*v == '\0' || strcmp(v, "closed") == 0)
		return 0;
	char tmp[LINE_MAX_BYTES];
	snprintf(tmp, sizeof tmp, "%s", v);
	int bad = 0;
	char *save = NULL;
	for (char *tok = strtok_r(tmp, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		char *w = trim(tok);
		char *dash = strchr(w, '-');
		if (dash == NULL) {
			diag_add(L->d, L->lineno, "%s: bad time window '%s' (want "
			         "HH:MM-HH:MM)", key, w);
			bad = 1;
			continue;
		}
		*dash = '\0';
		char *a = trim(w), *b = trim(dash + 1);
		int s = parse_hhmm(a), e = parse_hhmm(b);
		if (s < 0 || e < 0) {
			diag_add(L->d, L->lineno, "%s: bad time window '%s-%s' (times "
			         "are HH:MM from 00:00 to 24:00)", key, a, b);
			bad = 1;
			continue;
		}
		if (e <= s) {
			diag_add(L->d, L->lineno, "%s: time window %s-%s ends before "
			         "it starts", key, a, b);
			bad = 1;
			continue;
		}
		if (day->nwindows == POLICY_MAX_WINDOWS) {
			diag_add(L->d, L->lineno, "%s: more than %d time windows",
			         key, POLICY_MAX_WINDOWS);
			return -1;
		}
		day->windows[day->nwindows].start_min = s;
		day->windows[day->nwindows].end_min = e;
		day->nwindows++;
	}
	/* Sort by start, then windows must not touch or overlap. */
	for (int i = 1; i < day->nwindows; i++) {
		struct policy_window t = day->windows[i];
		int j = i - 1;
		while (j >= 0 && day->windows[j].start_min > t.start_min) {
			day->windows[j + 1] = day->windows[j];
			j--;
		}
		day->windows[j + 1] = t;
	}
	for (int i = 1; i < day->nwindows; i++) {
		const struct policy_window *a = &day->windows[i - 1];
		const struct policy_window *b = &day->windows[i];
		if (b->start_min < a->end_min) {
			diag_add(L->d, L->lineno, "%s: time windows %02d:%02d-%02d:%02d "
			         "and %02d:%02d-%02d:%02d overlap", key,
			         a->start_min / 60, a->start_min % 60, a->end_min / 60,
			         a->end_min % 60, b->start_min / 60, b->start_min % 60,
			         b->end_min / 60, b->end_min % 60);
			bad = 1;
		}
	}
	if (*v != '\0' && day->nwindows == 0 && !bad) {
		diag_add(L->d, L->lineno, "%s: no time window", key);
		bad = 1;
	}
	return bad ? -1 : 0;
}

/* The zone must be a file under the zoneinfo directory; names with ".."
 * or a leading '/' are refused so the check cannot wander. */
static int
parse_tz(struct loader *L, const char *key, char *dst, size_t size,
         const char *v)
{
	const char *zdir = getenv("TZDIR");
	if (zdir == NULL || *zdir == '\0')
		zdir = "/usr/share/zoneinfo";
	char path[512];
	struct stat st;
	int ok = *v != '\0' && *v != '/' && strstr(v, "..") == NULL &&
	         strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	                   "0123456789/_+-") == strlen(v);
	if (ok) {
		snprintf(path, sizeof path, "%s/%s", zdir, v);
		ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	}
	if (!ok) {
		diag_add(L->d, L->lineno, "%s: unknown time zone '%s' (not in %s)",
		         key, v, zdir);
		return -1;
	}
	return copy_str(L, key, dst, size, v);
}

static int
parse_bytes(struct loader *L, const struct field *fd, int64_t *dst,
            const char *v)
{
	char num[32];
	size_t n = strspn(v, "0123456789");
	long long x, mult = 1;
	const char *unit = v + n;
	while (*unit == ' ')
		unit++;
	if (strcmp(unit, "KiB") == 0)
		mult = 1024;
	else if (strcmp(unit, "MiB") == 0)
		mult = 1024 * 1024;
	else if (*unit != '\0')
		n = 0;
	if (n == 0 || n >= sizeof num) {
		diag_add(L->d, L->lineno, "%s: bad size '%s' (want bytes, or N "
		         "KiB, or N MiB)", fd->key, v);
		return -1;
	}
	memcpy(num, v, n);
	num[n] = '\0';
	if (parse_ll(num, &x) != 0 || x > fd->max / mult ||
	    x * mult < fd->min) {
		diag_add(L->d, L->lineno, "%s: size '%s' out of range (%lld to "
		         "%lld bytes)", fd->key, v, fd->min, fd->max);
		return -1;
	}
	*dst = x * mult;
	return 0;
}

/* Lower-cases and normalises "a, b ,c" to "a, b, c"; empty items are
 * errors. */
static int
parse_list(struct loader *L, const char *key, char *dst, size_t size,
           const char *v)
{
	char tmp[LINE_MAX_BYTES], out[LINE_MAX_BYTES] = "";
	snprintf(tmp, sizeof tmp, "%s", v);
	size_t used = 0;
	char *p = tmp;
	for (;;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		char *w = trim(p);
		if (*w == '\0') {
			diag_add(L->d, L->lineno, "%s: empty item in list", key);
			return -1;
		}
		for (char *c = w; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		int w_len = snprintf(out + used, sizeof out - used, "%s%s",
		                     used ? ", " : "", w);
		if (w_len < 0 || (size_t)w_len >= sizeof out - used) {
			diag_add(L->d, L->lineno, "%s: list too long", key);
			return -1;
		}
		used += (size_t)w_len;
		if (!comma)
			break;
		p = comma + 1;
	}
	return copy_str(L, key, dst, size, out);
}

static int
parse_email(struct loader *L, const char *key, char *dst, size_t size,
            const char *v)
{
	const char *at = strchr(v, '@');
	if (at == NULL || at == v || strchr(at + 1, '@') ||
	    strchr(at + 1, '.') == NULL || strpbrk(v, " \t<>,;\"") ||
	    v[strlen(v) - 1] == '.') {
		diag_add(L->d, L->lineno, "%s: '%s' is not a mail address", key, v);
		return -1;
	}
	return copy_str(L, key, dst, size, v);
}

static int
parse_path(struct loader *L, const char *key, char *dst, size_t size,
           const char *v)
{
	if (*v == '\0') {
		dst[0] = '\0';
		return 0;
	}
	char full[512];
	if (v[0] == '/')
		snprintf(full, sizeof full, "%s", v);
	else
		snprintf(full, sizeof full, "%s/%s", L->dir, v);
	struct stat st;
	if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_add(L->d, L->lineno, "%s: no such file '%s'", key, full);
		return -1;
	}
	return copy_str(L, key, dst, size, full);
}

/* Parses value v of field fd into base; errors go to the diag. */
static void
field_parse(struct loader *L, const struct field *fd, void *base,
            const char *v)
{
	char *dst = (char *)base + fd->off;
	long long x;
	int e;
	char names[256];

	switch (fd->type) {
	case F_STR:
		if (*v == '\0') {
			diag_add(L->d, L->lineno, "%s: empty value", fd->key);
			return;
		}
		copy_str(L, fd->key, dst, fd->size, v);
		return;
	case F_WORD:
		if (*v == '\0' || strpbrk(v, " \t")) {
			diag_add(L->d, L->lineno, "%s: want one word, got '%s'",
			         fd->key, v);
			return;
		}
		copy_str(L, fd->key, dst, fd->size, v);
		return;
	case F_EMAIL:
		parse_email(L, fd->key, dst, fd->size, v);
		return;
	case F_DATE: {
		int64_t days;
		if (iso_date_parse(v, &days) != 0) {
			diag_add(L->d, L->lineno, "%s: bad date '%s' (want "
			         "YYYY-MM-DD)", fd->key, v);
			return;
		}
		copy_str(L, fd->key, dst, fd->size, v);
		return;
	}
	case F_INT:
	case F_HOURS_S:
		if (parse_ll(v, &x) != 0) {
			diag_add(L->d, L->lineno, "%s: bad number '%s' (want a whole "
			         "number)", fd->key, v);
			return;
		}
		if (x < fd->min || x > fd->max) {
			diag_add(L->d, L->lineno, "%s: %lld out of range (%lld to "
			         "%lld)", fd->key, x, fd->min, fd->max);
			return;
		}
		if (fd->type == F_INT)
			*(int *)(void *)dst = (int)x;
		else
			*(int64_t *)(void *)dst = (int64_t)x * 3600;
		return;
	case F_BOOL:
		e = name_lookup(fd->names, v);
		if (e < 0) {
			diag_add(L->d, L->lineno, "%s: want yes or no, got '%s'",
			         fd->key, v);
			return;
		}
		*(bool *)(void *)dst = e != 0;
		return;
	case F_ENUM:
	case F_NAME:
		e = name_lookup(fd->names, v);
		if (e < 0) {
			name_list(fd->names, names, sizeof names);
			diag_add(L->d, L->lineno, "%s: unknown value '%s' (want one of: "
			         "%s)", fd->key, v, names);
			return;
		}
		/* A table's "none" is stored as "" (e.g. holidays = none:
		 * the calendar loads no built-in set). */
		if (fd->type == F_NAME)
			copy_str(L, fd->key, dst, fd->size,
			         strcmp(v, "none") == 0 ? "" : v);
		else if (fd->size == sizeof(bool))
			*(bool *)(void *)dst = e != 0;
		else
			*(int *)(void *)dst = e;
		return;
	case F_WINDOWS:
		parse_windows(L, fd->key, (struct policy_day *)(void *)dst, v);
		return;
	case F_TZ:
		parse_tz(L, fd->key, dst, fd->size, v);
		return;
	case F_PATH:
		parse_path(L, fd->key, dst, fd->size, v);
		return;
	case F_LIST:
		parse_list(L, fd->key, dst, fd->size, v);
		return;
	case F_BYTES:
		parse_bytes(L, fd, (int64_t *)(void *)dst, v);
		return;
	}
}

/* Returns true when s is well-formed UTF-8 (no overlongs, surrogates or
 * code points past U+10FFFF) with no control characters but tab. */
static bool
utf8_ok(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	while (*s) {
		unsigned c = *s;
		int n;
		unsigned cp;
		if (c < 0x80) {
			if (c < 0x20 && c != '\t')
				return false;
			s++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		for (int i = 1; i <= n; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		s += n + 1;
	}
	return true;
}

/* ---- sections -------------------------------------------------------- */

/* Valid key after "plan.", "product.": lower-case word. */
static int
is_ident(const char *s)
{
	if (*s == '\0' || strlen(s) >= POLICY_KEY_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return 0;
	return 1;
}

/* Finds where a keyed section's struct lives, adding it to the policy. */
static void *
sect_base(struct loader *L, struct sect *s, const char *sub)
{
	struct policy *p = L->p;
	int v;
	char names[256];

	switch (s->kind) {
	case S_SEVERITY:
		if (strlen(sub) != 1 || sub[0] < '1' ||
		    sub[0] > '0' + POLICY_SEVERITIES) {
			diag_add(L->d, L->lineno, "unknown severity [%s] (want "
			         "severity.1 to severity.%d)", s->name,
			         POLICY_SEVERITIES);
			return NULL;
		}
		return &p->severity[sub[0] - '1'];
	case S_PLAN:
		v = plan_kind_parse(sub);
		if (v < 0) {
			names_join(plan_kind_names, names, sizeof names);
			diag_add(L->d, L->lineno, "unknown plan [%s] (want one of: %s)",
			         s->name, names);
			return NULL;
		}
		if (p->nplans == POLICY_MAX_PLANS)
			return NULL;
		p->plans[p->nplans].kind = (enum plan_kind)v;
		snprintf(p->plans[p->nplans].key, POLICY_KEY_MAX, "%s", sub);
		return &p->plans[p->nplans++];
	case S_PRODUCT:
		if (!is_ident(sub)) {
			diag_add(L->d, L->lineno, "bad product type name [%s] (lower "
			         "case letters, digits and _)", s->name);
			return NULL;
		}
		if (p->nproduct_types == POLICY_MAX_PRODUCT_TYPES) {
			diag_add(L->d, L->lineno, "more than %d product types",
			         POLICY_MAX_PRODUCT_TYPES);
			return NULL;
		}
		snprintf(p->product_types[p->nproduct_types].key, POLICY_KEY_MAX,
		         "%s", sub);
		return &p->product_types[p->nproduct_types++];
	case S_EXCLUSION:
		v = name_lookup(exclusion_names, sub);
		if (v < 0) {
			name_list(exclusion_names, names, sizeof names);
			diag_add(L->d, L->lineno, "unknown exclusion [%s] (want one "
			         "of: %s)", s->name, names);
			return NULL;
		}
		p->exclusions[p->nexclusions].kind = (enum exclusion_kind)v;
		snprintf(p->exclusions[p->nexclusions].key, POLICY_KEY_MAX, "%s",
		         sub);
		return &p->exclusions[p->nexclusions++];
	default:
		return p;
	}
}

/* A "[name]" header at the current line. */
static void
sect_open(struct loader *L, const char *name)
{
	L->cur = NULL;
	if (L->nsects == MAX_SECTIONS) {
		if (!L->sect_overflow)
			diag_add(L->d, L->lineno, "more than %d sections",
			         MAX_SECTIONS);
		L->sect_overflow = 1;
		return;
	}
	struct sect *s = &L->sects[L->nsects++];
	memset(s, 0, sizeof *s);
	snprintf(s->name, sizeof s->name, "%s", name);
	s->line = L->lineno;
	L->cur = s;

	for (int i = 0; i < L->nsects - 1; i++)
		if (strcmp(L->sects[i].name, name) == 0) {
			diag_add(L->d, L->lineno, "duplicate section [%s] (first at "
			         "line %d)", name, L->sects[i].line);
			return;
		}

	const char *dot = strchr(name, '.');
	size_t plen = dot ? (size_t)(dot - name) : strlen(name);
	int k;
	for (k = 0; k < S_COUNT; k++)
		if (strlen(sect_defs[k].name) == plen &&
		    strncmp(sect_defs[k].name, name, plen) == 0 &&
		    (dot != NULL) == (sect_defs[k].keyed != 0))
			break;
	if (k == S_COUNT) {
		diag_add(L->d, L->lineno, "unknown section [%s]", name);
		return;
	}
	s->kind = (enum sect_kind)k;
	s->base = sect_base(L, s, dot ? dot + 1 : "");
	s->valid = s->base != NULL;
}

/* ---- the reader and the handler -------------------------------------- */

/* Looks at one whole physical line for what inih does not report to the
 * handler: section headers and lines that are not key = value. */
static void
line_inspect(struct loader *L, char *raw)
{
	char tmp[LINE_MAX_BYTES];
	snprintf(tmp, sizeof tmp, "%s", raw);
	tmp[strcspn(tmp, "\r\n")] = '\0';
	char *s = tmp;
	if (L->lineno == 1 && (unsigned char)s[0] == 0xEF &&
	    (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
		s += 3;
	s = trim(s);
	if (*s == '\0' || *s == ';' || *s == '#')
		return;
	if (*s == '[') {
		char *end = strchr(s, ']');
		if (end == NULL || end[1] != '\0') {
			diag_add(L->d, L->lineno, "syntax error: bad section header "
			         "'%s'", s);
			/* Keys below belong to no section we know. */
			L->cur = NULL;
			if (L->nsects < MAX_SECTIONS) {
				L->cur = &L->sects[L->nsects++];
				memset(L->cur, 0, sizeof *L->cur);
				L->cur->line = L->lineno;
			}
			return;
		}
		*end = '\0';
		sect_open(L, trim(s + 1));
		return;
	}
	if (strpbrk(s, "=:") == NULL)
		diag_add(L->d, L->lineno, "syntax error: want 'key = value', got "
		         "'%s'", s);
}

/* ini_reader: fgets-like, one physical line per call, counting lines. */
static char *
reader(char *str, int num, void *stream)
{
	struct loader *L = stream;
	if (fgets(str, num, L->f) == NULL)
		return NULL;
	size_t n = strlen(str);
	L->lineno++;
	if (n > 0 && str[n - 1] != '\n' && !feof(L->f)) {
		/* Longer than the buffer: report, drop the rest of it. */
		diag_add(L->d, L->lineno, "line too long (more than %d bytes)",
		         num - 2);
		int c;
		while ((c = fgetc(L->f)) != EOF && c != '\n')
			;
		str[0] = '\n';
		str[1] = '\0';
		return str;
	}
	line_inspect(L, str);
	return str;
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct loader *L = user;
	(void)section; /* the reader tracked it, with its line */
	struct sect *s = L->cur;
	char vbuf[LINE_MAX_BYTES];

	if (s == NULL) {
		if (L->nsects == 0)
			diag_add(L->d, L->lineno, "key '%s' outside any section",
			         name);
		return 1;
	}
	if (!s->valid)
		return 1; /* the section header was already reported */

	const struct field *fields = sect_defs[s->kind].fields;
	int i;
	for (i = 0; fields[i].key; i++)
		if (strcmp(fields[i].key, name) == 0)
			break;
	if (fields[i].key == NULL) {
		if (s->kind == S_SCHEDULE && strlen(name) <= 4 &&
		    name_lookup(weekday_names, name) < 0 &&
		    strspn(name, "abcdefghijklmnopqrstuvwxyz") == strlen(name))
			diag_add(L->d, L->lineno, "unknown weekday '%s' in [%s] (want "
			         "mon, tue, wed, thu, fri, sat, sun)", name, s->name);
		else
			diag_add(L->d, L->lineno, "unknown key '%s' in [%s]", name,
			         s->name);
		return 1;
	}
	if (s->key_line[i]) {
		diag_add(L->d, L->lineno, "duplicate key '%s' in [%s] (first at "
		         "line %d)", name, s->name, s->key_line[i]);
		return 1;
	}
	s->key_line[i] = L->lineno;
	if (!utf8_ok(value)) {
		diag_add(L->d, L->lineno, "%s: value is not valid UTF-8 text",
		         name);
		return 1;
	}
	snprintf(vbuf, sizeof vbuf, "%s", value);
	field_parse(L, &fields[i], s->base, trim(vbuf));
	return 1;
}

/* ---- checks across keys ---------------------------------------------- */

/* The line where section s set key, or 0. */
static int
key_line(const struct sect *s, const char *key)
{
	const struct field *fields = sect_defs[s->kind].fields;
	for (int i = 0; fields[i].key; i++)
		if (strcmp(fields[i].key, key) == 0)
			return s->key_line[i];
	return 0;
}

static void
check_all(struct loader *L)
{
	struct policy *p = L->p;
	int end = L->lineno > 0 ? L->lineno : 1;
	int have[S_COUNT] = {0};
	const struct sect *warranty = NULL, *schedule = NULL, *limits = NULL;

	for (int i = 0; i < L->nsects; i++) {
		const struct sect *s = &L->sects[i];
		if (!s->valid)
			continue;
		have[s->kind]++;
		if (s->kind == S_WARRANTY)
			warranty = s;
		if (s->kind == S_SCHEDULE)
			schedule = s;
		if (s->kind == S_LIMITS)
			limits = s;
		const struct field *fields = sect_defs[s->kind].fields;
		for (int k = 0; fields[k].key; k++)
			if (fields[k].required && !s->key_line[k])
				diag_add(L->d, s->line, "[%s]: missing required key "
				         "'%s'", s->name, fields[k].key);
	}
	for (int k = 0; k < S_COUNT; k++)
		if (sect_defs[k].required && !have[k])
			diag_add(L->d, end, "missing required section [%s%s]",
			         sect_defs[k].name, sect_defs[k].keyed ? ".*" : "");

	/* Every severity level must be there. */
	if (have[S_SEVERITY])
		for (int n = 1; n <= POLICY_SEVERITIES; n++) {
			char want[32];
			snprintf(want, sizeof want, "severity.%d", n);
			int found = 0;
			for (int i = 0; i < L->nsects; i++)
				found |= L->sects[i].valid &&
				         strcmp(L->sects[i].name, want) == 0;
			if (!found)
				diag_add(L->d, end, "missing required section [%s]",
				         want);
		}
	for (int n = 1; n < POLICY_SEVERITIES; n++) {
		const struct policy_severity *a = &p->severity[n - 1];
		const struct policy_severity *b = &p->severity[n];
		if (a->response_s && b->response_s && b->response_s < a->response_s)
			diag_add(L->d, end, "severity %d responds sooner (%lld h) than "
			         "severity %d (%lld h)", n + 1,
			         (long long)(b->response_s / 3600), n,
			         (long long)(a->response_s / 3600));
	}

	if (schedule) {
		int open = 0;
		for (int d = 0; d < 7; d++)
			open += p->week[d].nwindows;
		if (open == 0)
			diag_add(L->d, schedule->line, "[schedule]: no open time "
			         "window on any weekday");
	}

	for (int i = 0; i < p->nplans; i++) {
		const struct policy_plan *pl = &p->plans[i];
		const struct sect *s = NULL;
		for (int j = 0; j < L->nsects; j++)
			if (L->sects[j].base == pl)
				s = &L->sects[j];
		int line = s ? s->line : end;
		if (pl->kind == PLAN_PER_EVENT && pl->period != PLAN_PERIOD_EVENT)
			diag_add(L->d, line, "[plan.%s]: period must be 'event'",
			         pl->key);
		if (pl->kind != PLAN_PER_EVENT && pl->period != PLAN_PERIOD_MONTH)
			diag_add(L->d, line, "[plan.%s]: period must be 'month'",
			         pl->key);
		if (pl->period == PLAN_PERIOD_EVENT && pl->event_min_s <= 0 &&
		    s && key_line(s, "event_min_hours"))
			diag_add(L->d, key_line(s, "event_min_hours"),
			         "[plan.%s]: event_min_hours "
			         "must be at least 1 for per-event plans", pl->key);
	}

	if (warranty) {
		if (p->warranty_min_months > p->warranty_max_months)
			diag_add(L->d, warranty->line, "[warranty]: min_months %d is "
			         "more than max_months %d", p->warranty_min_months,
			         p->warranty_max_months);
		else if (p->warranty_default_months < p->warranty_min_months ||
		         p->warranty_default_months > p->warranty_max_months)
			diag_add(L->d, warranty->line, "[warranty]: default_months %d "
			         "is not between %d and %d",
			         p->warranty_default_months, p->warranty_min_months,
			         p->warranty_max_months);
		/* With bad bounds, say so once, not once per product. */
		for (int j = 0; p->warranty_min_months <= p->warranty_max_months &&
		     j < L->nsects; j++) {
			const struct sect *s = &L->sects[j];
			int kl = s->valid && s->kind == S_PRODUCT ?
			         key_line(s, "warranty_months") : 0;
			if (!kl)
				continue;
			const struct policy_product_type *pt = s->base;
			if (pt->warranty_months < p->warranty_min_months ||
			    pt->warranty_months > p->warranty_max_months)
				diag_add(L->d, kl, "[%s]: warranty_months %d "
				         "is not between %d and %d", s->name,
				         pt->warranty_months, p->warranty_min_months,
				         p->warranty_max_months);
		}
	}

	if (limits && p->max_attachment_bytes > p->max_message_bytes)
		diag_add(L->d, limits->line, "[limits]: max_attachment_bytes is "
		         "more than max_message_bytes");
}

/* ---- entry points ---------------------------------------------------- */

enum policy_load_rc
policy_load(const char *path, struct policy *out, struct policy_diag *diag)
{
	struct loader L;
	memset(out, 0, sizeof *out);
	memset(diag, 0, sizeof *diag);
	memset(&L, 0, sizeof L);
	out->max_outbound_bytes = POLICY_MAX_OUTBOUND_BYTES_DEFAULT;
	out->upload_keep_s = POLICY_UPLOAD_KEEP_S_DEFAULT;
	snprintf(diag->path, sizeof diag->path, "%s", path);
	L.p = out;
	L.d = diag;
	L.path = path;
	snprintf(L.dir, sizeof L.dir, "%s", path);
	char *slash = strrchr(L.dir, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(L.dir, sizeof L.dir, ".");

	L.f = fopen(path, "r");
	if (L.f == NULL) {
		diag_add(diag, 0, "cannot open: %s", strerror(errno));
		return POLICY_LOAD_IO;
	}
	/* Debian's inih reads these at run time: whole lines up to our cap,
	 * values verbatim (';' is text), no continuation lines, and on. They
	 * are process-wide, so they are put back afterwards. */
	const bool o_stack = ini_use_stack, o_realloc = ini_allow_realloc,
	           o_multi = ini_allow_multiline,
	           o_inline = ini_allow_inline_comments,
	           o_stop = ini_stop_on_first_error,
	           o_novalue = ini_allow_no_value;
	const int o_max = ini_max_line, o_alloc = ini_initial_alloc;
	ini_use_stack = false;
	ini_allow_realloc = false;
	ini_max_line = LINE_MAX_BYTES;
	ini_initial_alloc = LINE_MAX_BYTES;
	ini_allow_multiline = false;
	ini_allow_inline_comments = false;
	ini_stop_on_first_error = false;
	ini_allow_no_value = false;

	int rc = ini_parse_stream(reader, &L, handler, &L);
	ini_use_stack = o_stack;
	ini_allow_realloc = o_realloc;
	ini_max_line = o_max;
	ini_initial_alloc = o_alloc;
	ini_allow_multiline = o_multi;
	ini_allow_inline_comments = o_inline;
	ini_stop_on_first_error = o_stop;
	ini_allow_no_value = o_novalue;
	int read_error = ferror(L.f);
	fclose(L.f);
	if (rc == -2)
		return POLICY_LOAD_NOMEM;
	if (read_error) {
		diag_add(diag, 0, "read error");
		return POLICY_LOAD_IO;
	}
	check_all(&L);
	diag_sort(diag);
	if (diag->count > 0)
		return POLICY_LOAD_INVALID;
	if (policy_fingerprint(out) != 0)
		return POLICY_LOAD_NOMEM;
	return POLICY_LOAD_OK;
}

int
policy_fingerprint(struct policy *p)
{
	char *text = policy_canonical(p);
	if (text == NULL)
		return -1;
	sha256_hex(text, strlen(text), p->fingerprint);
	free(text);
	return 0;
}

const char *
policy_default_path(const char *explicit_path)
{
	static const char local[] = "policy/prodequa.ini";
	static const char data[] = SOPORTE_DATADIR "/policy/prodequa.ini";
	struct stat st;
	if (explicit_path && *explicit_path)
		return explicit_path;
	if (stat(local, &st) == 0)
		return local;
	return data;
}
