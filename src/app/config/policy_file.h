/*
 * policy_file.h - load the support policy from its INI file.
 *
 * policy_load() reads a policy file (see policy/prodequa.ini for the format
 * and its comments) into a struct policy, checking every section, key and
 * value against name<->enum tables and ranges, and collects EVERY error it
 * finds, each with the file's line, instead of stopping at the first. On
 * success it also fills policy.fingerprint, the SHA-256 (hex) of the
 * policy's canonical JSON form, so comments and layout do not change it
 * but any rule or number does (R12 policy versions).
 *
 * SECURITY: the policy file is trusted to be the operator's, but it is
 * parsed defensively: long lines, bad numbers and unknown names are errors,
 * never crashes or silent defaults.
 */
#ifndef SOPORTE_APP_POLICY_FILE_H
#define SOPORTE_APP_POLICY_FILE_H

#include "core/policy.h"

#include <stddef.h>
#include <stdio.h>

#define POLICY_DIAG_MAX 64
#define POLICY_DIAG_MSG 240

enum policy_load_rc {
	POLICY_LOAD_OK = 0,
	POLICY_LOAD_INVALID,   /* errors are in the diag */
	POLICY_LOAD_IO,        /* the file could not be opened or read */
	POLICY_LOAD_NOMEM,
};

struct policy_diag_item {
	int line;              /* 1-based; 0 when the error has no line */
	char msg[POLICY_DIAG_MSG];
};

/* Every error of one load, sorted by line. count may exceed
 * POLICY_DIAG_MAX; only the first POLICY_DIAG_MAX are kept. */
struct policy_diag {
	char path[256];
	int count;
	struct policy_diag_item items[POLICY_DIAG_MAX];
};

/*
 * Loads path into *out (zeroed first) and records problems in *diag
 * (zeroed first). Returns POLICY_LOAD_OK with out filled and
 * diag->count == 0; POLICY_LOAD_INVALID when the file has errors (out is
 * then partial and must not be used); POLICY_LOAD_IO when it could not be
 * read (one diag item says why). Nothing to free.
 */
enum policy_load_rc policy_load(const char *path, struct policy *out,
                                struct policy_diag *diag);

/* Writes each error as "FILE:LINE: message\n" to f. */
void policy_diag_print(const struct policy_diag *diag, FILE *f);

/*
 * Picks the policy file to use: explicit (--policy or $SOPORTE_POLICY)
 * when not NULL or empty; else policy/prodequa.ini under the current
 * directory when it exists; else the one in the source/installed data
 * directory. Returns a pointer to explicit or to a static string.
 */
const char *policy_default_path(const char *explicit_path);

/* Fills p->fingerprint from p's canonical JSON. Returns 0, or -1 when out
 * of memory. */
int policy_fingerprint(struct policy *p);

#endif
