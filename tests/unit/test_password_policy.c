/*
 * test_password_policy.c - which passwords an account may have (issue
 * 15): the commonest ones, the same with digits or symbols around them,
 * and ones containing the account's e-mail or name words are refused;
 * long, unusual passwords pass.
 */
#include "app/access/password_policy.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#define EMAIL "dparedes@prodequa.example"
#define NAME "Diego Paredes Núñez"

static void
test_common(void **state)
{
	(void)state;
	const char *weak[] = {
	    "password123", "PASSWORD123", "1q2w3e4r5t", "qwertyuiop",
	    "Qwerty2024!!", "!!iloveyou2025", "123456789a", "Contraseña2025",
	    "  dragon  1234",
	};
	for (size_t i = 0; i < sizeof weak / sizeof weak[0]; i++) {
		const char *why = password_weakness(weak[i], EMAIL, NAME);
		if (why == NULL)
			fail_msg("'%s' was accepted", weak[i]);
		assert_non_null(strstr(why, "common"));
	}
}

static void
test_personal(void **state)
{
	(void)state;
	assert_non_null(password_weakness("soy-DParedes-2026", EMAIL, NAME));
	assert_non_null(password_weakness("mi-prodequa-segura", EMAIL, NAME));
	assert_non_null(password_weakness("diego-del-peru-77", EMAIL, NAME));
	assert_non_null(password_weakness("xx-núñez-de-lima", EMAIL, NAME));
	/* Parts of fewer than four letters are not checked. */
	assert_null(password_weakness("lima-y-ica-de-noche", "yo@ica.pe", "Yo"));
}

static void
test_acceptable(void **state)
{
	(void)state;
	const char *good[] = {
	    "una-clave-larga", "mar-de-grau-1879", "cordillera blanca 6768",
	    "Tr3s-Tristes-Tigres", "password-manager-rocks-42",
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		const char *why = password_weakness(good[i], EMAIL, NAME);
		if (why != NULL)
			fail_msg("'%s' was refused: %s", good[i], why);
	}
	assert_null(password_weakness("una-clave-larga", NULL, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_common),
		cmocka_unit_test(test_personal),
		cmocka_unit_test(test_acceptable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
