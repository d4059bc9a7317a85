/*
 * edge.h - what the server checks before a request reaches a handler:
 * who the client is (the peer, or behind a trusted proxy the address it
 * forwards), how many connections one address may hold, and whether the
 * request's framing is unambiguous (docs/security.md (part 3)).
 *
 * Connections: at most EDGE_PER_ADDRESS open connections per peer
 * address (a trusted proxy is exempt: it carries everyone), counted by
 * the daemon's accept policy and connection notifications; beyond it a
 * new connection is closed at once. With the daemon's idle timeout, one
 * address can no longer hold every connection slot.
 *
 * Headers: a request's whole headers must arrive within the setting
 * [http] header_timeout (20 s) of the connection's start or of the
 * previous answer on it; the idle timeout alone lets a sender keep a
 * connection forever with a byte every few seconds. libmicrohttpd 0.9.75
 * has no such deadline, so the server's main thread calls edge_reap()
 * every second, which shuts down the socket of each connection past it
 * (the daemon then sees the end of the stream and closes it).
 *
 * Framing: the body is framed by one Content-Length (digits only;
 * repeated only with the same value) or not at all. Transfer-Encoding is
 * refused outright (a request body in chunks has no use here and is the
 * half of every request-smuggling trick), and with it any chunk
 * extension. A %00 in the path or query is refused too. The server
 * answers these 400 and closes the connection.
 *
 * SECURITY: headers, the raw URI and the peer are untrusted; only parsed.
 */
#ifndef SOPORTE_HTTP_EDGE_H
#define SOPORTE_HTTP_EDGE_H

#include "util/netaddr.h"

#include <microhttpd.h>
#include <sys/socket.h>

#define EDGE_PER_ADDRESS 64u
#define EDGE_MAX_CONNECTIONS 1000u

struct settings;

/* Sets the trusted proxies and forwarding header (from the settings) for
 * the callbacks below; call before starting the daemon. */
void edge_init(const struct settings *s);

/* MHD_AcceptPolicyCallback: refuses a peer at its connection cap. */
enum MHD_Result edge_accept(void *cls, const struct sockaddr *addr,
                            socklen_t addrlen);
/* MHD_NotifyConnectionCallback: counts connections per address. */
void edge_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                 enum MHD_ConnectionNotificationCode code);

/* The request's headers are in (call from the access handler's first
 * call), and the request is answered (from the completion callback): the
 * header deadline stops, and starts again for the next request. */
void edge_headers_in(struct MHD_Connection *c);
void edge_answered(struct MHD_Connection *c);
/* Shuts down every connection whose headers are past the deadline;
 * returns how many. Call about once a second. */
unsigned edge_reap(void);

/* The connection's peer, and the client: the peer, or when the peer is a
 * trusted proxy the address its forwarding header names. Returns 1 when
 * a peer that is not a trusted proxy sent a forwarding header
 * (X-Forwarded-For, Forwarded, X-Real-IP): a proxy nobody configured
 * stands in front, and the peer's address says nothing of the client
 * (a loopback peer is then no reason to trust it). */
int edge_client(struct MHD_Connection *c, struct net_addr *peer,
                struct net_addr *client);

/* NULL when the request's framing is acceptable, else why not (one
 * sentence for the 400). */
const char *edge_framing_error(struct MHD_Connection *c);

/* 1 when the raw request target holds an encoded NUL (%00). */
int edge_uri_has_nul(const char *uri);

#endif
