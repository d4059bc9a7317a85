/*
 * api_statements.c - a client's monthly statements as documents (issue
 * 18): the months there are statements for, and one month's statement as
 * a PDF. A client's user reads only their own client's (authz: the
 * client is the resource's owner); staff any.
 *
 * SECURITY: the client id is decimal (router.c); month and lang are
 * checked here before use; the file name is built from the client's
 * domain (letters, digits, dots and hyphens) and the month.
 */
#include "app/billing/directory.h"
#include "app/billing/statement.h"
#include "app/billing/statement_send.h"
#include "http/api.h"
#include "http/api_handlers.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The client of the path, when the caller may read its statements:
 * *c (the client's JSON, the caller releases it); else the answer is
 * written and 0 returned. */
static int
client_of(struct api_req *q, struct api_resp *r, json_t **c)
{
	int64_t owner = 0;
	enum store_rc src = dir_get(q->desk->db, DIR_CLIENT, q->id, c, &owner);
	if (src != STORE_OK) {
		api_fail(q, r, src);
		return 0;
	}
	if (!api_allow(q, r, AZ_CONTRACT_READ, owner, 0)) {
		json_decref(*c);
		return 0;
	}
	return 1;
}

void
h_client_statements(struct api_req *q, struct api_resp *r)
{
	json_t *c, *out = NULL;
	if (!client_of(q, r, &c))
		return;
	json_decref(c);
	enum app_rc rc = statement_months(q->desk->db, q->id, &out);
	if (rc != APP_OK) {
		api_app_fail(q, r, rc);
		return;
	}
	api_json(r, 200, out);
}

void
h_client_statement_pdf(struct api_req *q, struct api_resp *r)
{
	int64_t year;
	int month;
	const char *m = api_query_get(q, "month"), *lang = api_query_get(q, "lang");
	/* Another client's statements do not exist for a client (404),
	 * whatever the parameters: who may see it is asked first. */
	json_t *c;
	if (!client_of(q, r, &c))
		return;
	if (m == NULL || iso_month_parse(m, &year, &month) != 0 || year < 2000 ||
	    year > 2100) {
		json_decref(c);
		api_error(r, 400, "invalid_parameter", "month: YYYY-MM");
		return;
	}
	if (lang && strcmp(lang, "es") != 0 && strcmp(lang, "en") != 0) {
		json_decref(c);
		api_error(r, 400, "invalid_parameter", "lang: es or en");
		return;
	}
	if (q->env == NULL || q->env->pol == NULL) {
		json_decref(c);
		api_error(r, 503, "unavailable", "the server has no policy loaded");
		return;
	}
	if (lang == NULL)
		lang = json_string_value(json_object_get(c, "language"));
	const char *domain = json_string_value(json_object_get(c, "domain"));
	char name[300];
	statement_filename(lang, domain, year, month, name, sizeof name);
	unsigned char *pdf = NULL;
	size_t len = 0;
	enum app_rc rc = statement_pdf(q->desk->db, q->env->pol, domain, year,
	                               month, lang, &pdf, &len);
	json_decref(c);
	if (rc != APP_OK) {
		api_app_fail(q, r, rc);
		return;
	}
	api_resp_free(r);
	r->status = 200;
	r->raw = pdf;
	r->raw_len = len;
	r->download = 1;
	snprintf(r->content_type, sizeof r->content_type, "application/pdf");
	snprintf(r->disposition, sizeof r->disposition,
	         "attachment; filename=\"%s\"", name);
}
