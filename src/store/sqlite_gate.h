/*
 * sqlite_gate.h - the light mail gate's one write: a raw message into
 * raw_messages on a SQLite database, with nothing but SQLite and libc
 * (the `soporte` front links this, not the store; see src/front/front.h).
 *
 * In one IMMEDIATE transaction, with the store's durability
 * (sqlite_setup.h: WAL, synchronous=FULL; it returns after the commit is
 * on disk): INSERT the row as 'pending' under key, or find the row that
 * key already has (a second delivery); read whether a live intake worker
 * holds the lease 'intake' (app/intake/intake_worker.h) at wall_now.
 */
#ifndef SOPORTE_STORE_SQLITE_GATE_H
#define SOPORTE_STORE_SQLITE_GATE_H

#include <stddef.h>
#include <stdint.h>

enum sqlite_gate_rc {
	SQLITE_GATE_OK,
	SQLITE_GATE_BUSY,    /* nothing stored: the lock stayed taken */
	SQLITE_GATE_ERROR,   /* nothing stored: err says why */
};

struct sqlite_gate_row {
	int64_t raw_id;
	char disposition[24];   /* 'pending' for a new row */
	int worker;             /* 1: a worker holds the intake lease */
};

enum sqlite_gate_rc sqlite_gate_store(const char *url, const char *key,
                                      const char *sha256_hex,
                                      const char *envelope_to,
                                      const char *raw, size_t len,
                                      int64_t received_at, int64_t wall_now,
                                      struct sqlite_gate_row *out, char *err,
                                      size_t errlen);

#endif
