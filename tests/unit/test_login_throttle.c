/*
 * test_login_throttle.c - the login throttle on a real (SQLite) desk:
 * per-account exponential back-off, the per-address window (IPv6 per
 * /64), the known browser's signed device cookie that passes both (and
 * what does not count as one), and the table pruning itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/access/device.h"
#include "app/access/sessions.h"
#include "app/access/throttle.h"
#include "app/access/vault.h"
#include "../support/test_desk.h"

#define T0 1796000000
#define VICTIM "mtorres@prodequa.example"
#define OTHER "dparedes@prodequa.example"

static struct test_desk d;
static struct vault v;

static int
setup(void **state)
{
	(void)state;
	memset(v.key, 7, sizeof v.key);
	return test_desk_open(&d, "throttle", T0);
}

static int
teardown(void **state)
{
	(void)state;
	(void)test_desk_open_ticket;   /* test_desk.h's; no tickets here */
	test_desk_close(&d);
	return 0;
}

static enum auth_rc
try_login(const char *email, const char *password, const char *addr,
          const char *device, int64_t now, struct login_grant *g)
{
	struct login_attempt a = {email, password, addr, device, &v, now};
	return auth_login(d.db, &a, g);
}

static int64_t
user_id(const char *email)
{
	int64_t id = 0;
	assert_int_equal(store_get_int(d.db, "SELECT id FROM users WHERE email = $1",
	                               STORE_PARAMS(SP_T(email)), &id),
	                 STORE_OK);
	return id;
}

static void
test_device_cookie(void **state)
{
	(void)state;
	char c[DEVICE_COOKIE_LEN], bad[DEVICE_COOKIE_LEN];
	int64_t issued = 0;
	assert_int_equal(device_cookie_make(&v, 42, T0, c), 0);
	assert_true(device_cookie_check(&v, c, 42, T0 + 60, &issued));
	assert_int_equal(issued, T0);
	assert_false(device_cookie_check(&v, c, 43, T0 + 60, &issued));
	assert_false(device_cookie_check(&v, c, 42, T0 + DEVICE_TTL_S + 1, &issued));
	assert_false(device_cookie_check(&v, c, 42, T0 - 1, &issued));
	strcpy(bad, c);
	bad[5] = bad[5] == 'A' ? 'B' : 'A';
	assert_false(device_cookie_check(&v, bad, 42, T0 + 60, &issued));
	assert_false(device_cookie_check(&v, "", 42, T0, &issued));
	assert_false(device_cookie_check(&v, NULL, 42, T0, &issued));
	struct vault other;
	memset(other.key, 8, sizeof other.key);
	assert_false(device_cookie_check(&other, c, 42, T0 + 60, &issued));
}

static void
test_account_backoff_and_known_browser(void **state)
{
	(void)state;
	struct login_grant g;
	int64_t now = T0 + 100;
	/* A login from the owner's browser earlier: it gets a device cookie. */
	assert_int_equal(try_login(VICTIM, DEMO_PASSWORD, "203.0.113.1", NULL, now, &g),
	                 AUTH_OK);
	char device[DEVICE_COOKIE_LEN];
	strcpy(device, g.device);
	assert_true(device[0] != '\0');
	/* Five free failures from five addresses, then back-off: even the
	 * right password waits. */
	for (int i = 0; i < THROTTLE_FREE; i++) {
		char addr[32];
		snprintf(addr, sizeof addr, "198.51.100.%d", i + 1);
		assert_int_equal(try_login(VICTIM, "wrong wrong", addr, NULL, now, &g),
		                 AUTH_DENIED);
	}
	assert_int_equal(try_login(VICTIM, DEMO_PASSWORD, "198.51.100.9", NULL, now, &g),
	                 AUTH_THROTTLED);
	assert_int_equal(g.retry_after_s, THROTTLE_BASE_S);
	assert_true(g.token[0] == '\0' && g.device[0] == '\0');
	/* Doubling: one more failure after the wait, twice the wait. */
	now += THROTTLE_BASE_S;
	assert_int_equal(try_login(VICTIM, "wrong wrong", "198.51.100.9", NULL, now, &g),
	                 AUTH_DENIED);
	assert_int_equal(try_login(VICTIM, DEMO_PASSWORD, "198.51.100.9", NULL, now + 1, &g),
	                 AUTH_THROTTLED);
	assert_int_equal(g.retry_after_s, 2 * THROTTLE_BASE_S - 1);
	/* Another account's cookie, or a forged one, is no known browser. */
	char foreign[DEVICE_COOKIE_LEN];
	assert_int_equal(device_cookie_make(&v, user_id(OTHER), now, foreign), 0);
	assert_int_equal(try_login(VICTIM, DEMO_PASSWORD, "198.51.100.9", foreign, now + 1, &g),
	                 AUTH_THROTTLED);
	/* The owner's browser passes; its own mistakes count on it alone. */
	assert_int_equal(try_login(VICTIM, "typo typo", "203.0.113.1", device, now + 1, &g),
	                 AUTH_DENIED);
	assert_int_equal(try_login(VICTIM, DEMO_PASSWORD, "203.0.113.1", device, now + 1, &g),
	                 AUTH_OK);
	assert_true(g.token[0] && g.device[0]);
	int64_t n = -1;
	assert_int_equal(store_get_int(d.db, "SELECT COUNT(*) FROM login_throttle "
	                                     "WHERE key LIKE 'user:%' OR key LIKE 'device:%'",
	                               STORE_NO_PARAMS, &n),
	                 STORE_OK);
	assert_int_equal(n, 0);   /* a success clears account and browser */
}

static void
test_address_window(void **state)
{
	(void)state;
	struct login_grant g;
	int64_t now = T0 + 10000;
	/* 30 failures on 30 accounts (none exists) from one /64. */
	for (int i = 0; i < THROTTLE_ADDR_MAX; i++) {
		char email[64], addr[64];
		snprintf(email, sizeof email, "nadie%d@example.invalid", i);
		snprintf(addr, sizeof addr, "2001:db8:5:6::%x", i + 1);
		assert_int_equal(try_login(email, "x-x-x-x-x", addr, NULL, now, &g),
		                 AUTH_DENIED);
	}
	assert_int_equal(try_login(OTHER, DEMO_PASSWORD, "2001:db8:5:6:ffff::1", NULL, now, &g),
	                 AUTH_THROTTLED);
	assert_int_equal(g.retry_after_s, THROTTLE_WINDOW_S);
	/* Another /64 and another IPv4 address are not held. */
	assert_int_equal(try_login(OTHER, DEMO_PASSWORD, "2001:db8:5:7::1", NULL, now, &g),
	                 AUTH_OK);
	/* The window ends. */
	assert_int_equal(try_login(OTHER, DEMO_PASSWORD, "2001:db8:5:6::1", NULL,
	                           now + THROTTLE_WINDOW_S, &g),
	                 AUTH_OK);
	/* A day later, the next failure prunes every row untouched since. */
	now += THROTTLE_FORGET_S + 1;
	assert_int_equal(try_login("x@example.invalid", "x-x-x-x-x", "192.0.2.1", NULL, now, &g),
	                 AUTH_DENIED);
	int64_t n = -1;
	assert_int_equal(store_get_int(d.db, "SELECT COUNT(*) FROM login_throttle",
	                               STORE_NO_PARAMS, &n),
	                 STORE_OK);
	assert_int_equal(n, 2);   /* that e-mail and that address */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_cookie),
		cmocka_unit_test(test_account_backoff_and_known_browser),
		cmocka_unit_test(test_address_window),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
