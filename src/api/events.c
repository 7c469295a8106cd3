/* SPDX-License-Identifier: MIT */
/* Events and join codes. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "forum/util/mem.h"
#include "internal.h"

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
        !api__get_int(c, "max_weight", false, 1, 100, &e->max_weight, NULL) ||
        !api__get_int(c, "vote_budget", false, 0, 10000, &e->vote_budget, NULL) ||
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
        if (code != NULL && (code[0] == '\0' || !charset_ok(code, "-_"))) {
            api__error(c, 422, "invalid", "join_code",
                       "letters, digits, '-' and '_' only (or null for none)");
            return false;
        }
        free(e->join_code);
        e->join_code = code ? forum_xstrdup(code) : NULL;
    }
    return true;
}

void api__event_create(struct api_ctx *c)
{
    struct store_event e;
    char id[STORE_ID_MAX + 1], token[STORE_TOKEN_LEN + 1];
    struct forum_error err;
    enum forum_status rc;
    json_t *doc;

    memset(&e, 0, sizeof(e));
    e.max_weight = 3;
    e.proposals_open = true;
    e.voting_open = true;
    e.timezone = forum_xstrdup("UTC");
    e.locale = forum_xstrdup("fr");
    if (!event_fields(c, &e, true))
        goto out;
    forum_error_clear(&err);
    rc = store_event_create(c->store, &e, id, token, &err);
    if (api__failed(c, rc, &err))
        goto out;
    free(e.id);
    e.id = forum_xstrdup(id);
    doc = event_json(&e, true);
    json_object_set_new(doc, "facilitator_token", json_string(token));
    api__json(c, 201, doc);
out:
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
