/*
 * test_api_contract.c - the route table against docs/api/openapi.json,
 * the authz matrix, and request validation without a server.
 *
 * Contract: every route of the table is an operation of the document with
 * the same authz action, the roles the matrix gives that action, the same
 * request body fields (names, required, JSON type) and the same query
 * parameters; and every operation of the document is a route. Then table
 * rows ({name, input, want}) for the body checks of router.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/access/authz.h"
#include "http/api.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static json_t *doc;

static const char *
lower_method(enum http_method m)
{
	static const char *const names[] = {"get", "head", "post", "put",
	                                    "patch", "delete", "other"};
	return names[m];
}

static const char *
field_json_type(enum field_type t)
{
	switch (t) {
	case FT_INT:
		return "integer";
	case FT_BOOL:
		return "boolean";
	case FT_IDS:
		return "array";
	default:
		return "string";
	}
}

/* The schema's type, or its first one when it is a list. */
static const char *
schema_type(json_t *schema)
{
	json_t *t = json_object_get(schema, "type");
	if (json_is_array(t))
		t = json_array_get(t, 0);
	return json_string_value(t);
}

static int
schema_nullable(json_t *schema)
{
	json_t *t = json_object_get(schema, "type");
	size_t i;
	json_t *v;
	json_array_foreach(t, i, v) {
		if (strcmp(json_string_value(v), "null") == 0)
			return 1;
	}
	return 0;
}

static void
check_route(const struct route *rt)
{
	json_t *op = json_object_get(json_object_get(json_object_get(doc, "paths"),
	                                             rt->pattern),
	                             lower_method(rt->method));
	if (op == NULL)
		fail_msg("%s %s: not in docs/api/openapi.json",
		         http_method_name(rt->method), rt->pattern);
	const char *action =
	    json_string_value(json_object_get(op, "x-soporte-action"));
	if (action == NULL || strcmp(action, authz_action_name(rt->action)) != 0)
		fail_msg("%s %s: action %s in the code, %s in the document",
		         http_method_name(rt->method), rt->pattern,
		         authz_action_name(rt->action), action ? action : "none");
	/* Roles: the document lists exactly the roles the matrix allows. */
	json_t *roles = json_object_get(op, "x-soporte-roles");
	for (int r = 0; r < ROLE_COUNT; r++) {
		int listed = 0;
		size_t i;
		json_t *v;
		json_array_foreach(roles, i, v) {
			if (strcmp(json_string_value(v), role_name((enum user_role)r)) == 0)
				listed = 1;
		}
		if (listed != authz_role_may((enum user_role)r, rt->action))
			fail_msg("%s %s: role %s %s in the document but not in authz.c",
			         http_method_name(rt->method), rt->pattern,
			         role_name((enum user_role)r), listed ? "listed" : "missing");
	}
	/* Request body. */
	json_t *rb = json_object_get(op, "requestBody");
	if (rt->body == BODY_NONE) {
		if (rb)
			fail_msg("%s %s: the document has a body, the code takes none",
			         http_method_name(rt->method), rt->pattern);
	} else if (rt->body == BODY_ICS) {
		if (json_object_get(json_object_get(rb, "content"), "text/calendar") ==
		    NULL)
			fail_msg("%s: text/calendar body missing", rt->pattern);
	} else if (rt->body == BODY_FILE) {
		if (json_object_get(json_object_get(rb, "content"), "*/*") == NULL)
			fail_msg("%s: the document lacks the raw file body (*/*)",
			         rt->pattern);
	} else {
		json_t *schema = json_object_get(
		    json_object_get(json_object_get(rb, "content"), "application/json"),
		    "schema");
		if (schema == NULL)
			fail_msg("%s %s: no JSON body in the document",
			         http_method_name(rt->method), rt->pattern);
		assert_true(json_is_false(json_object_get(schema,
		                                          "additionalProperties")));
		json_t *props = json_object_get(schema, "properties");
		json_t *req = json_object_get(schema, "required");
		size_t nfields = 0;
		for (const struct field *f = rt->fields; f && f->name; f++, nfields++) {
			json_t *p = json_object_get(props, f->name);
			if (p == NULL)
				fail_msg("%s %s: field %s not in the document",
				         http_method_name(rt->method), rt->pattern, f->name);
			if (strcmp(schema_type(p), field_json_type(f->type)) != 0)
				fail_msg("%s %s: field %s is %s in the code, %s in the document",
				         http_method_name(rt->method), rt->pattern, f->name,
				         field_json_type(f->type), schema_type(p));
			if (schema_nullable(p) != ((f->flags & F_NULL) != 0))
				fail_msg("%s %s: field %s nullable differs",
				         http_method_name(rt->method), rt->pattern, f->name);
			int required = 0;
			size_t i;
			json_t *v;
			json_array_foreach(req, i, v) {
				if (strcmp(json_string_value(v), f->name) == 0)
					required = 1;
			}
			if (required != ((f->flags & F_REQ) != 0))
				fail_msg("%s %s: field %s required differs",
				         http_method_name(rt->method), rt->pattern, f->name);
		}
		if (json_object_size(props) != nfields)
			fail_msg("%s %s: the document has %zu fields, the code %zu",
			         http_method_name(rt->method), rt->pattern,
			         json_object_size(props), nfields);
		int optional = json_is_false(json_object_get(rb, "required"));
		if (optional != (rt->body == BODY_JSON_OPTIONAL))
			fail_msg("%s %s: body optional differs",
			         http_method_name(rt->method), rt->pattern);
	}
	/* Query parameters. */
	size_t nq = 0, i;
	json_t *p;
	for (const char *const *q = rt->query; q && *q; q++) {
		int found = 0;
		json_array_foreach(json_object_get(op, "parameters"), i, p) {
			if (strcmp(json_string_value(json_object_get(p, "in")), "query") ==
			        0 &&
			    strcmp(json_string_value(json_object_get(p, "name")), *q) == 0)
				found = 1;
		}
		if (!found)
			fail_msg("%s %s: query parameter %s not in the document",
			         http_method_name(rt->method), rt->pattern, *q);
		nq++;
	}
	size_t docq = 0;
	json_array_foreach(json_object_get(op, "parameters"), i, p) {
		if (strcmp(json_string_value(json_object_get(p, "in")), "query") == 0)
			docq++;
	}
	if (docq != nq)
		fail_msg("%s %s: %zu query parameters in the document, %zu in the code",
		         http_method_name(rt->method), rt->pattern, docq, nq);
}

static void
test_every_route_documented(void **state)
{
	(void)state;
	size_t n;
	const struct route *rt = api_routes(&n);
	assert_true(n > 40);
	for (size_t i = 0; i < n; i++)
		check_route(&rt[i]);
}

static void
test_every_operation_routed(void **state)
{
	(void)state;
	size_t n, ops = 0;
	const struct route *rt = api_routes(&n);
	const char *path;
	json_t *item;
	json_object_foreach(json_object_get(doc, "paths"), path, item) {
		const char *method;
		json_t *op;
		json_object_foreach(item, method, op) {
			int found = 0;
			for (size_t i = 0; i < n; i++)
				if (strcmp(rt[i].pattern, path) == 0 &&
				    strcmp(lower_method(rt[i].method), method) == 0)
					found = 1;
			if (!found)
				fail_msg("%s %s: in the document, not in the route table",
				         method, path);
			ops++;
		}
	}
	assert_int_equal(ops, n);
}

/* The embedded copy is the file. */
static void
test_embedded_document(void **state)
{
	(void)state;
	json_t *embedded = json_loads(api_openapi_json, 0, NULL);
	assert_non_null(embedded);
	assert_true(json_equal(embedded, doc));
	json_decref(embedded);
}

/* Deny by default; clients see only their organization (404 otherwise);
 * secrets only for the assigned consultant and PMs; token scopes. */
static void
test_authz_matrix(void **state)
{
	(void)state;
	static const struct principal client = {.user_id = 9, .role = ROLE_CLIENT,
	                           .client_id = 3, .scopes = SCOPE_ALL};
	static const struct principal kons = {.user_id = 4, .role = ROLE_CONSULTANT,
	                         .scopes = SCOPE_ALL};
	static const struct principal pm = {.user_id = 5, .role = ROLE_PROJECT_MANAGER,
	                       .scopes = SCOPE_ALL};
	static const struct principal admin = {.user_id = 1, .role = ROLE_ADMIN,
	                          .scopes = SCOPE_ALL};
	static const struct principal ro_token = {.user_id = 1, .role = ROLE_ADMIN,
	                             .scopes = SCOPE_READ, .via_token = 1};
	static const struct authz_object own = {3, 4}, other = {7, 4},
	                                 unassigned = {3, 0};
	static const struct {
		const char *name;
		const struct principal *who;
		enum authz_action a;
		const struct authz_object *obj;
		enum authz_result want;
	} rows[] = {
		{"anonymous reads nothing", NULL, AZ_TICKET_READ, NULL,
		 AUTHZ_UNAUTHENTICATED},
		{"anonymous logs in", NULL, AZ_PUBLIC, NULL, AUTHZ_ALLOW},
		{"client reads own ticket", &client, AZ_TICKET_READ, &own, AUTHZ_ALLOW},
		{"client: other's ticket is 404", &client, AZ_TICKET_READ, &other,
		 AUTHZ_HIDDEN},
		{"client: other's contract is 404", &client, AZ_CONTRACT_READ, &other,
		 AUTHZ_HIDDEN},
		{"client may not add notes", &client, AZ_TICKET_NOTE, NULL,
		 AUTHZ_FORBIDDEN},
		{"client may confirm", &client, AZ_TICKET_CONFIRM, &own, AUTHZ_ALLOW},
		{"client may request escalation", &client, AZ_ESCALATION_REQUEST, &own,
		 AUTHZ_ALLOW},
		{"client may not list users", &client, AZ_USER_READ, NULL,
		 AUTHZ_FORBIDDEN},
		{"R11 assigned consultant reveals", &kons, AZ_SECRET_REVEAL, &own,
		 AUTHZ_ALLOW},
		{"R11 other consultant may not", &kons, AZ_SECRET_REVEAL, &unassigned,
		 AUTHZ_FORBIDDEN},
		{"R11 PM reveals", &pm, AZ_SECRET_REVEAL, &unassigned, AUTHZ_ALLOW},
		{"R11 admin may not reveal", &admin, AZ_SECRET_REVEAL, &own,
		 AUTHZ_FORBIDDEN},
		{"R11 client may not reveal", &client, AZ_SECRET_REVEAL, &own,
		 AUTHZ_FORBIDDEN},
		{"admin manages users", &admin, AZ_USER_WRITE, NULL, AUTHZ_ALLOW},
		{"read token reads", &ro_token, AZ_TICKET_READ, NULL, AUTHZ_ALLOW},
		{"read token may not write", &ro_token, AZ_DIRECTORY_WRITE, NULL,
		 AUTHZ_FORBIDDEN},
		{"read token may not manage users", &ro_token, AZ_USER_WRITE, NULL,
		 AUTHZ_FORBIDDEN},
		{"unknown action denied", &admin, AZ_COUNT, NULL, AUTHZ_FORBIDDEN},
		{"clients never see internal notes", &client, AZ_INTERNAL_READ, NULL,
		 AUTHZ_FORBIDDEN},
		{"staff see internal notes", &kons, AZ_INTERNAL_READ, NULL, AUTHZ_ALLOW},
	};
	assert_int_equal(authz_client_scope(&client), 3);
	assert_int_equal(authz_client_scope(&kons), 0);
	assert_int_equal(authz_client_scope(NULL), -1);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		enum authz_result got = authz_decide(rows[i].who, rows[i].a, rows[i].obj);
		if (got != rows[i].want)
			fail_msg("%s: got %d, want %d", rows[i].name, got, rows[i].want);
	}
}

/* Body checks of router.c, one row per way to get a request wrong. */
static void
test_validation_table(void **state)
{
	(void)state;
	size_t n;
	const struct route *rt = api_routes(&n);
	const struct route *client_new = NULL;
	for (size_t i = 0; i < n; i++)
		if (rt[i].method == HM_POST && strcmp(rt[i].pattern, "/api/clients") == 0)
			client_new = &rt[i];
	assert_non_null(client_new);
	static const struct {
		const char *name, *body, *code;
	} rows[] = {
		{"valid", "{\"name\":\"Acme\",\"domain\":\"acme.pe\"}", NULL},
		{"unknown field", "{\"name\":\"Acme\",\"domain\":\"acme.pe\",\"x\":1}",
		 "unknown_field"},
		{"missing field", "{\"name\":\"Acme\"}", "missing_field"},
		{"wrong type", "{\"name\":1,\"domain\":\"acme.pe\"}", "wrong_type"},
		{"null not allowed", "{\"name\":null,\"domain\":\"acme.pe\"}",
		 "wrong_type"},
		{"bad domain", "{\"name\":\"A\",\"domain\":\"'; DROP TABLE x;--\"}",
		 "invalid_value"},
		{"control character", "{\"name\":\"A\\u0007\",\"domain\":\"a.pe\"}",
		 "invalid_value"},
		{"blank name", "{\"name\":\"   \",\"domain\":\"a.pe\"}", "invalid_value"},
		{"bad enum", "{\"name\":\"A\",\"domain\":\"a.pe\",\"language\":\"fr\"}",
		 "invalid_value"},
		{"bool as string", "{\"name\":\"A\",\"domain\":\"a.pe\","
		                   "\"monthly_service\":\"yes\"}",
		 "wrong_type"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct api_resp r = {0};
		json_t *b = json_loads(rows[i].body, 0, NULL);
		assert_non_null(b);
		int ok = api_validate(b, client_new->fields, &r);
		const char *code = ok ? NULL
		                      : json_string_value(json_object_get(
		                            json_object_get(r.json, "error"), "code"));
		if ((code == NULL) != (rows[i].code == NULL) ||
		    (code && strcmp(code, rows[i].code) != 0))
			fail_msg("%s: got %s, want %s", rows[i].name, code ? code : "ok",
			         rows[i].code ? rows[i].code : "ok");
		if (!ok)
			assert_int_equal(r.status, 400);
		api_resp_free(&r);
		json_decref(b);
	}
}

/* api_handle() without a database: routing, methods, bodies. */
static void
test_handle_without_db(void **state)
{
	(void)state;
	static const struct {
		const char *name, *method, *path, *ctype, *body;
		unsigned want;
	} rows[] = {
		{"unknown route", "GET", "/api/nope", NULL, NULL, 404},
		{"id zero", "GET", "/api/tickets/0", NULL, NULL, 404},
		{"id not decimal", "GET", "/api/tickets/1e3", NULL, NULL, 404},
		{"id too long", "GET", "/api/tickets/1234567890123456789", NULL, NULL,
		 404},
		{"wrong method", "PUT", "/api/tickets", NULL, NULL, 405},
		{"anonymous", "GET", "/api/tickets", NULL, NULL, 401},
		{"login: not JSON type", "POST", "/api/session", "text/plain", "{}",
		 415},
		{"login: malformed", "POST", "/api/session", "application/json",
		 "{\"email\":", 400},
		{"login: bad UTF-8", "POST", "/api/session", "application/json",
		 "{\"email\":\"\xff\",\"password\":\"x\"}", 400},
		{"login: array", "POST", "/api/session", "application/json", "[1]", 400},
		{"login: duplicate key", "POST", "/api/session", "application/json",
		 "{\"email\":\"a\",\"email\":\"b\",\"password\":\"x\"}", 400},
		{"login: unknown field", "POST", "/api/session", "application/json",
		 "{\"email\":\"a\",\"password\":\"x\",\"admin\":true}", 400},
		{"openapi", "GET", "/api/openapi.json", NULL, NULL, 200},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct api_req q = {0};
		struct api_resp r = {0};
		q.method = http_method_parse(rows[i].method);
		q.path = rows[i].path;
		q.content_type = rows[i].ctype;
		q.raw_body = rows[i].body;
		q.raw_len = rows[i].body ? strlen(rows[i].body) : 0;
		api_handle(&q, &r);
		if (r.status != rows[i].want)
			fail_msg("%s: got %u, want %u", rows[i].name, r.status,
			         rows[i].want);
		json_decref(q.body);
		api_resp_free(&r);
	}
}

int
main(void)
{
	json_error_t err;
	doc = json_load_file(SOPORTE_SRC "/docs/api/openapi.json", 0, &err);
	if (doc == NULL) {
		fprintf(stderr, "docs/api/openapi.json: %s (line %d)\n", err.text,
		        err.line);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_documented),
		cmocka_unit_test(test_every_operation_routed),
		cmocka_unit_test(test_embedded_document),
		cmocka_unit_test(test_authz_matrix),
		cmocka_unit_test(test_validation_table),
		cmocka_unit_test(test_handle_without_db),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_decref(doc);
	return rc;
}
