/* SPDX-License-Identifier: MIT */
/* Participants: their profile, needs, unavailable slots and tokens. */
#include "forum/store.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char SQL_P_INSERT[] =
    "INSERT INTO participants (id, event_id, name, created_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_P_LIST[] =
    "SELECT id, name FROM participants WHERE event_id = ?1 ORDER BY rowid";
static const char SQL_P_GET[] =
    "SELECT id, name FROM participants WHERE event_id = ?1 AND id = ?2";
static const char SQL_P_UPDATE[] =
    "UPDATE participants SET name = ?3 WHERE id = ?1 AND event_id = ?2";
static const char SQL_P_NEEDS[] =
    "SELECT feature FROM participant_needs WHERE participant_id = ?1 ORDER BY feature";
static const char SQL_P_UNAVAILABLE[] =
    "SELECT u.slot_id FROM participant_unavailable u JOIN slots s ON s.id = u.slot_id "
    "WHERE u.participant_id = ?1 ORDER BY s.starts_at, s.rowid";
static const char SQL_P_NEEDS_CLEAR[] =
    "DELETE FROM participant_needs WHERE participant_id = ?1";
static const char SQL_P_UNAVAILABLE_CLEAR[] =
    "DELETE FROM participant_unavailable WHERE participant_id = ?1";
static const char SQL_P_NEED_ADD[] =
    "INSERT INTO participant_needs (participant_id, feature) VALUES (?1, ?2)";
static const char SQL_P_UNAVAILABLE_ADD[] =
    "INSERT INTO participant_unavailable (participant_id, slot_id) VALUES (?1, ?2)";

/* Topics whose only host is ?1: they leave with their host. */
static const char SQL_P_SOLE_TOPICS[] =
    "SELECT h.topic_id FROM topic_hosts h WHERE h.participant_id = ?1 AND NOT EXISTS "
    "(SELECT 1 FROM topic_hosts o WHERE o.topic_id = h.topic_id AND "
    "o.participant_id <> ?1) ORDER BY h.topic_id";
static const char SQL_P_VOTES_COUNT[] =
    "SELECT count(*) FROM votes WHERE participant_id = ?1";
static const char SQL_P_TOPIC_DELETE[] = "DELETE FROM topics WHERE id = ?1";
static const char SQL_P_DELETE[] =
    "DELETE FROM participants WHERE id = ?1 AND event_id = ?2";

void store_participant_release(struct store_participant *p)
{
    free(p->id);
    free(p->name);
    store_strv_release(&p->needs);
    store_strv_release(&p->unavailable);
    memset(p, 0, sizeof(*p));
}

void store_participants_free(struct store_participant *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        store_participant_release(&v[i]);
    free(v);
}

static void participants_free(void *v, size_t n)
{
    store_participants_free(v, n);
}

static void participant_read(sqlite3_stmt *st, void *out)
{
    struct store_participant *p = out;

    p->id = store__col(st, 0);
    p->name = store__col(st, 1);
}

static enum forum_status lists_load(struct store *s, void *out, struct forum_error *err)
{
    struct store_participant *p = out;
    enum forum_status rc = store__strv_load(s, SQL_P_NEEDS, p->id, &p->needs, err);

    if (rc == FORUM_OK)
        rc = store__strv_load(s, SQL_P_UNAVAILABLE, p->id, &p->unavailable, err);
    return rc;
}

static enum forum_status lists_save(struct store *s, const struct store_participant *p,
                                    const char *id, struct forum_error *err)
{
    enum forum_status rc = store__exec_id(s, SQL_P_NEEDS_CLEAR, id, err);

    if (rc == FORUM_OK)
        rc = store__exec_id(s, SQL_P_UNAVAILABLE_CLEAR, id, err);
    if (rc == FORUM_OK)
        rc = store__strv_save(s, SQL_P_NEED_ADD, id, &p->needs, "needs", err);
    if (rc == FORUM_OK)
        rc = store__strv_save(s, SQL_P_UNAVAILABLE_ADD, id, &p->unavailable,
                              "unavailable", err);
    return rc;
}

enum forum_status store_participant_create(struct store *s, const char *eid,
                                           const struct store_participant *p, char *id,
                                           char *token, struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc;
    char now[21], feed[STORE_TOKEN_LEN + 1];

    if (store_random_id('p', 7, id) != FORUM_OK || store_token_new(token) != FORUM_OK)
        return forum_error_set(err, FORUM_EINTERNAL, NULL, "no randomness");
    store_now(now);
    rc = store__begin(s, err);
    if (rc != FORUM_OK)
        return rc;
    st = store__stmt(s, SQL_P_INSERT, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto fail;
    }
    store__bind(st, 1, id);
    store__bind(st, 2, eid);
    store__bind(st, 3, p->name);
    store__bind(st, 4, now);
    rc = store__run(s, st, err);
    if (rc == FORUM_ECONFLICT) /* the event is gone: a foreign key */
        rc = forum_error_set(err, FORUM_ENOTFOUND, NULL, "no such event");
    if (rc == FORUM_OK)
        rc = lists_save(s, p, id, err);
    if (rc == FORUM_OK)
        rc = store__token_insert(s, STORE_ROLE_PARTICIPANT, eid, id, token, err);
    if (rc == FORUM_OK) {
        store_feed_secret(token, feed);
        rc = store__token_insert(s, STORE_ROLE_FEED, eid, id, feed, err);
    }
fail:
    if (rc != FORUM_OK) {
        id[0] = '\0';
        token[0] = '\0';
    }
    return store__end(s, rc, err);
}

enum forum_status store_participant_list(struct store *s, const char *eid,
                                         struct store_participant **v, size_t *n,
                                         struct forum_error *err)
{
    void *arr;
    enum forum_status rc =
        store__list(s, SQL_P_LIST, eid, &arr, n, sizeof(**v), participant_read,
                    lists_load, participants_free, err);

    *v = arr;
    return rc;
}

enum forum_status store_participant_get(struct store *s, const char *eid, const char *pid,
                                        struct store_participant *out,
                                        struct forum_error *err)
{
    enum forum_status rc;

    memset(out, 0, sizeof(*out));
    rc = store__row(s, SQL_P_GET, eid, pid, participant_read, out, "no such participant",
                    err);
    if (rc == FORUM_OK)
        rc = lists_load(s, out, err);
    if (rc != FORUM_OK)
        store_participant_release(out);
    return rc;
}

enum forum_status store_participant_update(struct store *s, const char *eid,
                                           const struct store_participant *p,
                                           struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc = store__begin(s, err);

    if (rc != FORUM_OK)
        return rc;
    st = store__stmt(s, SQL_P_UPDATE, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto fail;
    }
    store__bind(st, 1, p->id);
    store__bind(st, 2, eid);
    store__bind(st, 3, p->name);
    rc = store__changed(s, store__run(s, st, err), "participant", err);
    if (rc == FORUM_OK)
        rc = lists_save(s, p, p->id, err);
fail:
    return store__end(s, rc, err);
}

enum forum_status store_participant_delete(struct store *s, const char *eid,
                                           const char *pid, struct store_strv *topics,
                                           long *votes, struct forum_error *err)
{
    sqlite3_stmt *st;
    enum forum_status rc;
    struct store_strv sole = {NULL, 0};

    *votes = 0;
    rc = store__begin(s, err);
    if (rc != FORUM_OK)
        return rc;
    /* The participant must be this event's before anything is read. */
    st = store__stmt(s, SQL_P_GET, err);
    if (st == NULL) {
        rc = FORUM_ESTORE;
        goto out;
    }
    store__bind(st, 1, eid);
    store__bind(st, 2, pid);
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = forum_error_set(err, FORUM_ENOTFOUND, NULL, "no such participant");
    store__done(st);
    if (rc == FORUM_OK)
        rc = store__strv_load(s, SQL_P_SOLE_TOPICS, pid, &sole, err);
    if (rc == FORUM_OK) {
        st = store__stmt(s, SQL_P_VOTES_COUNT, err);
        if (st == NULL) {
            rc = FORUM_ESTORE;
        } else {
            store__bind(st, 1, pid);
            if (sqlite3_step(st) == SQLITE_ROW)
                *votes = (long)sqlite3_column_int64(st, 0);
            store__done(st);
        }
    }
    for (size_t i = 0; i < sole.n && rc == FORUM_OK; i++)
        rc = store__exec_id(s, SQL_P_TOPIC_DELETE, sole.v[i], err);
    /* The rest cascades: votes, host rows, needs, unavailability, tokens. */
    if (rc == FORUM_OK)
        rc = store__delete(s, SQL_P_DELETE, pid, eid, "participant", err);
out:
    rc = store__end(s, rc, err);
    if (rc == FORUM_OK && topics != NULL) {
        for (size_t i = 0; i < sole.n; i++)
            store_strv_push(topics, sole.v[i]);
    }
    store_strv_release(&sole);
    if (rc != FORUM_OK)
        *votes = 0;
    return rc;
}
