/*
 * fetchmail.c - one polling round of an IMAP mailbox (see fetchmail.h).
 */
#include "app/fetchmail.h"
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
	enum store_rc rc = store_query(db,
	                               "SELECT uidvalidity, last_uid FROM imap_state "
	                               "WHERE mailbox = $1",
	                               STORE_PARAMS(SP_T(name)), &r);
	if (rc != STORE_OK)
		return rc;
	rc = store_next(r);
	if (rc == STORE_ROW) {
		*uidvalidity = store_int(r, 0);
		*last_uid = store_int(r, 1);
	}
	store_done(r);
	return rc == STORE_ROW || rc == STORE_DONE ? STORE_OK : rc;
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

/* After the message is stored: \Seen, the move, the UID recorded. */
static enum fetchmail_rc
finish_one(const struct intake *in, const struct fetchmail_opts *o,
           struct imap *im, uint32_t uidvalidity, uint32_t uid, char *err,
           size_t errlen)
{
	enum imap_rc irc = imap_mark_seen(im, uid);
	if (irc == IMAP_OK && o->move_to)
		irc = imap_move(im, uid, o->move_to);
	if (irc != IMAP_OK) {
		snprintf(err, errlen, "%s", imap_errmsg(im));
		return irc == IMAP_CONFIG ? FETCHMAIL_CONFIG : FETCHMAIL_TEMPFAIL;
	}
	enum store_rc src = state_save(in->db, imap_name(im), uidvalidity, uid);
	if (src != STORE_OK) {
		snprintf(err, errlen, "imap_state: %s", store_errmsg(in->db));
		return FETCHMAIL_TEMPFAIL;
	}
	return FETCHMAIL_OK;
}

enum fetchmail_rc
fetchmail_round(const struct intake *in, const struct fetchmail_opts *o,
                struct fetchmail_stats *st, char *err, size_t errlen)
{
	struct imap *im = NULL;
	uint32_t *uids = NULL;
	size_t n = 0;
	struct buf msg = BUF_INIT(INTAKE_MAX_BYTES);
	enum fetchmail_rc rc = FETCHMAIL_OK;
	memset(st, 0, sizeof *st);
	err[0] = '\0';

	enum imap_rc irc = imap_open(o->url, o->timeout_s, INTAKE_MAX_BYTES, &im,
	                             err, errlen);
	if (irc != IMAP_OK)
		return irc == IMAP_NO ? FETCHMAIL_LOGIN : imap_to_rc(irc);
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
	int saved = 0;   /* imap_state holds this round's UIDVALIDITY */
	for (size_t i = 0; i < n; i++) {
		if (o->stop && *o->stop)
			break;
		uint32_t uid = uids[i];
		irc = imap_fetch(im, uid, &msg);
		/* Gone (expunged meanwhile) or over the cap: nothing to store,
		 * ever. A NO may pass (a busy or broken server): the round stops
		 * and the next one asks again. */
		if (irc == IMAP_GONE || irc == IMAP_TOO_BIG) {
			log_warn("fetchmail: %s: UID %u skipped, left unseen: %s",
			         imap_name(im), uid, imap_errmsg(im));
			st->skipped++;
			if (state_save(in->db, imap_name(im), uidvalidity, uid) != STORE_OK) {
				snprintf(err, errlen, "imap_state: %s", store_errmsg(in->db));
				rc = FETCHMAIL_TEMPFAIL;
				goto out;
			}
			saved = 1;
			continue;
		}
		if (irc != IMAP_OK) {
			snprintf(err, errlen, "%s", imap_errmsg(im));
			rc = imap_to_rc(irc);
			goto out;
		}
		st->fetched++;
		struct intake_result res;
		enum intake_rc r = intake_deliver(in, buf_str(&msg), msg.len,
		                                  o->recipient, o->now, &res);
		switch (r) {
		case INTAKE_STORED:
		case INTAKE_DUPLICATE:
			if (r == INTAKE_STORED)
				st->stored++;
			else
				st->duplicates++;
			if (res.ticket_number)
				log_info("fetchmail: UID %u: %s #%06lld (%s)", uid,
				         res.disposition, (long long)res.ticket_number,
				         res.reason);
			else
				log_info("fetchmail: UID %u: %s (%s)", uid, res.disposition,
				         res.reason);
			rc = finish_one(in, o, im, uidvalidity, uid, err, errlen);
			if (rc != FETCHMAIL_OK)
				goto out;
			saved = 1;
			break;
		case INTAKE_TEMPFAIL:
			snprintf(err, errlen, "UID %u not stored, the round stops: %s", uid,
			         res.reason);
			rc = FETCHMAIL_TEMPFAIL;
			goto out;
		case INTAKE_REFUSED:
			log_warn("fetchmail: %s: UID %u refused, left unseen: %s",
			         imap_name(im), uid, res.reason);
			st->skipped++;
			if (state_save(in->db, imap_name(im), uidvalidity, uid) != STORE_OK) {
				snprintf(err, errlen, "imap_state: %s", store_errmsg(in->db));
				rc = FETCHMAIL_TEMPFAIL;
				goto out;
			}
			saved = 1;
			break;
		}
	}
	/* A mailbox seen for the first time, or restarted with nothing new:
	 * remember its UIDVALIDITY so that a later change is noticed. */
	if (!saved && known_validity != (int64_t)uidvalidity &&
	    state_save(in->db, imap_name(im), uidvalidity, last_uid) != STORE_OK) {
		snprintf(err, errlen, "imap_state: %s", store_errmsg(in->db));
		rc = FETCHMAIL_TEMPFAIL;
	}
out:
	free(uids);
	buf_free(&msg);
	imap_close(im);
	return rc;
}
