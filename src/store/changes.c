/* SPDX-License-Identifier: MIT */
/*
 * The day after a publication: the changes a facilitator makes (one row
 * each, with what undoes it; their numbers are the plan's revisions) and
 * the marketplace of the opening circle. What a change does to the event
 * is the API's: it writes the event and its change row in one transaction
 * (store_write_begin()).
 */
#include "forum/store.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char SQL_C_INSERT[] =
    "INSERT INTO plan_changes (event_id, seq, kind, summary, undo, base_version, "
    "created_at) VALUES (?1, 1 + (SELECT coalesce(max(seq), 0) FROM plan_changes "
    "WHERE event_id = ?1), ?2, ?3, ?4, ?5, ?6) RETURNING seq";
#define C_COLS                                                                           \
    "SELECT seq, kind, state, summary, undo, base_version, created_at, "                 \
    "coalesce(published_in, 0) FROM plan_changes "
static const char SQL_C_OPEN[] =
    C_COLS "WHERE event_id = ?1 AND published_in IS NULL ORDER BY seq";
static const char SQL_C_AFTER[] = C_COLS "WHERE event_id = ?1 AND seq > ?2 ORDER BY seq";
static const char SQL_C_GET[] = C_COLS "WHERE event_id = ?1 AND seq = ?2";
static const char SQL_C_STATE[] =
    "SELECT coalesce(max(seq), 0), coalesce((SELECT max(seq) FROM plan_changes "
    "WHERE event_id = ?1 AND kind <> 'undo' AND state <> 'undone'), 0) "
    "FROM plan_changes WHERE event_id = ?1";
static const char SQL_C_UNDONE[] =
    "UPDATE plan_changes SET state = 'undone' WHERE event_id = ?1 AND seq = ?2 "
    "AND state = 'pending'";
static const char SQL_C_PUBLISHED[] =
    "UPDATE plan_changes SET published_in = ?2, state = CASE state WHEN 'pending' "
    "THEN 'published' ELSE state END WHERE event_id = ?1 AND published_in IS NULL";

static const char SQL_M_GET[] = "SELECT block_id, phase, vote_ends_at, changed_at "
                                "FROM marketplaces WHERE event_id = ?1";
static const char SQL_M_PUT[] =
    "INSERT INTO marketplaces (event_id, block_id, phase, vote_ends_at, changed_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (event_id) DO UPDATE SET "
    "block_id = excluded.block_id, phase = excluded.phase, "
    "vote_ends_at = excluded.vote_ends_at, changed_at = excluded.changed_at";

/* ---- changes -------------------------------------------------------------------- */

void store_change_release(struct store_change *c)
{
    free(c->kind);
    free(c->state);
    free(c->summary);
    free(c->undo);
    free(c->created_at);
    memset(c, 0, sizeof(*c));
}

void store_changes_free(struct store_change *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_change_release(&v[i]);
    free(v);
}

static void changes_free(void *v, size_t n)
{
    store_changes_free(v, n);
}

static void change_read(sqlite3_stmt *st, void *out)
{
    struct store_change *c = out;

    c->seq = (long)sqlite3_column_int64(st, 0);
    c->kind = store__col(st, 1);
    c->state = store__col(st, 2);
    c->summary = store__col(st, 3);
    c->undo = store__col(st, 4);
    c->base_version = (long)sqlite3_column_int64(st, 5);
    c->created_at = store__col(st, 6);
    c->published_in = (long)sqlite3_column_int64(st, 7);
}

enum forum_status store_change_add(struct store *s, const char *eid, const char *kind,
                                   const char *summary, const char *undo,
                                   long base_version, long *seq, struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_C_INSERT, err);
    char now[21];
    int rc;

    *seq = 0;
    if (st == NULL)
        return FORUM_ESTORE;
    store_now(now);
    store__bind(st, 1, eid);
    store__bind(st, 2, kind);
    store__bind(st, 3, summary);
    store__bind(st, 4, undo);
    sqlite3_bind_int64(st, 5, base_version);
    store__bind(st, 6, now);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = (long)sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    }
    store__done(st);
    return rc == SQLITE_DONE ? FORUM_OK : store__fail(s, rc, err);
}

/* Lists the rows of sql, bound with eid and (when after >= 0) after. */
static enum forum_status change_rows(struct store *s, const char *sql, const char *eid,
                                     long after, struct store_change **v, size_t *n,
                                     struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, sql, err);
    void *arr = NULL;
    enum forum_status rc;

    if (st != NULL) {
        store__bind(st, 1, eid);
        if (after >= 0)
            sqlite3_bind_int64(st, 2, after);
    }
    rc = store__rows(s, st, &arr, n, sizeof(**v), change_read, NULL, changes_free, err);
    *v = arr;
    return rc;
}

enum forum_status store_change_list_open(struct store *s, const char *eid,
                                         struct store_change **v, size_t *n,
                                         struct forum_error *err)
{
    return change_rows(s, SQL_C_OPEN, eid, -1, v, n, err);
}

enum forum_status store_change_list_after(struct store *s, const char *eid, long after,
                                          struct store_change **v, size_t *n,
                                          struct forum_error *err)
{
    return change_rows(s, SQL_C_AFTER, eid, after < 0 ? 0 : after, v, n, err);
}

enum forum_status store_change_get(struct store *s, const char *eid, long seq,
                                   struct store_change *out, struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_C_GET, err);
    int rc;

    memset(out, 0, sizeof(*out));
    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, eid);
    sqlite3_bind_int64(st, 2, seq);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        change_read(st, out);
    store__done(st);
    if (rc == SQLITE_ROW)
        return FORUM_OK;
    if (rc == SQLITE_DONE)
        return forum_error_set(err, FORUM_ENOTFOUND, NULL, "no such change");
    return store__fail(s, rc, err);
}

enum forum_status store_change_state(struct store *s, const char *eid, long *revision,
                                     long *head, struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_C_STATE, err);
    int rc;

    *revision = *head = 0;
    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, eid);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *revision = (long)sqlite3_column_int64(st, 0);
        *head = (long)sqlite3_column_int64(st, 1);
    }
    store__done(st);
    return rc == SQLITE_ROW ? FORUM_OK : store__fail(s, rc, err);
}

enum forum_status store_change_undone(struct store *s, const char *eid, long seq,
                                      struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_C_UNDONE, err);

    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, eid);
    sqlite3_bind_int64(st, 2, seq);
    return store__changed(s, store__run(s, st, err), "pending change", err);
}

enum forum_status store_change_published(struct store *s, const char *eid, long version,
                                         struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_C_PUBLISHED, err);

    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, eid);
    sqlite3_bind_int64(st, 2, version);
    return store__run(s, st, err);
}

/* ---- the marketplace -------------------------------------------------------------- */

void store_marketplace_release(struct store_marketplace *m)
{
    free(m->block_id);
    free(m->phase);
    free(m->vote_ends_at);
    free(m->changed_at);
    memset(m, 0, sizeof(*m));
}

static void marketplace_read(sqlite3_stmt *st, void *out)
{
    struct store_marketplace *m = out;

    m->block_id = store__col(st, 0);
    m->phase = store__col(st, 1);
    m->vote_ends_at = store__col(st, 2);
    m->changed_at = store__col(st, 3);
}

enum forum_status store_marketplace_get(struct store *s, const char *eid,
                                        struct store_marketplace *out,
                                        struct forum_error *err)
{
    memset(out, 0, sizeof(*out));
    return store__row(s, SQL_M_GET, eid, NULL, marketplace_read, out,
                      "no marketplace in this event", err);
}

enum forum_status store_marketplace_put(struct store *s, const char *eid,
                                        const struct store_marketplace *m,
                                        struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_M_PUT, err);
    char now[21];
    enum forum_status rc;

    if (st == NULL)
        return FORUM_ESTORE;
    store_now(now);
    store__bind(st, 1, eid);
    store__bind(st, 2, m->block_id);
    store__bind(st, 3, m->phase);
    store__bind(st, 4, m->vote_ends_at);
    store__bind(st, 5, m->changed_at != NULL ? m->changed_at : now);
    rc = store__run(s, st, err);
    if (rc == FORUM_EINVAL && err != NULL && err->field[0] == '\0')
        strcpy(err->field, "block");
    return rc;
}
