/*
 * account_mail.c - the password reset mail (see account_mail.h).
 */
#include "app/ticket/account_mail.h"
#include "app/access/pw_reset.h"
#include "app/base/outbound.h"
#include "app/base/template.h"
#include "app/config/branding.h"
#include "util/text.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
account_reset_render(const struct policy *pol, const char *lang,
                     const char *name, const char *url, char **subject,
                     char **body, char *err, size_t errlen)
{
	struct branding b;
	char minutes[16];
	branding_get(pol, &b);
	snprintf(minutes, sizeof minutes, "%d", PW_RESET_TTL_S / 60);
	const struct tvar vars[] = {
		{"name", name},
		{"url", url},
		{"minutes", minutes},
		{"company", b.company},
		{"support_address", pol->support_address},
		{"phone", b.phone},
		{"phone_after_email", b.phone_after_email ? "yes" : ""},
	};
	return template_render(lang, "password_reset", vars,
	                       sizeof vars / sizeof vars[0], subject, body, err,
	                       errlen);
}

/* In the open transaction: a link for the account and its mail. */
static enum store_rc
link_and_mail(struct store *db, const struct policy *pol, int64_t user_id,
              const char *email, const char *name, const char *lang,
              int64_t admin_id, int64_t now, int *sent)
{
	char token[PW_RESET_TOKEN_LEN], url[BRANDING_TEXT_MAX + 80], err[200];
	char *subject = NULL, *body = NULL;
	struct branding b;
	enum store_rc rc = pw_reset_new(db, user_id, admin_id, now, token, sent);
	if (rc != STORE_OK || !*sent)
		return rc;
	branding_get(pol, &b);
	/* The token goes after '#': browsers do not send it to the server
	 * (nor in a Referer), so no access log keeps it. */
	snprintf(url, sizeof url, "%s/reset#%s", b.base_url, token);
	sodium_memzero(token, sizeof token);
	if (account_reset_render(pol, lang, name, url, &subject, &body, err,
	                         sizeof err) != 0)
		rc = store_fail(db, STORE_ERROR, "password reset mail: %s", err);
	if (rc == STORE_OK) {
		const struct outbound_new m = {
			.kind = "password_reset",
			.to = email,
			.subject = subject,
			.body = body,
		};
		rc = outbound_queue(db, pol, &m, now, NULL);
	}
	sodium_memzero(url, sizeof url);
	free(subject);
	free(body);
	return rc;
}

/* Finds the account (by id, or by address when id is 0), then makes its
 * link and mail, in one transaction. *found: 0 none, 1 inactive, 2 done. */
static enum store_rc
reset(struct store *db, const struct policy *pol, int64_t id,
      const char *email, int64_t admin_id, int64_t now, int *found,
      int *sent)
{
	struct store_rows *r = NULL;
	*found = 0;
	*sent = 0;
	enum store_rc rc = store_begin(db, 1);
	if (rc != STORE_OK)
		return rc;
	rc = store_query_row(db,
	                     "SELECT u.id, u.email, u.name, u.active, "
	                     "COALESCE(c.language, 'es') FROM users u LEFT JOIN "
	                     "clients c ON c.id = u.client_id WHERE "
	                     "(u.id = $1 OR u.email = $2)",
	                     STORE_PARAMS(SP_I(id), SP_T(email)), &r);
	if (rc == STORE_OK) {
		*found = store_int(r, 3) ? 2 : 1;
		if (*found == 2)
			rc = link_and_mail(db, pol, store_int(r, 0), store_text(r, 1),
			                   store_text(r, 2),
			                   strcmp(store_text(r, 4), "en") == 0 ? "en"
			                                                       : "es",
			                   admin_id, now, sent);
		store_done(r);
	} else if (rc == STORE_NOTFOUND) {
		rc = STORE_OK;
	}
	if (rc == STORE_OK)
		rc = store_commit(db);
	if (rc != STORE_OK)
		store_rollback(db);
	return rc;
}

enum store_rc
account_reset_by_email(struct store *db, const struct policy *pol,
                       const char *email, int64_t now)
{
	char mail[256];
	int found, sent;
	snprintf(mail, sizeof mail, "%s", email);
	ascii_lower(mail);
	return reset(db, pol, 0, mail, 0, now, &found, &sent);
}

enum store_rc
account_reset_by_id(struct store *db, const struct policy *pol,
                    int64_t user_id, int64_t admin_id, int64_t now,
                    int *sent)
{
	int found;
	enum store_rc rc = reset(db, pol, user_id, NULL, admin_id, now, &found,
	                         sent);
	if (rc == STORE_OK && found == 0)
		return store_fail(db, STORE_NOTFOUND, "user %lld: no such account",
		                  (long long)user_id);
	if (rc == STORE_OK && found == 1)
		return store_fail(db, STORE_CONSTRAINT,
		                  "user %lld: the account is inactive; activate it "
		                  "first", (long long)user_id);
	return rc;
}
