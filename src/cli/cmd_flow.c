/*
 * cmd_flow.c - soporte ticket open|assign|reply|call|wait|attempt|solve|
 * confirm|reopen|escalate|severity|confirm-severity|close|status, and
 * soporte scheduler.
 *
 * The CLI only parses: every command is app/ticket/ticket_cmds.h's, the same the
 * HTTP API and mail intake call. --as EMAIL names who acts (a staff user,
 * or a client contact / portal account); the clock is --now/SOPORTE_NOW.
 * Exit codes (sysexits): 0 done, 64 usage, 65 refused or no such ticket,
 * 67 unknown --as user, 75 busy or changed meanwhile (retry), 70 error.
 *
 * SECURITY: argv is the operator's; texts are stored as given (bound SQL
 * parameters) and mailed as plain text.
 */
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/billing/directory.h"
#include "app/billing/ticket_entitle.h"
#include "app/base/outbound.h"
#include "app/ops/scheduler.h"
#include "app/ticket/ticket_cmds.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/timefmt.h"

#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_BODY (1024 * 1024)

/* Option bits: which options a subcommand takes. */
enum {
	O_BODY = 1 << 0, O_CHANNEL = 1 << 1, O_OUTCOME = 1 << 2,
	O_WAIT = 1 << 3, O_DURATION = 1 << 4, O_TO = 1 << 5, O_REASON = 1 << 6,
	O_VERSION = 1 << 7, O_OPEN = 1 << 8,
};

struct flow_cmd {
	const char *name;
	enum wf_cmd cmd;
	unsigned opts;
	const char *usage;
};

static const struct flow_cmd flow_cmds[] = {
	{"assign", WF_CMD_ASSIGN, O_TO | O_VERSION,
	 "usage: soporte ticket assign NUMBER --to CONSULTANT_EMAIL --as EMAIL\n"
	 "\nAssigns or reassigns the ticket (Project Manager, admin; a consultant\n"
	 "may take an unassigned ticket for themselves). Audited.\n"},
	{"reply", WF_CMD_REPLY, O_BODY | O_VERSION,
	 "usage: soporte ticket reply NUMBER --body TEXT --as EMAIL\n"
	 "\nStaff: mails the reply to the client (the first one is the first\n"
	 "response, R6). Client (--as a contact): records the client's answer,\n"
	 "which resumes a ticket waiting on the client (R9).\n"},
	{"call", WF_CMD_CALL, O_BODY | O_DURATION | O_VERSION,
	 "usage: soporte ticket call NUMBER --as EMAIL [--duration MINUTES]\n"
	 "                          [--body NOTES]\n"
	 "\nLogs a phone call on an existing ticket (R10); the first contact is\n"
	 "the first response (R6).\n"},
	{"wait", WF_CMD_WAIT, O_BODY | O_VERSION,
	 "usage: soporte ticket wait NUMBER --body WHAT_WE_NEED --as EMAIL\n"
	 "\nAsks the client for information and puts the ticket waiting on the\n"
	 "client: the SLA clock pauses until the client answers (R6, R9).\n"},
	{"attempt", WF_CMD_ATTEMPT,
	 O_BODY | O_CHANNEL | O_OUTCOME | O_WAIT | O_VERSION,
	 "usage: soporte ticket attempt NUMBER --channel phone|email --as EMAIL\n"
	 "              [--outcome no_answer|left_message|busy|sent|bounced]\n"
	 "              [--wait BUSINESS_HOURS] [--body TEXT]\n"
	 "\nLogs a contact attempt while waiting on the client (R9). Attempts\n"
	 "count on distinct business days; the wait stated to the client\n"
	 "defaults to the policy's. After the last attempt and its wait the\n"
	 "scheduler closes the ticket as 'no response'.\n"},
	{"solve", WF_CMD_SOLVE, O_BODY | O_VERSION,
	 "usage: soporte ticket solve NUMBER --body SOLUTION --as EMAIL\n"
	 "\nSends the solution; the ticket awaits the client's confirmation (R9).\n"},
	{"confirm", WF_CMD_CONFIRM, O_BODY | O_VERSION,
	 "usage: soporte ticket confirm NUMBER --as EMAIL [--body TEXT]\n"
	 "\nThe client confirms the solution (or staff record that the client\n"
	 "confirmed by phone): the ticket closes as 'confirmed' (R9).\n"},
	{"reopen", WF_CMD_REOPEN, O_BODY | O_VERSION,
	 "usage: soporte ticket reopen NUMBER --as EMAIL [--body TEXT]\n"
	 "\nThe client says the problem is not solved: the ticket is reopened.\n"},
	{"escalate", WF_CMD_RAISE_REQUEST, O_BODY | O_TO | O_VERSION,
	 "usage: soporte ticket escalate NUMBER --as EMAIL [--to pm] [--body TEXT]\n"
	 "\nR7. A client (or staff on the client's behalf) without --to asks the\n"
	 "consultant to raise the priority; with --to pm the client asks for\n"
	 "the Project Manager (only after asking the consultant). A consultant\n"
	 "with --to pm escalates the ticket to the Project Manager.\n"},
	{"severity", WF_CMD_SEVERITY, O_BODY | O_TO | O_VERSION,
	 "usage: soporte ticket severity NUMBER --to 1-4 --as EMAIL [--body WHY]\n"
	 "\nChanges the severity (R7): the response deadline is recomputed from\n"
	 "the original report time with the new target, pauses kept.\n"},
	{"close", WF_CMD_CLOSE, O_BODY | O_REASON | O_VERSION,
	 "usage: soporte ticket close NUMBER --reason excluded|duplicate|\n"
	 "                           renewal_required --as EMAIL [--body TEXT]\n"
	 "\nCloses the ticket and tells the client why. 'confirmed' comes from\n"
	 "the client (ticket confirm) and 'no_response' from the scheduler.\n"},
	{"open", WF_CMD_COUNT, O_BODY | O_CHANNEL | O_REASON | O_OPEN,
	 "usage: soporte ticket open --channel phone --reason TEXT --client DOMAIN\n"
	 "              --contact EMAIL --subject TEXT --severity 1-4 --as EMAIL\n"
	 "              [--body TEXT]\n"
	 "\nOpens a ticket on the client's behalf when e-mail is the failing\n"
	 "service (R1: the reason is required and recorded). Tickets are\n"
	 "otherwise opened only by mail to the support address.\n"},
	{"confirm-severity", WF_CMD_CONFIRM_SEVERITY, O_BODY | O_TO | O_VERSION,
	 "usage: soporte ticket confirm-severity NUMBER --as EMAIL [--to 1-4]\n"
	 "\nThe consultant confirms the preliminary severity proposed from the\n"
	 "mail (R6), or with --to sets another (the deadline is recomputed).\n"},
	{NULL, 0, 0, NULL},
};

struct flow_args {
	int64_t number;
	const char *as, *body, *body_file, *channel, *outcome, *to, *reason;
	const char *client, *contact, *subject, *wait, *duration, *severity;
	int64_t version;
};

static int
parse_args(const struct flow_cmd *fc, int argc, char **argv,
           struct flow_args *a)
{
	static const struct {
		const char *name;
		unsigned bit;
		size_t off;
	} opts[] = {
		{"--as", 0, offsetof(struct flow_args, as)},
		{"--body", O_BODY, offsetof(struct flow_args, body)},
		{"--body-file", O_BODY, offsetof(struct flow_args, body_file)},
		{"--channel", O_CHANNEL, offsetof(struct flow_args, channel)},
		{"--outcome", O_OUTCOME, offsetof(struct flow_args, outcome)},
		{"--wait", O_WAIT, offsetof(struct flow_args, wait)},
		{"--duration", O_DURATION, offsetof(struct flow_args, duration)},
		{"--to", O_TO, offsetof(struct flow_args, to)},
		{"--reason", O_REASON, offsetof(struct flow_args, reason)},
		{"--client", O_OPEN, offsetof(struct flow_args, client)},
		{"--contact", O_OPEN, offsetof(struct flow_args, contact)},
		{"--subject", O_OPEN, offsetof(struct flow_args, subject)},
		{"--severity", O_OPEN, offsetof(struct flow_args, severity)},
	};
	memset(a, 0, sizeof *a);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strncmp(arg, "--", 2) != 0) {
			if (fc->cmd == WF_CMD_COUNT || a->number ||
			    cli_ticket_number(arg, &a->number) != 0) {
				log_error("ticket %s: '%s' is not a ticket number", fc->name,
				          arg);
				return -1;
			}
			continue;
		}
		if (i + 1 >= argc) {
			log_error("ticket %s: %s needs a value", fc->name, arg);
			return -1;
		}
		const char *val = argv[++i];
		if (strcmp(arg, "--if-version") == 0 && (fc->opts & O_VERSION)) {
			char *end;
			a->version = strtoll(val, &end, 10);
			if (*end || a->version <= 0) {
				log_error("ticket %s: --if-version is a positive number",
				          fc->name);
				return -1;
			}
			continue;
		}
		size_t k;
		for (k = 0; k < sizeof opts / sizeof opts[0]; k++)
			if (strcmp(opts[k].name, arg) == 0 &&
			    (opts[k].bit == 0 || (fc->opts & opts[k].bit)))
				break;
		if (k == sizeof opts / sizeof opts[0]) {
			log_error("ticket %s: unknown option '%s' (try --help)", fc->name,
			          arg);
			return -1;
		}
		*(const char **)((char *)a + opts[k].off) = val;
	}
	if (fc->cmd != WF_CMD_COUNT && a->number == 0) {
		log_error("ticket %s: which ticket? (try --help)", fc->name);
		return -1;
	}
	if (a->as == NULL) {
		log_error("ticket %s: --as EMAIL (who acts) is required", fc->name);
		return -1;
	}
	return 0;
}

/* Reads --body-file (or "-": stdin) into b. */
static int
read_body(const char *path, struct buf *b)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (f == NULL) {
		log_error("cannot read %s", path);
		return -1;
	}
	char chunk[4096];
	size_t n;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(b, chunk, n) != BUF_OK) {
			log_error("%s: larger than %d bytes", path, MAX_BODY);
			rc = -1;
			break;
		}
	if (f != stdin)
		fclose(f);
	return rc;
}

static int
positive(const char *what, const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || !(v > 0) || v > 10000) {
		log_error("%s: '%s' is not a positive number", what, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* Fills the request from the arguments; returns 0 or EX_USAGE. */
static int
build_request(const struct flow_cmd *fc, const struct flow_args *a,
              struct tcmd_request *req)
{
	req->cmd = fc->cmd;
	req->number = a->number;
	req->expected_version = a->version;
	req->channel = a->channel;
	req->outcome = a->outcome;
	double v;
	if (a->wait) {
		if (positive("--wait", a->wait, &v) != 0)
			return EX_USAGE;
		req->wait_s = (int64_t)(v * 3600 + 0.5);
	}
	if (a->duration) {
		if (positive("--duration", a->duration, &v) != 0)
			return EX_USAGE;
		req->duration_s = (int64_t)(v * 60 + 0.5);
	}
	switch (fc->cmd) {
	case WF_CMD_ATTEMPT:
		if (a->channel == NULL || (strcmp(a->channel, "phone") != 0 &&
		                           strcmp(a->channel, "email") != 0)) {
			log_error("ticket attempt: --channel is phone or email");
			return EX_USAGE;
		}
		if (a->outcome == NULL)
			req->outcome = strcmp(a->channel, "email") == 0 ? "sent"
			                                                : "no_answer";
		else if (strcmp(a->outcome, "no_answer") != 0 &&
		         strcmp(a->outcome, "left_message") != 0 &&
		         strcmp(a->outcome, "busy") != 0 &&
		         strcmp(a->outcome, "sent") != 0 &&
		         strcmp(a->outcome, "bounced") != 0) {
			/* A call the client answered is a call (ticket call), and
			 * an answer by mail is the client's reply: not attempts. */
			log_error("ticket attempt: --outcome is no_answer, left_message, "
			          "busy, sent or bounced (a call the client answered is "
			          "'ticket call')");
			return EX_USAGE;
		}
		break;
	case WF_CMD_ASSIGN:
		if (a->to == NULL) {
			log_error("ticket assign: --to CONSULTANT_EMAIL is required");
			return EX_USAGE;
		}
		req->assignee_email = a->to;
		break;
	case WF_CMD_CONFIRM_SEVERITY:
		if (a->to == NULL)
			break;
		/* fall through */
	case WF_CMD_SEVERITY:
		if (a->to == NULL || strlen(a->to) != 1 || a->to[0] < '1' ||
		    a->to[0] > '4') {
			log_error("ticket severity: --to is 1, 2, 3 or 4");
			return EX_USAGE;
		}
		req->severity = a->to[0] - '0';
		break;
	case WF_CMD_CLOSE: {
		int r = a->reason ? wf_close_parse(a->reason) : -1;
		if (r < 0) {
			log_error("ticket close: --reason is excluded, duplicate or "
			          "renewal_required");
			return EX_USAGE;
		}
		req->reason = (enum wf_close_reason)r;
		break;
	}
	case WF_CMD_RAISE_REQUEST:
		if (a->to && strcmp(a->to, "pm") != 0) {
			log_error("ticket escalate: --to takes only 'pm'");
			return EX_USAGE;
		}
		break;
	default:
		break;
	}
	return 0;
}

struct flow_ctx {
	struct desk desk;
	struct tcmd_env env;
};

static int
ctx_open(struct cli *cli, struct flow_ctx *c)
{
	memset(c, 0, sizeof *c);
	int rc = cli_open(cli, CLI_DEADLINES, &c->desk);
	c->env = (struct tcmd_env){c->desk.db, &c->desk.pol, c->desk.cal,
	                           cli->now};
	return rc;
}

static void
ctx_close(struct flow_ctx *c)
{
	desk_close(&c->desk);
}

static int
report(const char *name, enum tcmd_rc t, const struct tcmd_result *res)
{
	if (t == TCMD_OK) {
		printf("#%06lld %s (version %lld)", (long long)res->number,
		       wf_state_name(res->state), (long long)res->version);
		if (strcmp(name, "attempt") == 0)
			printf(", attempts %d", res->attempts);
		putchar('\n');
		return EX_OK;
	}
	if (t == TCMD_REFUSED && res->refusal != WF_OK)
		log_error("ticket %s: %s [%s]", name, res->message,
		          wf_refusal_code(res->refusal));
	else
		log_error("ticket %s: %s", name, res->message);
	return tcmd_exit_code(t);
}

static int
open_ticket(struct flow_ctx *c, const struct tcmd_who *who,
            const struct flow_args *a)
{
	if (!a->channel || !a->client || !a->contact || !a->subject ||
	    !a->severity) {
		log_error("ticket open: --channel, --client, --contact, --subject "
		          "and --severity are required (try --help)");
		return EX_USAGE;
	}
	if (who->role == WF_ROLE_CLIENT || who->role == WF_ROLE_SYSTEM) {
		log_error("ticket open: only staff open a ticket on the client's "
		          "behalf; clients write to %s (R1)",
		          c->desk.pol.support_address);
		return EX_NOPERM;
	}
	int sev = atoi(a->severity);
	if (sev < 1 || sev > 4 || strlen(a->severity) != 1) {
		log_error("ticket open: --severity is 1, 2, 3 or 4");
		return EX_USAGE;
	}
	int64_t client_id = 0, contact_id = 0;
	enum store_rc rc = client_contact_ids(c->desk.db, a->client, a->contact,
	                                      &client_id, &contact_id);
	if (rc == STORE_NOTFOUND) {
		log_error("ticket open: no client %s with the contact %s", a->client,
		          a->contact);
		return EX_DATAERR;
	}
	if (rc != STORE_OK) {
		log_error("ticket open: %s", desk_errmsg(&c->desk));
		return app_exit_code(rc);
	}
	struct ticket_request req = {
		.client_id = client_id,
		.contact_id = contact_id,
		.subject = a->subject,
		.body = a->body ? a->body : "",
		.from_addr = a->contact,
		.severity = sev,
		.channel = a->channel,
		.channel_reason = a->reason,
		.reported_at = c->env.now,
		.actor = who->actor,
	};
	struct tcmd_result res;
	enum tcmd_rc t = ticket_open_entitled(&c->env, &req, &res);
	if (t == TCMD_OK) {
		printf("#%06lld %s (version %lld)\n", (long long)res.number,
		       wf_state_name(res.state), (long long)res.version);
		return EX_OK;
	}
	log_error("ticket open: %s", res.message);
	return tcmd_exit_code(t);
}

static int
run_flow(const struct flow_cmd *fc, struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, fc->usage))
		return EX_OK;
	struct flow_args a;
	struct tcmd_request req = {0};
	struct buf body = BUF_INIT(MAX_BODY);
	struct flow_ctx c = {0};
	int rc = EX_USAGE;
	if (parse_args(fc, argc, argv, &a) != 0 ||
	    build_request(fc, &a, &req) != 0)
		goto out;
	if (a.body_file) {
		if (read_body(a.body_file, &body) != 0)
			goto out;
		a.body = buf_str(&body);
	}
	req.body = a.body;
	rc = ctx_open(cli, &c);
	if (rc != EX_OK)
		goto out;
	char err[512];
	enum tcmd_rc t = tcmd_who_lookup(c.desk.db, a.as, &req.who, err,
	                                 sizeof err);
	if (t != TCMD_OK) {
		log_error("ticket %s: --as: %s", fc->name, err);
		rc = t == TCMD_NOT_FOUND ? EX_NOUSER : tcmd_exit_code(t);
		goto out;
	}
	if (fc->cmd == WF_CMD_COUNT) {
		rc = open_ticket(&c, &req.who, &a);
		goto out;
	}
	/* escalate: who and --to pick the R7 step. */
	if (fc->cmd == WF_CMD_RAISE_REQUEST && a.to)
		req.cmd = req.who.role == WF_ROLE_CLIENT ? WF_CMD_PM_REQUEST
		                                         : WF_CMD_ESCALATE_PM;
	/* reply: the client's reply is an incoming message. */
	if (fc->cmd == WF_CMD_REPLY && req.who.role == WF_ROLE_CLIENT)
		req.cmd = WF_CMD_CLIENT_REPLY;
	if ((req.cmd == WF_CMD_REPLY || req.cmd == WF_CMD_WAIT ||
	     req.cmd == WF_CMD_SOLVE || req.cmd == WF_CMD_CLIENT_REPLY) &&
	    (req.body == NULL || req.body[0] == '\0')) {
		log_error("ticket %s: --body TEXT (or --body-file) is required",
		          fc->name);
		rc = EX_USAGE;
		goto out;
	}
	struct tcmd_result res;
	t = tcmd_run(&c.env, &req, &res);
	rc = report(fc->name, t, &res);
out:
	buf_free(&body);
	ctx_close(&c);
	return rc;
}

#define FLOW_FN(fn, idx)                                                   \
	int fn(struct cli *cli, int argc, char **argv)                         \
	{                                                                      \
		return run_flow(&flow_cmds[idx], cli, argc, argv);                 \
	}
FLOW_FN(ticket_assign_cmd, 0)
FLOW_FN(ticket_reply_cmd, 1)
FLOW_FN(ticket_call_cmd, 2)
FLOW_FN(ticket_wait_cmd, 3)
FLOW_FN(ticket_attempt_cmd, 4)
FLOW_FN(ticket_solve_cmd, 5)
FLOW_FN(ticket_confirm_cmd, 6)
FLOW_FN(ticket_reopen_cmd, 7)
FLOW_FN(ticket_escalate_cmd, 8)
FLOW_FN(ticket_severity_cmd, 9)
FLOW_FN(ticket_close_cmd, 10)
FLOW_FN(ticket_open_cmd, 11)
FLOW_FN(ticket_confirm_severity_cmd, 12)

static const char status_usage[] =
    "usage: soporte ticket status NUMBER\n"
    "\nThe ticket's lifecycle as JSON: state (reopened included), close\n"
    "reason, deadline, first response (business seconds, met), counted\n"
    "contact attempts, pauses, timers, queued mail and the audit trail.\n";

int
ticket_status_cmd(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, status_usage))
		return EX_OK;
	int64_t n = 0;
	if (argc != 2 || cli_ticket_number(argv[1], &n) != 0) {
		log_error("ticket status: give one ticket number (try --help)");
		return EX_USAGE;
	}
	struct flow_ctx c;
	json_t *o = NULL;
	int rc = ctx_open(cli, &c);
	if (rc == EX_OK) {
		enum store_rc src = tcmd_status_json(&c.env, n, &o);
		if (src == STORE_NOTFOUND) {
			log_error("ticket status: there is no ticket #%06lld",
			          (long long)n);
			rc = EX_DATAERR;
		} else if (src != STORE_OK) {
			log_error("ticket status: %s", desk_errmsg(&c.desk));
			rc = app_exit_code(src);
		} else {
			json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			putchar('\n');
		}
	}
	json_decref(o);
	ctx_close(&c);
	return rc;
}

/* ---- soporte scheduler ---- */

static const char run_once_usage[] =
    "usage: soporte scheduler run-once [--holder NAME] [--lease SECONDS]\n"
    "                                  [--max-jobs N] [--keep-lease]\n"
    "                                  [--smtp URL]\n"
    "\nFires every timer due at --now (SLA warnings, contact-attempt\n"
    "reminders, auto-close, outbound retries), each exactly once, then\n"
    "prints what it did as JSON. Only the holder of the scheduler lease\n"
    "fires; exit 75 when another server holds it. With --smtp, each run\n"
    "also sends the outbound mail that is due (and outbound_retry jobs).\n";

static const char run_usage[] =
    "usage: soporte scheduler run --every SECONDS [--holder NAME]\n"
    "                             [--lease SECONDS] [--runs N] [--smtp URL]\n"
    "\nRuns the scheduler every SECONDS until stopped (SIGINT/SIGTERM) or\n"
    "after N runs. With a fixed --now the clock advances from it.\n";

static volatile sig_atomic_t stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* The outbound hook: sends what the mail queue has due through SMTP. */
static int
send_outbound(const struct tcmd_env *env, void *arg)
{
	struct outbound_stats os;
	return outbound_send_due(env->db, env->pol, arg, env->now, 100, &os) ==
	               STORE_OK
	           ? 0
	           : -1;
}

struct sched_args {
	char holder[128];
	struct sched_opts o;
	int every, runs;
};

static int
parse_sched(const char *name, int argc, char **argv, struct sched_args *s)
{
	char host[64] = "host";
	gethostname(host, sizeof host - 1);
	snprintf(s->holder, sizeof s->holder, "%s:%ld", host, (long)getpid());
	s->o = (struct sched_opts){.holder = s->holder};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--keep-lease") == 0) {
			s->o.keep_lease = 1;
			continue;
		}
		if (i + 1 >= argc) {
			log_error("scheduler %s: unknown option or missing value '%s'",
			          name, argv[i]);
			return -1;
		}
		const char *v = argv[++i];
		long n = strtol(v, NULL, 10);
		if (strcmp(argv[i - 1], "--holder") == 0) {
			snprintf(s->holder, sizeof s->holder, "%s", v);
		} else if (strcmp(argv[i - 1], "--lease") == 0 && n > 0) {
			s->o.lease_s = n;
		} else if (strcmp(argv[i - 1], "--max-jobs") == 0 && n > 0) {
			s->o.max_jobs = (int)n;
		} else if (strcmp(argv[i - 1], "--every") == 0 && n > 0) {
			s->every = (int)n;
		} else if (strcmp(argv[i - 1], "--runs") == 0 && n > 0) {
			s->runs = (int)n;
		} else if (strcmp(argv[i - 1], "--smtp") == 0) {
			s->o.outbound = send_outbound;
			s->o.outbound_arg = (void *)v;
		} else {
			log_error("scheduler %s: bad option %s %s (try --help)", name,
			          argv[i - 1], v);
			return -1;
		}
	}
	return 0;
}

static int
print_run(enum sched_rc rc, const struct sched_stats *st, int64_t now,
          const char *holder, struct desk *desk)
{
	char iso[ISO_UTC_LEN];
	iso_utc_format(now, iso);
	if (rc == SCHED_NOT_LEADER) {
		log_error("scheduler: %s holds the lease; %s does nothing", st->holder,
		          holder);
		return EX_TEMPFAIL;
	}
	if (rc != SCHED_OK) {
		log_error("scheduler: %s", desk_errmsg(desk));
		return rc == SCHED_BUSY ? EX_TEMPFAIL : EX_SOFTWARE;
	}
	printf("{\"now\":\"%s\",\"holder\":\"%s\",\"fired\":%d,\"skipped\":%d,"
	       "\"failed\":%d,\"uploads_pruned\":%d,\"digests\":%d,"
	       "\"statements\":%d}\n",
	       iso, holder, st->fired, st->skipped, st->failed, st->uploads_pruned,
	       st->digests, st->statements);
	fflush(stdout);
	return st->failed ? EX_SOFTWARE : EX_OK;
}

static int
sched_run_once_cmd(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, run_once_usage))
		return EX_OK;
	struct sched_args s;
	if (parse_sched("run-once", argc, argv, &s) != 0)
		return EX_USAGE;
	s.o.holder = s.holder;
	struct flow_ctx c;
	int rc = ctx_open(cli, &c);
	if (rc == EX_OK) {
		struct sched_stats st;
		enum sched_rc r = sched_run_once(&c.env, &s.o, &st);
		rc = print_run(r, &st, c.env.now, s.holder, &c.desk);
	}
	ctx_close(&c);
	return rc;
}

static int
sched_run_cmd(struct cli *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv, run_usage))
		return EX_OK;
	struct sched_args s;
	if (parse_sched("run", argc, argv, &s) != 0)
		return EX_USAGE;
	if (s.every <= 0) {
		log_error("scheduler run: --every SECONDS is required");
		return EX_USAGE;
	}
	s.o.holder = s.holder;
	s.o.keep_lease = 1;
	if (s.o.lease_s <= 0)
		s.o.lease_s = s.every * 3 > SCHED_DEFAULT_LEASE_S ? s.every * 3
		                                                  : SCHED_DEFAULT_LEASE_S;
	struct flow_ctx c;
	int rc = ctx_open(cli, &c);
	if (rc != EX_OK)
		goto out;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	int64_t start = (int64_t)time(NULL);
	for (int n = 0; !stop_flag && (s.runs == 0 || n < s.runs); n++) {
		c.env.now = cli->now_fixed ? cli->now + ((int64_t)time(NULL) - start)
		                           : (int64_t)time(NULL);
		struct sched_stats st;
		enum sched_rc r = sched_run_once(&c.env, &s.o, &st);
		if (r == SCHED_NOT_LEADER)
			log_info("scheduler: %s holds the lease; waiting", st.holder);
		else if ((rc = print_run(r, &st, c.env.now, s.holder,
		                         &c.desk)) ==
		         EX_SOFTWARE && r != SCHED_OK)
			break;
		rc = EX_OK;
		if (s.runs && n + 1 >= s.runs)
			break;
		for (int i = 0; i < s.every && !stop_flag; i++)
			sleep(1);
	}
	sched_lease_release(&c.env, s.holder);
out:
	ctx_close(&c);
	return rc;
}

static const struct cli_cmd sched_cmds[] = {
	{"run-once", "fire every timer due now, exactly once", sched_run_once_cmd},
	{"run", "fire timers every N seconds until stopped", sched_run_cmd},
	{NULL, NULL, NULL},
};

int
cmd_scheduler(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, "scheduler", sched_cmds, argc, argv);
}
