/*
 * netaddr.h - IP addresses, address ranges (CIDR) and the client address
 * behind trusted proxies (X-Forwarded-For, RFC 7239 Forwarded).
 *
 * Pure text and bytes: no sockets, no name lookups. An IPv4 address is
 * kept as itself (family 4), not as an IPv4-mapped IPv6 one; a mapped
 * address (::ffff:a.b.c.d) is read as the IPv4 address it carries, so a
 * range "10.0.0.0/8" matches it either way.
 *
 * The client behind proxies: the forwarding header lists, left to right,
 * the client and then each proxy's peer as that proxy saw it; the last
 * entry is the peer of the proxy that spoke to us. Walking from the right,
 * the first address that is not a trusted proxy is the client: everything
 * left of it was written by someone we do not trust. When the peer itself
 * is not a trusted proxy the header is not read at all.
 *
 * SECURITY: the header text is untrusted; it is only parsed, with every
 * length bounded, and an entry that is not an address stops the walk (the
 * last trusted hop is then the client: a forger cannot choose one).
 */
#ifndef SOPORTE_UTIL_NETADDR_H
#define SOPORTE_UTIL_NETADDR_H

#include <stddef.h>
#include <stdint.h>

#define NETADDR_TEXT_MAX 46   /* INET6_ADDRSTRLEN */

struct net_addr {
	int family;           /* 4, 6, or 0: unknown */
	uint8_t b[16];        /* 4 or 16 bytes used */
};

struct net_cidr {
	struct net_addr a;
	int bits;             /* prefix length: 0..32 or 0..128 */
};

/* Parses an address: "192.0.2.1", "2001:db8::1", "[2001:db8::1]", with an
 * optional ":port" after an IPv4 address or a bracketed IPv6 one.
 * Returns 0, or -1 when it is not one. */
int net_addr_parse(const char *text, size_t len, struct net_addr *a);
/* Writes the address as text ("-" when unknown). */
void net_addr_format(const struct net_addr *a, char out[NETADDR_TEXT_MAX]);
/* 1 for 127.0.0.0/8 and ::1. */
int net_addr_is_loopback(const struct net_addr *a);

/* Parses "ADDR" or "ADDR/BITS" (the host bits must be zero). */
int net_cidr_parse(const char *text, struct net_cidr *c);
/* 1 when a lies in one of the n ranges. */
int net_cidr_match(const struct net_cidr *list, size_t n,
                   const struct net_addr *a);

enum net_forward_header { NET_XFF = 0, NET_FORWARDED = 1 };

/* The client address of a request whose peer is *peer: when the peer is
 * in trusted[0..n), the right-most address of header (the values of all
 * the request's X-Forwarded-For, or Forwarded, headers joined by ", " in
 * the order received; NULL when absent) that is not itself trusted;
 * otherwise the peer. */
void net_client_addr(const struct net_addr *peer, const char *header,
                     enum net_forward_header kind,
                     const struct net_cidr *trusted, size_t n,
                     struct net_addr *client);

/* The text a per-address counter keys on: the address for IPv4, its /64
 * for IPv6 (one subscriber is handed a whole /64). */
void net_addr_throttle_key(const struct net_addr *a,
                           char out[NETADDR_TEXT_MAX + 4]);

#endif
