/*
 * csvrec.c - RFC 4180 record splitter (see csvrec.h).
 */
#include "util/csvrec.h"

void
csvrec_init(struct csvrec *c, const char *text, size_t len)
{
	c->p = text;
	c->end = text + len;
	c->line = 1;
}

/* Skips to just after the end of the current line (for error recovery). */
static void
skip_line(struct csvrec *c)
{
	while (c->p < c->end && *c->p != '\n')
		c->p++;
	if (c->p < c->end) {
		c->p++;
		c->line++;
	}
}

enum csvrec_rc
csvrec_next(struct csvrec *c, char *buf, size_t bufsize, char **fields,
            size_t maxfields, size_t *nfields, size_t *line)
{
	size_t o = 0, nf = 0;
	enum csvrec_rc rc = CSVREC_OK;

	*line = c->line;
	if (c->p >= c->end)
		return CSVREC_EOF;
	if (bufsize == 0 || maxfields == 0)
		return CSVREC_ETOOLONG;
	for (;;) {
		/* One field starts here. */
		if (nf == maxfields) {
			rc = CSVREC_ETOOMANY;
			goto bad;
		}
		fields[nf++] = buf + o;
		if (c->p < c->end && *c->p == '"') {
			c->p++;
			for (;;) {
				if (c->p >= c->end) {
					rc = CSVREC_EQUOTE;
					goto bad;
				}
				char ch = *c->p++;
				if (ch == '"') {
					if (c->p < c->end && *c->p == '"')
						c->p++;
					else
						break;
				} else if (ch == '\n') {
					c->line++;
				}
				if (o + 1 >= bufsize) {
					rc = CSVREC_ETOOLONG;
					goto bad;
				}
				buf[o++] = ch;
			}
			if (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
			    !(*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')) {
				rc = CSVREC_EQUOTE;
				goto bad;
			}
		} else {
			while (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
			       !(*c->p == '\r' && c->p + 1 < c->end &&
			         c->p[1] == '\n')) {
				if (*c->p == '"') {
					rc = CSVREC_EQUOTE;
					goto bad;
				}
				if (o + 1 >= bufsize) {
					rc = CSVREC_ETOOLONG;
					goto bad;
				}
				buf[o++] = *c->p++;
			}
		}
		if (o + 1 > bufsize) {
			rc = CSVREC_ETOOLONG;
			goto bad;
		}
		buf[o++] = '\0';
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == '\r')
			c->p++;
		if (c->p < c->end && *c->p == '\n') {
			c->p++;
			c->line++;
		}
		*nfields = nf;
		return CSVREC_OK;
	}
bad:
	skip_line(c);
	return rc;
}
