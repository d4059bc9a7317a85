/*
 * canned.c - canned replies (see canned.h).
 */
#include "app/ticket/canned.h"
#include "app/base/audit.h"
#include "app/base/json_rows.h"
#include "app/base/localtime.h"
#include "app/base/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { V_TICKET, V_CLIENT, V_DEADLINE, V_CONSULTANT, V_CONTACT, V_COUNT };
static const char *const var_names[V_COUNT] = {"ticket", "client", "deadline",
                                               "consultant", "contact"};

static void
vars_set(struct tvar v[V_COUNT], const char *const values[V_COUNT])
{
	for (int i = 0; i < V_COUNT; i++)
		v[i] = (struct tvar){var_names[i], values[i]};
}

int
canned_body_ok(const char *body, char *err, size_t errlen)
{
	static const char *const sample[V_COUNT] = {"#000001", "c", "d", "k",
	                                            "p"};
	struct tvar v[V_COUNT];
	char *out = NULL;
	vars_set(v, sample);
	int rc = template_expand(body, v, V_COUNT, &out, err, errlen);
	free(out);
	return rc == 0;
}

/* The person, or the system for the command line (no account). */
static struct actor
who(int64_t user_id)
{
	return user_id > 0 ? (struct actor){ACTOR_USER, user_id}
	                   : ACTOR_SYSTEM_INIT;
}

static enum store_rc
finish(struct store *db, enum store_rc rc)
{
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
	return rc;
}

static json_t *
text_detail(int64_t id, const struct canned_in *in)
{
	json_t *d = json_pack("{s:I}", "canned_id", (json_int_t)id);
	if (d && in->language)
		json_object_set_new(d, "language", json_string(in->language));
	if (d && in->title)
		json_object_set_new(d, "title", json_string(in->title));
	if (d && in->body)
		json_object_set_new(d, "body", json_string(in->body));
	return d;
}

enum store_rc
canned_add(struct store *db, const struct canned_in *in, int64_t user_id,
           int64_t now, int64_t *id)
{
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	rc = store_get_int(db,
	                   "INSERT INTO canned_replies (language, title, body, "
	                   "created_by, created_at, updated_at) VALUES ($1, $2, "
	                   "$3, $4, $5, $5) RETURNING id",
	                   STORE_PARAMS(SP_T(in->language), SP_T(in->title),
	                                SP_T(in->body), SP_ID(user_id), SP_I(now)),
	                   id);
	if (rc == STORE_OK)
		rc = audit_record(db, who(user_id), 0,
		                  "canned.add", text_detail(*id, in), now);
	return finish(db, rc);
}

enum store_rc
canned_edit(struct store *db, int64_t id, const struct canned_in *in,
            int64_t user_id, int64_t now)
{
	int64_t found = 0;
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	rc = store_get_int(db,
	                   "UPDATE canned_replies SET language = COALESCE($2, "
	                   "language), title = COALESCE($3, title), body = "
	                   "COALESCE($4, body), updated_at = $5 WHERE id = $1 "
	                   "RETURNING id",
	                   STORE_PARAMS(SP_I(id), SP_T(in->language),
	                                SP_T(in->title), SP_T(in->body), SP_I(now)),
	                   &found);
	if (rc == STORE_NOTFOUND)
		store_fail(db, rc, "canned reply %lld: no such reply", (long long)id);
	if (rc == STORE_OK)
		rc = audit_record(db, who(user_id), 0,
		                  "canned.edit", text_detail(id, in), now);
	return finish(db, rc);
}

enum store_rc
canned_remove(struct store *db, int64_t id, int64_t user_id, int64_t now)
{
	struct store_rows *r = NULL;
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	rc = store_query_row(db,
	                     "DELETE FROM canned_replies WHERE id = $1 RETURNING "
	                     "language, title, body",
	                     STORE_PARAMS(SP_I(id)), &r);
	if (rc == STORE_NOTFOUND)
		store_fail(db, rc, "canned reply %lld: no such reply", (long long)id);
	if (rc == STORE_OK) {
		struct canned_in was = {store_text(r, 0), store_text(r, 1),
		                        store_text(r, 2)};
		json_t *d = text_detail(id, &was);
		store_done(r);
		rc = audit_record(db, who(user_id), 0,
		                  "canned.remove", d, now);
	}
	return finish(db, rc);
}

static const char *const list_keys[] = {"#id", "language", "title", "body"};

enum store_rc
canned_list_json(struct store *db, const char *language, json_t **out)
{
	return json_rows(db, NULL,
	                 "SELECT id, language, title, body FROM canned_replies "
	                 "WHERE CAST($1 AS TEXT) IS NULL OR language = $1 ORDER BY "
	                 "language, title, id",
	                 STORE_PARAMS(SP_T(language)), list_keys, 4, out);
}

/* The ticket's values of the variables, and its client's language. */
struct facts {
	char number[24], deadline[LOCAL_TIME_LEN], language[3];
	char *client, *consultant, *contact;
};

static enum store_rc
facts_load(struct store *db, const struct calendar *cal, int64_t number,
           struct facts *f)
{
	struct store_rows *r = NULL;
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT t.number, t.response_due_at, COALESCE(c.name, ''), "
	    "COALESCE(c.language, 'es'), COALESCE(u.name, ''), "
	    "COALESCE(ct.name, '') FROM tickets t "
	    "LEFT JOIN clients c ON c.id = t.client_id "
	    "LEFT JOIN users u ON u.id = t.assignee_id "
	    "LEFT JOIN contacts ct ON ct.id = t.contact_id WHERE t.number = $1",
	    STORE_PARAMS(SP_I(number)), &r);
	if (rc != STORE_OK)
		return rc;
	snprintf(f->number, sizeof f->number, "#%06lld",
	         (long long)store_int(r, 0));
	local_time_format(cal, store_int(r, 1), f->deadline);
	snprintf(f->language, sizeof f->language, "%s",
	         strcmp(store_text(r, 3), "en") == 0 ? "en" : "es");
	f->client = strdup(store_text(r, 2));
	f->consultant = strdup(store_text(r, 4));
	f->contact = strdup(store_text(r, 5));
	store_done(r);
	return f->client && f->consultant && f->contact ? STORE_OK : STORE_ERROR;
}

static void
facts_free(struct facts *f)
{
	free(f->client);
	free(f->consultant);
	free(f->contact);
}

enum store_rc
canned_for_ticket(struct store *db, const struct calendar *cal,
                  int64_t number, json_t **out)
{
	struct facts f = {0};
	json_t *items = NULL;
	*out = NULL;
	enum store_rc rc = facts_load(db, cal, number, &f);
	if (rc == STORE_OK)
		rc = canned_list_json(db, f.language, &items);
	if (rc != STORE_OK) {
		facts_free(&f);
		return rc;
	}
	const char *values[V_COUNT] = {f.number, f.client, f.deadline,
	                               f.consultant, f.contact};
	struct tvar v[V_COUNT];
	vars_set(v, values);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		char err[160];
		char *text = NULL;
		const char *body = json_string_value(json_object_get(it, "body"));
		/* Saved replies passed canned_body_ok(); one that fails anyway
		 * is offered as written rather than hidden. */
		if (template_expand(body ? body : "", v, V_COUNT, &text, err,
		                    sizeof err) != 0) {
			free(text);
			text = strdup(body ? body : "");
		}
		json_object_set_new(it, "text", json_string(text ? text : ""));
		free(text);
	}
	*out = json_pack("{s:s,s:o}", "language", f.language, "items", items);
	facts_free(&f);
	return *out ? STORE_OK : STORE_ERROR;
}
