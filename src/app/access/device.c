/*
 * device.c - signed "known browser" cookies (see device.h).
 */
#include "app/access/device.h"
#include "app/access/vault.h"

#include <sodium.h>
#include <string.h>

#define BODY 16   /* account id and issue time, 8 bytes each, big-endian */
#define RAW (BODY + crypto_auth_BYTES)

static int
derive(const struct vault *v, unsigned char key[crypto_auth_KEYBYTES])
{
	_Static_assert(VAULT_KEY_BYTES == crypto_kdf_KEYBYTES, "vault key size");
	_Static_assert(crypto_auth_KEYBYTES >= crypto_kdf_BYTES_MIN &&
	                   crypto_auth_KEYBYTES <= crypto_kdf_BYTES_MAX,
	               "device key size");
	if (sodium_init() < 0)
		return -1;
	return crypto_kdf_derive_from_key(key, crypto_auth_KEYBYTES, 1,
	                                  "sopdevck", v->key);
}

static void
put64(unsigned char *p, uint64_t x)
{
	for (int i = 7; i >= 0; i--, x >>= 8)
		p[i] = (unsigned char)(x & 0xff);
}

static uint64_t
get64(const unsigned char *p)
{
	uint64_t x = 0;
	for (int i = 0; i < 8; i++)
		x = x << 8 | p[i];
	return x;
}

int
device_cookie_make(const struct vault *v, int64_t user_id, int64_t now,
                   char out[DEVICE_COOKIE_LEN])
{
	unsigned char key[crypto_auth_KEYBYTES], raw[RAW];
	out[0] = '\0';
	if (derive(v, key) != 0)
		return -1;
	put64(raw, (uint64_t)user_id);
	put64(raw + 8, (uint64_t)now);
	crypto_auth(raw + BODY, raw, BODY, key);
	sodium_memzero(key, sizeof key);
	sodium_bin2base64(out, DEVICE_COOKIE_LEN, raw, RAW,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return 0;
}

int
device_cookie_check(const struct vault *v, const char *value,
                    int64_t user_id, int64_t now, int64_t *issued)
{
	unsigned char key[crypto_auth_KEYBYTES], raw[RAW];
	size_t n = 0;
	if (v == NULL || value == NULL || strlen(value) >= DEVICE_COOKIE_LEN ||
	    sodium_init() < 0 ||
	    sodium_base642bin(raw, sizeof raw, value, strlen(value), NULL, &n, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n != RAW || derive(v, key) != 0)
		return 0;
	int ok = crypto_auth_verify(raw + BODY, raw, BODY, key) == 0;
	sodium_memzero(key, sizeof key);
	int64_t id = (int64_t)get64(raw), at = (int64_t)get64(raw + 8);
	if (!ok || id != user_id || at > now || now - at > DEVICE_TTL_S)
		return 0;
	*issued = at;
	return 1;
}
