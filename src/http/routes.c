/*
 * routes.c - the route table (see api.h): each route's method, path,
 * authorization, body schema, query parameters, handler and summary;
 * matching and checking them is router.c.
 */
#include "http/api.h"
#include "http/api_handlers.h"
#include "app/ticket/canned.h"
#include "app/ticket/uploads.h"
#include "core/hourbank.h"
#include "core/workflow.h"

#include <stddef.h>

/* ---- body schemas ---- */

static const char *const languages[] = {"es", "en", NULL};
static const char *const channels_open[] = {"phone", "other", NULL};
static const char *const attempt_channels[] = {"phone", "email", NULL};
static const char *const escalation_kinds[] = {"raise_priority",
                                               "project_manager",
                                               "severity_change", NULL};

static const struct field f_login[] = {
	{"email", FT_STRING, F_REQ, 1, 254, NULL},
	{"password", FT_STRING, F_REQ, 1, 256, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_session_prefs[] = {
	{"language", FT_ENUM, F_REQ, 0, 0, languages},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_client_new[] = {
	{"name", FT_NAME, F_REQ, 1, 200, NULL},
	{"domain", FT_DOMAIN, F_REQ, 1, 253, NULL},
	{"monthly_service", FT_BOOL, 0, 0, 0, NULL},
	{"language", FT_ENUM, 0, 0, 0, languages},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_client_edit[] = {
	{"name", FT_NAME, 0, 1, 200, NULL},
	{"domain", FT_DOMAIN, 0, 1, 253, NULL},
	{"monthly_service", FT_BOOL, 0, 0, 0, NULL},
	{"language", FT_ENUM, 0, 0, 0, languages},
	{"active", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_contact_new[] = {
	{"client_id", FT_INT, F_REQ, 1, INT64_MAX, NULL},
	{"name", FT_NAME, F_REQ, 1, 200, NULL},
	{"email", FT_EMAIL, F_REQ, 3, 254, NULL},
	{"phone", FT_NAME, F_NULL, 1, 40, NULL},
	{"billing", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_contact_edit[] = {
	{"name", FT_NAME, 0, 1, 200, NULL},
	{"email", FT_EMAIL, 0, 3, 254, NULL},
	{"phone", FT_NAME, F_NULL, 1, 40, NULL},
	{"billing", FT_BOOL, 0, 0, 0, NULL},
	{"active", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_product_new[] = {
	{"client_id", FT_INT, F_REQ, 1, INT64_MAX, NULL},
	{"type", FT_IDENT, F_REQ, 1, 40, NULL},
	{"name", FT_NAME, F_REQ, 1, 200, NULL},
	{"delivered_on", FT_DATE, F_REQ, 0, 0, NULL},
	{"warranty_months", FT_INT, F_REQ, 0, 24, NULL},
	{"post_production_until", FT_DATE, F_NULL, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_product_edit[] = {
	{"type", FT_IDENT, 0, 1, 40, NULL},
	{"name", FT_NAME, 0, 1, 200, NULL},
	{"delivered_on", FT_DATE, 0, 0, 0, NULL},
	{"warranty_months", FT_INT, 0, 0, 24, NULL},
	{"post_production_until", FT_DATE, F_NULL, 0, 0, NULL},
	{"active", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_contract_new[] = {
	{"client_id", FT_INT, F_REQ, 1, INT64_MAX, NULL},
	{"plan", FT_ENUM, F_REQ, 0, 0, plan_kind_names},
	{"valid_from", FT_DATE, F_REQ, 0, 0, NULL},
	{"valid_to", FT_DATE, F_REQ, 0, 0, NULL},
	{"hourly_rate_cents", FT_INT, 0, 0, 100000000, NULL},
	{"product_ids", FT_IDS, 0, 0, 100, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_contract_edit[] = {
	{"valid_from", FT_DATE, 0, 0, 0, NULL},
	{"valid_to", FT_DATE, 0, 0, 0, NULL},
	{"hourly_rate_cents", FT_INT, 0, 0, 100000000, NULL},
	{"ended_on", FT_DATE, F_NULL, 0, 0, NULL},
	{"product_ids", FT_IDS, 0, 0, 100, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_po_new[] = {
	{"client_id", FT_INT, F_REQ, 1, INT64_MAX, NULL},
	{"number", FT_NAME, F_REQ, 1, 60, NULL},
	{"issued_on", FT_DATE, F_REQ, 0, 0, NULL},
	{"hours_s", FT_INT, 0, 60, 10000000, NULL},
	{"note", FT_STRING, F_NULL, 0, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_po_edit[] = {
	{"note", FT_STRING, F_NULL, 0, 2000, NULL},
	{"active", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_ticket_new[] = {
	{"client_id", FT_INT, F_REQ, 1, INT64_MAX, NULL},
	{"contact_id", FT_INT, 0, 1, INT64_MAX, NULL},
	{"product_id", FT_INT, 0, 1, INT64_MAX, NULL},
	{"subject", FT_NAME, F_REQ, 1, 300, NULL},
	{"body", FT_STRING, F_REQ, 1, 100000, NULL},
	{"severity", FT_INT, F_REQ, 1, 4, NULL},
	{"category", FT_IDENT, 0, 1, 40, NULL},
	{"channel", FT_ENUM, F_REQ, 0, 0, channels_open},
	{"channel_reason", FT_NAME, F_REQ, 1, 500, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
/* The CLI's words: soporte cause, soporte exclude (R4, R5). */
static const char *const cause_words[] = {"defect", "misuse",
                                          "third_party_change", "question",
                                          NULL};
static const char *const exclude_kinds[] = {"training", "third_party",
                                            "consulting", NULL};
static const struct field f_ticket_edit[] = {
	{"assignee_id", FT_INT, F_NULL, 1, INT64_MAX, NULL},
	{"product_id", FT_INT, F_NULL, 1, INT64_MAX, NULL},
	{"category", FT_IDENT, 0, 1, 40, NULL},
	{"subject", FT_NAME, 0, 1, 300, NULL},
	{"cause", FT_ENUM, 0, 0, 0, cause_words},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_assign[] = {
	{"assignee_id", FT_INT, F_REQ, 1, INT64_MAX, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_message[] = {
	{"body", FT_STRING, F_REQ, 1, 100000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_message_files[] = {
	{"body", FT_STRING, F_REQ, 1, 100000, NULL},
	{"attachments", FT_IDS, 0, 0, UPLOADS_PER_MESSAGE, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_call[] = {
	{"body", FT_STRING, F_REQ, 1, 100000, NULL},
	{"duration_s", FT_INT, F_REQ, 0, 86400, NULL},
	{"contact_id", FT_INT, 0, 1, INT64_MAX, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_time[] = {
	{"work_date", FT_DATE, F_REQ, 0, 0, NULL},
	{"seconds", FT_INT, F_REQ, -86400, 86400, NULL},
	{"kind", FT_ENUM, 0, 0, 0, hb_kind_names},
	{"purchase_order", FT_NAME, 0, 1, 60, NULL},
	{"corrects_id", FT_INT, 0, 1, INT64_MAX, NULL},
	{"note", FT_STRING, F_NULL, 0, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_attempt[] = {
	{"channel", FT_ENUM, F_REQ, 0, 0, attempt_channels},
	{"outcome", FT_IDENT, F_REQ, 1, 40, NULL},
	{"wait_s", FT_INT, F_REQ, 0, 30 * 86400, NULL},
	{"note", FT_STRING, F_NULL, 0, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_escalation[] = {
	{"kind", FT_ENUM, F_REQ, 0, 0, escalation_kinds},
	{"to_severity", FT_INT, 0, 1, 4, NULL},
	{"note", FT_STRING, F_NULL, 0, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_severity_confirm[] = {
	{"severity", FT_INT, 0, 1, 4, NULL},
	{"note", FT_STRING, F_NULL, 0, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const char *const close_reasons[] = {"excluded", "duplicate",
                                           "renewal_required", NULL};
static const struct field f_close[] = {
	{"reason", FT_ENUM, F_REQ, 0, 0, close_reasons},
	{"body", FT_STRING, F_REQ, 1, 100000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_merge[] = {
	{"other", FT_INT, F_REQ, 1, INT64_MAX, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_link[] = {
	{"number", FT_INT, F_REQ, 1, INT64_MAX, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const char *const bulk_actions[] = {"assign", "close", NULL};
static const struct field f_bulk[] = {
	{"numbers", FT_IDS, F_REQ, 0, 100, NULL},
	{"action", FT_ENUM, F_REQ, 0, 0, bulk_actions},
	{"assignee_id", FT_INT, 0, 1, INT64_MAX, NULL},
	{"reason", FT_ENUM, 0, 0, 0, close_reasons},
	{"body", FT_STRING, 0, 1, 100000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_remote[] = {
	{"at", FT_NAME, F_REQ, 20, 20, NULL},
	{"minutes", FT_INT, 0, 1, 24 * 60, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_exclude[] = {
	{"kind", FT_ENUM, F_REQ, 0, 0, exclude_kinds},
	{"note", FT_STRING, F_NULL, 0, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_po_override[] = {
	{"hours_s", FT_INT, F_REQ, 60, 10000000, NULL},
	{"reason", FT_STRING, F_REQ, 1, 1000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_note_optional[] = {
	{"note", FT_STRING, F_NULL, 0, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_holiday[] = {
	{"date", FT_DATE, F_REQ, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_secret[] = {
	{"label", FT_NAME, F_REQ, 1, 100, NULL},
	{"value", FT_STRING, F_REQ, 1, 4096, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_review_ticket[] = {
	{"client_id", FT_INT, F_REQ, 1, INT64_MAX, NULL},
	{"severity", FT_INT, F_REQ, 1, 4, NULL},
	{"contact_id", FT_INT, 0, 1, INT64_MAX, NULL},
	{"product_id", FT_INT, 0, 1, INT64_MAX, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_user_new[] = {
	{"email", FT_EMAIL, F_REQ, 3, 254, NULL},
	{"name", FT_NAME, F_REQ, 1, 200, NULL},
	{"role", FT_ENUM, F_REQ, 0, 0, wf_person_role_names},
	{"client_id", FT_INT, 0, 1, INT64_MAX, NULL},
	{"contact_id", FT_INT, 0, 1, INT64_MAX, NULL},
	{"password", FT_STRING, 0, 10, 256, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_user_edit[] = {
	{"name", FT_NAME, 0, 1, 200, NULL},
	{"role", FT_ENUM, 0, 0, 0, wf_person_role_names},
	{"client_id", FT_INT, F_NULL, 1, INT64_MAX, NULL},
	{"on_duty", FT_BOOL, 0, 0, 0, NULL},
	{"active", FT_BOOL, 0, 0, 0, NULL},
	{"password", FT_STRING, 0, 10, 256, NULL},
	{"keep_tokens", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_reset_request[] = {
	{"email", FT_EMAIL, F_REQ, 3, 254, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_reset_confirm[] = {
	{"token", FT_STRING, F_REQ, 1, 128, NULL},
	{"password", FT_STRING, F_REQ, 1, 256, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_canned_new[] = {
	{"language", FT_ENUM, F_REQ, 0, 0, languages},
	{"title", FT_NAME, F_REQ, 1, CANNED_TITLE_MAX, NULL},
	{"body", FT_STRING, F_REQ, 1, CANNED_BODY_MAX, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_canned_edit[] = {
	{"language", FT_ENUM, 0, 0, 0, languages},
	{"title", FT_NAME, 0, 1, CANNED_TITLE_MAX, NULL},
	{"body", FT_STRING, 0, 1, CANNED_BODY_MAX, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};
static const struct field f_token_new[] = {
	{"name", FT_NAME, F_REQ, 1, 100, NULL},
	{"scopes", FT_STRING, F_REQ, 1, 40, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

/* ---- query parameters ---- */

static const char *const q_page[] = {"cursor", "limit", NULL};
static const char *const q_client_page[] = {"client_id", "cursor", "limit",
                                            NULL};
static const char *const q_tickets[] = {"state", "severity", "client_id",
                                        "assignee", "sla", "escalated", "q",
                                        "sort", "cursor", "limit", NULL};
static const char *const q_messages[] = {"cursor", "limit", NULL};
static const char *const q_audit[] = {"ticket", "cursor", "limit", NULL};
static const char *const q_statements[] = {"client_id", "month", NULL};
static const char *const q_statement_pdf[] = {"month", "lang", NULL};
static const char *const q_report[] = {"month", "client_id", "format", "lang",
                                       NULL};
static const char *const q_lang[] = {"lang", NULL};
static const char *const q_month_export[] = {"month", "client_id", "format",
                                             NULL};
static const char *const q_tickets_export[] = {
	"state", "severity", "client_id", "assignee", "sla", "escalated", "q",
	"sort", "format", NULL};
static const char *const q_year[] = {"year", NULL};
static const char *const q_range[] = {"from", "to", NULL};
static const char *const q_none[] = {NULL};
static const char *const q_filename[] = {"filename", NULL};
static const char *const q_language[] = {"language", NULL};

#define R(m, p, a, b, f, q, fn, s) {m, p, a, b, f, q, fn, s}

static const struct route routes[] = {
	R(HM_POST, "/api/session", AZ_PUBLIC, BODY_JSON, f_login, q_none,
	  h_session_login, "Log in: opens a session (cookie) and returns its CSRF token"),
	R(HM_GET, "/api/session", AZ_SESSION, BODY_NONE, NULL, q_none,
	  h_session_get, "Who is logged in"),
	R(HM_PATCH, "/api/session", AZ_SESSION, BODY_JSON, f_session_prefs, q_none,
	  h_session_prefs, "The logged-in user's preferences (the console's "
	  "language, on any device)"),
	R(HM_DELETE, "/api/session", AZ_SESSION, BODY_NONE, NULL, q_none,
	  h_session_logout, "Log out"),
	R(HM_POST, "/api/password-reset", AZ_PUBLIC, BODY_JSON, f_reset_request,
	  q_none, h_pw_reset_request,
	  "Forgot the password: a one-time link is mailed to the address if it "
	  "is an active account's (the answer is the same either way)"),
	R(HM_POST, "/api/password-reset/confirm", AZ_PUBLIC, BODY_JSON,
	  f_reset_confirm, q_none, h_pw_reset_confirm,
	  "Set a new password with a mailed link's token (once, within the "
	  "hour; ends the account's sessions)"),
	R(HM_GET, "/api/openapi.json", AZ_PUBLIC, BODY_NONE, NULL, q_none,
	  h_openapi, "This API's OpenAPI 3.1 document"),
	R(HM_GET, "/api/events", AZ_TICKET_READ, BODY_NONE, NULL, q_none,
	  h_events, "Live events of the tickets the caller may read "
	  "(text/event-stream; resume with Last-Event-ID)"),

	R(HM_GET, "/api/clients", AZ_DIRECTORY_READ, BODY_NONE, NULL, q_page,
	  h_clients_list, "List clients"),
	R(HM_POST, "/api/clients", AZ_DIRECTORY_WRITE, BODY_JSON, f_client_new,
	  q_none, h_clients_create, "Create a client"),
	R(HM_GET, "/api/clients/{id}", AZ_DIRECTORY_READ, BODY_NONE, NULL, q_none,
	  h_clients_get, "One client"),
	R(HM_PATCH, "/api/clients/{id}", AZ_DIRECTORY_WRITE, BODY_JSON,
	  f_client_edit, q_none, h_clients_update, "Edit a client"),
	R(HM_GET, "/api/contacts", AZ_DIRECTORY_READ, BODY_NONE, NULL,
	  q_client_page, h_contacts_list, "List contacts"),
	R(HM_POST, "/api/contacts", AZ_DIRECTORY_WRITE, BODY_JSON, f_contact_new,
	  q_none, h_contacts_create, "Create a contact"),
	R(HM_GET, "/api/contacts/{id}", AZ_DIRECTORY_READ, BODY_NONE, NULL, q_none,
	  h_contacts_get, "One contact"),
	R(HM_PATCH, "/api/contacts/{id}", AZ_DIRECTORY_WRITE, BODY_JSON,
	  f_contact_edit, q_none, h_contacts_update, "Edit a contact"),
	R(HM_GET, "/api/products", AZ_DIRECTORY_READ, BODY_NONE, NULL,
	  q_client_page, h_products_list, "List products"),
	R(HM_POST, "/api/products", AZ_DIRECTORY_WRITE, BODY_JSON, f_product_new,
	  q_none, h_products_create, "Create a product"),
	R(HM_GET, "/api/products/{id}", AZ_DIRECTORY_READ, BODY_NONE, NULL, q_none,
	  h_products_get, "One product"),
	R(HM_PATCH, "/api/products/{id}", AZ_DIRECTORY_WRITE, BODY_JSON,
	  f_product_edit, q_none, h_products_update, "Edit a product"),
	R(HM_GET, "/api/contracts", AZ_CONTRACT_READ, BODY_NONE, NULL,
	  q_client_page, h_contracts_list, "List contracts"),
	R(HM_POST, "/api/contracts", AZ_CONTRACT_WRITE, BODY_JSON, f_contract_new,
	  q_none, h_contracts_create, "Create a contract"),
	R(HM_GET, "/api/contracts/{id}", AZ_CONTRACT_READ, BODY_NONE, NULL, q_none,
	  h_contracts_get, "One contract"),
	R(HM_PATCH, "/api/contracts/{id}", AZ_CONTRACT_WRITE, BODY_JSON,
	  f_contract_edit, q_none, h_contracts_update, "Edit a contract"),
	R(HM_GET, "/api/purchase-orders", AZ_CONTRACT_READ, BODY_NONE, NULL,
	  q_client_page, h_pos_list, "List purchase orders"),
	R(HM_POST, "/api/purchase-orders", AZ_CONTRACT_WRITE, BODY_JSON, f_po_new,
	  q_none, h_pos_create, "Record a purchase order"),
	R(HM_GET, "/api/purchase-orders/{id}", AZ_CONTRACT_READ, BODY_NONE, NULL,
	  q_none, h_pos_get, "One purchase order"),
	R(HM_PATCH, "/api/purchase-orders/{id}", AZ_CONTRACT_WRITE, BODY_JSON,
	  f_po_edit, q_none, h_pos_update,
	  "Edit a purchase order's note, or deactivate it (audited)"),
	R(HM_POST, "/api/purchase-orders/{id}/override", AZ_PO_OVERRIDE, BODY_JSON,
	  f_po_override, q_none, h_po_override,
	  "The Project Manager extends an order's hours (R8), audited"),

	R(HM_GET, "/api/tickets", AZ_TICKET_READ, BODY_NONE, NULL, q_tickets,
	  h_tickets_list, "List and search tickets"),
	R(HM_POST, "/api/tickets", AZ_TICKET_OPEN, BODY_JSON, f_ticket_new, q_none,
	  h_tickets_open, "Open a ticket for a client whose e-mail fails (R1)"),
	R(HM_GET, "/api/tickets/{number}", AZ_TICKET_READ, BODY_NONE, NULL, q_none,
	  h_tickets_get, "One ticket (ETag: its version)"),
	R(HM_PATCH, "/api/tickets/{number}", AZ_TICKET_UPDATE, BODY_JSON,
	  f_ticket_edit, q_none, h_tickets_update,
	  "Recategorize, retitle, or set the cause alone: coverage decided "
	  "again (R4) (If-Match required; not closed tickets)"),
	R(HM_POST, "/api/tickets/bulk", AZ_TICKET_UPDATE, BODY_JSON, f_bulk,
	  q_none, h_tickets_bulk,
	  "Assign or close many tickets at once: one result per ticket, each "
	  "applied on its own"),
	R(HM_POST, "/api/tickets/{number}/merge", AZ_TICKET_SOLVE, BODY_JSON,
	  f_merge, q_none, h_ticket_merge,
	  "Merge two tickets of one client: the older number keeps both "
	  "threads, the newer closes as a duplicate"),
	R(HM_POST, "/api/tickets/{number}/links", AZ_TICKET_UPDATE, BODY_JSON,
	  f_link, q_none, h_ticket_link,
	  "Link a related ticket of the same client"),
	R(HM_POST, "/api/tickets/{number}/unlink", AZ_TICKET_UPDATE, BODY_JSON,
	  f_link, q_none, h_ticket_unlink, "Remove a link between two tickets"),
	R(HM_POST, "/api/tickets/{number}/assign", AZ_TICKET_UPDATE, BODY_JSON,
	  f_assign, q_none, h_assign,
	  "Assign or reassign (a consultant takes an unassigned ticket; the PM "
	  "or an admin reassigns; audited, both consultants mailed)"),
	R(HM_GET, "/api/tickets/{number}/messages", AZ_TICKET_READ, BODY_NONE, NULL,
	  q_messages, h_messages_list, "The ticket's messages"),
	R(HM_POST, "/api/tickets/{number}/replies", AZ_TICKET_REPLY, BODY_JSON,
	  f_message_files, q_none, h_reply, "Reply (staff: to the client; client: to staff)"),
	R(HM_POST, "/api/tickets/{number}/notes", AZ_TICKET_NOTE, BODY_JSON,
	  f_message_files, q_none, h_note, "Add an internal note"),
	R(HM_POST, "/api/tickets/{number}/calls", AZ_TICKET_NOTE, BODY_JSON, f_call,
	  q_none, h_call, "Log a phone call (R10)"),
	R(HM_GET, "/api/tickets/{number}/attachments", AZ_TICKET_READ, BODY_NONE,
	  NULL, q_page, h_attachments_list, "The ticket's attachments"),
	R(HM_POST, "/api/tickets/{number}/attachments", AZ_ATTACHMENT_UPLOAD,
	  BODY_FILE, NULL, q_filename, h_attachment_upload,
	  "Upload a file for your next reply or note (raw body)"),
	R(HM_GET, "/api/attachments/{id}", AZ_TICKET_READ, BODY_NONE, NULL, q_none,
	  h_attachment_download, "Download an attachment"),
	R(HM_GET, "/api/messages/{id}/html", AZ_TICKET_READ, BODY_NONE, NULL,
	  q_none, h_message_html,
	  "A message's sanitized mail HTML as a sandboxed document"),
	R(HM_POST, "/api/messages/{id}/apply-intent", AZ_TICKET_SOLVE, BODY_NONE,
	  NULL, q_none, h_apply_intent,
	  "Apply what a client's unverified mail asked (R2; staff; audited)"),
	R(HM_GET, "/api/tickets/{number}/canned-replies", AZ_CANNED_READ,
	  BODY_NONE, NULL, q_none, h_ticket_canned,
	  "Canned replies in the client's language, filled from the ticket"),
	R(HM_GET, "/api/tickets/{number}/time-entries", AZ_TIME_READ, BODY_NONE,
	  NULL, q_page, h_time_list, "Time logged on the ticket (R8)"),
	R(HM_POST, "/api/tickets/{number}/time-entries", AZ_TIME_WRITE, BODY_JSON,
	  f_time, q_none, h_time_add, "Log time"),
	R(HM_GET, "/api/tickets/{number}/contact-attempts", AZ_TICKET_READ,
	  BODY_NONE, NULL, q_page, h_attempts_list, "Contact attempts (R9)"),
	R(HM_POST, "/api/tickets/{number}/contact-attempts", AZ_TICKET_SOLVE,
	  BODY_JSON, f_attempt, q_none, h_attempt_add, "Record a contact attempt"),
	R(HM_GET, "/api/tickets/{number}/escalations", AZ_TICKET_READ, BODY_NONE,
	  NULL, q_page, h_escalations_list, "Escalations (R7)"),
	R(HM_POST, "/api/tickets/{number}/escalations", AZ_ESCALATION_REQUEST,
	  BODY_JSON, f_escalation, q_none, h_escalation_add,
	  "Ask for (client) or make (staff) an escalation"),
	R(HM_POST, "/api/tickets/{number}/confirm-severity", AZ_ESCALATION_HANDLE,
	  BODY_JSON_OPTIONAL, f_severity_confirm, q_none, h_severity_confirm,
	  "The consultant confirms the preliminary severity, or sets another "
	  "(R6)"),
	R(HM_POST, "/api/tickets/{number}/solve", AZ_TICKET_SOLVE,
	  BODY_JSON_OPTIONAL, f_note_optional, q_none, h_solve,
	  "Mark solved, awaiting the client's confirmation"),
	R(HM_POST, "/api/tickets/{number}/confirm", AZ_TICKET_CONFIRM,
	  BODY_JSON_OPTIONAL, f_note_optional, q_none, h_confirm,
	  "The client confirms the solution (R9)"),
	R(HM_POST, "/api/tickets/{number}/reopen", AZ_TICKET_REPLY,
	  BODY_JSON_OPTIONAL, f_note_optional, q_none, h_reopen,
	  "Reopen a solved ticket: the client says it is not solved, or staff "
	  "take it up again"),
	R(HM_POST, "/api/tickets/{number}/wait", AZ_TICKET_SOLVE, BODY_JSON,
	  f_message, q_none, h_wait,
	  "Ask the client for information: the clock pauses (R6, R9)"),
	R(HM_POST, "/api/tickets/{number}/close", AZ_TICKET_SOLVE, BODY_JSON,
	  f_close, q_none, h_close,
	  "Close as excluded (R5), duplicate or renewal required (R3)"),
	R(HM_POST, "/api/tickets/{number}/exclude", AZ_TICKET_SOLVE, BODY_JSON,
	  f_exclude, q_none, h_exclude,
	  "Close out of coverage (R5): the policy's reason mailed to the client"),
	R(HM_GET, "/api/tickets/{number}/remote-sessions", AZ_TICKET_READ,
	  BODY_NONE, NULL, q_page, h_remote_list, "Remote sessions (R11)"),
	R(HM_POST, "/api/tickets/{number}/remote-sessions", AZ_TICKET_SOLVE,
	  BODY_JSON, f_remote, q_none, h_remote_add,
	  "Schedule a remote session: the client is told the time and not to "
	  "use the equipment (R11)"),
	R(HM_POST, "/api/remote-sessions/{id}/start", AZ_TICKET_SOLVE,
	  BODY_NONE, NULL, q_none, h_remote_start,
	  "Log a remote session's start (R11)"),
	R(HM_POST, "/api/remote-sessions/{id}/end", AZ_TICKET_SOLVE, BODY_NONE,
	  NULL, q_none, h_remote_end,
	  "Log a remote session's end; its time to the hour bank (R8, R11)"),
	R(HM_POST, "/api/tickets/{number}/purchase-order-request", AZ_TICKET_SOLVE,
	  BODY_JSON_OPTIONAL, f_note_optional, q_none, h_po_request,
	  "Ask the client for a purchase order (R8): the ticket waits"),
	R(HM_POST, "/api/tickets/{number}/recheck", AZ_CONTRACT_WRITE, BODY_NONE,
	  NULL, q_none, h_recheck,
	  "Decide entitlement again: leave renewal required when it holds (R3)"),
	R(HM_GET, "/api/tickets/{number}/secrets", AZ_SECRET_LIST, BODY_NONE, NULL,
	  q_page, h_ticket_secrets_list, "Credentials on the ticket (labels only)"),
	R(HM_POST, "/api/tickets/{number}/secrets", AZ_SECRET_ADD, BODY_JSON,
	  f_secret, q_none, h_ticket_secrets_add, "Hand over a credential (R11)"),
	R(HM_GET, "/api/tickets/{number}/audit", AZ_AUDIT_READ, BODY_NONE, NULL,
	  q_page, h_ticket_audit, "The ticket's audit trail"),
	R(HM_GET, "/api/products/{id}/secrets", AZ_SECRET_LIST, BODY_NONE, NULL,
	  q_page, h_product_secrets_list, "Credentials of a product (labels only)"),
	R(HM_POST, "/api/products/{id}/secrets", AZ_SECRET_ADD, BODY_JSON, f_secret,
	  q_none, h_product_secrets_add, "Store a product credential (R11)"),
	R(HM_POST, "/api/secrets/{id}/reveal", AZ_SECRET_REVEAL, BODY_NONE, NULL,
	  q_none, h_secret_reveal, "Reveal a credential (audited)"),
	R(HM_DELETE, "/api/secrets/{id}", AZ_SECRET_DELETE, BODY_NONE, NULL,
	  q_none, h_secret_delete, "Delete a credential (audited; the ciphertext goes)"),

	R(HM_GET, "/api/audit", AZ_AUDIT_READ, BODY_NONE, NULL, q_audit,
	  h_audit_list, "The audit trail, newest first"),
	R(HM_GET, "/api/statements", AZ_CONTRACT_READ, BODY_NONE, NULL,
	  q_statements, h_statements, "Monthly hour-bank statement (R8)"),
	R(HM_GET, "/api/contracts/{id}.pdf", AZ_CONTRACT_DOC, BODY_NONE, NULL,
	  q_lang, h_contract_pdf,
	  "The contract document (R12; staff): plan, validity, products, rate, "
	  "the response times of the policy in force, exclusions, channels"),
	R(HM_GET, "/api/clients/{id}/statements", AZ_CONTRACT_READ, BODY_NONE,
	  NULL, q_none, h_client_statements,
	  "The months a client has statements for (R8)"),
	R(HM_GET, "/api/clients/{id}/statement.pdf", AZ_CONTRACT_READ, BODY_NONE,
	  NULL, q_statement_pdf, h_client_statement_pdf,
	  "A month's statement as a PDF (R8)"),
	R(HM_GET, "/api/reports/sla", AZ_REPORT_READ, BODY_NONE, NULL, q_report,
	  h_report_sla,
	  "The month's SLA report (R6, R7; PM, admin): JSON, CSV, XLSX or PDF"),
	R(HM_GET, "/api/exports/tickets", AZ_TICKET_READ, BODY_NONE, NULL,
	  q_tickets_export, h_export_tickets,
	  "The queue view (the list's filters) as CSV or XLSX"),
	R(HM_GET, "/api/exports/time-entries", AZ_TIME_READ, BODY_NONE, NULL,
	  q_month_export, h_export_time,
	  "A client's time entries of a month as CSV or XLSX (R8)"),
	R(HM_GET, "/api/exports/statement", AZ_CONTRACT_READ, BODY_NONE, NULL,
	  q_month_export, h_export_statement,
	  "A client's monthly statement as CSV or XLSX (R8)"),
	R(HM_GET, "/api/policy", AZ_SESSION, BODY_NONE, NULL, q_none,
	  h_policy_get, "The support policy in force"),
	R(HM_GET, "/api/policy/versions", AZ_SESSION, BODY_NONE, NULL, q_page,
	  h_policy_versions, "The policy's versions, the one in force marked (R12)"),
	R(HM_GET, "/api/review", AZ_REVIEW, BODY_NONE, NULL, q_page,
	  h_review_list, "Mail from unknown senders held for review (R3; staff)"),
	R(HM_POST, "/api/review/{id}/ticket", AZ_REVIEW, BODY_JSON,
	  f_review_ticket, q_none, h_review_ticket,
	  "Make a held message a client's new ticket (staff; audited)"),
	R(HM_POST, "/api/review/{id}/dismiss", AZ_REVIEW, BODY_JSON_OPTIONAL,
	  f_note_optional, q_none, h_review_dismiss,
	  "Dismiss a held message (staff; audited)"),
	R(HM_GET, "/api/holidays", AZ_SESSION, BODY_NONE, NULL, q_year,
	  h_holidays_list, "Holidays of a year (policy set and imports)"),
	R(HM_GET, "/api/calendar", AZ_SESSION, BODY_NONE, NULL, q_range,
	  h_calendar_get, "Business days and hours, day by day (R6)"),
	R(HM_POST, "/api/holidays/import", AZ_CALENDAR_WRITE, BODY_ICS, NULL,
	  q_none, h_holidays_import, "Import holidays from an iCalendar file"),
	R(HM_POST, "/api/holidays/remove", AZ_CALENDAR_WRITE, BODY_JSON, f_holiday,
	  q_none, h_holidays_remove,
	  "Remove an imported holiday (open tickets' deadlines follow)"),

	R(HM_GET, "/api/canned-replies", AZ_CANNED_READ, BODY_NONE, NULL,
	  q_language, h_canned_list, "Canned replies (of one language)"),
	R(HM_POST, "/api/canned-replies", AZ_CANNED_WRITE, BODY_JSON,
	  f_canned_new, q_none, h_canned_create,
	  "Add a canned reply (admin, PM; audited)"),
	R(HM_PATCH, "/api/canned-replies/{id}", AZ_CANNED_WRITE, BODY_JSON,
	  f_canned_edit, q_none, h_canned_update,
	  "Edit a canned reply (admin, PM; audited)"),
	R(HM_DELETE, "/api/canned-replies/{id}", AZ_CANNED_WRITE, BODY_NONE,
	  NULL, q_none, h_canned_delete,
	  "Remove a canned reply (admin, PM; audited)"),

	R(HM_GET, "/api/users", AZ_USER_READ, BODY_NONE, NULL, q_page,
	  h_users_list, "List accounts"),
	R(HM_POST, "/api/users", AZ_USER_WRITE, BODY_JSON, f_user_new, q_none,
	  h_users_create, "Create an account"),
	R(HM_GET, "/api/users/{id}", AZ_USER_READ, BODY_NONE, NULL, q_none,
	  h_users_get, "One account"),
	R(HM_PATCH, "/api/users/{id}", AZ_USER_WRITE, BODY_JSON, f_user_edit,
	  q_none, h_users_update, "Edit an account"),
	R(HM_POST, "/api/users/{id}/password-reset", AZ_USER_WRITE, BODY_NONE,
	  NULL, q_none, h_user_pw_reset,
	  "Mail the account a one-time link to set a new password (audited)"),
	R(HM_GET, "/api/users/{id}/tokens", AZ_USER_WRITE, BODY_NONE, NULL, q_page,
	  h_tokens_list, "An account's API tokens (never their values)"),
	R(HM_POST, "/api/users/{id}/tokens", AZ_USER_WRITE, BODY_JSON, f_token_new,
	  q_none, h_tokens_create, "Create an API token (shown once)"),
	R(HM_DELETE, "/api/tokens/{id}", AZ_USER_WRITE, BODY_NONE, NULL, q_none,
	  h_tokens_revoke, "Revoke an API token"),
};

const struct route *
api_routes(size_t *n)
{
	*n = sizeof routes / sizeof routes[0];
	return routes;
}
