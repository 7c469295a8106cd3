/* SPDX-License-Identifier: MIT */
/* Topics with their hosts and needs. */
#include "forum/store.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define TOPIC_COLS                                                                       \
    "SELECT t.id, t.title, t.description, t.theme, t.max_size, t.fixed_room, "           \
    "t.fixed_slot, (SELECT count(*) FROM votes v WHERE v.topic_id = t.id), "             \
    "(SELECT coalesce(sum(weight), 0) FROM votes v WHERE v.topic_id = t.id), "           \
    "t.block_id, t.groups_max, t.group_size_min, t.group_size_max FROM topics t "

static const char SQL_T_LIST[] = TOPIC_COLS "WHERE t.event_id = ?1 ORDER BY t.rowid";
static const char SQL_T_GET[] = TOPIC_COLS "WHERE t.event_id = ?1 AND t.id = ?2";
static const char SQL_T_NEEDS[] =
    "SELECT feature FROM topic_needs WHERE topic_id = ?1 ORDER BY feature";
static const char SQL_T_HOSTS[] = "SELECT h.participant_id, p.name FROM topic_hosts h "
                                  "JOIN participants p ON p.id = h.participant_id WHERE "
                                  "h.topic_id = ?1 ORDER BY h.position";
static const char SQL_T_INSERT[] =
    "INSERT INTO topics (id, event_id, title, description, theme, max_size, created_at, "
    "block_id, groups_max, group_size_min, group_size_max) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char SQL_T_UPDATE[] =
    "UPDATE topics SET title = ?3, description = ?4, theme = ?5, max_size = ?6, "
    "fixed_room = ?7, fixed_slot = ?8, block_id = ?9, groups_max = ?10, "
    "group_size_min = ?11, group_size_max = ?12 WHERE id = ?1 AND event_id = ?2";
static const char SQL_T_HOSTS_CLEAR[] = "DELETE FROM topic_hosts WHERE topic_id = ?1";
static const char SQL_T_DELETE[] = "DELETE FROM topics WHERE id = ?1 AND event_id = ?2";
static const char SQL_T_NEEDS_CLEAR[] = "DELETE FROM topic_needs WHERE topic_id = ?1";
static const char SQL_T_NEED_ADD[] =
    "INSERT INTO topic_needs (topic_id, feature) VALUES (?1, ?2)";
static const char SQL_T_HOST_ADD[] =
    "INSERT INTO topic_hosts (topic_id, participant_id, position) VALUES "
    "(?1, ?2, (SELECT count(*) FROM topic_hosts WHERE topic_id = ?1))";
static const char SQL_T_IS_HOST[] =
    "SELECT 1 FROM topic_hosts WHERE topic_id = ?1 AND participant_id = ?2";

void store_topic_release(struct store_topic *t)
{
    free(t->id);
    free(t->title);
    free(t->description);
    free(t->theme);
    free(t->fixed_room);
    free(t->fixed_slot);
    free(t->block_id);
    store_strv_release(&t->needs);
    store_strv_release(&t->host_ids);
    store_strv_release(&t->host_names);
    memset(t, 0, sizeof(*t));
}

void store_topics_free(struct store_topic *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_topic_release(&v[i]);
    free(v);
}

static void topics_free(void *v, size_t n)
{
    store_topics_free(v, n);
}

static void topic_read(sqlite3_stmt *st, void *out)
{
    struct store_topic *t = out;

    t->id = store__col(st, 0);
    t->title = store__col(st, 1);
    t->description = store__col(st, 2);
    t->theme = store__col(st, 3);
    t->max_size = (long)sqlite3_column_int64(st, 4);
    t->fixed_room = store__col(st, 5);
    t->fixed_slot = store__col(st, 6);
    t->vote_count = (long)sqlite3_column_int64(st, 7);
    t->vote_weight = (long)sqlite3_column_int64(st, 8);
    t->block_id = store__col(st, 9);
    t->groups_max = (long)sqlite3_column_int64(st, 10);
    t->group_size_min = (long)sqlite3_column_int64(st, 11);
    t->group_size_max = (long)sqlite3_column_int64(st, 12);
}

static enum forum_status topic_lists(struct store *s, void *out, struct forum_error *err)
{
    struct store_topic *t = out;
    enum forum_status rc = store__strv_load(s, SQL_T_NEEDS, t->id, &t->needs, err);
    sqlite3_stmt *st;
    int src;

    if (rc != FORUM_OK)
        return rc;
    st = store__stmt(s, SQL_T_HOSTS, err);
    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, t->id);
    while ((src = sqlite3_step(st)) == SQLITE_ROW) {
        store_strv_push(&t->host_ids, (const char *)sqlite3_column_text(st, 0));
        store_strv_push(&t->host_names, (const char *)sqlite3_column_text(st, 1));
    }
    store__done(st);
    if (src != SQLITE_DONE)
        return store__fail(s, src, err);
    return FORUM_OK;
}

enum forum_status store_topic_list(struct store *s, const char *eid,
                                   struct store_topic **v, size_t *n,
                                   struct forum_error *err)
{
    void *arr;
    enum forum_status rc = store__list(s, SQL_T_LIST, eid, &arr, n, sizeof(**v),
                                       topic_read, topic_lists, topics_free, err);

    *v = arr;
    return rc;
}

enum forum_status store_topic_get(struct store *s, const char *eid, const char *tid,
                                  struct store_topic *out, struct forum_error *err)
{
    enum forum_status rc;

    memset(out, 0, sizeof(*out));
    rc = store__row(s, SQL_T_GET, eid, tid, topic_read, out, "no such topic", err);
    if (rc == FORUM_OK)
        rc = topic_lists(s, out, err);
    if (rc != FORUM_OK)
        store_topic_release(out);
    return rc;
}

static enum forum_status needs_save(struct store *s, const struct store_topic *t,
                                    const char *id, struct forum_error *err)
{
    enum forum_status rc = store__exec_id(s, SQL_T_NEEDS_CLEAR, id, err);

    if (rc == FORUM_OK)
        rc = store__strv_save(s, SQL_T_NEED_ADD, id, &t->needs, "needs", err);
    return rc;
}

/* Binds a positive value, or NULL for 0 ("none"). */
static void bind_positive(sqlite3_stmt *st, int i, long v)
{
    if (v > 0)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* Binds groups {max, size_min, size_max} from i on: all three, or three NULLs. */
static void bind_groups(sqlite3_stmt *st, int i, const struct store_topic *t)
{
    bool on = t->groups_max > 0;

    bind_positive(st, i, on ? t->groups_max : 0);
    bind_positive(st, i + 1, on ? t->group_size_min : 0);
    bind_positive(st, i + 2, on ? t->group_size_max : 0);
}

/* Names the field a refused topic write is about, from the schema's message. */
static void topic_field(struct forum_error *err, const char *otherwise)
{
    if (err == NULL || err->field[0] != '\0')
        return;
    if (strstr(err->msg, "block") != NULL)
        strcpy(err->field, "block");
    else if (strstr(err->msg, "group") != NULL)
        strcpy(err->field, "groups");
    else if (strstr(err->msg, "host") != NULL)
        strcpy(err->field, "hosts");
    else if (otherwise != NULL)
        strcpy(err->field, otherwise);
}

enum forum_status store_topic_create(struct store *s, const char *eid,
                                     const struct store_topic *t, char *id,
                                     struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc;
    char now[21];

    if (store_random_id('t', 7, id) != FORUM_OK)
        return forum_error_set(err, FORUM_EINTERNAL, NULL, "no randomness");
    store_now(now);
    rc = store__begin(s, err);
    if (rc != FORUM_OK)
        return rc;
    st = store__stmt(s, SQL_T_INSERT, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto fail;
    }
    store__bind(st, 1, id);
    store__bind(st, 2, eid);
    store__bind(st, 3, t->title);
    store__bind(st, 4, t->description ? t->description : "");
    store__bind(st, 5, t->theme ? t->theme : "");
    bind_positive(st, 6, t->max_size);
    store__bind(st, 7, now);
    store__bind(st, 8, t->block_id);
    bind_groups(st, 9, t);
    rc = store__run(s, st, err);
    if (rc == FORUM_EINVAL)
        topic_field(err, NULL);
    if (rc == FORUM_OK)
        rc = needs_save(s, t, id, err);
    if (rc == FORUM_OK)
        rc = store__strv_save(s, SQL_T_HOST_ADD, id, &t->host_ids, "hosts", err);
fail:
    if (rc != FORUM_OK)
        id[0] = '\0';
    return store__end(s, rc, err);
}

enum forum_status store_topic_update(struct store *s, const char *eid,
                                     const struct store_topic *t, struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc = store__begin(s, err);

    if (rc != FORUM_OK)
        return rc;
    st = store__stmt(s, SQL_T_UPDATE, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto fail;
    }
    store__bind(st, 1, t->id);
    store__bind(st, 2, eid);
    store__bind(st, 3, t->title);
    store__bind(st, 4, t->description ? t->description : "");
    store__bind(st, 5, t->theme ? t->theme : "");
    bind_positive(st, 6, t->max_size);
    store__bind(st, 7, t->fixed_room);
    store__bind(st, 8, t->fixed_slot);
    store__bind(st, 9, t->block_id);
    bind_groups(st, 10, t);
    rc = store__run(s, st, err);
    if (rc == FORUM_ECONFLICT && err != NULL) {
        strcpy(err->field, "fixed");
        strcpy(err->msg, "another topic is locked in that room and slot");
    }
    if (rc == FORUM_EINVAL)
        topic_field(err, "fixed");
    rc = store__changed(s, rc, "topic", err);
    if (rc == FORUM_OK)
        rc = needs_save(s, t, t->id, err);
    if (rc == FORUM_OK && t->hosts_set) {
        rc = store__exec_id(s, SQL_T_HOSTS_CLEAR, t->id, err);
        if (rc == FORUM_OK)
            rc = store__strv_save(s, SQL_T_HOST_ADD, t->id, &t->host_ids, "hosts", err);
    }
fail:
    return store__end(s, rc, err);
}

enum forum_status store_topic_delete(struct store *s, const char *eid, const char *tid,
                                     struct forum_error *err)
{
    return store__delete(s, SQL_T_DELETE, tid, eid, "topic", err);
}

enum forum_status store_topic_is_host(struct store *s, const char *tid, const char *pid,
                                      bool *is_host, struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_T_IS_HOST, err);
    int src;

    *is_host = false;
    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, tid);
    store__bind(st, 2, pid);
    src = sqlite3_step(st);
    store__done(st);
    if (src == SQLITE_ROW)
        *is_host = true;
    else if (src != SQLITE_DONE)
        return store__fail(s, src, err);
    return FORUM_OK;
}
