/*
 * intent.h - what a client's reply asks for, from its own words (R7, R9).
 *
 * SECURITY: the text is untrusted; this only reads it. The answer picks
 * which lifecycle command a reply runs; the state machine still decides
 * whether that command is allowed (a "gracias, ya funciona" on a ticket
 * that was never solved is just a message).
 *
 * Only the reply's own words count (the display text: quoted history and
 * signatures are gone), folded for matching (case and accents ignored).
 * When several intents match, the strongest wins: Project Manager, then
 * raise the priority, then not solved, then solved.
 */
#ifndef SOPORTE_MAIL_INTENT_H
#define SOPORTE_MAIL_INTENT_H

enum reply_intent {
	INTENT_NONE,
	INTENT_CONFIRM,        /* the solution works: close it (R9) */
	INTENT_NOT_SOLVED,     /* it still fails: reopen (R9) */
	INTENT_RAISE,          /* raise the priority (R7, first level) */
	INTENT_PM,             /* talk to the Project Manager (R7, second) */
};

/* The intent of reply text (UTF-8), and in *phrase the words that
 * decided it (static), or NULL. */
enum reply_intent reply_intent_of(const char *text, const char **phrase);
const char *reply_intent_name(enum reply_intent i);

#endif
