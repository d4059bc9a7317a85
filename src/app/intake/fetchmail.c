/*
 * fetchmail.c - one polling round of an IMAP mailbox (see fetchmail.h).
 */
#include "app/intake/fetchmail.h"
#include "mail/imap.h"
#include "util/buf.h"
#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where the mailbox's round stopped: STORE_OK with *uidvalidity and
 * *last_uid (both 0 for a mailbox new to us). */
static enum store_rc
state_load(struct store *db, const char *name, int64_t *uidvalidity,
           int64_t *last_uid)
{
	struct store_rows *r;
	*uidvalidity = *last_uid = 0;
	enum store_rc rc = store_query_row(db,
	                                   "SELECT uidvalidity, last_uid FROM "
	                                   "imap_state WHERE mailbox = $1",
	                                   STORE_PARAMS(SP_T(name)), &r);
	if (rc == STORE_NOTFOUND)
		return STORE_OK;   /* a mailbox not read yet */
	if (rc != STORE_OK)
		return rc;
	*uidvalidity = store_int(r, 0);
	*last_uid = store_int(r, 1);
	store_done(r);
	return STORE_OK;
}

static enum store_rc
state_save(struct store *db, const char *name, int64_t uidvalidity,
           int64_t last_uid)
{
	return store_exec(db,
	                  "INSERT INTO imap_state (mailbox, uidvalidity, last_uid) "
	                  "VALUES ($1, $2, $3) ON CONFLICT (mailbox) DO UPDATE SET "
	                  "uidvalidity = excluded.uidvalidity, "
	                  "last_uid = excluded.last_uid",
	                  STORE_PARAMS(SP_T(name), SP_I(uidvalidity), SP_I(last_uid)));
}

static enum fetchmail_rc
imap_to_rc(enum imap_rc rc)
{
	switch (rc) {
	case IMAP_OK:
		return FETCHMAIL_OK;
	case IMAP_CONFIG:
		return FETCHMAIL_CONFIG;
	default:
		return FETCHMAIL_TEMPFAIL;
	}
}

/* Once the messages are stored: \Seen, and the move. */
static enum fetchmail_rc
mark_done(const struct fetchmail_opts *o, struct imap *im,
          const uint32_t *uids, size_t n, char *err, size_t errlen)
{
	enum imap_rc irc = imap_mark_seen(im, uids, n);
	if (irc == IMAP_OK && o->move_to)
		irc = imap_move(im, uids, n, o->move_to);
	if (irc != IMAP_OK) {
		snprintf(err, errlen, "%s", imap_errmsg(im));
		return irc == IMAP_CONFIG ? FETCHMAIL_CONFIG : FETCHMAIL_TEMPFAIL;
	}
	return FETCHMAIL_OK;
}

/* A run of UIDs fetched and not yet delivered, in order, within the group
 * bounds (app/intake/intake.h). out[i] is INTAKE_STORED for a message to deliver,
 * INTAKE_REFUSED for a UID with none to store (gone, over the cap: res[i]
 * says), and after run_deliver() what intake made of it. carry: msg[n]
 * holds the next UID's message, fetched but over the byte bound. */
struct run {
	size_t n, bytes;
	int carry;
	uint32_t uid[INTAKE_GROUP_MAX];
	struct buf msg[INTAKE_GROUP_MAX];
	struct intake_result res[INTAKE_GROUP_MAX];
	enum intake_rc out[INTAKE_GROUP_MAX];
};

/* Fetches uids[*next] on into r until it is full, the UIDs run out or a
 * signal asks to stop: FETCHMAIL_OK, or the error that ended it (r holds
 * what was fetched before; err says why). */
static enum fetchmail_rc
run_fetch(struct imap *im, const struct fetchmail_opts *o, struct run *r,
          const uint32_t *uids, size_t nuids, size_t *next, char *err,
          size_t errlen)
{
	while (r->n < INTAKE_GROUP_MAX && *next < nuids &&
	       !(o->stop && *o->stop)) {
		size_t i = r->n;
		enum imap_rc irc = IMAP_OK;
		if (r->carry)
			r->carry = 0;
		else
			irc = imap_fetch(im, uids[*next], &r->msg[i]);
		/* Gone (expunged meanwhile) or over the cap: nothing to store,
		 * ever. A NO may pass (a busy or broken server): the round stops
		 * and the next one asks again. */
		if (irc == IMAP_GONE || irc == IMAP_TOO_BIG) {
			r->out[i] = INTAKE_REFUSED;
			snprintf(r->res[i].reason, sizeof r->res[i].reason, "%s",
			         imap_errmsg(im));
		} else if (irc != IMAP_OK) {
			snprintf(err, errlen, "%s", imap_errmsg(im));
			return imap_to_rc(irc);
		} else if (i > 0 && r->bytes + r->msg[i].len > INTAKE_GROUP_BYTES) {
			r->carry = 1;
			break;
		} else {
			r->out[i] = INTAKE_STORED;
			r->bytes += r->msg[i].len;
		}
		r->uid[i] = uids[(*next)++];
		r->n++;
	}
	return FETCHMAIL_OK;
}

/* The run's messages into the desk, in one transaction. */
static void
run_deliver(const struct intake *in, const struct fetchmail_opts *o,
            struct run *r, struct fetchmail_stats *st)
{
	struct intake_msg msgs[INTAKE_GROUP_MAX];
	struct intake_result res[INTAKE_GROUP_MAX];
	enum intake_rc out[INTAKE_GROUP_MAX];
	size_t m = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->out[i] == INTAKE_STORED)
			msgs[m++] = (struct intake_msg){buf_str(&r->msg[i]),
			                                r->msg[i].len, o->recipient};
	if (m == 0)
		return;
	st->fetched += (int)m;
	intake_deliver_group(in, msgs, m, o->now, res, out);
	m = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->out[i] == INTAKE_STORED) {
			r->res[i] = res[m];
			r->out[i] = out[m++];
		}
}

/* After the run's commit, in UID order: the messages stored (new or
 * duplicates) marked \Seen and moved, in one command each, those refused
 * or gone left unseen; up to the first one not stored, if any (the round
 * stops: it comes again). Then the last UID done is recorded, so the
 * record never passes a message not stored and marked: a crash before it
 * means the run is fetched again, all duplicates. */
static enum fetchmail_rc
run_finish(const struct intake *in, const struct fetchmail_opts *o,
           struct imap *im, uint32_t uidvalidity, const struct run *r,
           struct fetchmail_stats *st, char *err, size_t errlen)
{
	_Static_assert(INTAKE_GROUP_MAX <= IMAP_SET_MAX, "a run is one UID set");
	uint32_t stored[INTAKE_GROUP_MAX];
	size_t nstored = 0, i = 0;
	enum fetchmail_rc rc = FETCHMAIL_OK;
	for (; i < r->n && rc == FETCHMAIL_OK; i++) {
		uint32_t uid = r->uid[i];
		const struct intake_result *res = &r->res[i];
		switch (r->out[i]) {
		case INTAKE_STORED:
		case INTAKE_DUPLICATE:
			if (r->out[i] == INTAKE_STORED)
				st->stored++;
			else
				st->duplicates++;
			if (res->ticket_number)
				log_info("fetchmail: UID %u: %s #%06lld (%s)", uid,
				         res->disposition, (long long)res->ticket_number,
				         res->reason);
			else
				log_info("fetchmail: UID %u: %s (%s)", uid, res->disposition,
				         res->reason);
			stored[nstored++] = uid;
			break;
		case INTAKE_TEMPFAIL:
			snprintf(err, errlen, "UID %u not stored, the round stops: %s",
			         uid, res->reason);
			rc = FETCHMAIL_TEMPFAIL;
			break;
		case INTAKE_REFUSED:
			log_warn("fetchmail: %s: UID %u skipped, left unseen: %s",
			         imap_name(im), uid, res->reason);
			st->skipped++;
			break;
		}
	}
	if (rc != FETCHMAIL_OK)
		i--;   /* uid[i] is not done */
	if (nstored > 0) {
		enum fetchmail_rc mrc = mark_done(o, im, stored, nstored, err, errlen);
		if (mrc != FETCHMAIL_OK)
			return mrc;   /* nothing recorded: the run comes again */
	}
	if (i > 0 && state_save(in->db, imap_name(im), uidvalidity,
	                        r->uid[i - 1]) != STORE_OK &&
	    rc == FETCHMAIL_OK) {
		snprintf(err, errlen, "imap_state: %s", store_errmsg(in->db));
		rc = FETCHMAIL_TEMPFAIL;
	}
	return rc;
}

enum fetchmail_rc
fetchmail_round(const struct intake *in, const struct fetchmail_opts *o,
                struct fetchmail_stats *st, char *err, size_t errlen)
{
	struct imap *im = NULL;
	uint32_t *uids = NULL;
	size_t n = 0;
	struct run *r;
	enum fetchmail_rc rc = FETCHMAIL_OK;
	memset(st, 0, sizeof *st);
	err[0] = '\0';

	r = calloc(1, sizeof *r);
	if (r == NULL) {
		snprintf(err, errlen, "out of memory");
		return FETCHMAIL_TEMPFAIL;
	}
	for (size_t i = 0; i < INTAKE_GROUP_MAX; i++)
		r->msg[i] = (struct buf)BUF_INIT(INTAKE_MAX_BYTES);
	enum imap_rc irc = imap_open(o->url, o->timeout_s, INTAKE_MAX_BYTES, &im,
	                             err, errlen);
	if (irc != IMAP_OK) {
		rc = irc == IMAP_NO ? FETCHMAIL_LOGIN : imap_to_rc(irc);
		goto out;
	}
	uint32_t uidvalidity = 0;
	irc = imap_select(im, &uidvalidity);
	if (irc == IMAP_OK && o->move_to)
		irc = imap_create(im, o->move_to);
	if (irc != IMAP_OK) {
		/* SELECT refused: most likely no such mailbox, a setup error. */
		snprintf(err, errlen, "%s", imap_errmsg(im));
		rc = irc == IMAP_NO ? FETCHMAIL_CONFIG : imap_to_rc(irc);
		goto out;
	}

	int64_t known_validity = 0, last_uid = 0;
	enum store_rc src = state_load(in->db, imap_name(im), &known_validity,
	                               &last_uid);
	if (src != STORE_OK) {
		snprintf(err, errlen, "imap_state: %s", store_errmsg(in->db));
		rc = FETCHMAIL_TEMPFAIL;
		goto out;
	}
	if (known_validity != 0 && known_validity != (int64_t)uidvalidity) {
		log_warn("fetchmail: %s: UIDVALIDITY changed (%lld -> %u): starting "
		         "over from UID 1; messages already stored are skipped as "
		         "duplicates",
		         imap_name(im), (long long)known_validity, uidvalidity);
		last_uid = 0;
		st->restarted = 1;
	}
	if (last_uid < 0 || last_uid >= UINT32_MAX)
		last_uid = 0;

	irc = imap_search(im, (uint32_t)last_uid + 1, &uids, &n);
	if (irc != IMAP_OK) {
		snprintf(err, errlen, "%s", imap_errmsg(im));
		rc = imap_to_rc(irc);
		goto out;
	}
	/* A run at a time: fetched, stored in one transaction, then marked
	 * and recorded. */
	size_t next = 0;
	while (rc == FETCHMAIL_OK && next < n && !(o->stop && *o->stop)) {
		enum fetchmail_rc frc = run_fetch(im, o, r, uids, n, &next, err,
		                                  errlen);
		run_deliver(in, o, r, st);
		rc = run_finish(in, o, im, uidvalidity, r, st, err, errlen);
		if (rc == FETCHMAIL_OK)
			rc = frc;
		if (r->carry) {
			/* The carried message starts the next run. */
			struct buf first = r->msg[0];
			r->msg[0] = r->msg[r->n];
			r->msg[r->n] = first;
		}
		r->n = r->bytes = 0;
	}
	if (rc != FETCHMAIL_OK)
		goto out;
	/* A mailbox seen for the first time, or restarted with nothing new:
	 * remember its UIDVALIDITY so that a later change is noticed. */
	if (next == 0 && known_validity != (int64_t)uidvalidity &&
	    state_save(in->db, imap_name(im), uidvalidity, last_uid) != STORE_OK) {
		snprintf(err, errlen, "imap_state: %s", store_errmsg(in->db));
		rc = FETCHMAIL_TEMPFAIL;
	}
out:
	free(uids);
	for (size_t i = 0; i < INTAKE_GROUP_MAX; i++)
		buf_free(&r->msg[i]);
	free(r);
	imap_close(im);
	return rc;
}
