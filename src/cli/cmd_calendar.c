/*
 * cmd_calendar.c - `soporte calendar show`: business days in local time.
 *
 *   soporte calendar show --from YYYY-MM-DD --to YYYY-MM-DD
 *                         [--calendar FILE.ics]
 *
 * Prints one line per local date of the policy's zone: the date, the
 * weekday, the open windows (local HH:MM-HH:MM) or "closed", and the
 * holiday's name when it is one. Also home of cli_calendar(), which the
 * sla command shares: the policy and its calendar, loaded once.
 *
 *   soporte calendar import FILE.ics
 *   soporte calendar remove YYYY-MM-DD
 *
 * The administrator's holiday import and removal, as the API's (R6:
 * open tickets' deadlines follow, app/ticket/holidays_change.h), for a desk run
 * from the shell or cron. Servers pick the change up at their
 * scheduler's next run.
 */
#include "cli/cli.h"

#include "app/config/calendar_load.h"
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/config/holidays_db.h"
#include "app/ticket/holidays_change.h"
#include "util/log.h"
#include "util/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
cli_calendar(struct cli *cli, const char *ics, struct policy *p,
             struct calendar **cal, struct holiday_list *holidays)
{
	char err[512] = "";
	int xrc = cli_load_policy(cli, p);
	if (xrc != EX_OK)
		return xrc;
	struct calendar_load_opts o = {.ics_path = ics};
	enum calload_rc rc = calendar_load(p, &o, cal, holidays, err, sizeof err);
	if (rc != CALLOAD_OK) {
		log_error("calendar: %s", err);
		return rc == CALLOAD_ENOMEM ? EX_OSERR
		       : rc == CALLOAD_EHOLIDAYS && ics ? EX_NOINPUT
		                                        : EX_CONFIG;
	}
	return EX_OK;
}

/* Takes "--name VALUE" at argv[*i]; returns the value or NULL. */
const char *
cli_arg(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strcmp(argv[*i], name) == 0) {
		if (*i + 1 >= argc)
			return NULL;
		return argv[++*i];
	}
	if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	return NULL;
}

struct show {
	const struct calendar *cal;
	char line[512];
	size_t len;
	int64_t day;            /* local day of the line being built */
	int any;
};

static const char *const wdays[7] = {"Mon", "Tue", "Wed", "Thu", "Fri",
                                     "Sat", "Sun"};

/* Local seconds of day (0..86400) as HH:MM; out has 6 bytes. */
static void
hhmm(int64_t sod, char out[6])
{
	int h = (int)(sod / 3600 % 100), m = (int)(sod / 60 % 60);
	out[0] = (char)('0' + h / 10);
	out[1] = (char)('0' + h % 10);
	out[2] = ':';
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '\0';
}

static int
floor_day(int64_t local)
{
	return (int)((local >= 0 ? local : local - 86399) / 86400);
}

static int
collect(int64_t start, int64_t end, void *arg)
{
	struct show *s = arg;
	int64_t ls = start + calendar_utc_offset(s->cal, start);
	int64_t le = end + calendar_utc_offset(s->cal, end - 1);
	while (ls < le) {
		int64_t day = floor_day(ls);
		int64_t seg_end = le < (day + 1) * 86400 ? le : (day + 1) * 86400;
		if (day == s->day) {
			char a[6], b[6];
			hhmm(ls - day * 86400, a);
			hhmm(seg_end - day * 86400, b);
			int n = snprintf(s->line + s->len, sizeof s->line - s->len,
			                 " %s-%s", a, b);
			if (n > 0 && (size_t)n < sizeof s->line - s->len)
				s->len += (size_t)n;
			s->any = 1;
		}
		ls = seg_end;
	}
	return 0;
}

static int
show(struct cli *cli, int argc, char **argv)
{
	static const char usage[] =
	    "usage: soporte calendar show --from YYYY-MM-DD --to YYYY-MM-DD\n"
	    "                             [--calendar FILE.ics]\n"
	    "Prints the open windows and holidays of each date, in the\n"
	    "policy's local time. --calendar takes the holidays from an\n"
	    "iCalendar file instead of the policy's set.\n";
	const char *from = NULL, *to = NULL, *ics = NULL, *v;
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	for (int i = 1; i < argc; i++) {
		if ((v = cli_arg(argc, argv, &i, "--from")) != NULL)
			from = v;
		else if ((v = cli_arg(argc, argv, &i, "--to")) != NULL)
			to = v;
		else if ((v = cli_arg(argc, argv, &i, "--calendar")) != NULL)
			ics = v;
		else {
			log_error("calendar show: unexpected '%s'", argv[i]);
			fputs(usage, stderr);
			return EX_USAGE;
		}
	}
	int64_t d0, d1;
	if (from == NULL || to == NULL || iso_date_parse(from, &d0) != 0 ||
	    iso_date_parse(to, &d1) != 0 || d1 < d0) {
		log_error("calendar show: --from and --to must be dates "
		          "YYYY-MM-DD, from <= to");
		return EX_USAGE;
	}
	struct policy p;
	struct calendar *cal = NULL;
	struct holiday_list hl = {0};
	int rc = cli_calendar(cli, ics, &p, &cal, &hl);
	if (rc != EX_OK)
		goto out;
	int64_t lo, hi;
	calendar_span(cal, &lo, &hi);
	if (d0 * 86400 < lo || (d1 + 1) * 86400 > hi) {
		log_error("calendar show: dates outside the calendar's span");
		rc = EX_USAGE;
		goto out;
	}
	printf("# %s\n", calendar_zone(cal));
	size_t h = 0;
	for (int64_t day = d0; day <= d1; day++) {
		struct show s = {.cal = cal, .day = day};
		char date[ISO_DATE_LEN];
		iso_date_format(day, date);
		s.len = (size_t)snprintf(s.line, sizeof s.line, "%s %s", date,
		                         wdays[weekday_from_days(day)]);
		calendar_each_open(cal, day * 86400 - 26 * 3600,
		                   (day + 1) * 86400 + 26 * 3600, collect, &s);
		while (h < hl.n && hl.v[h].day < day)
			h++;
		printf("%s%s", s.line, s.any ? "" : " closed");
		if (h < hl.n && hl.v[h].day == day)
			printf("  feriado: %s",
			       hl.v[h].name_es ? hl.v[h].name_es : "(sin nombre)");
		putchar('\n');
	}
	rc = fflush(stdout) == 0 ? EX_OK : EX_IOERR;
out:
	calendar_free(cal);
	holiday_list_free(&hl);
	return rc;
}

static int
import_cmd(struct cli *cli, int argc, char **argv)
{
	static const char usage[] =
	    "usage: soporte calendar import FILE.ics\n"
	    "Adds the holidays of an iCalendar file to the desk's calendar\n"
	    "(days already known keep their name) and moves the deadlines of\n"
	    "the open tickets whose clock runs over a new day. Prints\n"
	    "{\"days\", \"added\", \"tickets_moved\"}.\n";
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	if (argc != 2) {
		fputs(usage, stderr);
		return EX_USAGE;
	}
	struct holiday_list l = {0};
	char err[256] = "";
	if (holidays_ics_load(argv[1], CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR,
	                      &l, err, sizeof err) != HLIST_OK) {
		log_error("calendar import: %s: %s", argv[1],
		          err[0] ? err : "not an iCalendar file");
		holiday_list_free(&l);
		return EX_DATAERR;
	}
	holiday_list_sort(&l);
	struct desk desk = {0};
	int added = 0, moved = 0;
	int rc = cli_open(cli, CLI_POLICY, &desk);
	if (rc == EX_OK) {
		enum store_rc src = holidays_import(desk.db, &desk.pol, &l,
		                                    ACTOR_SYSTEM_INIT,
		                                    cli->now, &added, &moved);
		if (src == STORE_OK)
			printf("{\"days\":%zu,\"added\":%d,\"tickets_moved\":%d}\n",
			       l.n, added, moved);
		else {
			log_error("calendar import: %s", desk_errmsg(&desk));
			rc = app_exit_code(src);
		}
	}
	desk_close(&desk);
	holiday_list_free(&l);
	return rc;
}

static int
remove_cmd(struct cli *cli, int argc, char **argv)
{
	static const char usage[] =
	    "usage: soporte calendar remove YYYY-MM-DD\n"
	    "Takes an imported holiday back out (the policy's own change in\n"
	    "the policy file) and moves the open tickets' deadlines back.\n"
	    "Prints {\"removed\", \"tickets_moved\"}.\n";
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	int64_t day;
	if (argc != 2 || iso_date_parse(argv[1], &day) != 0) {
		fputs(usage, stderr);
		return EX_USAGE;
	}
	struct desk desk = {0};
	int moved = 0;
	int rc = cli_open(cli, CLI_POLICY, &desk);
	if (rc == EX_OK) {
		enum store_rc src = holidays_remove(desk.db, &desk.pol, day,
		                                    ACTOR_SYSTEM_INIT,
		                                    cli->now, &moved);
		if (src == STORE_OK)
			printf("{\"removed\":\"%s\",\"tickets_moved\":%d}\n", argv[1],
			       moved);
		else {
			log_error("calendar remove: %s", desk_errmsg(&desk));
			rc = src == STORE_NOTFOUND ? EX_DATAERR : app_exit_code(src);
		}
	}
	desk_close(&desk);
	return rc;
}

int
cmd_calendar(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd sub[] = {
		{"show", "print open windows and holidays of a date range", show},
		{"import", "add holidays from an iCalendar file (R6)", import_cmd},
		{"remove", "take an imported holiday back out (R6)", remove_cmd},
		{NULL, NULL, NULL},
	};
	return cli_dispatch(cli, "calendar", sub, argc, argv);
}
