/* SPDX-License-Identifier: MIT */
/*
 * Session notes by session identity: their revisions (the last one is the
 * notes as they are), saved only over the revision the writer read (the
 * check and the write in one transaction), a person's saves within a few
 * minutes kept as one revision, the last STORE_NOTES_KEEP kept; and who
 * says they were there.
 */
#include "forum/store.h"

#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"
#include "internal.h"

#define NOTES_COLS                                                                       \
    "SELECT session_id, rev, author_id, author_name, started_at, saved_at, "             \
    "attendance, names, key_points, proposals, follow_up FROM note_revisions "

static const char SQL_NOTES_GET[] =
    NOTES_COLS "WHERE event_id = ?1 AND session_id = ?2 ORDER BY rev DESC LIMIT 1";
static const char SQL_NOTES_REV[] =
    NOTES_COLS "WHERE event_id = ?1 AND session_id = ?2 AND rev = ?3";
static const char SQL_NOTES_REVS[] =
    NOTES_COLS "WHERE event_id = ?1 AND session_id = ?2 ORDER BY rev DESC";
/* The current notes of every session: each one's highest revision. */
static const char SQL_NOTES_ALL[] =
    NOTES_COLS "WHERE event_id = ?1 AND rev = (SELECT max(rev) FROM note_revisions m "
               "WHERE m.event_id = note_revisions.event_id "
               "AND m.session_id = note_revisions.session_id) ORDER BY session_id";
/* The last revision, and whether a save by author (?3) at ?4 joins it. */
static const char SQL_NOTES_LAST[] =
    "SELECT rev, author_id IS ?3 AND CAST(strftime('%s', ?4) AS INTEGER) - "
    "CAST(strftime('%s', started_at) AS INTEGER) BETWEEN 0 AND ?5 "
    "FROM note_revisions WHERE event_id = ?1 AND session_id = ?2 "
    "ORDER BY rev DESC LIMIT 1";
static const char SQL_NOTES_INSERT[] =
    "INSERT INTO note_revisions (event_id, session_id, rev, author_id, author_name, "
    "started_at, saved_at, attendance, names, key_points, proposals, follow_up) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char SQL_NOTES_UPDATE[] =
    "UPDATE note_revisions SET rev = ?3, author_id = ?4, author_name = ?5, "
    "saved_at = ?6, attendance = ?7, names = ?8, key_points = ?9, proposals = ?10, "
    "follow_up = ?11 WHERE event_id = ?1 AND session_id = ?2 AND rev = ?12";
static const char SQL_NOTES_PRUNE[] =
    "DELETE FROM note_revisions WHERE event_id = ?1 AND session_id = ?2 AND rev <= "
    "(SELECT rev FROM note_revisions WHERE event_id = ?1 AND session_id = ?2 "
    "ORDER BY rev DESC LIMIT 1 OFFSET ?3)";

static const char SQL_PRESENCE_ADD[] =
    "INSERT OR IGNORE INTO note_presence (event_id, session_id, participant_id, "
    "created_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_PRESENCE_DEL[] =
    "DELETE FROM note_presence WHERE event_id = ?1 AND session_id = ?2 "
    "AND participant_id = ?3";
static const char SQL_PRESENCE_LIST[] =
    "SELECT n.session_id, n.participant_id, p.name FROM note_presence n "
    "JOIN participants p ON p.id = n.participant_id WHERE n.event_id = ?1 "
    "AND (?2 IS NULL OR n.session_id = ?2) ORDER BY n.session_id, p.name, p.id";

static const char SQL_SESSION_LAST[] =
    "SELECT max(version) FROM sessions WHERE event_id = ?1 AND id = ?2";

/* ---- notes ---------------------------------------------------------------------- */

void store_notes_release(struct store_notes *x)
{
    free(x->session_id);
    free(x->author_id);
    free(x->author_name);
    free(x->started_at);
    free(x->saved_at);
    free(x->names);
    free(x->key_points);
    free(x->proposals);
    free(x->follow_up);
    memset(x, 0, sizeof(*x));
    x->attendance = -1;
}

void store_notes_free(struct store_notes *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_notes_release(&v[i]);
    free(v);
}

static void notes_list_free(void *v, size_t n)
{
    store_notes_free(v, n);
}

/* A text column, never NULL. */
static char *text_col(sqlite3_stmt *st, int i)
{
    char *s = store__col(st, i);

    return s != NULL ? s : forum_xstrdup("");
}

static void notes_read(sqlite3_stmt *st, void *out)
{
    struct store_notes *x = out;

    x->session_id = store__col(st, 0);
    x->rev = (long)sqlite3_column_int64(st, 1);
    x->author_id = store__col(st, 2);
    x->author_name = text_col(st, 3);
    x->started_at = store__col(st, 4);
    x->saved_at = store__col(st, 5);
    x->attendance = sqlite3_column_type(st, 6) == SQLITE_NULL
                        ? -1
                        : (long)sqlite3_column_int64(st, 6);
    x->names = text_col(st, 7);
    x->key_points = text_col(st, 8);
    x->proposals = text_col(st, 9);
    x->follow_up = text_col(st, 10);
}

/* Empty notes of session sid: revision 0, no author, empty texts. */
static void notes_empty(struct store_notes *x, const char *sid)
{
    memset(x, 0, sizeof(*x));
    x->session_id = forum_xstrdup(sid);
    x->author_name = forum_xstrdup("");
    x->attendance = -1;
    x->names = forum_xstrdup("");
    x->key_points = forum_xstrdup("");
    x->proposals = forum_xstrdup("");
    x->follow_up = forum_xstrdup("");
}

enum forum_status store_notes_get(struct store *s, const char *eid, const char *sid,
                                  struct store_notes *out, struct forum_error *err)
{
    enum forum_status rc;

    memset(out, 0, sizeof(*out));
    rc = store__row(s, SQL_NOTES_GET, eid, sid, notes_read, out, "no notes", err);
    if (rc == FORUM_ENOTFOUND) {
        forum_error_clear(err);
        notes_empty(out, sid);
        return FORUM_OK;
    }
    return rc;
}

enum forum_status store_notes_revision(struct store *s, const char *eid, const char *sid,
                                       long rev, struct store_notes *out,
                                       struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_NOTES_REV, err);
    int rc;

    memset(out, 0, sizeof(*out));
    out->attendance = -1;
    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, eid);
    store__bind(st, 2, sid);
    sqlite3_bind_int64(st, 3, rev);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        notes_read(st, out);
    store__done(st);
    if (rc == SQLITE_ROW)
        return FORUM_OK;
    if (rc == SQLITE_DONE)
        return forum_error_set(err, FORUM_ENOTFOUND, NULL, "no such revision");
    return store__fail(s, rc, err);
}

enum forum_status store_notes_revisions(struct store *s, const char *eid, const char *sid,
                                        struct store_notes **v, size_t *n,
                                        struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_NOTES_REVS, err);
    void *arr = NULL;
    enum forum_status rc;

    if (st != NULL) {
        store__bind(st, 1, eid);
        store__bind(st, 2, sid);
    }
    rc = store__rows(s, st, &arr, n, sizeof(**v), notes_read, NULL, notes_list_free, err);
    *v = arr;
    return rc;
}

enum forum_status store_notes_list(struct store *s, const char *eid,
                                   struct store_notes **v, size_t *n,
                                   struct forum_error *err)
{
    void *arr = NULL;
    enum forum_status rc = store__list(s, SQL_NOTES_ALL, eid, &arr, n, sizeof(**v),
                                       notes_read, NULL, notes_list_free, err);

    *v = arr;
    return rc;
}

/* Binds the notes' content (?7 .. ?11) of in. */
static void bind_content(sqlite3_stmt *st, const struct store_notes *in)
{
    if (in->attendance >= 0)
        sqlite3_bind_int64(st, 7, in->attendance);
    store__bind(st, 8, in->names != NULL ? in->names : "");
    store__bind(st, 9, in->key_points != NULL ? in->key_points : "");
    store__bind(st, 10, in->proposals != NULL ? in->proposals : "");
    store__bind(st, 11, in->follow_up != NULL ? in->follow_up : "");
}

enum forum_status store_notes_put(struct store *s, const char *eid, const char *sid,
                                  long if_rev, const struct store_notes *in,
                                  const char *now, struct store_notes *out,
                                  struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc;
    long last = 0;
    bool join = false;
    char clock[21];
    int src;

    memset(out, 0, sizeof(*out));
    out->attendance = -1;
    if (now == NULL) {
        store_now(clock);
        now = clock;
    }
    rc = store__begin(s, err);
    if (rc != FORUM_OK)
        return rc;
    st = store__stmt(s, SQL_NOTES_LAST, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto out;
    }
    store__bind(st, 1, eid);
    store__bind(st, 2, sid);
    store__bind(st, 3, in->author_id);
    store__bind(st, 4, now);
    sqlite3_bind_int64(st, 5, STORE_NOTES_JOIN_S);
    src = sqlite3_step(st);
    if (src == SQLITE_ROW) {
        last = (long)sqlite3_column_int64(st, 0);
        join = sqlite3_column_int(st, 1) != 0;
    }
    store__done(st);
    if (src != SQLITE_ROW && src != SQLITE_DONE) {
        rc = store__fail(s, src, err);
        goto out;
    }
    if (last != if_rev) {
        /* Someone saved since the writer read them: nothing is written. */
        rc = forum_error_set(err, FORUM_ECONFLICT, "If-Match",
                             "the notes changed since revision %ld (now %ld)", if_rev,
                             last);
        goto out;
    }
    st = store__stmt(s, join ? SQL_NOTES_UPDATE : SQL_NOTES_INSERT, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto out;
    }
    store__bind(st, 1, eid);
    store__bind(st, 2, sid);
    sqlite3_bind_int64(st, 3, last + 1);
    store__bind(st, 4, in->author_id);
    store__bind(st, 5, in->author_name != NULL ? in->author_name : "");
    store__bind(st, 6, now);
    bind_content(st, in);
    if (join)
        sqlite3_bind_int64(st, 12, last);
    rc = store__run(s, st, err);
    if (rc == FORUM_OK) {
        st = store__stmt(s, SQL_NOTES_PRUNE, err);
        if (st == NULL) {
            rc = FORUM_ESTORE;
            goto out;
        }
        store__bind(st, 1, eid);
        store__bind(st, 2, sid);
        sqlite3_bind_int64(st, 3, STORE_NOTES_KEEP);
        rc = store__run(s, st, err);
    }
out:
    rc = store__end(s, rc, err);
    /* The notes as they are now: the new ones, or those that won. */
    if (rc == FORUM_OK || rc == FORUM_ECONFLICT) {
        struct forum_error e2;
        forum_error_clear(&e2);
        if (store_notes_get(s, eid, sid, out, &e2) != FORUM_OK)
            store_notes_release(out);
    }
    return rc;
}

/* ---- presence --------------------------------------------------------------------- */

void store_presences_free(struct store_presence *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].session_id);
        free(v[i].participant_id);
        free(v[i].name);
    }
    free(v);
}

static void presence_list_free(void *v, size_t n)
{
    store_presences_free(v, n);
}

static void presence_read(sqlite3_stmt *st, void *out)
{
    struct store_presence *x = out;

    x->session_id = store__col(st, 0);
    x->participant_id = store__col(st, 1);
    x->name = text_col(st, 2);
}

enum forum_status store_presence_set(struct store *s, const char *eid, const char *sid,
                                     const char *pid, bool present,
                                     struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, present ? SQL_PRESENCE_ADD : SQL_PRESENCE_DEL, err);
    char now[21];

    if (st == NULL)
        return FORUM_ESTORE;
    store_now(now);
    store__bind(st, 1, eid);
    store__bind(st, 2, sid);
    store__bind(st, 3, pid);
    if (present)
        store__bind(st, 4, now);
    return store__run(s, st, err);
}

enum forum_status store_presence_list(struct store *s, const char *eid, const char *sid,
                                      struct store_presence **v, size_t *n,
                                      struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_PRESENCE_LIST, err);
    void *arr = NULL;
    enum forum_status rc;

    if (st != NULL) {
        store__bind(st, 1, eid);
        store__bind(st, 2, sid);
    }
    rc = store__rows(s, st, &arr, n, sizeof(**v), presence_read, NULL, presence_list_free,
                     err);
    *v = arr;
    return rc;
}

/* ---- session identities --------------------------------------------------------------
 */

enum forum_status store_session_last_version(struct store *s, const char *eid,
                                             const char *sid, long *version,
                                             struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_SESSION_LAST, err);
    int rc;

    *version = 0;
    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, eid);
    store__bind(st, 2, sid);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = (long)sqlite3_column_int64(st, 0);
    store__done(st);
    if (rc != SQLITE_ROW)
        return store__fail(s, rc, err);
    if (*version == 0)
        return forum_error_set(err, FORUM_ENOTFOUND, NULL, "no such session");
    return FORUM_OK;
}
