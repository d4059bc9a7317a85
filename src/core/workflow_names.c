/*
 * workflow_names.c - the workflow's enums by name (see workflow.h): the
 * lowercase keys of the store, the API and the CLI, the labels people
 * read (Spanish and English), and the refusals' codes and sentences.
 */
#include "core/workflow.h"

#include <string.h>

static const char *const state_names[WF_STATE_COUNT] = {
	"new", "assigned", "in_progress", "waiting_on_client", "solved",
	"closed", "reopened", "renewal_required",
};
static const char *const state_es[WF_STATE_COUNT] = {
	"Nuevo", "Asignado", "En atención", "En espera del cliente",
	"Resuelto (por confirmar)", "Cerrado", "Reabierto", "Requiere renovación",
};
static const char *const state_en[WF_STATE_COUNT] = {
	"New", "Assigned", "In progress", "Waiting on client",
	"Solved (awaiting confirmation)", "Closed", "Reopened",
	"Renewal required",
};
static const char *const close_names[WF_CLOSE_COUNT] = {
	NULL, "confirmed", "no_response", "excluded", "duplicate",
	"renewal_required",
};
static const char *const close_es[WF_CLOSE_COUNT] = {
	"", "Confirmado por el cliente", "Sin respuesta del cliente",
	"Fuera de cobertura", "Duplicado", "Requiere renovación",
};
static const char *const close_en[WF_CLOSE_COUNT] = {
	"", "Confirmed by client", "No response", "Out of coverage", "Duplicate",
	"Renewal required",
};
const char *const wf_person_role_names[WF_ROLE_SYSTEM + 1] = {
	"client", "consultant", "project_manager", "renewals", "admin", NULL,
};
static const char *const cmd_names[WF_CMD_COUNT] = {
	"assign", "reply", "call", "client_reply", "wait", "attempt", "solve",
	"confirm", "reopen", "raise_request", "pm_request", "escalate_pm",
	"severity", "close", "auto_close", "renewal", "confirm_severity",
	"renewed",
};
static const char *const job_names[WF_JOB_KIND_COUNT] = {
	"sla_at_risk", "sla_breach", "attempt_reminder", "auto_close",
	"outbound_retry",
};
static const char *const mail_names[WF_MAIL_COUNT] = {
	"reply", "info_request", "attempt", "solution", "closed_confirmed",
	"closed_no_response", "closed_excluded", "closed_duplicate",
	"closed_renewal", "reopened", "assigned", "raise_request", "pm_request",
	"escalated_pm", "severity_changed", "client_answered", "unassigned",
	"po_request", "renewal_required", "renewal_notice",
	"raise_receipt", "pm_receipt", "severity_confirmed",
	"renewed",
};

static const struct {
	const char *code, *es, *en;
} refusals[WF_REFUSAL_COUNT] = {
	[WF_OK] = {"ok", "Hecho.", "Done."},
	[WF_E_CLOSED] = {"closed", "El ticket está cerrado; no admite cambios.",
	                 "The ticket is closed; it takes no changes."},
	[WF_E_STATE] = {"state",
	                "El estado actual del ticket no permite esta acción.",
	                "The ticket's current state does not allow this."},
	[WF_E_FORBIDDEN] = {"forbidden", "Su rol no permite esta acción.",
	                    "Your role does not allow this."},
	[WF_E_NOT_ASSIGNEE] = {"not_assignee",
	                       "El ticket está asignado a otro consultor.",
	                       "The ticket is assigned to another consultant."},
	[WF_E_UNASSIGNED] = {"unassigned",
	                     "El ticket aún no tiene consultor asignado; "
	                     "asígnelo primero.",
	                     "The ticket has no consultant yet; assign it first."},
	[WF_E_BAD_ASSIGNEE] = {"bad_assignee",
	                       "Solo se puede asignar a un consultor activo.",
	                       "Tickets are assigned only to an active consultant."},
	[WF_E_SAME_ASSIGNEE] = {"same_assignee",
	                        "El ticket ya está asignado a ese consultor.",
	                        "The ticket is already assigned to that "
	                        "consultant."},
	[WF_E_BAD_SEVERITY] = {"bad_severity", "La severidad va de 1 a 4.",
	                       "Severity is 1 to 4."},
	[WF_E_SAME_SEVERITY] = {"same_severity",
	                        "El ticket ya tiene esa severidad.",
	                        "The ticket already has that severity."},
	[WF_E_ALREADY_PM] = {"already_pm",
	                     "El ticket ya está escalado al Project Manager.",
	                     "The ticket is already escalated to the Project "
	                     "Manager."},
	[WF_E_ASK_CONSULTANT_FIRST] = {
	    "ask_consultant_first",
	    "Primero se pide al consultor elevar la prioridad; luego se puede "
	    "acudir al Project Manager.",
	    "First ask the consultant to raise the priority; the Project "
	    "Manager is the next level."},
	[WF_E_NOT_BUSINESS_DAY] = {"not_business_day",
	                           "Los intentos de contacto se hacen en días "
	                           "hábiles.",
	                           "Contact attempts are made on business "
	                           "days."},
	[WF_E_ATTEMPTS_DONE] = {"attempts_done",
	                        "Ya se hicieron los intentos de contacto; el "
	                        "ticket se cerrará al vencer la espera "
	                        "comunicada.",
	                        "All contact attempts were made; the ticket "
	                        "closes when the stated wait is over."},
	[WF_E_BAD_WAIT] = {"bad_wait",
	                   "El tiempo de espera comunicado debe ser positivo.",
	                   "The stated wait must be positive."},
	[WF_E_BAD_REASON] = {"bad_reason",
	                     "Ese motivo de cierre no se puede usar aquí: "
	                     "'confirmed' lo da el cliente (confirm), "
	                     "'no_response' el planificador tras el tercer "
	                     "intento, 'renewal_required' Renovaciones.",
	                     "That close reason cannot be used here: 'confirmed' "
	                     "comes from the client (confirm), 'no_response' from "
	                     "the scheduler after the third attempt, "
	                     "'renewal_required' from Renewals."},
	[WF_E_NOT_DUE] = {"not_due",
	                  "La espera comunicada al cliente aún no termina.",
	                  "The wait stated to the client is not over yet."},
	[WF_E_CALENDAR] = {"calendar",
	                   "La fecha está fuera del calendario de atención.",
	                   "The date is outside the business calendar."},
	[WF_E_TOO_MANY] = {"internal",
	                   "No se pudo registrar la acción; no se cambió "
	                   "nada. Avise al administrador.",
	                   "The action could not be recorded; nothing was "
	                   "changed. Tell the administrator."},
	[WF_E_ALREADY_CONFIRMED] = {"already_confirmed",
	                            "La severidad ya fue confirmada; para "
	                            "cambiarla, cambie la severidad.",
	                            "The severity is already confirmed; to "
	                            "change it, change the severity."},
	[WF_E_NOT_ENTITLED] = {"not_entitled",
	                       "El cliente aún no tiene plan, garantía ni otra "
	                       "cobertura para este ticket; sigue en espera de la "
	                       "renovación.",
	                       "The client still has no plan, warranty or other "
	                       "basis for this ticket; it keeps waiting for the "
	                       "renewal."},
};

const char *
wf_state_name(enum wf_state s)
{
	return (unsigned)s < WF_STATE_COUNT ? state_names[s] : "unknown";
}

int
wf_state_parse(const char *s)
{
	for (int i = 0; i < WF_STATE_COUNT; i++)
		if (strcmp(state_names[i], s) == 0)
			return i;
	return -1;
}

const char *
wf_state_label(enum wf_state s, const char *lang)
{
	if ((unsigned)s >= WF_STATE_COUNT)
		return "?";
	return lang && strcmp(lang, "en") == 0 ? state_en[s] : state_es[s];
}

const char *
wf_close_name(enum wf_close_reason r)
{
	return (unsigned)r < WF_CLOSE_COUNT ? close_names[r] : NULL;
}

int
wf_close_parse(const char *s)
{
	for (int i = 1; i < WF_CLOSE_COUNT; i++)
		if (strcmp(close_names[i], s) == 0)
			return i;
	return -1;
}

const char *
wf_close_label(enum wf_close_reason r, const char *lang)
{
	if ((unsigned)r >= WF_CLOSE_COUNT)
		return "";
	return lang && strcmp(lang, "en") == 0 ? close_en[r] : close_es[r];
}

const char *
wf_role_name(enum wf_role r)
{
	if (r == WF_ROLE_SYSTEM)
		return "system";
	return (unsigned)r < WF_ROLE_SYSTEM ? wf_person_role_names[r] : "unknown";
}

int
wf_role_parse(const char *s)
{
	for (int i = 0; i < WF_ROLE_SYSTEM; i++)
		if (strcmp(wf_person_role_names[i], s) == 0)
			return i;
	return -1;
}

const char *
wf_cmd_name(enum wf_cmd c)
{
	return (unsigned)c < WF_CMD_COUNT ? cmd_names[c] : "unknown";
}

const char *
wf_job_name(enum wf_job_kind k)
{
	return (unsigned)k < WF_JOB_KIND_COUNT ? job_names[k] : "unknown";
}

int
wf_job_parse(const char *s)
{
	for (int i = 0; i < WF_JOB_KIND_COUNT; i++)
		if (strcmp(job_names[i], s) == 0)
			return i;
	return -1;
}

const char *
wf_mail_name(enum wf_mail_kind k)
{
	return (unsigned)k < WF_MAIL_COUNT ? mail_names[k] : "unknown";
}

const char *
wf_refusal_code(enum wf_refusal r)
{
	return (unsigned)r < WF_REFUSAL_COUNT ? refusals[r].code : "unknown";
}

const char *
wf_refusal_message(enum wf_refusal r, const char *lang)
{
	if ((unsigned)r >= WF_REFUSAL_COUNT)
		return "?";
	return lang && strcmp(lang, "en") == 0 ? refusals[r].en : refusals[r].es;
}
