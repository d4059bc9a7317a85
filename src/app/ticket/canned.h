/*
 * canned.h - canned replies: reusable answers per language that staff
 * insert from the reply box, managed by admins and the Project Manager.
 *
 * A body may hold the variables {{ticket}} (#000123), {{client}} (the
 * client's name), {{deadline}} (the response deadline, dd/mm/aaaa HH:MM in
 * the policy's time zone), {{consultant}} (the assignee) and {{contact}}
 * (the contact's name), and the sections of app/base/template.h; any
 * other {{key}} is refused when the reply is saved (canned_body_ok), so a
 * typo is caught then, not in front of a client. Filling uses the same
 * template engine as the desk's mail. Each change is audited
 * (canned.add, canned.edit, canned.remove, with the text) as user_id,
 * or as the system when user_id is 0 (the command line).
 */
#ifndef SOPORTE_APP_CANNED_H
#define SOPORTE_APP_CANNED_H

#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct calendar;

#define CANNED_TITLE_MAX 120
#define CANNED_BODY_MAX 20000

/* A reply's fields; NULL leaves one as it is (canned_edit). language is
 * "es" or "en". */
struct canned_in {
	const char *language;
	const char *title;
	const char *body;
};

/* 1 when body uses only the five variables (and well-formed sections);
 * 0 with the reason in err. */
int canned_body_ok(const char *body, char *err, size_t errlen);

/* Adds a reply (*id receives its id). STORE_CONSTRAINT when the language
 * already has a reply of that title. */
enum store_rc canned_add(struct store *db, const struct canned_in *in,
                         int64_t user_id, int64_t now, int64_t *id);
/* Changes the given fields of reply id; STORE_NOTFOUND when none. */
enum store_rc canned_edit(struct store *db, int64_t id,
                          const struct canned_in *in, int64_t user_id,
                          int64_t now);
/* Removes reply id; STORE_NOTFOUND when none. */
enum store_rc canned_remove(struct store *db, int64_t id, int64_t user_id,
                            int64_t now);

/* The replies (of language when not NULL), by language and title:
 * *out a new array of {"id","language","title","body"}. */
enum store_rc canned_list_json(struct store *db, const char *language,
                               json_t **out);

/* The replies in the language of ticket number's client, each body
 * filled from the ticket: *out {"language","items":[{"id","title",
 * "body","text"}]} ("text" filled, "body" as stored). STORE_NOTFOUND when
 * there is no such ticket. */
enum store_rc canned_for_ticket(struct store *db, const struct calendar *cal,
                                int64_t number, json_t **out);

#endif
