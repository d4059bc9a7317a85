/*
 * api_tickets.c - tickets: list and search, one ticket (ETag), staff
 * edits under If-Match, messages, attachments (download), time entries,
 * contact attempts, escalations, credentials (R11) and audit trails.
 *
 * Every handler that names a ticket loads it first and asks authz with
 * its organization: a client asking for another client's ticket gets 404,
 * exactly as for a number that does not exist.
 *
 * SECURITY: query values are untrusted and parsed here; path ids are
 * decimal (router.c); stored file names and content types are untrusted
 * (they came by mail) and are sanitized before they become headers.
 */
#include "app/billing/directory.h"
#include "app/billing/ticket_entitle.h"
#include "app/ticket/message_html.h"
#include "app/ticket/ticket_cmds.h"
#include "app/ticket/ticket_phone.h"
#include "app/ticket/ticket_query.h"
#include "app/ticket/ticket_update.h"
#include "app/ticket/uploads.h"
#include "app/access/vault.h"
#include "core/policy.h"
#include "http/api.h"
#include "http/api_handlers.h"
#include "util/log.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* May the principal see internal notes (and their files)? */
static int
staff(const struct api_req *q)
{
	return authz_decide(&q->who, AZ_INTERNAL_READ, NULL) == AUTHZ_ALLOW;
}

/* Loads ticket q->id and checks action on it; 1 when allowed. */
static int
load_ticket(struct api_req *q, struct api_resp *r, enum authz_action a,
            struct ticket_ref *t)
{
	enum store_rc rc = ticket_ref_get(q->desk->db, q->id, t);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return 0;
	}
	return api_allow(q, r, a, t->client_id, t->assignee_id);
}

void
h_tickets_list(struct api_req *q, struct api_resp *r)
{
	struct ticket_query f;
	int ok = api_ticket_filter(q, r, &f);
	if (ok < 0)
		api_page(r, json_array(), NULL);
	if (ok <= 0)
		return;
	json_t *items;
	char next[TICKET_CURSOR_LEN];
	enum store_rc rc = ticket_query_list(q->desk->db, q->env ? q->env->cal : NULL, &f,
	                                     &items, next);
	if (rc == STORE_CONSTRAINT) {
		api_error(r, 400, "invalid_parameter", "%s", desk_errmsg(q->desk));
		return;
	}
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_page(r, items, next);
}

static void
set_etag(struct api_resp *r, int64_t version)
{
	snprintf(r->etag, sizeof r->etag, "\"%" PRId64 "\"", version);
}

/* Answers ticket number as JSON with its ETag. With authorize, only when
 * the principal may read it (else the same 404 as for no such ticket):
 * the ticket's row says whose it is, so one query does both. */
static void
ticket_out(struct api_req *q, struct api_resp *r, unsigned status,
           int64_t number, int authorize)
{
	struct ticket_ref t;
	json_t *o;
	enum store_rc rc = ticket_get_json(q->desk->db, q->env ? q->env->cal : NULL,
	                                   q->env ? q->env->pol : NULL, q->now,
	                                   number, &t, &o);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	if (authorize &&
	    !api_allow(q, r, AZ_TICKET_READ, t.client_id, t.assignee_id)) {
		json_decref(o);
		return;
	}
	set_etag(r, t.version);
	api_json(r, status, o);
}

void
h_tickets_get(struct api_req *q, struct api_resp *r)
{
	ticket_out(q, r, 200, q->id, 1);
}

void
h_tickets_update(struct api_req *q, struct api_resp *r)
{
	struct ticket_ref t;
	int64_t want, version;
	enum ticket_edit outcome;
	if (json_object_get(q->body, "cause") != NULL) {
		h_ticket_cause(q, r);
		return;
	}
	if (json_object_get(q->body, "assignee_id") != NULL) {
		api_error(r, 400, "use_assign_route",
		          "assignee_id: assign through POST /api/tickets/%lld/assign "
		          "(its rules, audit and mail apply)",
		          (long long)q->id);
		return;
	}
	if (!api_if_match(q, r, 1, &want))
		return;
	if (!load_ticket(q, r, AZ_TICKET_UPDATE, &t))
		return;
	enum store_rc rc = ticket_update(q->desk->db, &t, want, q->body, api_actor(q),
	                                 q->now, &outcome, &version);
	if (rc == STORE_CONSTRAINT) {
		api_error(r, 409, "conflict", "%s", desk_errmsg(q->desk));
		return;
	}
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	if (outcome == TICKET_EDIT_CLOSED) {
		api_error(r, 409, "ticket_closed",
		          "the ticket is closed and takes no edits");
		return;
	}
	if (outcome == TICKET_EDIT_STALE) {
		set_etag(r, version);
		api_error(r, 412, "stale",
		          "the ticket changed since you read it (now version %lld); "
		          "reload and retry",
		          (long long)version);
		return;
	}
	ticket_out(q, r, 200, t.number, 0);
}

void
h_tickets_open(struct api_req *q, struct api_resp *r)
{
	json_t *b = q->body;
	const char *category = json_string_value(json_object_get(b, "category"));
	struct ticket_request req = {
		.client_id = json_integer_value(json_object_get(b, "client_id")),
		.contact_id = json_integer_value(json_object_get(b, "contact_id")),
		.product_id = json_integer_value(json_object_get(b, "product_id")),
		.subject = json_string_value(json_object_get(b, "subject")),
		.body = json_string_value(json_object_get(b, "body")),
		.severity = (int)json_integer_value(json_object_get(b, "severity")),
		.category = category ? category : "incident",
		.channel = json_string_value(json_object_get(b, "channel")),
		.channel_reason = json_string_value(json_object_get(b, "channel_reason")),
		.reported_at = q->now,
		.actor = api_actor(q),
	};
	if (q->env == NULL || q->env->pol == NULL || q->env->cal == NULL) {
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return;
	}
	enum store_rc rc = ticket_request_check(q->desk->db, &req);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	struct tcmd_env env = {q->desk->db, q->env->pol, q->env->cal, q->now};
	struct tcmd_result res;
	memset(&res, 0, sizeof res);
	switch (ticket_open_entitled(&env, &req, &res)) {
	case TCMD_OK:
		break;
	case TCMD_REFUSED:
	case TCMD_NOT_FOUND:
	case TCMD_TOO_LARGE:   /* an opening carries no files */
		api_refused(r, res.refusal, res.message);
		return;
	case TCMD_CONFLICT:
	case TCMD_BUSY:
		r->retry_after_s = 2;
		api_error(r, 503, "busy", "the database is busy; retry shortly");
		return;
	case TCMD_ERROR:
		log_warn("api: open: %s", res.message);
		api_error(r, 500, "internal", "internal error");
		return;
	}
	int64_t number = res.number;
	snprintf(r->location, sizeof r->location, "/api/tickets/%lld",
	         (long long)number);
	ticket_out(q, r, 201, number, 0);
}

void
h_messages_list(struct api_req *q, struct api_resp *r)
{
	struct ticket_ref t;
	int64_t after, limit;
	json_t *items;
	if (api_query_int(q, r, "cursor", 0, INT64_MAX, 0, &after) < 0 ||
	    api_query_int(q, r, "limit", 1, API_PAGE_MAX, API_PAGE_DEFAULT, &limit) < 0)
		return;
	if (!load_ticket(q, r, AZ_TICKET_READ, &t))
		return;
	enum store_rc rc = ticket_messages_json(q->desk->db, q->env ? q->env->cal : NULL,
	                                        t.id, staff(q), after, (int)limit,
	                                        &items);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_page_by_id(r, items, limit);
}

void
h_attachments_list(struct api_req *q, struct api_resp *r)
{
	struct ticket_ref t;
	json_t *items;
	int64_t after;
	int limit;
	if (!api_page_args(q, r, &after, &limit) ||
	    !load_ticket(q, r, AZ_TICKET_READ, &t))
		return;
	enum store_rc rc = ticket_attachments_json(q->desk->db, t.id, staff(q), after,
	                                           limit, &items);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_page_by_id(r, items, limit);
}

/* Types a browser shows without running anything; the rest download. */
static int
inline_safe(const char *type)
{
	static const char *const safe[] = {"image/png", "image/jpeg", "image/gif",
	                                   "image/webp", "application/pdf",
	                                   "text/plain"};
	for (size_t i = 0; i < sizeof safe / sizeof safe[0]; i++)
		if (strcmp(type, safe[i]) == 0)
			return 1;
	return 0;
}

/* A stored content type as it may go out: type/subtype of token
 * characters, lowercase, parameters dropped; else octet-stream. */
static void
clean_type(const char *in, char *out, size_t outlen)
{
	size_t n = 0;
	int slash = 0;
	for (const char *s = in; *s && *s != ';' && n + 1 < outlen; s++) {
		char c = (char)tolower((unsigned char)*s);
		if (c == '/')
			slash++;
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		           c == '.' || c == '+' || c == '-'))
			goto bad;
		out[n++] = c;
	}
	out[n] = '\0';
	if (slash == 1 && out[0] != '/' && out[n - 1] != '/')
		return;
bad:
	snprintf(out, outlen, "application/octet-stream");
}

/* Content-Disposition with an ASCII fallback name and the UTF-8 name
 * percent-encoded (RFC 6266 / 8187). */
static void
disposition(const char *kind, const char *name, char *out, size_t outlen)
{
	char ascii[128], enc[400];
	size_t a = 0, e = 0;
	for (const unsigned char *s = (const unsigned char *)name;
	     *s && a + 1 < sizeof ascii; s++)
		ascii[a++] = (isalnum(*s) || *s == '.' || *s == '-' || *s == '_')
		                 ? (char)*s
		                 : '_';
	ascii[a] = '\0';
	for (const unsigned char *s = (const unsigned char *)name;
	     *s && e + 4 < sizeof enc; s++) {
		if (isalnum(*s) || *s == '.' || *s == '-' || *s == '_')
			enc[e++] = (char)*s;
		else
			e += (size_t)snprintf(enc + e, sizeof enc - e, "%%%02X", *s);
	}
	enc[e] = '\0';
	if (a == 0)
		snprintf(ascii, sizeof ascii, "attachment");
	snprintf(out, outlen, "%s; filename=\"%s\"; filename*=UTF-8''%s", kind,
	         ascii, enc);
}

void
h_attachment_download(struct api_req *q, struct api_resp *r)
{
	struct attachment_ref a;
	enum store_rc rc = attachment_ref_get(q->desk->db, q->id, &a);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	if (!api_allow(q, r, AZ_TICKET_READ, a.client_id, 0))
		return;
	if (a.internal && !staff(q)) {
		api_error(r, 404, "not_found", "no such resource");
		return;
	}
	if (!a.stored) {
		api_error(r, 410, "not_kept",
		          "this attachment was over the size limit and was not kept");
		return;
	}
	void *bytes;
	size_t len;
	rc = attachment_bytes(q->desk->db, a.id, &bytes, &len);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_resp_free(r);
	r->status = 200;
	r->raw = bytes;
	r->raw_len = len;
	r->download = 1;
	clean_type(a.content_type, r->content_type, sizeof r->content_type);
	if (strcmp(r->content_type, "text/plain") == 0)
		snprintf(r->content_type, sizeof r->content_type,
		         "text/plain; charset=utf-8");
	disposition(inline_safe(a.content_type) ? "inline" : "attachment",
	            a.filename, r->disposition, sizeof r->disposition);
}

void
h_attachment_upload(struct api_req *q, struct api_resp *r)
{
	struct ticket_ref t;
	char type[UPLOAD_TYPE_MAX + 1];
	int64_t id;
	int full;
	const char *name = api_query_get(q, "filename");
	if (!load_ticket(q, r, AZ_ATTACHMENT_UPLOAD, &t))
		return;
	if (name == NULL || !upload_filename_ok(name)) {
		api_error(r, 400, "invalid_parameter",
		          "filename: required, a plain file name (no folders, no "
		          "leading dot, no control characters, %d bytes at most)",
		          UPLOAD_NAME_MAX);
		return;
	}
	/* The router checked the type already. */
	if (upload_type_clean(q->content_type, type) != 0) {
		api_error(r, 415, "unsupported_media_type", "no Content-Type");
		return;
	}
	enum store_rc rc = upload_store(
	    q->desk->db, t.id, q->who.user_id, name, type, q->raw_body, q->raw_len,
	    q->now, API_POLICY_LIMIT(q, max_attachments_per_ticket), &full, &id);
	if (full) {
		api_error(r, 409, "limit_reached", "%s", desk_errmsg(q->desk));
		return;
	}
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_json(r, 201,
	         json_pack("{s:I,s:s,s:s,s:I}", "id", (json_int_t)id, "filename",
	                   name, "content_type", type, "size",
	                   (json_int_t)q->raw_len));
}

/* A message's mail HTML as its own document (the UI frames it in a
 * sandbox). Clients see only their organization's non-internal messages;
 * the review queue's messages (no ticket) are staff's. */
void
h_message_html(struct api_req *q, struct api_resp *r)
{
	struct message_ref m;
	enum store_rc rc = message_ref_get(q->desk->db, q->id, &m);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	if ((m.internal || m.ticket_id == 0) && !staff(q)) {
		api_error(r, 404, "not_found", "no such resource");
		return;
	}
	if (m.ticket_id && !api_allow(q, r, AZ_TICKET_READ, m.client_id, 0))
		return;
	if (!m.has_html) {
		api_error(r, 404, "not_found", "this message has no HTML part");
		return;
	}
	struct buf doc = BUF_INIT(0);
	rc = message_html_doc(q->desk->db, m.id, &doc);
	if (rc != STORE_OK) {
		buf_free(&doc);
		api_fail(q, r, rc);
		return;
	}
	api_resp_free(r);
	r->status = 200;
	r->raw_len = doc.len;
	r->raw = buf_steal(&doc);
	r->framed_html = 1;
	snprintf(r->content_type, sizeof r->content_type,
	         "text/html; charset=utf-8");
}

static void
children(struct api_req *q, struct api_resp *r, enum authz_action a,
         enum ticket_child which)
{
	struct ticket_ref t;
	json_t *items;
	int64_t after;
	int limit;
	if (!api_page_args(q, r, &after, &limit) || !load_ticket(q, r, a, &t))
		return;
	enum store_rc rc = ticket_children_json(q->desk->db, q->env ? q->env->cal : NULL,
	                                        which, t.id, after, limit, &items);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_page_by_id(r, items, limit);
}

void
h_time_list(struct api_req *q, struct api_resp *r)
{
	children(q, r, AZ_TIME_READ, CHILD_TIME_ENTRIES);
}
void
h_attempts_list(struct api_req *q, struct api_resp *r)
{
	children(q, r, AZ_TICKET_READ, CHILD_CONTACT_ATTEMPTS);
}
void
h_escalations_list(struct api_req *q, struct api_resp *r)
{
	children(q, r, AZ_TICKET_READ, CHILD_ESCALATIONS);
}

/* ---- credentials (R11) ---- */

static int
vault_ready(const struct api_req *q, struct api_resp *r)
{
	if (q->env && q->env->vault)
		return 1;
	api_error(r, 503, "unavailable", "the credential vault is not open");
	return 0;
}

static void
secrets_list(struct api_req *q, struct api_resp *r, int64_t ticket_id,
             int64_t product_id)
{
	json_t *items;
	int64_t after;
	int limit;
	if (!api_page_args(q, r, &after, &limit))
		return;
	enum store_rc rc = secret_list_json(q->desk->db, ticket_id, product_id, after,
	                                    limit, &items);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_page_by_id(r, items, limit);
}

static void
secret_add_h(struct api_req *q, struct api_resp *r, int64_t ticket_id,
             int64_t product_id)
{
	int64_t id;
	int full;
	if (!vault_ready(q, r))
		return;
	enum store_rc rc = secret_add(
	    q->desk->db, q->env->vault, ticket_id, product_id,
	    json_string_value(json_object_get(q->body, "label")),
	    json_string_value(json_object_get(q->body, "value")), api_actor(q),
	    q->now, API_POLICY_LIMIT(q, max_secrets_per_ticket), &full, &id);
	if (full) {
		api_error(r, 409, "limit_reached", "%s", desk_errmsg(q->desk));
		return;
	}
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_json(r, 201,
	         json_pack("{s:I,s:s}", "id", (json_int_t)id, "label",
	                   json_string_value(json_object_get(q->body, "label"))));
}

void
h_ticket_secrets_list(struct api_req *q, struct api_resp *r)
{
	struct ticket_ref t;
	if (load_ticket(q, r, AZ_SECRET_LIST, &t))
		secrets_list(q, r, t.id, 0);
}

void
h_ticket_secrets_add(struct api_req *q, struct api_resp *r)
{
	struct ticket_ref t;
	if (load_ticket(q, r, AZ_SECRET_ADD, &t))
		secret_add_h(q, r, t.id, 0);
}

/* The product's organization, for authz; 0 when no such product. */
static int
load_product(struct api_req *q, struct api_resp *r, enum authz_action a)
{
	json_t *o;
	int64_t owner = 0;
	enum store_rc rc = dir_get(q->desk->db, DIR_PRODUCT, q->id, &o, &owner);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return 0;
	}
	json_decref(o);
	return api_allow(q, r, a, owner, 0);
}

void
h_product_secrets_list(struct api_req *q, struct api_resp *r)
{
	if (load_product(q, r, AZ_SECRET_LIST))
		secrets_list(q, r, 0, q->id);
}

void
h_product_secrets_add(struct api_req *q, struct api_resp *r)
{
	if (load_product(q, r, AZ_SECRET_ADD))
		secret_add_h(q, r, 0, q->id);
}

void
h_secret_reveal(struct api_req *q, struct api_resp *r)
{
	struct secret_owner o;
	char *value, *label;
	if (!vault_ready(q, r))
		return;
	enum store_rc rc = secret_owner_get(q->desk->db, q->id, &o);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	/* Product secrets have no assignee: only project managers see them. */
	if (!api_allow(q, r, AZ_SECRET_REVEAL, o.client_id, o.assignee_id))
		return;
	rc = secret_reveal(q->desk->db, q->env->vault, q->id, api_actor(q), q->now,
	                   &value, &label);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_json(r, 200,
	         json_pack("{s:I,s:s,s:s}", "id", (json_int_t)q->id, "label", label,
	                   "value", value));
	secret_value_free(value);
	free(label);
}

void
h_secret_delete(struct api_req *q, struct api_resp *r)
{
	struct secret_owner o;
	enum store_rc rc = secret_owner_get(q->desk->db, q->id, &o);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	if (!api_allow(q, r, AZ_SECRET_DELETE, o.client_id, o.assignee_id))
		return;
	rc = secret_delete(q->desk->db, q->id, api_actor(q), q->now);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_json(r, 204, NULL);
}

/* ---- audit ---- */

static void
audit_page(struct api_req *q, struct api_resp *r, int64_t ticket_id)
{
	int64_t before, limit;
	json_t *items;
	if (api_query_int(q, r, "cursor", 1, INT64_MAX, 0, &before) < 0 ||
	    api_query_int(q, r, "limit", 1, API_PAGE_MAX, API_PAGE_DEFAULT, &limit) < 0)
		return;
	enum store_rc rc = audit_list_json(q->desk->db, ticket_id, before, (int)limit,
	                                   &items);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	api_page_by_id(r, items, limit);
}

void
h_ticket_audit(struct api_req *q, struct api_resp *r)
{
	struct ticket_ref t;
	if (load_ticket(q, r, AZ_AUDIT_READ, &t))
		audit_page(q, r, t.id);
}

void
h_audit_list(struct api_req *q, struct api_resp *r)
{
	int64_t number;
	if (api_query_int(q, r, "ticket", 1, INT64_MAX, 0, &number) < 0)
		return;
	if (number == 0) {
		audit_page(q, r, 0);
		return;
	}
	q->id = number;
	h_ticket_audit(q, r);
}
