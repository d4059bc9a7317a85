/*
 * cmd_time.c - soporte time log|list and soporte statement: the hour
 * bank (R8) at a shell. The rules are in app/billing/hourbank_store.c and the
 * core; this file parses and prints.
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/base/template.h"
#include "app/billing/exports.h"
#include "app/billing/statement.h"
#include "app/billing/statement_send.h"
#include "app/billing/hourbank_store.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "cli/cli_out.h"
#include "core/calendar.h"
#include "core/coverage.h"
#include "util/duration.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char log_usage[] =
    "usage: soporte time log TICKET DURATION [--date YYYY-MM-DD] [--note TEXT]\n"
    "                        [--as USER_EMAIL] [--kind work|update|remote_session]\n"
    "                        [--po NUMBER] [--correction ENTRY_ID]\n"
    "\n"
    "Logs time worked on a ticket (DURATION like 90m, 1h30m, 21h). The entry's\n"
    "coverage (warranty, plan, per event, ...) follows the ticket's; per-event\n"
    "work needs a purchase order (--po, remembered by the ticket). --date\n"
    "defaults to today (policy time zone); a month before the current one is\n"
    "closed. A mistake is fixed with a correction, a new entry naming the one\n"
    "it corrects, negative or positive (\"-30m\"); it counts in that entry's\n"
    "month. --as defaults to the ticket's assignee. --kind update: the\n"
    "per-event minimum of an update (3 h) applies.\n";

static const char list_usage[] =
    "usage: soporte time list (--ticket N | --client DOMAIN --month YYYY-MM)\n"
    "                         [--format table|json|csv|xlsx] [--output FILE]\n";

static const char statement_usage[] =
    "usage: soporte statement --client DOMAIN --month YYYY-MM\n"
    "                         [--format text|csv|json|pdf|xlsx] [--output FILE]\n"
    "                         [--lang es|en]\n"
    "       soporte statement send --client DOMAIN --month YYYY-MM\n"
    "\n"
    "The client's statement for a calendar month (policy time zone): per\n"
    "contract the included, used, remaining and overage hours and the amount\n"
    "(per event: each event with its minimum), lines per ticket and per\n"
    "consultant; time under warranty, the monthly service or post-production\n"
    "apart; the month's ledger. Amounts in cents reconcile exactly.\n"
    "--format pdf writes the document (--output FILE, required) in Spanish,\n"
    "or English with --lang en (docs/documents.md).\n"
    "send: mails the statement again, PDF attached, to the client's billing\n"
    "contacts (the scheduler sends each month's once, on the next month's\n"
    "first business day); the resend is recorded.\n";

/* A duration as text, for one printf. */
struct dur_text {
	char s[DURATION_TEXT_MAX];
};

static struct dur_text
dur_of(int64_t seconds)
{
	struct dur_text d;
	duration_format(seconds, d.s);
	return d;
}

static int
time_log_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "time log";
	if (cli_wants_help(argc, argv, log_usage))
		return EX_OK;
	struct time_request r = {.kind = HB_WORK};
	const char *kind = NULL, *correction = NULL, *pos[2];
	const struct cli_opt opts[] = {
		{"--date", &r.work_date}, {"--note", &r.note}, {"--as", &r.user_email},
		{"--kind", &kind}, {"--po", &r.po_number},
		{"--correction", &correction}, {NULL, NULL},
	};
	int npos;
	int rc = cli_opts_parse(cmd, argc, argv, opts, pos, 2, &npos);
	if (rc != EX_OK)
		return rc;
	if (npos != 2 || cli_ticket_number(pos[0], &r.ticket_number) != 0) {
		log_error("%s: need a ticket number and a duration (try --help)", cmd);
		return EX_USAGE;
	}
	if (correction) {
		char *end;
		long long id = strtoll(correction, &end, 10);
		if (*end != '\0' || id <= 0) {
			log_error("%s: --correction takes an entry id (soporte time list)",
			          cmd);
			return EX_USAGE;
		}
		r.corrects_id = id;
		if (kind) {
			log_error("%s: a correction takes the kind of the entry it "
			          "corrects (drop --kind)", cmd);
			return EX_USAGE;
		}
	}
	if (kind && (hb_kind_parse(kind, &r.kind) != 0 ||
	             r.kind == HB_CORRECTION)) {
		log_error("%s: --kind is work, update or remote_session", cmd);
		return EX_USAGE;
	}
	enum duration_rc d = duration_parse(pos[1], correction != NULL, &r.seconds);
	if (d != DURATION_OK) {
		log_error("%s: '%s' is not a duration (like 90m, 1h30m, 21h)%s", cmd,
		          pos[1],
		          d == DURATION_SIGN ? "; only a correction may be negative"
		          : d == DURATION_ZERO ? "; it must be more than zero"
		                               : "");
		return EX_USAGE;
	}
	struct desk desk = {0};
	rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK) {
		return rc;
	}
	struct time_logged out;
	enum app_rc a = time_log(desk.db, &desk.pol, desk.cal, &r, cli->now,
	                         &out);
	if (a == APP_OK) {
		char dur[DURATION_TEXT_MAX];
		duration_format(r.seconds, dur);
		printf("entry %lld: ticket #%06lld, %s on %s, %s", (long long)out.id,
		       (long long)r.ticket_number, dur, out.work_date,
		       coverage_charge_name(out.coverage));
		if (out.contract_id)
			printf(" (contract %lld)", (long long)out.contract_id);
		if (out.purchase_order[0])
			printf(", purchase order %s", out.purchase_order);
		if (r.corrects_id)
			printf(", corrects entry %lld", (long long)r.corrects_id);
		putchar('\n');
		if (out.po_full)
			printf("warning: purchase order %s is used up (%s paid); more "
			       "time needs a new order (soporte po add) or a Project "
			       "Manager's extension (soporte po override)\n",
			       out.purchase_order, dur_of(out.po_paid_s).s);
		else if (out.po_paid_s > 0)
			printf("purchase order %s: %s left\n", out.purchase_order,
			       dur_of(out.po_left_s).s);
	} else {
		char said[200];
		log_error("%s: %s", cmd, desk_said(&desk, said, sizeof said));
	}
	desk_close(&desk);
	return app_rc_exit(a);
}

static int
time_list_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "time list";
	if (cli_wants_help(argc, argv, list_usage))
		return EX_OK;
	const char *ticket = NULL, *client = NULL, *month = NULL, *format = NULL;
	const char *output = NULL;
	const struct cli_opt opts[] = {
		{"--ticket", &ticket}, {"--client", &client}, {"--month", &month},
		{"--format", &format}, {"--output", &output}, {NULL, NULL},
	};
	int npos;
	int rc = cli_opts_parse(cmd, argc, argv, opts, NULL, 0, &npos);
	if (rc != EX_OK)
		return rc;
	struct time_filter f = {0};
	if (ticket && cli_ticket_number(ticket, &f.ticket_number) != 0) {
		log_error("%s: --ticket '%s' is not a ticket number", cmd, ticket);
		return EX_USAGE;
	}
	if (!ticket && (!client || !month ||
	                iso_month_parse(month, &f.year, &f.month) != 0)) {
		log_error("%s: give --ticket N, or --client DOMAIN and --month YYYY-MM",
		          cmd);
		return EX_USAGE;
	}
	f.client = client;
	int json = format && strcmp(format, "json") == 0;
	int file = format && (strcmp(format, "csv") == 0 ||
	                      strcmp(format, "xlsx") == 0);
	if (format && !json && !file && strcmp(format, "table") != 0) {
		log_error("%s: --format is table, json, csv or xlsx", cmd);
		return EX_USAGE;
	}
	struct desk desk = {0};
	rc = cli_open(cli, CLI_POLICY, &desk);
	if (rc != EX_OK)
		return rc;
	json_t *arr = NULL;
	enum app_rc a = time_list_json(desk.db, &f, &arr);
	if (a == APP_OK && file) {
		struct export_sheet sh = export_time_sheet(arr);
		rc = cli_export(cmd, format, output, &sh, 1);
	} else if (a == APP_OK && json) {
		cli_print_json(arr);
	} else if (a == APP_OK) {
		printf("%-6s %-8s %-10s %9s %-14s %-16s %-8s %-26s %s\n", "ENTRY",
		       "TICKET", "DATE", "TIME", "KIND", "COVERAGE", "CONTRACT",
		       "BY", "NOTE");
		size_t i;
		json_t *e;
		json_array_foreach(arr, i, e) {
			char dur[DURATION_TEXT_MAX], k[24] = "-";
			duration_format(jint(e, "seconds"), dur);
			if (json_is_integer(json_object_get(e, "contract_id")))
				snprintf(k, sizeof k, "%lld", jint(e, "contract_id"));
			printf("%-6lld #%06lld %-10s %9s %-14s %-16s %-8s %-26.26s %s",
			       jint(e, "id"), jint(e, "ticket_number"), jtext(e, "work_date"),
			       dur, jtext(e, "kind"), jtext(e, "coverage"), k,
			       jtext(e, "user_email"), jtext(e, "note"));
			if (json_is_integer(json_object_get(e, "corrects_id")))
				printf(" [corrects %lld]", jint(e, "corrects_id"));
			if (*jtext(e, "purchase_order"))
				printf(" [PO %s]", jtext(e, "purchase_order"));
			putchar('\n');
		}
	}
	if (a != APP_OK)
		log_error("%s: %s", cmd, desk_errmsg(&desk));
	json_decref(arr);
	desk_close(&desk);
	return a == APP_OK ? rc : app_rc_exit(a);
}

/* ---- statement -------------------------------------------------------- */

static void
hours_text(long long s, char out[32])
{
	long long ch = (s >= 0 ? s * 100 + 1800 : s * 100 - 1800) / 3600;
	snprintf(out, 32, "%s%lld.%02lld h", ch < 0 ? "-" : "",
	         (ch < 0 ? -ch : ch) / 100, (ch < 0 ? -ch : ch) % 100);
}

/* The statement's words (templates/LANG/statement.lines): one phrase,
 * with up to two values, into out. */
static const char *
word(const char *book, const char *key, const char *k1, const char *v1,
     const char *k2, const char *v2, char *out, size_t len)
{
	const struct tvar v[] = {{k1 ? k1 : "", v1}, {k2 ? k2 : "", v2}};
	char *s = NULL, err[128];
	if (phrases_say(book, key, v, k2 ? 2 : k1 ? 1 : 0, &s, err, sizeof err) != 0)
		snprintf(out, len, "%s", key);
	else
		snprintf(out, len, "%s", s);
	free(s);
	return out;
}
#define W(key) word(book, key, NULL, NULL, NULL, NULL, w1, sizeof w1)
#define W2(key) word(book, key, NULL, NULL, NULL, NULL, w2, sizeof w2)

/* "2026-11-03" as people read it: "03/11/2026". */
static const char *
dmy(const char *iso, char out[16])
{
	if (strlen(iso) == 10)
		snprintf(out, 16, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	else
		snprintf(out, 16, "%s", iso);
	return out;
}

static void
print_lines(const char *book, json_t *arr, const char *title, int ticket)
{
	if (json_array_size(arr) == 0)
		return;
	char w1[128], w2[128];
	printf("    %s:\n", word(book, title, NULL, NULL, NULL, NULL, w1, sizeof w1));
	size_t i;
	json_t *l;
	json_array_foreach(arr, i, l) {
		char u[32], b[32], m[CLI_MONEY_MAX], who[300];
		hours_text(jint(l, "used_s"), u);
		hours_text(jint(l, "billed_s"), b);
		cli_money(jint(l, "amount_cents"), m);
		if (ticket)
			snprintf(who, sizeof who, "#%06lld %.60s", jint(l, "ticket_number"),
			         jtext(l, "subject"));
		else
			snprintf(who, sizeof who, "%s", jtext(l, "user_email"));
		printf("      %-50.50s %s %10s  %s %10s  %14s\n", who, W("col_used"),
		       u, W2("col_billed"), b, m);
	}
}

static void
print_text(json_t *s, const char *lang)
{
	char a[32], b[32], m[CLI_MONEY_MAX], r[CLI_MONEY_MAX], w1[256], w2[256];
	char mon[128], d1[16], d2[16], key[8], err[128];
	char *book = phrases_load(lang, "statement", err, sizeof err);
	if (book == NULL) {
		log_error("statement: %s", err);
		return;
	}
	const char *ym = jtext(s, "month");
	snprintf(key, sizeof key, "m%d", atoi(ym + 5));
	char year[8];
	snprintf(year, sizeof year, "%.4s", ym);
	word(book, "month", "name", W(key), "year", year, mon, sizeof mon);
	printf("%s: %s (%s), %s\n", W("title"), jtext(s, "client_name"),
	       jtext(s, "client_domain"), mon);
	int en = strcmp(lang, "en") == 0;
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(s, "contracts"), i, k) {
		char id[24];
		snprintf(id, sizeof id, "%lld", jint(k, "contract_id"));
		cli_money(jint(k, "hourly_rate_cents"), r);
		printf("\n%s\n", word(book, "contract", "id", id, "plan",
		                      jtext(k, en ? "plan_name_en" : "plan_name_es"),
		                      w1, sizeof w1));
		printf("  %s: %s\n", W("validity"),
		       word(book, "range", "from", dmy(jtext(k, "first_day"), d1), "to",
		            dmy(jtext(k, "last_day"), d2), w2, sizeof w2));
		printf("  %s: %s\n", W("rate"), r);
		cli_money(jint(k, "amount_cents"), m);
		if (strcmp(jtext(k, "period"), "month") == 0) {
			static const char *const keys[] = {"included", "used",
			                                   "remaining", "overage"};
			for (size_t j = 0; j < 4; j++) {
				char col[32];
				snprintf(col, sizeof col, "%s_s", keys[j]);
				hours_text(jint(k, col), a);
				printf("  %s: %s\n", W(keys[j]), a);
			}
			printf("  %s: %s\n", W("overage_amount"), m);
		} else {
			hours_text(jint(k, "used_s"), a);
			hours_text(jint(k, "billed_s"), b);
			printf("  %s: %zu\n  %s: %s\n", W("events"),
			       json_array_size(json_object_get(k, "events")), W2("worked"),
			       a);
			printf("  %s: %s\n  %s: %s\n", W("billed"), b, W2("events_amount"),
			       m);
		}
		print_lines(book, json_object_get(k, "tickets"), "by_ticket", 1);
		print_lines(book, json_object_get(k, "consultants"), "by_consultant", 0);
		json_t *mins = json_object_get(k, "minimums");
		if (jint(mins, "billed_s")) {
			hours_text(jint(mins, "billed_s"), a);
			cli_money(jint(mins, "amount_cents"), m);
			printf("      %-50s %s %10s  %14s\n", W("minimums"),
			       W2("col_billed"), a, m);
		}
	}
	static const enum charge apart[] = {CHARGE_WARRANTY,
	                                    CHARGE_MONTHLY_SERVICE,
	                                    CHARGE_POST_PRODUCTION, CHARGE_NONE};
	json_t *ap = json_object_get(s, "not_charged");
	for (size_t g = 0; g < sizeof apart / sizeof apart[0]; g++) {
		const char *group = coverage_charge_name(apart[g]);
		json_t *grp = json_object_get(ap, group);
		if (json_array_size(json_object_get(grp, "tickets")) == 0)
			continue;
		hours_text(jint(grp, "used_s"), a);
		printf("\n%s: %s, %s\n", W("not_charged"), W2(group), a);
		json_t *l;
		json_array_foreach(json_object_get(grp, "tickets"), i, l) {
			hours_text(jint(l, "used_s"), b);
			printf("      #%06lld %-43.43s %s %10s\n",
			       jint(l, "ticket_number"), jtext(l, "subject"),
			       W("col_used"), b);
		}
	}
	json_t *t = json_object_get(s, "totals");
	cli_money(jint(t, "amount_cents"), m);
	hours_text(jint(t, "billed_s"), a);
	printf("\n%s: %s (%s %s)\n", W("total"), m, W2("billed"), a);
	free(book);
}

static void
csv_row(const char *contract, const char *plan, const char *line,
        const char *key, const char *label, json_t *o)
{
	printf("%s,%s,%s,%s,", contract, plan, line, key);
	if (strpbrk(label, ",\"\r\n")) {
		putchar('"');
		for (const char *p = label; *p; p++) {
			if (*p == '"')
				putchar('"');
			putchar(*p);
		}
		putchar('"');
	} else {
		fputs(label, stdout);
	}
	static const char *const cols[] = {"included_s", "logged_s", "used_s",
	                                   "remaining_s", "overage_s", "billed_s",
	                                   "amount_cents"};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		json_t *v = json_object_get(o, cols[i]);
		if (json_is_integer(v))
			printf(",%lld", (long long)json_integer_value(v));
		else
			putchar(',');
	}
	putchar('\n');
}

static void
print_csv(json_t *s)
{
	printf("contract_id,plan,line,key,label,included_s,logged_s,used_s,"
	       "remaining_s,overage_s,billed_s,amount_cents\n");
	size_t i, j;
	json_t *k, *l;
	char id[24], key[32];
	json_array_foreach(json_object_get(s, "contracts"), i, k) {
		snprintf(id, sizeof id, "%lld", jint(k, "contract_id"));
		const char *plan = jtext(k, "plan");
		csv_row(id, plan, "contract", "", jtext(k, "plan_name_es"), k);
		json_array_foreach(json_object_get(k, "tickets"), j, l) {
			snprintf(key, sizeof key, "%lld", jint(l, "ticket_number"));
			csv_row(id, plan, "ticket", key, jtext(l, "subject"), l);
		}
		json_array_foreach(json_object_get(k, "consultants"), j, l)
			csv_row(id, plan, "consultant", jtext(l, "user_email"),
			        jtext(l, "user_name"), l);
		json_array_foreach(json_object_get(k, "events"), j, l) {
			snprintf(key, sizeof key, "%lld", jint(l, "ticket_number"));
			csv_row(id, plan, "event", key, jtext(l, "purchase_order"), l);
		}
		csv_row(id, plan, "minimums", "", "", json_object_get(k, "minimums"));
	}
	const char *g;
	json_t *grp;
	json_object_foreach(json_object_get(s, "not_charged"), g, grp) {
		json_array_foreach(json_object_get(grp, "tickets"), j, l) {
			snprintf(key, sizeof key, "%lld", jint(l, "ticket_number"));
			csv_row("", g, "not_charged", key, jtext(l, "subject"), l);
		}
	}
	csv_row("", "", "total", "", "", json_object_get(s, "totals"));
}

static int
statement_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "statement";
	if (cli_wants_help(argc, argv, statement_usage))
		return EX_OK;
	const char *client = NULL, *month = NULL, *format = "text",
	           *output = NULL, *lang = "es";
	const struct cli_opt opts[] = {
		{"--client", &client}, {"--month", &month}, {"--format", &format},
		{"--output", &output}, {"--lang", &lang}, {NULL, NULL},
	};
	int npos, m;
	int64_t y;
	int rc = cli_opts_parse(cmd, argc, argv, opts, NULL, 0, &npos);
	if (rc != EX_OK)
		return rc;
	if (cli_need(cmd, "--client", client) || cli_need(cmd, "--month", month))
		return EX_USAGE;
	if (iso_month_parse(month, &y, &m) != 0) {
		log_error("%s: --month '%s' is not YYYY-MM", cmd, month);
		return EX_USAGE;
	}
	int xlsx = strcmp(format, "xlsx") == 0;
	if (strcmp(format, "text") != 0 && strcmp(format, "csv") != 0 &&
	    strcmp(format, "json") != 0 && strcmp(format, "pdf") != 0 && !xlsx) {
		log_error("%s: --format is text, csv, json, pdf or xlsx", cmd);
		return EX_USAGE;
	}
	if (strcmp(lang, "es") != 0 && strcmp(lang, "en") != 0) {
		log_error("%s: --lang is es or en", cmd);
		return EX_USAGE;
	}
	int pdf = strcmp(format, "pdf") == 0;
	if (output && !pdf && !xlsx) {
		log_error("%s: --output is for --format pdf or xlsx", cmd);
		return EX_USAGE;
	}
	if (pdf && output == NULL) {
		log_error("%s: --format pdf needs --output FILE", cmd);
		return EX_USAGE;
	}
	struct desk desk = {0};
	rc = cli_open(cli, CLI_POLICY, &desk);
	if (rc != EX_OK)
		return rc;
	json_t *s = NULL;
	enum app_rc a = statement_json(desk.db, &desk.pol, client, y, m, &s);
	if (a == APP_OK && pdf) {
		unsigned char *doc = NULL;
		size_t len = 0;
		FILE *f = NULL;
		if (statement_render(&desk.pol, s, lang, &doc, &len) != 0) {
			log_error("%s: the statement could not be rendered", cmd);
			a = APP_FAILED;
		} else if ((f = fopen(output, "wb")) == NULL ||
		           fwrite(doc, 1, len, f) != len) {
			log_error("%s: cannot write %s", cmd, output);
			a = APP_FAILED;
		}
		if (f && fclose(f) != 0 && a == APP_OK) {
			log_error("%s: cannot write %s", cmd, output);
			a = APP_FAILED;
		}
		free(doc);
	} else if (a == APP_OK && xlsx) {
		struct export_sheet sh = export_statement_sheet(s);
		rc = cli_export(cmd, format, output, &sh, 1);
		json_decref(sh.rows);
	} else if (a == APP_OK) {
		if (strcmp(format, "json") == 0)
			cli_print_json(s);
		else if (strcmp(format, "csv") == 0)
			print_csv(s);
		else
			print_text(s, lang);
	} else {
		log_error("%s: %s", cmd, desk_errmsg(&desk));
	}
	json_decref(s);
	desk_close(&desk);
	return a == APP_OK ? rc : app_rc_exit(a);
}

int
cmd_time(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{"log", "log time on a ticket (or a correction)", time_log_cmd},
		{"list", "list time entries of a ticket or a client's month",
		 time_list_cmd},
		{NULL, NULL, NULL},
	};
	return cli_dispatch(cli, "time", cmds, argc, argv);
}

static int
statement_send_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "statement send";
	if (cli_wants_help(argc, argv, statement_usage))
		return EX_OK;
	const char *client = NULL, *month = NULL;
	const struct cli_opt opts[] = {
		{"--client", &client}, {"--month", &month}, {NULL, NULL},
	};
	int npos, m;
	int64_t y;
	int rc = cli_opts_parse(cmd, argc, argv, opts, NULL, 0, &npos);
	if (rc != EX_OK)
		return rc;
	if (cli_need(cmd, "--client", client) || cli_need(cmd, "--month", month))
		return EX_USAGE;
	if (iso_month_parse(month, &y, &m) != 0) {
		log_error("%s: --month '%s' is not YYYY-MM", cmd, month);
		return EX_USAGE;
	}
	struct desk desk = {0};
	rc = cli_open(cli, CLI_POLICY, &desk);
	if (rc != EX_OK)
		return rc;
	int mails = 0;
	enum app_rc a = statement_send(desk.db, &desk.pol, client, y, m, 1, "cli",
	                               cli->now, &mails);
	if (a == APP_OK)
		printf("statement %s %s: %d mail%s queued\n", client, month, mails,
		       mails == 1 ? "" : "s");
	else
		log_error("%s: %s", cmd, desk_errmsg(&desk));
	desk_close(&desk);
	return app_rc_exit(a);
}

int
cmd_statement(struct cli *cli, int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "send") == 0)
		return statement_send_cmd(cli, argc - 1, argv + 1);
	return statement_cmd(cli, argc, argv);
}
