/* SPDX-License-Identifier: MIT */
/*
 * Strict JSON input: content type, duplicate keys, depth, then typed field
 * getters that fill the 422 answer naming the field at fault.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "forum/util/clock.h"
#include "internal.h"

static size_t depth(const json_t *v)
{
    size_t d = 0, i;
    const char *k;
    json_t *x;

    if (json_is_object(v)) {
        json_object_foreach((json_t *)(uintptr_t)v, k, x)
        {
            size_t dx = depth(x);
            if (dx > d)
                d = dx;
        }
        return d + 1;
    }
    if (json_is_array(v)) {
        json_array_foreach(v, i, x)
        {
            size_t dx = depth(x);
            if (dx > d)
                d = dx;
        }
        return d + 1;
    }
    return 0;
}

static bool json_type_ok(const char *ct)
{
    size_t n = strlen("application/json");

    if (ct == NULL || strncasecmp(ct, "application/json", n) != 0)
        return false;
    return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

bool api__parse_body(struct api_ctx *c)
{
    json_error_t jerr;

    if (c->req->body == NULL || c->req->body_len == 0) {
        c->body = json_object();
        return true;
    }
    if (!json_type_ok(c->req->content_type)) {
        api__error(c, 415, "unsupported_media_type", NULL,
                   "send the body as application/json");
        return false;
    }
    c->body = json_loadb(c->req->body, c->req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (c->body == NULL) {
        if (strstr(jerr.text, "too big") != NULL)
            api__error(c, 422, "out_of_range", NULL, "a number is too big: %s",
                       jerr.text);
        else if (strstr(jerr.text, "duplicate") != NULL)
            api__error(c, 400, "duplicate_key", NULL, "%s", jerr.text);
        else if (strstr(jerr.text, "depth") != NULL)
            api__error(c, 400, "too_deep", NULL, "the body is nested too deep");
        else
            api__error(c, 400, "malformed_json", NULL, "%s at line %d column %d",
                       jerr.text, jerr.line, jerr.column);
        return false;
    }
    if (depth(c->body) > API_JSON_DEPTH) {
        api__error(c, 400, "too_deep", NULL, "the body is nested deeper than %d levels",
                   API_JSON_DEPTH);
        return false;
    }
    if (!json_is_object(c->body)) {
        api__error(c, 422, "wrong_type", NULL, "the body must be a JSON object");
        return false;
    }
    return true;
}

bool api__only_keys(struct api_ctx *c, const char *const *keys)
{
    const char *k;
    json_t *v;

    json_object_foreach(c->body, k, v)
    {
        bool known = false;
        (void)v;
        for (size_t i = 0; keys[i] != NULL && !known; i++)
            known = strcmp(keys[i], k) == 0;
        if (!known) {
            api__error(c, 422, "unknown_field", k, "unknown field");
            return false;
        }
    }
    return true;
}

size_t api__chars(const char *s)
{
    size_t n = 0;

    /* jansson hands over valid UTF-8 only: count every byte that starts a
     * character (continuation bytes are 10xxxxxx). */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

bool api__text_ok(const char *s, size_t max, bool multiline)
{
    if (api__chars(s) > max)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == 0x7f)
            return false;
        if (*p < 0x20 && !(multiline && (*p == '\n' || *p == '\t' || *p == '\r')))
            return false;
    }
    return true;
}

bool api__url_ok(const char *s)
{
    size_t scheme = strncmp(s, "https://", 8) == 0  ? 8
                    : strncmp(s, "http://", 7) == 0 ? 7
                                                    : 0;

    if (scheme == 0 || strlen(s) > API_URL_MAX)
        return false;
    /* A host: at least one character before any path, query or fragment. */
    if (s[scheme] == '\0' || strchr("/?#@:", s[scheme]) != NULL)
        return false;
    /* Printable ASCII, no space, nothing HTML or a calendar would take apart. */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f || strchr("\"<>\\^`{|}", *p) != NULL)
            return false;
    return true;
}

static json_t *field(struct api_ctx *c, const char *key, bool required, bool *present)
{
    json_t *v = json_object_get(c->body, key);

    if (present != NULL)
        *present = v != NULL;
    if (v == NULL && required)
        api__error(c, 422, "missing", key, "this field is required");
    return v;
}

bool api__get_string(struct api_ctx *c, const char *key, bool required, size_t max,
                     bool multiline, const char **out, bool *present)
{
    json_t *v = field(c, key, required, present);

    if (v == NULL)
        return !required;
    if (json_is_null(v) && !required) {
        *out = NULL;
        return true;
    }
    if (!json_is_string(v)) {
        api__error(c, 422, "wrong_type", key, "this field must be a string");
        return false;
    }
    if (api__chars(json_string_value(v)) > max) {
        api__error(c, 422, "too_long", key, "at most %zu characters", max);
        return false;
    }
    if (!api__text_ok(json_string_value(v), max, multiline)) {
        api__error(c, 422, "invalid", key, "control characters are not allowed here");
        return false;
    }
    if (required && json_string_length(v) == 0) {
        api__error(c, 422, "empty", key, "this field cannot be empty");
        return false;
    }
    *out = json_string_value(v);
    return true;
}

bool api__get_int(struct api_ctx *c, const char *key, bool required, long min, long max,
                  long *out, bool *present)
{
    json_t *v = field(c, key, required, present);
    json_int_t x;

    if (v == NULL)
        return !required;
    if (!json_is_integer(v)) {
        api__error(c, 422, "wrong_type", key, "this field must be an integer");
        return false;
    }
    x = json_integer_value(v);
    if (x < min || x > max) {
        api__error(c, 422, "out_of_range", key, "must be between %ld and %ld", min, max);
        return false;
    }
    *out = (long)x;
    return true;
}

bool api__get_bool(struct api_ctx *c, const char *key, bool *out, bool *present)
{
    json_t *v = field(c, key, false, present);

    if (v == NULL)
        return true;
    if (!json_is_boolean(v)) {
        api__error(c, 422, "wrong_type", key, "this field must be true or false");
        return false;
    }
    *out = json_is_true(v);
    return true;
}

bool api__get_strv(struct api_ctx *c, const char *key, size_t max_items, size_t max_len,
                   struct store_strv *out, bool *present)
{
    json_t *v = field(c, key, false, present), *x;
    size_t i;

    if (v == NULL)
        return true;
    if (!json_is_array(v)) {
        api__error(c, 422, "wrong_type", key, "this field must be an array of strings");
        return false;
    }
    if (json_array_size(v) > max_items) {
        api__error(c, 422, "too_many", key, "at most %zu items", max_items);
        return false;
    }
    json_array_foreach(v, i, x)
    {
        if (!json_is_string(x) || json_string_length(x) == 0) {
            api__error(c, 422, "wrong_type", key, "item %zu must be a non-empty string",
                       i);
            return false;
        }
        if (api__chars(json_string_value(x)) > max_len) {
            api__error(c, 422, "too_long", key, "item %zu: at most %zu characters", i,
                       max_len);
            return false;
        }
        if (!api__text_ok(json_string_value(x), max_len, false)) {
            api__error(c, 422, "invalid", key,
                       "item %zu: one line, no control characters", i);
            return false;
        }
    }
    store_strv_release(out);
    json_array_foreach(v, i, x) store_strv_push(out, json_string_value(x));
    return true;
}

bool api__time_parse(const char *s, char *out)
{
    time_t t;

    if (!forum_clock_parse(s, &t))
        return false;
    forum_clock_format(t, out);
    return true;
}

long long api__time_epoch(const char *utc)
{
    time_t t;

    return forum_clock_parse(utc, &t) ? (long long)t : 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool api__query_param(const char *query, const char *name, char *out, size_t cap,
                      bool *too_long)
{
    size_t n = strlen(name);

    *too_long = false;
    for (const char *p = query; p != NULL && *p;
         p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
        const char *v, *end;
        size_t o = 0;

        if (strncmp(p, name, n) != 0 || p[n] != '=')
            continue;
        v = p + n + 1;
        end = strchr(v, '&');
        if (end == NULL)
            end = v + strlen(v);
        /* Percent-decoded as URLSearchParams writes it; a malformed escape
         * is kept as it is. */
        for (const char *q = v; q < end; q++) {
            char ch = *q;
            if (ch == '+') {
                ch = ' ';
            } else if (ch == '%' && end - q >= 3 && hex_value(q[1]) >= 0 &&
                       hex_value(q[2]) >= 0) {
                ch = (char)(hex_value(q[1]) * 16 + hex_value(q[2]));
                q += 2;
            }
            if (o + 1 >= cap || ch == '\0') {
                *too_long = true;
                break;
            }
            out[o++] = ch;
        }
        out[o] = '\0';
        return true;
    }
    return false;
}
