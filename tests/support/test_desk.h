/*
 * test_desk.h - test fixture: a SQLite desk in a temporary folder for tests
 * that run the app's commands in process: the shipped policy and its
 * calendar, the schema, the demo desk, and tickets opened by phone for
 * the demo's first client. Header only; include it after <cmocka.h>.
 */
#ifndef SOPORTE_TESTS_DESK_H
#define SOPORTE_TESTS_DESK_H

#include "app/config/calendar_load.h"
#include "app/ops/demo.h"
#include "app/config/policy_file.h"
#include "app/billing/ticket_entitle.h"
#include "store/migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct test_desk {
	struct policy pol;
	struct calendar *cal;
	struct store *db;
	char dir[64];
};

/* Opens d in a new folder named after tag, the demo loaded at demo_at;
 * returns 0, or -1 when something of it failed. */
static int
test_desk_open(struct test_desk *d, const char *tag, int64_t demo_at)
{
	struct policy_diag diag;
	char err[256], url[128];
	if (policy_load(SOPORTE_SRC "/policy/prodequa.ini", &d->pol, &diag) !=
	        POLICY_LOAD_OK ||
	    calendar_load(&d->pol, NULL, &d->cal, NULL, err, sizeof err) !=
	        CALLOAD_OK)
		return -1;
	snprintf(d->dir, sizeof d->dir, "/tmp/soporte-%s.XXXXXX", tag);
	if (mkdtemp(d->dir) == NULL)
		return -1;
	snprintf(url, sizeof url, "sqlite:%s/t.db", d->dir);
	if (store_open(url, &d->db, err, sizeof err) != STORE_OK ||
	    store_migrate(d->db, demo_at, NULL) != STORE_OK)
		return -1;
	setenv("SOPORTE_TEMPLATES", SOPORTE_SRC "/templates", 1);
	if (store_begin(d->db, 1) != STORE_OK ||
	    demo_load(d->db, &d->pol, d->cal, demo_at) != STORE_OK ||
	    store_commit(d->db) != STORE_OK)
		return -1;
	return 0;
}

/* Closes d and removes its folder. */
static void
test_desk_close(struct test_desk *d)
{
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm"};
	char path[128];
	store_close(d->db);
	calendar_free(d->cal);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", d->dir, files[i]);
		unlink(path);
	}
	rmdir(d->dir);
}

/* A ticket of severity reported by phone at `at` for the demo's contact
 * rquispe@andinas; returns its number, its id in *id. */
static int64_t
test_desk_open_ticket(struct test_desk *d, int severity, int64_t at, int64_t *id)
{
	int64_t client = 0, contact = 0;
	assert_int_equal(store_get_int(d->db,
	                               "SELECT id FROM contacts WHERE "
	                               "email = 'rquispe@andinas.example.pe'",
	                               STORE_NO_PARAMS, &contact),
	                 STORE_OK);
	assert_int_equal(store_get_int(d->db,
	                               "SELECT client_id FROM contacts WHERE id = $1",
	                               STORE_PARAMS(SP_I(contact)), &client),
	                 STORE_OK);
	struct ticket_request req = {
		.client_id = client,
		.contact_id = contact,
		.subject = "Caída",
		.body = "No funciona",
		.severity = severity,
		.channel = "phone",
		.channel_reason = "el correo del cliente no funciona",
		.reported_at = at,
		.actor = ACTOR_SYSTEM_INIT,
	};
	struct tcmd_env env = {d->db, &d->pol, d->cal, at};
	struct tcmd_result res;
	assert_int_equal(ticket_open_entitled(&env, &req, &res), TCMD_OK);
	assert_int_equal(res.state, WF_ASSIGNED);
	if (id)
		*id = res.ticket_id;
	return res.number;
}

#endif
