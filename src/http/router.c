/*
 * router.c - api_handle(): matching the route table (routes.c),
 * authentication, authorization, query and body checks, then the handler
 * (see api.h).
 *
 * SECURITY: method, path, query, headers and body are untrusted. The path
 * matches only literal segments and one decimal id; the body must be
 * valid UTF-8, one JSON object without duplicate keys, with only the
 * route's fields, each of its type and within its bounds.
 */
#include "http/api.h"
#include "app/base/conflict.h"
#include "http/api_handlers.h"
#include "app/ticket/uploads.h"
#include "core/policy.h"
#include "util/log.h"
#include "util/text.h"
#include "util/timefmt.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const method_names[] = {
	"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER",
};

const char *
http_method_name(enum http_method m)
{
	return m <= HM_OTHER ? method_names[m] : "OTHER";
}

enum http_method
http_method_parse(const char *s)
{
	for (int i = 0; i < HM_OTHER; i++)
		if (strcmp(method_names[i], s) == 0)
			return (enum http_method)i;
	return HM_OTHER;
}

/* Matches path against pattern; a "{...}" segment takes a decimal id of
 * 1..18 digits, not 0, ended by '/', '.' (a file's extension that the
 * pattern spells: "{id}.pdf") or the end. Returns 1 on a match. */
static int
pattern_match(const char *pattern, const char *path, int64_t *id)
{
	const char *p = pattern, *s = path;
	*id = 0;
	while (*p) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			if (close == NULL)
				return 0;
			p = close + 1;
			int64_t v = 0;
			int digits = 0;
			while (*s >= '0' && *s <= '9') {
				if (++digits > 18)
					return 0;
				v = v * 10 + (*s++ - '0');
			}
			if (digits == 0 || v == 0 ||
			    (*s != '/' && *s != '\0' && *s != '.'))
				return 0;
			*id = v;
			continue;
		}
		if (*p++ != *s++)
			return 0;
	}
	return *s == '\0';
}

const struct route *
api_route_match(enum http_method m, const char *path, int64_t *id,
                int *path_known)
{
	size_t n;
	const struct route *routes = api_routes(&n);
	enum http_method want = m == HM_HEAD ? HM_GET : m;
	*path_known = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t v;
		if (!pattern_match(routes[i].pattern, path, &v))
			continue;
		if (routes[i].method == want) {
			*id = v;
			return &routes[i];
		}
		*path_known = 1;
	}
	return NULL;
}

static size_t
upload_limit(const struct api_env *env)
{
	return env && env->pol && env->pol->max_attachment_bytes > 0
	           ? (size_t)env->pol->max_attachment_bytes
	           : API_BODY_MAX;
}

size_t
api_body_limit(const struct api_env *env, enum http_method m, const char *path)
{
	int64_t id;
	int known;
	if (m != HM_POST)   /* uploads are POSTs; spare the others a lookup */
		return API_BODY_MAX;
	const struct route *rt = api_route_match(m, path, &id, &known);
	return rt && rt->body == BODY_FILE ? upload_limit(env) : API_BODY_MAX;
}

/* ---- responses ---- */

void
api_resp_free(struct api_resp *r)
{
	json_decref(r->json);
	free(r->raw);
	r->json = NULL;
	r->raw = NULL;
}

/* Words of a database engine or a library, never of a person: a message
 * holding one is a leak the handler should have turned into words of the
 * API (tests/integration/api_errors.sh finds them); it goes to the log. */
static int
internal_text(const char *m)
{
	static const char *const marks[] = {
		"constraint", "CONSTRAINT", "SQLITE", "sqlite", "syntax error",
		"ERROR:", "violates", "duplicate key", "SQLSTATE", "relation \"",
		"query:", "prepare:", "json_", "jansson", "GMime", "libpq", "NULL",
	};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strstr(m, marks[i]))
			return 1;
	return 0;
}

static void
error_v(struct api_resp *r, unsigned status, const char *code,
        const char *field, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	/* Messages may carry request text: keep only valid UTF-8. */
	if (!utf8_valid(msg, strlen(msg)))
		snprintf(msg, sizeof msg, "the request was refused");
	if (internal_text(msg)) {
		log_warn("api: %u %s: withheld: %s", status, code, msg);
		snprintf(msg, sizeof msg, "the request was refused");
	}
	api_resp_free(r);
	r->status = status;
	r->json = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
	if (field && r->json)
		json_object_set_new(json_object_get(r->json, "error"), "field",
		                    json_string(field));
}

void
api_error(struct api_resp *r, unsigned status, const char *code,
          const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_v(r, status, code, NULL, fmt, ap);
	va_end(ap);
}

void
api_error_at(struct api_resp *r, unsigned status, const char *code,
             const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_v(r, status, code, field, fmt, ap);
	va_end(ap);
}

/* A write the database refused: its kind and field, in words of the API
 * (the engine's text stays in the log, api_fail()). */
static void
conflict_error(struct api_resp *r, struct desk *desk)
{
	char field[64], said[160];
	enum conflict_kind k = conflict_of(desk ? desk_errmsg(desk) : NULL, field,
	                                   sizeof field);
	/* Not the engine's: the command's own reason (client 9 does not
	 * exist, ...). */
	if (k == CONFLICT_OTHER) {
		api_error(r, 409, "conflict", "%s",
		          desk ? desk_errmsg(desk) : conflict_phrase(k));
		return;
	}
	unsigned status = k == CONFLICT_CHECK || k == CONFLICT_MISSING ? 400 : 409;
	api_error_at(r, status, conflict_code(k), field[0] ? field : NULL, "%s",
	             desk_said(desk, said, sizeof said));
}

void
api_store_error(struct api_resp *r, struct desk *desk, enum store_rc rc)
{
	switch (rc) {
	case STORE_BUSY:
		r->retry_after_s = 2;
		api_error(r, 503, "busy", "the database is busy; retry shortly");
		break;
	case STORE_NOTFOUND:
		api_error(r, 404, "not_found", "no such resource");
		break;
	case STORE_CONSTRAINT:
		conflict_error(r, desk);
		break;
	default:
		/* The details go to the server's log (by the caller), not out. */
		api_error(r, 500, "internal", "internal error");
		break;
	}
}

void
api_json(struct api_resp *r, unsigned status, json_t *json)
{
	api_resp_free(r);
	r->status = status;
	r->json = json ? json : json_object();
}

void
api_page(struct api_resp *r, json_t *items, const char *next)
{
	api_json(r, 200,
	         json_pack("{s:o,s:o}", "items", items, "next_cursor",
	                   next && *next ? json_string(next) : json_null()));
}

void
api_page_by_id(struct api_resp *r, json_t *items, int64_t limit)
{
	char next[24] = "";
	size_t n = json_array_size(items);
	if (n > 0 && n == (size_t)limit)
		snprintf(next, sizeof next, "%lld",
		         (long long)json_integer_value(
		             json_object_get(json_array_get(items, n - 1), "id")));
	api_page(r, items, next);
}

int
api_page_args(const struct api_req *q, struct api_resp *r, int64_t *cursor,
              int *limit)
{
	int64_t l;
	if (api_query_int(q, r, "cursor", 0, INT64_MAX, 0, cursor) < 0 ||
	    api_query_int(q, r, "limit", 1, API_PAGE_MAX, API_PAGE_DEFAULT, &l) < 0)
		return 0;
	*limit = (int)l;
	return 1;
}

int
api_if_match(const struct api_req *q, struct api_resp *r, int required,
             int64_t *v)
{
	char tail;
	const char *s = q->if_match;
	*v = 0;
	if (s == NULL && !required)
		return 1;
	if (s == NULL) {
		api_error(r, 428, "precondition_required",
		          "send If-Match with the ticket's ETag");
		return 0;
	}
	if (strcmp(s, "*") == 0) {
		api_error(r, 428, "if_match_wildcard",
		          "If-Match: * is refused: send the ETag of the version you "
		          "read");
		return 0;
	}
	if (strncmp(s, "W/", 2) == 0)
		s += 2;
	if (sscanf(s, "\"%" SCNd64 "\"%c", v, &tail) == 1 && *v > 0)
		return 1;
	api_error(r, 400, "invalid_header", "If-Match: an ETag like \"3\"");
	return 0;
}

const char *
api_query_get(const struct api_req *q, const char *key)
{
	for (int i = 0; i < q->nquery; i++)
		if (strcmp(q->query[i].key, key) == 0)
			return q->query[i].value ? q->query[i].value : "";
	return NULL;
}

int
api_query_int(const struct api_req *q, struct api_resp *r, const char *key,
              int64_t min, int64_t max, int64_t dflt, int64_t *v)
{
	const char *s = api_query_get(q, key);
	*v = dflt;
	if (s == NULL)
		return 0;
	char *end;
	long long x = strtoll(s, &end, 10);
	if (*s == '\0' || *end != '\0' || x < min || x > max ||
	    strlen(s) > 19) {
		api_error(r, 400, "invalid_parameter",
		          "%s: an integer from %lld to %lld", key, (long long)min,
		          (long long)max);
		return -1;
	}
	*v = x;
	return 1;
}

static int
refuse(struct api_resp *r, enum authz_result res)
{
	switch (res) {
	case AUTHZ_ALLOW:
		return 1;
	case AUTHZ_UNAUTHENTICATED:
		api_error(r, 401, "unauthenticated", "log in first");
		return 0;
	case AUTHZ_FORBIDDEN:
		api_error(r, 403, "forbidden", "your role may not do this");
		return 0;
	case AUTHZ_HIDDEN:
		api_error(r, 404, "not_found", "no such resource");
		return 0;
	}
	return 0;
}

int
api_allow(const struct api_req *q, struct api_resp *r, enum authz_action a,
          int64_t owner_client_id, int64_t assignee_id)
{
	struct authz_object obj = {owner_client_id, assignee_id};
	return refuse(r, authz_decide(&q->who, a, &obj));
}

struct actor
api_actor(const struct api_req *q)
{
	return (struct actor){ACTOR_USER, q->who.user_id};
}

/* ---- body validation ---- */

static int
line_ok(const char *s, int allow_breaks)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && !(allow_breaks && (*p == '\n' || *p == '\r' ||
		                                     *p == '\t'))) ||
		    *p == 0x7f)
			return 0;
	return 1;
}

static int
field_ok(const struct field *f, json_t *v, struct api_resp *r)
{
	const char *s = json_string_value(v);
	size_t len = s ? strlen(s) : 0;
	if (json_is_null(v)) {
		if (f->flags & F_NULL)
			return 1;
		api_error_at(r, 400, "wrong_type", f->name, "%s: may not be null", f->name);
		return 0;
	}
	switch (f->type) {
	case FT_STRING:
	case FT_NAME:
	case FT_IDENT:
	case FT_EMAIL:
	case FT_DOMAIN:
	case FT_DATE:
	case FT_ENUM:
		if (!json_is_string(v)) {
			api_error_at(r, 400, "wrong_type", f->name, "%s: must be a string", f->name);
			return 0;
		}
		break;
	case FT_INT:
		if (!json_is_integer(v)) {
			api_error_at(r, 400, "wrong_type", f->name, "%s: must be an integer", f->name);
			return 0;
		}
		break;
	case FT_BOOL:
		if (!json_is_boolean(v)) {
			api_error_at(r, 400, "wrong_type", f->name, "%s: must be true or false",
			          f->name);
			return 0;
		}
		return 1;
	case FT_IDS:
		if (!json_is_array(v)) {
			api_error_at(r, 400, "wrong_type", f->name, "%s: must be an array of ids",
			          f->name);
			return 0;
		}
		break;
	}
	int ok = 1;
	switch (f->type) {
	case FT_STRING:
		ok = len >= (size_t)f->min && len <= (size_t)f->max && line_ok(s, 1);
		break;
	case FT_NAME:
		ok = len >= (size_t)f->min && text_is_name(s, (size_t)f->max);
		break;
	case FT_IDENT:
		ok = len >= (size_t)f->min && len <= (size_t)f->max &&
		     strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == len;
		break;
	case FT_EMAIL:
		ok = len <= (size_t)f->max && email_valid(s);
		break;
	case FT_DOMAIN:
		ok = len <= (size_t)f->max && domain_valid(s);
		break;
	case FT_DATE: {
		int64_t d;
		ok = iso_date_parse(s, &d) == 0;
		break;
	}
	case FT_ENUM:
		ok = 0;
		for (const char *const *c = f->choices; *c; c++)
			if (strcmp(*c, s) == 0)
				ok = 1;
		break;
	case FT_INT: {
		json_int_t x = json_integer_value(v);
		ok = x >= f->min && x <= f->max;
		break;
	}
	case FT_IDS: {
		size_t i;
		json_t *e;
		ok = json_array_size(v) <= (size_t)f->max;
		json_array_foreach(v, i, e) {
			if (!json_is_integer(e) || json_integer_value(e) < 1)
				ok = 0;
		}
		break;
	}
	case FT_BOOL:
		break;
	}
	if (!ok) {
		if (f->type == FT_ENUM)
			api_error_at(r, 400, "invalid_value", f->name, "%s: not one of the allowed values",
			          f->name);
		else if (f->type == FT_INT || f->type == FT_IDS)
			api_error_at(r, 400, "invalid_value", f->name, "%s: out of range (%lld..%lld)",
			          f->name, (long long)f->min, (long long)f->max);
		else
			api_error_at(r, 400, "invalid_value", f->name,
			          "%s: not a valid value (see the API description)",
			          f->name);
	}
	return ok;
}

int
api_validate(json_t *body, const struct field *fields, struct api_resp *r)
{
	const char *key;
	json_t *v;
	json_object_foreach(body, key, v) {
		const struct field *f = fields;
		while (f && f->name && strcmp(f->name, key) != 0)
			f++;
		if (f == NULL || f->name == NULL) {
			char shown[64];
			/* The key is untrusted: show it only when it is plain. */
			if (strlen(key) < sizeof shown &&
			    strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			                "0123456789_-") == strlen(key))
				snprintf(shown, sizeof shown, "%s", key);
			else
				snprintf(shown, sizeof shown, "(a field)");
			api_error_at(r, 400, "unknown_field",
			             strcmp(shown, "(a field)") ? shown : NULL,
			             "%s: not a field of this request", shown);
			return 0;
		}
		if (!field_ok(f, v, r))
			return 0;
	}
	for (const struct field *f = fields; f && f->name; f++)
		if ((f->flags & F_REQ) && json_object_get(body, f->name) == NULL) {
			api_error_at(r, 400, "missing_field", f->name, "%s: required",
			             f->name);
			return 0;
		}
	return 1;
}

/* Content-Type is application/json, with an optional charset of UTF-8. */
static int
is_json_type(const char *ct)
{
	if (ct == NULL)
		return 0;
	size_t n = strlen("application/json");
	if (strncasecmp(ct, "application/json", n) != 0)
		return 0;
	const char *rest = ct + n;
	while (*rest == ' ')
		rest++;
	if (*rest == '\0')
		return 1;
	if (*rest != ';')
		return 0;
	rest++;
	while (*rest == ' ')
		rest++;
	return strcasecmp(rest, "charset=utf-8") == 0;
}

/* The body is non-empty UTF-8 without NUL bytes. */
static int
body_is_text(const struct api_req *q)
{
	if (q->raw_len == 0 || q->raw_body == NULL ||
	    memchr(q->raw_body, '\0', q->raw_len) != NULL)
		return 0;
	char *copy = malloc(q->raw_len + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, q->raw_body, q->raw_len);
	copy[q->raw_len] = '\0';
	int ok = utf8_valid(copy, q->raw_len);
	free(copy);
	return ok;
}

static int
read_body(struct api_req *q, struct api_resp *r)
{
	const struct route *rt = q->route;
	if (rt->body == BODY_NONE) {
		if (q->raw_len > 0) {
			api_error(r, 400, "unexpected_body", "this request takes no body");
			return 0;
		}
		return 1;
	}
	if (rt->body == BODY_FILE) {
		char type[UPLOAD_TYPE_MAX + 1];
		if (q->content_type == NULL ||
		    upload_type_clean(q->content_type, type) != 0) {
			api_error(r, 415, "unsupported_media_type",
			          "send the file's own Content-Type (type/subtype)");
			return 0;
		}
		if (q->raw_len == 0) {
			api_error(r, 400, "invalid_body", "the file is empty");
			return 0;
		}
		if (q->raw_len > upload_limit(q->env)) {
			api_error_at(r, 413, "too_large", "file",
			             "the file is over the attachment limit (%zu bytes)",
			          upload_limit(q->env));
			return 0;
		}
		return 1;
	}
	if (rt->body == BODY_ICS) {
		if (q->content_type == NULL ||
		    strncasecmp(q->content_type, "text/calendar", 13) != 0) {
			api_error(r, 415, "unsupported_media_type",
			          "send the file as text/calendar");
			return 0;
		}
		if (!body_is_text(q)) {
			api_error(r, 400, "invalid_body", "an empty or binary file");
			return 0;
		}
		return 1;
	}
	if (q->raw_len == 0 && rt->body == BODY_JSON_OPTIONAL) {
		q->body = json_object();
		return 1;
	}
	if (!is_json_type(q->content_type)) {
		api_error(r, 415, "unsupported_media_type",
		          "send the body as application/json");
		return 0;
	}
	if (q->raw_len == 0) {
		api_error(r, 400, "invalid_json", "the body is empty; send a JSON object");
		return 0;
	}
	/* jansson checks UTF-8 too; a separate check gives a clearer error. */
	if (!body_is_text(q)) {
		api_error(r, 400, "invalid_utf8", "the body is not valid UTF-8 text");
		return 0;
	}
	json_error_t err;
	json_t *v = json_loadb(q->raw_body, q->raw_len, JSON_REJECT_DUPLICATES, &err);
	if (v == NULL) {
		api_error(r, 400, "invalid_json",
		          "the body is not valid JSON (line %d, column %d)", err.line,
		          err.column);
		return 0;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		api_error(r, 400, "invalid_json", "the body must be a JSON object");
		return 0;
	}
	if (!api_validate(v, rt->fields, r)) {
		json_decref(v);
		return 0;
	}
	q->body = v;
	return 1;
}

static int
query_ok(const struct api_req *q, struct api_resp *r)
{
	if (q->query_overflow) {
		api_error(r, 400, "invalid_parameter", "too many query parameters");
		return 0;
	}
	for (int i = 0; i < q->nquery; i++) {
		const char *k = q->query[i].key, *v = q->query[i].value;
		int known = 0;
		for (const char *const *a = q->route->query; a && *a; a++)
			if (strcmp(*a, k) == 0)
				known = 1;
		if (!known) {
			api_error(r, 400, "unknown_parameter",
			          "unknown query parameter for this request");
			return 0;
		}
		if (v && (!utf8_valid(v, strlen(v)) || strlen(v) > 500 ||
		          !line_ok(v, 0))) {
			api_error(r, 400, "invalid_parameter",
			          "%s: not valid text (UTF-8, one line, 500 bytes at most)",
			          k);
			return 0;
		}
		for (int j = 0; j < i; j++)
			if (strcmp(q->query[j].key, k) == 0) {
				api_error(r, 400, "invalid_parameter", "%s: given twice", k);
				return 0;
			}
	}
	return 1;
}

void
api_handle(struct api_req *q, struct api_resp *r)
{
	int known = 0;
	memset(r, 0, sizeof *r);
	q->route = api_route_match(q->method, q->path, &q->id, &known);
	if (q->route == NULL) {
		if (known) {
			api_error(r, 405, "method_not_allowed",
			          "this resource does not take %s",
			          http_method_name(q->method));
			size_t n;
			const struct route *routes = api_routes(&n);
			size_t used = 0;
			for (size_t i = 0; i < n; i++) {
				int64_t v;
				if (pattern_match(routes[i].pattern, q->path, &v) &&
				    used + 10 < sizeof r->allow)
					used += (size_t)snprintf(r->allow + used,
					                         sizeof r->allow - used, "%s%s",
					                         used ? ", " : "",
					                         http_method_name(routes[i].method));
			}
		} else {
			api_error(r, 404, "not_found", "no such API route");
		}
		return;
	}
	if (!api_authenticate(q, r))
		return;
	int unsafe = q->method != HM_GET && q->method != HM_HEAD;
	if (unsafe && !api_csrf_ok(q, r))
		return;
	if (!refuse(r, authz_decide(&q->who, q->route->action, NULL)))
		return;
	if (!query_ok(q, r) || !read_body(q, r))
		return;
	if (q->desk == NULL && q->route->fn != h_openapi) {
		api_error(r, 503, "busy", "the database is unreachable; retry shortly");
		return;
	}
	q->route->fn(q, r);
	if (r->status == 0)
		api_error(r, 500, "internal", "the handler gave no answer");
}
