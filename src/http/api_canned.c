/*
 * api_canned.c - canned replies (app/ticket/canned.h): the list, and its
 * management by admins and the Project Manager; a ticket's replies come
 * filled from the ticket for the reply box.
 */
#include "app/ticket/canned.h"
#include "app/ticket/ticket_query.h"
#include "http/api.h"
#include "http/api_handlers.h"

#include <stdio.h>
#include <string.h>

static int
language_ok(const char *s)
{
	return s && (strcmp(s, "es") == 0 || strcmp(s, "en") == 0);
}

/* The body's variables are checked before anything is written: an
 * unknown {{key}} is a 400 about the field "body". */
static int
body_checked(struct api_req *q, struct api_resp *r, struct canned_in *in)
{
	char why[160];
	json_t *b = q->body;
	in->language = json_string_value(json_object_get(b, "language"));
	in->title = json_string_value(json_object_get(b, "title"));
	in->body = json_string_value(json_object_get(b, "body"));
	if (in->body && !canned_body_ok(in->body, why, sizeof why)) {
		api_error_at(r, 400, "invalid_value", "body",
		             "body: %s (variables: {{ticket}}, {{client}}, "
		             "{{deadline}}, {{consultant}}, {{contact}})",
		             why);
		return 0;
	}
	return 1;
}

void
h_canned_list(struct api_req *q, struct api_resp *r)
{
	json_t *items;
	const char *lang = api_query_get(q, "language");
	if (lang && !language_ok(lang)) {
		api_error(r, 400, "invalid_parameter", "language: es or en");
		return;
	}
	enum store_rc rc = canned_list_json(q->desk->db, lang, &items);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_json(r, 200, json_pack("{s:o}", "items", items));
}

static void
answer_one(struct api_req *q, struct api_resp *r, int64_t id, unsigned status)
{
	json_t *items, *it;
	size_t i;
	enum store_rc rc = canned_list_json(q->desk->db, NULL, &items);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	json_array_foreach(items, i, it) {
		if (json_integer_value(json_object_get(it, "id")) == id) {
			api_json(r, status, json_incref(it));
			json_decref(items);
			return;
		}
	}
	json_decref(items);
	api_error(r, 404, "not_found", "no such canned reply");
}

void
h_canned_create(struct api_req *q, struct api_resp *r)
{
	struct canned_in in;
	int64_t id;
	if (!body_checked(q, r, &in))
		return;
	enum store_rc rc =
	    canned_add(q->desk->db, &in, q->who.user_id, q->now, &id);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	snprintf(r->location, sizeof r->location, "/api/canned-replies/%lld",
	         (long long)id);
	answer_one(q, r, id, 201);
}

void
h_canned_update(struct api_req *q, struct api_resp *r)
{
	struct canned_in in;
	if (!body_checked(q, r, &in))
		return;
	enum store_rc rc =
	    canned_edit(q->desk->db, q->id, &in, q->who.user_id, q->now);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	answer_one(q, r, q->id, 200);
}

void
h_canned_delete(struct api_req *q, struct api_resp *r)
{
	enum store_rc rc =
	    canned_remove(q->desk->db, q->id, q->who.user_id, q->now);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_json(r, 204, NULL);
}

void
h_ticket_canned(struct api_req *q, struct api_resp *r)
{
	struct ticket_ref t;
	json_t *o;
	enum store_rc rc = ticket_ref_get(q->desk->db, q->id, &t);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	if (!api_allow(q, r, AZ_CANNED_READ, t.client_id, t.assignee_id))
		return;
	rc = canned_for_ticket(q->desk->db, q->env ? q->env->cal : NULL, t.number,
	                       &o);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_json(r, 200, o);
}
