/*
 * svc_notify.h - what the server tells systemd (sd_notify(3), libsystemd):
 * READY=1 once it listens, WATCHDOG=1 from its main loop when the unit
 * sets WatchdogSec=, RELOADING=1 and STOPPING=1, and a STATUS= line
 * `systemctl status` shows. Without $NOTIFY_SOCKET (not started by
 * systemd with Type=notify) every call does nothing.
 */
#ifndef SOPORTE_HTTP_SVC_NOTIFY_H
#define SOPORTE_HTTP_SVC_NOTIFY_H

/* READY=1 with STATUS=Listening on http://LISTEN. */
void svc_notify_ready(const char *listen);
/* WATCHDOG=1, when the watchdog is on, at most every half period; call
 * it from the main loop (every second). */
void svc_notify_alive(void);
/* RELOADING=1 (the server starts again in place, then says READY=1). */
void svc_notify_reloading(void);
/* STOPPING=1. */
void svc_notify_stopping(void);
/* STATUS=TEXT. */
void svc_notify_status(const char *text);

#endif
