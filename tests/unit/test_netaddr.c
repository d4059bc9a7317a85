/*
 * test_netaddr.c - addresses, ranges and the client behind trusted
 * proxies: only a trusted peer's header is read, the right-most address
 * not itself a trusted proxy is the client, and a forged or malformed
 * entry left of the real client changes nothing.
 */
#include "util/netaddr.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

static struct net_addr
A(const char *text)
{
	struct net_addr a;
	assert_int_equal(net_addr_parse(text, strlen(text), &a), 0);
	return a;
}

static const char *
fmt(const struct net_addr *a)
{
	static char out[NETADDR_TEXT_MAX];
	net_addr_format(a, out);
	return out;
}

static void
test_parse(void **state)
{
	(void)state;
	struct net_addr a;
	const char *good[] = {"192.0.2.1", "192.0.2.1:8080", "2001:db8::1",
	                      "[2001:db8::1]", "[2001:db8::1]:443", "::1",
	                      "::ffff:10.1.2.3"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_int_equal(net_addr_parse(good[i], strlen(good[i]), &a), 0);
	const char *bad[] = {"", "unknown", "_hidden", "192.0.2", "192.0.2.1:",
	                     "192.0.2.1:8x", "[2001:db8::1", "[::1]x", "1.2.3.4.5",
	                     "example.org", "2001:db8::g", "300.1.1.1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(net_addr_parse(bad[i], strlen(bad[i]), &a), -1);
	a = A("::ffff:10.1.2.3");
	assert_int_equal(a.family, 4);
	assert_string_equal(fmt(&a), "10.1.2.3");
	a = A("[2001:db8::1]:443");
	assert_string_equal(fmt(&a), "2001:db8::1");
	assert_true(net_addr_is_loopback(&(struct net_addr){0}) == 0);
	a = A("127.0.0.2");
	assert_true(net_addr_is_loopback(&a));
	a = A("::1");
	assert_true(net_addr_is_loopback(&a));
	a = A("10.0.0.1");
	assert_false(net_addr_is_loopback(&a));
}

static void
test_cidr(void **state)
{
	(void)state;
	struct net_cidr c[3];
	assert_int_equal(net_cidr_parse("10.0.0.0/8", &c[0]), 0);
	assert_int_equal(net_cidr_parse("2001:db8:1::/48", &c[1]), 0);
	assert_int_equal(net_cidr_parse("192.0.2.7", &c[2]), 0);
	struct net_addr a = A("10.200.3.4");
	assert_true(net_cidr_match(c, 3, &a));
	a = A("::ffff:10.0.0.9");
	assert_true(net_cidr_match(c, 3, &a));
	a = A("11.0.0.1");
	assert_false(net_cidr_match(c, 3, &a));
	a = A("2001:db8:1:ffff::5");
	assert_true(net_cidr_match(c, 3, &a));
	a = A("2001:db8:2::5");
	assert_false(net_cidr_match(c, 3, &a));
	a = A("192.0.2.7");
	assert_true(net_cidr_match(c, 3, &a));
	a = A("192.0.2.8");
	assert_false(net_cidr_match(c, 3, &a));
	struct net_cidr x;
	const char *bad[] = {"10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "/8",
	                     "10.0.0.0/8x", "1.2.3.4:80", "[::1]", "::/129",
	                     "nothing", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(net_cidr_parse(bad[i], &x), -1);
	assert_int_equal(net_cidr_parse("0.0.0.0/0", &x), 0);
	a = A("203.0.113.9");
	assert_true(net_cidr_match(&x, 1, &a));
}

static const char *
client(const char *peer, const char *header, enum net_forward_header kind)
{
	struct net_cidr t[2];
	assert_int_equal(net_cidr_parse("10.0.0.0/8", &t[0]), 0);
	assert_int_equal(net_cidr_parse("2001:db8::/32", &t[1]), 0);
	struct net_addr p = A(peer), out;
	net_client_addr(&p, header, kind, t, 2, &out);
	return fmt(&out);
}

static void
test_client_behind_proxies(void **state)
{
	(void)state;
	/* An untrusted peer's header is not read. */
	assert_string_equal(client("198.51.100.1", "127.0.0.1", NET_XFF),
	                    "198.51.100.1");
	/* One proxy. */
	assert_string_equal(client("10.0.0.2", "203.0.113.5", NET_XFF),
	                    "203.0.113.5");
	/* The client forged entries on the left: they are never reached. */
	assert_string_equal(client("10.0.0.2", "127.0.0.1, 1.1.1.1 ,203.0.113.5",
	                           NET_XFF),
	                    "203.0.113.5");
	/* Two trusted proxies in a row, then the client. */
	assert_string_equal(client("10.0.0.2", "203.0.113.5, 10.9.9.9", NET_XFF),
	                    "203.0.113.5");
	/* Garbage right after the trusted hops: the last trusted hop. */
	assert_string_equal(client("10.0.0.2", "x, 10.9.9.9", NET_XFF), "10.9.9.9");
	assert_string_equal(client("10.0.0.2", "nonsense", NET_XFF), "10.0.0.2");
	/* Only trusted hops: the left-most one. */
	assert_string_equal(client("10.0.0.2", "10.1.1.1, 10.2.2.2", NET_XFF),
	                    "10.1.1.1");
	assert_string_equal(client("10.0.0.2", NULL, NET_XFF), "10.0.0.2");
	/* RFC 7239 */
	assert_string_equal(client("10.0.0.2",
	                           "for=127.0.0.1, for=192.0.2.60;proto=http;by=10.0.0.2",
	                           NET_FORWARDED),
	                    "192.0.2.60");
	assert_string_equal(client("2001:db8::7",
	                           "For=\"[2001:db9::17]:4711\", for=10.3.3.3",
	                           NET_FORWARDED),
	                    "2001:db9::17");
	assert_string_equal(client("10.0.0.2", "for=unknown", NET_FORWARDED),
	                    "10.0.0.2");
	assert_string_equal(client("10.0.0.2", "proto=https", NET_FORWARDED),
	                    "10.0.0.2");
	/* The header of the other kind is not an address list of this kind. */
	assert_string_equal(client("10.0.0.2", "203.0.113.5", NET_FORWARDED),
	                    "10.0.0.2");
}

static void
test_throttle_key(void **state)
{
	(void)state;
	char k[NETADDR_TEXT_MAX + 4];
	struct net_addr a = A("2001:db8:1:2:aaaa:bbbb:cccc:dddd");
	net_addr_throttle_key(&a, k);
	assert_string_equal(k, "2001:db8:1:2::/64");
	a = A("203.0.113.5");
	net_addr_throttle_key(&a, k);
	assert_string_equal(k, "203.0.113.5");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_client_behind_proxies),
		cmocka_unit_test(test_throttle_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
