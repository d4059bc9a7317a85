/*
 * ticket_merge.c - merging and linking tickets (see ticket_merge.h).
 */
#include "app/ticket/ticket_merge.h"
#include "app/base/audit.h"
#include "app/base/json_rows.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct pair_row {
	int64_t id, number, client_id;
	int merged;
	char state[24];
};

const char *
ticket_merge_code(enum ticket_merge_refusal why)
{
	switch (why) {
	case MERGE_SAME:
		return "merge_same_ticket";
	case MERGE_OTHER_CLIENT:
		return "merge_other_client";
	case MERGE_MERGED:
		return "merge_already_merged";
	case MERGE_NOT_STAFF:
		return "forbidden";
	case MERGE_OK:
		break;
	}
	return "refused";
}

static enum tcmd_rc __attribute__((format(printf, 3, 4)))
refuse(struct ticket_merge_result *res, enum ticket_merge_refusal why,
       const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(res->tcmd.message, sizeof res->tcmd.message, fmt, ap);
	va_end(ap);
	res->why = why;
	res->tcmd.refusal = WF_OK;
	return TCMD_REFUSED;
}

static enum tcmd_rc
store_failed(struct store *db, enum store_rc rc, struct ticket_merge_result *res)
{
	snprintf(res->tcmd.message, sizeof res->tcmd.message, "%s",
	         store_errmsg(db));
	return rc == STORE_BUSY ? TCMD_BUSY : TCMD_ERROR;
}

static enum store_rc
load(struct store *db, int64_t number, struct pair_row *t)
{
	struct store_rows *r;
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT id, number, client_id, merged_into, state FROM tickets "
	    "WHERE number = $1",
	    STORE_PARAMS(SP_I(number)), &r);
	if (rc != STORE_OK)
		return rc;
	t->id = store_int(r, 0);
	t->number = store_int(r, 1);
	t->client_id = store_isnull(r, 2) ? 0 : store_int(r, 2);
	t->merged = !store_isnull(r, 3);
	snprintf(t->state, sizeof t->state, "%s", store_text(r, 4));
	store_done(r);
	return STORE_OK;
}

/* Loads both tickets and checks what merge and link share; TCMD_OK when
 * they may go on (inside the caller's transaction). */
static enum tcmd_rc
load_pair(const struct tcmd_env *env, int64_t a, int64_t b,
          const struct tcmd_who *who, struct pair_row *ta, struct pair_row *tb,
          struct ticket_merge_result *res)
{
	if (who->role == WF_ROLE_CLIENT || who->role == WF_ROLE_SYSTEM)
		return refuse(res, MERGE_NOT_STAFF,
		              "only staff merge or link tickets");
	if (a == b)
		return refuse(res, MERGE_SAME,
		              "ticket #%06lld cannot be merged or linked with "
		              "itself",
		              (long long)a);
	const int64_t n[2] = {a, b};
	struct pair_row *t[2] = {ta, tb};
	for (int i = 0; i < 2; i++) {
		enum store_rc rc = load(env->db, n[i], t[i]);
		if (rc == STORE_NOTFOUND) {
			snprintf(res->tcmd.message, sizeof res->tcmd.message,
			         "there is no ticket #%06lld", (long long)n[i]);
			return TCMD_NOT_FOUND;
		}
		if (rc != STORE_OK)
			return store_failed(env->db, rc, res);
	}
	if (ta->merged || tb->merged)
		return refuse(res, MERGE_MERGED,
		              "ticket #%06lld was already merged into another",
		              (long long)(ta->merged ? a : b));
	if (ta->client_id != tb->client_id)
		return refuse(res, MERGE_OTHER_CLIENT,
		              "tickets #%06lld and #%06lld belong to different "
		              "clients",
		              (long long)a, (long long)b);
	return TCMD_OK;
}

static enum store_rc
audit_pair(struct store *db, const struct tcmd_who *who, const char *event,
           int64_t id1, int64_t id2, json_t *data, int64_t now)
{
	enum store_rc rc = audit_record(db, who->actor, id1, event,
	                                json_deep_copy(data), now);
	if (rc == STORE_OK)
		rc = audit_record(db, who->actor, id2, event, json_incref(data), now);
	json_decref(data);
	return rc;
}

/* The merge inside the caller's transaction. */
static enum tcmd_rc
merge_in_tx(const struct tcmd_env *env, int64_t a, int64_t b,
            const struct tcmd_who *who, struct ticket_merge_result *res)
{
	struct store *db = env->db;
	struct pair_row ta, tb;
	enum tcmd_rc t = load_pair(env, a, b, who, &ta, &tb, res);
	if (t != TCMD_OK)
		return t;
	const struct pair_row *old = ta.number < tb.number ? &ta : &tb;
	const struct pair_row *new = ta.number < tb.number ? &tb : &ta;
	if (strcmp(old->state, "closed") == 0) {
		res->tcmd.refusal = WF_E_CLOSED;
		snprintf(res->tcmd.message, sizeof res->tcmd.message,
		         "ticket #%06lld, the older one, is closed: reopen it or "
		         "open a new one", (long long)old->number);
		return TCMD_REFUSED;
	}
	res->survivor = old->number;
	res->merged = new->number;
	int64_t moved = 0;
	enum store_rc rc = store_get_int(
	    db, "SELECT COUNT(*) FROM messages WHERE ticket_id = $1",
	    STORE_PARAMS(SP_I(new->id)), &moved);
	if (rc == STORE_OK)
		rc = store_exec(db,
		                "UPDATE messages SET ticket_id = $2 WHERE ticket_id = $1",
		                STORE_PARAMS(SP_I(new->id), SP_I(old->id)));
	if (rc != STORE_OK)
		return store_failed(db, rc, res);
	res->moved = (int)moved;
	/* The newer ticket closes as a duplicate through the lifecycle: its
	 * timers end and its client is told where the case goes on. */
	struct tcmd_request close = {
		.cmd = WF_CMD_CLOSE,
		.number = new->number,
		.who = *who,
		.reason = WF_CLOSE_DUPLICATE,
		.merged_into = old->number,
	};
	t = tcmd_apply(env, &close, &res->tcmd);
	if (t != TCMD_OK)
		return t;
	rc = store_exec(db,
	                "UPDATE tickets SET merged_into = $2 WHERE id = $1 OR "
	                "merged_into = $1",
	                STORE_PARAMS(SP_I(new->id), SP_I(old->id)));
	if (rc == STORE_OK)
		rc = store_exec(db,
		                "UPDATE tickets SET updated_at = $2, version = version + 1 "
		                "WHERE id = $1",
		                STORE_PARAMS(SP_I(old->id), SP_I(env->now)));
	if (rc == STORE_OK)
		rc = audit_pair(db, who, "ticket.merged", old->id, new->id,
		                json_pack("{s:I, s:I, s:I}", "merged",
		                          (json_int_t)new->number, "into",
		                          (json_int_t)old->number, "messages",
		                          (json_int_t)moved),
		                env->now);
	if (rc != STORE_OK)
		return store_failed(db, rc, res);
	res->tcmd.number = old->number;
	res->tcmd.ticket_id = old->id;
	return TCMD_OK;
}

static enum tcmd_rc
in_tx(const struct tcmd_env *env, struct ticket_merge_result *res,
      enum tcmd_rc (*fn)(const struct tcmd_env *, int64_t, int64_t, bool,
                         const struct tcmd_who *, struct ticket_merge_result *),
      int64_t a, int64_t b, bool flag, const struct tcmd_who *who)
{
	memset(res, 0, sizeof *res);
	enum store_rc rc = store_begin(env->db, 1);
	if (rc != STORE_OK)
		return store_failed(env->db, rc, res);
	enum tcmd_rc t = fn(env, a, b, flag, who, res);
	if (t == TCMD_OK && (rc = store_commit(env->db)) != STORE_OK)
		t = store_failed(env->db, rc, res);
	if (t != TCMD_OK)
		store_rollback(env->db);
	return t;
}

static enum tcmd_rc
merge_fn(const struct tcmd_env *env, int64_t a, int64_t b, bool unused,
         const struct tcmd_who *who, struct ticket_merge_result *res)
{
	(void)unused;
	return merge_in_tx(env, a, b, who, res);
}

enum tcmd_rc
ticket_merge(const struct tcmd_env *env, int64_t a, int64_t b,
             const struct tcmd_who *who, struct ticket_merge_result *res)
{
	return in_tx(env, res, merge_fn, a, b, false, who);
}

static enum tcmd_rc
link_fn(const struct tcmd_env *env, int64_t a, int64_t b, bool remove,
        const struct tcmd_who *who, struct ticket_merge_result *res)
{
	struct pair_row ta, tb;
	enum tcmd_rc t = load_pair(env, a, b, who, &ta, &tb, res);
	if (t != TCMD_OK)
		return t;
	int64_t lo = ta.id < tb.id ? ta.id : tb.id;
	int64_t hi = ta.id < tb.id ? tb.id : ta.id;
	int64_t had = 0;
	enum store_rc rc = store_get_int(
	    env->db,
	    "SELECT COUNT(*) FROM ticket_links WHERE a_id = $1 AND b_id = $2",
	    STORE_PARAMS(SP_I(lo), SP_I(hi)), &had);
	if (rc == STORE_OK && remove && had)
		rc = store_exec(env->db,
		                "DELETE FROM ticket_links WHERE a_id = $1 AND b_id = $2",
		                STORE_PARAMS(SP_I(lo), SP_I(hi)));
	else if (rc == STORE_OK && !remove && !had)
		rc = store_exec(env->db,
		                "INSERT INTO ticket_links (a_id, b_id, created_by, "
		                "created_at) VALUES ($1, $2, $3, $4)",
		                STORE_PARAMS(SP_I(lo), SP_I(hi), SP_ID(who->user_id),
		                             SP_I(env->now)));
	/* Only a change leaves a trace. */
	if (rc == STORE_OK && (remove ? had != 0 : had == 0))
		rc = audit_pair(env->db, who,
		                remove ? "ticket.unlinked" : "ticket.linked", ta.id,
		                tb.id,
		                json_pack("{s:I, s:I}", "ticket", (json_int_t)ta.number,
		                          "other", (json_int_t)tb.number),
		                env->now);
	if (rc != STORE_OK)
		return store_failed(env->db, rc, res);
	res->tcmd.number = ta.number;
	res->tcmd.ticket_id = ta.id;
	return TCMD_OK;
}

enum tcmd_rc
ticket_link(const struct tcmd_env *env, int64_t a, int64_t b, bool remove,
            const struct tcmd_who *who, struct ticket_merge_result *res)
{
	return in_tx(env, res, link_fn, a, b, remove, who);
}

enum store_rc
ticket_links_json(struct store *db, int64_t ticket_id, json_t **out)
{
	static const char *const keys[] = {"#number", "subject", "state"};
	return json_rows(db, NULL,
	                 "SELECT t.number, t.subject, t.state FROM ticket_links l "
	                 "JOIN tickets t ON t.id = CASE WHEN l.a_id = $1 THEN "
	                 "l.b_id ELSE l.a_id END WHERE l.a_id = $1 OR l.b_id = $1 "
	                 "ORDER BY t.number",
	                 STORE_PARAMS(SP_I(ticket_id)), keys, 3, out);
}

enum store_rc
ticket_survivor(struct store *db, int64_t *n, int64_t *id, int64_t *client_id)
{
	struct store_rows *r;
	enum store_rc rc = store_query_row(
	    db,
	    "SELECT COALESCE(s.id, t.id), COALESCE(s.client_id, t.client_id), "
	    "COALESCE(s.number, t.number) FROM tickets t LEFT JOIN tickets s ON "
	    "s.id = t.merged_into WHERE t.number = $1",
	    STORE_PARAMS(SP_I(*n)), &r);
	if (rc != STORE_OK)
		return rc;
	if (id)
		*id = store_int(r, 0);
	if (client_id)
		*client_id = store_isnull(r, 1) ? 0 : store_int(r, 1);
	*n = store_int(r, 2);
	store_done(r);
	return STORE_OK;
}
