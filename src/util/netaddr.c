/*
 * netaddr.c - addresses, ranges and the client behind proxies (see
 * netaddr.h).
 */
#include "util/netaddr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The most hops walked in a forwarding header: beyond them the last
 * trusted one is taken as the client. */
#define MAX_HOPS 32

static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static size_t
colons(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == ':';
	return n;
}

int
net_addr_parse(const char *text, size_t len, struct net_addr *a)
{
	char buf[NETADDR_TEXT_MAX + 1];
	memset(a, 0, sizeof *a);
	if (len > 0 && text[0] == '[') {
		/* [v6] or [v6]:port */
		const char *close = memchr(text, ']', len);
		if (close == NULL)
			return -1;
		size_t rest = len - (size_t)(close + 1 - text);
		if (rest > 0 && (close[1] != ':' || rest < 2 || rest > 6 ||
		                 strspn(close + 2, "0123456789") < rest - 1))
			return -1;
		text++;
		len = (size_t)(close - text);
		if (memchr(text, '.', len) == NULL && memchr(text, ':', len) == NULL)
			return -1;
	} else if (len > 0 && memchr(text, '.', len) && colons(text, len) == 1) {
		/* a.b.c.d:port (one colon after dots: not IPv6) */
		const char *colon = memchr(text, ':', len);
		size_t rest = len - (size_t)(colon + 1 - text);
		if (rest < 1 || rest > 5 || strspn(colon + 1, "0123456789") < rest)
			return -1;
		len = (size_t)(colon - text);
	}
	if (len == 0 || len > NETADDR_TEXT_MAX)
		return -1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, a->b) == 1) {
		a->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, a->b) == 1) {
		a->family = 6;
		if (memcmp(a->b, v4_mapped, sizeof v4_mapped) == 0) {
			memmove(a->b, a->b + 12, 4);
			memset(a->b + 4, 0, 12);
			a->family = 4;
		}
		return 0;
	}
	memset(a, 0, sizeof *a);
	return -1;
}

void
net_addr_format(const struct net_addr *a, char out[NETADDR_TEXT_MAX])
{
	if (a->family == 4)
		inet_ntop(AF_INET, a->b, out, NETADDR_TEXT_MAX);
	else if (a->family == 6)
		inet_ntop(AF_INET6, a->b, out, NETADDR_TEXT_MAX);
	else
		snprintf(out, NETADDR_TEXT_MAX, "-");
}

int
net_addr_is_loopback(const struct net_addr *a)
{
	static const uint8_t one[16] = {[15] = 1};
	return (a->family == 4 && a->b[0] == 127) ||
	       (a->family == 6 && memcmp(a->b, one, 16) == 0);
}

int
net_cidr_parse(const char *text, struct net_cidr *c)
{
	memset(c, 0, sizeof *c);
	const char *slash = strchr(text, '/');
	size_t len = slash ? (size_t)(slash - text) : strlen(text);
	/* No brackets or ports in a range. */
	if (len == 0 || text[0] == '[' || net_addr_parse(text, len, &c->a) != 0)
		return -1;
	char probe[NETADDR_TEXT_MAX + 1];
	if (len >= sizeof probe)
		return -1;
	memcpy(probe, text, len);
	probe[len] = '\0';
	struct in_addr in4;
	if (c->a.family == 4 && inet_pton(AF_INET, probe, &in4) != 1)
		return -1;   /* "1.2.3.4:80" is an address with a port */
	int max = c->a.family == 4 ? 32 : 128;
	c->bits = max;
	if (slash) {
		char *end;
		if (slash[1] < '0' || slash[1] > '9')
			return -1;
		long bits = strtol(slash + 1, &end, 10);
		if (*end != '\0' || bits < 0 || bits > max)
			return -1;
		c->bits = (int)bits;
	}
	/* The host part must be zero: "10.0.0.1/8" is a typo for something. */
	for (int i = c->bits; i < max; i++)
		if (c->a.b[i / 8] & (0x80 >> (i % 8)))
			return -1;
	return 0;
}

static int
in_range(const struct net_cidr *c, const struct net_addr *a)
{
	if (c->a.family != a->family)
		return 0;
	int full = c->bits / 8, rest = c->bits % 8;
	if (memcmp(c->a.b, a->b, (size_t)full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (c->a.b[full] & mask) == (a->b[full] & mask);
}

int
net_cidr_match(const struct net_cidr *list, size_t n, const struct net_addr *a)
{
	for (size_t i = 0; i < n; i++)
		if (in_range(&list[i], a))
			return 1;
	return 0;
}

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* The address of one Forwarded element ("for=...;proto=https"). */
static int
forwarded_for(const char *s, size_t len, struct net_addr *a)
{
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && s[end] != ';')
			end++;
		size_t k = i;
		while (k < end && is_space(s[k]))
			k++;
		if (end - k > 4 && strncasecmp(s + k, "for=", 4) == 0) {
			const char *v = s + k + 4;
			size_t vl = end - k - 4;
			while (vl > 0 && is_space(v[vl - 1]))
				vl--;
			if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
				v++;
				vl -= 2;
			}
			return net_addr_parse(v, vl, a);
		}
		i = end + 1;
	}
	return -1;
}

void
net_client_addr(const struct net_addr *peer, const char *header,
                enum net_forward_header kind,
                const struct net_cidr *trusted, size_t n,
                struct net_addr *client)
{
	*client = *peer;
	if (header == NULL || !net_cidr_match(trusted, n, peer))
		return;
	size_t end = strlen(header);
	for (int hop = 0; hop < MAX_HOPS; hop++) {
		size_t start = end;
		while (start > 0 && header[start - 1] != ',')
			start--;
		size_t s = start, e = end;
		while (s < e && is_space(header[s]))
			s++;
		while (e > s && is_space(header[e - 1]))
			e--;
		struct net_addr a;
		int ok = kind == NET_FORWARDED ? forwarded_for(header + s, e - s, &a)
		                               : net_addr_parse(header + s, e - s, &a);
		if (ok != 0)
			return;          /* not an address: the last trusted hop */
		*client = a;
		if (!net_cidr_match(trusted, n, &a) || start == 0)
			return;
		end = start - 1;
	}
}

void
net_addr_throttle_key(const struct net_addr *a, char out[NETADDR_TEXT_MAX + 4])
{
	if (a->family != 6) {
		net_addr_format(a, out);
		return;
	}
	struct net_addr p = *a;
	memset(p.b + 8, 0, 8);
	net_addr_format(&p, out);
	strcat(out, "/64");
}
