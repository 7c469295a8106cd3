/* SPDX-License-Identifier: MIT */
/* The published schedule versions: immutable once written. */
#include "forum/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char SQL_S_LATEST[] =
    "SELECT version, allocation_id, published_at, body FROM schedule_versions "
    "WHERE event_id = ?1 ORDER BY version DESC LIMIT 1";
static const char SQL_S_INSERT[] = "INSERT INTO schedule_versions (event_id, version, "
                                   "allocation_id, published_at, body) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5)";

void store_schedule_release(struct store_schedule *sc)
{
    free(sc->allocation_id);
    free(sc->published_at);
    free(sc->body);
    memset(sc, 0, sizeof(*sc));
}

static void schedule_read(sqlite3_stmt *st, void *out)
{
    struct store_schedule *sc = out;

    sc->version = (long)sqlite3_column_int64(st, 0);
    sc->allocation_id = store__col(st, 1);
    sc->published_at = store__col(st, 2);
    sc->body = store__col(st, 3);
}

enum forum_status store_schedule_latest(struct store *s, const char *eid,
                                        struct store_schedule *sc,
                                        struct forum_error *err)
{
    memset(sc, 0, sizeof(*sc));
    return store__row(s, SQL_S_LATEST, eid, NULL, schedule_read, sc,
                      "nothing published yet", err);
}

enum forum_status store_schedule_insert(struct store *s, const char *eid,
                                        const struct store_schedule *sc,
                                        struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_S_INSERT, err);
    enum forum_status rc;

    if (st == NULL)
        return FORUM_ESTORE;
    store__bind(st, 1, eid);
    sqlite3_bind_int64(st, 2, sc->version);
    store__bind(st, 3, sc->allocation_id);
    store__bind(st, 4, sc->published_at);
    store__bind(st, 5, sc->body);
    rc = store__run(s, st, err);
    /* A version out of sequence (the trigger) means someone published meanwhile;
     * the unique allocation_id means this draft is out already. */
    if (rc == FORUM_EINVAL) {
        rc = FORUM_ECONFLICT;
        if (err != NULL)
            err->code = rc;
    }
    return rc;
}
