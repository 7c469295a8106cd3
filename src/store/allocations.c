/* SPDX-License-Identifier: MIT */
/* Allocation drafts: the solver's documents, kept until dropped or published. */
#include "forum/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char SQL_A_INSERT[] =
    "INSERT INTO allocations (id, event_id, created_at, solution, satisfied, bound, "
    "scheduled, base_version, plan_seq, kept_slots) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
#define A_COLS                                                                           \
    "SELECT a.id, a.created_at, a.satisfied, a.bound, a.scheduled, "                     \
    "coalesce(v.version, 0), a.base_version, a.plan_seq, a.kept_slots, "
static const char SQL_A_LIST[] = A_COLS
    "NULL FROM allocations a LEFT JOIN schedule_versions v ON v.allocation_id = a.id "
    "WHERE a.event_id = ?1 ORDER BY a.created_at DESC, a.rowid DESC";
static const char SQL_A_LIST_FULL[] =
    A_COLS "a.solution FROM allocations a LEFT JOIN schedule_versions v "
           "ON v.allocation_id = a.id WHERE a.event_id = ?1 "
           "ORDER BY a.created_at DESC, a.rowid DESC";
static const char SQL_A_GET[] =
    A_COLS "a.solution FROM allocations a LEFT JOIN schedule_versions v "
           "ON v.allocation_id = a.id WHERE a.event_id = ?1 AND a.id = ?2";
static const char SQL_A_DELETE[] =
    "DELETE FROM allocations WHERE id = ?1 AND event_id = ?2";

void store_allocation_release(struct store_allocation *a)
{
    free(a->id);
    free(a->created_at);
    free(a->solution);
    free(a->kept_slots);
    memset(a, 0, sizeof(*a));
}

void store_allocations_free(struct store_allocation *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_allocation_release(&v[i]);
    free(v);
}

static void allocations_free(void *v, size_t n)
{
    store_allocations_free(v, n);
}

static void alloc_read(sqlite3_stmt *st, void *out)
{
    struct store_allocation *a = out;

    a->id = store__col(st, 0);
    a->created_at = store__col(st, 1);
    a->satisfied = (long)sqlite3_column_int64(st, 2);
    a->bound = sqlite3_column_type(st, 3) == SQLITE_NULL
                   ? -1
                   : (long)sqlite3_column_int64(st, 3);
    a->scheduled = (long)sqlite3_column_int64(st, 4);
    a->published = (long)sqlite3_column_int64(st, 5);
    a->base_version = (long)sqlite3_column_int64(st, 6);
    a->plan_seq = (long)sqlite3_column_int64(st, 7);
    a->kept_slots = store__col(st, 8);
    a->solution = store__col(st, 9);
}

enum forum_status store_allocation_create(struct store *s, const char *eid,
                                          const struct store_allocation *a, char *id,
                                          struct forum_error *err)
{
    sqlite3_stmt *st;
    char now[21];
    enum forum_status rc;

    if (store_random_id('a', 7, id) != FORUM_OK)
        return forum_error_set(err, FORUM_EINTERNAL, NULL, "no randomness");
    store_now(now);
    st = store__stmt(s, SQL_A_INSERT, err);
    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, id);
    store__bind(st, 2, eid);
    store__bind(st, 3, now);
    store__bind(st, 4, a->solution);
    sqlite3_bind_int64(st, 5, a->satisfied);
    if (a->bound >= 0)
        sqlite3_bind_int64(st, 6, a->bound);
    sqlite3_bind_int64(st, 7, a->scheduled);
    sqlite3_bind_int64(st, 8, a->base_version);
    sqlite3_bind_int64(st, 9, a->plan_seq);
    store__bind(st, 10, a->kept_slots != NULL ? a->kept_slots : "[]");
    rc = store__run(s, st, err);
    if (rc != FORUM_OK)
        id[0] = '\0';
    return rc;
}

enum forum_status store_allocation_list(struct store *s, const char *eid,
                                        bool with_solution, struct store_allocation **v,
                                        size_t *n, struct forum_error *err)
{
    void *arr;
    enum forum_status rc =
        store__list(s, with_solution ? SQL_A_LIST_FULL : SQL_A_LIST, eid, &arr, n,
                    sizeof(**v), alloc_read, NULL, allocations_free, err);

    *v = arr;
    return rc;
}

enum forum_status store_allocation_get(struct store *s, const char *eid, const char *aid,
                                       struct store_allocation *out,
                                       struct forum_error *err)
{
    memset(out, 0, sizeof(*out));
    return store__row(s, SQL_A_GET, eid, aid, alloc_read, out, "no such allocation", err);
}

enum forum_status store_allocation_delete(struct store *s, const char *eid,
                                          const char *aid, struct forum_error *err)
{
    enum forum_status rc = store__delete(s, SQL_A_DELETE, aid, eid, "allocation", err);

    if (rc == FORUM_ECONFLICT && err != NULL)
        snprintf(err->msg, sizeof(err->msg), "a published allocation is kept");
    return rc;
}
