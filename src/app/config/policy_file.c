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
 * the whole file has been read. The tables are policy_names.c, the value
 * parsers policy_values.c (shared through policy_internal.h).
 *
 * SECURITY: the file is the operator's; it is still parsed defensively
 * (line length cap, size-checked copies, strict numbers).
 */
#include "app/config/policy_file.h"
#include "app/config/policy_internal.h"
#include "app/config/policy_show.h"
#include "core/triage.h"
#include "util/paths.h"
#include "util/timefmt.h"
#include "util/sha256.h"

#include <ini.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


/* ---- diagnostics ----------------------------------------------------- */

void
pf_diag_add(struct policy_diag *d, int line, const char *fmt, ...)
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
			pf_diag_add(L->d, L->lineno, "unknown severity [%s] (want "
			            "severity.1 to severity.%d)", s->name,
			            POLICY_SEVERITIES);
			return NULL;
		}
		return &p->severity[sub[0] - '1'];
	case S_PLAN:
		v = plan_kind_parse(sub);
		if (v < 0) {
			pf_names_join(plan_kind_names, names, sizeof names);
			pf_diag_add(L->d, L->lineno, "unknown plan [%s] (want one of: %s)",
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
			pf_diag_add(L->d, L->lineno, "bad product type name [%s] (lower "
			            "case letters, digits and _)", s->name);
			return NULL;
		}
		if (p->nproduct_types == POLICY_MAX_PRODUCT_TYPES) {
			pf_diag_add(L->d, L->lineno, "more than %d product types",
			            POLICY_MAX_PRODUCT_TYPES);
			return NULL;
		}
		snprintf(p->product_types[p->nproduct_types].key, POLICY_KEY_MAX,
		         "%s", sub);
		return &p->product_types[p->nproduct_types++];
	case S_EXCLUSION:
		v = pf_name_lookup(pf_exclusion_names, sub);
		if (v < 0) {
			pf_name_list(pf_exclusion_names, names, sizeof names);
			pf_diag_add(L->d, L->lineno, "unknown exclusion [%s] (want one "
			            "of: %s)", s->name, names);
			return NULL;
		}
		p->exclusions[p->nexclusions].kind = (enum exclusion_kind)v;
		snprintf(p->exclusions[p->nexclusions].key, POLICY_KEY_MAX, "%s",
		         sub);
		return &p->exclusions[p->nexclusions++];
	case S_TRIAGE_CATEGORY:
		/* The exclusions are [exclusion.*]; these are the others. */
		v = triage_category_parse(sub);
		if (v < 0 || triage_category_excluded(v)) {
			pf_diag_add(L->d, L->lineno, "unknown triage category [%s] (want "
			            "one of: incident, change_request, question, "
			            "suggestion)", s->name);
			return NULL;
		}
		if (p->ntriage_categories == POLICY_MAX_TRIAGE_CATEGORIES)
			return NULL;
		snprintf(p->triage_categories[p->ntriage_categories].key,
		         POLICY_KEY_MAX, "%s", sub);
		return &p->triage_categories[p->ntriage_categories++];
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
			pf_diag_add(L->d, L->lineno, "more than %d sections",
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
			pf_diag_add(L->d, L->lineno, "duplicate section [%s] (first at "
			            "line %d)", name, L->sects[i].line);
			return;
		}

	const char *dot = strchr(name, '.');
	size_t plen = dot ? (size_t)(dot - name) : strlen(name);
	int k;
	for (k = 0; k < S_COUNT; k++)
		if (strlen(pf_sect_defs[k].name) == plen &&
		    strncmp(pf_sect_defs[k].name, name, plen) == 0 &&
		    (dot != NULL) == (pf_sect_defs[k].keyed != 0))
			break;
	if (k == S_COUNT) {
		pf_diag_add(L->d, L->lineno, "unknown section [%s]", name);
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
	s = pf_trim(s);
	if (*s == '\0' || *s == ';' || *s == '#')
		return;
	if (*s == '[') {
		char *end = strchr(s, ']');
		if (end == NULL || end[1] != '\0') {
			pf_diag_add(L->d, L->lineno, "syntax error: bad section header "
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
		sect_open(L, pf_trim(s + 1));
		return;
	}
	if (strpbrk(s, "=:") == NULL)
		pf_diag_add(L->d, L->lineno, "syntax error: want 'key = value', got "
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
		pf_diag_add(L->d, L->lineno, "line too long (more than %d bytes)",
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
			pf_diag_add(L->d, L->lineno, "key '%s' outside any section",
			            name);
		return 1;
	}
	if (!s->valid)
		return 1; /* the section header was already reported */

	const struct field *fields = pf_sect_defs[s->kind].fields;
	int i;
	for (i = 0; fields[i].key; i++)
		if (strcmp(fields[i].key, name) == 0)
			break;
	if (fields[i].key == NULL) {
		if (s->kind == S_SCHEDULE && strlen(name) <= 4 &&
		    pf_name_lookup(pf_weekday_names, name) < 0 &&
		    strspn(name, "abcdefghijklmnopqrstuvwxyz") == strlen(name))
			pf_diag_add(L->d, L->lineno, "unknown weekday '%s' in [%s] (want "
			            "mon, tue, wed, thu, fri, sat, sun)", name, s->name);
		else
			pf_diag_add(L->d, L->lineno, "unknown key '%s' in [%s]", name,
			            s->name);
		return 1;
	}
	if (s->key_line[i]) {
		pf_diag_add(L->d, L->lineno, "duplicate key '%s' in [%s] (first at "
		            "line %d)", name, s->name, s->key_line[i]);
		return 1;
	}
	s->key_line[i] = L->lineno;
	if (!pf_utf8_ok(value)) {
		pf_diag_add(L->d, L->lineno, "%s: value is not valid UTF-8 text",
		            name);
		return 1;
	}
	snprintf(vbuf, sizeof vbuf, "%s", value);
	pf_field_parse(L, &fields[i], s->base, pf_trim(vbuf));
	return 1;
}

/* ---- checks across keys ---------------------------------------------- */

/* The line where section s set key, or 0. */
static int
key_line(const struct sect *s, const char *key)
{
	const struct field *fields = pf_sect_defs[s->kind].fields;
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
		const struct field *fields = pf_sect_defs[s->kind].fields;
		for (int k = 0; fields[k].key; k++)
			if (fields[k].required && !s->key_line[k])
				pf_diag_add(L->d, s->line, "[%s]: missing required key "
				            "'%s'", s->name, fields[k].key);
	}
	for (int k = 0; k < S_COUNT; k++)
		if (pf_sect_defs[k].required && !have[k])
			pf_diag_add(L->d, end, "missing required section [%s%s]",
			            pf_sect_defs[k].name, pf_sect_defs[k].keyed ? ".*" : "");

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
				pf_diag_add(L->d, end, "missing required section [%s]",
				            want);
		}
	for (int n = 1; n < POLICY_SEVERITIES; n++) {
		const struct policy_severity *a = &p->severity[n - 1];
		const struct policy_severity *b = &p->severity[n];
		if (a->response_s && b->response_s && b->response_s < a->response_s)
			pf_diag_add(L->d, end, "severity %d responds sooner (%lld h) than "
			            "severity %d (%lld h)", n + 1,
			            (long long)(b->response_s / 3600), n,
			            (long long)(a->response_s / 3600));
	}

	if (schedule) {
		int open = 0;
		for (int d = 0; d < 7; d++)
			open += p->week[d].nwindows;
		if (open == 0)
			pf_diag_add(L->d, schedule->line, "[schedule]: no open time "
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
			pf_diag_add(L->d, line, "[plan.%s]: period must be 'event'",
			            pl->key);
		if (pl->kind != PLAN_PER_EVENT && pl->period != PLAN_PERIOD_MONTH)
			pf_diag_add(L->d, line, "[plan.%s]: period must be 'month'",
			            pl->key);
		if (pl->period == PLAN_PERIOD_EVENT && pl->event_min_s <= 0 &&
		    s && key_line(s, "event_min_hours"))
			pf_diag_add(L->d, key_line(s, "event_min_hours"),
			            "[plan.%s]: event_min_hours "
			            "must be at least 1 for per-event plans", pl->key);
	}

	if (warranty) {
		if (p->warranty_min_months > p->warranty_max_months)
			pf_diag_add(L->d, warranty->line, "[warranty]: min_months %d is "
			            "more than max_months %d", p->warranty_min_months,
			            p->warranty_max_months);
		else if (p->warranty_default_months < p->warranty_min_months ||
		         p->warranty_default_months > p->warranty_max_months)
			pf_diag_add(L->d, warranty->line, "[warranty]: default_months %d "
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
				pf_diag_add(L->d, kl, "[%s]: warranty_months %d "
				            "is not between %d and %d", s->name,
				            pt->warranty_months, p->warranty_min_months,
				            p->warranty_max_months);
		}
	}

	if (limits && p->max_attachment_bytes > p->max_message_bytes)
		pf_diag_add(L->d, limits->line, "[limits]: max_attachment_bytes is "
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
	out->hour_alert_percent = POLICY_HOUR_ALERT_PERCENT_DEFAULT;
	out->max_secrets_per_ticket = POLICY_MAX_SECRETS_PER_TICKET_DEFAULT;
	out->max_attachments_per_ticket =
	    POLICY_MAX_ATTACHMENTS_PER_TICKET_DEFAULT;
	out->max_notes_per_ticket = POLICY_MAX_NOTES_PER_TICKET_DEFAULT;
	out->triage_confidence_percent =
	    POLICY_TRIAGE_CONFIDENCE_PERCENT_DEFAULT;
	out->triage_seed_weight = POLICY_TRIAGE_SEED_WEIGHT_DEFAULT;
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
		pf_diag_add(diag, 0, "cannot open: %s", strerror(errno));
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
		pf_diag_add(diag, 0, "read error");
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
	struct stat st;
	if (explicit_path && *explicit_path)
		return explicit_path;
	if (stat(local, &st) == 0)
		return local;
	return paths_get(PATHS_POLICY);
}
