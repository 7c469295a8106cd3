/* SPDX-License-Identifier: MIT */
/* Rooms with their features and unavailable slots. */
#include "forum/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char SQL_ROOM_LIST[] =
    "SELECT id, name, capacity, url FROM rooms WHERE event_id = ?1 ORDER BY rowid";
static const char SQL_ROOM_GET[] =
    "SELECT id, name, capacity, url FROM rooms WHERE event_id = ?1 AND id = ?2";
static const char SQL_ROOM_INSERT[] =
    "INSERT INTO rooms (id, event_id, name, capacity, url) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_ROOM_UPDATE[] =
    "UPDATE rooms SET name = ?3, capacity = ?4, url = ?5 "
    "WHERE id = ?1 AND event_id = ?2";
static const char SQL_ROOM_DELETE[] = "DELETE FROM rooms WHERE id = ?1 AND event_id = ?2";
static const char SQL_ROOM_BLOCK[] =
    "SELECT name FROM blocks WHERE room_id = ?1 AND event_id = ?2 ORDER BY rowid LIMIT 1";
static const char SQL_ROOM_FEATURES[] =
    "SELECT feature FROM room_features WHERE room_id = ?1 ORDER BY feature";
static const char SQL_ROOM_UNAVAILABLE[] =
    "SELECT u.slot_id FROM room_unavailable u JOIN slots s ON s.id = u.slot_id "
    "WHERE u.room_id = ?1 ORDER BY s.starts_at, s.rowid";
static const char SQL_ROOM_FEATURES_CLEAR[] =
    "DELETE FROM room_features WHERE room_id = ?1";
static const char SQL_ROOM_UNAVAILABLE_CLEAR[] =
    "DELETE FROM room_unavailable WHERE room_id = ?1";
static const char SQL_ROOM_FEATURE_ADD[] =
    "INSERT INTO room_features (room_id, feature) VALUES (?1, ?2)";
static const char SQL_ROOM_UNAVAILABLE_ADD[] =
    "INSERT INTO room_unavailable (room_id, slot_id) VALUES (?1, ?2)";

void store_room_release(struct store_room *r)
{
    free(r->id);
    free(r->name);
    free(r->url);
    store_strv_release(&r->features);
    store_strv_release(&r->unavailable);
    memset(r, 0, sizeof(*r));
}

void store_rooms_free(struct store_room *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_room_release(&v[i]);
    free(v);
}

static void rooms_free(void *v, size_t n)
{
    store_rooms_free(v, n);
}

static void room_read(sqlite3_stmt *st, void *out)
{
    struct store_room *r = out;

    r->id = store__col(st, 0);
    r->name = store__col(st, 1);
    r->capacity = (long)sqlite3_column_int64(st, 2);
    r->url = store__col(st, 3);
}

static enum forum_status room_lists(struct store *s, void *out, struct forum_error *err)
{
    struct store_room *r = out;
    enum forum_status rc =
        store__strv_load(s, SQL_ROOM_FEATURES, r->id, &r->features, err);

    if (rc == FORUM_OK)
        rc = store__strv_load(s, SQL_ROOM_UNAVAILABLE, r->id, &r->unavailable, err);
    return rc;
}

enum forum_status store_room_list(struct store *s, const char *eid, struct store_room **v,
                                  size_t *n, struct forum_error *err)
{
    void *arr;
    enum forum_status rc = store__list(s, SQL_ROOM_LIST, eid, &arr, n, sizeof(**v),
                                       room_read, room_lists, rooms_free, err);

    *v = arr;
    return rc;
}

enum forum_status store_room_get(struct store *s, const char *eid, const char *rid,
                                 struct store_room *out, struct forum_error *err)
{
    enum forum_status rc;

    memset(out, 0, sizeof(*out));
    rc = store__row(s, SQL_ROOM_GET, eid, rid, room_read, out, "no such room", err);
    if (rc == FORUM_OK)
        rc = room_lists(s, out, err);
    if (rc != FORUM_OK)
        store_room_release(out);
    return rc;
}

/* Replaces the features and unavailable slots of room r (inside a transaction). */
static enum forum_status room_save_lists(struct store *s, const struct store_room *r,
                                         const char *id, struct forum_error *err)
{
    enum forum_status rc = store__exec_id(s, SQL_ROOM_FEATURES_CLEAR, id, err);

    if (rc == FORUM_OK)
        rc = store__exec_id(s, SQL_ROOM_UNAVAILABLE_CLEAR, id, err);
    if (rc == FORUM_OK)
        rc = store__strv_save(s, SQL_ROOM_FEATURE_ADD, id, &r->features, "features", err);
    if (rc == FORUM_OK)
        rc = store__strv_save(s, SQL_ROOM_UNAVAILABLE_ADD, id, &r->unavailable,
                              "unavailable", err);
    return rc;
}

enum forum_status store__room_insert(struct store *s, const char *eid,
                                     const struct store_room *r, char *id,
                                     struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc;

    if (store_random_id('r', 7, id) != FORUM_OK)
        return forum_error_set(err, FORUM_EINTERNAL, NULL, "no randomness");
    st = store__stmt(s, SQL_ROOM_INSERT, err);
    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, id);
    store__bind(st, 2, eid);
    store__bind(st, 3, r->name);
    sqlite3_bind_int64(st, 4, r->capacity);
    store__bind(st, 5, r->url);
    rc = store__run(s, st, err);
    if (rc == FORUM_OK)
        rc = room_save_lists(s, r, id, err);
    if (rc != FORUM_OK)
        id[0] = '\0';
    return rc;
}

enum forum_status store_room_create(struct store *s, const char *eid,
                                    const struct store_room *r, char *id,
                                    struct forum_error *err)
{
    enum forum_status rc = store__begin(s, err);

    if (rc != FORUM_OK)
        return rc;
    rc = store__room_insert(s, eid, r, id, err);
    return store__end(s, rc, err);
}

enum forum_status store_room_update(struct store *s, const char *eid,
                                    const struct store_room *r, struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc = store__begin(s, err);

    if (rc != FORUM_OK)
        return rc;
    st = store__stmt(s, SQL_ROOM_UPDATE, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto fail;
    }
    store__bind(st, 1, r->id);
    store__bind(st, 2, eid);
    store__bind(st, 3, r->name);
    sqlite3_bind_int64(st, 4, r->capacity);
    store__bind(st, 5, r->url);
    rc = store__changed(s, store__run(s, st, err), "room", err);
    if (rc == FORUM_OK)
        rc = room_save_lists(s, r, r->id, err);
fail:
    return store__end(s, rc, err);
}

static void name_read(sqlite3_stmt *st, void *out)
{
    *(char **)out = store__col(st, 0);
}

enum forum_status store_room_delete(struct store *s, const char *eid, const char *rid,
                                    struct forum_error *err)
{
    char *block = NULL;
    enum forum_status rc =
        store__row(s, SQL_ROOM_BLOCK, rid, eid, name_read, &block, "", NULL);

    /* Said in words rather than as the foreign key's "still in use". */
    if (rc == FORUM_OK) {
        rc = forum_error_set(err, FORUM_ECONFLICT, NULL,
                             "the block \"%s\" takes place in this room: change it first",
                             block ? block : "");
        free(block);
        return rc;
    }
    return store__delete(s, SQL_ROOM_DELETE, rid, eid, "room", err);
}
