/* SPDX-License-Identifier: MIT */
/* Votes (one per participant and topic, within the budget) and the clash report. */
#include "forum/store.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char SQL_T_EXISTS[] = "SELECT 1 FROM topics WHERE id = ?1 AND event_id = ?2";
static const char SQL_P_EXISTS[] =
    "SELECT 1 FROM participants WHERE id = ?1 AND event_id = ?2";

static const char SQL_V_SUM[] = "SELECT coalesce(sum(weight), 0) FROM votes "
                                "WHERE participant_id = ?1 AND topic_id <> ?2";
static const char SQL_V_PUT[] =
    "INSERT INTO votes (participant_id, topic_id, weight) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (participant_id, topic_id) DO UPDATE SET weight = excluded.weight";
static const char SQL_V_DELETE[] =
    "DELETE FROM votes WHERE participant_id = ?1 AND topic_id = ?2 AND "
    "topic_id IN (SELECT id FROM topics WHERE event_id = ?3)";
static const char SQL_V_LIST_ONE[] =
    "SELECT v.participant_id, v.topic_id, v.weight FROM votes v "
    "JOIN topics t ON t.id = v.topic_id WHERE t.event_id = ?1 AND v.participant_id = ?2 "
    "ORDER BY t.rowid";
static const char SQL_V_LIST_ALL[] =
    "SELECT v.participant_id, v.topic_id, v.weight FROM votes v "
    "JOIN topics t ON t.id = v.topic_id WHERE t.event_id = ?1 "
    "ORDER BY v.participant_id, t.rowid";
static const char SQL_CLASHES[] =
    "SELECT a.topic_id, b.topic_id, count(*) AS shared FROM votes a "
    "JOIN votes b ON b.participant_id = a.participant_id AND b.topic_id > a.topic_id "
    "JOIN topics t ON t.id = a.topic_id WHERE t.event_id = ?1 "
    "GROUP BY a.topic_id, b.topic_id ORDER BY shared DESC, a.topic_id, b.topic_id LIMIT "
    "?2";

void store_votes_free(struct store_vote *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].participant_id);
        free(v[i].topic_id);
    }
    free(v);
}

static void votes_free(void *v, size_t n)
{
    store_votes_free(v, n);
}

static void vote_read(sqlite3_stmt *st, void *out)
{
    struct store_vote *x = out;

    x->participant_id = store__col(st, 0);
    x->topic_id = store__col(st, 1);
    x->weight = (long)sqlite3_column_int64(st, 2);
}

enum forum_status store_vote_put(struct store *s, const char *eid, const char *pid,
                                 const char *tid, long weight, long budget,
                                 struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc = store__begin(s, err);
    int src;

    if (rc != FORUM_OK)
        return rc;
    rc = store__exists(s, SQL_T_EXISTS, tid, eid, "topic", err);
    if (rc == FORUM_OK)
        rc = store__exists(s, SQL_P_EXISTS, pid, eid, "participant", err);
    if (rc != FORUM_OK)
        goto fail;
    if (budget > 0) {
        long used = 0;
        st = store__stmt(s, SQL_V_SUM, err);
        if (st == NULL) {
            rc = FORUM_ESTORE;
            goto fail;
        }
        store__bind(st, 1, pid);
        store__bind(st, 2, tid);
        src = sqlite3_step(st);
        if (src == SQLITE_ROW)
            used = (long)sqlite3_column_int64(st, 0);
        store__done(st);
        if (src != SQLITE_ROW) {
            rc = store__fail(s, src, err);
            goto fail;
        }
        if (used + weight > budget) {
            rc = forum_error_set(err, FORUM_ECONFLICT, "weight",
                                 "this vote would pass the budget (%ld used of %ld)",
                                 used, budget);
            goto fail;
        }
    }
    st = store__stmt(s, SQL_V_PUT, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto fail;
    }
    store__bind(st, 1, pid);
    store__bind(st, 2, tid);
    sqlite3_bind_int64(st, 3, weight);
    rc = store__run(s, st, err);
fail:
    return store__end(s, rc, err);
}

enum forum_status store_vote_delete(struct store *s, const char *eid, const char *pid,
                                    const char *tid, struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_V_DELETE, err);

    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, pid);
    store__bind(st, 2, tid);
    store__bind(st, 3, eid);
    return store__changed(s, store__run(s, st, err), "vote", err);
}

enum forum_status store_vote_list(struct store *s, const char *eid, const char *pid,
                                  struct store_vote **v, size_t *n,
                                  struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, pid ? SQL_V_LIST_ONE : SQL_V_LIST_ALL, err);
    void *arr;
    enum forum_status rc;

    if (st != NULL) {
        store__bind(st, 1, eid);
        if (pid != NULL)
            store__bind(st, 2, pid);
    }
    rc = store__rows(s, st, &arr, n, sizeof(**v), vote_read, NULL, votes_free, err);
    *v = arr;
    return rc;
}

void store_clashes_free(struct store_clash *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].a);
        free(v[i].b);
    }
    free(v);
}

static void clashes_free(void *v, size_t n)
{
    store_clashes_free(v, n);
}

static void clash_read(sqlite3_stmt *st, void *out)
{
    struct store_clash *c = out;

    c->a = store__col(st, 0);
    c->b = store__col(st, 1);
    c->shared = (long)sqlite3_column_int64(st, 2);
}

enum forum_status store_clash_list(struct store *s, const char *eid, long limit,
                                   struct store_clash **v, size_t *n,
                                   struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_CLASHES, err);
    void *arr;
    enum forum_status rc;

    if (st != NULL) {
        store__bind(st, 1, eid);
        sqlite3_bind_int64(st, 2, limit);
    }
    rc = store__rows(s, st, &arr, n, sizeof(**v), clash_read, NULL, clashes_free, err);
    *v = arr;
    return rc;
}
