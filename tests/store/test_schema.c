/* SPDX-License-Identifier: MIT */
/*
 * The store's lifecycle: migrations from an empty database and from every
 * earlier version, a full disk (nothing half-written), tokens and backup.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "forum/store.h"

static char *temp_path(const char *tag)
{
    static int seq;
    char *p = malloc(256);
    snprintf(p, 256, "/tmp/forum-store-%s-%ld-%d.db", tag, (long)getpid(), seq++);
    return p;
}

static void remove_db(const char *path)
{
    char side[300];
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

static struct store_event demo_event(void)
{
    struct store_event e;
    memset(&e, 0, sizeof(e));
    e.name = (char *)(uintptr_t) "Rencontre";
    e.timezone = (char *)(uintptr_t) "Europe/Paris";
    e.locale = (char *)(uintptr_t) "fr";
    e.max_weight = 3;
    e.proposals_open = e.voting_open = true;
    return e;
}

static void test_schema_migrate_from_empty(void **state)
{
    struct store *s;
    int v;
    (void)state;
    assert_int_equal(store_open(":memory:", &s, NULL), FORUM_OK);
    assert_int_equal(store_schema_version(s, &v, NULL), FORUM_OK);
    assert_int_equal(v, 0);
    assert_int_equal(store_migrate(s, 0, NULL), FORUM_OK);
    assert_int_equal(store_schema_version(s, &v, NULL), FORUM_OK);
    assert_int_equal(v, store_schema_latest());
    /* Migrating again is a no-op. */
    assert_int_equal(store_migrate(s, 0, NULL), FORUM_OK);
    assert_int_equal(store_ping(s), FORUM_OK);
    store_close(s);
}

static void test_schema_migrate_from_every_version(void **state)
{
    (void)state;
    for (int from = 1; from < store_schema_latest(); from++) {
        char *path = temp_path("upgrade");
        struct store *s;
        struct store_event got;
        const char *id = "evold00001";
        sqlite3 *db;
        int v;

        assert_int_equal(store_open(path, &s, NULL), FORUM_OK);
        assert_int_equal(store_migrate(s, from, NULL), FORUM_OK);
        assert_int_equal(store_schema_version(s, &v, NULL), FORUM_OK);
        assert_int_equal(v, from);
        store_close(s);
        /* Every version has events: data written before survives the upgrade.
         * It is written as that version wrote it (the store's calls speak the
         * latest schema only), with the columns events had from version 1. */
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(
            sqlite3_exec(db,
                         "INSERT INTO events (id, name, timezone, locale, max_weight, "
                         "vote_budget, proposals_open, voting_open, show_tallies, "
                         "created_at) VALUES ('evold00001', 'Rencontre', 'Europe/Paris', "
                         "'fr', 3, 0, 1, 1, 0, '2025-09-18T06:00:00Z')",
                         NULL, NULL, NULL),
            SQLITE_OK);
        sqlite3_close(db);
        assert_int_equal(store_open(path, &s, NULL), FORUM_OK);
        assert_int_equal(store_migrate(s, 0, NULL), FORUM_OK);
        assert_int_equal(store_schema_version(s, &v, NULL), FORUM_OK);
        assert_int_equal(v, store_schema_latest());
        assert_int_equal(store_event_get(s, id, &got, NULL), FORUM_OK);
        assert_string_equal(got.name, "Rencontre");
        assert_false(got.proceedings_public); /* added by version 4: private */
        store_event_release(&got);
        store_close(s);
        remove_db(path);
        free(path);
    }
}

static void test_schema_newer_database_refused(void **state)
{
    char *path = temp_path("newer");
    struct store *s;
    struct forum_error err;
    (void)state;
    assert_int_equal(store_open(path, &s, NULL), FORUM_OK);
    assert_int_equal(store_migrate(s, 0, NULL), FORUM_OK);
    store_close(s);
    /* Pretend a later forumd wrote it: bump the version by hand. */
    {
        FILE *f;
        char cmd[400];
        snprintf(cmd, sizeof(cmd), "sqlite3 '%s' 'PRAGMA user_version=999' 2>/dev/null",
                 path);
        f = popen(cmd, "r");
        if (f == NULL || pclose(f) != 0) {
            remove_db(path);
            free(path);
            skip();
        }
    }
    assert_int_equal(store_open(path, &s, NULL), FORUM_OK);
    forum_error_clear(&err);
    assert_int_equal(store_migrate(s, 0, &err), FORUM_ECONFLICT);
    assert_non_null(strstr(err.msg, "newer"));
    store_close(s);
    remove_db(path);
    free(path);
}

static void test_schema_full_disk_writes_nothing(void **state)
{
    struct store *s;
    struct store_event e = demo_event(), got;
    char eid[STORE_ID_MAX + 1], tok[STORE_TOKEN_LEN + 1], id[STORE_ID_MAX + 1];
    struct store_room r;
    struct store_room *rooms;
    size_t n;
    struct forum_error err;
    enum forum_status rc = FORUM_OK;
    char name[100];
    int made = 0;
    (void)state;

    assert_int_equal(store_open(":memory:", &s, NULL), FORUM_OK);
    assert_int_equal(store_migrate(s, 0, NULL), FORUM_OK);
    assert_int_equal(store_event_create(s, &e, eid, tok, NULL), FORUM_OK);
    /* Leave room for very little more, then fill it: each room comes with a
     * list of features; a failing room must leave neither room nor feature. */
    assert_int_equal(store_limit_pages(s, 40, NULL), FORUM_OK);
    memset(&r, 0, sizeof(r));
    r.capacity = 10;
    for (int f = 0; f < 30; f++) {
        snprintf(name, sizeof(name), "feature-%02d-with-a-long-name-to-fill", f);
        store_strv_push(&r.features, name);
    }
    for (int i = 0; i < 10000; i++) {
        snprintf(name, sizeof(name), "Salle %d", i);
        r.name = name;
        forum_error_clear(&err);
        rc = store_room_create(s, eid, &r, id, &err);
        if (rc != FORUM_OK)
            break;
        made++;
    }
    r.name = NULL;
    store_room_release(&r);
    assert_int_equal(rc, FORUM_ESTORE);
    assert_non_null(strstr(err.msg, "full"));
    assert_int_equal(store_room_list(s, eid, &rooms, &n, NULL), FORUM_OK);
    assert_int_equal((int)n, made);
    for (size_t i = 0; i < n; i++)
        assert_int_equal((int)rooms[i].features.n, 30);
    store_rooms_free(rooms, n);
    /* Reads still work and the event is whole. */
    assert_int_equal(store_event_get(s, eid, &got, NULL), FORUM_OK);
    store_event_release(&got);
    store_close(s);
}

static void test_schema_tokens_hashed_and_found(void **state)
{
    struct store *s;
    struct store_event e = demo_event();
    struct store_principal p;
    char eid[STORE_ID_MAX + 1], tok[STORE_TOKEN_LEN + 1], gen[STORE_TOKEN_LEN + 1];
    char gen2[STORE_TOKEN_LEN + 1];
    (void)state;
    assert_int_equal(store_open(":memory:", &s, NULL), FORUM_OK);
    assert_int_equal(store_migrate(s, 0, NULL), FORUM_OK);
    assert_int_equal(store_event_create(s, &e, eid, tok, NULL), FORUM_OK);
    assert_int_equal(strlen(tok), STORE_TOKEN_LEN);
    assert_int_equal(store_auth_lookup(s, tok, &p, NULL), FORUM_OK);
    assert_int_equal(p.role, STORE_ROLE_FACILITATOR);
    assert_string_equal(p.event_id, eid);
    tok[0] = tok[0] == 'a' ? 'b' : 'a';
    assert_int_equal(store_auth_lookup(s, tok, &p, NULL), FORUM_ENOTFOUND);
    /* The admin token is generated once, then kept. */
    assert_int_equal(store_admin_init(s, NULL, gen, NULL), FORUM_OK);
    assert_int_equal(strlen(gen), STORE_TOKEN_LEN);
    assert_int_equal(store_admin_init(s, NULL, gen2, NULL), FORUM_OK);
    assert_string_equal(gen2, "");
    assert_int_equal(store_auth_lookup(s, gen, &p, NULL), FORUM_OK);
    assert_int_equal(p.role, STORE_ROLE_ADMIN);
    /* A configured token replaces it. */
    assert_int_equal(store_admin_init(s, "configured-secret", gen2, NULL), FORUM_OK);
    assert_int_equal(store_auth_lookup(s, gen, &p, NULL), FORUM_ENOTFOUND);
    assert_int_equal(store_auth_lookup(s, "configured-secret", &p, NULL), FORUM_OK);
    store_close(s);
}

/* True when the file at path contains needle anywhere. */
static bool file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    size_t n = strlen(needle), cap = 1 << 22, len;
    char *buf = malloc(cap);
    bool found = false;

    assert_non_null(f);
    len = fread(buf, 1, cap, f);
    fclose(f);
    for (size_t i = 0; i + n <= len && !found; i++)
        found = memcmp(buf + i, needle, n) == 0;
    free(buf);
    return found;
}

static void test_schema_tokens_never_stored_in_clear(void **state)
{
    char *path = temp_path("clear"), wal[300];
    struct store *s;
    struct store_event e = demo_event();
    struct store_participant p;
    char eid[STORE_ID_MAX + 1], tok[STORE_TOKEN_LEN + 1], pid[STORE_ID_MAX + 1];
    char ptok[STORE_TOKEN_LEN + 1], feed[STORE_TOKEN_LEN + 1], admin[STORE_TOKEN_LEN + 1];
    (void)state;

    memset(&p, 0, sizeof(p));
    p.name = (char *)(uintptr_t) "Alice";
    assert_int_equal(store_open(path, &s, NULL), FORUM_OK);
    assert_int_equal(store_migrate(s, 0, NULL), FORUM_OK);
    assert_int_equal(store_admin_init(s, NULL, admin, NULL), FORUM_OK);
    assert_int_equal(store_event_create(s, &e, eid, tok, NULL), FORUM_OK);
    assert_int_equal(store_participant_create(s, eid, &p, pid, ptok, NULL), FORUM_OK);
    store_feed_secret(ptok, feed);
    /* Every secret works... */
    {
        struct store_principal who;
        assert_int_equal(store_auth_lookup(s, feed, &who, NULL), FORUM_OK);
        assert_int_equal(who.role, STORE_ROLE_FEED);
        assert_string_equal(who.participant_id, pid);
    }
    store_close(s);
    /* ...and none of them is in the files. */
    snprintf(wal, sizeof(wal), "%s-wal", path);
    assert_false(file_contains(path, tok));
    assert_false(file_contains(path, ptok));
    assert_false(file_contains(path, feed));
    assert_false(file_contains(path, admin));
    assert_true(file_contains(path, "Alice")); /* the check itself sees clear text */
    remove_db(path);
    free(path);
}

static void test_schema_backup_copies(void **state)
{
    char *path = temp_path("live"), *copy = temp_path("copy");
    struct store *s, *c;
    struct store_event e = demo_event(), got;
    char eid[STORE_ID_MAX + 1], tok[STORE_TOKEN_LEN + 1];
    (void)state;
    assert_int_equal(store_open(path, &s, NULL), FORUM_OK);
    assert_int_equal(store_migrate(s, 0, NULL), FORUM_OK);
    assert_int_equal(store_event_create(s, &e, eid, tok, NULL), FORUM_OK);
    assert_int_equal(store_backup(s, copy, NULL), FORUM_OK);
    store_close(s);
    assert_int_equal(store_open(copy, &c, NULL), FORUM_OK);
    assert_int_equal(store_event_get(c, eid, &got, NULL), FORUM_OK);
    store_event_release(&got);
    store_close(c);
    remove_db(path);
    remove_db(copy);
    free(path);
    free(copy);
}

/* A read snapshot (store_read_begin) sees none of what another connection
 * commits until it ends, and blocks no writer meanwhile. */
static void test_schema_read_snapshot(void **state)
{
    char *path = temp_path("snapshot");
    struct store *a, *b;
    struct store_event e = demo_event();
    struct store_slot *v = NULL, sl = {NULL, (char *)(uintptr_t) "Matin",
                                       (char *)(uintptr_t) "2025-09-18T07:00:00Z",
                                       (char *)(uintptr_t) "2025-09-18T08:00:00Z"};
    char eid[STORE_ID_MAX + 1], tok[STORE_TOKEN_LEN + 1], sid[STORE_ID_MAX + 1];
    size_t n = 0;

    (void)state;
    assert_int_equal(store_open(path, &a, NULL), FORUM_OK);
    assert_int_equal(store_migrate(a, 0, NULL), FORUM_OK);
    assert_int_equal(store_open(path, &b, NULL), FORUM_OK);
    assert_int_equal(store_event_create(a, &e, eid, tok, NULL), FORUM_OK);
    assert_int_equal(store_slot_create(a, eid, &sl, sid, NULL), FORUM_OK);

    assert_int_equal(store_read_begin(a, NULL), FORUM_OK);
    assert_int_equal(store_slot_list(a, eid, &v, &n, NULL), FORUM_OK);
    assert_int_equal(n, 1);
    store_slots_free(v, n);
    /* The writer on b is not held up, and a does not see its commit... */
    assert_int_equal(store_slot_delete(b, eid, sid, NULL), FORUM_OK);
    assert_int_equal(store_slot_list(a, eid, &v, &n, NULL), FORUM_OK);
    assert_int_equal(n, 1);
    store_slots_free(v, n);
    store_read_end(a);
    /* ...until the snapshot ends. */
    assert_int_equal(store_slot_list(a, eid, &v, &n, NULL), FORUM_OK);
    assert_int_equal(n, 0);
    store_slots_free(v, n);
    store_read_end(a); /* nothing open: nothing to do */
    store_close(b);
    store_close(a);
    remove_db(path);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schema_migrate_from_empty),
        cmocka_unit_test(test_schema_migrate_from_every_version),
        cmocka_unit_test(test_schema_newer_database_refused),
        cmocka_unit_test(test_schema_full_disk_writes_nothing),
        cmocka_unit_test(test_schema_tokens_hashed_and_found),
        cmocka_unit_test(test_schema_tokens_never_stored_in_clear),
        cmocka_unit_test(test_schema_backup_copies),
        cmocka_unit_test(test_schema_read_snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
