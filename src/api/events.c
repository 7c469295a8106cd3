/* SPDX-License-Identifier: MIT */
/* Events and join codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "forum/util/mem.h"
#include "forum/util/tz.h"
#include "internal.h"

/* The largest shift of a copy: ten years either way. */
#define COPY_DAYS_MAX 3660

static json_t *event_json(const struct store_event *e, bool facilitator)
{
    json_t *o = json_object();

    json_object_set_new(o, "id", json_string(e->id));
    json_object_set_new(o, "name", json_string(e->name));
    json_object_set_new(o, "timezone", json_string(e->timezone));
    json_object_set_new(o, "locale", json_string(e->locale));
    json_object_set_new(o, "max_weight", json_integer(e->max_weight));
    json_object_set_new(o, "vote_budget", json_integer(e->vote_budget));
    json_object_set_new(o, "proposals_open", json_boolean(e->proposals_open));
    json_object_set_new(o, "voting_open", json_boolean(e->voting_open));
    json_object_set_new(o, "show_tallies", json_boolean(e->show_tallies));
    json_object_set_new(o, "join_code_required", json_boolean(e->join_code != NULL));
    json_object_set_new(o, "proceedings_public", json_boolean(e->proceedings_public));
    json_object_set_new(o, "published", json_integer(e->published));
    if (facilitator)
        json_object_set_new(o, "join_code",
                            e->join_code ? json_string(e->join_code) : json_null());
    return o;
}

static bool charset_ok(const char *s, const char *extra)
{
    for (const char *p = s; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || strchr(extra, *p) != NULL))
            return false;
    }
    return true;
}

/* A join code: letters, digits, '-' and '_' (NULL: none). False after the 422. */
static bool join_code_ok(struct api_ctx *c, const char *code)
{
    if (code == NULL || (code[0] != '\0' && charset_ok(code, "-_")))
        return true;
    api__error(c, 422, "invalid", "join_code",
               "letters, digits, '-' and '_' only (or null for none)");
    return false;
}

/* An IANA zone name that this machine knows (or UTC). */
static bool timezone_ok(const char *tz)
{
    char path[128];

    if (strcmp(tz, "UTC") == 0)
        return true;
    if (tz[0] == '\0' || tz[0] == '/' || strstr(tz, "..") != NULL ||
        !charset_ok(tz, "_+-/"))
        return false;
    if (access("/usr/share/zoneinfo", F_OK) != 0)
        return true; /* no tz database to check against: the syntax must do */
    snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
    return access(path, R_OK) == 0;
}

/*
 * Reads the event fields of the body over e. Returns false with the
 * response filled. name_required for creation.
 */
static bool event_fields(struct api_ctx *c, struct store_event *e, bool creating)
{
    static const char *const keys[] = {"name",
                                       "timezone",
                                       "locale",
                                       "join_code",
                                       "max_weight",
                                       "vote_budget",
                                       "proposals_open",
                                       "voting_open",
                                       "show_tallies",
                                       "proceedings_public",
                                       NULL};
    const char *name = NULL, *tz = NULL, *locale = NULL, *code = NULL;
    bool has_name, has_tz, has_locale, has_code;

    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "name", creating, API_NAME_MAX, false, &name, &has_name) ||
        !api__get_string(c, "timezone", false, API_TIMEZONE_MAX, false, &tz, &has_tz) ||
        !api__get_string(c, "locale", false, API_LOCALE_MAX, false, &locale,
                         &has_locale) ||
        !api__get_string(c, "join_code", false, API_CODE_MAX, false, &code, &has_code) ||
        !api__get_int(c, "max_weight", false, API_MAX_WEIGHT_MIN, API_MAX_WEIGHT_MAX,
                      &e->max_weight, NULL) ||
        !api__get_int(c, "vote_budget", false, API_VOTE_BUDGET_MIN, API_VOTE_BUDGET_MAX,
                      &e->vote_budget, NULL) ||
        !api__get_bool(c, "proposals_open", &e->proposals_open, NULL) ||
        !api__get_bool(c, "voting_open", &e->voting_open, NULL) ||
        !api__get_bool(c, "show_tallies", &e->show_tallies, NULL) ||
        !api__get_bool(c, "proceedings_public", &e->proceedings_public, NULL))
        return false;
    if (has_name) {
        if (name == NULL || name[0] == '\0') {
            api__error(c, 422, "empty", "name", "this field cannot be empty");
            return false;
        }
        free(e->name);
        e->name = forum_xstrdup(name);
    }
    if (has_tz) {
        if (tz == NULL || !timezone_ok(tz)) {
            api__error(c, 422, "invalid", "timezone", "not a known IANA time zone");
            return false;
        }
        free(e->timezone);
        e->timezone = forum_xstrdup(tz);
    }
    if (has_locale) {
        if (locale == NULL || strlen(locale) < 2 || !charset_ok(locale, "-_")) {
            api__error(c, 422, "invalid", "locale", "a language tag such as fr or en");
            return false;
        }
        free(e->locale);
        e->locale = forum_xstrdup(locale);
    }
    if (has_code) {
        if (!join_code_ok(c, code))
            return false;
        free(e->join_code);
        e->join_code = code ? forum_xstrdup(code) : NULL;
    }
    return true;
}

/* Answers 201 with the new event e (id given) and its facilitator token, or
 * the failure rc. */
static void created(struct api_ctx *c, enum forum_status rc,
                    const struct forum_error *err, struct store_event *e, const char *id,
                    const char *token)
{
    json_t *doc;

    if (api__failed(c, rc, err))
        return;
    free(e->id);
    e->id = forum_xstrdup(id);
    doc = event_json(e, true);
    json_object_set_new(doc, "facilitator_token", json_string(token));
    api__json(c, 201, doc);
}

void api__event_create(struct api_ctx *c)
{
    struct store_event e;
    char id[STORE_ID_MAX + 1], token[STORE_TOKEN_LEN + 1];
    struct forum_error err;
    enum forum_status rc;

    memset(&e, 0, sizeof(e));
    e.max_weight = 3;
    e.proposals_open = true;
    e.voting_open = true;
    e.timezone = forum_xstrdup("UTC");
    e.locale = forum_xstrdup("fr");
    if (event_fields(c, &e, true)) {
        forum_error_clear(&err);
        rc = store_event_create(c->store, &e, id, token, &err);
        created(c, rc, &err, &e, id, token);
    }
    store_event_release(&e);
}

void api__event_get(struct api_ctx *c)
{
    api__json(c, 200, event_json(&c->event, api__is_facilitator(c)));
}

void api__event_patch(struct api_ctx *c)
{
    struct forum_error err;
    enum forum_status rc;

    if (!event_fields(c, &c->event, false))
        return;
    forum_error_clear(&err);
    rc = store_event_update(c->store, &c->event, &err);
    if (api__failed(c, rc, &err))
        return;
    api__json(c, 200, event_json(&c->event, true));
}

void api__join_get(struct api_ctx *c)
{
    char eid[STORE_ID_MAX + 1];
    struct forum_error err;
    enum forum_status rc;
    json_t *doc;

    if (api__failures_blocked(c))
        return;
    forum_error_clear(&err);
    rc = store_event_by_join_code(c->store, c->param[0], eid, &err);
    if (rc == FORUM_ENOTFOUND) {
        api__auth_failed(c);
        api__error(c, 404, "not_found", NULL, "no event has this code");
        return;
    }
    if (api__failed(c, rc, &err))
        return;
    doc = json_object();
    json_object_set_new(doc, "event", json_string(eid));
    api__json(c, 200, doc);
}

void api__event_list(struct api_ctx *c)
{
    struct store_event_info *v;
    size_t n;
    struct forum_error err;
    enum forum_status rc;
    json_t *arr;

    forum_error_clear(&err);
    rc = store_event_list(c->store, &v, &n, &err);
    if (api__failed(c, rc, &err))
        return;
    arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = event_json(&v[i].event, true);
        json_object_set_new(o, "created_at", json_string(v[i].event.created_at));
        json_object_set_new(o, "first_slot",
                            v[i].first_slot ? json_string(v[i].first_slot) : json_null());
        json_object_set_new(o, "participants", json_integer(v[i].participants));
        json_object_set_new(o, "topics", json_integer(v[i].topics));
        json_object_set_new(o, "slots", json_integer(v[i].slots));
        json_object_set_new(o, "rooms", json_integer(v[i].rooms));
        json_array_append_new(arr, o);
    }
    store_event_infos_free(v, n);
    api__json(c, 200, arr);
}

void api__event_delete(struct api_ctx *c)
{
    struct forum_error err;
    enum forum_status rc;

    forum_error_clear(&err);
    rc = store_event_delete(c->store, CTX_EID(c), &err);
    if (api__failed(c, rc, &err))
        return;
    api__cache_drop(c->api, CTX_EID(c));
    api__no_content(c);
}

/* Formats the UTC instant t as "YYYY-MM-DDTHH:MM:SSZ" (out: 21 bytes). */
static void utc_format(long long t, char *out)
{
    time_t tt = (time_t)t;
    struct tm tm;

    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Moves the UTC time *at by days days of wall clock in zone z (same local time). */
static void shift_days(const struct tz *z, char **at, long days)
{
    long long t = api__time_epoch(*at);
    char out[21];

    t = tz_from_local(z, t + tz_offset(z, t) + (long long)days * 86400);
    utc_format(t, out);
    free(*at);
    *at = forum_xstrdup(out);
}

void api__event_copy(struct api_ctx *c)
{
    static const char *const keys[] = {"name", "join_code", "days", NULL};
    const char *name = NULL, *code = NULL;
    long days = 0;
    struct store_event e;
    struct store_slot *slots = NULL;
    size_t n_slots = 0;
    struct tz *z = NULL;
    char id[STORE_ID_MAX + 1], token[STORE_TOKEN_LEN + 1];
    struct forum_error err;
    enum forum_status rc;

    memset(&e, 0, sizeof(e));
    if (!api__only_keys(c, keys) ||
        !api__get_string(c, "name", true, API_NAME_MAX, false, &name, NULL) ||
        !api__get_string(c, "join_code", false, API_CODE_MAX, false, &code, NULL) ||
        !api__get_int(c, "days", false, -COPY_DAYS_MAX, COPY_DAYS_MAX, &days, NULL))
        return;
    if (!join_code_ok(c, code))
        return;
    /* The settings of the source, open again, under the new name. */
    e.name = forum_xstrdup(name);
    e.timezone = forum_xstrdup(c->event.timezone);
    e.locale = forum_xstrdup(c->event.locale);
    e.join_code = code ? forum_xstrdup(code) : NULL;
    e.max_weight = c->event.max_weight;
    e.vote_budget = c->event.vote_budget;
    e.proposals_open = true;
    e.voting_open = true;
    e.show_tallies = c->event.show_tallies;
    forum_error_clear(&err);
    rc = tz_load(c->event.timezone, &z, &err);
    if (rc == FORUM_OK)
        rc = store_slot_list(c->store, CTX_EID(c), &slots, &n_slots, &err);
    for (size_t i = 0; i < n_slots && rc == FORUM_OK; i++) {
        shift_days(z, &slots[i].starts_at, days);
        shift_days(z, &slots[i].ends_at, days);
    }
    if (rc == FORUM_OK)
        rc = store_event_copy(c->store, CTX_EID(c), &e, slots, n_slots, id, token, &err);
    created(c, rc, &err, &e, id, token);
    tz_free(z);
    store_slots_free(slots, n_slots);
    store_event_release(&e);
}

void api__limits(struct api_ctx *c)
{
    json_t *doc = json_object(), *text = json_object(), *num = json_object();

#define RANGE(key, lo, hi) json_object_set_new(num, key, json_pack("[ii]", lo, hi))
    json_object_set_new(text, "event_name", json_integer(API_NAME_MAX));
    json_object_set_new(text, "title", json_integer(API_NAME_MAX));
    json_object_set_new(text, "description", json_integer(API_DESCRIPTION_MAX));
    json_object_set_new(text, "theme", json_integer(API_LABEL_MAX));
    json_object_set_new(text, "room_name", json_integer(API_LABEL_MAX));
    json_object_set_new(text, "slot_label", json_integer(API_LABEL_MAX));
    json_object_set_new(text, "person_name", json_integer(API_LABEL_MAX));
    json_object_set_new(text, "host_name", json_integer(API_LABEL_MAX));
    json_object_set_new(text, "feature", json_integer(API_FEATURE_MAX));
    json_object_set_new(text, "join_code", json_integer(API_CODE_MAX));
    json_object_set_new(text, "notes_names", json_integer(API_NOTES_NAMES_MAX));
    json_object_set_new(text, "notes_key_points", json_integer(API_NOTES_KEY_POINTS_MAX));
    json_object_set_new(text, "notes_proposals", json_integer(API_NOTES_PROPOSALS_MAX));
    json_object_set_new(text, "notes_follow_up", json_integer(API_NOTES_FOLLOW_UP_MAX));
    RANGE("max_weight", API_MAX_WEIGHT_MIN, API_MAX_WEIGHT_MAX);
    RANGE("vote_budget", API_VOTE_BUDGET_MIN, API_VOTE_BUDGET_MAX);
    RANGE("capacity", API_CAPACITY_MIN, API_CAPACITY_MAX);
    RANGE("max_size", API_MAX_SIZE_MIN, API_CAPACITY_MAX);
    RANGE("time_limit_ms", 1, API_TIME_LIMIT_MAX);
    RANGE("vote_minutes", 1, API_VOTE_MINUTES_MAX);
    RANGE("days", -COPY_DAYS_MAX, COPY_DAYS_MAX);
    RANGE("attendance", 0, API_ATTENDANCE_MAX);
#undef RANGE
    json_object_set_new(doc, "chars", text);
    json_object_set_new(doc, "ranges", num);
    json_object_set_new(doc, "features", json_integer(API_FEATURES_MAX));
    json_object_set_new(doc, "unavailable", json_integer(API_UNAVAILABLE_MAX));
    json_object_set_new(doc, "time_limit_default", json_integer(API_TIME_LIMIT_DEFAULT));
    api__json(c, 200, doc);
}

void api__event_facilitator(struct api_ctx *c)
{
    char token[STORE_TOKEN_LEN + 1];
    struct forum_error err;
    enum forum_status rc;
    json_t *doc;

    if (!api__only_keys(c, (const char *const[]){NULL}))
        return;
    forum_error_clear(&err);
    rc = store_event_new_facilitator(c->store, CTX_EID(c), token, &err);
    if (api__failed(c, rc, &err))
        return;
    doc = json_object();
    json_object_set_new(doc, "event", json_string(CTX_EID(c)));
    json_object_set_new(doc, "facilitator_token", json_string(token));
    api__json(c, 201, doc);
}
