/*
 * test_mail_intent.c - what a client's reply asks for (R9 confirm/reopen,
 * R7 raise/Project Manager), table-driven.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "mail/intent.h"

static const struct {
	const char *name, *text;
	enum reply_intent want;
} rows[] = {
	{"R9 confirm es", "Gracias, ya funciona.", INTENT_CONFIRM},
	{"R9 confirm accents", "Quedó solucionado, pueden cerrar.", INTENT_CONFIRM},
	{"R9 confirm upper", "CONFIRMO LA SOLUCIÓN", INTENT_CONFIRM},
	{"R9 confirm en", "Thanks, it works now.", INTENT_CONFIRM},
	{"R9 not solved es", "El reporte sigue fallando.", INTENT_NOT_SOLVED},
	{"R9 not solved beats confirm", "Ayer ya funciona, hoy no funciona.", INTENT_NOT_SOLVED},
	{"R9 todavia", "Todavía no funciona el botón", INTENT_NOT_SOLVED},
	{"R9 en", "It is still not working.", INTENT_NOT_SOLVED},
	{"R9 past tense is not a claim", "Antes no funcionaba; ahora ya funciona.", INTENT_CONFIRM},
	{"R7 raise", "¿Pueden subir la prioridad? Es urgente.", INTENT_RAISE},
	{"R7 raise beats not solved", "Sigue fallando, necesitamos mayor prioridad", INTENT_RAISE},
	{"R7 pm", "Quiero hablar con el Project Manager.", INTENT_PM},
	{"R7 pm es", "Solicito comunicarme con el jefe de proyecto", INTENT_PM},
	{"nothing asked", "Adjunto las capturas que pidieron.", INTENT_NONE},
	{"empty", "", INTENT_NONE},
	{"word inside a word", "malfuncionamiento persistente", INTENT_NONE},
};

static void
R9_R7_reply_intents(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *phrase;
		enum reply_intent got = reply_intent_of(rows[i].text, &phrase);
		if (got != rows[i].want)
			fail_msg("%s: got %s, want %s", rows[i].name,
			         reply_intent_name(got), reply_intent_name(rows[i].want));
		assert_true((got == INTENT_NONE) == (phrase == NULL));
	}
	const char *phrase;
	assert_int_equal(reply_intent_of(NULL, &phrase), INTENT_NONE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(R9_R7_reply_intents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
