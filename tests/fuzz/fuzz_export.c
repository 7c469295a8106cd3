/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the iCalendar and CSV writers (src/export/, forum/export.h)
 * fed hostile strings, called directly on a schedule built in memory: no
 * JSON, no database, no API, no HTTP.
 *
 * Input: up to six strings separated by NUL bytes: a topic title, its
 * description (the session's theme), a room name, a slot label, the event
 * name (the calendar's name) and the host's name. Bytes after a sixth NUL
 * choose the shape: the first one the number of sessions (1 to 3), whether
 * the calendar keeps only some sessions (as a participant's feed does),
 * whether the first session has no room and slot details (empty strings),
 * and whether the second is cancelled; a second byte sets the seats. The
 * room name doubles as the room's link (the URL property must then be
 * written only for a clean http(s) URL). The strings reach the writers as
 * they are: invalid UTF-8 and control characters included.
 *
 *   iCalendar (RFC 5545): CRLF line ends only, no line over 75 octets,
 *   continuation lines start with a space or tab and never split a UTF-8
 *   sequence, the whole text is well-formed UTF-8, BEGIN/END balanced inside
 *   one VCALENDAR with one VEVENT per session kept, property names are
 *   [A-Z0-9-], TEXT values escape ',' ';' and '\' and contain no control
 *   characters, and the title comes back from a SUMMARY after unfolding and
 *   unescaping (control characters dropped, each byte that starts no UTF-8
 *   sequence read as U+FFFD).
 *   CSV (RFC 4180): every record has the header's field count, one record
 *   per session, no field starts with '=', '+', '-', '@', TAB or CR (formula
 *   injection), and the title comes back in one field (possibly with a
 *   leading "'" added to defuse the formula).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/export.h"

#define FIELD_MAX 1024
#define N_FIELDS 6

static unsigned long g_inputs, g_ics_titles, g_csv_titles; /* reported at exit */

static void fail(const char *what, const char *detail, size_t len)
{
    fprintf(stderr, "fuzz_export: %s\n---\n%.*s\n---\n", what,
            (int)(len > 2000 ? 2000 : len), detail != NULL ? detail : "");
    abort();
}

static void report(void)
{
    fprintf(stderr,
            "fuzz_export: %lu inputs; the title came back from a SUMMARY in %lu, "
            "from a CSV field in %lu\n",
            g_inputs, g_ics_titles, g_csv_titles);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    atexit(report);
    return 0;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n);

    if (p == NULL)
        abort();
    return p;
}

/* ---- the expected SUMMARY ------------------------------------------------------ */

/*
 * Decodes the UTF-8 sequence at s[0..n); returns its length, or 0 when it
 * is not well-formed (written apart from the writer's table on purpose:
 * decode, then reject overlong forms, surrogates and values past U+10FFFF).
 */
static size_t utf8_decode(const unsigned char *s, size_t n)
{
    size_t len, i;
    uint32_t cp;

    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2;
        cp = s[0] & 0x1Fu;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3;
        cp = s[0] & 0x0Fu;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4;
        cp = s[0] & 0x07u;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
        return 0;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return len;
}

/* Returns true when s[0..n) is well-formed UTF-8. */
static bool utf8_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = utf8_decode((const unsigned char *)s + i, n - i);
        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

/* What the unescaped SUMMARY of title must be (owned): control characters
 * but '\n' dropped, each byte that starts no UTF-8 sequence read as U+FFFD. */
static char *expected_summary(const char *title)
{
    size_t n = strlen(title), o = 0;
    char *out = xmalloc(3 * n + 1);

    for (size_t i = 0; i < n;) {
        const unsigned char *p = (const unsigned char *)title + i;
        size_t k = utf8_decode(p, n - i);
        if (k == 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else if (k == 1 && ((p[0] < 0x20 && p[0] != '\n') || p[0] == 0x7F)) {
            i++;
        } else {
            memcpy(out + o, p, k);
            o += k;
            i += k;
        }
    }
    out[o] = '\0';
    return out;
}

/* ---- iCalendar ----------------------------------------------------------------- */

static bool is_text_prop(const char *line, size_t name_len)
{
    static const char *const text[] = {"SUMMARY", "DESCRIPTION",  "LOCATION",
                                       "COMMENT", "X-WR-CALNAME", "CATEGORIES"};
    for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
        if (strlen(text[i]) == name_len && strncmp(line, text[i], name_len) == 0)
            return true;
    return false;
}

/* Unescapes an RFC 5545 TEXT value into out (room for n + 1 bytes). */
static void ics_unescape(const char *v, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] == '\\' && i + 1 < n) {
            i++;
            out[o++] = (v[i] == 'n' || v[i] == 'N') ? '\n' : v[i];
        } else {
            out[o++] = v[i];
        }
    }
    out[o] = '\0';
}

/* Checks the iCalendar document; returns true when a SUMMARY is the title
 * (NULL: none looked for). OUT: vevents, the number of VEVENTs. */
static bool check_ics(const char *doc, size_t len, const char *title, size_t *vevents)
{
    char *unfolded = xmalloc(len + 1), *value = xmalloc(len + 1);
    size_t u = 0, depth = 0, lines = 0;
    bool found = false, in_calendar = false, ended = false;
    const char *p = doc, *end = doc + len;

    *vevents = 0;
    if (len < 2 || doc[len - 2] != '\r' || doc[len - 1] != '\n')
        fail("ics: does not end with CRLF", doc, len);
    if (!utf8_ok(doc, len))
        fail("ics: not well-formed UTF-8", doc, len);
    /* Physical lines: length, line ends, folding. */
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n;
        if (nl == NULL || nl == p || nl[-1] != '\r')
            fail("ics: a bare LF or a line without CRLF", doc, len);
        n = (size_t)(nl - 1 - p);
        if (memchr(p, '\r', n) != NULL)
            fail("ics: a bare CR inside a line", doc, len);
        if (n > 75)
            fail("ics: a line longer than 75 octets", p, n);
        if (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
            if (lines == 0)
                fail("ics: the first line is a continuation", doc, len);
            if (n > 1 && ((unsigned char)p[1] & 0xC0) == 0x80)
                fail("ics: a fold splits a UTF-8 sequence", p, n);
            memcpy(unfolded + u, p + 1, n - 1);
            u += n - 1;
        } else {
            if (lines > 0)
                unfolded[u++] = '\n';
            memcpy(unfolded + u, p, n);
            u += n;
        }
        lines++;
        p = nl + 1;
    }
    unfolded[u] = '\0';
    /* Content lines. */
    for (char *line = unfolded; line != NULL && *line != '\0';) {
        char *next = strchr(line, '\n');
        size_t n = next != NULL ? (size_t)(next - line) : strlen(line);
        size_t name_len = strcspn(line, ";:\n");
        char *colon;
        if (ended)
            fail("ics: content after END:VCALENDAR", line, n);
        if (name_len == 0 || name_len > n)
            fail("ics: a content line without a name", line, n);
        for (size_t i = 0; i < name_len; i++) {
            char c = line[i];
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
                fail("ics: a property name outside [A-Z0-9-]", line, n);
        }
        colon = memchr(line, ':', n);
        if (colon == NULL)
            fail("ics: a content line without ':'", line, n);
        if (strncmp(line, "BEGIN:", 6) == 0) {
            if (depth == 0) {
                if (in_calendar || strncmp(line, "BEGIN:VCALENDAR", n) != 0 || n != 15)
                    fail("ics: not one VCALENDAR", line, n);
                in_calendar = true;
            } else if (n == 12 && strncmp(line, "BEGIN:VEVENT", 12) == 0) {
                (*vevents)++;
            }
            depth++;
        } else if (strncmp(line, "END:", 4) == 0) {
            if (depth == 0)
                fail("ics: END without BEGIN", line, n);
            depth--;
            ended = depth == 0;
        } else if (depth == 0) {
            fail("ics: a property outside VCALENDAR", line, n);
        }
        if (is_text_prop(line, name_len)) {
            const char *v = colon + 1;
            size_t vn = n - (size_t)(v - line);
            for (size_t i = 0; i < vn; i++) {
                unsigned char c = (unsigned char)v[i];
                if (c < 0x20 || c == 0x7f)
                    fail("ics: a control character in a TEXT value", line, n);
                if (c == '\\') {
                    if (i + 1 >= vn || strchr("\\;,nN", v[i + 1]) == NULL)
                        fail("ics: a bad escape in a TEXT value", line, n);
                    i++;
                } else if ((c == ';' || c == ',') &&
                           strncmp(line, "CATEGORIES", name_len) != 0) {
                    fail("ics: an unescaped ',' or ';' in a TEXT value", line, n);
                }
            }
            if (name_len == 7 && strncmp(line, "SUMMARY", 7) == 0) {
                ics_unescape(v, vn, value);
                if (title != NULL && strcmp(value, title) == 0)
                    found = true;
            }
        }
        line = next != NULL ? next + 1 : NULL;
    }
    if (!in_calendar || !ended)
        fail("ics: BEGIN/END:VCALENDAR unbalanced", doc, len);
    free(unfolded);
    free(value);
    return found;
}

/* ---- CSV ----------------------------------------------------------------------- */

/* Checks the CSV document; returns true when a field is the title (NULL:
 * none looked for). OUT: records, the number of records after the header. */
static bool check_csv(const char *doc, size_t len, const char *title, size_t *records)
{
    char *field = xmalloc(len + 1);
    size_t i = 0, header_fields = 0, fields = 0, n_records = 0;
    bool found = false;

    while (i < len) {
        size_t f = 0;
        if (doc[i] == '"') {
            i++;
            for (;;) {
                if (i >= len)
                    fail("csv: an unterminated quoted field", doc, len);
                if (doc[i] == '"') {
                    if (i + 1 < len && doc[i + 1] == '"') {
                        field[f++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                field[f++] = doc[i];
                i++;
            }
            if (i < len && doc[i] != ',' && doc[i] != '\r' && doc[i] != '\n')
                fail("csv: text after a closing quote", doc + i, len - i);
        } else {
            while (i < len && doc[i] != ',' && doc[i] != '\r' && doc[i] != '\n') {
                if (doc[i] == '"')
                    fail("csv: a quote inside an unquoted field", doc, len);
                field[f++] = doc[i];
                i++;
            }
        }
        field[f] = '\0';
        fields++;
        if (f > 0 && strchr("=+-@\t\r", field[0]) != NULL)
            fail("csv: a field starts a spreadsheet formula", field, f);
        if (title != NULL && (strcmp(field, title) == 0 ||
                              (field[0] == '\'' && strcmp(field + 1, title) == 0)))
            found = true;
        if (i >= len || doc[i] == '\r' || doc[i] == '\n') {
            if (i < len && doc[i] == '\r') {
                if (i + 1 >= len || doc[i + 1] != '\n')
                    fail("csv: a bare CR ends a record", doc, len);
                i++;
            }
            if (i < len)
                i++;
            if (n_records == 0)
                header_fields = fields;
            else if (fields != header_fields)
                fail("csv: a record with a different field count", doc, len);
            n_records++;
            fields = 0;
        } else {
            i++; /* the comma */
            if (i == len)
                fail("csv: ends with a comma", doc, len);
        }
    }
    if (n_records == 0)
        fail("csv: no header", doc, len);
    free(field);
    *records = n_records - 1;
    return found;
}

/* ---- the schedule ------------------------------------------------------------- */

static const char *const g_other_hosts[] = {NULL, "Zoé"};

/*
 * The schedule publication would give: n_sessions sessions of which T0
 * (title f[0], theme f[1], host f[5]) in room R0 (name and link f[2]) and
 * slot S0 (label f[3]), or with no room or slot details when bare; T1 (title
 * f[1], theme f[0], hosts f[5] and another) in R1/S0, cancelled when asked;
 * T2 (a formula for a title, no theme, no hosts) in R0/S1.
 */
static void build(struct export_session *v, const char *const *f, int n_sessions,
                  bool bare, bool t1_cancelled, long seated, const char **hosts1)
{
    memset(v, 0, 3 * sizeof(*v));
    v[0].id = v[0].topic = "T0";
    v[0].group = 1;
    v[0].kind = "forum";
    v[0].title = f[0];
    v[0].theme = f[1];
    v[0].hosts = &f[5];
    v[0].n_hosts = 1;
    v[0].seated = seated;
    if (!bare) {
        v[0].room = "R0";
        v[0].room_name = f[2];
        v[0].room_url = f[2];
        v[0].slot = "S0";
        v[0].slot_label = f[3];
        v[0].starts_at = "2025-09-18T07:00:00Z";
        v[0].ends_at = "2025-09-18T08:00:00Z";
    }
    hosts1[0] = f[5];
    hosts1[1] = g_other_hosts[1];
    v[1].id = "T1-2";
    v[1].topic = "T1";
    v[1].group = 2;
    v[1].kind = "groups";
    v[1].block = f[3];
    v[1].title = f[1];
    v[1].summary = f[0];
    v[1].theme = f[0];
    v[1].hosts = hosts1;
    v[1].n_hosts = 2;
    v[1].room = "R1";
    v[1].room_name = "Salle \"B\"; 2e";
    v[1].slot = "S0";
    v[1].slot_label = f[3];
    v[1].starts_at = "2025-09-18T07:00:00Z";
    v[1].ends_at = "2025-09-18T08:00:00Z";
    v[1].seated = 3;
    v[1].sequence = 2;
    v[1].cancelled = t1_cancelled;
    v[2].id = v[2].topic = "T2";
    v[2].group = 1;
    v[2].kind = "forum";
    v[2].title = "=SUM(A1:A2)";
    v[2].room = "R0";
    v[2].room_name = f[2];
    v[2].slot = "S1";
    v[2].slot_label = "Après-midi, 14 h";
    v[2].starts_at = "2025-09-18T12:00:00Z";
    v[2].ends_at = "2025-09-18T13:00:00Z";
    (void)n_sessions;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char empty[] = "";
    const char *field[N_FIELDS] = {empty, empty, empty, empty, empty, empty};
    char *copy[N_FIELDS] = {NULL};
    size_t flen[N_FIELDS] = {0};
    const char *s = (const char *)data, *end = s + size;
    const unsigned char *extra = NULL;
    size_t n_extra = 0, ics_len, csv_len, vevents, records, kept = 0, csv_records;
    int n = 0, n_sessions, only_mode;
    bool bare, t1_cancelled, t0_kept, in_ics, in_csv;
    struct export_session all[3], kept_v[3];
    struct export_schedule sc;
    const char *hosts1[2];
    char *ics, *csv, *summary;

    if (size > N_FIELDS * FIELD_MAX)
        return 0;
    while (n < N_FIELDS && s <= end) {
        const char *z = memchr(s, '\0', (size_t)(end - s));
        flen[n] = z != NULL ? (size_t)(z - s) : (size_t)(end - s);
        /* A copy of its own, so that ASan sees any read past its end. */
        copy[n] = xmalloc(flen[n] + 1);
        memcpy(copy[n], s, flen[n]);
        copy[n][flen[n]] = '\0';
        field[n] = copy[n];
        n++;
        if (z == NULL)
            break;
        s = z + 1;
        if (n == N_FIELDS) {
            extra = (const unsigned char *)s;
            n_extra = (size_t)(end - s);
        }
    }
    n_sessions = n_extra > 0 ? 1 + extra[0] % 3 : 1;
    only_mode = n_extra > 0 ? (extra[0] >> 2) & 3 : 0;
    bare = n_extra > 0 && (extra[0] & 0x10) != 0;
    t1_cancelled = n_extra > 0 && (extra[0] & 0x20) != 0;
    build(all, field, n_sessions, bare, t1_cancelled,
          n_extra > 1 ? (long)extra[1] - 1 : 2, hosts1);

    /* Which sessions the calendar keeps: all; T0; all but T0; none. */
    for (int i = 0; i < n_sessions; i++)
        if (only_mode == 0 || (only_mode == 1 && i == 0) || (only_mode == 2 && i > 0))
            kept_v[kept++] = all[i];
    t0_kept = only_mode <= 1;
    csv_records = (size_t)n_sessions - (n_sessions > 1 && t1_cancelled ? 1 : 0);

    sc.timezone = NULL;
    sc.event_id = "E1";
    sc.name = field[4];
    sc.published_at = "2025-09-18T06:30:00Z";
    sc.sessions = kept_v;
    sc.n_sessions = kept;
    ics = export_ics(&sc, &ics_len);
    sc.sessions = all;
    sc.n_sessions = (size_t)n_sessions;
    csv = export_csv(&sc, &csv_len);
    g_inputs++;
    if (ics == NULL || strlen(ics) != ics_len)
        fail("ics: the length is wrong", ics, ics_len);
    if (csv == NULL || strlen(csv) != csv_len)
        fail("csv: the length is wrong", csv, csv_len);

    summary = expected_summary(field[0]);
    in_ics = check_ics(ics, ics_len, summary[0] != '\0' ? summary : NULL, &vevents);
    in_csv = check_csv(csv, csv_len, field[0][0] != '\0' ? field[0] : NULL, &records);
    if (vevents != kept)
        fail("ics: not one VEVENT per session kept", ics, ics_len);
    if (records != csv_records)
        fail("csv: not one record per session that is not cancelled", csv, csv_len);
    /* The title must come back from both exports. */
    if (summary[0] != '\0' && t0_kept && !in_ics)
        fail("ics: the title is not in any SUMMARY", ics, ics_len);
    if (field[0][0] != '\0' && !in_csv)
        fail("csv: the title is not in any field", csv, csv_len);
    /* A link that is not a clean http(s) URL never becomes a URL property. */
    if (strstr(ics, "\r\nURL:") != NULL && strncmp(field[2], "http://", 7) != 0 &&
        strncmp(field[2], "https://", 8) != 0)
        fail("ics: a URL property from a link that is not http(s)", ics, ics_len);
    g_ics_titles += in_ics;
    g_csv_titles += in_csv;

    free(summary);
    free(ics);
    free(csv);
    for (int i = 0; i < n; i++)
        free(copy[i]);
    return 0;
}
