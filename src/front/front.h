/*
 * front.h - the `soporte` executable: a light front for the full program.
 *
 * Starting the full program (src/cli, `soporte-main`) costs ~20 ms: it
 * links libcurl, libpq, libical, GMime and their ~59 shared libraries,
 * and the dynamic loader spends most of that time relocating them. An MTA
 * starts one process per message, so `soporte mailgate` was bound by it.
 * This front links only libc, SQLite and libsodium: it runs the mail
 * gate's fast path itself (gate.c) and execs the full program, same PID,
 * same argv, for everything else (docs/mail.md, "How the gate works").
 */
#ifndef SOPORTE_FRONT_H
#define SOPORTE_FRONT_H

#include <stddef.h>

/* The full program's file name, next to the front's own executable. */
#define FRONT_MAIN_NAME "soporte-main"

/* Execs the full program with argv plus the extra arguments (NULL-ended
 * list, may be empty); returns only on failure, with a sysexits code. */
int front_exec_main(int argc, char **argv, const char *const *extra);

/* Execs the full program with the message in data on its standard input
 * (the front read it already); returns only on failure. */
int front_exec_main_with_input(int argc, char **argv, const char *data,
                               size_t len);

/* The database URL the full program would use when --db is not given
 * (config: --config's value or NULL), into out: 1 found, 0 none (the
 * default applies), -1 unsure (leave it to the full program). */
int front_db_url(const char *config, char *out, size_t len);

/* Runs `soporte ... mailgate ...` when the fast path applies (a SQLite
 * database, no options it does not know); returns an exit status, or -1
 * to hand the whole command line to the full program untouched. */
int gate_run(int argc, char **argv);

#endif
