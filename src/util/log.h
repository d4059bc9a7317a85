/*
 * log.h - one-line diagnostics on stderr.
 *
 * Levels mean one thing each:
 *   log_info   what happened, for the operator (suppressed by --quiet)
 *   log_warn   something went wrong and we carry on
 *   log_error  a command failed; the caller returns an exit code
 *   log_panic  an invariant broke: prints and aborts
 * Every line is "soporte: LEVEL: message"; messages never hold secrets.
 */
#ifndef SOPORTE_UTIL_LOG_H
#define SOPORTE_UTIL_LOG_H

void log_set_quiet(int quiet);
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void log_panic(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

#endif
