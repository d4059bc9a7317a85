/*
 * route.c - ticket numbers, recipients, threading and spam over a parsed
 * mail (see route.h and docs/mail.md).
 *
 * SECURITY: reads an untrusted, already parsed mail. Matching works on a
 * folded copy (lowercase, accents removed) held in a capped buffer; number
 * parsing stops at ROUTE_TICKET_MAX so no overflow is possible.
 */
#include "mail/route.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mail/text.h"
#include "util/buf.h"

#define FOLD_MAX (256u * 1024u)

const char *
route_kind_str(enum route_kind k)
{
	switch (k) {
	case ROUTE_NEW_REQUEST: return "new_request";
	case ROUTE_REPLY: return "reply";
	case ROUTE_AUTO_REPLY: return "auto_reply";
	case ROUTE_BOUNCE: return "bounce";
	case ROUTE_SPAM: return "spam";
	case ROUTE_NOT_FOR_SUPPORT: return "not_for_support";
	}
	return "unknown";
}

/* Folds s into b (capped); returns the folded text ("" on failure). */
static const char *
fold(struct buf *b, const char *s)
{
	buf_reset(b);
	text_fold(s ? s : "", b);
	return buf_str(b);
}

/* Reads 1..9 digits at p; returns the count read, 0 when none/too big. */
static size_t
read_number(const char *p, uint32_t *num)
{
	size_t n = 0;
	uint32_t v = 0;
	while (isdigit((unsigned char)p[n])) {
		if (n >= 9)
			return 0;
		v = v * 10 + (uint32_t)(p[n] - '0');
		n++;
	}
	if (n == 0 || v == 0 || v > ROUTE_TICKET_MAX)
		return 0;
	*num = v;
	return n;
}

int
route_ticket_from_subject(const char *subject, uint32_t *num)
{
	if (subject == NULL)
		return 0;
	struct buf b = BUF_INIT(FOLD_MAX);
	const char *s = fold(&b, subject);
	int found = 0;
	for (const char *p = strstr(s, "ticket"); p && !found;
	     p = strstr(p + 1, "ticket")) {
		if (p > s && isalnum((unsigned char)p[-1]))
			continue;
		/* Was it opened by a '[' (spaces allowed)? */
		const char *q = p;
		while (q > s && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		int bracket = q > s && q[-1] == '[';
		const char *r = p + 6;
		int marker = 0;
		while (*r == ' ' || *r == '\t' || *r == ':')
			r++;
		if (*r == '#') {
			marker = 1;
			r++;
		} else if (strncmp(r, "n\xc2\xba", 3) == 0 ||
		           strncmp(r, "n\xc2\xb0", 3) == 0) {
			marker = 1;
			r += 3;
		} else if (strncmp(r, "nro.", 4) == 0 || strncmp(r, "no.", 3) == 0) {
			marker = 1;
			r += r[1] == 'r' ? 4 : 3;
		}
		while (*r == ' ' || *r == '\t')
			r++;
		if (*r == '#') {
			marker = 1;
			r++;
		}
		if (!marker && !bracket)
			continue;
		uint32_t v;
		size_t n = read_number(r, &v);
		if (n == 0 || isalnum((unsigned char)r[n]))
			continue;
		*num = v;
		found = 1;
	}
	buf_free(&b);
	return found;
}

static const char *
domain_of(const char *addr)
{
	const char *at = addr ? strrchr(addr, '@') : NULL;
	return at ? at + 1 : "";
}

/* host is domain or a subdomain of it (case-insensitive). */
static int
host_within(const char *host, const char *domain)
{
	size_t hl = strlen(host), dl = strlen(domain);
	if (dl == 0 || hl < dl)
		return 0;
	if (strcasecmp(host + hl - dl, domain) != 0)
		return 0;
	return hl == dl || host[hl - dl - 1] == '.';
}

int
route_ticket_from_msgid(const char *msgid, const char *support, uint32_t *num)
{
	if (msgid == NULL || strncasecmp(msgid, "ack-", 4) != 0)
		return 0;
	uint32_t v;
	size_t n = read_number(msgid + 4, &v);
	if (n == 0 || (msgid[4 + n] != '.' && msgid[4 + n] != '@'))
		return 0;
	const char *host = strrchr(msgid, '@');
	if (host == NULL ||
	    !host_within(host + 1, domain_of(support ? support
	                                             : ROUTE_DEFAULT_SUPPORT)))
		return 0;
	*num = v;
	return 1;
}

int
route_addr_is(const char *addr, const char *support)
{
	if (addr == NULL || support == NULL)
		return 0;
	const char *at = strrchr(addr, '@');
	const char *sat = strrchr(support, '@');
	if (at == NULL || sat == NULL)
		return 0;
	if (strcasecmp(at, sat) != 0)
		return 0;
	size_t slocal = (size_t)(sat - support);
	size_t local = (size_t)(at - addr);
	const char *plus = memchr(addr, '+', local);
	if (plus)
		local = (size_t)(plus - addr);
	return local == slocal && strncasecmp(addr, support, local) == 0;
}

static int
list_has(const struct mail_addr_list *l, const char *support)
{
	for (size_t i = 0; i < l->n; i++)
		if (route_addr_is(l->v[i].addr, support))
			return 1;
	return 0;
}

int
route_addressed(const struct mail *m, const char *support,
                const char *envelope_rcpt)
{
	if (support == NULL)
		support = ROUTE_DEFAULT_SUPPORT;
	if (envelope_rcpt && route_addr_is(envelope_rcpt, support))
		return 1;
	return list_has(&m->to, support) || list_has(&m->cc, support) ||
	       list_has(&m->delivered_to, support) ||
	       list_has(&m->x_original_to, support);
}

static int
thread_id(const char *id, const struct route_opts *o, const char *support,
          uint32_t *ticket, enum route_thread_by *by)
{
	if (id == NULL || *id == '\0')
		return 0;
	if (o && o->lookup && o->lookup(o->lookup_ctx, id, ticket) &&
	    *ticket > 0) {
		*by = ROUTE_BY_LOOKUP;
		return 1;
	}
	if (route_ticket_from_msgid(id, support, ticket)) {
		*by = ROUTE_BY_ACK_ID;
		return 1;
	}
	return 0;
}

int
route_thread(const struct mail *m, const struct route_opts *o,
             uint32_t *ticket, enum route_thread_by *by)
{
	const char *support = o && o->support_addr ? o->support_addr
	                                           : ROUTE_DEFAULT_SUPPORT;
	*ticket = 0;
	*by = ROUTE_BY_NONE;
	if (route_ticket_from_subject(m->subject, ticket)) {
		*by = ROUTE_BY_SUBJECT;
		return 1;
	}
	if (thread_id(m->in_reply_to, o, support, ticket, by))
		return 1;
	for (size_t i = m->nreferences; i > 0; i--)
		if (thread_id(m->references[i - 1], o, support, ticket, by))
			return 1;
	*ticket = 0;
	return 0;
}

/* ---- spam ---- */

static int
word_in(const char *hay, const char *w)
{
	size_t wl = strlen(w);
	if (wl > 0 && w[wl - 1] == '*') {
		char pre[64];
		if (wl - 1 >= sizeof pre)
			return 0;
		memcpy(pre, w, wl - 1);
		pre[wl - 1] = '\0';
		for (const char *p = strstr(hay, pre); p; p = strstr(p + 1, pre))
			if (p == hay || !isalnum((unsigned char)p[-1]))
				return 1;
		return 0;
	}
	return text_has_word(hay, w);
}


static void
spam_hit(struct route_spam *s, const char *rule, int points)
{
	s->score += points;
	if (s->nrules < ROUTE_MAX_RULES)
		s->rules[s->nrules++] = rule;
}

static int
value_starts(const char *v, const char *prefix)
{
	if (v == NULL)
		return 0;
	while (*v == ' ' || *v == '\t')
		v++;
	return strncasecmp(v, prefix, strlen(prefix)) == 0;
}

struct brand {
	const char *token;
	const char *official; /* space-separated domains */
};

static const struct brand brands[] = {
	{"google", "google.com gmail.com googlemail.com"},
	{"microsoft", "microsoft.com"},
	{"office365", "microsoft.com office365.com"},
	{"outlook", "outlook.com microsoft.com"},
	{"paypal", "paypal.com"},
	{"sunat", "sunat.gob.pe"},
	{"apple", "apple.com icloud.com"},
	{"amazon", "amazon.com"},
	{"netflix", "netflix.com"},
	{"facebook", "facebook.com"},
	{"whatsapp", "whatsapp.com"},
	{"interbank", "interbank.pe"},
	{NULL, NULL},
};

static int
official_host(const char *host, const char *list)
{
	char one[128];
	while (*list) {
		const char *sp = strchr(list, ' ');
		size_t n = sp ? (size_t)(sp - list) : strlen(list);
		if (n < sizeof one) {
			memcpy(one, list, n);
			one[n] = '\0';
			if (host_within(host, one))
				return 1;
		}
		if (!sp)
			break;
		list = sp + 1;
	}
	return 0;
}

/*
 * A sender domain that wears a brand it does not belong to:
 * "g00gle-business-profile.com", "sunat-comprobantes-pe.info", or our own
 * name under someone else's domain ("prodequa-example.support-secure.com").
 */
static int
lookalike(const char *host, const char *support)
{
	char plain[256];
	size_t n = 0;
	for (const char *p = host; *p && n < sizeof plain - 1; p++) {
		char c = (char)tolower((unsigned char)*p);
		switch (c) {
		case '0': c = 'o'; break;
		case '1': c = 'l'; break;
		case '3': c = 'e'; break;
		case '4': c = 'a'; break;
		case '5': c = 's'; break;
		case '7': c = 't'; break;
		default: break;
		}
		plain[n++] = c;
	}
	plain[n] = '\0';
	const char *sd = domain_of(support);
	char own[64];
	size_t ol = strcspn(sd, ".");
	if (ol >= 4 && ol < sizeof own) {
		memcpy(own, sd, ol);
		own[ol] = '\0';
		for (size_t i = 0; i < ol; i++)
			own[i] = (char)tolower((unsigned char)own[i]);
		if (strstr(plain, own) && !host_within(host, sd))
			return 1;
	}
	for (const struct brand *b = brands; b->token; b++)
		if (strstr(plain, b->token) && !official_host(host, b->official))
			return 1;
	return 0;
}

static int
risky_tld(const char *host, size_t len)
{
	static const char *const tlds[] = {".top", ".xyz", ".biz", ".info",
	                                   ".click", ".loan", ".work", ".zip",
	                                   ".icu", ".buzz", ".rest", ".cyou",
	                                   NULL};
	for (size_t i = 0; tlds[i]; i++) {
		size_t tl = strlen(tlds[i]);
		if (len > tl && strncasecmp(host + len - tl, tlds[i], tl) == 0)
			return 1;
	}
	return 0;
}

/* Whether some http(s) link in s points to a host with a risky TLD. */
static int
risky_link(const char *s)
{
	if (s == NULL)
		return 0;
	for (const char *p = strstr(s, "http"); p; p = strstr(p + 4, "http")) {
		const char *h = NULL;
		if (strncasecmp(p, "http://", 7) == 0)
			h = p + 7;
		else if (strncasecmp(p, "https://", 8) == 0)
			h = p + 8;
		if (h == NULL)
			continue;
		size_t n = 0;
		while (h[n] && (isalnum((unsigned char)h[n]) || h[n] == '.' ||
		                h[n] == '-'))
			n++;
		if (risky_tld(h, n))
			return 1;
	}
	return 0;
}

static int
risky_attachment(const struct mail_part *p)
{
	static const char *const ext[] = {".html", ".htm", ".js", ".exe",
	                                  ".scr", ".vbs", ".bat", ".cmd",
	                                  ".jar", ".iso", ".lnk", ".hta",
	                                  ".wsf", ".shtml", NULL};
	if (p->kind == MAIL_PART_ATTACHMENT && p->content_type &&
	    strcmp(p->content_type, "text/html") == 0)
		return 1;
	if (p->filename == NULL)
		return 0;
	size_t fl = strlen(p->filename);
	for (size_t i = 0; ext[i]; i++) {
		size_t el = strlen(ext[i]);
		if (fl > el && strcasecmp(p->filename + fl - el, ext[i]) == 0)
			return 1;
	}
	return 0;
}

void
route_spam_score(const struct mail *m, const char *support,
                 struct route_spam *out)
{
	static const char *const phish[] = {
		"verify your", "verifique su cuenta", "valide su cuenta",
		"validar su cuenta", "confirm your identity",
		"confirme su identidad", "will be suspended", "sera suspendid*",
		"cobranza coactiva", "claim within", "unclaimed", "network fee",
		"btc", "bitcoin", "gift card", "tarjeta de regalo",
		"ha ganado", "you have won", NULL};
	memset(out, 0, sizeof *out);
	if (support == NULL)
		support = ROUTE_DEFAULT_SUPPORT;
	if (value_starts(mail_header_get(m, "X-Spam-Flag"), "yes"))
		spam_hit(out, "x-spam-flag", 10);
	if (value_starts(mail_header_get(m, "X-Spam-Status"), "yes"))
		spam_hit(out, "x-spam-status", 5);
	if (m->flags & MAIL_F_BULK) {
		spam_hit(out, "precedence-bulk", 3);
		if (mail_header_get(m, "List-Unsubscribe") ||
		    mail_header_get(m, "List-Id"))
			spam_hit(out, "bulk-list-headers", 2);
	}
	const char *ar = mail_header_get(m, "Authentication-Results");
	if (ar) {
		struct buf b = BUF_INIT(4096);
		const char *f = fold(&b, ar);
		if (strstr(f, "spf=fail") || strstr(f, "dkim=fail") ||
		    strstr(f, "dmarc=fail"))
			spam_hit(out, "auth-fail", 3);
		buf_free(&b);
	}
	const char *host = domain_of(m->from.addr);
	if (*host && lookalike(host, support))
		spam_hit(out, "lookalike-domain", 4);
	struct buf all = BUF_INIT(FOLD_MAX);
	buf_puts(&all, m->subject ? m->subject : "");
	buf_putc(&all, '\n');
	buf_puts(&all, m->text ? m->text : "");
	struct buf fb = BUF_INIT(FOLD_MAX);
	const char *f = fold(&fb, buf_str(&all));
	int phish_points = 0;
	for (size_t i = 0; phish[i] && phish_points < 6; i++) {
		if (word_in(f, phish[i])) {
			phish_points += 2;
			spam_hit(out, "phishing-phrase", 2);
		}
	}
	if (risky_link(f) || risky_link(m->html))
		spam_hit(out, "risky-link-tld", 2);
	for (size_t i = 0; i < m->nparts; i++)
		if (risky_attachment(&m->parts[i])) {
			spam_hit(out, "risky-attachment", 3);
			break;
		}
	buf_free(&all);
	buf_free(&fb);
}

void
route_classify(const struct mail *m, const struct route_opts *o,
               struct route_result *out)
{
	const char *support = o && o->support_addr ? o->support_addr
	                                           : ROUTE_DEFAULT_SUPPORT;
	memset(out, 0, sizeof *out);
	route_spam_score(m, support, &out->spam);
	if (m->flags & MAIL_F_BOUNCE) {
		out->kind = ROUTE_BOUNCE;
		out->reason = "delivery status notification";
		uint32_t t;
		if (m->bounce.orig_subject &&
		    route_ticket_from_subject(m->bounce.orig_subject, &t)) {
			out->ticket = t;
			out->by = ROUTE_BY_SUBJECT;
		} else if (m->bounce.orig_x_ticket &&
		           read_number(m->bounce.orig_x_ticket, &t)) {
			out->ticket = t;
			out->by = ROUTE_BY_SUBJECT;
		} else if (m->bounce.orig_message_id &&
		           thread_id(m->bounce.orig_message_id, o, support, &t,
		                     &out->by)) {
			out->ticket = t;
		} else if (route_ticket_from_subject(m->subject, &t)) {
			out->ticket = t;
			out->by = ROUTE_BY_SUBJECT;
		}
		return;
	}
	if (m->flags & MAIL_F_AUTO_REPLY || route_addr_is(m->from.addr, support)) {
		out->kind = ROUTE_AUTO_REPLY;
		out->reason = m->auto_reason ? m->auto_reason
		                             : "sent from the support address";
		route_thread(m, o, &out->ticket, &out->by);
		return;
	}
	if (out->spam.score >= ROUTE_SPAM_THRESHOLD) {
		out->kind = ROUTE_SPAM;
		out->reason = "spam score at or over the threshold";
		return;
	}
	if (!route_addressed(m, support, o ? o->envelope_rcpt : NULL)) {
		out->kind = ROUTE_NOT_FOR_SUPPORT;
		out->reason = "support is not a recipient";
		return;
	}
	if (route_thread(m, o, &out->ticket, &out->by)) {
		out->kind = ROUTE_REPLY;
		out->reason = out->by == ROUTE_BY_SUBJECT
		                      ? "ticket number in the subject"
		                      : "In-Reply-To/References of a ticket";
		return;
	}
	out->kind = ROUTE_NEW_REQUEST;
	out->reason = "addressed to support, no ticket to thread into";
}
