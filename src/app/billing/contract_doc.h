/*
 * contract_doc.h - the contract document (issue 18; R12): "Prodequa SAC
 * elaborará un contrato donde se incluya el tipo de plan de soporte, su
 * vigencia y el/los productos que incluye", generated from data so it
 * always matches what the desk enforces: the contract (client, plan,
 * validity, products, hourly rate) from the database, and from the
 * policy the plan's terms, the response time of each severity of the
 * policy version in force today (R6, R12), the business hours, the
 * exclusions (R5) and the channels (R1, R10).
 */
#ifndef SOPORTE_APP_CONTRACT_DOC_H
#define SOPORTE_APP_CONTRACT_DOC_H

#include "app/base/app_rc.h"
#include "core/policy.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct calendar;

/* The document's data as JSON in *out; APP_REFUSED when no contract has
 * the id. *client_id receives the contract's client (for the doors'
 * authorization). */
enum app_rc contract_doc_json(struct store *db, const struct policy *pol,
                              const struct calendar *cal, int64_t id,
                              int64_t now, json_t **out, int64_t *client_id);

/* The document as PDF (src/render), words from
 * templates/LANG/contract.lines, lang "es" (default) or "en": dates
 * dd/mm/aaaa, the rate as "S/ 1,234.50". Returns 0 or -1. */
int contract_doc_pdf(const struct policy *pol, json_t *doc, const char *lang,
                     unsigned char **pdf, size_t *len);

#endif
