/*
 * test_mail_parse.c - parse.h, html.h and text.h over the corpus and over
 * hand-made hostile inputs.
 *
 * Golden files: tests/golden/mail/NNN.json is the JSON dump (dump.h) of
 * the parse of corpus NNN.eml. After a deliberate change, regenerate with
 *     SOPORTE_GOLDEN_UPDATE=1 ./build/test_mail_parse
 * and review the diff in git. On a mismatch the actual dump is written
 * into the build folder as NNN.actual.json for `diff -u`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mail/dump.h"
#include "mail/html.h"
#include "mail/parse.h"
#include "mail/text.h"
#include "mail_corpus.h"

#define GOLDEN_DIR SOPORTE_SRC "/tests/golden/mail"

static struct mail *
parse_file(const char *name, const struct mail_limits *lim)
{
	char path[512];
	snprintf(path, sizeof path, CORPUS_DIR "/%s", name);
	size_t len = 0;
	char *raw = corpus_read(path, &len);
	if (raw == NULL)
		fail_msg("cannot read %s", path);
	struct mail *m = NULL;
	enum mail_rc rc = mail_parse(raw, len, lim, &m);
	free(raw);
	if (rc != MAIL_OK)
		fail_msg("%s: %s", name, mail_rc_str(rc));
	return m;
}

static struct mail *
parse_str(const char *raw)
{
	struct mail *m = NULL;
	assert_int_equal(mail_parse(raw, strlen(raw), NULL, &m), MAIL_OK);
	return m;
}

static const struct mail_part *
part_named(const struct mail *m, const char *filename)
{
	for (size_t i = 0; i < m->nparts; i++)
		if (m->parts[i].filename &&
		    strcmp(m->parts[i].filename, filename) == 0)
			return &m->parts[i];
	return NULL;
}

/* Headers decoded from every encoding the corpus uses. */
static void
test_headers_decoded(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		const char *what;
		const char *want;
	} rows[] = {
		{"001.eml", "subject", "URGENTE: sistema de pedidos caído"},
		{"004.eml", "subject",
		 "Caída total del sistema de citas web - no carga"},
		{"015.eml", "subject",
		 "Chatbot de reservas confirma mesas en días cerrados"},
		{"042.eml", "subject", "Capacitación al personal nuevo de ag"},
		{"048.eml", "subject",
		 "¿Se puede ver el historial de conversaciones del chatbot?"},
		{"048.eml", "from_name", "Piero Gutiérrez"},
		{"103.eml", "from_name", "José Luis Vilca"},
		{"034.eml", "from_name", "Dra. Patricia Villanueva"},
		{"074.eml", "subject",
		 "URGENTE - Portal B2B inaccesible para todas las farmacias de la "
		 "red norte desde las 7:00 horas de hoy lunes"},
		{"036.eml", "subject",
		 "¡Su web en la PRIMERA página de Google en 7 días! Garantizado"},
		{"001.eml", "from", "rquispe@andinasur.pe"},
		{"040.eml", "from", "MAILER-DAEMON@mx1.prodequa.example"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct mail *m = parse_file(rows[i].file, NULL);
		const char *got = strcmp(rows[i].what, "subject") == 0 ? m->subject
		                  : strcmp(rows[i].what, "from") == 0  ? m->from.addr
		                                                       : m->from.name;
		if (got == NULL ||
		    (strcmp(rows[i].what, "subject") == 0 &&
		     strncmp(got, rows[i].want, strlen(rows[i].want)) != 0) ||
		    (strcmp(rows[i].what, "subject") != 0 &&
		     strcmp(got, rows[i].want) != 0))
			fail_msg("%s %s: got '%s' want '%s'", rows[i].file,
			         rows[i].what, got ? got : "(null)", rows[i].want);
		mail_free(m);
	}
}

/* Bodies from every charset, spot-checked by a phrase each. */
static void
test_bodies_decoded(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		const char *want; /* in m->text */
	} rows[] = {
		{"008.eml", "Matías Ñique Cárdenas"},             /* windows-1252 */
		{"027.eml", "Botica \xe2\x80\x9cSan Judas\xe2\x80\x9d"}, /* curly */
		{"100.eml", "año lectivo 2026"},     /* 8bit, no MIME, latin1 */
		{"100.eml", "Ricardo Peña"},
		{"095.eml", "cotizaci"},              /* iso-8859-1 QP */
		{"034.eml", "fuera de la oficina hasta el lunes 9 de marzo"},
		{"036.eml", "Responda SÍ a este correo"}, /* HTML only, QP */
		{"096.eml", "Business Profile \"PRODEQUA S.A.C.\""}, /* &quot; */
		{"120.eml", "artículos en el blog"},  /* CRLF */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct mail *m = parse_file(rows[i].file, NULL);
		if (strstr(m->text, rows[i].want) == NULL)
			fail_msg("%s: '%s' not in text:\n%s", rows[i].file,
			         rows[i].want, m->text);
		if (strchr(m->text, '\r'))
			fail_msg("%s: CR left in text", rows[i].file);
		mail_free(m);
	}
}

static void
test_flags(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		unsigned want;
	} rows[] = {
		{"037.eml", MAIL_F_NO_DATE},
		{"083.eml", MAIL_F_SYNTH_MSGID},
		{"120.eml", MAIL_F_SYNTH_MSGID | MAIL_F_CRLF},
		{"099.eml", MAIL_F_LONG_LINES},
		{"100.eml", MAIL_F_NO_MIME | MAIL_F_CHARSET_GUESSED},
		{"117.eml", MAIL_F_OVERSIZE | MAIL_F_ATTACH_SKIPPED},
		{"034.eml", MAIL_F_TEXT_FROM_HTML | MAIL_F_AUTO_REPLY},
		{"048.eml", MAIL_F_8BIT_HEADERS},
		{"040.eml", MAIL_F_BOUNCE},
		{"112.eml", MAIL_F_BULK},
		{"078.eml", MAIL_F_AUTO_REPLY},
		{"118.eml", MAIL_F_AUTO_REPLY | MAIL_F_BULK},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct mail *m = parse_file(rows[i].file, NULL);
		if ((m->flags & rows[i].want) != rows[i].want)
			fail_msg("%s: flags 0x%x lack 0x%x", rows[i].file, m->flags,
			         rows[i].want);
		mail_free(m);
	}
	/* And the quiet case: a plain message has none of them. */
	struct mail *m = parse_file("002.eml", NULL);
	assert_int_equal(m->flags, 0);
	assert_true(m->date > 0);
	mail_free(m);
}

static void
test_attachments(void **state)
{
	(void)state;
	struct mail *m = parse_file("016.eml", NULL); /* RFC 2231 names */
	const struct mail_part *p = part_named(m, "carta_otoño_ceviche.png");
	assert_non_null(p);
	assert_string_equal(p->content_type, "image/png");
	assert_non_null(p->data);
	assert_int_equal(strlen(p->sha256), 64);
	assert_non_null(part_named(m, "carta_otoño_arroz_con_mariscos.png"));
	mail_free(m);

	m = parse_file("044.eml", NULL);
	assert_non_null(part_named(m, "reseñas_asociadas.pdf"));
	mail_free(m);

	m = parse_file("089.eml", NULL); /* related inside alternative */
	p = part_named(m, "image001.png");
	assert_non_null(p);
	assert_int_equal(p->kind, MAIL_PART_INLINE);
	assert_string_equal(p->content_id, "image001.png@01DCDE0AF046.C281E598");
	assert_non_null(m->html);
	assert_non_null(strstr(m->html,
	                       "src=\"cid:image001.png@01DCDE0AF046.C281E598\""));
	mail_free(m);

	m = parse_file("117.eml", NULL); /* oversize: text yes, video no */
	assert_true(m->flags & MAIL_F_OVERSIZE);
	assert_non_null(strstr(m->text, "módulo de despachos"));
	p = part_named(m, "grabacion_despachos.mp4");
	assert_non_null(p);
	assert_true(p->skipped);
	assert_null(p->data);
	assert_true(p->size > 1000000);
	mail_free(m);

	m = parse_file("054.eml", NULL); /* forward kept as a part */
	assert_int_equal(m->nparts, 1);
	assert_int_equal(m->parts[0].kind, MAIL_PART_MESSAGE);
	assert_string_equal(m->parts[0].content_type, "message/rfc822");
	mail_free(m);
}

/* Which parts make the text, hand-made to one feature each. */
static void
test_body_structure(void **state)
{
	(void)state;
	static const struct {
		const char *name, *raw;
		const char *want;   /* substring of text ("" for empty) */
		const char *absent; /* must not be in text */
		unsigned flags;     /* must be set */
		size_t nparts;
	} rows[] = {
		{"forward only",
		 "Subject: Fwd\nContent-Type: message/rfc822\n\n"
		 "Subject: inner\nContent-Type: text/plain\n\nreenviado\n",
		 "reenviado", NULL, MAIL_F_TEXT_FROM_FORWARD, 1},
		{"text attachment is not body",
		 "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
		 "Content-Type: text/plain\n\ncuerpo\n--b\n"
		 "Content-Type: text/plain\nContent-Disposition: attachment; "
		 "filename=a.log\n\nERROR 500 log\n--b--\n",
		 "cuerpo", "ERROR 500", 0, 1},
		{"two inline text parts",
		 "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
		 "Content-Type: text/plain\n\nuno\n--b\n"
		 "Content-Type: text/plain\n\ndos\n--b--\n",
		 "dos", NULL, 0, 0},
		{"plain preferred over html",
		 "Content-Type: multipart/alternative; boundary=b\n\n--b\n"
		 "Content-Type: text/plain\n\nplano\n--b\n"
		 "Content-Type: text/html\n\n<p>html</p>\n--b--\n",
		 "plano", "html", 0, 0},
		{"empty plain, html used",
		 "Content-Type: multipart/alternative; boundary=b\n\n--b\n"
		 "Content-Type: text/plain\n\n  \n--b\n"
		 "Content-Type: text/html\n\n<p>desde html</p>\n--b--\n",
		 "desde html", NULL, MAIL_F_TEXT_FROM_HTML, 0},
		{"base64 latin1 body",
		 "Content-Type: text/plain; charset=iso-8859-1\n"
		 "Content-Transfer-Encoding: base64\n\nQ2Fm6Q==\n",
		 "Café", NULL, 0, 0},
		{"qp utf-8 body",
		 "Content-Type: text/plain; charset=utf-8\n"
		 "Content-Transfer-Encoding: quoted-printable\n\nNi=C3=B1o =\nsoft\n",
		 "Niño soft", NULL, 0, 0},
		{"2047 filename",
		 "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
		 "Content-Type: text/plain\n\nx\n--b\nContent-Type: image/png; "
		 "name=\"=?UTF-8?Q?gr=C3=A1fico.png?=\"\n"
		 "Content-Disposition: attachment\n\nPNG\n--b--\n",
		 "x", NULL, 0, 1},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct mail *m = parse_str(rows[i].raw);
		if (strstr(m->text, rows[i].want) == NULL ||
		    (rows[i].absent && strstr(m->text, rows[i].absent)) ||
		    (m->flags & rows[i].flags) != rows[i].flags ||
		    m->nparts != rows[i].nparts)
			fail_msg("%s: text '%s' flags 0x%x parts %zu", rows[i].name,
			         m->text, m->flags, m->nparts);
		mail_free(m);
	}
	struct mail *m = parse_str(rows[7].raw);
	assert_string_equal(m->parts[0].filename, "gráfico.png");
	mail_free(m);
}

static void
test_bounce_fields(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		const char *rcpt, *action, *status, *orig_id;
	} rows[] = {
		{"040.eml", "ctorres@thuallaga.pe", "failed", "5.1.1",
		 "out-19c0a0c414c633f1@soporte.prodequa.example"},
		{"080.eml", "crojas@clinicasantalucia.com.pe", "failed", "5.2.2",
		 "out-fa7d566f461ff677@soporte.prodequa.example"},
		{"110.eml", "hparedes@paredesabogados.pe", "delayed", "4.4.1",
		 "out-481610a8d3e4bbbd@soporte.prodequa.example"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct mail *m = parse_file(rows[i].file, NULL);
		assert_true(m->flags & MAIL_F_BOUNCE);
		assert_int_equal(m->bounce.n, 1);
		assert_string_equal(m->bounce.rcpt[0].final_recipient, rows[i].rcpt);
		assert_string_equal(m->bounce.rcpt[0].action, rows[i].action);
		assert_string_equal(m->bounce.rcpt[0].status, rows[i].status);
		assert_string_equal(m->bounce.orig_message_id, rows[i].orig_id);
		mail_free(m);
	}
}

static void
test_display_text_trims_quotes(void **state)
{
	(void)state;
	struct mail *m = parse_file("033.eml", NULL);
	assert_non_null(strstr(m->text, "-----Mensaje original-----"));
	assert_null(strstr(m->display_text, "Mensaje original"));
	assert_null(strstr(m->display_text, "Jefa de Operaciones"));
	assert_non_null(strstr(m->display_text, "volvió a funcionar"));
	mail_free(m);

	static const struct {
		const char *in, *want;
	} rows[] = {
		{"Hola\n\nOn Mon, 2 Mar 2026, X <x@y> wrote:\n> viejo\n", "Hola"},
		{"Listo.\nEl lun, 2 mar 2026 a las 9:00, X escribió:\n> a\n",
		 "Listo."},
		{"Gracias\n-- \nFirma\n", "Gracias"},
		{"Ok\n\nDe: Soporte\nEnviado: lunes\nPara: x\n", "Ok"},
		{"> solo cita\n", "> solo cita"},
		{"Hola\n> pregunta 1\nrespuesta 1\n\n\n> pregunta 2\nrespuesta 2\n",
		 "Hola\nrespuesta 1\n\nrespuesta 2"},
		{"\n\n  \nTexto\n\n\n\nMás\n", "Texto\n\nMás"},
		{"", ""},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char *d = text_display(rows[i].in);
		assert_non_null(d);
		if (strcmp(d, rows[i].want) != 0)
			fail_msg("display of '%s': got '%s'", rows[i].in, d);
		free(d);
	}
}

static void
test_html_sanitize(void **state)
{
	(void)state;
	static const struct {
		const char *name, *in;
		const char *must;     /* substring the output has (NULL: none) */
		const char *must_not; /* substring it must not have */
	} rows[] = {
		{"script dropped", "<p>a</p><script>alert(1)</script><p>b</p>",
		 "<p>a</p><p>b</p>", "alert"},
		{"script uppercase", "<SCRIPT type=x>alert(1)</SCRIPT >ok", "ok",
		 "alert"},
		{"unterminated script", "ok<script>alert(1)", "ok", "alert"},
		{"style dropped", "<style>p{x:y}</style>t", "t", "x:y"},
		{"iframe dropped", "<iframe src=//e.example></iframe>t", "t",
		 "iframe"},
		{"object dropped", "<object data=x><embed src=y></object>t", "t",
		 "embed"},
		{"on handler", "<p onclick=\"steal()\">x</p>", "<p>x</p>", "steal"},
		{"img onerror", "<img src=x onerror=alert(1)>", "<img>", "onerror"},
		{"javascript href", "<a href=\"javascript:alert(1)\">x</a>",
		 "<a rel=", "javascript"},
		{"entity javascript", "<a href=\"jav&#x61;script:alert(1)\">x</a>",
		 "x</a>", "script"},
		{"tab javascript", "<a href=\"java\tscript:alert(1)\">x</a>", "x",
		 "script:"},
		{"http link kept", "<a href=\"https://e.example/a?b=1&amp;c=2\">x</a>",
		 "href=\"https://e.example/a?b=1&amp;c=2\"", NULL},
		{"cid image kept", "<img src=\"cid:img1@x\" alt=\"c\">",
		 "<img src=\"cid:img1@x\" alt=\"c\">", NULL},
		{"remote image dropped", "<img src=\"http://t.example/p.gif\">",
		 "<img>", "t.example"},
		{"data image dropped", "<img src=\"data:image/png;base64,AA\">",
		 "<img>", "data:"},
		{"style attr dropped", "<p style=\"background:url(x)\">t</p>",
		 "<p>t</p>", "url("},
		{"attr breakout", "<p title='\"><script>'>t</p>", "<p>t</p>",
		 "<script"},
		{"unbalanced closed", "<b><i>x</b>", "<b><i>x</i></b>", NULL},
		{"stray end tag", "x</div></table>", "x", "</div>"},
		{"comment dropped", "a<!-- <script>x</script> -->b", "ab", "script"},
		{"text escaped", "1 &lt; 2 &amp; <3", "1 &lt; 2 &amp; &lt;3", NULL},
		{"svg dropped", "<svg><script>x</script></svg>ok", "ok", "svg"},
		{"form controls", "<form action=x><input name=p></form>t", "t",
		 "input"},
		{"meta refresh", "<meta http-equiv=refresh content=0;url=x>t", "t",
		 "refresh"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct buf b = BUF_INIT(0);
		assert_int_equal(html_sanitize(rows[i].in, strlen(rows[i].in), &b),
		                 BUF_OK);
		const char *out = buf_str(&b);
		if ((rows[i].must && strstr(out, rows[i].must) == NULL) ||
		    (rows[i].must_not && strstr(out, rows[i].must_not)))
			fail_msg("%s: '%s' -> '%s'", rows[i].name, rows[i].in, out);
		buf_free(&b);
	}
	/* The corpus phishing page: its script never reaches the display. */
	struct mail *m = parse_file("086.eml", NULL);
	const struct mail_part *p = part_named(m, "Factura_F001-00023871.html");
	assert_non_null(p);
	assert_non_null(p->data);
	assert_non_null(strstr((const char *)p->data, "<script>"));
	struct buf b = BUF_INIT(0);
	assert_int_equal(html_sanitize((const char *)p->data, p->size, &b), BUF_OK);
	assert_null(strstr(buf_str(&b), "script"));
	assert_null(strstr(buf_str(&b), "location"));
	buf_free(&b);
	mail_free(m);
}

static void
test_html_to_text(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} rows[] = {
		{"<p>Uno</p><p>Dos</p>", "Uno\n\nDos"},
		{"a<br>b<br><br>c", "a\nb\n\nc"},
		{"<ul><li>x</li><li>y</li></ul>", "- x\n- y"},
		{"<a href=\"https://e.example\">web</a>", "web (https://e.example)"},
		{"<a href=\"https://e.example\">https://e.example</a>",
		 "https://e.example"},
		{"<head><title>T</title><style>x</style></head><body>B</body>", "B"},
		{"Caf&eacute; &amp; t&#233; &#x2013; ok&nbsp;ya", "Café & té – ok ya"},
		{"  muchos    espacios \n aquí ", "muchos espacios aquí"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct buf b = BUF_INIT(0);
		assert_int_equal(html_to_text(rows[i].in, strlen(rows[i].in), &b),
		                 BUF_OK);
		if (strcmp(buf_str(&b), rows[i].want) != 0)
			fail_msg("'%s' -> '%s' want '%s'", rows[i].in, buf_str(&b),
			         rows[i].want);
		buf_free(&b);
	}
}

static void
test_charsets(void **state)
{
	(void)state;
	static const struct {
		const char *in;
		size_t len;
		const char *cs, *want;
		int guessed;
	} rows[] = {
		{"a\xe9", 2, "iso-8859-1", "aé", 0},
		{"\x93x\x94 \x96", 5, "windows-1252", "“x” –", 0},
		{"\x93x\x94", 3, NULL, "“x”", 1},
		{"\xc3\xa9", 2, NULL, "é", 1},
		{"\xc3\xa9", 2, "us-ascii", "é", 1},
		{"a\r\nb\rc", 6, "utf-8", "a\nb\nc", 0},
		{"a\0b", 3, "utf-8", "ab", 0},
		{"\xff\xfe", 2, "utf-8", "\xef\xbf\xbd\xef\xbf\xbd", 0},
		{"\xe9", 1, "x-no-such-charset", "é", 1},
		{"\xa4", 1, "iso-8859-15", "€", 0},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int guessed = -1;
		char *s = text_to_utf8(rows[i].in, rows[i].len, rows[i].cs, &guessed);
		assert_non_null(s);
		if (strcmp(s, rows[i].want) != 0 || guessed != rows[i].guessed)
			fail_msg("row %zu: got '%s' guessed %d", i, s, guessed);
		free(s);
	}
}

/* Inputs that must parse (or fail cleanly), never crash. */
static void
test_hostile_inputs(void **state)
{
	(void)state;
	struct mail *m = NULL;
	assert_int_equal(mail_parse("", 0, NULL, &m), MAIL_ERR_PARSE);
	assert_null(m);
	assert_int_equal(mail_parse(NULL, 0, NULL, &m), MAIL_ERR_ARG);

	static const char *const junk[] = {
		"\n\n\n",
		"no headers here at all",
		"Subject: only a header",
		"From: <>\nTo: ,,,\nCc: \"unclosed\nSubject: =?UTF-8?B?####?=\n\nx",
		"Content-Type: multipart/mixed; boundary=b\n\n--b\n--b\n--b--\n",
		"Content-Type: multipart/mixed\n\nno boundary\n",
		"Content-Type: text/plain; charset=\"\"\nContent-Transfer-Encoding:"
		" base64\n\n!!!!====\n",
		"Content-Type: message/rfc822\n\n",
		"Content-Type: multipart/report; report-type=delivery-status; "
		"boundary=b\n\n--b\nContent-Type: message/delivery-status\n\n"
		"Final-Recipient:\nAction:\n\n:\n \n--b--\n",
		"Date: Mon, 99 Foo 99999 99:99:99 +9999\nSubject: x\n\nx",
		"In-Reply-To: <<<>>>\nReferences: < > <a@b> <<\nSubject: x\n\nx",
		"Content-Type: text/html\n\n<a href=\"",
		"Content-Type: text/html\n\n<p <<<<>>>> &#99999999999; &#x; &",
	};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
		enum mail_rc rc = mail_parse(junk[i], strlen(junk[i]), NULL, &m);
		assert_true(rc == MAIL_OK || rc == MAIL_ERR_PARSE);
		if (rc == MAIL_OK) {
			assert_non_null(m->message_id);
			assert_non_null(m->text);
			assert_non_null(m->subject);
			mail_free(m);
		}
	}
}

static void
test_limits(void **state)
{
	(void)state;
	/* Deep nesting stops at max_depth. */
	struct buf b = BUF_INIT(0);
	buf_puts(&b, "Subject: deep\nMIME-Version: 1.0\n"
	             "Content-Type: multipart/mixed; boundary=b0\n\n");
	for (int i = 0; i < 60; i++)
		buf_printf(&b, "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n",
		           i, i + 1);
	buf_puts(&b, "--b60\nContent-Type: text/plain\n\nfondo\n");
	struct mail *m = NULL;
	assert_int_equal(mail_parse(b.data, b.len, NULL, &m), MAIL_OK);
	assert_true(m->flags & MAIL_F_TRUNCATED);
	mail_free(m);
	buf_free(&b);

	/* Many parts stop at max_parts. */
	struct buf c = BUF_INIT(0);
	buf_puts(&c, "Subject: many\nContent-Type: multipart/mixed; boundary=z\n\n");
	for (int i = 0; i < 50; i++)
		buf_printf(&c, "--z\nContent-Type: application/octet-stream\n"
		               "Content-Disposition: attachment; filename=f%d.bin\n\n"
		               "data%d\n", i, i);
	buf_puts(&c, "--z--\n");
	struct mail_limits lim = {0};
	lim.max_parts = 10;
	lim.max_attachment_bytes = 4;
	assert_int_equal(mail_parse(c.data, c.len, &lim, &m), MAIL_OK);
	assert_true(m->flags & MAIL_F_TRUNCATED);
	assert_int_equal(m->nparts, 10);
	assert_true(m->parts[0].skipped); /* "data0" is 5 bytes + newline */
	assert_true(m->flags & MAIL_F_ATTACH_SKIPPED);
	mail_free(m);
	buf_free(&c);

	/* A small max_message_bytes flags the message but still parses it. */
	lim = (struct mail_limits){0};
	lim.max_message_bytes = 100;
	m = parse_file("001.eml", &lim);
	assert_true(m->flags & MAIL_F_OVERSIZE);
	assert_non_null(strstr(m->text, "502 Bad Gateway"));
	mail_free(m);
}

static void
test_synthetic_id_stable(void **state)
{
	(void)state;
	const char *a = "Received: from a by b\nFrom: x@y.example\n"
	                "Subject: s\n\nbody\n";
	const char *b = "Received: from c by d\nReceived: from a by b\n"
	                "From: x@y.example\r\nSubject: s\r\n\r\nbody\r\n";
	const char *c = "From: x@y.example\nSubject: s\n\nother body\n";
	struct mail *ma = parse_str(a), *mb = parse_str(b), *mc = parse_str(c);
	assert_true(ma->flags & MAIL_F_SYNTH_MSGID);
	assert_string_equal(ma->message_id, mb->message_id);
	assert_string_not_equal(ma->message_id, mc->message_id);
	mail_free(ma);
	mail_free(mb);
	mail_free(mc);
}

/* All 120 corpus messages parse, with the three second deliveries
 * sharing their first delivery's Message-ID. */
static void
test_corpus_all_parse(void **state)
{
	(void)state;
	static struct corpus_row rows[CORPUS_MAX];
	int n = corpus_labels(rows, CORPUS_MAX);
	assert_int_equal(n, 120);
	for (int i = 0; i < n; i++) {
		struct mail *m = parse_file(rows[i].file, NULL);
		if (strcmp(m->from.addr, rows[i].from) != 0 &&
		    strcasecmp(m->from.addr, rows[i].from) != 0)
			fail_msg("%s: from %s want %s", rows[i].file, m->from.addr,
			         rows[i].from);
		assert_true(m->text[0] != '\0');
		mail_free(m);
	}
}

static const char *const golden[] = {
	"004.eml", /* ISO-8859-1 Q subject, nested parts */
	"016.eml", /* RFC 2231 file names */
	"034.eml", /* empty text/plain alternative: text from HTML; auto-reply */
	"040.eml", /* bounce with text/rfc822-headers */
	"048.eml", /* raw 8-bit UTF-8 Subject and From */
	"054.eml", /* message/rfc822 forward */
	"086.eml", /* phishing HTML attachment with a script */
	"089.eml", /* related inside alternative, cid image */
	"100.eml", /* no MIME headers, latin1 bytes */
	"110.eml", /* delayed DSN */
	"117.eml", /* oversize */
	"120.eml", /* CRLF, no Message-ID */
};

/* Hand-made inputs that live next to their JSON in tests/golden/mail. */
static const char *const golden_local[] = {
	"xss",       /* every sanitizer rule in one HTML body */
	"dsn-multi", /* two recipients, folded Diagnostic-Code, headers only */
};

static struct mail *
parse_local(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, GOLDEN_DIR "/%s.eml", name);
	size_t len = 0;
	char *raw = corpus_read(path, &len);
	if (raw == NULL)
		fail_msg("cannot read %s", path);
	struct mail *m = NULL;
	enum mail_rc rc = mail_parse(raw, len, NULL, &m);
	free(raw);
	if (rc != MAIL_OK)
		fail_msg("%s: %s", name, mail_rc_str(rc));
	return m;
}

static void
test_golden_files(void **state)
{
	(void)state;
	int update = getenv("SOPORTE_GOLDEN_UPDATE") != NULL;
	int bad = 0;
	size_t ncorpus = sizeof golden / sizeof golden[0];
	size_t nlocal = sizeof golden_local / sizeof golden_local[0];
	for (size_t i = 0; i < ncorpus + nlocal; i++) {
		char stem[32];
		struct mail *m;
		if (i < ncorpus) {
			snprintf(stem, sizeof stem, "%.3s", golden[i]);
			m = parse_file(golden[i], NULL);
		} else {
			snprintf(stem, sizeof stem, "%s", golden_local[i - ncorpus]);
			m = parse_local(stem);
		}
		char *got = mail_dump_json(m);
		assert_non_null(got);
		char path[512];
		snprintf(path, sizeof path, GOLDEN_DIR "/%s.json", stem);
		if (update) {
			FILE *f = fopen(path, "w");
			assert_non_null(f);
			fputs(got, f);
			fclose(f);
		} else {
			size_t len = 0;
			char *want = corpus_read(path, &len);
			if (want == NULL || strcmp(want, got) != 0) {
				char apath[600];
				snprintf(apath, sizeof apath,
				         SOPORTE_BUILD "/%s.actual.json", stem);
				FILE *f = fopen(apath, "w");
				if (f) {
					fputs(got, f);
					fclose(f);
				}
				print_message("golden mismatch: diff -u %s %s\n", path, apath);
				bad++;
			}
			free(want);
		}
		free(got);
		mail_free(m);
	}
	assert_int_equal(bad, 0);
}

static int
setup(void **state)
{
	(void)state;
	mail_init();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	mail_shutdown();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers_decoded),
		cmocka_unit_test(test_bodies_decoded),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_body_structure),
		cmocka_unit_test(test_bounce_fields),
		cmocka_unit_test(test_display_text_trims_quotes),
		cmocka_unit_test(test_html_sanitize),
		cmocka_unit_test(test_html_to_text),
		cmocka_unit_test(test_charsets),
		cmocka_unit_test(test_hostile_inputs),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_synthetic_id_stable),
		cmocka_unit_test(test_corpus_all_parse),
		cmocka_unit_test(test_golden_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
