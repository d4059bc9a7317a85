/*
 * user_prefs.c - a user's console preferences (see user_prefs.h).
 */
#include "app/access/user_prefs.h"

#include <stdio.h>
#include <stdlib.h>

enum store_rc
user_language_get(struct store *db, int64_t user_id, char lang[3])
{
	char *v = NULL;
	lang[0] = '\0';
	enum store_rc rc = store_get_text(
	    db, "SELECT COALESCE(language, '') FROM users WHERE id = $1",
	    STORE_PARAMS(SP_I(user_id)), &v);
	if (rc == STORE_OK)
		snprintf(lang, 3, "%s", v);
	free(v);
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

enum store_rc
user_language_set(struct store *db, int64_t user_id, const char *lang)
{
	return store_exec(db, "UPDATE users SET language = $1 WHERE id = $2",
	                  STORE_PARAMS(SP_T(lang), SP_I(user_id)));
}
