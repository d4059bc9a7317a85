/*
 * reply_token.c - the desk's reply token (see reply_token.h).
 */
#include "mail/reply_token.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define MAC_BYTES 16

static int
mac_of(const unsigned char key[REPLY_TOKEN_KEY_BYTES], int64_t ticket_id,
       unsigned char mac[MAC_BYTES])
{
	if (sodium_init() < 0)
		return -1;
	char msg[64];
	int n = snprintf(msg, sizeof msg, "soporte reply token v1 %lld",
	                 (long long)ticket_id);
	unsigned char full[crypto_auth_BYTES];
	crypto_auth(full, (const unsigned char *)msg, (unsigned long long)n, key);
	memcpy(mac, full, MAC_BYTES);
	sodium_memzero(full, sizeof full);
	return 0;
}

int
reply_token_make(const unsigned char key[REPLY_TOKEN_KEY_BYTES],
                 int64_t ticket_id, char out[REPLY_TOKEN_SIZE])
{
	unsigned char mac[MAC_BYTES];
	out[0] = '\0';
	if (mac_of(key, ticket_id, mac) != 0)
		return -1;
	out[0] = 't';
	sodium_bin2hex(out + 1, REPLY_TOKEN_SIZE - 1, mac, sizeof mac);
	return 0;
}

/* The end of the part of a local part that starts at p: the next '.' or
 * '+' before at, else at. */
static const char *
part_end(const char *p, const char *at)
{
	while (p < at && *p != '.' && *p != '+')
		p++;
	return p;
}

/* Whether one Message-ID's or address's local part has a part (between
 * '.' and '+') that is the token whose MAC is want. */
static int
id_carries(const char *id, const unsigned char want[MAC_BYTES])
{
	const char *at = id ? strrchr(id, '@') : NULL;
	if (at == NULL)
		return 0;
	int found = 0;
	for (const char *p = id; p < at;) {
		const char *end = part_end(p, at);
		unsigned char got[MAC_BYTES];
		size_t len = 0;
		if (end - p == REPLY_TOKEN_SIZE - 1 && *p == 't' &&
		    sodium_hex2bin(got, sizeof got, p + 1, REPLY_TOKEN_SIZE - 2, NULL,
		                   &len, NULL) == 0 &&
		    len == MAC_BYTES && sodium_memcmp(got, want, MAC_BYTES) == 0)
			found = 1;
		p = end + 1;
	}
	return found;
}

int
reply_token_in(const struct mail *m,
               const unsigned char key[REPLY_TOKEN_KEY_BYTES],
               int64_t ticket_id)
{
	unsigned char want[MAC_BYTES];
	if (ticket_id <= 0 || mac_of(key, ticket_id, want) != 0)
		return 0;
	int found = id_carries(m->in_reply_to, want);
	for (size_t i = 0; i < m->nreferences; i++)
		found |= id_carries(m->references[i], want);
	const struct mail_addr_list *lists[] = {&m->to, &m->cc, &m->delivered_to,
	                                        &m->x_original_to};
	for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
		for (size_t i = 0; i < lists[l]->n; i++)
			found |= id_carries(lists[l]->v[i].addr, want);
	sodium_memzero(want, sizeof want);
	return found;
}

int
reply_token_address(const char *support, const char *message_id, char *out,
                    size_t outlen)
{
	out[0] = '\0';
	const char *at = support ? strrchr(support, '@') : NULL;
	const char *mat = message_id ? strrchr(message_id, '@') : NULL;
	if (at == NULL || mat == NULL)
		return -1;
	for (const char *p = message_id; p < mat;) {
		const char *end = part_end(p, mat);
		if (end - p == REPLY_TOKEN_SIZE - 1 && *p == 't') {
			int n = snprintf(out, outlen, "%.*s+%.*s%s", (int)(at - support),
			                 support, REPLY_TOKEN_SIZE - 1, p, at);
			if (n < 0 || (size_t)n >= outlen) {
				out[0] = '\0';
				return -1;
			}
			return 0;
		}
		p = end + 1;
	}
	return -1;
}
