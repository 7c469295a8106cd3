/* SPDX-License-Identifier: MIT */
/*
 * Session notes: read by the event's people (by anyone once the
 * proceedings are public), written by its participants and facilitator
 * over the revision they read (If-Match with the notes' ETag: 412 and the
 * notes as they are otherwise), their revisions, and who says they were
 * there. Notes belong to a session identity, so they follow a session that
 * moves; the Markdown is rendered by the notes renderer (src/export/) into
 * a tree of safe elements that the pages build with text nodes only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/export.h"
#include "forum/util/mem.h"
#include "internal.h"

#define SESSION_OF(c) ((c)->param[1])

bool api__notes_readable(struct api_ctx *c)
{
    if (c->event.proceedings_public || api__is_facilitator(c) || api__is_participant(c))
        return true;
    if (!c->authed)
        api__error(c, 401, "unauthorized", NULL,
                   "join the event to read its notes (the facilitator has not made "
                   "the proceedings public)");
    else
        api__error(c, 403, "forbidden", NULL, "the notes are for this event's people");
    return false;
}

/* The tree of safe elements of the CommonMark text md (owned JSON). */
static json_t *rendered(const char *md)
{
    size_t n;
    char *text = export_markdown_json(md, md != NULL ? strlen(md) : 0, &n);
    json_t *t = json_loadb(text, n, 0, NULL);

    free(text);
    return t != NULL ? t : json_array();
}

static json_t *author_json(const struct store_notes *x)
{
    json_t *o;

    if (x->rev == 0)
        return json_null();
    o = json_object();
    json_object_set_new(o, "name", json_string(x->author_name ? x->author_name : ""));
    json_object_set_new(o, "facilitator", json_boolean(x->author_id == NULL));
    return o;
}

static json_t *str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

/* A revision's members: who, when and what (texts as typed). */
static json_t *revision_json(const struct store_notes *x, bool texts)
{
    json_t *o = json_object();

    json_object_set_new(o, "rev", json_integer(x->rev));
    json_object_set_new(o, "author", author_json(x));
    json_object_set_new(o, "started_at", str_or_null(x->started_at));
    json_object_set_new(o, "saved_at", str_or_null(x->saved_at));
    json_object_set_new(o, "attendance",
                        x->attendance >= 0 ? json_integer(x->attendance) : json_null());
    if (texts) {
        json_object_set_new(o, "names", json_string(x->names ? x->names : ""));
        json_object_set_new(o, "key_points",
                            json_string(x->key_points ? x->key_points : ""));
        json_object_set_new(o, "proposals",
                            json_string(x->proposals ? x->proposals : ""));
        json_object_set_new(o, "follow_up",
                            json_string(x->follow_up ? x->follow_up : ""));
    }
    return o;
}

json_t *api__notes_json(const struct store_notes *x)
{
    json_t *o = revision_json(x, true), *r = json_object();

    json_object_set_new(r, "key_points", rendered(x->key_points));
    json_object_set_new(r, "proposals", rendered(x->proposals));
    json_object_set_new(r, "follow_up", rendered(x->follow_up));
    json_object_set_new(o, "rendered", r);
    return o;
}

json_t *api__present_json(const struct store_presence *v, size_t n, const char *sid)
{
    json_t *arr = json_array();

    for (size_t i = 0; i < n; i++)
        if (sid == NULL || strcmp(v[i].session_id, sid) == 0)
            json_array_append_new(arr, json_string(v[i].name));
    return arr;
}

/*
 * Loads the session sid as it was last published: OUT: sc (its version,
 * with the grid; release it), x (borrowed from sc), current (that version
 * is the latest). FORUM_ENOTFOUND when it never was.
 */
static enum forum_status session_load(struct api_ctx *c, struct store_schedule *sc,
                                      const struct store_session **x, bool *current,
                                      struct forum_error *err)
{
    long version, latest;
    enum forum_status rc;

    memset(sc, 0, sizeof(*sc));
    *x = NULL;
    rc = store_session_last_version(c->store, CTX_EID(c), SESSION_OF(c), &version, err);
    if (rc == FORUM_OK)
        rc = store_schedule_latest_version(c->store, CTX_EID(c), &latest, err);
    if (rc == FORUM_OK)
        rc = store_schedule_get(c->store, CTX_EID(c), version, NULL, STORE_SCHEDULE_GRID,
                                sc, err);
    if (rc != FORUM_OK)
        return rc;
    *x = api__by_id(sc->sessions, sc->n_sessions, sizeof(*sc->sessions), SESSION_OF(c));
    *current = version == latest;
    if (*x == NULL) {
        store_schedule_release(sc);
        return forum_error_set(err, FORUM_ENOTFOUND, NULL, "no such session");
    }
    return FORUM_OK;
}

/* The notes page's document: the session, its notes, who was there. */
static json_t *notes_doc(struct api_ctx *c, const struct store_schedule *sc,
                         const struct store_session *x, bool current,
                         const struct store_notes *nt, const struct store_presence *pv,
                         size_t pn)
{
    json_t *doc = json_object();
    bool me = false;

    for (size_t i = 0; api__is_participant(c) && i < pn; i++)
        me = me || strcmp(pv[i].participant_id, c->who.participant_id) == 0;
    json_object_set_new(doc, "session", api__session_json(sc, x));
    json_object_set_new(doc, "current", json_boolean(current));
    json_object_set_new(doc, "notes", api__notes_json(nt));
    json_object_set_new(doc, "present", api__present_json(pv, pn, NULL));
    json_object_set_new(doc, "present_me", json_boolean(me));
    json_object_set_new(doc, "can_edit",
                        json_boolean(api__is_participant(c) || api__is_facilitator(c)));
    return doc;
}

static void notes_etag(long rev, char *out, size_t n)
{
    snprintf(out, n, "\"n%ld\"", rev);
}

/* Answers status with the page's document for the session and notes nt. */
static void answer_notes(struct api_ctx *c, int status, const struct store_notes *nt)
{
    struct store_schedule sc;
    const struct store_session *x;
    struct store_presence *pv = NULL;
    struct forum_error err;
    enum forum_status rc;
    size_t pn = 0;
    bool current = false;
    char etag[32];
    json_t *doc;

    forum_error_clear(&err);
    rc = session_load(c, &sc, &x, &current, &err);
    if (rc == FORUM_OK)
        rc = store_presence_list(c->store, CTX_EID(c), SESSION_OF(c), &pv, &pn, &err);
    if (api__failed(c, rc, &err)) {
        store_schedule_release(&sc);
        return;
    }
    doc = notes_doc(c, &sc, x, current, nt, pv, pn);
    store_presences_free(pv, pn);
    store_schedule_release(&sc);
    if (status == 412) {
        /* The error body, and the notes as they are: the page shows both
         * versions side by side. */
        json_t *e = json_object(), *wrap = json_object();
        json_object_set_new(e, "code", json_string("precondition_failed"));
        json_object_set_new(
            e, "message",
            json_string(
                "the notes changed since you read them: here they are as they are"));
        json_object_set_new(e, "field", json_string("If-Match"));
        json_object_set_new(wrap, "error", e);
        json_object_set_new(wrap, "current", doc);
        doc = wrap;
    }
    api__json(c, status, doc);
    notes_etag(nt->rev, etag, sizeof(etag));
    api_response_add_header(c->resp, "ETag", etag);
    api_response_add_header(c->resp, "Cache-Control", "no-store");
}

void api__notes_get(struct api_ctx *c)
{
    struct store_notes nt;
    struct forum_error err;
    enum forum_status rc;

    if (!api__notes_readable(c))
        return;
    forum_error_clear(&err);
    /* One snapshot: the session, its notes and who was there agree. */
    rc = store_read_begin(c->store, &err);
    if (api__failed(c, rc, &err))
        return;
    rc = store_notes_get(c->store, CTX_EID(c), SESSION_OF(c), &nt, &err);
    if (!api__failed(c, rc, &err))
        answer_notes(c, 200, &nt);
    store_read_end(c->store);
    store_notes_release(&nt);
}

/* The revision an If-Match names ("n12"), or -1 when it names none of ours. */
static long if_match_rev(const char *h)
{
    char *end;
    long rev;

    while (h != NULL && (*h == ' ' || *h == '\t'))
        h++;
    if (h == NULL || h[0] != '"' || h[1] != 'n' || h[2] < '0' || h[2] > '9')
        return -1;
    rev = strtol(h + 2, &end, 10);
    if (end[0] != '"' || rev < 0 || end - (h + 2) > 12)
        return -1;
    for (end++; *end == ' ' || *end == '\t'; end++)
        ;
    return *end == '\0' ? rev : -1;
}

/* Reads the body's notes into in (borrowed strings). False once answered. */
static bool notes_fields(struct api_ctx *c, struct store_notes *in)
{
    static const char *const keys[] = {"attendance", "names",     "key_points",
                                       "proposals",  "follow_up", NULL};
    const char *names = NULL, *kp = NULL, *prop = NULL, *fu = NULL;
    json_t *att = json_object_get(c->body, "attendance");

    memset(in, 0, sizeof(*in));
    in->attendance = -1;
    if (!api__only_keys(c, keys) ||
        (att != NULL && !json_is_null(att) &&
         !api__get_int(c, "attendance", false, 0, API_ATTENDANCE_MAX, &in->attendance,
                       NULL)) ||
        !api__get_string(c, "names", false, API_NOTES_NAMES_MAX, true, &names, NULL) ||
        !api__get_string(c, "key_points", false, API_NOTES_KEY_POINTS_MAX, true, &kp,
                         NULL) ||
        !api__get_string(c, "proposals", false, API_NOTES_PROPOSALS_MAX, true, &prop,
                         NULL) ||
        !api__get_string(c, "follow_up", false, API_NOTES_FOLLOW_UP_MAX, true, &fu, NULL))
        return false;
    /* The pointers are the body's: the store copies them. */
    in->names = (char *)(uintptr_t)(names ? names : "");
    in->key_points = (char *)(uintptr_t)(kp ? kp : "");
    in->proposals = (char *)(uintptr_t)(prop ? prop : "");
    in->follow_up = (char *)(uintptr_t)(fu ? fu : "");
    return true;
}

void api__notes_put(struct api_ctx *c)
{
    struct store_notes in, out;
    struct store_participant p;
    struct forum_error err;
    enum forum_status rc;
    long version;

    memset(&p, 0, sizeof(p));
    memset(&out, 0, sizeof(out));
    if (c->req->if_match == NULL) {
        api__error(c, 428, "precondition_required", "If-Match",
                   "send If-Match with the notes' ETag, so that nobody's text is "
                   "written over unseen");
        return;
    }
    if (!notes_fields(c, &in))
        return;
    forum_error_clear(&err);
    rc = store_session_last_version(c->store, CTX_EID(c), SESSION_OF(c), &version, &err);
    if (rc == FORUM_OK && api__is_participant(c)) {
        rc = store_participant_get(c->store, CTX_EID(c), c->who.participant_id, &p, &err);
        in.author_id = c->who.participant_id;
        in.author_name = p.name;
    }
    if (api__failed(c, rc, &err))
        goto out;
    rc = store_notes_put(c->store, CTX_EID(c), SESSION_OF(c),
                         if_match_rev(c->req->if_match), &in, NULL, &out, &err);
    if (rc == FORUM_ECONFLICT)
        answer_notes(c, 412, &out);
    else if (!api__failed(c, rc, &err))
        answer_notes(c, 200, &out);
out:
    store_notes_release(&out);
    store_participant_release(&p);
}

void api__notes_revisions(struct api_ctx *c)
{
    struct store_notes *v;
    struct forum_error err;
    enum forum_status rc;
    size_t n;
    long version;
    json_t *arr;

    if (!api__notes_readable(c))
        return;
    forum_error_clear(&err);
    rc = store_session_last_version(c->store, CTX_EID(c), SESSION_OF(c), &version, &err);
    if (api__failed(c, rc, &err))
        return;
    rc = store_notes_revisions(c->store, CTX_EID(c), SESSION_OF(c), &v, &n, &err);
    if (api__failed(c, rc, &err))
        return;
    arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, revision_json(&v[i], false));
    store_notes_free(v, n);
    api__json(c, 200, arr);
    api_response_add_header(c->resp, "Cache-Control", "no-store");
}

void api__notes_revision(struct api_ctx *c)
{
    struct store_notes x;
    struct forum_error err;
    enum forum_status rc;
    char *end;
    long rev;

    if (!api__notes_readable(c))
        return;
    rev = strtol(c->param[2], &end, 10);
    if (*end != '\0' || rev < 1) {
        api__error(c, 404, "not_found", NULL, "no such revision");
        return;
    }
    forum_error_clear(&err);
    rc = store_notes_revision(c->store, CTX_EID(c), SESSION_OF(c), rev, &x, &err);
    if (!api__failed(c, rc, &err)) {
        api__json(c, 200, revision_json(&x, true));
        api_response_add_header(c->resp, "Cache-Control", "no-store");
    }
    store_notes_release(&x);
}

/* Says or takes back that the caller was at the session; answers who was. */
static void presence(struct api_ctx *c, bool present)
{
    struct store_presence *pv = NULL;
    struct forum_error err;
    enum forum_status rc;
    size_t pn = 0;
    long version;
    json_t *doc;

    forum_error_clear(&err);
    rc = store_session_last_version(c->store, CTX_EID(c), SESSION_OF(c), &version, &err);
    if (rc == FORUM_OK)
        rc = store_presence_set(c->store, CTX_EID(c), SESSION_OF(c),
                                c->who.participant_id, present, &err);
    if (rc == FORUM_OK)
        rc = store_presence_list(c->store, CTX_EID(c), SESSION_OF(c), &pv, &pn, &err);
    if (api__failed(c, rc, &err))
        return;
    doc = json_object();
    json_object_set_new(doc, "present", api__present_json(pv, pn, NULL));
    json_object_set_new(doc, "present_me", json_boolean(present));
    store_presences_free(pv, pn);
    api__json(c, 200, doc);
}

void api__presence_put(struct api_ctx *c)
{
    presence(c, true);
}

void api__presence_delete(struct api_ctx *c)
{
    presence(c, false);
}
