/*
 * cmd_contract.c - soporte contract add|list|end, product add|list,
 * po add|list: a client's products, support contracts and purchase
 * orders (R3, R8, R12). The rules are in app/billing/contracts.c; this file
 * parses and prints.
 */
#include "app/billing/contracts.h"
#include "app/base/db.h"
#include "app/base/desk.h"
#include "app/billing/directory.h"
#include "app/billing/import.h"
#include "app/billing/ticket_entitle.h"
#include "app/config/policy_file.h"
#include "cli/cli.h"
#include "cli/cli_opts.h"
#include "util/duration.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char contract_add_usage[] =
    "usage: soporte contract add --client DOMAIN --plan per_event|basic|enterprise\n"
    "                            --from YYYY-MM-DD --to YYYY-MM-DD\n"
    "                            --products \"NAME;NAME\" [--rate SOLES]\n"
    "\n"
    "Records a support contract: its plan, validity (both days included) and\n"
    "the products it covers (names of the client's products). --rate is the\n"
    "price of an hour beyond the plan, or of a per-event hour (\"120.50\").\n"
    "A product is covered by one contract at a time: a contract overlapping\n"
    "another that covers one of its products is refused (end that one first).\n"
    "The client's tickets waiting for renewal are then decided again (R3):\n"
    "those the contract entitles go on, and their clients are told.\n";

static const char contract_list_usage[] =
    "usage: soporte contract list [--client DOMAIN] [--format table|json]\n";

static const char contract_end_usage[] =
    "usage: soporte contract end ID --on YYYY-MM-DD\n"
    "\n"
    "Ends a contract early: --on is its new last day. Refused when time is\n"
    "charged to it after that day.\n";

static const char product_add_usage[] =
    "usage: soporte product add --client DOMAIN --type TYPE --name NAME\n"
    "                           --delivered YYYY-MM-DD --warranty MONTHS\n"
    "                           [--post-production-until YYYY-MM-DD]\n"
    "\n"
    "Records a product delivered to a client. TYPE is a product type of the\n"
    "policy (soporte policy show); MONTHS within the policy's warranty range.\n";

static const char product_list_usage[] =
    "usage: soporte product list [--client DOMAIN] [--format table|json]\n";

static const char po_add_usage[] =
    "usage: soporte po add --client DOMAIN --number NUMBER --issued YYYY-MM-DD\n"
    "                      [--hours N] [--note TEXT]\n"
    "\n"
    "Records a client's purchase order for per-event work (R8: every\n"
    "per-event hour needs one). --hours is what it pays for (default 1;\n"
    "\"3\", \"1h30m\").\n";

static const char po_list_usage[] =
    "usage: soporte po list [--client DOMAIN] [--format table|json]\n";

static int
done(const char *cmd, struct desk *desk, enum app_rc a)
{
	char said[200];
	if (a != APP_OK)
		log_error("%s: %s", cmd, desk_said(desk, said, sizeof said));
	desk_close(desk);
	return app_rc_exit(a);
}

/* After a contract, product or purchase order of client was stored (a
 * is APP_OK): the client's tickets waiting for renewal are decided again
 * (R3, app/billing/ticket_entitle.h); then done(). */
static int
renewals_again(const char *cmd, struct cli *cli, struct desk *desk,
               enum app_rc a, const char *client)
{
	int64_t client_id = 0;
	int renewed = 0;
	struct tcmd_env env = {desk->db, &desk->pol, desk->cal, cli->now};
	struct tcmd_who sys = TCMD_WHO_SYSTEM;
	if (a == APP_OK &&
	    (client_id_by_domain(desk->db, client, &client_id) != STORE_OK ||
	     ticket_recheck_client(&env, client_id, &sys, &renewed) != TCMD_OK)) {
		log_error("%s: stored, but deciding again the client's tickets "
		          "waiting for renewal failed (run soporte ticket recheck): "
		          "%s", cmd, desk_errmsg(desk));
		desk_close(desk);
		return EX_TEMPFAIL;
	}
	if (renewed > 0)
		printf("%d ticket(s) waiting for renewal now entitled (R3)\n",
		       renewed);
	return done(cmd, desk, a);
}

static int
want_json(const char *cmd, const char *format, int *json)
{
	*json = 0;
	if (format == NULL || strcmp(format, "table") == 0)
		return EX_OK;
	if (strcmp(format, "json") == 0) {
		*json = 1;
		return EX_OK;
	}
	log_error("%s: --format is table or json", cmd);
	return EX_USAGE;
}

static int
contract_add_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "contract add";
	if (cli_wants_help(argc, argv, contract_add_usage))
		return EX_OK;
	struct contract_new c = {0};
	const char *rate = NULL;
	const struct cli_opt opts[] = {
		{"--client", &c.client}, {"--plan", &c.plan},
		{"--from", &c.valid_from}, {"--to", &c.valid_to},
		{"--products", &c.products}, {"--rate", &rate}, {NULL, NULL},
	};
	int npos;
	int rc = cli_opts_parse(cmd, argc, argv, opts, NULL, 0, &npos);
	if (rc != EX_OK)
		return rc;
	if (cli_need(cmd, "--client", c.client) || cli_need(cmd, "--plan", c.plan) ||
	    cli_need(cmd, "--from", c.valid_from) || cli_need(cmd, "--to", c.valid_to) ||
	    cli_need(cmd, "--products", c.products))
		return EX_USAGE;
	if (rate && money_parse_cents(rate, &c.rate_cents) != 0) {
		log_error("%s: --rate '%s' is not an amount in soles (like 120.50)",
		          cmd, rate);
		return EX_USAGE;
	}
	struct desk desk = {0};
	rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK)
		return rc;
	int64_t id = 0;
	enum app_rc a = contract_add(desk.db, &desk.pol, &c, ACTOR_SYSTEM_INIT,
	                             cli->now, &id);
	if (a == APP_OK)
		printf("contract %lld: %s %s..%s\n", (long long)id, c.plan,
		       c.valid_from, c.valid_to);
	return renewals_again(cmd, cli, &desk, a, c.client);
}

/* "X list [--client DOMAIN] [--format json|table]": the same for
 * contracts, products and purchase orders; lister fetches the rows as
 * JSON, table prints them for people. */
typedef enum app_rc lister_fn(struct store *db, const struct policy *pol,
                              const char *client, json_t **arr);
typedef void table_fn(json_t *arr);

static int
list_cmd(struct cli *cli, int argc, char **argv, const char *cmd,
         const char *usage, int need_policy, lister_fn *lister, table_fn *table)
{
	if (cli_wants_help(argc, argv, usage))
		return EX_OK;
	const char *client = NULL, *format = NULL;
	const struct cli_opt opts[] = {
		{"--client", &client}, {"--format", &format}, {NULL, NULL},
	};
	int npos, json;
	int rc = cli_opts_parse(cmd, argc, argv, opts, NULL, 0, &npos);
	if (rc == EX_OK)
		rc = want_json(cmd, format, &json);
	if (rc != EX_OK)
		return rc;
	struct desk desk = {0};
	rc = cli_open(cli, need_policy ? CLI_POLICY : CLI_DB, &desk);
	if (rc != EX_OK)
		return rc;
	json_t *arr = NULL;
	enum app_rc a = lister(desk.db, need_policy ? &desk.pol : NULL, client,
	                       &arr);
	if (a == APP_OK && json)
		cli_print_json(arr);
	else if (a == APP_OK)
		table(arr);
	json_decref(arr);
	return done(cmd, &desk, a);
}

static enum app_rc
contract_lister(struct store *db, const struct policy *pol, const char *client,
                json_t **arr)
{
	(void)pol;
	return contract_list_json(db, client, arr);
}

static enum app_rc
product_lister(struct store *db, const struct policy *pol, const char *client,
               json_t **arr)
{
	return product_list_json(db, pol, client, arr);
}

static enum app_rc
po_lister(struct store *db, const struct policy *pol, const char *client,
          json_t **arr)
{
	(void)pol;
	return po_list_json(db, client, arr);
}

static void
contract_table(json_t *arr)
{
	printf("%-5s %-22s %-10s %-10s %-10s %12s  %s\n", "ID", "CLIENT",
	       "PLAN", "FROM", "LAST DAY", "RATE/H", "PRODUCTS");
	size_t i, j;
	json_t *k, *p;
	json_array_foreach(arr, i, k) {
		char money[CLI_MONEY_MAX], prods[512] = "";
		size_t len = 0;
		cli_money(jint(k, "hourly_rate_cents"), money);
		json_array_foreach(json_object_get(k, "products"), j, p)
			if (len < sizeof prods)
				len += (size_t)snprintf(prods + len, sizeof prods - len,
				                        "%s%s", j ? "; " : "",
				                        json_string_value(p));
		printf("%-5lld %-22.22s %-10s %-10s %-10s %12s  %s%s\n",
		       jint(k, "id"), jtext(k, "client_domain"), jtext(k, "plan"),
		       jtext(k, "valid_from"), jtext(k, "last_day"), money, prods,
		       *jtext(k, "ended_on") ? " (ended)" : "");
	}
}

static void
product_table(json_t *arr)
{
	printf("%-5s %-22s %-14s %-10s %-10s %-10s %s\n", "ID", "CLIENT", "TYPE",
	       "DELIVERED", "WARRANTY", "POST-PROD", "NAME");
	size_t i;
	json_t *p;
	json_array_foreach(arr, i, p)
		printf("%-5lld %-22.22s %-14s %-10s %-10s %-10s %s\n", jint(p, "id"),
		       jtext(p, "client_domain"), jtext(p, "type"),
		       jtext(p, "delivered_on"), jtext(p, "warranty_last_day"),
		       *jtext(p, "post_production_until")
		           ? jtext(p, "post_production_until") : "-",
		       jtext(p, "name"));
}

static void
po_table(json_t *arr)
{
	printf("%-5s %-22s %-16s %-10s %8s %8s %s\n", "ID", "CLIENT", "NUMBER",
	       "ISSUED", "HOURS", "LOGGED", "TICKETS");
	size_t i;
	json_t *p;
	json_array_foreach(arr, i, p)
		printf("%-5lld %-22.22s %-16s %-10s %8.2f %8.2f %lld\n",
		       jint(p, "id"), jtext(p, "client_domain"), jtext(p, "number"),
		       jtext(p, "issued_on"), jint(p, "hours_s") / 3600.0,
		       jint(p, "logged_s") / 3600.0, jint(p, "tickets"));
}

static int
contract_list_cmd(struct cli *cli, int argc, char **argv)
{
	return list_cmd(cli, argc, argv, "contract list", contract_list_usage, 0,
	                contract_lister, contract_table);
}

static int
contract_end_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "contract end";
	if (cli_wants_help(argc, argv, contract_end_usage))
		return EX_OK;
	const char *on = NULL, *pos[1];
	const struct cli_opt opts[] = {{"--on", &on}, {NULL, NULL}};
	int npos;
	int rc = cli_opts_parse(cmd, argc, argv, opts, pos, 1, &npos);
	if (rc != EX_OK)
		return rc;
	char *end = NULL;
	long long id = npos ? strtoll(pos[0], &end, 10) : 0;
	if (npos != 1 || *end != '\0' || id <= 0) {
		log_error("%s: which contract? (a contract id; soporte contract list)",
		          cmd);
		return EX_USAGE;
	}
	if (cli_need(cmd, "--on", on))
		return EX_USAGE;
	struct desk desk = {0};
	rc = cli_open(cli, CLI_DB, &desk);
	if (rc != EX_OK)
		return rc;
	enum app_rc a = contract_end(desk.db, id, on, ACTOR_SYSTEM_INIT,
	                             cli->now);
	if (a == APP_OK)
		printf("contract %lld: last day %s\n", id, on);
	return done(cmd, &desk, a);
}

static int
product_add_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "product add";
	if (cli_wants_help(argc, argv, product_add_usage))
		return EX_OK;
	struct product_new p = {0};
	const char *months = NULL;
	const struct cli_opt opts[] = {
		{"--client", &p.client}, {"--type", &p.type}, {"--name", &p.name},
		{"--delivered", &p.delivered_on}, {"--warranty", &months},
		{"--post-production-until", &p.post_production_until}, {NULL, NULL},
	};
	int npos;
	int rc = cli_opts_parse(cmd, argc, argv, opts, NULL, 0, &npos);
	if (rc != EX_OK)
		return rc;
	if (cli_need(cmd, "--client", p.client) || cli_need(cmd, "--type", p.type) ||
	    cli_need(cmd, "--name", p.name) ||
	    cli_need(cmd, "--delivered", p.delivered_on) ||
	    cli_need(cmd, "--warranty", months))
		return EX_USAGE;
	char *end;
	long m = strtol(months, &end, 10);
	if (*end != '\0' || m < 0 || m > 24) {
		log_error("%s: --warranty '%s' is not a number of months", cmd, months);
		return EX_USAGE;
	}
	p.warranty_months = (int)m;
	struct desk desk = {0};
	rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK)
		return rc;
	int64_t id = 0;
	enum app_rc a = product_add(desk.db, &desk.pol, &p, ACTOR_SYSTEM_INIT,
	                            cli->now, &id);
	if (a == APP_OK)
		printf("product %lld: %s (%s)\n", (long long)id, p.name, p.type);
	return renewals_again(cmd, cli, &desk, a, p.client);
}

static int
product_list_cmd(struct cli *cli, int argc, char **argv)
{
	return list_cmd(cli, argc, argv, "product list", product_list_usage, 1,
	                product_lister, product_table);
}

static int
po_add_cmd(struct cli *cli, int argc, char **argv)
{
	static const char cmd[] = "po add";
	if (cli_wants_help(argc, argv, po_add_usage))
		return EX_OK;
	struct po_new po = {.hours_s = 3600};
	const char *hours = NULL;
	const struct cli_opt opts[] = {
		{"--client", &po.client}, {"--number", &po.number},
		{"--issued", &po.issued_on}, {"--hours", &hours},
		{"--note", &po.note}, {NULL, NULL},
	};
	int npos;
	int rc = cli_opts_parse(cmd, argc, argv, opts, NULL, 0, &npos);
	if (rc != EX_OK)
		return rc;
	if (cli_need(cmd, "--client", po.client) ||
	    cli_need(cmd, "--number", po.number) ||
	    cli_need(cmd, "--issued", po.issued_on))
		return EX_USAGE;
	if (hours) {
		char *end;
		long h = strtol(hours, &end, 10);
		if (*end == '\0' && h > 0 && h <= 1000)
			po.hours_s = h * 3600;
		else if (duration_parse(hours, 0, &po.hours_s) != DURATION_OK) {
			log_error("%s: --hours '%s' is not a number of hours", cmd, hours);
			return EX_USAGE;
		}
	}
	struct desk desk = {0};
	rc = cli_open(cli, CLI_DEADLINES, &desk);
	if (rc != EX_OK)
		return rc;
	int64_t id = 0;
	enum app_rc a = po_add(desk.db, &po, ACTOR_SYSTEM_INIT, cli->now, &id);
	if (a == APP_OK)
		printf("purchase order %s: %lld\n", po.number, (long long)id);
	return renewals_again(cmd, cli, &desk, a, po.client);
}

static int
po_list_cmd(struct cli *cli, int argc, char **argv)
{
	return list_cmd(cli, argc, argv, "po list", po_list_usage, 0,
	                po_lister, po_table);
}

int
cmd_contract(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{"add", "record a support contract (plan, validity, products)",
		 contract_add_cmd},
		{"list", "list contracts", contract_list_cmd},
		{"end", "end a contract early", contract_end_cmd},
		{"show", "the contract document (json, pdf)", contract_show_cmd},
		{NULL, NULL, NULL},
	};
	return cli_dispatch(cli, "contract", cmds, argc, argv);
}

int
cmd_product(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{"add", "record a product delivered to a client", product_add_cmd},
		{"list", "list products with their warranty's last day",
		 product_list_cmd},
		{NULL, NULL, NULL},
	};
	return cli_dispatch(cli, "product", cmds, argc, argv);
}

int
cmd_po(struct cli *cli, int argc, char **argv)
{
	static const struct cli_cmd cmds[] = {
		{"add", "record a purchase order for per-event work", po_add_cmd},
		{"list", "list purchase orders and the time logged on them",
		 po_list_cmd},
		{"request", "ask the client of a per-event ticket for an order",
		 cmd_po_request},
		{"override", "a Project Manager extends an order's hours",
		 cmd_po_override},
		{NULL, NULL, NULL},
	};
	return cli_dispatch(cli, "po", cmds, argc, argv);
}
