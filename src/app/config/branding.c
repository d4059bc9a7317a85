/*
 * branding.c - the company, its phone and the console's address (see
 * branding.h).
 */
#include "app/config/branding.h"
#include "app/config/settings.h"

#include <stdio.h>
#include <string.h>

void
branding_get(const struct policy *pol, struct branding *b)
{
	const struct settings *s = settings_current();
	if (s->company_name[0]) {
		snprintf(b->company, sizeof b->company, "%s", s->company_name);
	} else {
		const char *dash = strstr(pol->name, " - ");
		int n = dash ? (int)(dash - pol->name) : (int)strlen(pol->name);
		snprintf(b->company, sizeof b->company, "%.*s", n, pol->name);
	}
	snprintf(b->phone, sizeof b->phone, "%s",
	         s->phone[0] ? s->phone : pol->phone);
	b->phone_after_email = pol->phone_requires_email;
	snprintf(b->base_url, sizeof b->base_url, "%s",
	         s->public_url[0] ? s->public_url : BRANDING_DEFAULT_URL);
}

void
branding_ticket_url(const struct branding *b, int64_t number, char *out,
                    size_t len)
{
	if (number > 0)
		snprintf(out, len, "%s/tickets/%lld", b->base_url, (long long)number);
	else
		snprintf(out, len, "%s/queue", b->base_url);
}
