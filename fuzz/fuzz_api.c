/*
 * fuzz_api.c - libFuzzer target over the API's request handling:
 * routing, query and header checks, body reading (content type, UTF-8,
 * JSON, duplicate keys) and the field validation of every route.
 *
 * Input layout (all optional, missing parts are empty):
 *   byte 0      method (modulo the methods)
 *   byte 1      content type (modulo a small table)
 *   byte 2      route index for the direct validation pass
 *   up to '\n'  the path, with an optional "?k=v&k=v" query
 *   the rest    the body
 * No database: api_handle() stops with 503 where a handler would need
 * one, after everything a request can get wrong has been checked.
 *
 * SECURITY: the whole input is hostile by construction.
 */
#include "http/api.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const ctypes[] = {
	NULL, "application/json", "application/json; charset=utf-8",
	"text/calendar", "text/plain", "application/json; charset=latin1",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	enum http_method m = (enum http_method)(data[0] % (HM_OTHER + 1));
	const char *ctype = ctypes[data[1] % (sizeof ctypes / sizeof ctypes[0])];
	unsigned route_pick = data[2];
	data += 3;
	size -= 3;
	const uint8_t *nl = memchr(data, '\n', size);
	size_t plen = nl ? (size_t)(nl - data) : size;
	char *path = malloc(plen + 1);
	if (path == NULL)
		return 0;
	memcpy(path, data, plen);
	path[plen] = '\0';
	const char *body = nl ? (const char *)nl + 1 : NULL;
	size_t blen = nl ? size - plen - 1 : 0;

	struct api_req q = {0};
	q.method = m;
	q.content_type = ctype;
	q.raw_body = body;
	q.raw_len = blen;
	q.if_match = "\"1\"";
	/* Split the query the way the server hands it over. */
	char *qs = strchr(path, '?');
	if (qs) {
		*qs++ = '\0';
		while (qs && *qs && q.nquery < API_QUERY_MAX) {
			char *amp = strchr(qs, '&');
			if (amp)
				*amp++ = '\0';
			char *eq = strchr(qs, '=');
			if (eq)
				*eq++ = '\0';
			q.query[q.nquery].key = qs;
			q.query[q.nquery].value = eq;
			q.nquery++;
			qs = amp;
		}
		if (qs && *qs)
			q.query_overflow = 1;
	}
	q.path = path;
	struct api_resp r;
	api_handle(&q, &r);
	if (r.status < 100 || r.status > 599)
		abort();
	if (r.status >= 400 && r.json == NULL)
		abort();   /* every refusal carries an error body */
	json_decref(q.body);
	api_resp_free(&r);

	/* The body against one route's fields, directly. */
	size_t n;
	const struct route *rt = api_routes(&n);
	const struct route *pick = &rt[route_pick % n];
	if (pick->fields && body) {
		json_t *v = json_loadb(body, blen, JSON_REJECT_DUPLICATES, NULL);
		if (json_is_object(v)) {
			struct api_resp vr = {0};
			int ok = api_validate(v, pick->fields, &vr);
			if (!ok && vr.status != 400)
				abort();
			api_resp_free(&vr);
		}
		json_decref(v);
	}
	free(path);
	return 0;
}
