/* SPDX-License-Identifier: MIT */
/*
 * The proceedings ("le livre des actes"), built live from the latest
 * published version and every session's notes: ordered by block, slot and
 * theme, sessions no longer in the programme that have notes at the end,
 * as JSON for the page (/e/{eid}/proceedings) and as one Markdown document
 * (the export writer, in the event's language or ?lang=).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "forum/export.h"
#include "forum/util/mem.h"
#include "forum/util/tz.h"
#include "internal.h"

/* One session of the proceedings. */
struct item {
    const struct store_schedule *sc; /* its version */
    const struct store_session *x;   /* borrowed from sc */
    const struct store_notes *notes; /* or NULL */
    bool other;                      /* no longer in the programme */
    size_t block_pos;                /* its block's place in the day */
};

struct book {
    struct store_schedule latest;
    struct store_schedule *older; /* versions that hold the others' last rows */
    size_t n_older;
    struct store_notes *notes;
    long *last_version; /* per notes: the version that last held it if not the latest */
    size_t n_notes;
    struct store_presence *present;
    size_t n_present;
    struct item *items;
    size_t n_items;
};

static void book_release(struct book *b)
{
    store_schedule_release(&b->latest);
    for (size_t i = 0; i < b->n_older; i++)
        store_schedule_release(&b->older[i]);
    free(b->older);
    store_notes_free(b->notes, b->n_notes);
    free(b->last_version);
    store_presences_free(b->present, b->n_present);
    free(b->items);
    memset(b, 0, sizeof(*b));
}

static const struct store_notes *notes_of(const struct book *b, const char *sid)
{
    for (size_t i = 0; i < b->n_notes; i++)
        if (strcmp(b->notes[i].session_id, sid) == 0)
            return &b->notes[i];
    return NULL;
}

static size_t block_pos(const struct store_schedule *sc, const char *bid)
{
    for (size_t i = 0; bid != NULL && i < sc->n_blocks; i++)
        if (strcmp(sc->blocks[i].id, bid) == 0)
            return i;
    return sc->n_blocks;
}

static void add_item(struct book *b, const struct store_schedule *sc,
                     const struct store_session *x, bool other)
{
    struct item *it;

    b->items = forum_xrealloc(b->items, (b->n_items + 1) * sizeof(*b->items));
    it = &b->items[b->n_items++];
    it->sc = sc;
    it->x = x;
    it->notes = notes_of(b, x->id);
    it->other = other;
    it->block_pos = other ? 0 : block_pos(sc, x->block_id);
}

/* By section (others last), block, start, theme, title, group. */
static int item_cmp(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    int d;

    if (a->other != b->other)
        return a->other ? 1 : -1;
    if (a->block_pos != b->block_pos)
        return a->block_pos < b->block_pos ? -1 : 1;
    if ((d = strcmp(a->x->starts_at, b->x->starts_at)) != 0)
        return d;
    if ((d = strcasecmp(a->x->theme ? a->x->theme : "",
                        b->x->theme ? b->x->theme : "")) != 0)
        return d;
    if ((d = strcasecmp(a->x->title, b->x->title)) != 0)
        return d;
    if (a->x->group != b->x->group)
        return a->x->group < b->x->group ? -1 : 1;
    return strcmp(a->x->id, b->x->id);
}

/*
 * Reads everything in one snapshot: the latest version, every session's
 * notes and who was there, and the version in which each session with notes
 * that is no longer in the programme was last published.
 */
static enum forum_status book_load(struct api_ctx *c, struct book *b,
                                   struct forum_error *err)
{
    const char *eid = CTX_EID(c);
    enum forum_status rc;

    memset(b, 0, sizeof(*b));
    rc = store_read_begin(c->store, err);
    if (rc != FORUM_OK)
        return rc;
    rc = store_schedule_get(c->store, eid, 0, NULL, STORE_SCHEDULE_GRID, &b->latest, err);
    if (rc == FORUM_OK)
        rc = store_notes_list(c->store, eid, &b->notes, &b->n_notes, err);
    if (rc == FORUM_OK)
        rc = store_presence_list(c->store, eid, NULL, &b->present, &b->n_present, err);
    /* Sessions with notes that the latest version no longer holds. */
    if (rc == FORUM_OK)
        b->last_version = forum_xcalloc(b->n_notes + 1, sizeof(*b->last_version));
    for (size_t i = 0; rc == FORUM_OK && i < b->n_notes; i++) {
        const char *sid = b->notes[i].session_id;
        long version;
        bool loaded = false;

        if (api__by_id(b->latest.sessions, b->latest.n_sessions,
                       sizeof(*b->latest.sessions), sid) != NULL)
            continue;
        rc = store_session_last_version(c->store, eid, sid, &version, err);
        if (rc == FORUM_ENOTFOUND) { /* notes of nothing published: not shown */
            forum_error_clear(err);
            rc = FORUM_OK;
            continue;
        }
        b->last_version[i] = version;
        for (size_t k = 0; rc == FORUM_OK && k < b->n_older; k++)
            loaded = loaded || b->older[k].version == version;
        if (rc == FORUM_OK && !loaded) {
            b->older = forum_xrealloc(b->older, (b->n_older + 1) * sizeof(*b->older));
            rc = store_schedule_get(c->store, eid, version, NULL, STORE_SCHEDULE_GRID,
                                    &b->older[b->n_older], err);
            if (rc == FORUM_OK)
                b->n_older++;
        }
    }
    store_read_end(c->store);
    if (rc != FORUM_OK)
        return rc;
    /* The items point into the schedules: made once the arrays stop moving. */
    for (size_t i = 0; i < b->latest.n_sessions; i++) {
        const struct store_session *x = &b->latest.sessions[i];
        /* A break has no notes to speak of, unless someone wrote some. */
        if (strcmp(x->kind, "break") == 0 && notes_of(b, x->id) == NULL)
            continue;
        add_item(b, &b->latest, x, false);
    }
    for (size_t i = 0; i < b->n_notes; i++) {
        for (size_t k = 0; b->last_version[i] > 0 && k < b->n_older; k++) {
            const struct store_schedule *sc = &b->older[k];
            const struct store_session *x;
            if (sc->version != b->last_version[i])
                continue;
            x = api__by_id(sc->sessions, sc->n_sessions, sizeof(*sc->sessions),
                           b->notes[i].session_id);
            if (x != NULL)
                add_item(b, sc, x, true);
        }
    }
    if (b->n_items > 1)
        qsort(b->items, b->n_items, sizeof(*b->items), item_cmp);
    return FORUM_OK;
}

/* Loads the book for a reader; false after answering (401/403, 404
 * not_published, or the store's failure). */
static bool book_answer(struct api_ctx *c, struct book *b)
{
    struct forum_error err;
    enum forum_status rc;

    if (!api__notes_readable(c))
        return false;
    forum_error_clear(&err);
    rc = book_load(c, b, &err);
    if (rc == FORUM_ENOTFOUND) {
        api__error(c, 404, "not_published", NULL, "no schedule is published yet");
        return false;
    }
    return !api__failed(c, rc, &err);
}

/* The first start and the last end of sc's slots (NULL without slots). */
static void span_of(const struct store_schedule *sc, const char **from, const char **to)
{
    *from = *to = NULL;
    for (size_t i = 0; i < sc->n_slots; i++) {
        if (*from == NULL || strcmp(sc->slots[i].starts_at, *from) < 0)
            *from = sc->slots[i].starts_at;
        if (*to == NULL || strcmp(sc->slots[i].ends_at, *to) > 0)
            *to = sc->slots[i].ends_at;
    }
}

/* ---- JSON ----------------------------------------------------------------------------
 */

static json_t *item_json(const struct book *b, const struct item *it)
{
    json_t *o = api__session_json(it->sc, it->x);

    json_object_set_new(o, "notes",
                        it->notes != NULL ? api__notes_json(it->notes) : json_null());
    json_object_set_new(o, "present",
                        api__present_json(b->present, b->n_present, it->x->id));
    return o;
}

void api__proceedings_json(struct api_ctx *c)
{
    struct book b;
    json_t *doc, *ev, *blocks, *group = NULL, *others;
    const char *from, *to;
    char now[21];
    size_t pos = (size_t)-1;

    if (!book_answer(c, &b))
        return;
    store_now(now);
    span_of(&b.latest, &from, &to);
    ev = json_object();
    json_object_set_new(ev, "id", json_string(c->event.id));
    json_object_set_new(ev, "name", json_string(c->event.name));
    json_object_set_new(ev, "timezone", json_string(c->event.timezone));
    json_object_set_new(ev, "locale", json_string(c->event.locale));
    json_object_set_new(ev, "starts_at", from ? json_string(from) : json_null());
    json_object_set_new(ev, "ends_at", to ? json_string(to) : json_null());
    doc = json_object();
    json_object_set_new(doc, "event", ev);
    json_object_set_new(doc, "version", json_integer(b.latest.version));
    json_object_set_new(doc, "published_at", json_string(b.latest.published_at));
    json_object_set_new(doc, "generated_at", json_string(now));
    json_object_set_new(doc, "public", json_boolean(c->event.proceedings_public));
    blocks = json_array();
    others = json_array();
    for (size_t i = 0; i < b.n_items; i++) {
        const struct item *it = &b.items[i];
        if (it->other) {
            json_array_append_new(others, item_json(&b, it));
            continue;
        }
        if (group == NULL || it->block_pos != pos) {
            const struct store_version_block *blk = it->block_pos < b.latest.n_blocks
                                                        ? &b.latest.blocks[it->block_pos]
                                                        : NULL;
            json_t *g = json_object();
            json_object_set_new(g, "id", blk ? json_string(blk->id) : json_null());
            json_object_set_new(g, "name", json_string(blk ? blk->name : ""));
            json_object_set_new(g, "kind", blk ? json_string(blk->kind) : json_null());
            json_object_set_new(g, "title", json_string(blk ? blk->title : ""));
            group = json_array();
            json_object_set_new(g, "sessions", group);
            json_array_append_new(blocks, g);
            pos = it->block_pos;
        }
        json_array_append_new(group, item_json(&b, it));
    }
    json_object_set_new(doc, "blocks", blocks);
    json_object_set_new(doc, "others", others);
    book_release(&b);
    api__json(c, 200, doc);
    api_response_add_header(c->resp, "Cache-Control", "no-store");
}

/* ---- Markdown
 * -------------------------------------------------------------------------- */

struct lang {
    const char *code;
    const char *days[7]; /* Sunday first, as struct tm */
    const char *months[12];
    struct export_words words;
};

static const struct lang langs[] = {
    {"fr",
     {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
     {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
      "septembre", "octobre", "novembre", "décembre"},
     {"Sommaire", "Animé par", "Présent·es", "Points clés", "Propositions et suites",
      "Suivi : qui, et comment le joindre", "Pas encore de compte rendu.", "En ligne",
      "Autres comptes rendus (séances qui ne sont plus au programme)"}},
    {"en",
     {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
     {"January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"},
     {"Contents", "Hosted by", "Who came", "Key points", "Proposals and next steps",
      "Follow-up: who, and how to reach them", "No notes yet.", "Online",
      "Other notes (sessions no longer in the programme)"}},
};

/* The wall-clock time of the UTC time utc in zone z, as a struct tm. */
static struct tm local_tm(const struct tz *z, const char *utc)
{
    long long t = api__time_epoch(utc);
    time_t local = (time_t)(t + (z != NULL ? tz_offset(z, t) : 0));
    struct tm tm;

    gmtime_r(&local, &tm);
    return tm;
}

/* "jeudi 18 septembre 2025, 14:00–15:30" (another end day written out). */
static void when_of(const struct lang *l, const struct tz *z, const char *from,
                    const char *to, char *out, size_t n)
{
    struct tm a = local_tm(z, from), b = local_tm(z, to);
    const char *comma = ",";

    if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday)
        snprintf(out, n, "%s %d %s %d%s %02d:%02d\xE2\x80\x93%02d:%02d",
                 l->days[a.tm_wday], a.tm_mday, l->months[a.tm_mon], a.tm_year + 1900,
                 comma, a.tm_hour, a.tm_min, b.tm_hour, b.tm_min);
    else
        snprintf(out, n, "%s %d %s %d%s %02d:%02d \xE2\x80\x93 %s %d %s %d%s %02d:%02d",
                 l->days[a.tm_wday], a.tm_mday, l->months[a.tm_mon], a.tm_year + 1900,
                 comma, a.tm_hour, a.tm_min, l->days[b.tm_wday], b.tm_mday,
                 l->months[b.tm_mon], b.tm_year + 1900, comma, b.tm_hour, b.tm_min);
}

/* "18 septembre 2025", "18–19 septembre 2025", "30 septembre – 2 octobre 2025". */
static void dates_of(const struct lang *l, const struct tz *z, const char *from,
                     const char *to, char *out, size_t n)
{
    struct tm a = local_tm(z, from), b = local_tm(z, to);

    if (a.tm_year != b.tm_year)
        snprintf(out, n, "%d %s %d \xE2\x80\x93 %d %s %d", a.tm_mday, l->months[a.tm_mon],
                 a.tm_year + 1900, b.tm_mday, l->months[b.tm_mon], b.tm_year + 1900);
    else if (a.tm_mon != b.tm_mon)
        snprintf(out, n, "%d %s \xE2\x80\x93 %d %s %d", a.tm_mday, l->months[a.tm_mon],
                 b.tm_mday, l->months[b.tm_mon], b.tm_year + 1900);
    else if (a.tm_mday != b.tm_mday)
        snprintf(out, n, "%d\xE2\x80\x93%d %s %d", a.tm_mday, b.tm_mday,
                 l->months[a.tm_mon], a.tm_year + 1900);
    else
        snprintf(out, n, "%d %s %d", a.tm_mday, l->months[a.tm_mon], a.tm_year + 1900);
}

static const struct lang *lang_of(struct api_ctx *c)
{
    char q[8];
    bool too_long;
    const char *want = c->event.locale;

    if (api__query_param(c->req->query, "lang", q, sizeof(q), &too_long) && !too_long)
        want = q;
    for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++)
        if (want != NULL && strncmp(want, langs[i].code, 2) == 0)
            return &langs[i];
    return &langs[1];
}

void api__proceedings_md(struct api_ctx *c)
{
    const struct lang *l = lang_of(c);
    struct book b;
    struct tz *z = NULL;
    struct api_export_view view;
    struct export_report *rs;
    char **whens;
    const char ***present;
    struct export_proceedings p;
    char dates[160] = "", disposition[128];
    const char *from, *to;
    char *text;
    size_t len;

    if (!book_answer(c, &b))
        return;
    /* Times on the event's wall clock; a zone this machine lacks reads as UTC. */
    if (tz_load(c->event.timezone, &z, NULL) != FORUM_OK)
        z = NULL;
    api__view_init(&view, b.n_items);
    rs = forum_xcalloc(b.n_items + 1, sizeof(*rs));
    whens = forum_xcalloc(b.n_items + 1, sizeof(*whens));
    present = forum_xcalloc(b.n_items + 1, sizeof(*present));
    for (size_t i = 0; i < b.n_items; i++) {
        const struct item *it = &b.items[i];
        size_t np = 0;

        /* Where and who, as the calendars say it (a group's title with its number). */
        api__view_add(&view, it->sc, it->x, l->code, false);
        whens[i] = forum_xmalloc(160);
        when_of(l, z, it->x->starts_at, it->x->ends_at, whens[i], 160);
        present[i] = forum_xcalloc(b.n_present + 1, sizeof(**present));
        for (size_t k = 0; k < b.n_present; k++)
            if (strcmp(b.present[k].session_id, it->x->id) == 0)
                present[i][np++] = b.present[k].name;
        rs[i].session = &view.v[i];
        rs[i].when = whens[i];
        rs[i].other = it->other;
        rs[i].present = present[i];
        rs[i].n_present = np;
        rs[i].attendance = it->notes != NULL ? it->notes->attendance : -1;
        if (it->notes != NULL) {
            rs[i].names = it->notes->names;
            rs[i].key_points = it->notes->key_points;
            rs[i].proposals = it->notes->proposals;
            rs[i].follow_up = it->notes->follow_up;
        }
    }
    span_of(&b.latest, &from, &to);
    if (from != NULL)
        dates_of(l, z, from, to, dates, sizeof(dates));
    memset(&p, 0, sizeof(p));
    p.title = c->event.name;
    p.dates = dates;
    p.words = &l->words;
    p.reports = rs;
    p.n_reports = b.n_items;
    text = export_proceedings_md(&p, &len);
    for (size_t i = 0; i < b.n_items; i++) {
        free(whens[i]);
        free(present[i]);
    }
    free(whens);
    free(present);
    free(rs);
    api__view_release(&view);
    tz_free(z);
    book_release(&b);
    api__text(c, 200, "text/markdown; charset=utf-8", text, len);
    snprintf(disposition, sizeof(disposition), "inline; filename=\"%s-proceedings.md\"",
             CTX_EID(c));
    api_response_add_header(c->resp, "Content-Disposition", disposition);
    api_response_add_header(c->resp, "Cache-Control", "no-store");
}
