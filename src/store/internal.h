/* SPDX-License-Identifier: MIT */
/*
 * Private declarations shared by the files of src/store/: the connection
 * struct, the statement cache and the SQLite error mapping.
 */
#ifndef FORUM_STORE_INTERNAL_H
#define FORUM_STORE_INTERNAL_H

#include <sqlite3.h>

#include "forum/store.h"

/* One embedded migration (generated from sql/ into migrations_sql.c). */
struct store_migration {
    const char *name; /* "0001_init.sql" */
    const char *sql;  /* the whole script */
};

extern const struct store_migration store_migrations[];
extern const int store_migrations_count;

#define STORE_STMT_CACHE 192

/*
 * Each connection's page cache, in KiB (PRAGMA cache_size). SQLite's
 * default is 2000; the daemon has one connection per server thread plus
 * the allocation worker's and the main thread's, and the operating system
 * caches the file anyway, so a smaller cache bounds the resident memory
 * that grows with the database (docs/operations.md, Memory).
 */
#define STORE_PAGE_CACHE_KIB 512

struct store {
    sqlite3 *db;
    struct {
        const char *sql; /* the key: the address of a static string */
        sqlite3_stmt *st;
    } cache[STORE_STMT_CACHE];
    size_t n_cache;
};

/*
 * Returns the cached prepared statement for sql (a string with static
 * storage: the cache is keyed by its address), reset and with bindings
 * cleared, or NULL with err set. Borrowed: call store__done() when finished.
 */
sqlite3_stmt *store__stmt(struct store *s, const char *sql, struct forum_error *err);
/* Resets st so that it releases its read or write lock. NULL-safe. */
void store__done(sqlite3_stmt *st);

/* Maps the last SQLite error (rc) to a status and records it in err. */
enum forum_status store__fail(struct store *s, int rc, struct forum_error *err);

/* Runs a statement without rows (bound already); resets it. */
enum forum_status store__run(struct store *s, sqlite3_stmt *st, struct forum_error *err);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. Rollback ignores errors. */
enum forum_status store__begin(struct store *s, struct forum_error *err);
enum forum_status store__commit(struct store *s, struct forum_error *err);
void store__rollback(struct store *s);

/* Returns an owned copy of column i (free with free()), or NULL for SQL NULL. */
char *store__col(sqlite3_stmt *st, int i);
/* Binds s as text (copied), or NULL when s is NULL. */
int store__bind(sqlite3_stmt *st, int i, const char *s);

/* Runs sql (one id parameter, one text column) and appends every row to sv. */
enum forum_status store__strv_load(struct store *s, const char *sql, const char *id,
                                   struct store_strv *sv, struct forum_error *err);
/* Runs sql (parameters: id, one string) once per string of sv. */
enum forum_status store__strv_save(struct store *s, const char *sql, const char *id,
                                   const struct store_strv *sv, const char *field,
                                   struct forum_error *err);

/* Runs sql (one parameter: id; no rows) and resets it. */
enum forum_status store__exec_id(struct store *s, const char *sql, const char *id,
                                 struct forum_error *err);

/*
 * Turns a successful UPDATE or DELETE that changed no row into FORUM_ENOTFOUND
 * ("no such <what>"); returns any other rc unchanged.
 */
enum forum_status store__changed(struct store *s, enum forum_status rc, const char *what,
                                 struct forum_error *err);

/* Runs sql (parameters: id, eid) and reports "no such <what>" when no row changed. */
enum forum_status store__delete(struct store *s, const char *sql, const char *id,
                                const char *eid, const char *what,
                                struct forum_error *err);

/* Ends the transaction store__begin() opened: commits when rc is FORUM_OK (and
 * returns the commit's status), rolls back and returns rc otherwise. */
enum forum_status store__end(struct store *s, enum forum_status rc,
                             struct forum_error *err);

/* Fills the element out (zeroed) from the current row of st. */
typedef void store__read_fn(sqlite3_stmt *st, void *out);
/* Frees an array of n elements and what they own. */
typedef void store__free_fn(void *v, size_t n);
/* Loads what else the element out owns (its lists) once every row is read. */
typedef enum forum_status store__more_fn(struct store *s, void *out,
                                         struct forum_error *err);

/*
 * Runs sql with parameters p1 and p2 (NULL ones stay unbound, that is NULL)
 * and fills out from the
 * first row with read. No row gives FORUM_ENOTFOUND with the message missing.
 */
enum forum_status store__row(struct store *s, const char *sql, const char *p1,
                             const char *p2, store__read_fn *read, void *out,
                             const char *missing, struct forum_error *err);

/*
 * Steps st (from store__stmt(), bound already; NULL gives FORUM_ESTORE) to its
 * end, appending to the array *v of *n elements of sz bytes, zeroed and then
 * filled by read, one per row; then, when more is not NULL, calls more on
 * each element. OUT: *v (owned) and *n; on failure both are freed with
 * free_all and set to NULL and 0. Resets st.
 */
enum forum_status store__rows(struct store *s, sqlite3_stmt *st, void **v, size_t *n,
                              size_t sz, store__read_fn *read, store__more_fn *more,
                              store__free_fn *free_all, struct forum_error *err);
/* store__rows() over sql with one parameter, id. */
enum forum_status store__list(struct store *s, const char *sql, const char *id, void **v,
                              size_t *n, size_t sz, store__read_fn *read,
                              store__more_fn *more, store__free_fn *free_all,
                              struct forum_error *err);

/* Checks that row id exists in event eid with sql ("SELECT 1 ... id=?1 AND event_id=?2").
 */
enum forum_status store__exists(struct store *s, const char *sql, const char *id,
                                const char *eid, const char *what,
                                struct forum_error *err);

/* Stores the hash of token for (role, eid, pid; pid may be NULL). */
enum forum_status store__token_insert(struct store *s, int role, const char *eid,
                                      const char *pid, const char *token,
                                      struct forum_error *err);

/*
 * Inserts room r into event eid with its lists, inside the caller's
 * transaction. OUT: id (STORE_ID_MAX + 1 bytes, "" on failure).
 */
enum forum_status store__room_insert(struct store *s, const char *eid,
                                     const struct store_room *r, char *id,
                                     struct forum_error *err);

/* Grows an array of n elements of size sz by one zeroed element; returns it. */
void *store__grow(void *v, size_t n, size_t sz);

#endif /* FORUM_STORE_INTERNAL_H */
