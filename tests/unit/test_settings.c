/*
 * test_settings.c - the installation's configuration file: values land in
 * their fields, anything unknown or malformed is an error naming its line,
 * and nothing half-read is kept.
 */
#include "app/config/settings.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static char *
write_file(const char *text)
{
	static char path[64];
	strcpy(path, "/tmp/soporte-settings.XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void
test_values_land(void **state)
{
	(void)state;
	struct settings s;
	char err[512];
	char *p = write_file("; ours\n[mail]\ntrusted_authserv_id = mx.prodequa.example\n");
	assert_int_equal(settings_load(p, &s, err, sizeof err), 0);
	assert_string_equal(s.trusted_authserv_id, "mx.prodequa.example");
	unlink(p);
}

static void
test_trusted_proxies(void **state)
{
	(void)state;
	struct settings s;
	char err[512];
	char *p = write_file("[http]\ntrusted_proxies = 10.0.0.5, 2001:db8:1::/48\n"
	                     "trusted_proxies = 192.168.0.0/16\n"
	                     "forwarded_header = forwarded\n");
	assert_int_equal(settings_load(p, &s, err, sizeof err), 0);
	assert_int_equal(s.ntrusted_proxies, 3);
	assert_int_equal(s.forwarded_header, NET_FORWARDED);
	struct net_addr a;
	assert_int_equal(net_addr_parse("2001:db8:1:5::1", 15, &a), 0);
	assert_true(net_cidr_match(s.trusted_proxies, 3, &a));
	assert_int_equal(net_addr_parse("10.0.0.6", 8, &a), 0);
	assert_false(net_cidr_match(s.trusted_proxies, 3, &a));
	unlink(p);
	/* A malformed address names its line; so does an unknown header. */
	p = write_file("[http]\n\ntrusted_proxies = 10.0.0.5 10.0.0.300\n"
	               "forwarded_header = x-real-ip\n");
	assert_int_equal(settings_load(p, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, ":3: [http] trusted_proxies: '10.0.0.300' is "
	                            "not an address"));
	assert_non_null(strstr(err, ":4: [http] forwarded_header: 'x-real-ip'"));
	unlink(p);
	p = write_file("[http]\ntrusted_proxies = 10.0.0.1/8\n");
	assert_int_equal(settings_load(p, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, ":2: [http] trusted_proxies: '10.0.0.1/8'"));
	unlink(p);
}

static void
test_defaults_without_file(void **state)
{
	(void)state;
	assert_string_equal(settings_current()->trusted_authserv_id, "");
	assert_int_equal(settings_current()->ntrusted_proxies, 0);
	assert_int_equal(settings_current()->forwarded_header, NET_XFF);
}

static void
test_errors_name_their_line(void **state)
{
	(void)state;
	struct settings s;
	char err[512];
	char *p = write_file("[mail]\n\ntrusted_authserv_idd = x\n[web]\nport = 1\n");
	assert_int_equal(settings_load(p, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, ":3: unknown setting [mail] trusted_authserv_idd"));
	assert_non_null(strstr(err, ":5: unknown setting [web] port"));
	unlink(p);
	p = write_file("[mail]\nno equals sign here\n");
	assert_int_equal(settings_load(p, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, ":2: not an INI line"));
	unlink(p);
	assert_int_equal(settings_load("/nonexistent/soporte.conf", &s, err,
	                               sizeof err), -1);
	assert_non_null(strstr(err, "cannot read the configuration file"));
}

static void
test_notify_counts(void **state)
{
	(void)state;
	struct settings s;
	char err[512];
	char *p = write_file("[notify]\nwindow_minutes = 30\nhourly_cap = 0\n");
	assert_int_equal(settings_load(p, &s, err, sizeof err), 0);
	assert_int_equal(s.notify_window_minutes, 30);
	assert_int_equal(s.notify_hourly_cap, 0);
	unlink(p);
	p = write_file("[notify]\nwindow_minutes = quince\nhourly_cap = -1\n");
	assert_int_equal(settings_load(p, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, ":2: [notify] window_minutes must be a whole"));
	assert_non_null(strstr(err, ":3: [notify] hourly_cap must be a whole"));
	unlink(p);
	settings_defaults(&s);
	assert_int_equal(s.notify_window_minutes, 15);
	assert_int_equal(s.notify_hourly_cap, 20);
}

/* [dkim]: all three or none; a key that cannot be read stops the start. */
/* [branding] and [http] public_url: texts kept, the address checked and
 * its trailing '/' dropped (links append "/tickets/N"). */
static void
test_branding_and_public_url(void **state)
{
	(void)state;
	struct settings s;
	char err[512];
	char *p = write_file("[http]\npublic_url = https://soporte.example/\n"
	                     "[branding]\ncompany_name = Prodequa SAC\n"
	                     "phone = 01 277 5569\n");
	assert_int_equal(settings_load(p, &s, err, sizeof err), 0);
	assert_string_equal(s.public_url, "https://soporte.example");
	assert_string_equal(s.company_name, "Prodequa SAC");
	assert_string_equal(s.phone, "01 277 5569");
	unlink(p);
	p = write_file("[http]\npublic_url = soporte.example\n");
	assert_int_equal(settings_load(p, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, ":2: [http] public_url"));
	unlink(p);
}

static void
test_dkim_strict(void **state)
{
	(void)state;
	struct settings s;
	char err[512];
	char *p = write_file("[dkim]\ndomain = prodequa.example\nselector = s1\n");
	assert_int_equal(settings_load(p, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, ":3: [dkim] needs domain, selector and key_file"));
	unlink(p);
	p = write_file("[dkim]\ndomain = prodequa.example\nselector = s1\n"
	               "key_file = /nonexistent/dkim.pem\n");
	assert_int_equal(settings_load(p, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/dkim.pem cannot be read"));
	assert_null(s.dkim);
	unlink(p);
	/* The configuration file itself is no key. */
	static char self[128];
	p = write_file("[dkim]\ndomain = prodequa.example\nselector = s1\n");
	snprintf(self, sizeof self, "%s", p);
	FILE *f = fopen(self, "a");
	fprintf(f, "key_file = %s\n", self);
	fclose(f);
	assert_int_equal(settings_load(self, &s, err, sizeof err), -1);
	assert_non_null(strstr(err, "is not a usable RSA private key"));
	unlink(self);
	/* Without [dkim] nothing is signed. */
	p = write_file("[mail]\ntrusted_authserv_id = mx\n");
	assert_int_equal(settings_load(p, &s, err, sizeof err), 0);
	assert_null(s.dkim);
	unlink(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values_land),
		cmocka_unit_test(test_trusted_proxies),
		cmocka_unit_test(test_defaults_without_file),
		cmocka_unit_test(test_errors_name_their_line),
		cmocka_unit_test(test_notify_counts),
		cmocka_unit_test(test_dkim_strict),
		cmocka_unit_test(test_branding_and_public_url),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
