/*
 * svc_notify.c - what the server tells systemd (see svc_notify.h).
 */
#include "http/svc_notify.h"

#include <systemd/sd-daemon.h>

#include <stdint.h>
#include <stdio.h>
#include <time.h>

void
svc_notify_ready(const char *listen)
{
	sd_notifyf(0, "READY=1\nSTATUS=Listening on http://%s", listen);
}

void
svc_notify_alive(void)
{
	static uint64_t period_us;
	static int checked;
	static struct timespec last;
	if (!checked) {
		checked = 1;
		if (sd_watchdog_enabled(0, &period_us) <= 0)
			period_us = 0;
	}
	if (period_us == 0)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	uint64_t since = (uint64_t)(now.tv_sec - last.tv_sec) * 1000000u +
	                 (uint64_t)((now.tv_nsec - last.tv_nsec) / 1000);
	if (last.tv_sec != 0 && since < period_us / 2)
		return;
	last = now;
	sd_notify(0, "WATCHDOG=1");
}

void
svc_notify_reloading(void)
{
	sd_notify(0, "RELOADING=1\nSTATUS=Reloading: starting again in place");
}

void
svc_notify_stopping(void)
{
	sd_notify(0, "STOPPING=1\nSTATUS=Stopping");
}

void
svc_notify_status(const char *text)
{
	sd_notifyf(0, "STATUS=%s", text);
}
