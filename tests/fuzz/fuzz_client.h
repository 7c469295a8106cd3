/* SPDX-License-Identifier: MIT */
/*
 * A test client for api_handle(): an API over a temporary database, one
 * call that waits for asynchronous answers, JSON helpers, a fixture event
 * (slots, rooms, two participants, their topics) and the response
 * invariants every answer must keep. Shared by the fuzzers (tests/fuzz/)
 * and the fault-injection tests (tests/fault/). Tests only: not thread-safe.
 */
#ifndef FORUM_FUZZ_CLIENT_H
#define FORUM_FUZZ_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "forum/api.h"

/* The administrator token the client configures. */
#define FC_ADMIN_TOKEN "fuzz-admin-token-0123456789abcdef0123456789abcdef"
#define FC_ID_MAX 96

/* An API over a temporary directory holding one database file. */
struct fc_api {
    struct api *api;
    char dir[256];          /* the temporary directory */
    char db_path[300];      /* dir + "/forumd.db" */
    void *live;             /* private: fc_reset()'s connection to db_path (sqlite3 *) */
    void *saved;            /* private: the copy fc_save() made (sqlite3 *) */
    long long data_version; /* private: live's PRAGMA data_version at the last check */
};

/*
 * Rate limits for the APIs opened from now on (0: the API's defaults).
 * Fuzzers lift them so that thousands of writes per second with one token
 * keep reaching the handlers; the limiter itself is tested end to end.
 */
void fc_set_limits(unsigned write_burst, unsigned write_per_minute,
                   unsigned auth_failures_per_minute);

/*
 * Saves the database's contents (a copy through SQLite's backup API, in
 * the temporary directory), with the API left open. Returns 0 or -1.
 */
int fc_save(struct fc_api *fc);
/*
 * Puts the saved contents back into the live database with the API left
 * open (its connections see the change at their next transaction). The
 * API's memory (schedule cache, rate-limit buckets) is not reset: use
 * fc_snapshot_restore() for that. Returns 0 or -1.
 */
int fc_reset(struct fc_api *fc);
/*
 * Returns 1 when the API committed something to the database since the
 * last call (or when that cannot be known: the first call, a reopened
 * connection), 0 when not, -1 on error. Cheaper than fc_reset(), which
 * makes every API connection parse the schema again: call that only when
 * this says so.
 */
int fc_db_changed(struct fc_api *fc);

/*
 * Creates a temporary directory (under /dev/shm when it exists) and the API
 * over a database in it. Returns 0, or -1 (with a message on stderr).
 */
int fc_open(struct fc_api *fc);
/* Opens the API again on the same database (after fc_api_close_only()). */
int fc_reopen(struct fc_api *fc);
/* Frees the API but keeps the directory. */
void fc_close_api(struct fc_api *fc);
/* Frees the API and removes the directory. */
void fc_close(struct fc_api *fc);

/*
 * One request through api_handle(), waiting for a pending answer. Every
 * string may be NULL. token: sent as "Bearer TOKEN". resp: initialised here;
 * the caller releases it with api_response_release().
 */
void fc_call(struct fc_api *fc, enum api_method method, const char *path,
             const char *query, const char *authorization, const char *content_type,
             const char *body, size_t body_len, struct api_response *resp);

/* fc_call() with an If-Match header (may be NULL). */
void fc_call_if(struct fc_api *fc, enum api_method method, const char *path,
                const char *authorization, const char *content_type, const char *body,
                size_t body_len, const char *if_match, struct api_response *resp);

/*
 * A JSON request: body (may be NULL) sent as application/json with the
 * bearer token (may be NULL). Returns the HTTP status; OUT: out (may be
 * NULL), the parsed answer (owned: json_decref) or NULL.
 */
int fc_json(struct fc_api *fc, enum api_method method, const char *path,
            const char *token, const char *body, json_t **out);

/*
 * Checks the invariants every answer keeps (a valid status; a JSON error
 * body on every 4xx/5xx; parseable JSON when the type says so; no CR or LF
 * in header values; no 5xx unless allow_5xx). Returns NULL when they hold,
 * else a static description of the first broken one.
 */
const char *fc_check_response(const struct api_response *resp, bool allow_5xx);

/* Copies the "id" member (string or integer) of obj into out. Returns 0 or -1. */
int fc_id(const json_t *obj, const char *key, char out[FC_ID_MAX]);

/* A fixture event: ids and tokens as text. */
struct fc_fixture {
    char event[FC_ID_MAX];
    char fac_token[FC_ID_MAX * 2];
    char slot[2][FC_ID_MAX];
    char room[2][FC_ID_MAX];
    char part[2][FC_ID_MAX];
    char part_token[2][FC_ID_MAX * 2];
    char topic[2][FC_ID_MAX]; /* topic[i] is hosted by part[i] */
    int n_ready;              /* how many of the steps above succeeded */
};

/*
 * Creates an event with two slots, two rooms, two participants and one
 * topic each, participant 0 voting for topic 1. Stops at the first step that
 * fails (f->n_ready tells how far it got). Returns 0 when every step worked.
 */
int fc_fixture_setup(struct fc_api *fc, struct fc_fixture *f);

/*
 * Replaces the placeholders {e} {s} {S} {r} {R} {p} {P} {t} {T} in src by
 * the fixture's ids (lower case: the first, upper case: the second) into
 * out (NUL-terminated, truncated to cap). Returns the length written.
 */
size_t fc_expand(const struct fc_fixture *f, const char *src, size_t src_len, char *out,
                 size_t cap);

/*
 * A copy of the database files taken with the API closed, to put the state
 * back before each input (so that every input replays the same way).
 */
struct fc_snapshot {
    unsigned char *db; /* the main file */
    size_t db_len;
    unsigned char *wal; /* the -wal file, or NULL when there was none */
    size_t wal_len;
};

/* Closes the API, copies its files into snap, opens it again. Returns 0 or -1. */
int fc_snapshot_take(struct fc_api *fc, struct fc_snapshot *snap);
/* Closes the API, writes snap back, opens it again. Returns 0 or -1. */
int fc_snapshot_restore(struct fc_api *fc, const struct fc_snapshot *snap);
void fc_snapshot_release(struct fc_snapshot *snap);
/* Writes snap over the database files with the API closed (fc->api NULL). Returns 0 or
 * -1. */
int fc_snapshot_write(const struct fc_api *fc, const struct fc_snapshot *snap);

/* Who a fuzzed request claims to be. */
enum fc_auth {
    FC_AUTH_NONE,  /* no Authorization header */
    FC_AUTH_ADMIN, /* the administrator */
    FC_AUTH_FAC,   /* the fixture's facilitator */
    FC_AUTH_P0,    /* participant 0 */
    FC_AUTH_P1,    /* participant 1 */
    FC_AUTH_BAD,   /* an unknown bearer token */
    FC_AUTH_BASIC, /* a Basic header */
    FC_AUTH_EMPTY, /* "Bearer " and nothing */
};

/* Writes the Authorization header value for auth into out ("" for none). */
void fc_auth_header(const struct fc_fixture *fix, enum fc_auth auth, char *out,
                    size_t cap);

/*
 * Checks the role rules of docs/api.md that a single answer can show: a
 * 2xx to a write without a token (joining excepted), to a private read
 * without a token, to a participant on a facilitator resource or on a topic
 * they do not host, to anyone but the admin creating an event. Returns NULL
 * when none is broken, else a static description.
 */
const char *fc_check_roles(const struct fc_fixture *fix, enum api_method m,
                           enum fc_auth auth, const char *path, int status);

/* The longest solver run an input may ask for, in milliseconds. */
#define FC_SOLVER_MS_MAX 1

/*
 * True for a POST to .../allocation whose body would run the solver for
 * more than FC_SOLVER_MS_MAX ms (no body, or a JSON object without a
 * time_limit_ms of at most that): the solver always runs to its time
 * limit, 2 s by default, which would starve a fuzzer (an input that takes
 * 5 ms costs as much as twenty others, and a fuzzer that finds allocating
 * adds coverage keeps mutating such inputs). Invalid bodies are not skipped
 * (they are answered at once).
 */
bool fc_slow_allocation(enum api_method m, const char *path, const char *body,
                        size_t len);

#endif /* FORUM_FUZZ_CLIENT_H */
