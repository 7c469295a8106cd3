/* SPDX-License-Identifier: MIT */
/* Slots: the time periods of an event, in chronological order. */
#include "forum/store.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char SQL_SLOT_LIST[] =
    "SELECT id, label, starts_at, ends_at FROM slots "
    "WHERE event_id = ?1 ORDER BY starts_at, ends_at, rowid";
static const char SQL_SLOT_GET[] =
    "SELECT id, label, starts_at, ends_at FROM slots WHERE event_id = ?1 AND id = ?2";
static const char SQL_SLOT_INSERT[] = "INSERT INTO slots (id, event_id, label, "
                                      "starts_at, ends_at) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_SLOT_UPDATE[] = "UPDATE slots SET label = ?3, starts_at = ?4, "
                                      "ends_at = ?5 WHERE id = ?1 AND event_id = ?2";
static const char SQL_SLOT_DELETE[] = "DELETE FROM slots WHERE id = ?1 AND event_id = ?2";

void store_slot_release(struct store_slot *sl)
{
    free(sl->id);
    free(sl->label);
    free(sl->starts_at);
    free(sl->ends_at);
    memset(sl, 0, sizeof(*sl));
}

void store_slots_free(struct store_slot *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_slot_release(&v[i]);
    free(v);
}

static void slots_free(void *v, size_t n)
{
    store_slots_free(v, n);
}

static void slot_read(sqlite3_stmt *st, void *out)
{
    struct store_slot *sl = out;

    sl->id = store__col(st, 0);
    sl->label = store__col(st, 1);
    sl->starts_at = store__col(st, 2);
    sl->ends_at = store__col(st, 3);
}

enum forum_status store_slot_list(struct store *s, const char *eid, struct store_slot **v,
                                  size_t *n, struct forum_error *err)
{
    void *arr;
    enum forum_status rc = store__list(s, SQL_SLOT_LIST, eid, &arr, n, sizeof(**v),
                                       slot_read, NULL, slots_free, err);

    *v = arr;
    return rc;
}

enum forum_status store_slot_get(struct store *s, const char *eid, const char *sid,
                                 struct store_slot *out, struct forum_error *err)
{
    memset(out, 0, sizeof(*out));
    return store__row(s, SQL_SLOT_GET, eid, sid, slot_read, out, "no such slot", err);
}

enum forum_status store_slot_create(struct store *s, const char *eid,
                                    const struct store_slot *sl, char *id,
                                    struct forum_error *err)
{
    sqlite3_stmt *st;

    if (store_random_id('s', 7, id) != FORUM_OK)
        return forum_error_set(err, FORUM_EINTERNAL, NULL, "no randomness");
    st = store__stmt(s, SQL_SLOT_INSERT, err);
    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, id);
    store__bind(st, 2, eid);
    store__bind(st, 3, sl->label);
    store__bind(st, 4, sl->starts_at);
    store__bind(st, 5, sl->ends_at);
    return store__run(s, st, err);
}

enum forum_status store_slot_update(struct store *s, const char *eid,
                                    const struct store_slot *sl, struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_SLOT_UPDATE, err);

    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, sl->id);
    store__bind(st, 2, eid);
    store__bind(st, 3, sl->label);
    store__bind(st, 4, sl->starts_at);
    store__bind(st, 5, sl->ends_at);
    return store__changed(s, store__run(s, st, err), "slot", err);
}

enum forum_status store_slot_delete(struct store *s, const char *eid, const char *sid,
                                    struct forum_error *err)
{
    return store__delete(s, SQL_SLOT_DELETE, sid, eid, "slot", err);
}
