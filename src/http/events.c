/*
 * events.c - GET /api/events: Server-Sent Events from the live_events
 * table, one hub thread polling for all streams (see events.h).
 *
 * Locking: one mutex (hub.lock) guards every stream's queue and flags.
 * The content callback suspends its connection with the lock held, and
 * the hub resumes one only with the lock held and only when it is marked
 * suspended, so a resume never comes before its suspend. A suspended
 * connection is never closed by libmicrohttpd (it does not read it), so
 * the connection a stream names is alive whenever the hub resumes it;
 * when the connection ends, the response's free callback marks the
 * stream gone (without the lock) and the hub frees it on its next turn.
 */
#include "http/events.h"
#include "http/api_handlers.h"
#include "app/ticket/live_events.h"
#include "util/buf.h"
#include "util/log.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define QUEUE_MAX (256 * 1024)  /* a reader this far behind is dropped */
#define BATCH 256

struct stream {
	struct stream *next;
	struct MHD_Connection *conn;
	struct principal who;
	char session[72];       /* whose caps it counts against */
	int64_t cursor;         /* the last event looked at */
	struct buf out;         /* queued, from sent on */
	size_t sent;
	time_t opened, last_write;
	int suspended;
	int closing;            /* end the response once out is sent */
	atomic_int gone;        /* the connection ended: free me */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int running, stop;
	struct stream *head;
	int count;
	struct desk desk;
	char url[1024];
} hub = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* Under hub.lock: wakes a stream that has something to send or must end. */
static void
kick(struct stream *s)
{
	if (s->suspended && (s->out.len > s->sent || s->closing)) {
		s->suspended = 0;
		MHD_resume_connection(s->conn);
	}
}

static int
may_see(const struct stream *s, const struct live_event *e)
{
	struct authz_object o = {e->client_id, e->assignee_id};
	if (authz_decide(&s->who, AZ_TICKET_READ, &o) != AUTHZ_ALLOW)
		return 0;
	return authz_decide(&s->who, AZ_INTERNAL_READ, &o) == AUTHZ_ALLOW ||
	       live_event_for_clients(e->action);
}

static int
plain_word(const char *w)
{
	return *w && strspn(w, "abcdefghijklmnopqrstuvwxyz_.") == strlen(w);
}

/* Under hub.lock: queues the events of evs[0..n) s has not looked at. */
static void
feed(struct stream *s, const struct live_event *evs, int n, time_t now)
{
	for (int i = 0; i < n; i++) {
		const struct live_event *e = &evs[i];
		if (e->id <= s->cursor)
			continue;
		s->cursor = e->id;
		/* The action and state are the desk's own words ([a-z._]):
		 * nothing to escape; anything else is not sent. */
		if (!may_see(s, e) || !plain_word(e->action) || !plain_word(e->state))
			continue;
		if (buf_printf(&s->out,
		               "id: %" PRId64 "\ndata: {\"id\":%" PRId64
		               ",\"kind\":\"%s\",\"number\":%" PRId64
		               ",\"severity\":%d,\"state\":\"%s\",\"at\":%" PRId64
		               ",\"mine\":%s}\n\n",
		               e->id, e->id, e->action, e->number, e->severity,
		               e->state, e->at,
		               e->actor_user_id == s->who.user_id ? "true" : "false") !=
		    BUF_OK)
			s->closing = 1;
	}
	if (now - s->last_write >= EVENTS_HEARTBEAT_S && s->out.len == s->sent) {
		buf_puts(&s->out, ": keep-alive\n\n");
		s->last_write = now;
	}
	if (now - s->opened >= EVENTS_LIFETIME_S)
		s->closing = 1;
}

/* Under hub.lock: frees the streams whose connection ended; returns the
 * smallest cursor of the others (INT64_MAX when none). */
static int64_t
reap(void)
{
	int64_t min = INT64_MAX;
	for (struct stream **p = &hub.head; *p;) {
		struct stream *s = *p;
		if (atomic_load(&s->gone)) {
			*p = s->next;
			buf_free(&s->out);
			free(s);
			hub.count--;
			continue;
		}
		if (!s->closing && s->cursor < min)
			min = s->cursor;
		p = &s->next;
	}
	return min;
}

static void *
hub_main(void *arg)
{
	(void)arg;
	static struct live_event evs[BATCH];
	int warned = 0;
	time_t pruned = 0;
	pthread_mutex_lock(&hub.lock);
	while (!hub.stop) {
		int64_t min = reap();
		int n = 0;
		if (min != INT64_MAX) {
			pthread_mutex_unlock(&hub.lock);
			char err[256];
			enum store_rc rc = STORE_OK;
			if (hub.desk.db == NULL)
				rc = desk_connect(&hub.desk, hub.url, err, sizeof err);
			if (rc == STORE_OK)
				rc = live_events_since(hub.desk.db, min, evs, BATCH, &n);
			/* Old events go, now and then (any server may: the
			 * same rows, whoever deletes them). */
			if (rc == STORE_OK && time(NULL) - pruned >= EVENTS_PRUNE_EVERY_S) {
				pruned = time(NULL);
				if (live_events_prune(hub.desk.db, pruned - EVENTS_KEEP_S) !=
				    STORE_OK)
					log_warn("events: cannot prune: %s",
					         desk_errmsg(&hub.desk));
			}
			if (rc != STORE_OK) {
				n = 0;
				if (!warned++)
					log_warn("events: cannot read live events: %s",
					         hub.desk.db ? desk_errmsg(&hub.desk) : err);
				desk_close(&hub.desk);
			} else {
				warned = 0;
			}
			pthread_mutex_lock(&hub.lock);
		}
		time_t now = time(NULL);
		for (struct stream *s = hub.head; s; s = s->next) {
			if (atomic_load(&s->gone))
				continue;
			feed(s, evs, n, now);
			if (s->out.len - s->sent > QUEUE_MAX)
				s->closing = 1;
			kick(s);
		}
		/* A full batch: more are waiting, read on at once. */
		if (n == BATCH)
			continue;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += EVENTS_POLL_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&hub.wake, &hub.lock, &until);
	}
	pthread_mutex_unlock(&hub.lock);
	desk_close(&hub.desk);
	return NULL;
}

int
events_start(const char *db_url)
{
	snprintf(hub.url, sizeof hub.url, "%s", db_url);
	hub.stop = 0;
	if (pthread_create(&hub.thread, NULL, hub_main, NULL) != 0) {
		log_error("serve: cannot start the live events' thread");
		return -1;
	}
	hub.running = 1;
	return 0;
}

void
events_stop(void)
{
	if (!hub.running)
		return;
	pthread_mutex_lock(&hub.lock);
	hub.stop = 1;
	for (struct stream *s = hub.head; s; s = s->next) {
		s->closing = 1;
		if (!atomic_load(&s->gone))
			kick(s);
	}
	pthread_cond_signal(&hub.wake);
	pthread_mutex_unlock(&hub.lock);
	pthread_join(hub.thread, NULL);
	hub.running = 0;
}

void
events_free(void)
{
	pthread_mutex_lock(&hub.lock);
	while (hub.head) {
		struct stream *s = hub.head;
		hub.head = s->next;
		buf_free(&s->out);
		free(s);
	}
	hub.count = 0;
	pthread_mutex_unlock(&hub.lock);
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct stream *s = cls;
	ssize_t n = 0;
	pthread_mutex_lock(&hub.lock);
	size_t left = s->out.len - s->sent;
	if (left > 0) {
		n = (ssize_t)(left < max ? left : max);
		memcpy(out, s->out.data + s->sent, (size_t)n);
		s->sent += (size_t)n;
		if (s->sent == s->out.len) {
			buf_reset(&s->out);
			s->sent = 0;
		}
		s->last_write = time(NULL);
	} else if (s->closing) {
		n = MHD_CONTENT_READER_END_OF_STREAM;
	} else {
		/* Nothing yet: off the worker thread until the hub has some. */
		s->suspended = 1;
		MHD_suspend_connection(s->conn);
	}
	pthread_mutex_unlock(&hub.lock);
	return n;
}

static void
stream_gone(void *cls)
{
	struct stream *s = cls;
	atomic_store(&s->gone, 1);
}

struct MHD_Response *
events_response(struct MHD_Connection *c, const struct api_req *q,
                const struct api_resp *r, int *full)
{
	*full = 0;
	struct stream *s = calloc(1, sizeof *s);
	if (s == NULL)
		return NULL;
	s->conn = c;
	s->who = q->who;
	if (q->who.via_token)
		snprintf(s->session, sizeof s->session, "user:%" PRId64,
		         q->who.user_id);
	else
		snprintf(s->session, sizeof s->session, "session:%s",
		         q->session_token);
	s->cursor = r->stream_after;
	s->out = (struct buf)BUF_INIT(QUEUE_MAX * 2);
	s->opened = s->last_write = time(NULL);
	/* Reconnect after 2 s when the stream ends; the first bytes go out
	 * at once, so the browser knows the stream is open. */
	buf_puts(&s->out, "retry: 2000\n: soporte live events\n\n");

	pthread_mutex_lock(&hub.lock);
	int mine = 0;
	for (struct stream *o = hub.head; o; o = o->next)
		if (!atomic_load(&o->gone) && !o->closing &&
		    strcmp(o->session, s->session) == 0)
			mine++;
	if (!hub.running || hub.count >= EVENTS_MAX || mine >= EVENTS_PER_SESSION) {
		pthread_mutex_unlock(&hub.lock);
		buf_free(&s->out);
		free(s);
		*full = 1;
		return NULL;
	}
	struct MHD_Response *resp = MHD_create_response_from_callback(
	    MHD_SIZE_UNKNOWN, 4096, stream_read, s, stream_gone);
	if (resp == NULL) {
		pthread_mutex_unlock(&hub.lock);
		buf_free(&s->out);
		free(s);
		return NULL;
	}
	MHD_add_response_header(resp, "Content-Type", "text/event-stream; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");   /* proxies */
	s->next = hub.head;
	hub.head = s;
	hub.count++;
	pthread_mutex_unlock(&hub.lock);
	return resp;
}

void
h_events(struct api_req *q, struct api_resp *r)
{
	int64_t last;
	enum store_rc rc = live_events_last(q->desk->db, &last);
	if (rc != STORE_OK) {
		api_fail(q, r, rc);
		return;
	}
	int64_t after = last;
	if (q->last_event_id && q->last_event_id[0]) {
		const char *p = q->last_event_id;
		int64_t v = 0;
		int digits = 0;
		for (; *p >= '0' && *p <= '9' && digits < 18; p++, digits++)
			v = v * 10 + (*p - '0');
		if (digits == 0 || *p) {
			api_error(r, 400, "invalid_header",
			          "Last-Event-ID is not the id of an event");
			return;
		}
		/* A stream resumed long after catches up a bounded number. */
		after = v > last ? last : v;
		if (after < last - EVENTS_REPLAY_MAX)
			after = last - EVENTS_REPLAY_MAX;
	}
	r->status = 200;
	r->event_stream = 1;
	r->stream_after = after;
}
