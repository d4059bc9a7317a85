/*
 * intent.c - a client's reply, read for what it asks (see intent.h).
 */
#include "mail/intent.h"
#include "mail/text.h"
#include "util/buf.h"

#include <stddef.h>

/* Folded phrases (lowercase, no accents), strongest intent first. */
static const struct {
	enum reply_intent intent;
	const char *phrase;
} phrases[] = {
	{INTENT_PM, "project manager"},
	{INTENT_PM, "jefe de proyecto"},
	{INTENT_PM, "gerente de proyecto"},
	{INTENT_PM, "hablar con el pm"},
	{INTENT_RAISE, "subir la prioridad"},
	{INTENT_RAISE, "aumentar la prioridad"},
	{INTENT_RAISE, "elevar la prioridad"},
	{INTENT_RAISE, "mayor prioridad"},
	{INTENT_RAISE, "mas prioridad"},
	{INTENT_RAISE, "escalar el caso"},
	{INTENT_RAISE, "escalar el ticket"},
	{INTENT_RAISE, "raise the priority"},
	{INTENT_RAISE, "higher priority"},
	{INTENT_RAISE, "escalate"},
	{INTENT_NOT_SOLVED, "sigue fallando"},
	{INTENT_NOT_SOLVED, "sigue sin funcionar"},
	{INTENT_NOT_SOLVED, "sigue igual"},
	{INTENT_NOT_SOLVED, "sigue el problema"},
	{INTENT_NOT_SOLVED, "sigue apareciendo"},
	{INTENT_NOT_SOLVED, "persiste"},
	{INTENT_NOT_SOLVED, "todavia no funciona"},
	{INTENT_NOT_SOLVED, "aun no funciona"},
	{INTENT_NOT_SOLVED, "no se soluciono"},
	{INTENT_NOT_SOLVED, "no esta solucionado"},
	{INTENT_NOT_SOLVED, "no quedo solucionado"},
	{INTENT_NOT_SOLVED, "no se resolvio"},
	{INTENT_NOT_SOLVED, "no funciona"},
	{INTENT_NOT_SOLVED, "still not working"},
	{INTENT_NOT_SOLVED, "still failing"},
	{INTENT_NOT_SOLVED, "still broken"},
	{INTENT_NOT_SOLVED, "not fixed"},
	{INTENT_NOT_SOLVED, "not solved"},
	{INTENT_NOT_SOLVED, "does not work"},
	{INTENT_NOT_SOLVED, "doesn't work"},
	{INTENT_CONFIRM, "ya funciona"},
	{INTENT_CONFIRM, "funciona correctamente"},
	{INTENT_CONFIRM, "funciona bien"},
	{INTENT_CONFIRM, "quedo solucionado"},
	{INTENT_CONFIRM, "esta solucionado"},
	{INTENT_CONFIRM, "problema solucionado"},
	{INTENT_CONFIRM, "problema resuelto"},
	{INTENT_CONFIRM, "ya esta resuelto"},
	{INTENT_CONFIRM, "confirmo la solucion"},
	{INTENT_CONFIRM, "pueden cerrar"},
	{INTENT_CONFIRM, "puede cerrar"},
	{INTENT_CONFIRM, "cerrar el ticket"},
	{INTENT_CONFIRM, "it works now"},
	{INTENT_CONFIRM, "works now"},
	{INTENT_CONFIRM, "is fixed"},
	{INTENT_CONFIRM, "is solved"},
	{INTENT_CONFIRM, "you can close"},
};

enum reply_intent
reply_intent_of(const char *text, const char **phrase)
{
	*phrase = NULL;
	if (text == NULL)
		return INTENT_NONE;
	struct buf folded = BUF_INIT(256 * 1024);
	/* A text over the cap is read up to it: enough for any reply. */
	text_fold(text, &folded);
	enum reply_intent found = INTENT_NONE;
	for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++) {
		if (text_has_word(buf_str(&folded), phrases[i].phrase)) {
			found = phrases[i].intent;
			*phrase = phrases[i].phrase;
			break;
		}
	}
	buf_free(&folded);
	return found;
}

const char *
reply_intent_name(enum reply_intent i)
{
	static const char *const names[] = {"none", "confirm", "not_solved",
	                                    "raise", "project_manager"};
	return i <= INTENT_PM ? names[i] : "none";
}
