/*
 * parse.h - one RFC 5322 / MIME message -> a plain C struct (struct mail).
 *
 * mail_parse() runs GMime 3 over the raw bytes and copies out what the
 * desk needs: identity (Message-ID, From, recipients, Date), threading
 * (In-Reply-To, References), the text as UTF-8 (and a display version
 * without quoted replies and signature), the HTML sanitized for display,
 * every attachment and inline part with its SHA-256, and the signals the
 * router needs (auto-reply, bounce with its delivery-status fields, bulk).
 * Nothing in struct mail refers to GMime: the rest of soporte (and its
 * tests) never include a GMime header. Decisions (ticket number, kind,
 * spam) are route.h's.
 *
 * Usage:
 *     mail_init();                       once per process
 *     struct mail_limits lim; mail_limits_default(&lim);
 *     struct mail *m;
 *     if (mail_parse(raw, len, &lim, &m) == MAIL_OK) { ...; mail_free(m); }
 *     mail_shutdown();                   at exit (optional)
 *
 * SECURITY: raw is untrusted bytes from the network (the MTA pipe, IMAP).
 * mail_parse() never crashes or reads outside raw on any input, keeps all
 * strings valid UTF-8 without NUL bytes, and bounds what it keeps by
 * struct mail_limits (attachment bodies, text length, part count, header
 * count, nesting depth). Display names, subjects, file names and texts are
 * attacker-chosen: whoever shows them escapes them for their medium; the
 * `html` field alone is already sanitized (html.h). Attachment file names
 * are not paths: never use them to open files.
 */
#ifndef SOPORTE_MAIL_PARSE_H
#define SOPORTE_MAIL_PARSE_H

#include <stddef.h>
#include <stdint.h>

enum mail_rc {
	MAIL_OK = 0,
	MAIL_ERR_NOMEM,  /* out of memory: nothing was returned */
	MAIL_ERR_PARSE,  /* not a message at all (empty input, no headers) */
	MAIL_ERR_ARG     /* NULL arguments, or mail_init() not called */
};

/* What mail_parse() keeps; a 0 field takes its default. */
struct mail_limits {
	size_t max_message_bytes;    /* larger messages are flagged oversize
	                                (default 4 MiB) */
	size_t max_attachment_bytes; /* larger bodies: size and hash only
	                                (default 2 MiB) */
	size_t max_text_bytes;       /* text and html cut here (default 1 MiB) */
	unsigned max_parts;          /* MIME leaves looked at (default 200) */
	unsigned max_depth;          /* multipart nesting (default 20) */
	unsigned max_headers;        /* top-level headers kept (default 500) */
	unsigned max_refs;           /* References ids kept (default 100) */
};

/* Flags (struct mail.flags). */
enum mail_flag {
	MAIL_F_SYNTH_MSGID = 1u << 0,  /* no Message-ID: message_id is made up */
	MAIL_F_NO_DATE = 1u << 1,      /* Date missing or unparseable: date 0 */
	MAIL_F_OVERSIZE = 1u << 2,     /* raw size > max_message_bytes */
	MAIL_F_LONG_LINES = 1u << 3,   /* some line over 998 octets */
	MAIL_F_CRLF = 1u << 4,         /* CR LF line endings */
	MAIL_F_NO_MIME = 1u << 5,      /* no MIME-Version nor Content-Type */
	MAIL_F_TEXT_FROM_HTML = 1u << 6, /* no usable text/plain: from HTML */
	MAIL_F_TEXT_FROM_FORWARD = 1u << 7, /* body only a message/rfc822 */
	MAIL_F_CHARSET_GUESSED = 1u << 8, /* 8-bit text without a charset */
	MAIL_F_AUTO_REPLY = 1u << 9,   /* auto-reply signals (auto_reason) */
	MAIL_F_BOUNCE = 1u << 10,      /* delivery status notification */
	MAIL_F_BULK = 1u << 11,        /* Precedence bulk/junk/list */
	MAIL_F_TRUNCATED = 1u << 12,   /* a limit cut parts, text or headers */
	MAIL_F_ATTACH_SKIPPED = 1u << 13, /* some attachment body not kept */
	MAIL_F_8BIT_HEADERS = 1u << 14 /* raw 8-bit bytes in the header */
};

struct mail_addr {
	char *addr; /* lowercased addr-spec ("" when the header had none) */
	char *name; /* decoded display name, UTF-8; NULL when absent */
};

struct mail_addr_list {
	struct mail_addr *v;
	size_t n;
};

struct mail_header {
	char *name;  /* as written (case kept) */
	char *value; /* unfolded, RFC 2047 decoded, UTF-8 */
	char *raw;   /* as it came: folded, not decoded (NUL bytes dropped) */
};

enum mail_part_kind {
	MAIL_PART_ATTACHMENT, /* Content-Disposition attachment, or not text */
	MAIL_PART_INLINE,     /* inline, usually an image with a Content-ID */
	MAIL_PART_MESSAGE     /* message/rfc822 (forward, bounced original) */
};

struct mail_part {
	enum mail_part_kind kind;
	char *filename;     /* decoded (RFC 2047 / 2231), UTF-8; NULL if none */
	char *content_type; /* "type/subtype", lowercase */
	char *content_id;   /* without <>; NULL if none */
	size_t size;        /* decoded bytes */
	char sha256[65];    /* hex of the decoded bytes */
	unsigned char *data; /* decoded bytes (size of them), NULL if skipped */
	int skipped;        /* body over the limits: data not kept */
};

struct mail_dsn_rcpt {
	char *final_recipient; /* address only, lowercased */
	char *action;          /* failed, delayed, delivered, relayed, expanded */
	char *status;          /* "5.1.1" */
	char *diagnostic;      /* Diagnostic-Code, may be NULL */
};

struct mail_bounce {
	struct mail_dsn_rcpt *rcpt;
	size_t n;
	char *orig_message_id; /* of the returned message, NULL if unknown */
	char *orig_subject;    /* decoded */
	char *orig_x_ticket;   /* its X-Ticket header, NULL if none */
};

struct mail {
	char *message_id;       /* without <>; synthetic when flagged */
	struct mail_addr from;  /* first From mailbox */
	struct mail_addr_list to, cc, delivered_to, x_original_to, reply_to;
	char *subject;          /* decoded, UTF-8, "" when missing */
	int64_t date;           /* UTC seconds; 0 with MAIL_F_NO_DATE */
	char *in_reply_to;      /* first id, without <>; NULL when absent */
	char **references;      /* ids without <>, oldest first */
	size_t nreferences;
	char *text;             /* full text, UTF-8, LF line ends, "" if none */
	char *display_text;     /* text without quoted reply and signature */
	char *html;             /* sanitized HTML, NULL when none */
	struct mail_part *parts;
	size_t nparts;
	struct mail_header *headers; /* top-level headers in order */
	size_t nheaders;
	struct mail_bounce bounce; /* filled with MAIL_F_BOUNCE */
	const char *auto_reason; /* static text: why MAIL_F_AUTO_REPLY */
	size_t raw_size;
	unsigned flags;
};

/* Calls g_mime_init() the first time; safe to call again, but not from
 * two threads at once: call it at start-up, before any thread. After it,
 * mail_parse() may run in several threads (each parse owns its objects). */
void mail_init(void);
/* Calls g_mime_shutdown() when mail_init() ran. */
void mail_shutdown(void);

void mail_limits_default(struct mail_limits *lim);

/*
 * Parses raw[0, len). On MAIL_OK *out is a new struct mail the caller
 * frees with mail_free(); on any other code *out is NULL. lim may be NULL
 * (defaults).
 */
enum mail_rc mail_parse(const char *raw, size_t len,
                        const struct mail_limits *lim, struct mail **out);

void mail_free(struct mail *m);

/* The value of the first top-level header called name (case-insensitive),
 * or NULL. Valid while m lives. */
const char *mail_header_get(const struct mail *m, const char *name);

/* Flag name for JSON and logs ("oversize", ...), NULL if not one flag. */
const char *mail_flag_name(unsigned flag);

const char *mail_rc_str(enum mail_rc rc);

#endif
