/* SPDX-License-Identifier: MIT */
/*
 * The connection: opening with the pragmas forumd relies on, the statement
 * cache, the migration runner, the SQLite error mapping and online backup.
 */
#include "forum/store.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forum/util/clock.h"
#include "forum/util/mem.h"
#include "internal.h"

/* How long a connection waits for another's write lock before giving up. */
#define STORE_BUSY_MS 5000

enum forum_status store__fail(struct store *s, int rc, struct forum_error *err)
{
    int ext = sqlite3_extended_errcode(s->db);
    const char *msg = sqlite3_errmsg(s->db);

    switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
        if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
            return forum_error_set(err, FORUM_ECONFLICT, NULL, "already exists");
        if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
            return forum_error_set(err, FORUM_ECONFLICT, NULL, "still in use");
        if (ext == SQLITE_CONSTRAINT_TRIGGER && strstr(msg, "immutable") != NULL)
            return forum_error_set(err, FORUM_ECONFLICT, NULL, "%s", msg);
        return forum_error_set(err, FORUM_EINVAL, NULL, "refused by the schema: %s", msg);
    case SQLITE_NOMEM:
        return forum_error_set(err, FORUM_ENOMEM, NULL, "out of memory in the database");
    default:
        return forum_error_set(err, FORUM_ESTORE, NULL, "database: %s", msg);
    }
}

sqlite3_stmt *store__stmt(struct store *s, const char *sql, struct forum_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;

    for (size_t i = 0; i < s->n_cache; i++) {
        if (s->cache[i].sql == sql) {
            st = s->cache[i].st;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    }
    rc = sqlite3_prepare_v3(s->db, sql, -1,
                            s->n_cache < STORE_STMT_CACHE ? SQLITE_PREPARE_PERSISTENT : 0,
                            &st, NULL);
    if (rc != SQLITE_OK) {
        store__fail(s, rc, err);
        return NULL;
    }
    /* The cache is sized above the number of statements in store/; if it
     * ever fills, the oldest entry is recycled. */
    if (s->n_cache == STORE_STMT_CACHE) {
        sqlite3_finalize(s->cache[0].st);
        memmove(&s->cache[0], &s->cache[1], sizeof(s->cache[0]) * (STORE_STMT_CACHE - 1));
        s->n_cache--;
    }
    s->cache[s->n_cache].sql = sql;
    s->cache[s->n_cache].st = st;
    s->n_cache++;
    return st;
}

void store__done(sqlite3_stmt *st)
{
    if (st != NULL)
        sqlite3_reset(st);
}

enum forum_status store__run(struct store *s, sqlite3_stmt *st, struct forum_error *err)
{
    int rc = sqlite3_step(st);
    enum forum_status out = FORUM_OK;

    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        out = store__fail(s, rc, err);
    sqlite3_reset(st);
    return out;
}

static enum forum_status exec(struct store *s, const char *sql, struct forum_error *err)
{
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

    if (rc != SQLITE_OK)
        return store__fail(s, rc, err);
    return FORUM_OK;
}

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_BEGIN_READ[] = "BEGIN DEFERRED";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";
static const char SQL_SAVEPOINT[] = "SAVEPOINT nested";
static const char SQL_RELEASE[] = "RELEASE nested";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO nested";

enum forum_status store_read_begin(struct store *s, struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_BEGIN_READ, err);

    if (st == NULL)
        return FORUM_ESTORE;
    return store__run(s, st, err);
}

void store_read_end(struct store *s)
{
    /* A read transaction has nothing to keep: ending it either way is the same. */
    store__rollback(s);
}

enum forum_status store__begin(struct store *s, struct forum_error *err)
{
    /* Inside a transaction (store_write_begin()), a savepoint: the call is
     * whole or nothing within it, and the outer transaction decides. */
    sqlite3_stmt *st = store__stmt(s, s->depth > 0 ? SQL_SAVEPOINT : SQL_BEGIN, err);
    enum forum_status rc;

    if (st == NULL)
        return FORUM_ESTORE;
    rc = store__run(s, st, err);
    if (rc == FORUM_OK)
        s->depth++;
    return rc;
}

enum forum_status store__commit(struct store *s, struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc;

    assert(s->depth > 0);
    st = store__stmt(s, s->depth > 1 ? SQL_RELEASE : SQL_COMMIT, err);
    if (st == NULL) {
        store__rollback(s);
        return FORUM_ESTORE;
    }
    rc = store__run(s, st, err);
    if (rc != FORUM_OK) {
        store__rollback(s);
        return rc;
    }
    s->depth--;
    return FORUM_OK;
}

void store__rollback(struct store *s)
{
    sqlite3_stmt *st;

    if (s->depth > 1) {
        /* Undo the savepoint's writes and leave it; the outer transaction
         * goes on (and its owner sees the failure). */
        st = store__stmt(s, SQL_ROLLBACK_TO, NULL);
        if (st != NULL)
            store__run(s, st, NULL);
        st = store__stmt(s, SQL_RELEASE, NULL);
        if (st != NULL)
            store__run(s, st, NULL);
        s->depth--;
        return;
    }
    s->depth = 0;
    if (sqlite3_get_autocommit(s->db))
        return;
    st = store__stmt(s, SQL_ROLLBACK, NULL);
    if (st != NULL)
        store__run(s, st, NULL);
}

enum forum_status store_write_begin(struct store *s, struct forum_error *err)
{
    assert(s->depth == 0);
    return store__begin(s, err);
}

enum forum_status store_write_end(struct store *s, enum forum_status rc,
                                  struct forum_error *err)
{
    return store__end(s, rc, err);
}

char *store__col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);

    if (t == NULL)
        return NULL;
    return forum_xstrdup((const char *)t);
}

int store__bind(sqlite3_stmt *st, int i, const char *str)
{
    if (str == NULL)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, str, -1, SQLITE_TRANSIENT);
}

void *store__grow(void *v, size_t n, size_t sz)
{
    char *p = forum_xrealloc(v, (n + 1) * sz);

    memset(p + n * sz, 0, sz);
    return p;
}

void store_strv_push(struct store_strv *sv, const char *str)
{
    sv->v = forum_xrealloc(sv->v, (sv->n + 1) * sizeof(*sv->v));
    sv->v[sv->n++] = forum_xstrdup(str);
}

void store_strv_release(struct store_strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = 0;
}

enum forum_status store__strv_load(struct store *s, const char *sql, const char *id,
                                   struct store_strv *sv, struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, sql, err);
    int rc;

    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        store_strv_push(sv, (const char *)sqlite3_column_text(st, 0));
    store__done(st);
    if (rc != SQLITE_DONE)
        return store__fail(s, rc, err);
    return FORUM_OK;
}

enum forum_status store__strv_save(struct store *s, const char *sql, const char *id,
                                   const struct store_strv *sv, const char *field,
                                   struct forum_error *err)
{
    for (size_t i = 0; i < sv->n; i++) {
        sqlite3_stmt *st = store__stmt(s, sql, err);
        enum forum_status rc;

        if (st == NULL)
            return FORUM_ESTORE;
        store__bind(st, 1, id);
        store__bind(st, 2, sv->v[i]);
        rc = store__run(s, st, err);
        if (rc == FORUM_ECONFLICT)
            continue; /* a duplicate in the list: sets keep one */
        if (rc != FORUM_OK) {
            if (err != NULL && err->code == rc && field != NULL)
                snprintf(err->field, sizeof(err->field), "%s", field);
            return rc;
        }
    }
    return FORUM_OK;
}

enum forum_status store__exists(struct store *s, const char *sql, const char *id,
                                const char *eid, const char *what,
                                struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, sql, err);
    int rc;

    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, id);
    store__bind(st, 2, eid);
    rc = sqlite3_step(st);
    store__done(st);
    if (rc == SQLITE_ROW)
        return FORUM_OK;
    if (rc == SQLITE_DONE)
        return forum_error_set(err, FORUM_ENOTFOUND, NULL, "no such %s", what);
    return store__fail(s, rc, err);
}

enum forum_status store__integer(struct store *s, const char *sql, const char *id,
                                 long *out, struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, sql, err);
    int rc;

    *out = 0;
    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = (long)sqlite3_column_int64(st, 0);
    store__done(st);
    return rc == SQLITE_ROW ? FORUM_OK : store__fail(s, rc, err);
}

enum forum_status store__exec_id(struct store *s, const char *sql, const char *id,
                                 struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, sql, err);

    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, id);
    return store__run(s, st, err);
}

enum forum_status store__changed(struct store *s, enum forum_status rc, const char *what,
                                 struct forum_error *err)
{
    if (rc == FORUM_OK && sqlite3_changes(s->db) == 0)
        return forum_error_set(err, FORUM_ENOTFOUND, NULL, "no such %s", what);
    return rc;
}

enum forum_status store__delete(struct store *s, const char *sql, const char *id,
                                const char *eid, const char *what,
                                struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, sql, err);

    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, id);
    store__bind(st, 2, eid);
    return store__changed(s, store__run(s, st, err), what, err);
}

enum forum_status store__end(struct store *s, enum forum_status rc,
                             struct forum_error *err)
{
    if (rc != FORUM_OK) {
        store__rollback(s);
        return rc;
    }
    return store__commit(s, err);
}

enum forum_status store__row(struct store *s, const char *sql, const char *p1,
                             const char *p2, store__read_fn *read, void *out,
                             const char *missing, struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, sql, err);
    int rc;

    if (st == NULL)
        return FORUM_ESTORE;
    /* store__stmt() cleared the bindings: a NULL parameter stays unbound. */
    if (p1 != NULL)
        store__bind(st, 1, p1);
    if (p2 != NULL)
        store__bind(st, 2, p2);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read(st, out);
    store__done(st);
    if (rc == SQLITE_ROW)
        return FORUM_OK;
    if (rc == SQLITE_DONE)
        return forum_error_set(err, FORUM_ENOTFOUND, NULL, "%s", missing);
    return store__fail(s, rc, err);
}

enum forum_status store__rows(struct store *s, sqlite3_stmt *st, void **v, size_t *n,
                              size_t sz, store__read_fn *read, store__more_fn *more,
                              store__free_fn *free_all, struct forum_error *err)
{
    enum forum_status out = FORUM_OK;
    int rc;

    *v = NULL;
    *n = 0;
    if (st == NULL)
        return FORUM_ESTORE;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *v = store__grow(*v, *n, sz);
        read(st, (char *)*v + (*n)++ * sz);
    }
    store__done(st);
    if (rc != SQLITE_DONE)
        out = store__fail(s, rc, err);
    for (size_t i = 0; out == FORUM_OK && more != NULL && i < *n; i++)
        out = more(s, (char *)*v + i * sz, err);
    if (out != FORUM_OK) {
        free_all(*v, *n);
        *v = NULL;
        *n = 0;
    }
    return out;
}

enum forum_status store__list(struct store *s, const char *sql, const char *id, void **v,
                              size_t *n, size_t sz, store__read_fn *read,
                              store__more_fn *more, store__free_fn *free_all,
                              struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, sql, err);

    if (st != NULL)
        store__bind(st, 1, id);
    return store__rows(s, st, v, n, sz, read, more, free_all, err);
}

void store_now(char *out)
{
    forum_clock_format(forum_clock_now(), out);
}

/* ---- lifecycle ------------------------------------------------------------- */

enum forum_status store_open(const char *path, struct store **out,
                             struct forum_error *err)
{
    struct store *s = forum_xcalloc(1, sizeof(*s));
    enum forum_status rc;
    int src;

    *out = NULL;
    src = sqlite3_open_v2(path, &s->db,
                          SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                              SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE,
                          NULL);
    if (src != SQLITE_OK) {
        rc = forum_error_set(err, FORUM_ESTORE, NULL, "cannot open %s: %s", path,
                             s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
    /* WAL: readers never block the writer. synchronous=FULL: a committed
     * vote survives a power cut, not only a crash. */
    rc = exec(s, "PRAGMA journal_mode=WAL", err);
    if (rc == FORUM_OK)
        rc = exec(s, "PRAGMA synchronous=FULL", err);
    if (rc == FORUM_OK)
        rc = exec(s, "PRAGMA foreign_keys=ON", err);
    if (rc == FORUM_OK) {
        char sql[48];
        snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%d", STORE_PAGE_CACHE_KIB);
        rc = exec(s, sql, err);
    }
    if (rc != FORUM_OK)
        goto fail;
    *out = s;
    return FORUM_OK;
fail:
    store_close(s);
    return rc;
}

void store_close(struct store *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_cache; i++)
        sqlite3_finalize(s->cache[i].st);
    sqlite3_close(s->db);
    free(s);
}

int store_schema_latest(void)
{
    return store_migrations_count;
}

enum forum_status store_schema_version(struct store *s, int *version,
                                       struct forum_error *err)
{
    static const char sql[] = "PRAGMA user_version";
    sqlite3_stmt *st = store__stmt(s, sql, err);
    int rc;

    *version = 0;
    if (st == NULL)
        return FORUM_ESTORE;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    store__done(st);
    if (rc != SQLITE_ROW)
        return store__fail(s, rc, err);
    return FORUM_OK;
}

enum forum_status store_migrate(struct store *s, int target, struct forum_error *err)
{
    enum forum_status rc;
    int version;
    char pragma[64];

    if (target <= 0 || target > store_migrations_count)
        target = store_migrations_count;
    rc = store_schema_version(s, &version, err);
    if (rc != FORUM_OK)
        return rc;
    if (version > store_migrations_count)
        return forum_error_set(err, FORUM_ECONFLICT, NULL,
                               "the database (schema %d) is newer than this forumd (%d)",
                               version, store_migrations_count);
    for (int v = version; v < target; v++) {
        rc = exec(s, "BEGIN IMMEDIATE", err);
        if (rc != FORUM_OK)
            return rc;
        rc = exec(s, store_migrations[v].sql, err);
        if (rc == FORUM_OK) {
            snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
            rc = exec(s, pragma, err);
        }
        if (rc == FORUM_OK)
            rc = exec(s, "COMMIT", err);
        if (rc != FORUM_OK) {
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            if (err != NULL)
                snprintf(err->field, sizeof(err->field), "%s", store_migrations[v].name);
            return rc;
        }
    }
    return FORUM_OK;
}

enum forum_status store_limit_pages(struct store *s, unsigned long pages,
                                    struct forum_error *err)
{
    char sql[64];

    snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %lu", pages);
    return exec(s, sql, err);
}

enum forum_status store_ping(struct store *s)
{
    static const char sql[] = "SELECT count(*) FROM sqlite_schema";
    sqlite3_stmt *st = store__stmt(s, sql, NULL);
    int rc;

    if (st == NULL)
        return FORUM_ESTORE;
    rc = sqlite3_step(st);
    store__done(st);
    return rc == SQLITE_ROW ? FORUM_OK : FORUM_ESTORE;
}

void store_memory(int64_t *used, int64_t *highwater, int64_t *cache)
{
    sqlite3_int64 cur = 0, hi = 0, pages = 0, pages_hi = 0;

    sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur, &hi, 0);
    /* No page-cache pool is configured: every cached page is an "overflow". */
    sqlite3_status64(SQLITE_STATUS_PAGECACHE_OVERFLOW, &pages, &pages_hi, 0);
    *used = cur;
    *highwater = hi;
    *cache = pages;
}

void store_release_memory(struct store *s)
{
    sqlite3_db_release_memory(s->db);
}

enum forum_status store_backup(struct store *s, const char *dest, struct forum_error *err)
{
    sqlite3 *to = NULL;
    sqlite3_backup *b;
    enum forum_status rc = FORUM_OK;
    int src;

    src = sqlite3_open_v2(
        dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE,
        NULL);
    if (src != SQLITE_OK) {
        rc = forum_error_set(err, FORUM_ESTORE, NULL, "cannot open %s: %s", dest,
                             to ? sqlite3_errmsg(to) : "out of memory");
        goto out;
    }
    b = sqlite3_backup_init(to, "main", s->db, "main");
    if (b == NULL) {
        rc = forum_error_set(err, FORUM_ESTORE, NULL, "backup: %s", sqlite3_errmsg(to));
        goto out;
    }
    /* Copy in steps so that writers get the lock between them. */
    do {
        src = sqlite3_backup_step(b, 256);
        if (src == SQLITE_BUSY || src == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (src == SQLITE_OK || src == SQLITE_BUSY || src == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (src != SQLITE_DONE)
        rc = forum_error_set(err, FORUM_ESTORE, NULL, "backup: %s", sqlite3_errstr(src));
out:
    sqlite3_close(to);
    return rc;
}
