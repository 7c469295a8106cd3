/* SPDX-License-Identifier: MIT */
/*
 * The published schedule for calendars and spreadsheets: the event's
 * iCalendar and CSV, and a participant's read-only iCalendar feed. The
 * handlers read the session rows of the latest version (and, for the
 * calendars, of the one before, whose sessions that are gone now are sent
 * once more as cancelled); the writers of forum/export.h write the text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forum/export.h"
#include "forum/util/mem.h"
#include "forum/util/tz.h"
#include "internal.h"

void api__view_release(struct api_export_view *view)
{
    for (size_t i = 0; i < view->n; i++)
        free((void *)(uintptr_t)view->v[i].hosts);
    for (size_t i = 0; i < view->n_owned; i++)
        free(view->owned[i]);
    free(view->v);
    free(view->owned);
    memset(view, 0, sizeof(*view));
}

void api__view_init(struct api_export_view *view, size_t cap)
{
    memset(view, 0, sizeof(*view));
    view->v = forum_xcalloc(cap + 1, sizeof(*view->v));
}

static bool has_session(const struct store_schedule *sc, const char *id)
{
    for (size_t i = 0; i < sc->n_sessions; i++)
        if (strcmp(sc->sessions[i].id, id) == 0)
            return true;
    return false;
}

void api__view_add(struct api_export_view *view, const struct store_schedule *sc,
                   const struct store_session *x, const char *locale, bool cancelled)
{
    struct export_session *it = &view->v[view->n++];
    const struct store_version_room *room =
        api__by_id(sc->rooms, sc->n_rooms, sizeof(*sc->rooms), x->room_id);
    const struct store_version_slot *slot =
        api__by_id(sc->slots, sc->n_slots, sizeof(*sc->slots), x->slot_id);
    const struct store_version_block *block =
        api__by_id(sc->blocks, sc->n_blocks, sizeof(*sc->blocks), x->block_id);
    const char **hosts = forum_xcalloc(x->hosts.n + 1, sizeof(*hosts));

    for (size_t h = 0; h < x->hosts.n; h++)
        hosts[h] = x->hosts.v[h];
    memset(it, 0, sizeof(*it));
    it->id = x->id;
    it->topic = x->topic_id ? x->topic_id : "";
    it->group = x->group;
    it->kind = x->kind;
    it->block = block ? block->name : "";
    it->title = x->title;
    if (x->groups > 1) {
        char *s = api__group_title(x->title, x->group, locale);
        view->owned = forum_xrealloc(view->owned, (view->n_owned + 1) * sizeof(char *));
        view->owned[view->n_owned++] = s;
        it->summary = s;
    }
    it->theme = x->theme;
    it->hosts = hosts;
    it->n_hosts = x->hosts.n;
    it->room = x->room_id ? x->room_id : "";
    it->room_name = room ? room->name : "";
    it->room_url = room && room->url ? room->url : "";
    it->slot = x->slot_id;
    it->slot_label = slot ? slot->label : "";
    it->starts_at = x->starts_at;
    it->ends_at = x->ends_at;
    it->seated = x->seats;
    it->sequence = x->sequence + (cancelled ? 1 : 0);
    it->cancelled = cancelled;
}

/* The sessions of cur, then those of prev (the version before, may be NULL)
 * that cur no longer has, as cancelled. */
static void view_build(struct api_export_view *view, const struct store_schedule *cur,
                       const struct store_schedule *prev, const char *locale)
{
    size_t cap = cur->n_sessions + (prev ? prev->n_sessions : 0) + 1;

    api__view_init(view, cap);
    for (size_t i = 0; i < cur->n_sessions; i++)
        api__view_add(view, cur, &cur->sessions[i], locale, false);
    for (size_t i = 0; prev != NULL && i < prev->n_sessions; i++)
        if (!has_session(cur, prev->sessions[i].id))
            api__view_add(view, prev, &prev->sessions[i], locale, true);
}

/*
 * OUT: cur, the latest version (only pid's sessions and those for everyone
 * when pid is not NULL), and prev, the one before it (empty when none).
 * Returns false after answering, unless it is FORUM_ENOTFOUND (nothing
 * published), which it returns through *none.
 */
static bool load_versions(struct api_ctx *c, const char *pid, bool with_prev,
                          struct store_schedule *cur, struct store_schedule *prev,
                          bool *none)
{
    struct forum_error err;
    enum forum_status rc;

    *none = false;
    memset(prev, 0, sizeof(*prev));
    forum_error_clear(&err);
    rc = store_schedule_get(c->store, CTX_EID(c), 0, pid, STORE_SCHEDULE_GRID, cur, &err);
    if (rc == FORUM_ENOTFOUND) {
        *none = true;
        return false;
    }
    if (api__failed(c, rc, &err))
        return false;
    if (with_prev && cur->version > 1) {
        rc = store_schedule_get(c->store, CTX_EID(c), cur->version - 1, pid,
                                STORE_SCHEDULE_GRID, prev, &err);
        if (rc != FORUM_OK) {
            store_schedule_release(cur);
            api__fail(c, rc, &err);
            return false;
        }
    }
    return true;
}

/* Answers the iCalendar of the latest version (pid's part when not NULL). */
static void send_ics(struct api_ctx *c, const char *pid)
{
    struct store_schedule cur, prev;
    struct api_export_view view;
    struct export_schedule sc;
    bool none;
    size_t len;
    char now[21], *text;

    if (!load_versions(c, pid, true, &cur, &prev, &none)) {
        if (!none)
            return;
        /* Nothing published yet: the event's calendar is not there; a
         * person's feed is an empty calendar that the app polls later. */
        if (pid == NULL) {
            api__error(c, 404, "not_published", NULL, "no schedule is published yet");
            return;
        }
        store_now(now);
        sc = (struct export_schedule){
            .event_id = CTX_EID(c), .name = c->event.name, .published_at = now};
        text = export_ics(&sc, &len);
        api__text(c, 200, "text/calendar; charset=utf-8", text, len);
        return;
    }
    view_build(&view, &cur, prev.version > 0 ? &prev : NULL, c->event.locale);
    sc = (struct export_schedule){.event_id = CTX_EID(c),
                                  .name = c->event.name,
                                  .published_at = cur.published_at,
                                  .sessions = view.v,
                                  .n_sessions = view.n};
    text = export_ics(&sc, &len);
    api__view_release(&view);
    store_schedule_release(&prev);
    store_schedule_release(&cur);
    api__text(c, 200, "text/calendar; charset=utf-8", text, len);
}

void api__schedule_ics(struct api_ctx *c)
{
    send_ics(c, NULL);
}

void api__feed_ics(struct api_ctx *c)
{
    char secret[API_PARAM_MAX + 1];
    struct store_principal who;
    struct forum_error err;
    enum forum_status rc;
    size_t n = strlen(c->param[1]);

    snprintf(secret, sizeof(secret), "%s", c->param[1]);
    if (n > 4 && strcmp(secret + n - 4, ".ics") == 0)
        secret[n - 4] = '\0';
    forum_error_clear(&err);
    rc = store_auth_lookup(c->store, secret, &who, &err);
    if (rc == FORUM_ENOTFOUND ||
        (rc == FORUM_OK &&
         (who.role != STORE_ROLE_FEED || strcmp(who.event_id, CTX_EID(c)) != 0))) {
        /* As for tokens: a valid secret is always served, wrong ones are limited. */
        if (api__failures_blocked(c))
            return;
        api__auth_failed(c);
        api__error(c, 404, "not_found", NULL, "no such calendar");
        return;
    }
    if (api__failed(c, rc, &err))
        return;
    send_ics(c, who.participant_id);
}

/* Writes the UTC time utc ("YYYY-MM-DDTHH:MM:SSZ") on the wall clock of z as
 * "YYYY-MM-DD HH:MM" (out: 17 bytes); "" when utc is not such a time. */
static void local_time(const struct tz *z, const char *utc, char *out)
{
    long long t;
    time_t tt;
    struct tm tm;

    out[0] = '\0';
    if (utc == NULL || strlen(utc) != 20)
        return;
    t = api__time_epoch(utc);
    tt = (time_t)(t + tz_offset(z, t));
    if (gmtime_r(&tt, &tm) != NULL)
        strftime(out, 17, "%Y-%m-%d %H:%M", &tm);
}

void api__schedule_csv(struct api_ctx *c)
{
    struct store_schedule cur, prev;
    struct api_export_view view;
    struct export_schedule sc;
    struct tz *z = NULL;
    char(*local)[17] = NULL;
    struct forum_error err;
    bool none;
    size_t len;
    char *text;

    if (!load_versions(c, NULL, false, &cur, &prev, &none)) {
        if (none)
            api__error(c, 404, "not_published", NULL, "no schedule is published yet");
        return;
    }
    view_build(&view, &cur, NULL, c->event.locale);
    sc = (struct export_schedule){.event_id = CTX_EID(c),
                                  .name = c->event.name,
                                  .published_at = cur.published_at,
                                  .sessions = view.v,
                                  .n_sessions = view.n};
    /* People read the CSV in a spreadsheet: times on the event's wall clock. */
    forum_error_clear(&err);
    if (tz_load(c->event.timezone, &z, &err) == FORUM_OK) {
        local = forum_xcalloc(2 * view.n + 1, sizeof(*local));
        for (size_t i = 0; i < view.n; i++) {
            local_time(z, view.v[i].starts_at, local[2 * i]);
            local_time(z, view.v[i].ends_at, local[2 * i + 1]);
            view.v[i].starts_local = local[2 * i];
            view.v[i].ends_local = local[2 * i + 1];
        }
        sc.timezone = c->event.timezone;
    }
    text = export_csv(&sc, &len);
    tz_free(z);
    free(local);
    api__view_release(&view);
    store_schedule_release(&cur);
    api__text(c, 200, "text/csv; charset=utf-8", text, len);
    api_response_add_header(c->resp, "Content-Disposition",
                            "attachment; filename=\"schedule.csv\"");
}
