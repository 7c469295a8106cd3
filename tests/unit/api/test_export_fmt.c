/* SPDX-License-Identifier: MIT */
/*
 * The export writers (src/api/export_fmt.c) on documents built in memory:
 * iCalendar folding at the 75-octet boundary with 2- and 4-byte UTF-8
 * sequences, TEXT escaping, control characters and invalid UTF-8, the
 * empty calendar, the topic filter; CSV quoting and formula defusing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "export_fmt.h"

/* A published document with one session T1 titled title (no NUL inside),
 * in room R1 "Salle A" and slot S1, hosted by "Ann" and "Bo". */
static json_t *one_session(const char *title)
{
    json_t *doc =
        json_pack("{s:s, s:[{s:s, s:s, s:s, s:s}], s:[{s:s, s:s}], s:[]}", "published_at",
                  "2025-09-18T06:30:00Z", "slots", "id", "S1", "label", "Jeudi 9 h",
                  "starts_at", "2025-09-18T07:00:00Z", "ends_at", "2025-09-18T08:00:00Z",
                  "rooms", "id", "R1", "name", "Salle A", "sessions");
    json_t *s =
        json_pack("{s:s, s:s, s:[s, s], s:s, s:s, s:i}", "topic", "T1", "theme", "",
                  "hosts", "Ann", "Bo", "room", "R1", "slot", "S1", "seated", 4);

    assert_non_null(doc);
    assert_non_null(s);
    /* Not json_string(): the writers must cope with what no API would store. */
    json_object_set_new(s, "title", json_stringn_nocheck(title, strlen(title)));
    json_array_append_new(json_object_get(doc, "sessions"), s);
    return doc;
}

/* Returns the physical lines of the SUMMARY property of title's calendar,
 * CRLFs included (owned). */
static char *summary_of(const char *title)
{
    json_t *doc = one_session(title);
    size_t len;
    char *ics = export_ics("E1", "Forum", "2025-09-18T06:30:00Z", doc, NULL, &len);
    char *from = strstr(ics, "\r\nSUMMARY:"), *to, *out;

    assert_non_null(from);
    from += 2;
    to = strstr(from, "\r\nLOCATION:");
    assert_non_null(to);
    out = strndup(from, (size_t)(to - from) + 2);
    assert_non_null(out);
    free(ics);
    json_decref(doc);
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

static void test_export_fmt_ics_folds_at_75_octets(void **state)
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

static void test_export_fmt_ics_continuations_hold_74(void **state)
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

static void test_export_fmt_ics_text_escaped(void **state)
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

/* Regression: before export_fmt.c, 75 stray continuation bytes in a row left
 * the folding no place to cut and it looped forever. */
static void test_export_fmt_ics_stray_continuations_end(void **state)
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

static void test_export_fmt_ics_whole_event(void **state)
{
    json_t *doc = one_session("Café, thé");
    size_t len;
    char *ics;

    (void)state;
    ics = export_ics("E1", "Forum; 2025", "2025-09-18T06:30:00Z", doc, NULL, &len);
    assert_string_equal(ics, "BEGIN:VCALENDAR\r\n"
                             "VERSION:2.0\r\n"
                             "PRODID:-//forumd//forumd//EN\r\n"
                             "CALSCALE:GREGORIAN\r\n"
                             "METHOD:PUBLISH\r\n"
                             "X-WR-CALNAME:Forum\\; 2025\r\n"
                             "BEGIN:VEVENT\r\n"
                             "UID:E1-T1@forumd\r\n"
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
    json_decref(doc);
}

static void test_export_fmt_ics_empty_and_filtered(void **state)
{
    static const char empty[] =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "PRODID:-//forumd//forumd//EN\r\nCALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\nX-WR-CALNAME:Forum\r\nEND:VCALENDAR\r\n";
    json_t *doc = one_session("T"), *only = json_object();
    size_t len;
    char *ics;

    (void)state;
    ics = export_ics("E1", "Forum", "2025-09-18T06:30:00Z", NULL, NULL, &len);
    assert_string_equal(ics, empty);
    assert_int_equal(len, strlen(empty));
    free(ics);
    /* A participant who attends nothing. */
    ics = export_ics("E1", "Forum", "2025-09-18T06:30:00Z", doc, only, &len);
    assert_string_equal(ics, empty);
    free(ics);
    json_object_set_new(only, "T1", json_true());
    ics = export_ics("E1", "Forum", "2025-09-18T06:30:00Z", doc, only, &len);
    assert_non_null(strstr(ics, "\r\nSUMMARY:T\r\n"));
    free(ics);
    json_decref(only);
    json_decref(doc);
}

/* Returns the CSV record of the session titled title (owned, CRLF included). */
static char *csv_record(const char *title)
{
    static const char header[] =
        "slot,starts_at,ends_at,room,topic,title,theme,hosts,seated\r\n";
    json_t *doc = one_session(title);
    size_t len;
    char *csv = export_csv(doc, &len), *rec;

    assert_int_equal(len, strlen(csv));
    assert_memory_equal(csv, header, strlen(header));
    rec = strdup(csv + strlen(header));
    assert_non_null(rec);
    free(csv);
    json_decref(doc);
    return rec;
}

static void test_export_fmt_csv_quotes_and_defuses(void **state)
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
                 "Ann; Bo,4\r\n",
                 cases[i][1]);
        got = csv_record(cases[i][0]);
        assert_string_equal(got, want);
        free(got);
    }
}

static void test_export_fmt_csv_empty(void **state)
{
    size_t len;
    char *csv;

    (void)state;
    csv = export_csv(NULL, &len);
    assert_string_equal(csv,
                        "slot,starts_at,ends_at,room,topic,title,theme,hosts,seated\r\n");
    assert_int_equal(len, strlen(csv));
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_fmt_ics_folds_at_75_octets),
        cmocka_unit_test(test_export_fmt_ics_continuations_hold_74),
        cmocka_unit_test(test_export_fmt_ics_stray_continuations_end),
        cmocka_unit_test(test_export_fmt_ics_text_escaped),
        cmocka_unit_test(test_export_fmt_ics_whole_event),
        cmocka_unit_test(test_export_fmt_ics_empty_and_filtered),
        cmocka_unit_test(test_export_fmt_csv_quotes_and_defuses),
        cmocka_unit_test(test_export_fmt_csv_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
