/*
 * cmd_ticket.c - soporte ticket list|show: tickets for staff at a shell.
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/ticket/ticket_view.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "core/calendar.h"
#include "core/policy.h"
#include "util/log.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char list_usage[] =
    "usage: soporte ticket list [--format table|csv|json] [--state STATE]\n"
    "                           [--client DOMAIN] [--severity 1-4]\n"
    "\n"
    "Lists tickets, open ones first, by response deadline. CSV has a header\n"
    "row and the ticket number first; times in CSV and JSON are ISO-8601 UTC,\n"
    "in the table they are local (the policy's time zone).\n";

static const char show_usage[] =
    "usage: soporte ticket show NUMBER [--format json|text]\n"
    "\n"
    "Shows a ticket with its messages. NUMBER may be written 240, 000240 or\n"
    "#000240.\n";

enum format { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_TEXT };

static int
parse_format(const char *s, enum format *f, int allow_table)
{
	if (strcmp(s, "json") == 0)
		*f = FMT_JSON;
	else if (strcmp(s, "csv") == 0 && allow_table)
		*f = FMT_CSV;
	else if (strcmp(s, "table") == 0 && allow_table)
		*f = FMT_TABLE;
	else if (strcmp(s, "text") == 0 && !allow_table)
		*f = FMT_TEXT;
	else
		return -1;
	return 0;
}

/* Writes s as one CSV field (RFC 4180: quoted when it must be). */
static void
csv_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static const char *const csv_keys[] = {
	"number", "state", "severity", "client_domain", "subject", "assignee",
	"created_at", "response_due_at", "first_response_at", "close_reason",
	"category", "coverage",
};

static void
print_csv(json_t *arr)
{
	size_t nkeys = sizeof csv_keys / sizeof csv_keys[0];
	for (size_t k = 0; k < nkeys; k++)
		printf("%s%s", k ? "," : "", csv_keys[k]);
	putchar('\n');
	size_t i;
	json_t *t;
	json_array_foreach(arr, i, t) {
		for (size_t k = 0; k < nkeys; k++) {
			json_t *v = json_object_get(t, csv_keys[k]);
			if (k)
				putchar(',');
			if (json_is_integer(v))
				printf("%lld", (long long)json_integer_value(v));
			else
				csv_field(stdout, json_is_string(v) ? json_string_value(v) : "");
		}
		putchar('\n');
	}
}

static void
print_table(json_t *arr)
{
	printf("%-8s %-17s %-3s %-22s %-16s %-16s %s\n", "TICKET", "STATE", "SEV",
	       "CLIENT", "CREATED", "DUE", "SUBJECT");
	size_t i;
	json_t *t;
	json_array_foreach(arr, i, t) {
		/* R9: the client answered the solution: "solved+reply". */
		char st[40];
		snprintf(st, sizeof st, "%s%s", jtext(t, "state"),
		         json_is_string(json_object_get(t, "client_replied_at"))
		             ? "+reply" : "");
		printf("%-8s %-17s %-3lld %-22.22s %-16s %-16s %.60s\n",
		       jtext(t, "display_number"), st,
		       (long long)json_integer_value(json_object_get(t, "severity")),
		       jtext(t, "client_domain"), jtext(t, "created_at_local"),
		       jtext(t, "response_due_at_local"), jtext(t, "subject"));
	}
	if (json_array_size(arr) == 0)
		printf("(no tickets)\n");
}

static int
ticket_list(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, list_usage))
		return EX_OK;
	enum format fmt = FMT_TABLE;
	struct ticket_filter flt = {0};
	for (int i = 1; i < argc; i++) {
		const char *val;
		if ((val = cli_arg(argc, argv, &i, "--format"))) {
			if (parse_format(val, &fmt, 1) != 0) {
				log_error("ticket list: --format is table, csv or json");
				return EX_USAGE;
			}
		} else if ((val = cli_arg(argc, argv, &i, "--state"))) {
			flt.state = val;
		} else if ((val = cli_arg(argc, argv, &i, "--client"))) {
			flt.client = val;
		} else if ((val = cli_arg(argc, argv, &i, "--severity"))) {
			flt.severity = atoi(val);
			if (flt.severity < 1 || flt.severity > 4) {
				log_error("ticket list: --severity is 1, 2, 3 or 4");
				return EX_USAGE;
			}
		} else {
			log_error("ticket list: unknown option or missing value '%s'",
			          argv[i]);
			return EX_USAGE;
		}
	}
	struct desk desk = {0};
	json_t *arr = NULL;
	int rc = cli_open(cli, CLI_CALENDAR, &desk);
	if (rc != EX_OK)
		goto out;
	enum store_rc src = ticket_list_json(desk.db, desk.cal, &flt, &arr);
	if (src != STORE_OK) {
		log_error("ticket list: %s", desk_errmsg(&desk));
		rc = app_exit_code(src);
		goto out;
	}
	if (fmt == FMT_JSON) {
		json_dumpf(arr, stdout, JSON_INDENT(2));
		putchar('\n');
	} else if (fmt == FMT_CSV) {
		print_csv(arr);
	} else {
		print_table(arr);
	}
out:
	json_decref(arr);
	desk_close(&desk);
	return rc;
}

static void
print_text(json_t *t)
{
	printf("Ticket %s  %s\n", jtext(t, "display_number"), jtext(t, "subject"));
	printf("Client:   %s (%s)\n", jtext(t, "client_name"),
	       jtext(t, "client_domain"));
	/* R6: a severity the desk proposed is preliminary; R7: escalated. */
	printf("State:    %s    Severity: %lld%s%s\n", jtext(t, "state"),
	       (long long)json_integer_value(json_object_get(t, "severity")),
	       json_is_false(json_object_get(t, "severity_confirmed"))
	           ? " (preliminary)" : "",
	       json_is_true(json_object_get(t, "escalated")) ? "    [escalated]"
	                                                     : "");
	/* Issue 17: the model's proposal and why. */
	json_t *tri = json_object_get(t, "triage");
	if (json_is_object(tri)) {
		json_t *conf = json_object_get(tri, "confidence");
		printf("Triage:   severity %lld (%.0f%%), %s (%.0f%%)%s, model %.12s\n",
		       (long long)json_integer_value(json_object_get(tri, "severity")),
		       100 * json_number_value(json_object_get(conf, "severity")),
		       jtext(tri, "category"),
		       100 * json_number_value(json_object_get(conf, "category")),
		       json_is_true(json_object_get(tri, "flagged"))
		           ? " [unsure: a consultant must look]" : "",
		       jtext(tri, "model_version"));
	}
	if (*jtext(t, "severity_words"))
		printf("Because:  %s\n", jtext(t, "severity_words"));
	printf("Created:  %s    Due: %s\n", jtext(t, "created_at_local"),
	       jtext(t, "response_due_at_local"));
	if (*jtext(t, "contact_phone"))
		printf("Phone:    %s\n", jtext(t, "contact_phone"));
	json_t *into = json_object_get(t, "merged_into");
	if (json_is_integer(into))
		printf("Merged into #%06lld\n", (long long)json_integer_value(into));
	size_t k;
	json_t *l;
	json_array_foreach(json_object_get(t, "links"), k, l)
		printf("Related:  #%06lld %s (%s)\n",
		       (long long)json_integer_value(json_object_get(l, "number")),
		       jtext(l, "subject"), jtext(l, "state"));
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(t, "messages"), i, m) {
		printf("\n--- %s %s %s", jtext(m, "kind"), jtext(m, "created_at_local"),
		       *jtext(m, "from") ? jtext(m, "from") : jtext(m, "author"));
		/* Mail whose sender was not authenticated changed nothing (R2):
		 * say so, and what it asked, for staff to decide. */
		if (json_is_false(json_object_get(m, "verified")))
			printf("  [unverified sender]");
		if (*jtext(m, "intent"))
			printf("  [asks: %s, %s]", jtext(m, "intent"),
			       jtext(m, "intent_status"));
		printf("  (message %lld)\n%s\n",
		       (long long)json_integer_value(json_object_get(m, "id")),
		       jtext(m, "body_text"));
	}
}

static int
ticket_show(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, show_usage))
		return EX_OK;
	enum format fmt = FMT_JSON;
	int64_t number = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
			if (parse_format(argv[++i], &fmt, 0) != 0) {
				log_error("ticket show: --format is json or text");
				return EX_USAGE;
			}
		} else if (number == 0 && cli_ticket_number(argv[i], &number) == 0) {
			continue;
		} else {
			log_error("ticket show: '%s' is not a ticket number", argv[i]);
			return EX_USAGE;
		}
	}
	if (number == 0) {
		log_error("ticket show: which ticket? (try --help)");
		return EX_USAGE;
	}
	struct desk desk = {0};
	json_t *t = NULL;
	int rc = cli_open(cli, CLI_CALENDAR, &desk);
	if (rc != EX_OK)
		goto out;
	enum store_rc src = ticket_show_json(desk.db, desk.cal, number, &t);
	if (src == STORE_NOTFOUND) {
		log_error("ticket show: there is no ticket #%06lld", (long long)number);
		rc = EX_DATAERR;
		goto out;
	}
	if (src != STORE_OK) {
		log_error("ticket show: %s", desk_errmsg(&desk));
		rc = app_exit_code(src);
		goto out;
	}
	if (fmt == FMT_JSON) {
		json_dumpf(t, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		print_text(t);
	}
out:
	json_decref(t);
	desk_close(&desk);
	return rc;
}

static const struct cli_cmd ticket_cmds[] = {
	{"list", "list tickets (table, CSV or JSON)", ticket_list},
	{"show", "show one ticket with its messages", ticket_show},
	{"status", "lifecycle, timers and audit trail as JSON", ticket_status_cmd},
	{"open", "open by phone when e-mail is the failing service (R1)",
	 ticket_open_cmd},
	{"assign", "assign or reassign to a consultant", ticket_assign_cmd},
	{"reply", "reply to the client (or record the client's reply)",
	 ticket_reply_cmd},
	{"call", "log a phone call (R10)", ticket_call_cmd},
	{"wait", "ask the client for information; pause the clock",
	 ticket_wait_cmd},
	{"attempt", "log a contact attempt while waiting (R9)",
	 ticket_attempt_cmd},
	{"solve", "send the solution; await confirmation", ticket_solve_cmd},
	{"confirm", "the client confirms: close", ticket_confirm_cmd},
	{"reopen", "the client says it is not solved", ticket_reopen_cmd},
	{"escalate", "raise the priority / the Project Manager (R7)",
	 ticket_escalate_cmd},
	{"severity", "change the severity; recompute the deadline (R7)",
	 ticket_severity_cmd},
	{"confirm-severity", "confirm the preliminary severity (R6)",
	 ticket_confirm_severity_cmd},
	{"close", "close as excluded, duplicate or renewal required",
	 ticket_close_cmd},
	{"apply-intent", "apply what an unverified client mail asked (R2)",
	 ticket_apply_intent_cmd},
	{"recheck", "decide entitlement again: leave renewal required (R3)",
	 ticket_recheck_cmd},
	{"merge", "merge two tickets of a client: the older keeps both threads",
	 ticket_merge_cmd},
	{"link", "mark two tickets of a client as related", ticket_link_cmd},
	{NULL, NULL, NULL},
};

int
cmd_ticket(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, "ticket", ticket_cmds, argc, argv);
}
