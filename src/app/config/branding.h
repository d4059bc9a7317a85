/*
 * branding.h - who the mail is from, as people read it: the company's
 * name and phone in the signature, the console's address in links.
 *
 * From the installation's settings ([branding] company_name and phone,
 * [http] public_url; settings.h), else from the policy: its name before
 * " - " (the file's name is "COMPANY - TITLE": the title is not the
 * signer) and its [contact] phone; the console defaults to where
 * `soporte serve` listens by default.
 */
#ifndef SOPORTE_APP_BRANDING_H
#define SOPORTE_APP_BRANDING_H

#include "core/policy.h"

#include <stddef.h>
#include <stdint.h>

#define BRANDING_TEXT_MAX 256
#define BRANDING_DEFAULT_URL "http://127.0.0.1:8080"

struct branding {
	char company[BRANDING_TEXT_MAX];   /* "PRODEQUA S.A.C." */
	char phone[BRANDING_TEXT_MAX];     /* "01 277 5569" */
	int phone_after_email;             /* the policy's "previo envío de
	                                      correo" (R10) */
	char base_url[BRANDING_TEXT_MAX];  /* "https://host", no trailing '/' */
};

/* Fills b from the current settings and pol. */
void branding_get(const struct policy *pol, struct branding *b);

/* The console's absolute address of ticket number ("BASE/tickets/N");
 * number 0: the console's queue ("BASE/queue"). */
void branding_ticket_url(const struct branding *b, int64_t number, char *out,
                         size_t len);

#endif
