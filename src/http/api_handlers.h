/*
 * api_handlers.h - the handlers named by the route table (routes.c).
 * Each file api_*.c implements a group; see api.h for the contract.
 */
#ifndef SOPORTE_HTTP_API_HANDLERS_H
#define SOPORTE_HTTP_API_HANDLERS_H

#include "http/api.h"

/* events.c: the live queue (Server-Sent Events) */
api_handler h_events;
/* api_auth.c */
api_handler h_session_login, h_session_get, h_session_logout, h_session_prefs;
/* api_dir.c */
api_handler h_clients_list, h_clients_create, h_clients_get, h_clients_update;
api_handler h_contacts_list, h_contacts_create, h_contacts_get,
    h_contacts_update;
api_handler h_products_list, h_products_create, h_products_get,
    h_products_update;
api_handler h_contracts_list, h_contracts_create, h_contracts_get,
    h_contracts_update;
api_handler h_pos_list, h_pos_create, h_pos_get, h_pos_update;
/* api_coverage.c: R8 per event. */
api_handler h_po_request, h_po_override;
api_handler h_users_list, h_users_create, h_users_get, h_users_update;
api_handler h_tokens_list, h_tokens_create, h_tokens_revoke;
/* api_remote.c: remote sessions (R11) */
api_handler h_remote_list, h_remote_add, h_remote_start, h_remote_end;
/* api_coverage.c (h_ticket_cause: PATCH with "cause", via h_tickets_update) */
api_handler h_ticket_cause, h_exclude, h_recheck;
/* api_tickets.c */
api_handler h_tickets_list, h_tickets_open, h_tickets_get, h_tickets_update;
api_handler h_messages_list, h_attachments_list, h_attachment_download,
    h_attachment_upload, h_message_html;
api_handler h_time_list, h_attempts_list, h_escalations_list;
api_handler h_ticket_secrets_list, h_ticket_secrets_add;
api_handler h_product_secrets_list, h_product_secrets_add, h_secret_reveal;
api_handler h_secret_delete;
api_handler h_ticket_audit, h_audit_list;
/* api_flow.c: lifecycle commands of app/ticket_cmds */
api_handler h_reply, h_note, h_call, h_time_add, h_attempt_add,
    h_escalation_add, h_solve, h_confirm, h_statements, h_wait, h_reopen,
    h_close, h_assign, h_severity_confirm;
/* api_merge.c: merge, link, bulk assign/close (issue 19) */
api_handler h_ticket_merge, h_ticket_link, h_ticket_unlink, h_tickets_bulk;
/* api_review.c: the review queue (R3), the policy versions (R12) */
api_handler h_review_list, h_review_ticket, h_review_dismiss, h_policy_versions;
/* api_intent.c: staff apply an unverified mail's intent (R2). */
api_handler h_apply_intent;
/* api_reports.c: the SLA report and the exports (issue 18) */
api_handler h_report_sla, h_export_tickets, h_export_time, h_export_statement,
    h_contract_pdf;
struct ticket_query;
/* api_filter.c: the queue's filters of a request (the list, its export):
 * 1 with *f filled, 0 with a 400 in r, -1 when nothing can match. */
int api_ticket_filter(struct api_req *q, struct api_resp *r,
                      struct ticket_query *f);
/* api_canned.c: canned replies */
api_handler h_canned_list, h_canned_create, h_canned_update, h_canned_delete,
    h_ticket_canned;
/* api_statements.c: statements as documents (issue 18) */
api_handler h_client_statements, h_client_statement_pdf;
/* api_reset.c: password reset by a mailed one-time link */
api_handler h_pw_reset_request, h_pw_reset_confirm, h_user_pw_reset;
/* api_misc.c */
api_handler h_openapi, h_policy_get, h_holidays_list, h_holidays_import,
    h_holidays_remove,
    h_calendar_get;

#endif
