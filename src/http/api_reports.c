/*
 * api_reports.c - the month's SLA report (R6, R7) and the exports
 * (issue 18): the queue view, time entries and the statement as CSV or
 * XLSX files. The figures are the app's (app/ops/sla_report.c,
 * app/billing/exports.c); this file checks the request and answers the
 * file with its name.
 */
#include "app/billing/contract_doc.h"
#include "app/billing/directory.h"
#include "app/billing/exports.h"
#include "app/billing/hourbank_store.h"
#include "app/billing/statement.h"
#include "app/ops/sla_report.h"
#include "app/ticket/ticket_query.h"
#include "http/api.h"
#include "http/api_handlers.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT_ROWS_MAX 20000   /* a queue export, pages walked */

/* The "format" of a request among the ones allowed: csv, xlsx, and for
 * a report json (the default) and pdf; NULL with a 400 in r. */
static const char *
format_of(const struct api_req *q, struct api_resp *r, int report)
{
	const char *f = api_query_get(q, "format");
	if (f == NULL && report)
		return "json";
	if (f && ((report && (strcmp(f, "json") == 0 || strcmp(f, "pdf") == 0)) ||
	          strcmp(f, "csv") == 0 || strcmp(f, "xlsx") == 0))
		return f;
	api_error_at(r, 400, "invalid_parameter", "format",
	             report ? "format: json, csv, xlsx or pdf"
	                    : "format: csv or xlsx");
	return NULL;
}

/* The document's language: "lang" (es, the default, or en). */
static const char *
lang_of(const struct api_req *q, struct api_resp *r)
{
	const char *l = api_query_get(q, "lang");
	if (l == NULL || strcmp(l, "es") == 0 || strcmp(l, "en") == 0)
		return l ? l : "es";
	api_error_at(r, 400, "invalid_parameter", "lang", "lang: es or en");
	return NULL;
}

/* Answers data (malloc'd, taken) as the download base.ext. */
static void
send_file(struct api_resp *r, const char *type, char *data, size_t len,
          const char *base, const char *ext)
{
	api_resp_free(r);
	r->raw = data;
	r->raw_len = len;
	r->status = 200;
	r->download = 1;
	snprintf(r->content_type, sizeof r->content_type, "%s", type);
	snprintf(r->disposition, sizeof r->disposition,
	         "attachment; filename=\"%s.%s\"", base, ext);
}

/* Answers the sheets as a file named base.csv or base.xlsx (only the
 * first sheet in CSV). */
static void
send_export(struct api_resp *r, const char *format, const char *base,
            const struct export_sheet *sheets, size_t n)
{
	char *data = NULL;
	size_t len = 0;
	int xlsx = strcmp(format, "xlsx") == 0;
	if ((xlsx ? export_xlsx(sheets, n, &data, &len)
	          : export_csv(&sheets[0], &data, &len)) != 0) {
		api_error(r, 500, "internal", "the file could not be made");
		return;
	}
	send_file(r, xlsx ? EXPORT_XLSX_TYPE : EXPORT_CSV_TYPE, data, len, base,
	          format);
}

/* The month of the request (YYYY-MM); 0 with a 400 in r. */
static int
month_of(const struct api_req *q, struct api_resp *r, int64_t *y, int *m)
{
	const char *s = api_query_get(q, "month");
	if (s == NULL) {
		api_error_at(r, 400, "missing_parameter", "month", "month: required");
		return 0;
	}
	if (iso_month_parse(s, y, m) != 0 || *y < 2000 || *y > 2100) {
		api_error_at(r, 400, "invalid_parameter", "month", "month: YYYY-MM");
		return 0;
	}
	return 1;
}

static int
policy_ready(const struct api_req *q, struct api_resp *r)
{
	if (q->env && q->env->pol && q->env->cal)
		return 1;
	api_error(r, 503, "unavailable", "the server has no policy loaded");
	return 0;
}

void
h_report_sla(struct api_req *q, struct api_resp *r)
{
	struct sla_report_req req = {.now = q->now};
	const char *format = format_of(q, r, 1), *lang = lang_of(q, r);
	if (format == NULL || lang == NULL ||
	    !month_of(q, r, &req.year, &req.month) ||
	    api_query_int(q, r, "client_id", 1, INT64_MAX, 0, &req.client_id) < 0 ||
	    !policy_ready(q, r))
		return;
	json_t *rep = NULL;
	enum app_rc rc = sla_report_json(q->desk->db, q->env->pol, q->env->cal,
	                                 &req, &rep);
	if (rc == APP_REFUSED && req.client_id) {
		api_error(r, 404, "not_found", "no such client");
		return;
	}
	if (rc != APP_OK) {
		api_app_fail(q, r, rc);
		return;
	}
	char base[64];
	snprintf(base, sizeof base, "sla-%04lld-%02d", (long long)req.year,
	         req.month);
	if (strcmp(format, "json") == 0) {
		api_json(r, 200, rep);
		return;
	}
	if (strcmp(format, "pdf") == 0) {
		unsigned char *pdf = NULL;
		size_t len = 0;
		if (sla_report_pdf(q->env->pol, rep, lang, &pdf, &len) != 0) {
			api_error(r, 500, "internal", "the document could not be made");
		} else {
			send_file(r, "application/pdf", (char *)pdf, len, base, "pdf");
		}
	} else if (strcmp(format, "csv") == 0) {
		struct export_sheet flat = {"report", sla_report_flat_cols, 4,
		                            sla_report_flat(rep)};
		send_export(r, format, base, &flat, 1);
		json_decref(flat.rows);
	} else {
		struct export_sheet sh[SLA_REPORT_SHEETS];
		size_t n;
		sla_report_sheets(rep, sh, &n);
		send_export(r, format, base, sh, n);
		sla_report_sheets_free(sh, n);
	}
	json_decref(rep);
}

void
h_export_tickets(struct api_req *q, struct api_resp *r)
{
	const char *format = format_of(q, r, 0);
	struct ticket_query f;
	int ok = format ? api_ticket_filter(q, r, &f) : 0;
	if (ok == 0)
		return;
	json_t *all = json_array();
	char next[TICKET_CURSOR_LEN] = "";
	f.limit = API_PAGE_MAX;
	/* The whole view, page by page, as the console would scroll it. */
	while (ok > 0 && json_array_size(all) < EXPORT_ROWS_MAX) {
		json_t *items;
		enum store_rc rc = ticket_query_list(q->desk->db, q->env ? q->env->cal
		                                                         : NULL,
		                                     &f, &items, next);
		if (rc == STORE_CONSTRAINT) {
			api_error(r, 400, "invalid_parameter", "%s", desk_errmsg(q->desk));
			json_decref(all);
			return;
		}
		if (rc != STORE_OK) {
			api_fail(q, r, rc);
			json_decref(all);
			return;
		}
		json_array_extend(all, items);
		json_decref(items);
		if (next[0] == '\0')
			break;
		f.cursor = next;
	}
	struct export_sheet sh = export_queue_sheet(all);
	send_export(r, format, "tickets", &sh, 1);
	json_decref(all);
}

/* The client's domain (the client being one the asker may see); NULL
 * with r filled. The caller frees the returned object. */
static json_t *
client_of(struct api_req *q, struct api_resp *r, int64_t id,
          enum authz_action a)
{
	json_t *c;
	int64_t owner = 0;
	enum store_rc src = dir_get(q->desk->db, DIR_CLIENT, id, &c, &owner);
	if (src != STORE_OK) {
		api_fail(q, r, src);
		return NULL;
	}
	if (!api_allow(q, r, a, owner, 0)) {
		json_decref(c);
		return NULL;
	}
	return c;
}

void
h_export_time(struct api_req *q, struct api_resp *r)
{
	struct time_filter f = {0};
	int64_t client;
	const char *format = format_of(q, r, 0);
	if (format == NULL || !month_of(q, r, &f.year, &f.month) ||
	    api_query_int(q, r, "client_id", 1, INT64_MAX, 0, &client) < 0)
		return;
	if (client == 0) {
		api_error_at(r, 400, "missing_parameter", "client_id",
		             "client_id: required");
		return;
	}
	json_t *c = client_of(q, r, client, AZ_TIME_READ);
	if (c == NULL)
		return;
	f.client = json_string_value(json_object_get(c, "domain"));
	json_t *rows = NULL;
	enum app_rc rc = time_list_json(q->desk->db, &f, &rows);
	if (rc != APP_OK) {
		json_decref(c);
		api_app_fail(q, r, rc);
		return;
	}
	char base[320];
	snprintf(base, sizeof base, "time-%s-%04lld-%02d", f.client,
	         (long long)f.year, f.month);
	json_decref(c);
	struct export_sheet sh = export_time_sheet(rows);
	send_export(r, format, base, &sh, 1);
	json_decref(rows);
}

void
h_export_statement(struct api_req *q, struct api_resp *r)
{
	int64_t client, year;
	int month;
	const char *format = format_of(q, r, 0);
	if (format == NULL || !month_of(q, r, &year, &month) ||
	    api_query_int(q, r, "client_id", 1, INT64_MAX, 0, &client) < 0 ||
	    !policy_ready(q, r))
		return;
	if (client == 0 && (client = authz_client_scope(&q->who)) <= 0) {
		api_error_at(r, 400, "missing_parameter", "client_id",
		             "client_id: required");
		return;
	}
	json_t *c = client_of(q, r, client, AZ_CONTRACT_READ);
	if (c == NULL)
		return;
	const char *domain = json_string_value(json_object_get(c, "domain"));
	json_t *s = NULL;
	enum app_rc rc = statement_json(q->desk->db, q->env->pol, domain, year,
	                                month, &s);
	if (rc != APP_OK) {
		json_decref(c);
		api_app_fail(q, r, rc);
		return;
	}
	char base[320];
	snprintf(base, sizeof base, "statement-%s-%04lld-%02d", domain,
	         (long long)year, month);
	json_decref(c);
	struct export_sheet sh = export_statement_sheet(s);
	send_export(r, format, base, &sh, 1);
	json_decref(sh.rows);
	json_decref(s);
}

void
h_contract_pdf(struct api_req *q, struct api_resp *r)
{
	const char *lang = lang_of(q, r);
	if (lang == NULL || !policy_ready(q, r))
		return;
	json_t *doc = NULL;
	int64_t client = 0;
	enum app_rc rc = contract_doc_json(q->desk->db, q->env->pol, q->env->cal,
	                                   q->id, q->now, &doc, &client);
	if (rc == APP_REFUSED) {
		api_error(r, 404, "not_found", "no such contract");
		return;
	}
	if (rc != APP_OK) {
		api_app_fail(q, r, rc);
		return;
	}
	unsigned char *pdf = NULL;
	size_t len = 0;
	char base[48];
	snprintf(base, sizeof base, "contract-%lld", (long long)q->id);
	if (contract_doc_pdf(q->env->pol, doc, lang, &pdf, &len) != 0)
		api_error(r, 500, "internal", "the document could not be made");
	else
		send_file(r, "application/pdf", (char *)pdf, len, base, "pdf");
	json_decref(doc);
}
