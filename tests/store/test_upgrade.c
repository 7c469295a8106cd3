/* SPDX-License-Identifier: MIT */
/*
 * Upgrade from a database made by forumd 0.1.0 (tests/data/db/v0.1.0.db, see
 * its README): the migrations run on a copy of it, and every event, vote
 * and published version is still there, each version now as session rows
 * with the same sessions, titles, hosts, seats and who sits where.
 *
 * What the file held is counted with SQLite directly before the migration
 * (the store's calls speak the latest schema only); what it holds after is
 * read through the store's calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "forum/store.h"

#ifndef FORUM_SOURCE_DIR
#error "FORUM_SOURCE_DIR must name the project root"
#endif

#define MAX_EVENTS 8
#define MAX_VERSIONS 8

/* What the 0.1.0 file holds, counted before the migration. */
struct before {
    int schema;
    int n_events;
    char eid[MAX_EVENTS][STORE_ID_MAX + 1];
    long votes[MAX_EVENTS];
    long participants[MAX_EVENTS];
    long versions[MAX_EVENTS];
    long sessions[MAX_EVENTS][MAX_VERSIONS + 1];  /* per version */
    long seated[MAX_EVENTS][MAX_VERSIONS + 1];    /* sum of seated */
    long hosts[MAX_EVENTS][MAX_VERSIONS + 1];     /* host names */
    long attendees[MAX_EVENTS][MAX_VERSIONS + 1]; /* in the published allocation */
    char alloc[MAX_EVENTS][MAX_VERSIONS + 1][STORE_ID_MAX + 1];
};

static long one_long(sqlite3 *db, const char *sql, const char *p1, long p2)
{
    sqlite3_stmt *st;
    long v = -1;

    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (p1 != NULL)
        sqlite3_bind_text(st, 1, p1, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, p2);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = (long)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static void count_before(const char *path, struct before *b)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    memset(b, 0, sizeof(*b));
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    b->schema = (int)one_long(db, "PRAGMA user_version", NULL, 0);
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT id FROM events ORDER BY id", -1, &st, NULL),
        SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW && b->n_events < MAX_EVENTS)
        snprintf(b->eid[b->n_events++], STORE_ID_MAX + 1, "%s",
                 (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    for (int e = 0; e < b->n_events; e++) {
        const char *eid = b->eid[e];
        b->votes[e] = one_long(db,
                               "SELECT count(*) FROM votes v JOIN topics t ON "
                               "t.id = v.topic_id WHERE t.event_id = ?1",
                               eid, 0);
        b->participants[e] =
            one_long(db, "SELECT count(*) FROM participants WHERE event_id = ?1", eid, 0);
        b->versions[e] = one_long(
            db, "SELECT count(*) FROM schedule_versions WHERE event_id = ?1", eid, 0);
        assert_true(b->versions[e] <= MAX_VERSIONS);
        for (long v = 1; v <= b->versions[e]; v++) {
            const char *q = "FROM schedule_versions WHERE event_id = ?1 AND version = ?2";
            char sql[512];
            snprintf(sql, sizeof(sql), "SELECT json_array_length(body, '$.sessions') %s",
                     q);
            b->sessions[e][v] = one_long(db, sql, eid, v);
            snprintf(sql, sizeof(sql),
                     "SELECT sum(json_extract(j.value, '$.seated')) FROM "
                     "schedule_versions s, json_each(s.body, '$.sessions') j "
                     "WHERE s.event_id = ?1 AND s.version = ?2");
            b->seated[e][v] = one_long(db, sql, eid, v);
            snprintf(sql, sizeof(sql),
                     "SELECT sum(json_array_length(j.value, '$.hosts')) FROM "
                     "schedule_versions s, json_each(s.body, '$.sessions') j "
                     "WHERE s.event_id = ?1 AND s.version = ?2");
            b->hosts[e][v] = one_long(db, sql, eid, v);
            snprintf(sql, sizeof(sql),
                     "SELECT sum(json_array_length(j.value, '$.attendees')) FROM "
                     "schedule_versions s JOIN allocations a ON a.id = s.allocation_id, "
                     "json_each(a.solution, '$.sessions') j "
                     "WHERE s.event_id = ?1 AND s.version = ?2");
            b->attendees[e][v] = one_long(db, sql, eid, v);
            assert_int_equal(sqlite3_prepare_v2(db,
                                                "SELECT allocation_id FROM "
                                                "schedule_versions WHERE event_id = ?1 "
                                                "AND version = ?2",
                                                -1, &st, NULL),
                             SQLITE_OK);
            sqlite3_bind_text(st, 1, eid, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(st, 2, v);
            assert_int_equal(sqlite3_step(st), SQLITE_ROW);
            snprintf(b->alloc[e][v], STORE_ID_MAX + 1, "%s",
                     (const char *)sqlite3_column_text(st, 0));
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(db);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out;
    char buf[65536];
    size_t n;

    assert_non_null(in);
    out = fopen(to, "wb");
    assert_non_null(out);
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

static void test_upgrade_from_0_1_0(void **state)
{
    const char *src = FORUM_SOURCE_DIR "/tests/data/db/v0.1.0.db";
    char path[256], side[300];
    struct before b;
    struct store *s;
    long total_versions = 0;
    int v;

    (void)state;
    snprintf(path, sizeof(path), "/tmp/forum-upgrade-%ld.db", (long)getpid());
    copy_file(src, path);
    count_before(path, &b);
    assert_int_equal(b.schema, 2);
    assert_int_equal(b.n_events, 2);

    assert_int_equal(store_open(path, &s, NULL), FORUM_OK);
    assert_int_equal(store_migrate(s, 0, NULL), FORUM_OK);
    assert_int_equal(store_schema_version(s, &v, NULL), FORUM_OK);
    assert_int_equal(v, store_schema_latest());

    for (int e = 0; e < b.n_events; e++) {
        struct store_event ev;
        struct store_vote *votes;
        struct store_participant *people;
        size_t n;
        long latest;

        assert_int_equal(store_event_get(s, b.eid[e], &ev, NULL), FORUM_OK);
        store_event_release(&ev);
        assert_int_equal(store_vote_list(s, b.eid[e], NULL, &votes, &n, NULL), FORUM_OK);
        assert_int_equal((long)n, b.votes[e]);
        store_votes_free(votes, n);
        assert_int_equal(store_participant_list(s, b.eid[e], &people, &n, NULL),
                         FORUM_OK);
        assert_int_equal((long)n, b.participants[e]);
        assert_int_equal(store_schedule_latest_version(s, b.eid[e], &latest, NULL),
                         FORUM_OK);
        assert_int_equal(latest, b.versions[e]);
        for (long ver = 1; ver <= b.versions[e]; ver++) {
            struct store_schedule sc;
            long seated = 0, hosts = 0, attendees = 0, agenda = 0;

            assert_int_equal(
                store_schedule_get(s, b.eid[e], ver, NULL,
                                   STORE_SCHEDULE_GRID | STORE_SCHEDULE_ATTENDEES, &sc,
                                   NULL),
                FORUM_OK);
            assert_int_equal(sc.version, ver);
            assert_string_equal(sc.allocation_id, b.alloc[e][ver]);
            assert_int_equal((long)sc.n_sessions, b.sessions[e][ver]);
            assert_true(sc.n_slots > 0);
            assert_true(sc.n_rooms > 0);
            for (size_t i = 0; i < sc.n_sessions; i++) {
                const struct store_session *x = &sc.sessions[i];
                assert_string_equal(x->id, x->topic_id); /* one session per topic */
                assert_int_equal(x->group, 1);
                assert_string_equal(x->kind, "forum");
                assert_int_equal(x->sequence, 0);
                assert_true(x->title[0] != '\0');
                assert_int_equal(strlen(x->starts_at), 20);
                assert_int_equal(x->seats, (long)x->attendees.n);
                seated += x->seats;
                hosts += (long)x->hosts.n;
                attendees += (long)x->attendees.n;
            }
            assert_int_equal(seated, b.seated[e][ver]);
            assert_int_equal(hosts, b.hosts[e][ver]);
            assert_int_equal(attendees, b.attendees[e][ver]);
            store_schedule_release(&sc);
            /* Everyone's agenda is the sessions they sit in. */
            for (size_t p = 0; p < n; p++) {
                assert_int_equal(
                    store_schedule_get(s, b.eid[e], ver, people[p].id, 0, &sc, NULL),
                    FORUM_OK);
                agenda += (long)sc.n_sessions;
                store_schedule_release(&sc);
            }
            assert_int_equal(agenda, b.attendees[e][ver]);
            total_versions++;
        }
        store_participants_free(people, n);
    }
    assert_int_equal(total_versions, 3);
    store_close(s);
    unlink(path);
    snprintf(side, sizeof(side), "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", path);
    unlink(side);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upgrade_from_0_1_0),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
