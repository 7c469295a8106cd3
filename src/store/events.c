/* SPDX-License-Identifier: MIT */
/* Events and their facilitator token. */
#include "forum/store.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char SQL_EVENT_INSERT[] =
    "INSERT INTO events (id, name, timezone, locale, join_code, max_weight, vote_budget, "
    "proposals_open, voting_open, show_tallies, created_at, proceedings_public) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
static const char SQL_TOKEN_INSERT[] =
    "INSERT INTO tokens (hash, role, event_id, participant_id) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_EVENT_GET[] =
    "SELECT id, name, timezone, locale, join_code, max_weight, vote_budget, "
    "proposals_open, voting_open, show_tallies, created_at, proceedings_public, "
    "(SELECT coalesce(max(version), 0) FROM schedule_versions WHERE event_id = ?1) "
    "FROM events WHERE id = ?1";
static const char SQL_EVENT_UPDATE[] =
    "UPDATE events SET name = ?2, timezone = ?3, locale = ?4, join_code = ?5, "
    "max_weight = ?6, vote_budget = ?7, proposals_open = ?8, voting_open = ?9, "
    "show_tallies = ?10, proceedings_public = ?12 WHERE id = ?1";
/* Join codes are case-insensitive: they are read aloud and typed on phones
 * (codes are ASCII, so upper() is enough). Before 0.2 two events could hold
 * codes that differ only in case: the exact one wins, then the oldest. */
static const char SQL_EVENT_BY_CODE[] =
    "SELECT id FROM events WHERE upper(join_code) = upper(?1) "
    "ORDER BY join_code = ?1 DESC, created_at, rowid LIMIT 1";
static const char SQL_EVENT_CODE_TAKEN[] =
    "SELECT 1 FROM events WHERE upper(join_code) = upper(?1) AND id IS NOT ?2";
static const char SQL_EVENT_LIST[] =
    "SELECT e.id, e.name, e.timezone, e.locale, e.join_code, e.max_weight, "
    "e.vote_budget, e.proposals_open, e.voting_open, e.show_tallies, e.created_at, "
    "e.proceedings_public, "
    "(SELECT count(*) FROM participants WHERE event_id = e.id), "
    "(SELECT count(*) FROM topics WHERE event_id = e.id), "
    "(SELECT count(*) FROM slots WHERE event_id = e.id), "
    "(SELECT count(*) FROM rooms WHERE event_id = e.id), "
    "(SELECT coalesce(max(version), 0) FROM schedule_versions WHERE event_id = e.id), "
    "(SELECT min(starts_at) FROM slots WHERE event_id = e.id) "
    "FROM events e ORDER BY e.created_at DESC, e.rowid DESC";
static const char SQL_EVENT_DELETE[] = "DELETE FROM events WHERE id = ?1";
static const char SQL_EVENT_EXISTS[] =
    "SELECT 1 FROM events WHERE id = ?1 AND ?2 IS NULL";
static const char SQL_FACILITATOR_REVOKE[] =
    "DELETE FROM tokens WHERE event_id = ?1 AND role = 2";
static const char SQL_EVENT_FIRST[] =
    "SELECT id FROM events ORDER BY created_at, rowid LIMIT 1";

void store_event_release(struct store_event *e)
{
    free(e->id);
    free(e->name);
    free(e->timezone);
    free(e->locale);
    free(e->join_code);
    free(e->created_at);
    memset(e, 0, sizeof(*e));
}

static void bind_event(sqlite3_stmt *st, const struct store_event *e)
{
    store__bind(st, 2, e->name);
    store__bind(st, 3, e->timezone ? e->timezone : "UTC");
    store__bind(st, 4, e->locale ? e->locale : "fr");
    store__bind(st, 5, e->join_code);
    sqlite3_bind_int64(st, 6, e->max_weight);
    sqlite3_bind_int64(st, 7, e->vote_budget);
    sqlite3_bind_int(st, 8, e->proposals_open);
    sqlite3_bind_int(st, 9, e->voting_open);
    sqlite3_bind_int(st, 10, e->show_tallies);
    sqlite3_bind_int(st, 12, e->proceedings_public);
}

enum forum_status store__token_insert(struct store *s, int role, const char *eid,
                                      const char *pid, const char *token,
                                      struct forum_error *err)
{
    uint8_t h[STORE_HASH_LEN];
    sqlite3_stmt *st = store__stmt(s, SQL_TOKEN_INSERT, err);

    if (st == NULL)
        return FORUM_ESTORE;
    store_hash(token, h);
    sqlite3_bind_blob(st, 1, h, sizeof(h), SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, role);
    store__bind(st, 3, eid);
    store__bind(st, 4, pid);
    return store__run(s, st, err);
}

/* FORUM_ECONFLICT (field "join_code") when another event than eid (NULL: any)
 * has code, whatever its case. */
static enum forum_status code_free(struct store *s, const char *code, const char *eid,
                                   struct forum_error *err)
{
    sqlite3_stmt *st;
    int step;

    if (code == NULL)
        return FORUM_OK;
    st = store__stmt(s, SQL_EVENT_CODE_TAKEN, err);
    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, code);
    store__bind(st, 2, eid);
    step = sqlite3_step(st);
    store__done(st);
    if (step == SQLITE_ROW)
        return forum_error_set(err, FORUM_ECONFLICT, "join_code",
                               "another event already uses this join code");
    if (step != SQLITE_DONE)
        return store__fail(s, step, err);
    return FORUM_OK;
}

/* Inserts e as event id with its facilitator token (inside a transaction). */
static enum forum_status event_insert(struct store *s, const struct store_event *e,
                                      const char *id, const char *now, const char *token,
                                      struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc = code_free(s, e->join_code, NULL, err);

    if (rc != FORUM_OK)
        return rc;
    st = store__stmt(s, SQL_EVENT_INSERT, err);
    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, id);
    bind_event(st, e);
    store__bind(st, 11, now);
    rc = store__run(s, st, err);
    if (rc == FORUM_ECONFLICT && err != NULL)
        strcpy(err->field, "join_code");
    if (rc == FORUM_OK)
        rc = store__token_insert(s, STORE_ROLE_FACILITATOR, id, NULL, token, err);
    return rc;
}

enum forum_status store_event_create(struct store *s, const struct store_event *e,
                                     char *id, char *token, struct forum_error *err)
{
    enum forum_status rc;
    char now[21];

    if (store_random_id('\0', 10, id) != FORUM_OK || store_token_new(token) != FORUM_OK)
        return forum_error_set(err, FORUM_EINTERNAL, NULL, "no randomness");
    store_now(now);
    rc = store__begin(s, err);
    if (rc != FORUM_OK)
        return rc;
    rc = event_insert(s, e, id, now, token, err);
    if (rc != FORUM_OK) {
        id[0] = '\0';
        token[0] = '\0';
    }
    return store__end(s, rc, err);
}

static void event_read(sqlite3_stmt *st, void *out)
{
    struct store_event *e = out;

    e->id = store__col(st, 0);
    e->name = store__col(st, 1);
    e->timezone = store__col(st, 2);
    e->locale = store__col(st, 3);
    e->join_code = store__col(st, 4);
    e->max_weight = (long)sqlite3_column_int64(st, 5);
    e->vote_budget = (long)sqlite3_column_int64(st, 6);
    e->proposals_open = sqlite3_column_int(st, 7) != 0;
    e->voting_open = sqlite3_column_int(st, 8) != 0;
    e->show_tallies = sqlite3_column_int(st, 9) != 0;
    e->created_at = store__col(st, 10);
    e->proceedings_public = sqlite3_column_int(st, 11) != 0;
}

static void event_read_published(sqlite3_stmt *st, void *out)
{
    struct store_event *e = out;

    event_read(st, e);
    e->published = (long)sqlite3_column_int64(st, 12);
}

enum forum_status store_event_get(struct store *s, const char *id, struct store_event *e,
                                  struct forum_error *err)
{
    memset(e, 0, sizeof(*e));
    return store__row(s, SQL_EVENT_GET, id, NULL, event_read_published, e,
                      "no such event", err);
}

enum forum_status store_event_update(struct store *s, const struct store_event *e,
                                     struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc = store__begin(s, err);

    if (rc != FORUM_OK)
        return rc;
    rc = code_free(s, e->join_code, e->id, err);
    if (rc != FORUM_OK)
        goto out;
    st = store__stmt(s, SQL_EVENT_UPDATE, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto out;
    }
    store__bind(st, 1, e->id);
    bind_event(st, e);
    rc = store__run(s, st, err);
    if (rc == FORUM_ECONFLICT && err != NULL)
        strcpy(err->field, "join_code");
    rc = store__changed(s, rc, "event", err);
out:
    return store__end(s, rc, err);
}

/* Reads column 0 into the buffer out of STORE_ID_MAX + 1 chars. */
static void id_read(sqlite3_stmt *st, void *out)
{
    char *id = out;

    strncpy(id, (const char *)sqlite3_column_text(st, 0), STORE_ID_MAX);
    id[STORE_ID_MAX] = '\0';
}

static enum forum_status one_id(struct store *s, const char *sql, const char *arg,
                                char *id, struct forum_error *err)
{
    id[0] = '\0';
    return store__row(s, sql, arg, NULL, id_read, id, "no such event", err);
}

enum forum_status store_event_by_join_code(struct store *s, const char *code, char *id,
                                           struct forum_error *err)
{
    return one_id(s, SQL_EVENT_BY_CODE, code, id, err);
}

enum forum_status store_event_first(struct store *s, char *id, struct forum_error *err)
{
    return one_id(s, SQL_EVENT_FIRST, NULL, id, err);
}

void store_event_infos_free(struct store_event_info *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        store_event_release(&v[i].event);
        free(v[i].first_slot);
    }
    free(v);
}

static void infos_free(void *v, size_t n)
{
    store_event_infos_free(v, n);
}

static void info_read(sqlite3_stmt *st, void *out)
{
    struct store_event_info *in = out;

    event_read(st, &in->event);
    in->participants = (long)sqlite3_column_int64(st, 12);
    in->topics = (long)sqlite3_column_int64(st, 13);
    in->slots = (long)sqlite3_column_int64(st, 14);
    in->rooms = (long)sqlite3_column_int64(st, 15);
    in->published = (long)sqlite3_column_int64(st, 16);
    in->event.published = in->published;
    in->first_slot = store__col(st, 17);
}

enum forum_status store_event_list(struct store *s, struct store_event_info **v,
                                   size_t *n, struct forum_error *err)
{
    void *arr;
    enum forum_status rc = store__list(s, SQL_EVENT_LIST, NULL, &arr, n, sizeof(**v),
                                       info_read, NULL, infos_free, err);

    *v = arr;
    return rc;
}

enum forum_status store_event_delete(struct store *s, const char *eid,
                                     struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc = store__begin(s, err);

    if (rc != FORUM_OK)
        return rc;
    st = store__stmt(s, SQL_EVENT_DELETE, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto out;
    }
    store__bind(st, 1, eid);
    rc = store__changed(s, store__run(s, st, err), "event", err);
out:
    return store__end(s, rc, err);
}

/* The index in slots of the copy of source slot sid, or n when it is not copied. */
static size_t slot_index(const struct store_slot *slots, size_t n, const char *sid)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(slots[i].id, sid) == 0)
            break;
    return i;
}

enum forum_status store_event_copy(struct store *s, const char *src,
                                   const struct store_event *e,
                                   const struct store_slot *slots, size_t n_slots,
                                   char *id, char *token, struct forum_error *err)
{
    struct store_room *rooms = NULL;
    size_t n_rooms = 0;
    char now[21], (*slot_ids)[STORE_ID_MAX + 1] = NULL;
    enum forum_status rc;

    if (store_random_id('\0', 10, id) != FORUM_OK || store_token_new(token) != FORUM_OK)
        return forum_error_set(err, FORUM_EINTERNAL, NULL, "no randomness");
    store_now(now);
    slot_ids = calloc(n_slots + 1, sizeof(*slot_ids));
    if (slot_ids == NULL)
        return forum_error_set(err, FORUM_ENOMEM, NULL, "out of memory");
    rc = store__begin(s, err);
    if (rc != FORUM_OK)
        goto done;
    rc = store_room_list(s, src, &rooms, &n_rooms, err);
    if (rc == FORUM_OK)
        rc = event_insert(s, e, id, now, token, err);
    for (size_t i = 0; i < n_slots && rc == FORUM_OK; i++)
        rc = store_slot_create(s, id, &slots[i], slot_ids[i], err);
    for (size_t i = 0; i < n_rooms && rc == FORUM_OK; i++) {
        struct store_room r = rooms[i];
        struct store_strv unavailable = {NULL, 0};
        char rid[STORE_ID_MAX + 1];

        /* Unavailability follows the slots that are copied. */
        for (size_t k = 0; k < rooms[i].unavailable.n; k++) {
            size_t at = slot_index(slots, n_slots, rooms[i].unavailable.v[k]);
            if (at < n_slots)
                store_strv_push(&unavailable, slot_ids[at]);
        }
        r.unavailable = unavailable;
        rc = store__room_insert(s, id, &r, rid, err);
        store_strv_release(&unavailable);
    }
    rc = store__end(s, rc, err);
done:
    if (rc != FORUM_OK) {
        id[0] = '\0';
        token[0] = '\0';
    }
    store_rooms_free(rooms, n_rooms);
    free(slot_ids);
    return rc;
}

enum forum_status store_event_new_facilitator(struct store *s, const char *eid,
                                              char *token, struct forum_error *err)
{
    enum forum_status rc;

    if (store_token_new(token) != FORUM_OK)
        return forum_error_set(err, FORUM_EINTERNAL, NULL, "no randomness");
    rc = store__begin(s, err);
    if (rc != FORUM_OK)
        return rc;
    rc = store__exists(s, SQL_EVENT_EXISTS, eid, NULL, "event", err);
    if (rc == FORUM_OK)
        rc = store__exec_id(s, SQL_FACILITATOR_REVOKE, eid, err);
    if (rc == FORUM_OK)
        rc = store__token_insert(s, STORE_ROLE_FACILITATOR, eid, NULL, token, err);
    rc = store__end(s, rc, err);
    if (rc != FORUM_OK)
        token[0] = '\0';
    return rc;
}
