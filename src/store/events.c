/* SPDX-License-Identifier: MIT */
/* Events and their facilitator token. */
#include "forum/store.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char SQL_EVENT_INSERT[] =
    "INSERT INTO events (id, name, timezone, locale, join_code, max_weight, vote_budget, "
    "proposals_open, voting_open, show_tallies, created_at, proceedings_public) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
static const char SQL_TOKEN_INSERT[] =
    "INSERT INTO tokens (hash, role, event_id, participant_id) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_EVENT_GET[] =
    "SELECT id, name, timezone, locale, join_code, max_weight, vote_budget, "
    "proposals_open, "
    "voting_open, show_tallies, created_at, proceedings_public FROM events WHERE id = ?1";
static const char SQL_EVENT_UPDATE[] =
    "UPDATE events SET name = ?2, timezone = ?3, locale = ?4, join_code = ?5, "
    "max_weight = ?6, vote_budget = ?7, proposals_open = ?8, voting_open = ?9, "
    "show_tallies = ?10, proceedings_public = ?12 WHERE id = ?1";
static const char SQL_EVENT_BY_CODE[] = "SELECT id FROM events WHERE join_code = ?1";
static const char SQL_EVENT_FIRST[] =
    "SELECT id FROM events ORDER BY created_at, rowid LIMIT 1";

void store_event_release(struct store_event *e)
{
    free(e->id);
    free(e->name);
    free(e->timezone);
    free(e->locale);
    free(e->join_code);
    free(e->created_at);
    memset(e, 0, sizeof(*e));
}

static void bind_event(sqlite3_stmt *st, const struct store_event *e)
{
    store__bind(st, 2, e->name);
    store__bind(st, 3, e->timezone ? e->timezone : "UTC");
    store__bind(st, 4, e->locale ? e->locale : "fr");
    store__bind(st, 5, e->join_code);
    sqlite3_bind_int64(st, 6, e->max_weight);
    sqlite3_bind_int64(st, 7, e->vote_budget);
    sqlite3_bind_int(st, 8, e->proposals_open);
    sqlite3_bind_int(st, 9, e->voting_open);
    sqlite3_bind_int(st, 10, e->show_tallies);
    sqlite3_bind_int(st, 12, e->proceedings_public);
}

enum forum_status store__token_insert(struct store *s, int role, const char *eid,
                                      const char *pid, const char *token,
                                      struct forum_error *err)
{
    uint8_t h[STORE_HASH_LEN];
    sqlite3_stmt *st = store__stmt(s, SQL_TOKEN_INSERT, err);

    if (st == NULL)
        return FORUM_ESTORE;
    store_hash(token, h);
    sqlite3_bind_blob(st, 1, h, sizeof(h), SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, role);
    store__bind(st, 3, eid);
    store__bind(st, 4, pid);
    return store__run(s, st, err);
}

enum forum_status store_event_create(struct store *s, const struct store_event *e,
                                     char *id, char *token, struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc;
    char now[21];

    if (store_random_id('\0', 10, id) != FORUM_OK || store_token_new(token) != FORUM_OK)
        return forum_error_set(err, FORUM_EINTERNAL, NULL, "no randomness");
    store_now(now);
    rc = store__begin(s, err);
    if (rc != FORUM_OK)
        return rc;
    st = store__stmt(s, SQL_EVENT_INSERT, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto fail;
    }
    store__bind(st, 1, id);
    bind_event(st, e);
    store__bind(st, 11, now);
    rc = store__run(s, st, err);
    if (rc == FORUM_ECONFLICT && err != NULL)
        strcpy(err->field, "join_code");
    if (rc == FORUM_OK)
        rc = store__token_insert(s, STORE_ROLE_FACILITATOR, id, NULL, token, err);
fail:
    if (rc != FORUM_OK) {
        id[0] = '\0';
        token[0] = '\0';
    }
    return store__end(s, rc, err);
}

static void event_read(sqlite3_stmt *st, void *out)
{
    struct store_event *e = out;

    e->id = store__col(st, 0);
    e->name = store__col(st, 1);
    e->timezone = store__col(st, 2);
    e->locale = store__col(st, 3);
    e->join_code = store__col(st, 4);
    e->max_weight = (long)sqlite3_column_int64(st, 5);
    e->vote_budget = (long)sqlite3_column_int64(st, 6);
    e->proposals_open = sqlite3_column_int(st, 7) != 0;
    e->voting_open = sqlite3_column_int(st, 8) != 0;
    e->show_tallies = sqlite3_column_int(st, 9) != 0;
    e->created_at = store__col(st, 10);
    e->proceedings_public = sqlite3_column_int(st, 11) != 0;
}

enum forum_status store_event_get(struct store *s, const char *id, struct store_event *e,
                                  struct forum_error *err)
{
    memset(e, 0, sizeof(*e));
    return store__row(s, SQL_EVENT_GET, id, NULL, event_read, e, "no such event", err);
}

enum forum_status store_event_update(struct store *s, const struct store_event *e,
                                     struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_EVENT_UPDATE, err);
    enum forum_status rc;

    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, e->id);
    bind_event(st, e);
    rc = store__run(s, st, err);
    if (rc == FORUM_ECONFLICT && err != NULL)
        strcpy(err->field, "join_code");
    return store__changed(s, rc, "event", err);
}

/* Reads column 0 into the buffer out of STORE_ID_MAX + 1 chars. */
static void id_read(sqlite3_stmt *st, void *out)
{
    char *id = out;

    strncpy(id, (const char *)sqlite3_column_text(st, 0), STORE_ID_MAX);
    id[STORE_ID_MAX] = '\0';
}

static enum forum_status one_id(struct store *s, const char *sql, const char *arg,
                                char *id, struct forum_error *err)
{
    id[0] = '\0';
    return store__row(s, sql, arg, NULL, id_read, id, "no such event", err);
}

enum forum_status store_event_by_join_code(struct store *s, const char *code, char *id,
                                           struct forum_error *err)
{
    return one_id(s, SQL_EVENT_BY_CODE, code, id, err);
}

enum forum_status store_event_first(struct store *s, char *id, struct forum_error *err)
{
    return one_id(s, SQL_EVENT_FIRST, NULL, id, err);
}
