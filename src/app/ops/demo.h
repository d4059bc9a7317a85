/*
 * demo.h - a living demo desk for newcomers.
 *
 * demo_load() fills an empty database with realistic Peruvian clients,
 * their contacts and products, contracts of every plan (per event, Básica,
 * Empresarial), a client under warranty, one in monthly service, one in
 * post-production and one whose contract ran out; staff of every role;
 * client portal accounts; and tickets in several states with messages,
 * time entries, a pause and a contact attempt. Dates are relative to now,
 * so the demo looks current whenever it is loaded. Everything is written
 * in one transaction. Every demo account's password is DEMO_PASSWORD.
 *
 * Returns STORE_OK; STORE_CONSTRAINT when the database already has
 * clients (the demo never mixes with real data).
 */
#ifndef SOPORTE_APP_DEMO_H
#define SOPORTE_APP_DEMO_H

#include "core/calendar.h"
#include "core/policy.h"
#include "store/store.h"

#include <stdint.h>

#define DEMO_PASSWORD "soporte-demo"

enum store_rc demo_load(struct store *db, const struct policy *pol,
                        const struct calendar *cal, int64_t now);
/* demo_load() in its own transaction (rolled back when refused). */
enum store_rc demo_load_tx(struct store *db, const struct policy *pol,
                           const struct calendar *cal, int64_t now);

#endif
