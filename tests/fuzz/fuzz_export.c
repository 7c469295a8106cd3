/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the iCalendar and CSV exports fed hostile strings.
 * Input: up to six strings separated by NUL bytes: a topic title, its
 * description, a room name, a slot label, the event name and the host's
 * name. Each is sent as a JSON string whose bytes pass through as they are
 * (quotes, backslashes and control characters escaped, invalid UTF-8 not
 * cleaned), the event's draft allocation is published (publishing resolves
 * the current names), and both exports are fetched and checked:
 *
 *   iCalendar (RFC 5545): CRLF line ends only, no line over 75 octets,
 *   continuation lines start with a space or tab and never split a UTF-8
 *   sequence, BEGIN/END balanced inside one VCALENDAR, property names are
 *   [A-Z0-9-], TEXT values escape ',' ';' and '\' and contain no control
 *   characters, and the stored title comes back from the SUMMARY.
 *   CSV (RFC 4180): every record has the header's field count and the
 *   stored title comes back in one field (possibly with a leading "'" added
 *   to defuse spreadsheet formulas).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_client.h"

#define FIELD_MAX 1024
#define N_FIELDS 6

static struct fc_api g_api;
static struct fc_fixture g_fix;
static struct fc_snapshot g_snap;
static char g_alloc_id[FC_ID_MAX]; /* the unpublished draft of the saved state */
static unsigned long g_inputs, g_titles_checked; /* reported at exit */

static void fail(const char *what, const char *detail, size_t len)
{
    fprintf(stderr, "fuzz_export: %s\n---\n%.*s\n---\n", what,
            (int)(len > 2000 ? 2000 : len), detail != NULL ? detail : "");
    abort();
}

static void cleanup(void)
{
    fprintf(stderr,
            "fuzz_export: %lu inputs, %lu with the stored title found in both exports\n",
            g_inputs, g_titles_checked);
    fc_snapshot_release(&g_snap);
    fc_close(&g_api);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char path[512];
    json_t *doc = NULL;

    (void)argc;
    (void)argv;
    fc_set_limits(1000000, 60000000, 60000000);
    if (fc_open(&g_api) != 0)
        abort();
    if (fc_fixture_setup(&g_api, &g_fix) != 0) {
        fprintf(stderr, "fuzz_export: the fixture could not be built (%d steps)\n",
                g_fix.n_ready);
        abort();
    }
    /* Participant 1 wants topic 0 too, so that both topics get a session. */
    snprintf(path, sizeof(path), "/api/v1/events/%s/topics/%s/vote", g_fix.event,
             g_fix.topic[0]);
    if (fc_json(&g_api, API_PUT, path, g_fix.part_token[1], "{\"weight\":3}", NULL) /
            100 !=
        2)
        abort();
    /* One draft, kept unpublished in the saved state: publishing resolves the
     * current names, so each input only publishes it again after its edits. */
    snprintf(path, sizeof(path), "/api/v1/events/%s/allocation", g_fix.event);
    if (fc_json(&g_api, API_POST, path, g_fix.fac_token, "{\"time_limit_ms\":20}",
                &doc) != 200 ||
        fc_id(doc, "id", g_alloc_id) != 0)
        abort();
    json_decref(doc);
    if (fc_snapshot_take(&g_api, &g_snap) != 0 || fc_save(&g_api) != 0)
        abort();
    atexit(cleanup);
    return 0;
}

/* Appends s as a JSON string, escaping only what JSON requires. */
static size_t json_quote(char *out, size_t cap, const char *s, size_t n)
{
    size_t o = 0;

    if (o < cap)
        out[o++] = '"';
    for (size_t i = 0; i < n && o + 7 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20) {
            o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    if (o < cap)
        out[o++] = '"';
    return o;
}

/* PATCHes {"key": value} to path as token; returns the status. */
static int patch_one(const char *path, const char *token, const char *key,
                     const char *val, size_t n)
{
    static char body[FIELD_MAX * 6 + 64];
    size_t o = (size_t)snprintf(body, sizeof(body), "{\"%s\":", key);

    o += json_quote(body + o, sizeof(body) - o - 2, val, n);
    body[o++] = '}';
    body[o] = '\0';
    return fc_json(&g_api, API_PATCH, path, token, body, NULL);
}

static bool is_text_prop(const char *line, size_t name_len)
{
    static const char *const text[] = {"SUMMARY", "DESCRIPTION",  "LOCATION",
                                       "COMMENT", "X-WR-CALNAME", "CATEGORIES"};
    for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++)
        if (strlen(text[i]) == name_len && strncmp(line, text[i], name_len) == 0)
            return true;
    return false;
}

/* Unescapes an RFC 5545 TEXT value into out. */
static void ics_unescape(const char *v, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (v[i] == '\\' && i + 1 < n) {
            i++;
            out[o++] = (v[i] == 'n' || v[i] == 'N') ? '\n' : v[i];
        } else {
            out[o++] = v[i];
        }
    }
    out[o] = '\0';
}

/* Checks the iCalendar document; returns true when the title is a SUMMARY. */
static bool check_ics(const char *doc, size_t len, const char *title)
{
    static char unfolded[API_BODY_MAX * 8], value[FIELD_MAX * 8];
    size_t u = 0, depth = 0, lines = 0;
    bool found = false, in_calendar = false, ended = false;
    const char *p = doc, *end = doc + len;

    if (len < 2 || doc[len - 2] != '\r' || doc[len - 1] != '\n')
        fail("ics: does not end with CRLF", doc, len);
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
            if (u + n > sizeof(unfolded))
                fail("ics: too long to check", doc, len);
            memcpy(unfolded + u, p + 1, n - 1);
            u += n - 1;
        } else {
            if (u + n + 1 > sizeof(unfolded))
                fail("ics: too long to check", doc, len);
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
                ics_unescape(v, vn, value, sizeof(value));
                if (title != NULL && strstr(value, title) != NULL)
                    found = true;
            }
        }
        line = next != NULL ? next + 1 : NULL;
    }
    if (!in_calendar || !ended)
        fail("ics: BEGIN/END:VCALENDAR unbalanced", doc, len);
    return found;
}

/* Checks the CSV document; returns true when a field equals the title. */
static bool check_csv(const char *doc, size_t len, const char *title)
{
    static char field[FIELD_MAX * 8];
    size_t i = 0, header_fields = 0, fields = 0, records = 0;
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
                        if (f + 1 < sizeof(field))
                            field[f++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (f + 1 < sizeof(field))
                    field[f++] = doc[i];
                i++;
            }
            if (i < len && doc[i] != ',' && doc[i] != '\r' && doc[i] != '\n')
                fail("csv: text after a closing quote", doc + i, len - i);
        } else {
            while (i < len && doc[i] != ',' && doc[i] != '\r' && doc[i] != '\n') {
                if (doc[i] == '"')
                    fail("csv: a quote inside an unquoted field", doc, len);
                if (f + 1 < sizeof(field))
                    field[f++] = doc[i];
                i++;
            }
        }
        field[f] = '\0';
        fields++;
        if (title != NULL && title[0] != '\0' &&
            (strcmp(field, title) == 0 ||
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
            if (records == 0)
                header_fields = fields;
            else if (fields != header_fields)
                fail("csv: a record with a different field count", doc, len);
            records++;
            fields = 0;
        } else {
            i++; /* the comma */
            if (i == len)
                fail("csv: ends with a comma", doc, len);
        }
    }
    if (records == 0)
        fail("csv: no header", doc, len);
    return found;
}

/* GETs path anonymously into a fresh copy; returns the status. */
static int get_doc(const char *path, char **out, size_t *len)
{
    struct api_response resp;
    int status;
    const char *bad;

    fc_call(&g_api, API_GET, path, NULL, NULL, NULL, NULL, 0, &resp);
    if ((bad = fc_check_response(&resp, false)) != NULL)
        fail(bad, resp.body, resp.body_len);
    status = resp.status;
    *len = resp.body_len;
    *out = malloc(resp.body_len + 1);
    if (*out == NULL)
        abort();
    if (resp.body_len > 0)
        memcpy(*out, resp.body, resp.body_len);
    (*out)[resp.body_len] = '\0';
    api_response_release(&resp);
    return status;
}

/* The stored title of topic 0 (owned, or NULL) and whether it has a session. */
static char *stored_title(bool *scheduled)
{
    char path[512];
    json_t *topics = NULL, *sched = NULL, *v;
    size_t i;
    char *title = NULL;

    *scheduled = false;
    snprintf(path, sizeof(path), "/api/v1/events/%s/topics", g_fix.event);
    fc_json(&g_api, API_GET, path, NULL, NULL, &topics);
    json_array_foreach(json_is_array(topics) ? topics : json_object_get(topics, "topics"),
                       i, v)
    {
        char id[FC_ID_MAX];
        if (fc_id(v, "id", id) == 0 && strcmp(id, g_fix.topic[0]) == 0 &&
            json_is_string(json_object_get(v, "title")))
            title = strdup(json_string_value(json_object_get(v, "title")));
    }
    snprintf(path, sizeof(path), "/api/v1/events/%s/schedule", g_fix.event);
    fc_json(&g_api, API_GET, path, NULL, NULL, &sched);
    json_array_foreach(json_object_get(sched, "sessions"), i, v)
    {
        char id[FC_ID_MAX];
        if (fc_id(v, "topic", id) == 0 && strcmp(id, g_fix.topic[0]) == 0)
            *scheduled = true;
    }
    json_decref(topics);
    json_decref(sched);
    return title;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *field[N_FIELDS];
    size_t flen[N_FIELDS] = {0};
    char path[512], body[256];
    const char *s = (const char *)data, *end = s + size;
    char *ics = NULL, *csv = NULL, *title;
    size_t ics_len = 0, csv_len = 0;
    bool scheduled;
    int n = 0;

    if (size > N_FIELDS * FIELD_MAX)
        return 0;
    while (n < N_FIELDS && s <= end) {
        const char *z = memchr(s, '\0', (size_t)(end - s));
        field[n] = s;
        flen[n] = z != NULL ? (size_t)(z - s) : (size_t)(end - s);
        n++;
        if (z == NULL)
            break;
        s = z + 1;
    }
    if (fc_reset(&g_api) != 0)
        abort();

    snprintf(path, sizeof(path), "/api/v1/events/%s/topics/%s", g_fix.event,
             g_fix.topic[0]);
    if (n > 0)
        patch_one(path, g_fix.part_token[0], "title", field[0], flen[0]);
    if (n > 1)
        patch_one(path, g_fix.part_token[0], "description", field[1], flen[1]);
    snprintf(path, sizeof(path), "/api/v1/events/%s/rooms/%s", g_fix.event,
             g_fix.room[0]);
    if (n > 2)
        patch_one(path, g_fix.fac_token, "name", field[2], flen[2]);
    snprintf(path, sizeof(path), "/api/v1/events/%s/slots/%s", g_fix.event,
             g_fix.slot[0]);
    if (n > 3)
        patch_one(path, g_fix.fac_token, "label", field[3], flen[3]);
    snprintf(path, sizeof(path), "/api/v1/events/%s", g_fix.event);
    if (n > 4)
        patch_one(path, g_fix.fac_token, "name", field[4], flen[4]);
    snprintf(path, sizeof(path), "/api/v1/events/%s/me", g_fix.event);
    if (n > 5)
        patch_one(path, g_fix.part_token[0], "name", field[5], flen[5]);

    snprintf(path, sizeof(path), "/api/v1/events/%s/schedule/publish", g_fix.event);
    snprintf(body, sizeof(body), "{\"allocation\":\"%s\"}", g_alloc_id);
    if (fc_json(&g_api, API_POST, path, g_fix.fac_token, body, NULL) / 100 != 2) {
        /* Integer ids are sent as integers. */
        snprintf(body, sizeof(body), "{\"allocation\":%s}", g_alloc_id);
        if (fc_json(&g_api, API_POST, path, g_fix.fac_token, body, NULL) / 100 != 2)
            fail("publishing failed", NULL, 0);
    }

    title = stored_title(&scheduled);
    snprintf(path, sizeof(path), "/api/v1/events/%s/schedule.ics", g_fix.event);
    if (get_doc(path, &ics, &ics_len) != 200)
        fail("schedule.ics did not answer 200", ics, ics_len);
    snprintf(path, sizeof(path), "/api/v1/events/%s/schedule.csv", g_fix.event);
    if (get_doc(path, &csv, &csv_len) != 200)
        fail("schedule.csv did not answer 200", csv, csv_len);
    /* A title the API stored and scheduled must come back from both exports. */
    g_inputs++;
    {
        bool in_ics = check_ics(ics, ics_len, title);
        bool in_csv = check_csv(csv, csv_len, title);
        bool expected = scheduled && title != NULL && title[0] != '\0';
        if (expected && !in_ics)
            fail("ics: the scheduled title is not in any SUMMARY", ics, ics_len);
        if (expected && !in_csv)
            fail("csv: the scheduled title is not in any field", csv, csv_len);
        if (expected)
            g_titles_checked++;
    }
    free(title);
    free(ics);
    free(csv);
    return 0;
}
