/*
 * api.h - the JSON API: requests, responses, the route table, handlers.
 *
 * The server (server.c) turns an HTTP request into a struct api_req
 * (method, path, query, headers that matter, the body) and calls
 * api_handle(), which does everything else in a fixed order:
 *   1. route lookup (404, 405)              router.c
 *   2. who is asking: bearer token or       api_auth.c
 *      session cookie (401), CSRF token on
 *      unsafe methods with a cookie (403)
 *   3. authz_decide() at route level        app/access/authz.c (401, 403)
 *   4. query parameters known to the route  router.c (400)
 *   5. body: size (413, before this), type  router.c (415, 400)
 *      application/json, UTF-8, one JSON
 *      object, known fields of the right
 *      type and range
 *   6. the handler: loads the object, asks authz_decide() again with
 *      it (404 for another client's), calls the app command.
 * api_handle() never touches MHD, so the fuzz target drives it whole.
 *
 * Errors are always {"error":{"code":"...","message":"..."}}: codes are
 * stable words (not_found, forbidden, invalid_json, unknown_field, ...),
 * messages one clear English sentence.
 *
 * SECURITY: every field of api_req that comes from the network is
 * untrusted: path, query, headers, body. Handlers see only the parsed,
 * validated body and bound values.
 */
#ifndef SOPORTE_HTTP_API_H
#define SOPORTE_HTTP_API_H

#include "app/base/app_rc.h"
#include "app/base/audit.h"
#include "app/access/authz.h"
#include "app/base/desk.h"
#include "app/ticket/ticket_cmds.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define API_BODY_MAX (1024 * 1024)     /* JSON and .ics bodies */
#define API_QUERY_MAX 16
#define API_PAGE_DEFAULT 50
#define API_PAGE_MAX 200

enum http_method { HM_GET, HM_HEAD, HM_POST, HM_PUT, HM_PATCH, HM_DELETE, HM_OTHER };

struct policy;
struct calendar;
struct vault;
struct holiday_list;
struct calendar_live;

/* What the handlers share for the server's lifetime (read-only). */
struct api_env {
	const struct policy *pol;
	const struct calendar *cal;   /* for this request (server.c takes it
	                                 from live) */
	struct calendar_live *live;   /* NULL: cal never changes */
	const struct vault *vault;
	const struct holiday_list *holidays;
	int cookie_secure;        /* add "Secure" to cookies */
};

struct api_query {
	const char *key, *value;
};

struct route;

struct api_req {
	enum http_method method;
	const char *path;
	struct api_query query[API_QUERY_MAX];
	int nquery;
	int query_overflow;       /* more parameters than fit */
	const char *content_type; /* NULL when absent */
	const char *raw_body;     /* NULL or len bytes (not NUL-terminated) */
	size_t raw_len;
	const char *if_match;
	const char *authorization;
	const char *session_cookie;
	const char *device_cookie; /* soporte_device: a known browser */
	const char *csrf_header;
	const char *last_event_id; /* GET /api/events: resume after it */
	char addr[64];            /* the client (behind a trusted proxy, the
	                             address it forwards): login throttle */
	int64_t now;
	struct desk *desk;        /* the server thread's; NULL: no database
	                             (fuzzing) */
	const struct api_env *env;
	/* Filled by api_handle(): */
	const struct route *route;
	int64_t id;               /* the path's {id} / {number}, or 0 */
	json_t *body;             /* the validated JSON object, or NULL */
	struct principal who;
	char csrf[64];            /* the session's CSRF token */
	char session_token[64];   /* the cookie value, for logout */
};

struct api_resp {
	unsigned status;
	json_t *json;             /* body as JSON, or NULL */
	void *raw;                /* or raw bytes (malloc'd), raw_len long */
	size_t raw_len;
	char content_type[128];
	char disposition[400];
	char etag[48];
	char cookies[3][400];
	int ncookies;
	int64_t retry_after_s;
	char allow[64];
	char location[128];
	int no_log_user;          /* e.g. failed logins: no user known */
	int download;             /* a stored file: the strictest CSP */
	int framed_html;          /* mail HTML for the UI's sandboxed frame:
	                             its own CSP (data: images only) */
	int event_stream;         /* 200: the server answers with the live
	                             events after stream_after (events.h) */
	int64_t stream_after;
};

/* Handles one request; fills resp (status 0 never leaves). The caller
 * owns req (and its strings) and frees resp with api_resp_free(). */
void api_handle(struct api_req *req, struct api_resp *resp);
void api_resp_free(struct api_resp *resp);

/* Helpers for handlers. */
void api_error(struct api_resp *r, unsigned status, const char *code,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* api_error() about one input field: the body also names it
 * ({"error":{"code","message","field"}}), so a form can point at it. */
void api_error_at(struct api_resp *r, unsigned status, const char *code,
                  const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Maps a store result to an error: BUSY 503, NOTFOUND 404, CONSTRAINT
 * 409 (with the store's message), else 500 (message logged, not sent). */
void api_store_error(struct api_resp *r, struct desk *desk, enum store_rc rc);
/* The one failure answer of a handler: api_store_error() for rc, and the
 * store's message in the server's log (method and path) when rc is
 * STORE_ERROR. */
void api_fail(struct api_req *q, struct api_resp *r, enum store_rc rc);
/* The same for a command's answer: APP_REFUSED 409 "refused" with the
 * command's one-line reason, APP_BUSY 503, APP_FAILED 500 (logged);
 * nothing for APP_OK. */
void api_app_fail(struct api_req *q, struct api_resp *r, enum app_rc rc);
/* A command's refusal (409 "refused") with its message and, when the
 * workflow refused (refusal is an enum wf_refusal other than WF_OK), its
 * stable word as "reason" (closed, ask_consultant_first, ...). */
void api_refused(struct api_resp *r, int refusal, const char *message);
/* A lifecycle command that did not apply (rc is not TCMD_OK; res its
 * result): 409 "refused" (the workflow's reason), 404, 413 (the files,
 * field "attachments"), 412 "stale", 503 "busy" with Retry-After, or 500
 * with res->message in the log. */
void api_tcmd_fail(struct api_req *q, struct api_resp *r, enum tcmd_rc rc,
                   const struct tcmd_result *res);
/* Ticket number n as GET answers it, with status and its ETag. */
void api_ticket_answer(struct api_req *q, struct api_resp *r, unsigned status,
                       int64_t number);
/* Sets status and steals json. */
void api_json(struct api_resp *r, unsigned status, json_t *json);
/* {"items": items, "next_cursor": next or null} with 200. */
void api_page(struct api_resp *r, json_t *items, const char *next);
/* api_page() for lists keyed by id: a full page (limit items) names its
 * last item's id as the next cursor. */
void api_page_by_id(struct api_resp *r, json_t *items, int64_t limit);
/* The "cursor" (an id, 0 when absent) and "limit" (1..API_PAGE_MAX,
 * API_PAGE_DEFAULT when absent) of a list; 0 with a 400 in r. */
int api_page_args(const struct api_req *q, struct api_resp *r,
                  int64_t *cursor, int *limit);
/* The ticket version a request names in If-Match ("N" or W/"N") into
 * *v, 0 when absent; 1, or 0 with r filled: absent when required (428
 * precondition_required), "*" (428 if_match_wildcard: a client sends
 * the version it saw), malformed (400 invalid_header). */
int api_if_match(const struct api_req *q, struct api_resp *r, int required,
                 int64_t *v);
/* The value of query parameter key, or NULL. */
const char *api_query_get(const struct api_req *q, const char *key);
/* Parses a query integer in [min, max]; 0 when absent (*v = dflt), 1 when
 * read, -1 (and a 400 in r) when malformed. */
int api_query_int(const struct api_req *q, struct api_resp *r,
                  const char *key, int64_t min, int64_t max, int64_t dflt,
                  int64_t *v);
/* Decides with the object; on refusal fills r (404 for AUTHZ_HIDDEN) and
 * returns 0; returns 1 when allowed. */
int api_allow(const struct api_req *q, struct api_resp *r,
              enum authz_action a, int64_t owner_client_id,
              int64_t assignee_id);
/* The policy's per-ticket limit of [limits] (ticket_caps.h), or 0 when
 * the server has no policy. */
#define API_POLICY_LIMIT(q, key) \
	((q)->env && (q)->env->pol ? (q)->env->pol->key : 0)
/* The actor of an audit event for this request. */
struct actor api_actor(const struct api_req *q);

/* Authentication (api_auth.c): fills q->who from a bearer token or the
 * session cookie. Returns 1 when the request may go on (anonymous
 * included), 0 with r filled (401 for a bad token, 503 when busy). */
int api_authenticate(struct api_req *q, struct api_resp *r);
/* Checks the CSRF header of a cookie-authenticated unsafe request;
 * returns 1 when fine, 0 with a 403 in r. */
int api_csrf_ok(const struct api_req *q, struct api_resp *r);

/* The route table (routes.c), for the server's metrics and the test
 * that holds it against docs/api/openapi.json. */
enum field_type {
	FT_STRING,   /* text; tab and line breaks allowed */
	FT_NAME,     /* one line of text, not blank */
	FT_IDENT,    /* [a-z0-9_], 1..max */
	FT_EMAIL,
	FT_DOMAIN,
	FT_DATE,     /* YYYY-MM-DD */
	FT_INT,
	FT_BOOL,
	FT_ENUM,
	FT_IDS,      /* array of positive integers */
};
enum { F_REQ = 1, F_NULL = 2 };

struct field {
	const char *name;
	enum field_type type;
	unsigned flags;
	int64_t min, max;          /* length in bytes, value, or items */
	const char *const *choices;/* FT_ENUM, NULL-terminated */
};

/* BODY_FILE: raw bytes of any type/subtype (an upload), up to the
 * policy's max_attachment_bytes instead of API_BODY_MAX. */
enum body_kind { BODY_NONE, BODY_JSON, BODY_JSON_OPTIONAL, BODY_ICS,
                 BODY_FILE };

typedef void api_handler(struct api_req *q, struct api_resp *r);

struct route {
	enum http_method method;
	const char *pattern;       /* "/api/tickets/{number}" */
	enum authz_action action;
	enum body_kind body;
	const struct field *fields;/* BODY_JSON*: NULL-name-terminated */
	const char *const *query;  /* allowed parameters, NULL-terminated */
	api_handler *fn;
	const char *summary;
};

const struct route *api_routes(size_t *n);
/* Finds the route; *path_known is set when the path exists with another
 * method (405). *id receives the {param}. */
const struct route *api_route_match(enum http_method m, const char *path,
                                    int64_t *id, int *path_known);
const char *http_method_name(enum http_method m);
/* The most body bytes the route at (m, path) takes: API_BODY_MAX, or the
 * policy's attachment limit for uploads. The server reads no more. */
size_t api_body_limit(const struct api_env *env, enum http_method m,
                      const char *path);
enum http_method http_method_parse(const char *s);
/* Validates a JSON object against fields; 1 or 0 with a 400 in r. */
int api_validate(json_t *body, const struct field *fields,
                 struct api_resp *r);

/* The OpenAPI document served at /api/openapi.json (generated into the
 * binary from docs/api/openapi.json). */
extern const char api_openapi_json[];

#endif
