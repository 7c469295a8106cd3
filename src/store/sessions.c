/* SPDX-License-Identifier: MIT */
/*
 * The published schedule versions as rows: the grid as it was published
 * (slots, rooms, blocks) and one row per session with its hosts and
 * attendees. Immutable once written (triggers); SEQUENCE computed here from
 * the rows of the same identity in earlier versions.
 */
#include "forum/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char SQL_V_GET[] =
    "SELECT version, allocation_id, published_at, timezone FROM schedule_versions "
    "WHERE event_id = ?1 AND (?2 <= 0 OR version = ?2) ORDER BY version DESC LIMIT 1";
static const char SQL_V_LATEST[] =
    "SELECT coalesce(max(version), 0) FROM schedule_versions WHERE event_id = ?1";
static const char SQL_V_INSERT[] =
    "INSERT INTO schedule_versions (event_id, version, allocation_id, published_at, "
    "timezone) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_VS_LIST[] =
    "SELECT slot_id, label, starts_at, ends_at, block_id FROM version_slots "
    "WHERE event_id = ?1 AND version = ?2 ORDER BY starts_at, slot_id";
static const char SQL_VS_INSERT[] =
    "INSERT INTO version_slots (event_id, version, slot_id, label, starts_at, ends_at, "
    "block_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_VR_LIST[] =
    "SELECT room_id, name, url FROM version_rooms "
    "WHERE event_id = ?1 AND version = ?2 ORDER BY position";
static const char SQL_VR_INSERT[] =
    "INSERT INTO version_rooms (event_id, version, room_id, position, name, url) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_VB_LIST[] =
    "SELECT block_id, name, kind, title, room_id FROM version_blocks "
    "WHERE event_id = ?1 AND version = ?2 ORDER BY position";
static const char SQL_VB_INSERT[] =
    "INSERT INTO version_blocks (event_id, version, block_id, position, name, kind, "
    "title, room_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
#define S_COLS                                                                           \
    "SELECT s.id, s.topic_id, s.grp, s.block_id, s.kind, s.room_id, s.slot_id, "         \
    "s.title, "                                                                          \
    "s.theme, s.starts_at, s.ends_at, s.seats, s.sequence, s.everyone, "                 \
    "(SELECT count(*) FROM sessions g WHERE g.event_id = s.event_id AND "                \
    "g.version = s.version AND g.topic_id = s.topic_id) FROM sessions s "                \
    "LEFT JOIN version_rooms r ON r.event_id = s.event_id AND r.version = s.version "    \
    "AND r.room_id = s.room_id WHERE s.event_id = ?1 AND s.version = ?2 "
#define S_ORDER " ORDER BY s.starts_at, r.position, s.grp, s.id"
static const char SQL_S_LIST[] = S_COLS S_ORDER;
static const char SQL_S_LIST_MINE[] =
    S_COLS "AND (s.everyone = 1 OR EXISTS (SELECT 1 FROM session_attendees a "
           "WHERE a.event_id = s.event_id AND a.version = s.version "
           "AND a.session_id = s.id AND a.participant_id = ?3))" S_ORDER;
static const char SQL_S_HOSTS[] =
    "SELECT name FROM session_hosts WHERE event_id = ?1 AND version = ?2 "
    "AND session_id = ?3 ORDER BY position";
static const char SQL_S_ATTENDEES[] =
    "SELECT participant_id FROM session_attendees WHERE event_id = ?1 AND version = ?2 "
    "AND session_id = ?3 ORDER BY participant_id";
static const char SQL_S_INSERT[] =
    "INSERT INTO sessions (event_id, version, id, topic_id, grp, block_id, kind, "
    "room_id, "
    "slot_id, title, theme, starts_at, ends_at, seats, sequence, everyone) VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
static const char SQL_S_HOST_INSERT[] =
    "INSERT INTO session_hosts (event_id, version, session_id, position, name) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_S_ATTENDEE_INSERT[] =
    "INSERT OR IGNORE INTO session_attendees (event_id, version, session_id, "
    "participant_id) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_S_LAST[] =
    "SELECT version, sequence, room_id, starts_at, ends_at FROM sessions "
    "WHERE event_id = ?1 AND id = ?2 AND version < ?3 ORDER BY version DESC LIMIT 1";

/* ---- release ---------------------------------------------------------------------- */

void store_session_release(struct store_session *x)
{
    free(x->id);
    free(x->topic_id);
    free(x->block_id);
    free(x->kind);
    free(x->room_id);
    free(x->slot_id);
    free(x->title);
    free(x->theme);
    free(x->starts_at);
    free(x->ends_at);
    store_strv_release(&x->hosts);
    store_strv_release(&x->attendees);
    memset(x, 0, sizeof(*x));
}

void store_schedule_release(struct store_schedule *sc)
{
    free(sc->allocation_id);
    free(sc->published_at);
    free(sc->timezone);
    for (size_t i = 0; i < sc->n_slots; i++) {
        free(sc->slots[i].id);
        free(sc->slots[i].label);
        free(sc->slots[i].starts_at);
        free(sc->slots[i].ends_at);
        free(sc->slots[i].block_id);
    }
    free(sc->slots);
    for (size_t i = 0; i < sc->n_rooms; i++) {
        free(sc->rooms[i].id);
        free(sc->rooms[i].name);
        free(sc->rooms[i].url);
    }
    free(sc->rooms);
    for (size_t i = 0; i < sc->n_blocks; i++) {
        free(sc->blocks[i].id);
        free(sc->blocks[i].name);
        free(sc->blocks[i].kind);
        free(sc->blocks[i].title);
        free(sc->blocks[i].room_id);
    }
    free(sc->blocks);
    for (size_t i = 0; i < sc->n_sessions; i++)
        store_session_release(&sc->sessions[i]);
    free(sc->sessions);
    memset(sc, 0, sizeof(*sc));
}

/* ---- reading ---------------------------------------------------------------------- */

/* Prepares sql with (eid, version) bound as ?1 and ?2. */
static sqlite3_stmt *version_stmt(struct store *s, const char *sql, const char *eid,
                                  long version, struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, sql, err);

    if (st != NULL) {
        store__bind(st, 1, eid);
        sqlite3_bind_int64(st, 2, version);
    }
    return st;
}

static void vslot_read(sqlite3_stmt *st, void *out)
{
    struct store_version_slot *x = out;

    x->id = store__col(st, 0);
    x->label = store__col(st, 1);
    x->starts_at = store__col(st, 2);
    x->ends_at = store__col(st, 3);
    x->block_id = store__col(st, 4);
}

static void vroom_read(sqlite3_stmt *st, void *out)
{
    struct store_version_room *x = out;

    x->id = store__col(st, 0);
    x->name = store__col(st, 1);
    x->url = store__col(st, 2);
}

static void vblock_read(sqlite3_stmt *st, void *out)
{
    struct store_version_block *x = out;

    x->id = store__col(st, 0);
    x->name = store__col(st, 1);
    x->kind = store__col(st, 2);
    x->title = store__col(st, 3);
    x->room_id = store__col(st, 4);
}

static void session_read(sqlite3_stmt *st, void *out)
{
    struct store_session *x = out;

    x->id = store__col(st, 0);
    x->topic_id = store__col(st, 1);
    x->group = (long)sqlite3_column_int64(st, 2);
    x->block_id = store__col(st, 3);
    x->kind = store__col(st, 4);
    x->room_id = store__col(st, 5);
    x->slot_id = store__col(st, 6);
    x->title = store__col(st, 7);
    x->theme = store__col(st, 8);
    x->starts_at = store__col(st, 9);
    x->ends_at = store__col(st, 10);
    x->seats = (long)sqlite3_column_int64(st, 11);
    x->sequence = (long)sqlite3_column_int64(st, 12);
    x->everyone = sqlite3_column_int(st, 13) != 0;
    x->groups = (long)sqlite3_column_int64(st, 14);
    if (x->groups < 1)
        x->groups = 1;
}

/* What store__rows() frees when a list fails half-way. */
static void vslots_free(void *v, size_t n)
{
    struct store_schedule sc = {0};

    sc.slots = v;
    sc.n_slots = n;
    store_schedule_release(&sc);
}

static void vrooms_free(void *v, size_t n)
{
    struct store_schedule sc = {0};

    sc.rooms = v;
    sc.n_rooms = n;
    store_schedule_release(&sc);
}

static void vblocks_free(void *v, size_t n)
{
    struct store_schedule sc = {0};

    sc.blocks = v;
    sc.n_blocks = n;
    store_schedule_release(&sc);
}

static void sessions_free(void *v, size_t n)
{
    struct store_session *x = v;

    for (size_t i = 0; i < n; i++)
        store_session_release(&x[i]);
    free(v);
}

/* Loads the strings of a session's list (hosts or attendees). */
static enum forum_status session_strv(struct store *s, const char *sql, const char *eid,
                                      long version, const char *sid,
                                      struct store_strv *sv, struct forum_error *err)
{
    sqlite3_stmt *st = version_stmt(s, sql, eid, version, err);
    int rc;

    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 3, sid);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        store_strv_push(sv, (const char *)sqlite3_column_text(st, 0));
    store__done(st);
    return rc == SQLITE_DONE ? FORUM_OK : store__fail(s, rc, err);
}

static void version_read(sqlite3_stmt *st, void *out)
{
    struct store_schedule *sc = out;

    sc->version = (long)sqlite3_column_int64(st, 0);
    sc->allocation_id = store__col(st, 1);
    sc->published_at = store__col(st, 2);
    sc->timezone = store__col(st, 3);
}

enum forum_status store_schedule_get(struct store *s, const char *eid, long version,
                                     const char *pid, unsigned what,
                                     struct store_schedule *sc, struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc;
    void *arr;
    int src;

    memset(sc, 0, sizeof(*sc));
    st = version_stmt(s, SQL_V_GET, eid, version, err);
    if (st == NULL)
        return FORUM_ESTORE;
    src = sqlite3_step(st);
    if (src == SQLITE_ROW)
        version_read(st, sc);
    store__done(st);
    if (src == SQLITE_DONE)
        return forum_error_set(err, FORUM_ENOTFOUND, NULL,
                               version > 0 ? "no such version" : "nothing published yet");
    if (src != SQLITE_ROW)
        return store__fail(s, src, err);
    version = sc->version;
    rc = FORUM_OK;
    if (what & STORE_SCHEDULE_GRID) {
        rc = store__rows(s, version_stmt(s, SQL_VS_LIST, eid, version, err), &arr,
                         &sc->n_slots, sizeof(*sc->slots), vslot_read, NULL, vslots_free,
                         err);
        sc->slots = arr;
        if (rc == FORUM_OK) {
            rc = store__rows(s, version_stmt(s, SQL_VR_LIST, eid, version, err), &arr,
                             &sc->n_rooms, sizeof(*sc->rooms), vroom_read, NULL,
                             vrooms_free, err);
            sc->rooms = arr;
        }
        if (rc == FORUM_OK) {
            rc = store__rows(s, version_stmt(s, SQL_VB_LIST, eid, version, err), &arr,
                             &sc->n_blocks, sizeof(*sc->blocks), vblock_read, NULL,
                             vblocks_free, err);
            sc->blocks = arr;
        }
    }
    if (rc == FORUM_OK) {
        st = version_stmt(s, pid != NULL ? SQL_S_LIST_MINE : SQL_S_LIST, eid, version,
                          err);
        if (st != NULL && pid != NULL)
            store__bind(st, 3, pid);
        rc = store__rows(s, st, &arr, &sc->n_sessions, sizeof(*sc->sessions),
                         session_read, NULL, sessions_free, err);
        sc->sessions = arr;
    }
    for (size_t i = 0; rc == FORUM_OK && i < sc->n_sessions; i++) {
        struct store_session *x = &sc->sessions[i];
        rc = session_strv(s, SQL_S_HOSTS, eid, version, x->id, &x->hosts, err);
        if (rc == FORUM_OK && (what & STORE_SCHEDULE_ATTENDEES))
            rc =
                session_strv(s, SQL_S_ATTENDEES, eid, version, x->id, &x->attendees, err);
    }
    if (rc != FORUM_OK)
        store_schedule_release(sc);
    return rc;
}

enum forum_status store_schedule_latest_version(struct store *s, const char *eid,
                                                long *version, struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_V_LATEST, err);
    int rc;

    *version = 0;
    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, eid);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = (long)sqlite3_column_int64(st, 0);
    store__done(st);
    return rc == SQLITE_ROW ? FORUM_OK : store__fail(s, rc, err);
}

/* ---- publishing ------------------------------------------------------------------- */

/* Runs st (bound already) and names field on failure. */
static enum forum_status run_named(struct store *s, sqlite3_stmt *st, const char *field,
                                   struct forum_error *err)
{
    enum forum_status rc = st != NULL ? store__run(s, st, err) : FORUM_ESTORE;

    if (rc != FORUM_OK && err != NULL && err->field[0] == '\0')
        snprintf(err->field, sizeof(err->field), "%s", field);
    return rc;
}

/*
 * Fills x->sequence from the last row of its identity before version: none,
 * 0; the previous version, its sequence, plus one when the time or the room
 * changed; an older one (it was dropped since, and that cancellation raised
 * it once), its sequence plus two.
 */
static enum forum_status sequence_of(struct store *s, const char *eid, long version,
                                     struct store_session *x, struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_S_LAST, err);
    int rc;

    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, eid);
    store__bind(st, 2, x->id);
    sqlite3_bind_int64(st, 3, version);
    x->sequence = 0;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        long last = (long)sqlite3_column_int64(st, 0);
        long seq = (long)sqlite3_column_int64(st, 1);
        const char *room = (const char *)sqlite3_column_text(st, 2);
        const char *from = (const char *)sqlite3_column_text(st, 3);
        const char *to = (const char *)sqlite3_column_text(st, 4);
        bool moved = strcmp(room ? room : "", x->room_id ? x->room_id : "") != 0 ||
                     strcmp(from ? from : "", x->starts_at) != 0 ||
                     strcmp(to ? to : "", x->ends_at) != 0;

        x->sequence = last == version - 1 ? seq + (moved ? 1 : 0) : seq + 2;
    }
    store__done(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? FORUM_OK : store__fail(s, rc, err);
}

static enum forum_status session_insert(struct store *s, const char *eid, long version,
                                        struct store_session *x, struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc = sequence_of(s, eid, version, x, err);

    if (rc != FORUM_OK)
        return rc;
    st = version_stmt(s, SQL_S_INSERT, eid, version, err);
    if (st != NULL) {
        store__bind(st, 3, x->id);
        store__bind(st, 4, x->topic_id);
        sqlite3_bind_int64(st, 5, x->group > 0 ? x->group : 1);
        store__bind(st, 6, x->block_id);
        store__bind(st, 7, x->kind);
        store__bind(st, 8, x->room_id);
        store__bind(st, 9, x->slot_id);
        store__bind(st, 10, x->title);
        store__bind(st, 11, x->theme ? x->theme : "");
        store__bind(st, 12, x->starts_at);
        store__bind(st, 13, x->ends_at);
        sqlite3_bind_int64(st, 14, x->seats);
        sqlite3_bind_int64(st, 15, x->sequence);
        sqlite3_bind_int(st, 16, x->everyone ? 1 : 0);
    }
    rc = run_named(s, st, "sessions", err);
    for (size_t h = 0; rc == FORUM_OK && h < x->hosts.n; h++) {
        st = version_stmt(s, SQL_S_HOST_INSERT, eid, version, err);
        if (st != NULL) {
            store__bind(st, 3, x->id);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)h);
            store__bind(st, 5, x->hosts.v[h]);
        }
        rc = run_named(s, st, "sessions", err);
    }
    for (size_t a = 0; rc == FORUM_OK && a < x->attendees.n; a++) {
        st = version_stmt(s, SQL_S_ATTENDEE_INSERT, eid, version, err);
        if (st != NULL) {
            store__bind(st, 3, x->id);
            store__bind(st, 4, x->attendees.v[a]);
        }
        rc = run_named(s, st, "sessions", err);
    }
    return rc;
}

enum forum_status store_schedule_insert(struct store *s, const char *eid,
                                        struct store_schedule *sc,
                                        struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc = store__begin(s, err);
    long v = sc->version;

    if (rc != FORUM_OK)
        return rc;
    st = version_stmt(s, SQL_V_INSERT, eid, v, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto out;
    }
    store__bind(st, 3, sc->allocation_id);
    store__bind(st, 4, sc->published_at);
    store__bind(st, 5, sc->timezone ? sc->timezone : "UTC");
    rc = store__run(s, st, err);
    /* A version out of sequence (the trigger) means someone published meanwhile;
     * the unique allocation_id means this draft is out already. */
    if (rc == FORUM_EINVAL) {
        rc = FORUM_ECONFLICT;
        if (err != NULL)
            err->code = rc;
    }
    for (size_t i = 0; rc == FORUM_OK && i < sc->n_slots; i++) {
        const struct store_version_slot *x = &sc->slots[i];
        st = version_stmt(s, SQL_VS_INSERT, eid, v, err);
        if (st != NULL) {
            store__bind(st, 3, x->id);
            store__bind(st, 4, x->label);
            store__bind(st, 5, x->starts_at);
            store__bind(st, 6, x->ends_at);
            store__bind(st, 7, x->block_id);
        }
        rc = run_named(s, st, "slots", err);
    }
    for (size_t i = 0; rc == FORUM_OK && i < sc->n_rooms; i++) {
        const struct store_version_room *x = &sc->rooms[i];
        st = version_stmt(s, SQL_VR_INSERT, eid, v, err);
        if (st != NULL) {
            store__bind(st, 3, x->id);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)i);
            store__bind(st, 5, x->name);
            store__bind(st, 6, x->url);
        }
        rc = run_named(s, st, "rooms", err);
    }
    for (size_t i = 0; rc == FORUM_OK && i < sc->n_blocks; i++) {
        const struct store_version_block *x = &sc->blocks[i];
        st = version_stmt(s, SQL_VB_INSERT, eid, v, err);
        if (st != NULL) {
            store__bind(st, 3, x->id);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)i);
            store__bind(st, 5, x->name);
            store__bind(st, 6, x->kind);
            store__bind(st, 7, x->title ? x->title : "");
            store__bind(st, 8, x->room_id);
        }
        rc = run_named(s, st, "blocks", err);
    }
    for (size_t i = 0; rc == FORUM_OK && i < sc->n_sessions; i++)
        rc = session_insert(s, eid, v, &sc->sessions[i], err);
out:
    return store__end(s, rc, err);
}
