/*
 * ticket_triage.c - the desk's triage model, proposals and learning (see
 * ticket_triage.h).
 */
#include "app/ticket/ticket_triage.h"
#include "util/log.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The process's model: the triage_models row it came from (0: the seed of
 * policy pol), shared by all threads under the lock. */
static pthread_mutex_t model_lock = PTHREAD_MUTEX_INITIALIZER;
static struct triage_model *model;
static int64_t model_id = -1;
static const struct policy *model_pol;

static enum store_rc
oom(struct store *db)
{
	return store_fail(db, STORE_ERROR, "triage: out of memory");
}

/* The policy's seed trained on nothing: the desk's model before any
 * training. NULL when memory ran out. */
static struct triage_model *
seed_model(const struct policy *pol)
{
	struct triage_policy_seed *seed = malloc(sizeof *seed);
	struct triage_model *m = NULL;
	if (seed == NULL)
		return NULL;
	triage_seed_from_policy(pol, seed);
	if (triage_train(seed, NULL, 0, &m) != 0)
		m = NULL;
	free(seed);
	return m;
}

/* Under model_lock: makes `model` the one of row id (0: the seed). */
static enum store_rc
load_model(struct store *db, const struct policy *pol, int64_t id)
{
	struct triage_model *m = NULL;
	if (id > 0) {
		struct store_rows *r;
		enum store_rc rc = store_query_row(
		    db, "SELECT model FROM triage_models WHERE id = $1",
		    STORE_PARAMS(SP_I(id)), &r);
		if (rc != STORE_OK)
			return rc;
		const char *text = store_text(r, 0);
		if (triage_model_parse(text, strlen(text), &m) != 0) {
			log_warn("triage: the stored model %lld does not read; "
			         "using the policy's seed", (long long)id);
			m = NULL;
		}
		store_done(r);
	}
	if (m == NULL && (m = seed_model(pol)) == NULL)
		return oom(db);
	triage_model_free(model);
	model = m;
	model_id = id;
	model_pol = pol;
	return STORE_OK;
}

enum store_rc
ticket_triage_classify(struct store *db, const struct policy *pol,
                       const struct triage_input *in, struct triage_result *out)
{
	int64_t id = 0;
	enum store_rc rc = store_get_int(
	    db, "SELECT id FROM triage_models WHERE active = 1",
	    STORE_NO_PARAMS, &id);
	if (rc == STORE_NOTFOUND)
		id = 0;
	else if (rc != STORE_OK)
		return rc;
	pthread_mutex_lock(&model_lock);
	rc = STORE_OK;
	if (model == NULL || id != model_id || (id == 0 && pol != model_pol))
		rc = load_model(db, pol, id);
	if (rc == STORE_OK)
		triage_classify(model, in, pol->triage_confidence_percent / 100.0,
		                out);
	pthread_mutex_unlock(&model_lock);
	return rc;
}

/* A confidence in [0, 1] as per mille. */
static int64_t
permille(double p)
{
	return (int64_t)(p < 0 ? 0 : p > 1 ? 1000 : p * 1000.0 + 0.5);
}

enum store_rc
ticket_triage_record(struct store *db, int64_t ticket_id,
                     const struct triage_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nreasons; i++)
		json_array_append_new(a, json_string(r->reasons[i]));
	char *reasons = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	if (reasons == NULL)
		return oom(db);
	enum store_rc rc = store_exec(
	    db,
	    "UPDATE tickets SET triage_severity = $2, triage_category = $3, "
	    "triage_severity_confidence = $4, triage_category_confidence = $5, "
	    "triage_reasons = $6, triage_model_version = $7, triage_flagged = $8 "
	    "WHERE id = $1",
	    STORE_PARAMS(SP_I(ticket_id), SP_I(r->severity),
	                 SP_T(triage_category_name(r->category)),
	                 SP_I(permille(r->severity_confidence)),
	                 SP_I(permille(r->category_confidence)), SP_T(reasons),
	                 SP_T(r->model_version), SP_I(r->flagged ? 1 : 0)));
	free(reasons);
	return rc;
}

const char *
ticket_triage_opening_category(const struct triage_result *r)
{
	const char *name = triage_category_name(r->category);
	return name == NULL || triage_category_excluded(r->category) ? "incident"
	                                                              : name;
}

/* The texts of the desk's examples (subject, body, product type, then
 * the attachments' names), copied out of the rows, freed at the end. */
struct names {
	char **v;
	size_t n, cap;
};

static int
names_push(struct names *nm, const char *s)
{
	if (nm->n == nm->cap) {
		size_t cap = nm->cap ? nm->cap * 2 : 64;
		char **v = realloc(nm->v, cap * sizeof *v);
		if (v == NULL)
			return -1;
		nm->v = v;
		nm->cap = cap;
	}
	if ((nm->v[nm->n] = strdup(s)) == NULL)
		return -1;
	nm->n++;
	return 0;
}

static void
names_free(struct names *nm)
{
	for (size_t i = 0; i < nm->n; i++)
		free(nm->v[i]);
	free(nm->v);
}

/* Where an example's texts are in nm, until nm stops growing. */
struct example_row {
	int64_t message_id;          /* its first message */
	size_t base;                 /* subject, body, product type */
	size_t first_name, nnames;   /* its attachments' names */
};

/* The confirmed tickets (see the header) and their first messages. */
#define EXAMPLES_FROM                                                      \
	"FROM tickets t JOIN messages m ON m.id = (SELECT MIN(x.id) FROM "     \
	"messages x WHERE x.ticket_id = t.id) "
#define EXAMPLES_WHERE                                                     \
	"WHERE t.severity_confirmed_at IS NOT NULL OR "                        \
	"t.category_confirmed_at IS NOT NULL "

/* The examples' rows into ex/er (texts copied into nm). */
static enum store_rc
load_tickets(struct store *db, struct triage_example **ex,
             struct example_row **er, size_t *n, struct names *nm)
{
	struct store_rows *r;
	enum store_rc rc = store_query(
	    db,
	    "SELECT t.subject, COALESCE(m.body_display, m.body_text, ''), "
	    "COALESCE(p.type, ''), t.severity, t.category, "
	    "CASE WHEN t.severity_confirmed_at IS NULL THEN 0 ELSE 1 END, "
	    "CASE WHEN t.category_confirmed_at IS NULL THEN 0 ELSE 1 END, m.id "
	    EXAMPLES_FROM "LEFT JOIN products p ON p.id = t.product_id "
	    EXAMPLES_WHERE "ORDER BY m.id",
	    STORE_NO_PARAMS, &r);
	if (rc != STORE_OK)
		return rc;
	size_t cap = 0;
	while ((rc = store_next(r)) == STORE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			struct triage_example *e2 = realloc(*ex, cap * sizeof **ex);
			if (e2)
				*ex = e2;
			struct example_row *r2 = e2 ? realloc(*er, cap * sizeof **er)
			                            : NULL;
			if (r2)
				*er = r2;
			if (r2 == NULL) {
				rc = oom(db);
				break;
			}
		}
		size_t base = nm->n;
		if (names_push(nm, store_text(r, 0)) != 0 ||
		    names_push(nm, store_text(r, 1)) != 0 ||
		    names_push(nm, store_text(r, 2)) != 0) {
			rc = oom(db);
			break;
		}
		(*ex)[*n] = (struct triage_example){
			.severity = store_int(r, 5) ? (int)store_int(r, 3) : 0,
			.category = store_int(r, 6)
			                ? triage_category_parse(store_text(r, 4))
			                : -1,
		};
		(*er)[*n] = (struct example_row){store_int(r, 7), base, 0, 0};
		(*n)++;
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

/* The attachments' names of the examples' first messages, in one query
 * in the same order (by message). */
static enum store_rc
load_names(struct store *db, struct example_row *er, size_t n,
           struct names *nm)
{
	struct store_rows *r;
	enum store_rc rc = store_query(
	    db,
	    "SELECT a.message_id, a.filename FROM attachments a WHERE "
	    "a.message_id IN (SELECT m.id " EXAMPLES_FROM EXAMPLES_WHERE ") "
	    "ORDER BY a.message_id, a.id",
	    STORE_NO_PARAMS, &r);
	if (rc != STORE_OK)
		return rc;
	size_t i = 0;
	while ((rc = store_next(r)) == STORE_ROW) {
		int64_t msg = store_int(r, 0);
		while (i < n && er[i].message_id < msg)
			i++;
		if (i == n || er[i].message_id != msg)
			continue;
		if (er[i].nnames == 0)
			er[i].first_name = nm->n;
		if (names_push(nm, store_text(r, 1)) != 0) {
			rc = oom(db);
			break;
		}
		er[i].nnames++;
	}
	store_done(r);
	return rc == STORE_DONE ? STORE_OK : rc;
}

/* The desk's examples; their texts live in nm. */
static enum store_rc
load_examples(struct store *db, struct triage_example **out, size_t *n,
              struct names *nm)
{
	struct triage_example *ex = NULL;
	struct example_row *er = NULL;
	*n = 0;
	enum store_rc rc = load_tickets(db, &ex, &er, n, nm);
	if (rc == STORE_OK)
		rc = load_names(db, er, *n, nm);
	/* nm is complete: its indexes become pointers. */
	for (size_t i = 0; i < *n && rc == STORE_OK; i++) {
		ex[i].in.subject = nm->v[er[i].base];
		ex[i].in.body = nm->v[er[i].base + 1];
		ex[i].in.product_type = nm->v[er[i].base + 2];
		ex[i].in.attachment_names =
		    er[i].nnames ? (const char *const *)&nm->v[er[i].first_name]
		                 : NULL;
		ex[i].in.nattachments = er[i].nnames;
	}
	free(er);
	if (rc != STORE_OK) {
		free(ex);
		ex = NULL;
		*n = 0;
	}
	*out = ex;
	return rc;
}

/* Stores model m (trained on n examples) as the active one. */
static enum store_rc
store_model(struct store *db, const struct triage_model *m, size_t n,
            int64_t user_id, int64_t now, struct triage_trained *out)
{
	char *text = NULL;
	size_t len = 0;
	if (triage_model_serialize(m, &text, &len) != 0)
		return oom(db);
	snprintf(out->version, sizeof out->version, "%s", triage_model_version(m));
	out->examples = n;
	enum store_rc rc = store_exec(db,
	                              "UPDATE triage_models SET active = 0 WHERE "
	                              "active = 1",
	                              STORE_NO_PARAMS);
	if (rc == STORE_OK) {
		rc = store_get_int(db,
		                   "UPDATE triage_models SET active = 1 WHERE "
		                   "version = $1 RETURNING id",
		                   STORE_PARAMS(SP_T(out->version)), &out->id);
		out->known = rc == STORE_OK;
	}
	if (rc == STORE_NOTFOUND)
		rc = store_get_int(
		    db,
		    "INSERT INTO triage_models (version, created_at, created_by, "
		    "examples, model, active) VALUES ($1, $2, $3, $4, $5, 1) "
		    "RETURNING id",
		    STORE_PARAMS(SP_T(out->version), SP_I(now), SP_ID(user_id),
		                 SP_I((int64_t)n), SP_T(text)),
		    &out->id);
	free(text);
	return rc;
}

enum store_rc
ticket_triage_train(struct store *db, const struct policy *pol,
                    int64_t user_id, int64_t now, struct triage_trained *out)
{
	memset(out, 0, sizeof *out);
	struct names nm = {0};
	struct triage_example *ex = NULL;
	size_t n = 0;
	struct triage_policy_seed *seed = malloc(sizeof *seed);
	struct triage_model *m = NULL;
	if (seed == NULL)
		return oom(db);
	triage_seed_from_policy(pol, seed);
	/* Reading and learning take no lock: intake goes on meanwhile. */
	enum store_rc rc = load_examples(db, &ex, &n, &nm);
	if (rc == STORE_OK && triage_train(seed, ex, n, &m) != 0)
		rc = oom(db);
	int began = 0;
	if (rc == STORE_OK && (rc = store_begin(db, 1)) == STORE_OK)
		began = 1;
	if (rc == STORE_OK)
		rc = store_model(db, m, n, user_id, now, out);
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK && began)
		store_rollback(db);
	triage_model_free(m);
	free(ex);
	names_free(&nm);
	free(seed);
	return rc;
}

enum store_rc
ticket_triage_models_json(struct store *db, json_t **out)
{
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(
	    db,
	    "SELECT m.id, m.version, m.created_at, u.email, m.examples, m.active "
	    "FROM triage_models m LEFT JOIN users u ON u.id = m.created_by "
	    "ORDER BY m.id DESC",
	    STORE_NO_PARAMS, &r);
	if (rc != STORE_OK)
		return rc;
	json_t *a = json_array();
	while ((rc = store_next(r)) == STORE_ROW)
		json_array_append_new(
		    a, json_pack("{s:I, s:s, s:I, s:o, s:I, s:b}", "id",
		                 (json_int_t)store_int(r, 0), "version",
		                 store_text(r, 1), "created_at",
		                 (json_int_t)store_int(r, 2), "created_by",
		                 store_isnull(r, 3) ? json_null()
		                                    : json_string(store_text(r, 3)),
		                 "examples", (json_int_t)store_int(r, 4), "active",
		                 (int)store_int(r, 5)));
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return STORE_OK;
}
