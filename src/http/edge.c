/*
 * edge.c - client address, connections per address, framing (see edge.h).
 */
#include "http/edge.h"
#include "app/config/settings.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

static const struct settings *cfg;

/* Open connections per address: at most EDGE_MAX_CONNECTIONS addresses
 * hold one at a time (the daemon's limit), so a flat table scanned under
 * a lock is enough; a slot with no connection is free (family 0). */
static struct {
	struct net_addr a;
	unsigned n;
} slots[EDGE_MAX_CONNECTIONS + 24];
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;

/* Every open connection, for the header deadline: its socket, and since
 * when it waits for a request's headers (0: it is not waiting). A
 * connection's socket context points at its entry; the entry is freed
 * (under the lock) before the daemon closes the socket, so edge_reap()
 * never shuts down a descriptor that was reused. */
struct conn {
	MHD_socket fd;
	int used;
	time_t waiting_since;   /* CLOCK_MONOTONIC seconds, 0: not waiting */
};
static struct conn conns[EDGE_MAX_CONNECTIONS + 24];
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;

static time_t
mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + 1;   /* never 0 */
}

/* Takes (started) or frees (closed) the connection's entry. */
static void
track(struct MHD_Connection *c, void **socket_context, int started)
{
	pthread_mutex_lock(&conns_lock);
	if (started) {
		const union MHD_ConnectionInfo *fi =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = NULL;
		for (size_t i = 0; fi && i < sizeof conns / sizeof conns[0]; i++) {
			if (conns[i].used)
				continue;
			conns[i] = (struct conn){fi->connect_fd, 1, mono_now()};
			*socket_context = &conns[i];
			break;
		}
	} else if (*socket_context) {
		((struct conn *)*socket_context)->used = 0;
		*socket_context = NULL;
	}
	pthread_mutex_unlock(&conns_lock);
}

static void
set_waiting(struct MHD_Connection *c, int waiting)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci == NULL || ci->socket_context == NULL)
		return;
	pthread_mutex_lock(&conns_lock);
	((struct conn *)ci->socket_context)->waiting_since =
	    waiting ? mono_now() : 0;
	pthread_mutex_unlock(&conns_lock);
}

void
edge_headers_in(struct MHD_Connection *c)
{
	set_waiting(c, 0);
}

void
edge_answered(struct MHD_Connection *c)
{
	set_waiting(c, 1);
}

unsigned
edge_reap(void)
{
	long limit = cfg ? cfg->header_timeout : 0;
	unsigned n = 0;
	if (limit <= 0)
		return 0;
	time_t now = mono_now();
	pthread_mutex_lock(&conns_lock);
	for (size_t i = 0; i < sizeof conns / sizeof conns[0]; i++) {
		struct conn *k = &conns[i];
		if (k->used && k->waiting_since && now - k->waiting_since > limit) {
			shutdown(k->fd, SHUT_RDWR);
			k->waiting_since = 0;
			n++;
		}
	}
	pthread_mutex_unlock(&conns_lock);
	return n;
}

void
edge_init(const struct settings *s)
{
	cfg = s;
}

static void
from_sockaddr(const struct sockaddr *sa, struct net_addr *a)
{
	static const uint8_t mapped[12] = {[10] = 0xff, [11] = 0xff};
	memset(a, 0, sizeof *a);
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;
		a->family = 4;
		memcpy(a->b, &in->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		a->family = 6;
		memcpy(a->b, &in6->sin6_addr, 16);
		if (memcmp(a->b, mapped, 12) == 0) {
			memmove(a->b, a->b + 12, 4);
			memset(a->b + 4, 0, 12);
			a->family = 4;
		}
	}
}

static int
trusted(const struct net_addr *a)
{
	return cfg && net_cidr_match(cfg->trusted_proxies,
	                             (size_t)cfg->ntrusted_proxies, a);
}

/* The slot of a (make: take a free one when there is none). */
static int
slot_of(const struct net_addr *a, int make)
{
	int free_slot = -1;
	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
		if (slots[i].n == 0) {
			if (free_slot < 0)
				free_slot = (int)i;
			continue;
		}
		if (slots[i].a.family == a->family && memcmp(slots[i].a.b, a->b, 16) == 0)
			return (int)i;
	}
	if (make && free_slot >= 0)
		slots[free_slot].a = *a;
	return make ? free_slot : -1;
}

enum MHD_Result
edge_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	(void)cls;
	(void)addrlen;
	struct net_addr a;
	from_sockaddr(addr, &a);
	if (trusted(&a))
		return MHD_YES;
	pthread_mutex_lock(&slots_lock);
	int i = slot_of(&a, 0);
	int ok = i < 0 || slots[i].n < EDGE_PER_ADDRESS;
	pthread_mutex_unlock(&slots_lock);
	return ok ? MHD_YES : MHD_NO;
}

void
edge_notify(void *cls, struct MHD_Connection *c, void **socket_context,
            enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	track(c, socket_context, code == MHD_CONNECTION_NOTIFY_STARTED);
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct net_addr a;
	from_sockaddr(ci ? ci->client_addr : NULL, &a);
	if (a.family == 0 || trusted(&a))
		return;
	pthread_mutex_lock(&slots_lock);
	int i = slot_of(&a, code == MHD_CONNECTION_NOTIFY_STARTED);
	if (i >= 0) {
		if (code == MHD_CONNECTION_NOTIFY_STARTED)
			slots[i].n++;
		else if (slots[i].n > 0)
			slots[i].n--;
	}
	pthread_mutex_unlock(&slots_lock);
}

/* The values of every header named name, joined by ", " in the order
 * received; at most the right-most part that fits. */
struct joined {
	const char *name;
	char text[2048];
	size_t len;
	int any;
};

static enum MHD_Result
join_header(void *cls, enum MHD_ValueKind kind, const char *key,
            const char *value)
{
	(void)kind;
	struct joined *j = cls;
	if (key == NULL || value == NULL || strcasecmp(key, j->name) != 0)
		return MHD_YES;
	size_t n = strlen(value), cap = sizeof j->text - 1;
	if (j->any && j->len + 2 <= cap) {
		memcpy(j->text + j->len, ", ", 2);
		j->len += 2;
	}
	if (n > cap) {
		value += n - cap;
		n = cap;
	}
	if (j->len + n > cap) {
		/* Keep the right-most entries that fit, whole. */
		size_t drop = j->len + n - cap;
		const char *comma = memchr(j->text + drop, ',', j->len - drop);
		drop = comma ? (size_t)(comma + 1 - j->text) : j->len;
		memmove(j->text, j->text + drop, j->len - drop);
		j->len -= drop;
	}
	memcpy(j->text + j->len, value, n);
	j->len += n;
	j->text[j->len] = '\0';
	j->any = 1;
	return MHD_YES;
}

int
edge_client(struct MHD_Connection *c, struct net_addr *peer,
            struct net_addr *client)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	from_sockaddr(ci ? ci->client_addr : NULL, peer);
	*client = *peer;
	if (!trusted(peer)) {
		static const char *const relay[] = {"X-Forwarded-For", "Forwarded",
		                                    "X-Real-IP"};
		for (size_t i = 0; i < sizeof relay / sizeof relay[0]; i++)
			if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, relay[i]))
				return 1;
		return 0;
	}
	struct joined j = {.name = cfg->forwarded_header == NET_FORWARDED
	                               ? "Forwarded"
	                               : "X-Forwarded-For"};
	MHD_get_connection_values(c, MHD_HEADER_KIND, join_header, &j);
	net_client_addr(peer, j.any ? j.text : NULL, cfg->forwarded_header,
	                cfg->trusted_proxies, (size_t)cfg->ntrusted_proxies,
	                client);
	return 0;
}

struct framing {
	const char *why;
	const char *length;   /* the first Content-Length */
};

static enum MHD_Result
check_framing(void *cls, enum MHD_ValueKind kind, const char *key,
              const char *value)
{
	(void)kind;
	struct framing *f = cls;
	if (key == NULL || value == NULL)
		return MHD_YES;
	if (strcasecmp(key, "Transfer-Encoding") == 0) {
		f->why = "Transfer-Encoding is not accepted: send the body with "
		         "Content-Length";
		return MHD_NO;
	}
	if (strcasecmp(key, "Content-Length") != 0)
		return MHD_YES;
	size_t n = strlen(value);
	if (n == 0 || n > 18 || strspn(value, "0123456789") != n) {
		f->why = "Content-Length must be a plain decimal number";
		return MHD_NO;
	}
	if (f->length && strcmp(f->length, value) != 0) {
		f->why = "two different Content-Length headers";
		return MHD_NO;
	}
	f->length = value;
	return MHD_YES;
}

const char *
edge_framing_error(struct MHD_Connection *c)
{
	struct framing f = {0};
	MHD_get_connection_values(c, MHD_HEADER_KIND, check_framing, &f);
	return f.why;
}

int
edge_uri_has_nul(const char *uri)
{
	return uri && strstr(uri, "%00") != NULL;
}
