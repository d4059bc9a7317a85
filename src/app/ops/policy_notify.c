/*
 * policy_notify.c - policy versions and change notices (see
 * policy_notify.h).
 */
#include "app/ops/policy_notify.h"
#include "app/base/audit.h"
#include "app/base/localtime.h"
#include "app/base/outbound.h"
#include "app/config/policy_json.h"
#include "app/config/policy_version.h"
#include "app/base/template.h"
#include "core/policy_diff.h"
#include "app/config/branding.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs inside the caller's transaction. */
static enum app_rc
record(struct store *db, const struct policy *pol, int64_t now, int64_t *id,
       int *is_new)
{
	int fresh = 0;
	enum app_rc a = app_of_store(policy_version_ensure(db, pol, now, id, &fresh));
	if (a == APP_OK && fresh)
		a = app_of_store(audit_record(
		    db, ACTOR_SYSTEM_INIT, 0, "policy.version_recorded",
		    json_pack("{s:I, s:s, s:s, s:s}", "policy_version_id",
		              (json_int_t)*id, "version", pol->version, "fingerprint",
		              pol->fingerprint, "effective_from", pol->effective_from),
		    now));
	if (is_new)
		*is_new = fresh;
	return a;
}

enum app_rc
policy_record(struct store *db, const struct policy *pol, int64_t now,
              int64_t *version_id, int *is_new)
{
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	return app_finish(db, record(db, pol, now, version_id, is_new));
}

/* The clients to tell, in the caller's transaction. */
static enum app_rc
clients_json(struct store *db, int64_t version_id, int64_t today,
             json_t **out)
{
	char day[ISO_DATE_LEN];
	iso_date_format(today, day);
	struct store_rows *r;
	*out = NULL;
	enum store_rc rc = store_query(
	    db,
	    "SELECT c.id, c.domain, c.name, c.language, "
	    "(SELECT COUNT(*) FROM contracts k WHERE k.client_id = c.id AND "
	    "k.valid_from <= $1 AND COALESCE(k.ended_on, k.valid_to) >= $1), "
	    "(SELECT COUNT(*) FROM tickets t WHERE t.client_id = c.id AND "
	    "t.state <> 'closed'), "
	    "(SELECT COUNT(*) FROM policy_notices n WHERE n.client_id = c.id "
	    "AND n.policy_version_id = $2) FROM clients c ORDER BY c.domain",
	    STORE_PARAMS(SP_T(day), SP_I(version_id)), &r);
	if (rc != STORE_OK)
		return app_of_store(rc);
	json_t *arr = json_array();
	while ((rc = store_next(r)) == STORE_ROW) {
		if (store_int(r, 4) == 0 && store_int(r, 5) == 0)
			continue;
		json_array_append_new(
		    arr, json_pack("{s:I, s:s, s:s, s:s, s:b, s:I, s:b}", "client_id",
		                   (json_int_t)store_int(r, 0), "client_domain",
		                   store_text(r, 1), "client_name", store_text(r, 2),
		                   "language", store_text(r, 3), "valid_contract",
		                   store_int(r, 4) > 0, "open_tickets",
		                   (json_int_t)store_int(r, 5), "notified",
		                   store_int(r, 6) > 0));
	}
	store_done(r);
	if (rc != STORE_DONE) {
		json_decref(arr);
		return app_of_store(rc);
	}
	size_t i;
	json_t *c;
	json_array_foreach(arr, i, c) {
		json_t *contacts = json_array();
		json_object_set_new(c, "contacts", contacts);
		rc = store_query(db,
		                 "SELECT email, name FROM contacts WHERE client_id = $1 "
		                 "ORDER BY id",
		                 STORE_PARAMS(SP_I(json_integer_value(
		                     json_object_get(c, "client_id")))),
		                 &r);
		if (rc != STORE_OK)
			break;
		while ((rc = store_next(r)) == STORE_ROW)
			json_array_append_new(contacts,
			                      json_pack("{s:s, s:s}", "email",
			                                store_text(r, 0), "name",
			                                store_text(r, 1)));
		store_done(r);
		if (rc != STORE_DONE)
			break;
		rc = STORE_OK;
	}
	if (rc != STORE_OK) {
		json_decref(arr);
		return app_of_store(rc);
	}
	*out = arr;
	return APP_OK;
}

static enum app_rc
header_json(struct store *db, const struct policy *pol, int64_t id, json_t *o)
{
	char *prev = NULL;
	enum store_rc rc = store_get_text(
	    db,
	    "SELECT version || ' (' || SUBSTR(fingerprint, 1, 12) || ')' FROM "
	    "policy_versions WHERE id < $1 ORDER BY id DESC LIMIT 1",
	    STORE_PARAMS(SP_I(id)), &prev);
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		return app_of_store(rc);
	json_object_set_new(o, "policy_version_id", json_integer(id));
	json_object_set_new(o, "version", json_string(pol->version));
	json_object_set_new(o, "fingerprint", json_string(pol->fingerprint));
	json_object_set_new(o, "effective_from", json_string(pol->effective_from));
	json_object_set_new(o, "previous_version",
	                    prev ? json_string(prev) : json_null());
	free(prev);
	return APP_OK;
}

enum app_rc
policy_notify_json(struct store *db, const struct policy *pol, int64_t today,
                   int64_t now, json_t **out)
{
	int64_t id = 0;
	json_t *clients = NULL;
	*out = NULL;
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	a = record(db, pol, now, &id, NULL);
	if (a == APP_OK)
		a = clients_json(db, id, today, &clients);
	if (a == APP_OK) {
		*out = json_object();
		a = header_json(db, pol, id, *out);
		json_object_set_new(*out, "clients", clients);
	}
	a = app_finish(db, a);
	if (a != APP_OK) {
		json_decref(*out);
		*out = NULL;
	}
	return a;
}

/* One change as the phrase book words it, appended to *all. */
static int
change_line(const char *lang, const struct policy_change *c, char **all,
            char *err, size_t errlen)
{
	static const char book[] = "policy_change";
	int en = lang && strcmp(lang, "en") == 0;
	char level[8], daykey[8], *day = NULL, *closed = NULL, *line = NULL;
	snprintf(level, sizeof level, "%d", c->level);
	snprintf(daykey, sizeof daykey, "day%d", c->level);
	if (c->kind == PCH_DAY_WINDOWS &&
	    (template_phrase(lang, book, daykey, NULL, 0, &day, err, errlen) != 0 ||
	     template_phrase(lang, book, "closed", NULL, 0, &closed, err,
	                     errlen) != 0)) {
		free(day);
		return -1;
	}
	const struct tvar vars[] = {
		{"level", level},
		{"name", en && c->name_en[0] ? c->name_en : c->name},
		{"day", day ? day : ""},
		{"old", c->old_value[0] || !closed ? c->old_value : closed},
		{"new", c->new_value[0] || !closed ? c->new_value : closed},
	};
	int rc = template_phrase(lang, book, policy_change_kind_name(c->kind), vars,
	                         sizeof vars / sizeof vars[0], &line, err, errlen);
	free(day);
	free(closed);
	if (rc != 0)
		return -1;
	size_t have = *all ? strlen(*all) : 0, add = strlen(line);
	char *grown = realloc(*all, have + add + 2);
	if (grown == NULL) {
		free(line);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(grown + have, line, add);
	grown[have + add] = '\n';
	grown[have + add + 1] = '\0';
	*all = grown;
	free(line);
	return 0;
}

int
policy_changes_text(const char *lang, const struct policy_diff *d, char **out,
             char *err, size_t errlen)
{
	*out = NULL;
	int rc = 0;
	for (int i = 0; i < d->n && rc == 0; i++)
		rc = change_line(lang, &d->items[i], out, err, errlen);
	char *last = NULL;
	if (rc == 0 && (d->n == 0 || d->dropped > 0)) {
		char count[16];
		snprintf(count, sizeof count, "%d", d->dropped);
		const struct tvar vars[] = {{"count", count}};
		rc = template_phrase(lang, "policy_change",
		                     d->n == 0 ? "none" : "more", vars, 1, &last, err,
		                     errlen);
	}
	if (rc == 0 && last) {
		size_t have = *out ? strlen(*out) : 0;
		char *grown = realloc(*out, have + strlen(last) + 1);
		if (grown == NULL) {
			rc = -1;
		} else {
			strcpy(grown + have, last);
			*out = grown;
		}
	}
	free(last);
	if (rc == 0 && *out && (*out)[0] && (*out)[strlen(*out) - 1] == '\n')
		(*out)[strlen(*out) - 1] = '\0';
	if (rc != 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

int
policy_change_render(const struct policy *pol, const char *lang,
                     const char *contact_name, const char *client_name,
                     const char *changes, char **subject, char **body,
                     char *err, size_t errlen)
{
	char fp[13], from[LOCAL_DATE_LEN];
	snprintf(fp, sizeof fp, "%.12s", pol->fingerprint);
	local_date_dmy(pol->effective_from, from);
	struct branding b;
	branding_get(pol, &b);
	const struct tvar vars[] = {
		{"contact_name", contact_name},
		{"client_name", client_name},
		{"version", pol->version},
		{"fingerprint", fp},
		{"effective_from", from},
		{"changes", changes},
		{"company", b.company},
		{"support_address", pol->support_address},
		{"phone", b.phone},
		{"phone_after_email", b.phone_after_email ? "yes" : ""},
	};
	return template_render(lang, "policy_change", vars,
	                       sizeof vars / sizeof vars[0], subject, body, err,
	                       errlen);
}

static enum app_rc
queue_one(struct store *db, const struct policy *pol, int64_t version_id,
          const struct policy_diff *diff, json_t *client, int64_t now,
          int *mails)
{
	const char *lang = json_string_value(json_object_get(client, "language"));
	char err[256], *changes = NULL;
	if (policy_changes_text(lang, diff, &changes, err, sizeof err) != 0)
		return app_of_store(store_fail(db, STORE_ERROR,
		                               "phrases policy_change.lines: %s",
		                               err));
	int64_t first = 0;
	size_t i;
	json_t *ct;
	json_array_foreach(json_object_get(client, "contacts"), i, ct) {
		char *subject = NULL, *body = NULL;
		if (policy_change_render(
		        pol, lang, json_string_value(json_object_get(ct, "name")),
		        json_string_value(json_object_get(client, "client_name")),
		        changes, &subject, &body, err, sizeof err) != 0) {
			free(changes);
			return app_of_store(store_fail(db, STORE_ERROR,
			                               "template policy_change: %s", err));
		}
		struct outbound_new o = {
			.kind = "policy_change",
			.to = json_string_value(json_object_get(ct, "email")),
			.subject = subject,
			.body = body,
		};
		char msgid[OUTBOUND_MSGID_MAX];
		enum app_rc a = app_of_store(outbound_queue(db, pol, &o, now, msgid));
		free(subject);
		free(body);
		if (a == APP_OK && first == 0) {
			char bracketed[OUTBOUND_MSGID_MAX + 2];
			snprintf(bracketed, sizeof bracketed, "<%s>", msgid);
			a = app_of_store(store_get_int(
			    db,
			    "SELECT id FROM outbound_mail WHERE message_id = $1 "
			    "OR message_id = $2",
			    STORE_PARAMS(SP_T(msgid), SP_T(bracketed)), &first));
		}
		if (a != APP_OK) {
			free(changes);
			return a;
		}
		(*mails)++;
	}
	free(changes);
	int64_t client_id = json_integer_value(json_object_get(client, "client_id"));
	enum app_rc a = app_of_store(store_exec(
	    db,
	    "INSERT INTO policy_notices (policy_version_id, client_id, "
	    "outbound_id, queued_at) VALUES ($1, $2, $3, $4)",
	    STORE_PARAMS(SP_I(version_id), SP_I(client_id), SP_ID(first),
	                 SP_I(now))));
	if (a == APP_OK)
		a = app_of_store(audit_record(
		    db, ACTOR_SYSTEM_INIT, 0, "policy.client_notified",
		    json_pack("{s:I, s:I, s:I}", "policy_version_id",
		              (json_int_t)version_id, "client_id",
		              (json_int_t)client_id, "mails",
		              (json_int_t)json_array_size(
		                  json_object_get(client, "contacts"))),
		    now));
	return a;
}

/* What changed since the version recorded before id (R12); an empty
 * diff when there is none or it cannot be read back. */
static enum app_rc
diff_since_previous(struct store *db, const struct policy *pol, int64_t id,
                    struct policy_diff *d)
{
	memset(d, 0, sizeof *d);
	char *src = NULL;
	enum store_rc rc = store_get_text(
	    db,
	    "SELECT source FROM policy_versions WHERE id < $1 ORDER BY id DESC "
	    "LIMIT 1",
	    STORE_PARAMS(SP_I(id)), &src);
	if (rc == STORE_NOTFOUND)
		return APP_OK;
	if (rc != STORE_OK)
		return app_of_store(rc);
	struct policy *old = malloc(sizeof *old);
	if (old == NULL) {
		free(src);
		return app_of_store(store_fail(db, STORE_ERROR, "out of memory"));
	}
	if (policy_from_canonical(src, old) == 0)
		policy_diff(old, pol, d);
	free(old);
	free(src);
	return APP_OK;
}

enum app_rc
policy_notify_queue(struct store *db, const struct policy *pol, int64_t today,
                    int64_t now, int *nclients, int *nmails)
{
	int64_t id = 0;
	int clients = 0, mails = 0;
	json_t *arr = NULL;
	enum app_rc a = app_of_store(store_begin(db, 1));
	if (a != APP_OK)
		return a;
	int64_t older = 0;
	a = record(db, pol, now, &id, NULL);
	if (a == APP_OK)
		a = app_of_store(store_get_int(
		    db, "SELECT COUNT(*) FROM policy_versions WHERE id < $1",
		    STORE_PARAMS(SP_I(id)), &older));
	/* The desk's first version changes nothing the clients knew. */
	if (a == APP_OK && older > 0)
		a = clients_json(db, id, today, &arr);
	struct policy_diff *diff = malloc(sizeof *diff);
	if (a == APP_OK && diff == NULL)
		a = app_of_store(store_fail(db, STORE_ERROR, "out of memory"));
	if (a == APP_OK && json_array_size(arr) > 0)
		a = diff_since_previous(db, pol, id, diff);
	size_t i;
	json_t *c;
	json_array_foreach(a == APP_OK ? arr : NULL, i, c) {
		if (json_is_true(json_object_get(c, "notified")))
			continue;
		a = queue_one(db, pol, id, diff, c, now, &mails);
		if (a != APP_OK)
			break;
		clients++;
	}
	if (a == APP_OK && clients > 0)
		a = app_of_store(store_exec(
		    db, "UPDATE policy_versions SET notified_at = $2 WHERE id = $1",
		    STORE_PARAMS(SP_I(id), SP_I(now))));
	json_decref(arr);
	free(diff);
	a = app_finish(db, a);
	if (nclients)
		*nclients = a == APP_OK ? clients : 0;
	if (nmails)
		*nmails = a == APP_OK ? mails : 0;
	return a;
}
