/*
 * url_login.c - a mail server's URL with its login put in (see
 * url_login.h).
 */
#include "mail/url_login.h"

#include <curl/curl.h>

#include <stdio.h>

int
url_with_login(const char *url, const char *user, const char *password,
               char *out, size_t outlen)
{
	CURLU *u = curl_url();
	if (u == NULL)
		return -1;
	char *full = NULL;
	int rc = -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    (user == NULL || *user == '\0' ||
	     curl_url_set(u, CURLUPART_USER, user, CURLU_URLENCODE) ==
	         CURLUE_OK) &&
	    (password == NULL || *password == '\0' ||
	     curl_url_set(u, CURLUPART_PASSWORD, password, CURLU_URLENCODE) ==
	         CURLUE_OK) &&
	    curl_url_get(u, CURLUPART_URL, &full, 0) == CURLUE_OK) {
		int n = snprintf(out, outlen, "%s", full);
		rc = n >= 0 && (size_t)n < outlen ? 0 : -1;
	}
	curl_free(full);
	curl_url_cleanup(u);
	return rc;
}

