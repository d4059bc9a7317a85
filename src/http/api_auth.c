/*
 * api_auth.c - who is asking: bearer tokens, session cookies, CSRF, and
 * the session routes (log in, who am I, log out).
 *
 * Browsers log in with POST /api/session and get two cookies: the
 * session (HttpOnly, SameSite=Strict) and soporte_csrf (readable by the
 * page). Every unsafe request authenticated by the cookie must repeat
 * that CSRF token in the X-CSRF-Token header. Integrations send
 * "Authorization: Bearer sop_..." instead and need no CSRF token (a
 * browser never adds that header by itself).
 *
 * SECURITY: the Authorization header, the cookie, the CSRF header and the
 * login body are untrusted; tokens are only hashed and compared, in
 * constant time where a secret is compared.
 */
#include "app/access/sessions.h"
#include "app/access/user_prefs.h"
#include "http/api.h"
#include "http/api_handlers.h"
#include "util/log.h"
#include "util/timefmt.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int
api_authenticate(struct api_req *q, struct api_resp *r)
{
	memset(&q->who, 0, sizeof q->who);
	q->csrf[0] = '\0';
	q->session_token[0] = '\0';
	if (q->desk == NULL)
		return 1;   /* fuzzing: everyone is anonymous */
	enum store_rc rc;
	if (q->authorization) {
		const char *a = q->authorization;
		if (strncasecmp(a, "Bearer ", 7) != 0) {
			api_error(r, 401, "invalid_token",
			          "use 'Authorization: Bearer TOKEN'");
			return 0;
		}
		rc = apitoken_lookup(q->desk->db, a + 7, &q->who);
		if (rc == STORE_OK)
			return 1;
		memset(&q->who, 0, sizeof q->who);
		if (rc == STORE_NOTFOUND)
			api_error(r, 401, "invalid_token",
			          "the token is unknown or revoked");
		else
			api_fail(q, r, rc);
		return 0;
	}
	if (q->session_cookie && *q->session_cookie) {
		rc = session_lookup(q->desk->db, q->session_cookie, q->now, &q->who, q->csrf);
		if (rc == STORE_OK) {
			snprintf(q->session_token, sizeof q->session_token, "%s",
			         q->session_cookie);
			return 1;
		}
		memset(&q->who, 0, sizeof q->who);
		q->csrf[0] = '\0';
		if (rc != STORE_NOTFOUND) {
			api_fail(q, r, rc);
			return 0;
		}
	}
	return 1;
}

int
api_csrf_ok(const struct api_req *q, struct api_resp *r)
{
	if (q->who.user_id <= 0 || q->who.via_token)
		return 1;
	size_t n = strlen(q->csrf);
	if (q->csrf_header && n > 0 && strlen(q->csrf_header) == n &&
	    sodium_memcmp(q->csrf_header, q->csrf, n) == 0)
		return 1;
	api_error(r, 403, "csrf", "missing or wrong X-CSRF-Token header");
	return 0;
}

static void
add_cookie(const struct api_req *q, struct api_resp *r, const char *name,
           const char *value, int http_only, int max_age)
{
	if (r->ncookies >= (int)(sizeof r->cookies / sizeof r->cookies[0]))
		return;
	snprintf(r->cookies[r->ncookies++], sizeof r->cookies[0],
	         "%s=%s; Path=/; Max-Age=%d; SameSite=Strict%s%s", name, value,
	         max_age, http_only ? "; HttpOnly" : "",
	         q->env && q->env->cookie_secure ? "; Secure" : "");
}

static json_t *
principal_json(struct api_req *q, const struct principal *p)
{
	/* The language the user chose (any device), null when none yet. */
	char lang[3] = "";
	if (q->desk)
		user_language_get(q->desk->db, p->user_id, lang);
	return json_pack("{s:I,s:s,s:s,s:o,s:o}", "id", (json_int_t)p->user_id,
	                 "name", p->name, "role", role_name(p->role), "client_id",
	                 p->client_id > 0 ? json_integer(p->client_id) : json_null(),
	                 "language", lang[0] ? json_string(lang) : json_null());
}

void
h_session_login(struct api_req *q, struct api_resp *r)
{
	struct login_grant g;
	struct login_attempt a = {
		.email = json_string_value(json_object_get(q->body, "email")),
		.password = json_string_value(json_object_get(q->body, "password")),
		.addr = q->addr,
		.device = q->device_cookie,
		.vault = q->env ? q->env->vault : NULL,
		.now = q->now,
	};
	enum auth_rc rc = auth_login(q->desk->db, &a, &g);
	switch (rc) {
	case AUTH_OK: {
		char iso[ISO_UTC_LEN];
		iso_utc_format(q->now + SESSION_TTL_S, iso);
		add_cookie(q, r, "soporte_session", g.token, 1, SESSION_TTL_S);
		add_cookie(q, r, "soporte_csrf", g.csrf, 0, SESSION_TTL_S);
		if (g.device[0])
			add_cookie(q, r, "soporte_device", g.device, 1, DEVICE_TTL_S);
		q->who = g.p;
		api_json(r, 200,
		         json_pack("{s:o,s:s,s:s}", "user", principal_json(q, &g.p),
		                   "csrf_token", g.csrf, "expires_at", iso));
		break;
	}
	case AUTH_DENIED:
		r->no_log_user = 1;
		api_error(r, 401, "invalid_credentials", "wrong e-mail or password");
		break;
	case AUTH_THROTTLED:
		r->retry_after_s = g.retry_after_s;
		api_error(r, 429, "too_many_attempts",
		          "too many failed logins; try again in %lld seconds",
		          (long long)g.retry_after_s);
		break;
	case AUTH_STORE:
		log_warn("api: login: %s", desk_errmsg(q->desk));
		api_store_error(r, q->desk,
		                g.src == STORE_CONSTRAINT ? STORE_ERROR : g.src);
		break;
	}
	sodium_memzero(&g, sizeof g);
}

void
h_session_get(struct api_req *q, struct api_resp *r)
{
	char sc[32];
	authz_scopes_format(q->who.scopes, sc, sizeof sc);
	json_t *o = json_pack("{s:o,s:s,s:s}", "user", principal_json(q, &q->who),
	                      "via", q->who.via_token ? "token" : "session",
	                      "scopes", sc);
	if (!q->who.via_token)
		json_object_set_new(o, "csrf_token", json_string(q->csrf));
	api_json(r, 200, o);
}

/* PATCH /api/session {"language"}: the console's language for this user,
 * on any device from the next login. */
void
h_session_prefs(struct api_req *q, struct api_resp *r)
{
	const char *lang = json_string_value(json_object_get(q->body, "language"));
	if (lang) {
		enum store_rc rc = user_language_set(q->desk->db, q->who.user_id, lang);
		if (rc != STORE_OK) {
			api_fail(q, r, rc);
			return;
		}
	}
	h_session_get(q, r);
}

void
h_session_logout(struct api_req *q, struct api_resp *r)
{
	if (!q->who.via_token && q->session_token[0]) {
		enum store_rc rc =
		    session_end(q->desk->db, q->session_token, q->now, q->who.user_id);
		if (rc != STORE_OK) {
			api_fail(q, r, rc);
			return;
		}
	}
	add_cookie(q, r, "soporte_session", "", 1, 0);
	add_cookie(q, r, "soporte_csrf", "", 0, 0);
	api_json(r, 204, NULL);
}
