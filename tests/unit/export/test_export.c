/* SPDX-License-Identifier: MIT */
/*
 * The export writers (src/export/) on schedules built in memory: iCalendar
 * folding at the 75-octet boundary with 2- and 4-byte UTF-8 sequences, TEXT
 * escaping, control characters and invalid UTF-8, the empty calendar, UIDs
 * per session identity, SEQUENCE, STATUS:CANCELLED and URL; CSV quoting,
 * formula defusing, the new columns and cancelled sessions left out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "forum/export.h"

static const char *const hosts_ab[] = {"Ann", "Bo"};

/* One session T1 titled title, in room R1 "Salle A" and slot S1, hosted by
 * "Ann" and "Bo", 4 seated. */
static struct export_session one_session(const char *title)
{
    struct export_session s;

    memset(&s, 0, sizeof(s));
    s.id = "T1";
    s.topic = "T1";
    s.group = 1;
    s.kind = "forum";
    s.title = title;
    s.theme = "";
    s.hosts = hosts_ab;
    s.n_hosts = 2;
    s.room = "R1";
    s.room_name = "Salle A";
    s.slot = "S1";
    s.slot_label = "Jeudi 9 h";
    s.starts_at = "2025-09-18T07:00:00Z";
    s.ends_at = "2025-09-18T08:00:00Z";
    s.seated = 4;
    return s;
}

static struct export_schedule schedule_of(const struct export_session *v, size_t n,
                                          const char *name)
{
    struct export_schedule sc = {"E1", name, "2025-09-18T06:30:00Z", NULL, v, n};
    return sc;
}

/* Returns the physical lines of the SUMMARY property of title's calendar,
 * CRLFs included (owned). */
static char *summary_of(const char *title)
{
    struct export_session one = one_session(title);
    struct export_schedule sc = schedule_of(&one, 1, "Forum");
    size_t len;
    char *ics = export_ics(&sc, &len);
    char *from = strstr(ics, "\r\nSUMMARY:"), *to, *out;

    assert_non_null(from);
    from += 2;
    to = strstr(from, "\r\nLOCATION:");
    assert_non_null(to);
    out = strndup(from, (size_t)(to - from) + 2);
    assert_non_null(out);
    free(ics);
    return out;
}

/* n copies of c, then tail (owned). */
static char *repeat(char c, size_t n, const char *tail)
{
    char *s = malloc(n + strlen(tail) + 1);

    assert_non_null(s);
    memset(s, c, n);
    strcpy(s + n, tail);
    return s;
}

/* Checks that the SUMMARY of a title of n 'a' then tail is first then " "
 * rest, or one line when rest is NULL ("SUMMARY:" is 8 octets). */
static void check_fold(size_t n, const char *tail, size_t first_len, const char *rest)
{
    char *title = repeat('a', n, tail), *got = summary_of(title);
    char *want = malloc(first_len + 3 + (rest ? strlen(rest) + 3 : 0) + 1);
    size_t o;

    assert_non_null(want);
    memcpy(want, "SUMMARY:", 8);
    memcpy(want + 8, title, first_len - 8);
    o = first_len;
    memcpy(want + o, "\r\n", 2);
    o += 2;
    if (rest != NULL) {
        want[o++] = ' ';
        strcpy(want + o, rest);
        o += strlen(rest);
        memcpy(want + o, "\r\n", 2);
        o += 2;
    }
    want[o] = '\0';
    assert_string_equal(got, want);
    free(want);
    free(got);
    free(title);
}

static void test_export_ics_folds_at_75_octets(void **state)
{
    (void)state;
    check_fold(67, "", 75, NULL);  /* exactly 75: one line */
    check_fold(68, "", 75, "a");   /* 76: 75, then " a" */
    check_fold(65, "é", 75, NULL); /* "é" (2 octets) ends at octet 75 */
    check_fold(66, "é", 74, "é");  /* it would end at 76: it moves down whole */
    check_fold(63, "😀", 75, NULL); /* a 4-octet sequence ends at octet 75 */
    check_fold(64, "😀", 72, "😀");  /* octets 73-76: moves down whole */
    check_fold(65, "😀", 73, "😀");  /* 74-77 */
    check_fold(66, "😀", 74, "😀");  /* 75-78 */
}

static void test_export_ics_continuations_hold_74(void **state)
{
    char *title = repeat('b', 67 + 74 + 1, ""), *got;
    char want[200];

    (void)state;
    got = summary_of(title);
    strcpy(want, "SUMMARY:");
    memset(want + 8, 'b', 67);
    strcpy(want + 75, "\r\n ");
    memset(want + 78, 'b', 74);
    strcpy(want + 152, "\r\n b\r\n");
    assert_string_equal(got, want);
    free(got);
    free(title);
}

static void test_export_ics_text_escaped(void **state)
{
    char *got;

    (void)state;
    got = summary_of("a,b;c\\d\ne\r\tf\x01g\x7fh");
    assert_string_equal(got, "SUMMARY:a\\,b\\;c\\\\d\\nef"
                             "gh\r\n");
    free(got);
    /* Each byte that starts no UTF-8 sequence becomes U+FFFD; an overlong
     * "/" (C0 AF) and a lone surrogate (ED A0 80) included. */
    got = summary_of("x\x80y\xC0\xAFz\xED\xA0\x80!\xF0\x9F\x98");
    assert_string_equal(got, "SUMMARY:x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBDz"
                             "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!"
                             "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\r\n");
    free(got);
}

/* Regression: before the writers had their own file, 75 stray continuation bytes in a row
 * left the folding no place to cut and it looped forever. */
static void test_export_ics_stray_continuations_end(void **state)
{
    char *title = repeat('\x80', 200, ""), *got;
    size_t line = 0, replacements = 0;

    (void)state;
    got = summary_of(title);
    for (const char *p = got; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n') {
            assert_true(line <= 75);
            line = 0;
            p++;
            continue;
        }
        if (strncmp(p, "\xEF\xBF\xBD", 3) == 0)
            replacements++;
        line++;
    }
    assert_int_equal(replacements, 200);
    free(got);
    free(title);
}

static void test_export_ics_whole_event(void **state)
{
    struct export_session one = one_session("Café, thé");
    struct export_schedule sc = schedule_of(&one, 1, "Forum; 2025");
    size_t len;
    char *ics;

    (void)state;
    ics = export_ics(&sc, &len);
    assert_string_equal(ics, "BEGIN:VCALENDAR\r\n"
                             "VERSION:2.0\r\n"
                             "PRODID:-//forumd//forumd//EN\r\n"
                             "CALSCALE:GREGORIAN\r\n"
                             "METHOD:PUBLISH\r\n"
                             "X-WR-CALNAME:Forum\\; 2025\r\n"
                             "BEGIN:VEVENT\r\n"
                             "UID:E1-T1@forumd\r\n"
                             "SEQUENCE:0\r\n"
                             "DTSTAMP:20250918T063000Z\r\n"
                             "DTSTART:20250918T070000Z\r\n"
                             "DTEND:20250918T080000Z\r\n"
                             "SUMMARY:Café\\, thé\r\n"
                             "LOCATION:Salle A\r\n"
                             "DESCRIPTION:Ann\\, Bo\r\n"
                             "END:VEVENT\r\n"
                             "END:VCALENDAR\r\n");
    assert_int_equal(len, strlen(ics));
    free(ics);
}

/* A group session, a plenary with an online link, a moved and a cancelled
 * session: one UID per identity, SEQUENCE, STATUS:CANCELLED, URL (and in
 * LOCATION). */
static void test_export_ics_identity_sequence_cancelled(void **state)
{
    struct export_session v[4];
    struct export_schedule sc;
    size_t len;
    char *ics;

    (void)state;
    v[0] = one_session("Co-développement");
    v[0].id = "T1-2";
    v[0].group = 2;
    v[0].summary = "Co-développement — groupe 2";
    v[0].sequence = 3;
    v[1] = one_session("Temps fort");
    v[1].id = "B1";
    v[1].topic = "";
    v[1].kind = "plenary";
    v[1].n_hosts = 0;
    v[1].room_url = "https://visio.example.org/bigre?x=1&y=2";
    v[2] = one_session("Parti");
    v[2].id = "T2";
    v[2].topic = "T2";
    v[2].cancelled = true;
    v[2].sequence = 1;
    v[3] = one_session("Lien douteux");
    v[3].id = "T3";
    v[3].topic = "T3";
    v[3].room_url = "javascript:alert(1)";
    sc = schedule_of(v, 4, "Forum");
    ics = export_ics(&sc, &len);
    assert_non_null(strstr(ics, "UID:E1-T1-2@forumd\r\nSEQUENCE:3\r\n"));
    assert_non_null(strstr(ics, "SUMMARY:Co-développement — groupe 2\r\n"));
    assert_non_null(strstr(ics, "UID:E1-B1@forumd\r\nSEQUENCE:0\r\n"));
    assert_non_null(strstr(ics, "URL:https://visio.example.org/bigre?x=1&y=2\r\n"));
    /* The link is in LOCATION too, after the room's name (TEXT: escaped). */
    assert_non_null(
        strstr(ics, "LOCATION:Salle A — https://visio.example.org/bigre?x=1&y=2\r\n"));
    assert_non_null(strstr(ics, "SUMMARY:Lien douteux\r\nLOCATION:Salle A\r\n"));
    assert_non_null(strstr(ics, "UID:E1-T2@forumd\r\nSEQUENCE:1\r\n"));
    assert_non_null(strstr(ics, "SUMMARY:Parti\r\nSTATUS:CANCELLED\r\n"));
    /* Only http(s) links become URL properties. */
    assert_null(strstr(ics, "javascript"));
    assert_int_equal(strstr(ics, "STATUS:") - ics, strstr(ics, "STATUS:CANCELLED") - ics);
    free(ics);
}

static void test_export_ics_empty(void **state)
{
    static const char empty[] =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "PRODID:-//forumd//forumd//EN\r\nCALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\nX-WR-CALNAME:Forum\r\nEND:VCALENDAR\r\n";
    struct export_schedule sc = schedule_of(NULL, 0, "Forum");
    size_t len;
    char *ics;

    (void)state;
    ics = export_ics(&sc, &len);
    assert_string_equal(ics, empty);
    assert_int_equal(len, strlen(empty));
    free(ics);
}

#define CSV_BOM "\xEF\xBB\xBF"
#define CSV_HEADER                                                                       \
    CSV_BOM "slot,starts_at (UTC),ends_at (UTC),room,topic,title,theme,hosts,seated,"    \
            "session,group,block,kind,starts_at_utc,ends_at_utc\r\n"
#define CSV_UTC ",2025-09-18T07:00:00Z,2025-09-18T08:00:00Z\r\n"

/* Returns the CSV record of the session titled title (owned, CRLF included). */
static char *csv_record(const char *title)
{
    struct export_session one = one_session(title);
    struct export_schedule sc = schedule_of(&one, 1, "Forum");
    size_t len;
    char *csv = export_csv(&sc, &len), *rec;

    assert_int_equal(len, strlen(csv));
    assert_memory_equal(csv, CSV_HEADER, strlen(CSV_HEADER));
    rec = strdup(csv + strlen(CSV_HEADER));
    assert_non_null(rec);
    free(csv);
    return rec;
}

static void test_export_csv_quotes_and_defuses(void **state)
{
    static const char *const cases[][2] = {
        {"Plain", "Plain"},
        {"=1+1", "\"'=1+1\""},
        {"+33 6", "\"'+33 6\""},
        {"-", "\"'-\""},
        {"@SUM(A1)", "\"'@SUM(A1)\""},
        {"\tx", "\"'\tx\""},
        {"a=1", "a=1"},
        {"say \"hi\", ok", "\"say \"\"hi\"\", ok\""},
        {"two\r\nlines", "\"two\r\nlines\""},
    };
    char want[200], *got;

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(want, sizeof(want),
                 "Jeudi 9 h,2025-09-18T07:00:00Z,2025-09-18T08:00:00Z,Salle A,T1,%s,,"
                 "Ann; Bo,4,T1,1,,forum" CSV_UTC,
                 cases[i][1]);
        got = csv_record(cases[i][0]);
        assert_string_equal(got, want);
        free(got);
    }
}

static void test_export_csv_empty_and_cancelled(void **state)
{
    struct export_session v[2];
    struct export_schedule sc = schedule_of(NULL, 0, "Forum");
    size_t len;
    char *csv;

    (void)state;
    csv = export_csv(&sc, &len);
    assert_string_equal(csv, CSV_HEADER);
    assert_int_equal(len, strlen(csv));
    free(csv);
    /* A cancelled session is the calendar's business: the CSV is the schedule. */
    v[0] = one_session("Gone");
    v[0].cancelled = true;
    v[1] = one_session("Here");
    v[1].id = "T1-2";
    v[1].group = 2;
    v[1].kind = "groups";
    v[1].block = "Co-accompagnement";
    sc = schedule_of(v, 2, "Forum");
    csv = export_csv(&sc, &len);
    assert_string_equal(csv, CSV_HEADER "Jeudi 9 h,2025-09-18T07:00:00Z,"
                                        "2025-09-18T08:00:00Z,Salle A,T1,Here,,Ann; Bo,4,"
                                        "T1-2,2,Co-accompagnement,groups" CSV_UTC);
    free(csv);
}

/* For spreadsheets: the byte-order mark, and times on the event's wall clock
 * with the zone in the header; the UTC times stay, last, for programs. */
static void test_export_csv_local_times(void **state)
{
    struct export_session one = one_session("Coopérer");
    struct export_schedule sc = schedule_of(&one, 1, "Forum");
    size_t len;
    char *csv;

    (void)state;
    one.starts_local = "2025-09-18 09:00";
    one.ends_local = "2025-09-18 10:00";
    sc.timezone = "Europe/Paris";
    csv = export_csv(&sc, &len);
    assert_string_equal(csv,
                        CSV_BOM "slot,starts_at (Europe/Paris),ends_at (Europe/Paris),"
                                "room,topic,title,theme,hosts,seated,session,group,"
                                "block,kind,starts_at_utc,ends_at_utc\r\n"
                                "Jeudi 9 h,2025-09-18 09:00,2025-09-18 10:00,Salle A,"
                                "T1,Coopérer,,Ann; Bo,4,T1,1,,forum" CSV_UTC);
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_csv_local_times),
        cmocka_unit_test(test_export_ics_folds_at_75_octets),
        cmocka_unit_test(test_export_ics_continuations_hold_74),
        cmocka_unit_test(test_export_ics_stray_continuations_end),
        cmocka_unit_test(test_export_ics_text_escaped),
        cmocka_unit_test(test_export_ics_whole_event),
        cmocka_unit_test(test_export_ics_identity_sequence_cancelled),
        cmocka_unit_test(test_export_ics_empty),
        cmocka_unit_test(test_export_csv_quotes_and_defuses),
        cmocka_unit_test(test_export_csv_empty_and_cancelled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
