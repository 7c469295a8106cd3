/* SPDX-License-Identifier: MIT */
/*
 * The referee's JSON edge: a solution document read into the plain data of
 * alloc_check.h (every id resolved against the problem; what cannot be
 * resolved becomes a finding of the document, not a failure), a reference
 * result (`*.ref.json`), and the referee's one-line JSON verdict. Safe on
 * hostile input, like the problem parser.
 */
#include "forum/alloc_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "forum/util/mem.h"
#include "internal.h"

/* How many findings the JSON verdict lists, as the reference referee does. */
#define VERDICT_ERRORS 20

struct reader {
    const struct alloc_problem *p;
    struct alloc_check_solution *s;
    json_t *topic_ids, *room_ids, *slot_ids, *person_ids; /* id -> index */
    size_t *stamp; /* n_participants: the session that listed the person + 1 */
    uint8_t *flag; /* n_topics: already listed */
    bool nomem;
};

static void defect(struct reader *rd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Records a finding about the document: counted always, kept while there is room. */
static void defect(struct reader *rd, const char *fmt, ...)
{
    struct alloc_check_solution *s = rd->s;
    va_list ap;

    s->n_defects_total++;
    if (s->n_defects >= ALLOC_CHECK_MAX_KEPT)
        return;
    if (s->defects == NULL) {
        s->defects = forum_try_calloc(ALLOC_CHECK_MAX_KEPT, sizeof *s->defects);
        if (s->defects == NULL) {
            rd->nomem = true;
            return;
        }
    }
    struct alloc_violation *v = &s->defects[s->n_defects++];
    v->rule = ALLOC_CHECK_DOCUMENT;
    va_start(ap, fmt);
    vsnprintf(v->text, sizeof v->text, fmt, ap);
    va_end(ap);
}

/* Builds id -> index for n items whose ids are at stride bytes from first. */
static json_t *index_ids(const void *first, size_t stride, size_t n)
{
    json_t *map = json_object();
    for (size_t i = 0; map != NULL && i < n; i++) {
        const char *id = *(char *const *)(const void *)((const char *)first + i * stride);
        if (json_object_set_new(map, id, json_integer((json_int_t)i)) != 0) {
            json_decref(map);
            map = NULL;
        }
    }
    return map;
}

/* Looks v up in map: true and *out when v is a string naming an entry. */
static bool resolve(json_t *map, json_t *v, size_t *out)
{
    /* An id with a NUL inside names nothing (the problem's ids have none). */
    json_t *ix =
        json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v)
            ? json_object_get(map, json_string_value(v))
            : NULL;
    if (ix == NULL)
        return false;
    *out = (size_t)json_integer_value(ix);
    return true;
}

/* Describes v for a message: a quoted string (cut short) or its JSON type. */
static const char *show(json_t *v, char *buf, size_t cap)
{
    if (v == NULL)
        return "nothing";
    if (json_is_string(v)) {
        snprintf(buf, cap, "\"%.60s\"", json_string_value(v));
        return buf;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "a list";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    default:
        return "null";
    }
}

/* Reads sessions[i] into the next entry of s->sessions, or records why not. */
static void read_session(struct reader *rd, size_t i, json_t *el)
{
    const struct alloc_problem *p = rd->p;
    struct alloc_check_session x = {.group = 1};
    static const char *const keys[3] = {"topic", "room", "slot"};
    json_t *maps[3] = {rd->topic_ids, rd->room_ids, rd->slot_ids};
    size_t *dst[3] = {&x.topic, &x.room, &x.slot};
    char buf[80];

    if (!json_is_object(el)) {
        defect(rd,
               "sessions[%zu] is not an object: remove it or write it as {\"topic\": "
               "..., \"room\": ..., \"slot\": ..., \"attendees\": [...]}",
               i);
        return;
    }
    for (int k = 0; k < 3; k++) {
        json_t *v = json_object_get(el, keys[k]);
        if (!resolve(maps[k], v, dst[k])) {
            defect(rd,
                   "sessions[%zu].%s names no %s of the problem (%s): use one of its ids",
                   i, keys[k], keys[k], show(v, buf, sizeof buf));
            return;
        }
    }
    json_t *g = json_object_get(el, "group");
    if (g != NULL) {
        if (!json_is_integer(g) || json_integer_value(g) < 1) {
            char num[32];
            if (json_is_integer(g))
                snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(g));
            defect(
                rd,
                "sessions[%zu].group is %s, not a positive integer: number groups 1, 2 "
                "and so on",
                i, json_is_integer(g) ? num : show(g, buf, sizeof buf));
            return;
        }
        json_int_t gv = json_integer_value(g);
        x.group = gv > (json_int_t)UINT32_MAX ? UINT32_MAX : (uint32_t)gv;
    }
    json_t *att = json_object_get(el, "attendees"), *a;
    size_t k;
    if (att != NULL) {
        bool ok = json_is_array(att);
        json_array_foreach(ok ? att : NULL, k, a)
        {
            ok = ok && json_is_string(a);
        }
        if (!ok) {
            defect(rd, "sessions[%zu].attendees is not a list of participant ids", i);
            return;
        }
    }
    size_t n = att != NULL ? json_array_size(att) : 0, dups = 0;
    size_t stamp = rd->s->n_sessions + 1;
    const char *topic = p->topics[x.topic].id, *dup = NULL;
    json_t *unknown = NULL;
    if (n > 0 && (x.attendees = forum_try_calloc(n, sizeof *x.attendees)) == NULL) {
        rd->nomem = true;
        return;
    }
    json_array_foreach(att != NULL ? att : NULL, k, a)
    {
        size_t q;
        const char *id = json_string_value(a);
        if (resolve(rd->person_ids, a, &q)) {
            if (rd->stamp[q] == stamp) {
                dups++;
                dup = dup != NULL ? dup : id;
                continue;
            }
            rd->stamp[q] = stamp;
            x.attendees[x.n_attendees++] = q;
            continue;
        }
        if (unknown == NULL && (unknown = json_object()) == NULL) {
            rd->nomem = true;
            break;
        }
        if (json_object_get(unknown, id) != NULL) {
            dups++;
            dup = dup != NULL ? dup : id;
            continue;
        }
        if (json_object_set_new(unknown, id, json_true()) != 0) {
            rd->nomem = true;
            break;
        }
        x.n_unknown++;
        defect(rd,
               "sessions[%zu] (topic \"%.60s\"): attendee \"%.60s\" is no participant of "
               "the "
               "problem: use one of its ids",
               i, topic, id);
    }
    json_decref(unknown);
    if (rd->nomem) {
        free(x.attendees);
        return;
    }
    if (dups > 0)
        defect(rd,
               "sessions[%zu] (topic \"%.60s\") lists \"%.60s\" more than once (%zu "
               "repeat%s in all): list each attendee once",
               i, topic, dup, dups, dups == 1 ? "" : "s");
    rd->s->sessions[rd->s->n_sessions++] = x;
}

/* Notes one topic id of a list: a known topic once, an unknown id once. */
static void note_topic(struct reader *rd, const char *name, json_t *unknown, size_t *out,
                       size_t *n, size_t *n_unknown)
{
    json_t *ix = json_object_get(rd->topic_ids, name);

    if (ix != NULL) {
        size_t t = (size_t)json_integer_value(ix);
        if (!rd->flag[t]) {
            rd->flag[t] = 1;
            out[(*n)++] = t;
        }
        return;
    }
    if (json_object_get(unknown, name) != NULL)
        return;
    if (json_object_set_new(unknown, name, json_true()) != 0)
        rd->nomem = true;
    (*n_unknown)++;
}

/* Reads the topic ids of a list of strings (the unscheduled list; other
 * values are ignored) or of an object's keys (why). */
static void read_topics(struct reader *rd, json_t *names, size_t **out, size_t *n,
                        size_t *n_unknown)
{
    size_t cap = json_is_array(names) ? json_array_size(names) : json_object_size(names);
    json_t *unknown = json_object(), *v;
    const char *key;
    size_t k;

    if (unknown == NULL ||
        (cap > 0 && (*out = forum_try_calloc(cap, sizeof **out)) == NULL)) {
        rd->nomem = true;
        json_decref(unknown);
        return;
    }
    if (json_is_array(names)) {
        json_array_foreach(names, k, v)
        {
            if (json_is_string(v))
                note_topic(rd, json_string_value(v), unknown, *out, n, n_unknown);
        }
    } else {
        json_object_foreach(names, key, v)
        {
            note_topic(rd, key, unknown, *out, n, n_unknown);
        }
    }
    for (size_t i = 0; i < *n; i++)
        rd->flag[(*out)[i]] = 0;
    json_decref(unknown);
}

static void read_figure(json_t *score, const char *key, bool null_is_absent,
                        struct alloc_check_figure *f)
{
    json_t *v = json_object_get(score, key);
    f->has = v != NULL && !(null_is_absent && json_is_null(v));
    f->number = json_is_number(v);
    f->value = f->number ? json_number_value(v) : 0;
}

static void read_claim(json_t *score, struct alloc_check_claim *c)
{
    c->present = score != NULL && !json_is_null(score);
    c->is_object = json_is_object(score);
    if (!c->is_object)
        return;
    read_figure(score, "scheduled", false, &c->scheduled);
    read_figure(score, "moved", false, &c->moved);
    read_figure(score, "satisfied", false, &c->satisfied);
    read_figure(score, "demand", false, &c->demand);
    read_figure(score, "unserved", false, &c->unserved);
    read_figure(score, "bound", true, &c->bound);
}

enum forum_status alloc_json_parse_solution(const struct alloc_problem *p,
                                            const char *text, size_t len,
                                            struct alloc_check_solution **out,
                                            char **claimed, struct forum_error *err)
{
    struct reader rd = {.p = p};
    json_t *root = NULL, *sessions;
    enum forum_status rc = FORUM_ENOMEM;

    if (out == NULL || p == NULL)
        return forum_error_set(err, FORUM_EINVAL, "", "no problem or output pointer");
    *out = NULL;
    if (claimed != NULL)
        *claimed = NULL;
    if ((root = alloc_json__load_object(text, len, "the document", err)) == NULL) {
        rc = FORUM_EINVAL;
        goto out;
    }
    sessions = json_object_get(root, "sessions");
    if (sessions != NULL && !json_is_array(sessions)) {
        rc = forum_error_set(err, FORUM_EINVAL, "sessions", "must be an array");
        goto out;
    }
    size_t ns = sessions != NULL ? json_array_size(sessions) : 0;
    if (ns > ALLOC_JSON_MAX_SESSIONS) {
        rc = forum_error_set(err, FORUM_EINVAL, "sessions",
                             "too many entries (at most %d)", ALLOC_JSON_MAX_SESSIONS);
        goto out;
    }
    rd.s = forum_try_calloc(1, sizeof *rd.s);
    rd.topic_ids = index_ids(&p->topics[0].id, sizeof *p->topics, p->n_topics);
    rd.room_ids = index_ids(&p->rooms[0].id, sizeof *p->rooms, p->n_rooms);
    rd.slot_ids = index_ids(&p->slots[0].id, sizeof *p->slots, p->n_slots);
    rd.person_ids =
        index_ids(&p->participants[0].id, sizeof *p->participants, p->n_participants);
    rd.stamp = forum_try_calloc(p->n_participants + 1, sizeof *rd.stamp);
    rd.flag = forum_try_calloc(p->n_topics + 1, sizeof *rd.flag);
    if (!rd.s || !rd.topic_ids || !rd.room_ids || !rd.slot_ids || !rd.person_ids ||
        !rd.stamp || !rd.flag ||
        (ns > 0 &&
         (rd.s->sessions = forum_try_calloc(ns, sizeof *rd.s->sessions)) == NULL))
        goto nomem;
    json_t *el;
    size_t i;
    json_array_foreach(sessions, i, el)
    {
        read_session(&rd, i, el);
        if (rd.nomem)
            goto nomem;
    }
    json_t *unsched = json_object_get(root, "unscheduled");
    if (unsched != NULL && !json_is_array(unsched))
        defect(&rd, "unscheduled is not a list: write it as a list of topic ids");
    else if (unsched != NULL)
        read_topics(&rd, unsched, &rd.s->unscheduled, &rd.s->n_unscheduled,
                    &rd.s->n_unscheduled_unknown);
    json_t *why = json_object_get(root, "why");
    if (json_is_object(why))
        read_topics(&rd, why, &rd.s->why, &rd.s->n_why, &rd.s->n_why_unknown);
    json_t *score = json_object_get(root, "score");
    read_claim(score, &rd.s->claim);
    if (rd.nomem)
        goto nomem;
    if (claimed != NULL && score != NULL && !json_is_null(score) &&
        (*claimed = json_dumps(score, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                          JSON_ENCODE_ANY)) == NULL)
        goto nomem;
    *out = rd.s;
    rd.s = NULL;
    rc = FORUM_OK;
    goto out;
nomem:
    rc = forum_error_set(err, FORUM_ENOMEM, "", "out of memory");
out:
    alloc_check_solution_free(rd.s);
    json_decref(rd.topic_ids);
    json_decref(rd.room_ids);
    json_decref(rd.slot_ids);
    json_decref(rd.person_ids);
    free(rd.stamp);
    free(rd.flag);
    json_decref(root);
    return rc;
}

/* ---- the reference ---- */

enum forum_status alloc_json_parse_ref(const char *text, size_t len,
                                       enum alloc_objective objective,
                                       struct alloc_check_ref *out,
                                       struct forum_error *err)
{
    json_t *root = NULL, *v;
    enum forum_status rc = FORUM_EINVAL;

    if (out == NULL)
        return forum_error_set(err, FORUM_EINVAL, "", "no output pointer");
    memset(out, 0, sizeof *out);
    if ((root = alloc_json__load_object(text, len, "the reference", err)) == NULL)
        goto out;
    v = json_object_get(root, "satisfied");
    if (!json_is_integer(v)) {
        forum_error_set(err, FORUM_EINVAL, "satisfied", "must be an integer");
        goto out;
    }
    out->satisfied = json_integer_value(v);
    v = json_object_get(root, "objective");
    const char *want = alloc_check_objective_name(objective);
    if (v != NULL && !(json_is_string(v) && strcmp(json_string_value(v), want) == 0)) {
        char buf[80];
        forum_error_set(err, FORUM_EINVAL, "objective",
                        "the reference is for objective %s, the problem asks for \"%s\"",
                        show(v, buf, sizeof buf), want);
        goto out;
    }
    json_t *sched = json_object_get(root, "scheduled"),
           *moved = json_object_get(root, "moved");
    out->has_levels = json_is_integer(sched) && json_is_integer(moved);
    if (out->has_levels) {
        out->scheduled = json_integer_value(sched);
        out->moved = json_integer_value(moved);
    }
    out->proven = json_is_true(json_object_get(root, "proven"));
    rc = FORUM_OK;
out:
    json_decref(root);
    return rc;
}

/* ---- the verdict ---- */

/* Copies text into out (cap bytes), every byte that is not part of a
 * well-formed UTF-8 character replaced by '?': sentences may cut an id in
 * the middle of a character, and JSON strings must be UTF-8. */
static void clean_utf8(const char *text, char *out, size_t cap)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t o = 0;

    while (*s != '\0' && o + 5 < cap) {
        size_t n = *s < 0x80         ? 1
                   : (*s >> 5) == 6  ? 2
                   : (*s >> 4) == 14 ? 3
                   : (*s >> 3) == 30 ? 4
                                     : 0;
        bool ok = n > 0;
        for (size_t k = 1; ok && k < n; k++)
            ok = (s[k] >> 6) == 2;
        /* Overlong forms, surrogates and values above U+10FFFF. */
        if (ok && n == 2)
            ok = *s >= 0xc2;
        if (ok && n == 3)
            ok = !(*s == 0xe0 && s[1] < 0xa0) && !(*s == 0xed && s[1] >= 0xa0);
        if (ok && n == 4)
            ok = *s <= 0xf4 && !(*s == 0xf0 && s[1] < 0x90) &&
                 !(*s == 0xf4 && s[1] >= 0x90);
        if (!ok) {
            out[o++] = '?';
            s++;
            continue;
        }
        memcpy(out + o, s, n);
        o += n;
        s += n;
    }
    out[o] = '\0';
}

static bool put(json_t *obj, const char *key, json_t *v)
{
    return v != NULL && json_object_set_new(obj, key, v) == 0;
}

static json_t *clean_string(const char *prefix, const char *text)
{
    char buf[ALLOC_CHECK_TEXT_MAX + 16], out[sizeof buf];
    snprintf(buf, sizeof buf, "%s%s", prefix, text);
    clean_utf8(buf, out, sizeof out);
    return json_string(out);
}

char *alloc_json_dump_check(const struct alloc_check_report *r, const char *claimed,
                            size_t *len)
{
    json_t *doc = json_object(), *errors = json_array(), *warnings = json_array();
    json_t *rules = json_array(), *cl = json_null();
    char *text = NULL, prefix[16];
    bool ok = doc && errors && warnings && rules && cl;

    if (ok && claimed != NULL) {
        json_decref(cl);
        ok = (cl = json_loads(claimed, JSON_DECODE_ANY, NULL)) != NULL;
    }
    for (size_t i = 0; ok && i < r->n_violations && i < VERDICT_ERRORS; i++) {
        const struct alloc_violation *v = &r->violations[i];
        snprintf(prefix, sizeof prefix, "rule %u: ", v->rule);
        ok = json_array_append_new(
                 errors, clean_string(v->rule == ALLOC_CHECK_DOCUMENT ? "" : prefix,
                                      v->text)) == 0;
    }
    for (size_t i = 0; ok && i < r->n_warnings; i++)
        ok = json_array_append_new(warnings, clean_string("", r->warnings[i])) == 0;
    for (unsigned k = 0; ok && k < 7; k++)
        if (r->by_rule[k] > 0)
            ok = json_array_append_new(rules, json_integer(k)) == 0;
    ok = ok && put(doc, "valid", json_boolean(r->valid)) &&
         put(doc, "scheduled", json_integer(r->score.scheduled)) &&
         put(doc, "moved", json_integer(r->score.moved)) &&
         put(doc, "satisfied", json_integer(r->score.satisfied)) &&
         put(doc, "demand", json_integer(r->score.demand)) &&
         put(doc, "unserved", json_integer(r->score.unserved)) &&
         put(doc, "objective", json_string(alloc_check_objective_name(r->objective)));
    if (ok) {
        ok = put(doc, "claimed", cl);
        cl = NULL;
    }
    if (ok) {
        ok = put(doc, "errors", errors);
        errors = NULL;
    }
    if (ok && r->n_warnings > 0) {
        ok = put(doc, "warnings", warnings);
        warnings = NULL;
    }
    if (ok && r->has_ref) {
        ok =
            put(doc, "ratio", r->has_ratio ? json_real(r->ratio) : json_null()) &&
            put(doc, "levels_equal",
                r->vs_ref == ALLOC_VS_NONE ? json_null() : json_boolean(r->levels_equal));
        if (ok && r->vs_ref != ALLOC_VS_NONE)
            ok = put(doc, "vs_ref", json_string(alloc_check_vs_name(r->vs_ref)));
    }
    ok = ok && put(doc, "error_count", json_integer((json_int_t)r->n_total));
    if (ok) {
        ok = put(doc, "rules_broken", rules);
        rules = NULL;
    }
    if (ok)
        text =
            json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(doc);
    json_decref(errors);
    json_decref(warnings);
    json_decref(rules);
    json_decref(cl);
    if (text != NULL && len != NULL)
        *len = strlen(text);
    return text;
}
