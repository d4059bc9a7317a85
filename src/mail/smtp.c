/*
 * smtp.c - SMTP submission with libcurl (see smtp.h).
 */
#include "mail/smtp.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct upload {
	const char *data;
	size_t len, off;
};

static size_t
read_cb(char *dst, size_t size, size_t nmemb, void *userp)
{
	struct upload *u = userp;
	size_t room = size * nmemb, left = u->len - u->off;
	size_t n = left < room ? left : room;
	memcpy(dst, u->data + u->off, n);
	u->off += n;
	return n;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

enum smtp_rc
smtp_send(const char *url, const char *from, const char *to,
          const char *message, size_t len, char *err, size_t errlen)
{
	pthread_once(&curl_once, curl_init_once);
	CURL *c = curl_easy_init();
	if (c == NULL) {
		snprintf(err, errlen, "cannot start libcurl");
		return SMTP_TEMPFAIL;
	}
	char from_br[320], to_br[320];
	snprintf(from_br, sizeof from_br, "<%s>", from);
	snprintf(to_br, sizeof to_br, "<%s>", to);
	struct curl_slist *rcpt = curl_slist_append(NULL, to_br);
	struct upload u = {message, len, 0};
	char curl_err[CURL_ERROR_SIZE] = "";

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from_br);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");

	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	if (rc == CURLE_OK) {
		snprintf(err, errlen, "accepted");
		return SMTP_OK;
	}
	snprintf(err, errlen, "%s%s(SMTP %ld)", curl_err[0] ? curl_err : curl_easy_strerror(rc),
	         curl_err[0] ? " " : " ", code);
	return code >= 500 && code < 600 ? SMTP_PERMFAIL : SMTP_TEMPFAIL;
}
