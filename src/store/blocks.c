/* SPDX-License-Identifier: MIT */
/* Blocks: the parts of an event's day, each with a kind and some of its slots. */
#include "forum/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Blocks in the order of the day: by their first slot, then those without
 * slots in the order they were made. */
#define BLOCK_COLS                                                                       \
    "SELECT b.id, b.name, b.kind, b.room_id, b.title, b.proposals_open, "                \
    "(SELECT min(s.starts_at) FROM block_slots x JOIN slots s ON s.id = x.slot_id "      \
    "WHERE x.block_id = b.id) AS first, "                                                \
    "(SELECT max(s.ends_at) FROM block_slots x JOIN slots s ON s.id = x.slot_id "        \
    "WHERE x.block_id = b.id) FROM blocks b "

static const char SQL_B_LIST[] =
    BLOCK_COLS "WHERE b.event_id = ?1 ORDER BY first IS NULL, first, b.rowid";
static const char SQL_B_GET[] = BLOCK_COLS "WHERE b.event_id = ?1 AND b.id = ?2";
static const char SQL_B_SLOTS[] =
    "SELECT x.slot_id FROM block_slots x JOIN slots s ON s.id = x.slot_id "
    "WHERE x.block_id = ?1 ORDER BY s.starts_at, s.rowid";
static const char SQL_B_INSERT[] =
    "INSERT INTO blocks (id, event_id, name, kind, room_id, title, proposals_open, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_B_UPDATE[] =
    "UPDATE blocks SET name = ?3, kind = ?4, room_id = ?5, title = ?6, "
    "proposals_open = ?7 WHERE id = ?1 AND event_id = ?2";
static const char SQL_B_DELETE[] = "DELETE FROM blocks WHERE id = ?1 AND event_id = ?2";
static const char SQL_B_SLOTS_CLEAR[] = "DELETE FROM block_slots WHERE block_id = ?1";
static const char SQL_B_SLOT_ADD[] =
    "INSERT INTO block_slots (block_id, slot_id) VALUES (?1, ?2)";

void store_block_release(struct store_block *b)
{
    free(b->id);
    free(b->name);
    free(b->kind);
    free(b->room_id);
    free(b->title);
    free(b->starts_at);
    free(b->ends_at);
    store_strv_release(&b->slots);
    memset(b, 0, sizeof(*b));
}

void store_blocks_free(struct store_block *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_block_release(&v[i]);
    free(v);
}

static void blocks_free(void *v, size_t n)
{
    store_blocks_free(v, n);
}

static void block_read(sqlite3_stmt *st, void *out)
{
    struct store_block *b = out;

    b->id = store__col(st, 0);
    b->name = store__col(st, 1);
    b->kind = store__col(st, 2);
    b->room_id = store__col(st, 3);
    b->title = store__col(st, 4);
    b->proposals_open = sqlite3_column_int(st, 5) != 0;
    b->starts_at = store__col(st, 6);
    b->ends_at = store__col(st, 7);
}

static enum forum_status block_slots(struct store *s, void *out, struct forum_error *err)
{
    struct store_block *b = out;

    return store__strv_load(s, SQL_B_SLOTS, b->id, &b->slots, err);
}

enum forum_status store_block_list(struct store *s, const char *eid,
                                   struct store_block **v, size_t *n,
                                   struct forum_error *err)
{
    void *arr;
    enum forum_status rc = store__list(s, SQL_B_LIST, eid, &arr, n, sizeof(**v),
                                       block_read, block_slots, blocks_free, err);

    *v = arr;
    return rc;
}

enum forum_status store_block_get(struct store *s, const char *eid, const char *bid,
                                  struct store_block *out, struct forum_error *err)
{
    enum forum_status rc;

    memset(out, 0, sizeof(*out));
    rc = store__row(s, SQL_B_GET, eid, bid, block_read, out, "no such block", err);
    if (rc == FORUM_OK)
        rc = block_slots(s, out, err);
    if (rc != FORUM_OK)
        store_block_release(out);
    return rc;
}

/* Binds the columns 3.. of an insert or an update from b. */
static void bind_block(sqlite3_stmt *st, const struct store_block *b)
{
    store__bind(st, 3, b->name);
    store__bind(st, 4, b->kind);
    store__bind(st, 5, b->room_id);
    store__bind(st, 6, b->title ? b->title : "");
    sqlite3_bind_int(st, 7, b->proposals_open ? 1 : 0);
}

/* Replaces the slots of block id (inside a transaction): a slot already in
 * another block is FORUM_ECONFLICT, one of another event FORUM_EINVAL, both
 * with field "slots". */
static enum forum_status slots_save(struct store *s, const struct store_block *b,
                                    const char *id, struct forum_error *err)
{
    enum forum_status rc = store__exec_id(s, SQL_B_SLOTS_CLEAR, id, err);

    for (size_t i = 0; rc == FORUM_OK && i < b->slots.n; i++) {
        sqlite3_stmt *st = store__stmt(s, SQL_B_SLOT_ADD, err);
        if (st == NULL)
            return FORUM_ESTORE;
        store__bind(st, 1, id);
        store__bind(st, 2, b->slots.v[i]);
        rc = store__run(s, st, err);
        if (rc != FORUM_OK && err != NULL) {
            snprintf(err->field, sizeof(err->field), "slots");
            if (rc == FORUM_ECONFLICT)
                snprintf(err->msg, sizeof(err->msg), "slot %.40s is in another block",
                         b->slots.v[i]);
        }
    }
    return rc;
}

/* Names the field of a refused block row. */
static void block_field(struct forum_error *err)
{
    if (err != NULL && err->field[0] == '\0')
        snprintf(err->field, sizeof(err->field), "%s",
                 strstr(err->msg, "room") != NULL ? "room" : "kind");
}

enum forum_status store_block_create(struct store *s, const char *eid,
                                     const struct store_block *b, char *id,
                                     struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc;
    char now[21];

    if (store_random_id('b', 7, id) != FORUM_OK)
        return forum_error_set(err, FORUM_EINTERNAL, NULL, "no randomness");
    store_now(now);
    rc = store__begin(s, err);
    if (rc != FORUM_OK)
        return rc;
    st = store__stmt(s, SQL_B_INSERT, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto fail;
    }
    store__bind(st, 1, id);
    store__bind(st, 2, eid);
    bind_block(st, b);
    store__bind(st, 8, now);
    rc = store__run(s, st, err);
    if (rc == FORUM_EINVAL)
        block_field(err);
    if (rc == FORUM_OK)
        rc = slots_save(s, b, id, err);
fail:
    if (rc != FORUM_OK)
        id[0] = '\0';
    return store__end(s, rc, err);
}

enum forum_status store_block_update(struct store *s, const char *eid,
                                     const struct store_block *b, struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc = store__begin(s, err);

    if (rc != FORUM_OK)
        return rc;
    st = store__stmt(s, SQL_B_UPDATE, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto fail;
    }
    store__bind(st, 1, b->id);
    store__bind(st, 2, eid);
    bind_block(st, b);
    rc = store__run(s, st, err);
    if (rc == FORUM_EINVAL)
        block_field(err);
    rc = store__changed(s, rc, "block", err);
    if (rc == FORUM_OK)
        rc = slots_save(s, b, b->id, err);
fail:
    return store__end(s, rc, err);
}

enum forum_status store_block_delete(struct store *s, const char *eid, const char *bid,
                                     struct forum_error *err)
{
    return store__delete(s, SQL_B_DELETE, bid, eid, "block", err);
}
