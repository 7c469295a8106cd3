/* SPDX-License-Identifier: MIT */
/*
 * The referee (alloc_check.h): every hard rule of design/ALLOCATOR.md on a
 * solution of indices, the unscheduled list, the claimed score, and the
 * score recomputed from the sessions alone. Tables built once per call keep
 * it linear in the size of the problem and of the solution, whatever the
 * solution breaks.
 */
#include "forum/alloc_check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"

/* How many names a sentence lists before "...". */
#define LIST_MAX 3
/* Ids are cut to this many bytes in sentences. */
#define ID_SHOW "%.60s"

struct checker {
    const struct alloc_problem *p;
    const struct alloc_check_solution *s;
    struct alloc_check_report *r;
    size_t W;              /* 64-bit words of a feature set */
    uint64_t *room_feat;   /* n_rooms * W: the room's features */
    uint64_t *topic_need;  /* n_topics * W: the topic's needs and its hosts' */
    uint8_t *room_off;     /* n_rooms * n_slots: the room is unavailable */
    uint64_t *person_off;  /* bits of n_participants * n_slots: the person is */
    size_t *vote_start;    /* n_participants + 1: CSR of the votes, by topic */
    size_t *vote_topic;    /* each participant's votes, ascending topics */
    uint32_t *vote_weight; /* their weights */
    uint8_t *vote_counted; /* weight > 0 and not a vote for a topic one hosts */
    uint8_t *vote_attended;
    size_t *host_start; /* n_participants + 1: CSR of the topics each one hosts */
    size_t *host_topic; /* ascending */
    size_t *mark;       /* n_participants: a stamp per pass (session or topic + 1) */
    size_t *mark2;      /* n_participants: the attendee stamp of a session */
    size_t *count;      /* n_participants: groups of one topic a host attends */
    size_t *who;        /* n_participants: the session seen first in a slot */
    size_t *cell_first; /* n_rooms * n_slots: the first session there + 1 */
    size_t *by_topic_start, *by_topic; /* CSR of the sessions by topic */
    size_t *by_slot_start, *by_slot;   /* CSR of the sessions by slot */
    uint8_t *seen;                     /* n_sessions + 1: group numbers of a topic */
    uint8_t *listed;                   /* n_topics: in the unscheduled list, or in why */
};

static void add(struct checker *c, unsigned rule, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Records a violation: counted always, kept with its sentence while there is room. */
static void add(struct checker *c, unsigned rule, const char *fmt, ...)
{
    struct alloc_check_report *r = c->r;
    va_list ap;

    r->valid = false;
    r->n_total++;
    r->by_rule[rule]++;
    if (r->n_violations >= ALLOC_CHECK_MAX_KEPT)
        return;
    struct alloc_violation *v = &r->violations[r->n_violations++];
    v->rule = rule;
    va_start(ap, fmt);
    vsnprintf(v->text, sizeof v->text, fmt, ap);
    va_end(ap);
}

static void warn(struct alloc_check_report *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void warn(struct alloc_check_report *r, const char *fmt, ...)
{
    va_list ap;

    if (r->n_warnings >= ALLOC_CHECK_MAX_WARNINGS)
        return;
    va_start(ap, fmt);
    vsnprintf(r->warnings[r->n_warnings++], ALLOC_CHECK_TEXT_MAX, fmt, ap);
    va_end(ap);
}

void alloc_check_solution_free(struct alloc_check_solution *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_sessions; i++)
        free(s->sessions[i].attendees);
    free(s->sessions);
    free(s->unscheduled);
    free(s->why);
    free(s->defects);
    free(s);
}

void alloc_check_report_free(struct alloc_check_report *r)
{
    if (r == NULL)
        return;
    free(r->violations);
    free(r);
}

const char *alloc_check_objective_name(enum alloc_objective objective)
{
    return objective == ALLOC_VOTES_FIRST ? "votes_first" : "topics_first";
}

const char *alloc_check_vs_name(enum alloc_check_vs vs)
{
    switch (vs) {
    case ALLOC_VS_NONE:
        return "none";
    case ALLOC_VS_BETTER:
        return "better";
    case ALLOC_VS_EQUAL:
        return "equal";
    case ALLOC_VS_WORSE:
        return "worse";
    }
    return "none";
}

static bool bit(const uint64_t *set, size_t i)
{
    return (set[i / 64] >> (i % 64)) & 1u;
}

static void set_bit(uint64_t *set, size_t i)
{
    set[i / 64] |= (uint64_t)1 << (i % 64);
}

static bool in_list(const size_t *list, size_t n, size_t x)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == x)
            return true;
    return false;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Returns the position of x in the ascending list[lo, hi), or hi. */
static size_t find(const size_t *list, size_t lo, size_t hi, size_t x)
{
    size_t end = hi;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (list[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < end && list[lo] == x ? lo : end;
}

/* Checks what the problem's contract promises and alloc_problem_validate()
 * may not cover (the v2 fields): every index the checker follows. */
static enum forum_status check_indices(const struct alloc_problem *p,
                                       const struct alloc_check_solution *s,
                                       struct forum_error *err)
{
    for (size_t t = 0; t < p->n_topics; t++) {
        const struct alloc_topic *tp = &p->topics[t];
        for (size_t k = 0; tp->has_slots && k < tp->n_slots; k++)
            if (tp->slots[k] >= p->n_slots)
                return forum_error_set(err, FORUM_EINVAL, "",
                                       "topics[%zu].slots: bad slot", t);
        if (tp->has_groups && (tp->groups.max < 1 || tp->groups.size_min < 1 ||
                               tp->groups.size_min > tp->groups.size_max))
            return forum_error_set(err, FORUM_EINVAL, "", "topics[%zu].groups: bad sizes",
                                   t);
    }
    for (size_t i = 0; i < p->n_previous; i++) {
        const struct alloc_previous *e = &p->previous[i];
        if (e->topic >= p->n_topics || e->room >= p->n_rooms || e->slot >= p->n_slots ||
            e->group < 1)
            return forum_error_set(err, FORUM_EINVAL, "", "previous[%zu]: bad index", i);
    }
    for (size_t i = 0; i < s->n_sessions; i++) {
        const struct alloc_check_session *x = &s->sessions[i];
        if (x->topic >= p->n_topics || x->room >= p->n_rooms || x->slot >= p->n_slots ||
            x->group < 1 || !(x->n_attendees == 0 || x->attendees != NULL))
            return forum_error_set(err, FORUM_EINVAL, "", "sessions[%zu]: bad index", i);
        for (size_t k = 0; k < x->n_attendees; k++)
            if (x->attendees[k] >= p->n_participants)
                return forum_error_set(err, FORUM_EINVAL, "",
                                       "sessions[%zu].attendees: bad index", i);
    }
    for (size_t i = 0; i < s->n_unscheduled; i++)
        if (s->unscheduled[i] >= p->n_topics)
            return forum_error_set(err, FORUM_EINVAL, "", "unscheduled: bad index");
    for (size_t i = 0; i < s->n_why; i++)
        if (s->why[i] >= p->n_topics)
            return forum_error_set(err, FORUM_EINVAL, "", "why: bad index");
    if (s->n_defects > ALLOC_CHECK_MAX_KEPT || s->n_defects > s->n_defects_total)
        return forum_error_set(err, FORUM_EINVAL, "", "defects: bad count");
    return FORUM_OK;
}

/* Allocates n elements of size, or records the failure; n may be 0. */
static void *table(size_t n, size_t size, bool *ok)
{
    void *t = forum_try_calloc(n + 1, size);
    *ok = *ok && t != NULL;
    return t;
}

static void checker_release(struct checker *c)
{
    free(c->room_feat);
    free(c->topic_need);
    free(c->room_off);
    free(c->person_off);
    free(c->vote_start);
    free(c->vote_topic);
    free(c->vote_weight);
    free(c->vote_counted);
    free(c->vote_attended);
    free(c->host_start);
    free(c->host_topic);
    free(c->mark);
    free(c->mark2);
    free(c->count);
    free(c->who);
    free(c->cell_first);
    free(c->by_topic_start);
    free(c->by_topic);
    free(c->by_slot_start);
    free(c->by_slot);
    free(c->seen);
    free(c->listed);
}

/* Fills start[0..n] and items with the CSR of keys[i] over i < m. */
static void csr(size_t *start, size_t *items, size_t n, size_t m,
                size_t (*key)(const struct alloc_check_session *),
                const struct alloc_check_session *sessions)
{
    for (size_t i = 0; i < m; i++)
        start[key(&sessions[i]) + 1]++;
    for (size_t k = 0; k < n; k++)
        start[k + 1] += start[k];
    /* Fill in document order: items keep the sessions' order within a key. */
    for (size_t i = 0; i < m; i++)
        items[start[key(&sessions[i])]++] = i;
    for (size_t k = n; k > 0; k--)
        start[k] = start[k - 1];
    start[0] = 0;
}

static size_t key_topic(const struct alloc_check_session *x)
{
    return x->topic;
}

static size_t key_slot(const struct alloc_check_session *x)
{
    return x->slot;
}

static enum forum_status checker_init(struct checker *c, struct forum_error *err)
{
    const struct alloc_problem *p = c->p;
    const struct alloc_check_solution *s = c->s;
    size_t nr = p->n_rooms, ns = p->n_slots, nt = p->n_topics, np = p->n_participants;
    size_t nv = 0, nh = 0;
    bool ok = true;

    for (size_t q = 0; q < np; q++)
        nv += p->participants[q].n_votes;
    for (size_t t = 0; t < nt; t++)
        nh += p->topics[t].n_hosts;
    c->W = (p->n_features + 63) / 64;
    c->room_feat = table(nr * c->W, sizeof *c->room_feat, &ok);
    c->topic_need = table(nt * c->W, sizeof *c->topic_need, &ok);
    c->room_off = table(nr * ns, sizeof *c->room_off, &ok);
    c->person_off = table((np * ns + 63) / 64, sizeof *c->person_off, &ok);
    c->vote_start = table(np + 1, sizeof *c->vote_start, &ok);
    c->vote_topic = table(nv, sizeof *c->vote_topic, &ok);
    c->vote_weight = table(nv, sizeof *c->vote_weight, &ok);
    c->vote_counted = table(nv, sizeof *c->vote_counted, &ok);
    c->vote_attended = table(nv, sizeof *c->vote_attended, &ok);
    c->host_start = table(np + 1, sizeof *c->host_start, &ok);
    c->host_topic = table(nh, sizeof *c->host_topic, &ok);
    c->mark = table(np, sizeof *c->mark, &ok);
    c->mark2 = table(np, sizeof *c->mark2, &ok);
    c->count = table(np, sizeof *c->count, &ok);
    c->who = table(np, sizeof *c->who, &ok);
    c->cell_first = table(nr * ns, sizeof *c->cell_first, &ok);
    c->by_topic_start = table(nt + 1, sizeof *c->by_topic_start, &ok);
    c->by_topic = table(s->n_sessions, sizeof *c->by_topic, &ok);
    c->by_slot_start = table(ns + 1, sizeof *c->by_slot_start, &ok);
    c->by_slot = table(s->n_sessions, sizeof *c->by_slot, &ok);
    c->seen = table(s->n_sessions + 1, sizeof *c->seen, &ok);
    c->listed = table(nt, sizeof *c->listed, &ok);
    if (!ok)
        return forum_error_set(err, FORUM_ENOMEM, "", "out of memory");

    for (size_t r = 0; r < nr; r++) {
        const struct alloc_room *room = &p->rooms[r];
        for (size_t k = 0; k < room->n_features; k++)
            set_bit(&c->room_feat[r * c->W], room->features[k]);
        for (size_t k = 0; k < room->n_unavailable; k++)
            c->room_off[r * ns + room->unavailable[k]] = 1;
    }
    for (size_t q = 0; q < np; q++) {
        const struct alloc_participant *x = &p->participants[q];
        for (size_t k = 0; k < x->n_unavailable; k++)
            set_bit(c->person_off, q * ns + x->unavailable[k]);
    }
    /* Rule 3: a topic's rooms have its needs and every host's. */
    for (size_t t = 0; t < nt; t++) {
        const struct alloc_topic *tp = &p->topics[t];
        uint64_t *need = &c->topic_need[t * c->W];
        for (size_t k = 0; k < tp->n_needs; k++)
            set_bit(need, tp->needs[k]);
        for (size_t h = 0; h < tp->n_hosts; h++) {
            const struct alloc_participant *x = &p->participants[tp->hosts[h]];
            for (size_t k = 0; k < x->n_needs; k++)
                set_bit(need, x->needs[k]);
            c->host_start[tp->hosts[h] + 1]++;
        }
    }
    for (size_t q = 0; q < np; q++)
        c->host_start[q + 1] += c->host_start[q];
    for (size_t t = 0; t < nt; t++) /* t ascends, so each list does too */
        for (size_t h = 0; h < p->topics[t].n_hosts; h++)
            c->host_topic[c->host_start[p->topics[t].hosts[h]] +
                          c->mark[p->topics[t].hosts[h]]++] = t;
    memset(c->mark, 0, np * sizeof *c->mark);

    /* Each participant's votes, sorted by topic; counted as in the contract. */
    for (size_t q = 0; q < np; q++) {
        const struct alloc_participant *x = &p->participants[q];
        size_t base = c->vote_start[q];
        for (size_t k = 0; k < x->n_votes; k++)
            c->vote_topic[base + k] = x->votes[k].topic;
        qsort(&c->vote_topic[base], x->n_votes, sizeof *c->vote_topic, cmp_size);
        for (size_t k = 0; k < x->n_votes; k++) {
            size_t at = find(&c->vote_topic[base], 0, x->n_votes, x->votes[k].topic);
            c->vote_weight[base + at] = x->votes[k].weight;
        }
        for (size_t k = 0; k < x->n_votes; k++) {
            size_t t = c->vote_topic[base + k];
            bool hosts = find(c->host_topic, c->host_start[q], c->host_start[q + 1], t) !=
                         c->host_start[q + 1];
            c->vote_counted[base + k] = c->vote_weight[base + k] > 0 && !hosts;
        }
        c->vote_start[q + 1] = base + x->n_votes;
    }
    csr(c->by_topic_start, c->by_topic, nt, s->n_sessions, key_topic, s->sessions);
    csr(c->by_slot_start, c->by_slot, ns, s->n_sessions, key_slot, s->sessions);
    return FORUM_OK;
}

/* Writes how a session is named in sentences: topic "T1", or group 2 of topic "T2". */
static void session_name(const struct checker *c, const struct alloc_check_session *x,
                         char *out, size_t cap)
{
    const struct alloc_topic *t = &c->p->topics[x->topic];
    if (t->has_groups)
        snprintf(out, cap, "group %u of topic \"" ID_SHOW "\"", (unsigned)x->group,
                 t->id);
    else
        snprintf(out, cap, "topic \"" ID_SHOW "\"", t->id);
}

/* Appends the names of the features in need but not in have to out, "a", "b". */
static size_t missing_features(const struct checker *c, const uint64_t *need,
                               const uint64_t *have, char *out, size_t cap)
{
    size_t n = 0, len = 0;
    out[0] = '\0';
    for (size_t f = 0; f < c->p->n_features; f++) {
        if (!bit(need, f) || bit(have, f))
            continue;
        if (n < LIST_MAX && len < cap)
            len += (size_t)snprintf(out + len, cap - len, "%s\"%.40s\"", n ? ", " : "",
                                    c->p->features[f]);
        else if (n == LIST_MAX && len < cap)
            len += (size_t)snprintf(out + len, cap - len, ", ...");
        n++;
    }
    return n;
}

/* Returns the position of participant q's vote for topic t, or SIZE_MAX. */
static size_t vote_of(const struct checker *c, size_t q, size_t t)
{
    size_t at = find(c->vote_topic, c->vote_start[q], c->vote_start[q + 1], t);
    return at == c->vote_start[q + 1] ? SIZE_MAX : at;
}

/* Rules 1 (one session per cell), 3, 4 (ordinary topics), 5 (but the one
 * session per slot) and 6 on session i; marks the votes it satisfies. */
static void check_session(struct checker *c, size_t i)
{
    const struct alloc_problem *p = c->p;
    const struct alloc_check_session *x = &c->s->sessions[i];
    const struct alloc_topic *t = &p->topics[x->topic];
    const struct alloc_room *room = &p->rooms[x->room];
    const char *rid = room->id, *sid = p->slots[x->slot].id;
    const uint64_t *have = &c->room_feat[x->room * c->W];
    char name[100], other[100], miss[160];
    size_t ns = p->n_slots, stamp = i + 1;

    session_name(c, x, name, sizeof name);
    size_t *first = &c->cell_first[x->room * ns + x->slot];
    if (*first != 0) {
        session_name(c, &c->s->sessions[*first - 1], other, sizeof other);
        add(c, 1,
            "room \"" ID_SHOW "\" holds two sessions in slot \"" ID_SHOW
            "\", %s and %s: move one of them to a free room or slot",
            rid, sid, other, name);
    } else {
        *first = stamp;
    }
    size_t n =
        missing_features(c, &c->topic_need[x->topic * c->W], have, miss, sizeof miss);
    if (n > 0)
        add(c, 3,
            "room \"" ID_SHOW "\" lacks %s, which %s or its hosts need: move the session "
            "to a room that has %s",
            rid, miss, name, n > 1 ? "them" : "it");
    if (c->room_off[x->room * ns + x->slot])
        add(c, 3,
            "room \"" ID_SHOW "\" is unavailable in slot \"" ID_SHOW
            "\", where %s is placed: move the session to another room or slot",
            rid, sid, name);
    for (size_t h = 0; h < t->n_hosts; h++) {
        size_t q = t->hosts[h];
        c->mark[q] = stamp;
        if (bit(c->person_off, q * ns + x->slot))
            add(c, 3,
                "host \"" ID_SHOW "\" of topic \"" ID_SHOW
                "\" is unavailable in slot \"" ID_SHOW
                "\": move %s to a slot the host can attend",
                p->participants[q].id, t->id, sid, name);
    }
    if (t->has_slots && !in_list(t->slots, t->n_slots, x->slot))
        add(c, 3,
            "%s is in slot \"" ID_SHOW "\", outside the slots the topic allows: move it "
            "into one of its own slots",
            name, sid);

    for (size_t k = 0; k < x->n_attendees; k++)
        c->mark2[x->attendees[k]] = stamp;
    for (size_t h = 0; !t->has_groups && h < t->n_hosts; h++)
        if (c->mark2[t->hosts[h]] != stamp)
            add(c, 4,
                "host \"" ID_SHOW "\" does not attend %s: add them to its attendees",
                p->participants[t->hosts[h]].id, name);

    size_t size = x->n_attendees + x->n_unknown;
    if (size > room->capacity)
        add(c, 6,
            "%s has %zu attendees in room \"" ID_SHOW
            "\", more than its capacity %u: move it to a larger room or seat fewer "
            "people",
            name, size, rid, (unsigned)room->capacity);
    if (t->has_max_size && size > t->max_size)
        add(c, 6,
            "%s has %zu attendees, more than the topic's max_size %u: seat fewer people",
            name, size, (unsigned)t->max_size);
    if (t->has_groups && (size < t->groups.size_min || size > t->groups.size_max))
        add(c, 6,
            "%s has %zu attendees, outside the group size %u..%u: move people between "
            "its groups or change their number",
            name, size, (unsigned)t->groups.size_min, (unsigned)t->groups.size_max);

    for (size_t k = 0; k < x->n_attendees; k++) {
        size_t q = x->attendees[k];
        const struct alloc_participant *who = &p->participants[q];
        if (bit(c->person_off, q * ns + x->slot))
            add(c, 5,
                "participant \"" ID_SHOW "\" is unavailable in slot \"" ID_SHOW
                "\" but attends %s: take them out of it",
                who->id, sid, name);
        size_t v = vote_of(c, q, x->topic);
        bool hosts = c->mark[q] == stamp;
        if (!hosts && (v == SIZE_MAX || c->vote_weight[v] == 0))
            add(c, 5,
                "participant \"" ID_SHOW
                "\" attends %s without a vote for it%s: take them "
                "out of it",
                who->id, name, v == SIZE_MAX ? "" : " (their weight is 0)");
        if (who->n_needs > 0) {
            uint64_t need[(ALLOC_MAX_FEATURES + 63) / 64] = {0};
            for (size_t f = 0; f < who->n_needs; f++)
                set_bit(need, who->needs[f]);
            n = missing_features(c, need, have, miss, sizeof miss);
            if (n > 0)
                add(c, 5,
                    "participant \"" ID_SHOW "\" needs %s, which room \"" ID_SHOW
                    "\" lacks (%s): take them out of it or move the session",
                    who->id, miss, rid, name);
        }
        if (v != SIZE_MAX && c->vote_counted[v])
            c->vote_attended[v] = 1;
    }
}

/* Rule 5: one session per slot per participant, slot by slot. */
static void check_busy(struct checker *c)
{
    const struct alloc_problem *p = c->p;
    char a[100], b[100];

    for (size_t sl = 0; sl < p->n_slots; sl++) {
        for (size_t j = c->by_slot_start[sl]; j < c->by_slot_start[sl + 1]; j++) {
            size_t i = c->by_slot[j];
            const struct alloc_check_session *x = &c->s->sessions[i];
            for (size_t k = 0; k < x->n_attendees; k++) {
                size_t q = x->attendees[k];
                if (c->count[q] != sl + 1) {
                    c->count[q] = sl + 1;
                    c->who[q] = i;
                    continue;
                }
                session_name(c, &c->s->sessions[c->who[q]], a, sizeof a);
                session_name(c, x, b, sizeof b);
                add(c, 5,
                    "participant \"" ID_SHOW "\" attends two sessions in slot \"" ID_SHOW
                    "\", %s and %s: keep them in one",
                    p->participants[q].id, p->slots[sl].id, a, b);
            }
        }
    }
    memset(c->count, 0, p->n_participants * sizeof *c->count);
}

/* Rules 1 and 4 over the sessions of topic t (k > 0 of them). */
static void check_topic(struct checker *c, size_t t)
{
    const struct alloc_problem *p = c->p;
    const struct alloc_topic *tp = &p->topics[t];
    const size_t *list = &c->by_topic[c->by_topic_start[t]];
    size_t k = c->by_topic_start[t + 1] - c->by_topic_start[t];
    const struct alloc_check_session *ss = c->s->sessions;

    if (!tp->has_groups) {
        if (k > 1)
            add(c, 1,
                "topic \"" ID_SHOW "\" has %zu sessions, and an ordinary topic has one: "
                "remove all but one (or give the topic groups in the problem)",
                tp->id, k);
        for (size_t j = 0; j < k; j++)
            if (ss[list[j]].group != 1) {
                add(c, 1,
                    "topic \"" ID_SHOW
                    "\" is an ordinary topic, so its session is group 1, "
                    "not group %u: renumber it",
                    tp->id, (unsigned)ss[list[j]].group);
                break;
            }
        return;
    }
    if (k > tp->groups.max)
        add(c, 1,
            "topic \"" ID_SHOW "\" has %zu groups, more than its groups.max %u: remove "
            "%zu of them",
            tp->id, k, (unsigned)tp->groups.max, k - tp->groups.max);
    uint32_t bad = 0;
    bool twice = false;
    for (size_t j = 0; j < k && bad == 0; j++) {
        uint32_t g = ss[list[j]].group;
        if (g > k)
            bad = g;
        else if (c->seen[g]++)
            bad = g, twice = true;
    }
    for (size_t j = 0; j < k; j++)
        if (ss[list[j]].group <= k)
            c->seen[ss[list[j]].group] = 0;
    if (bad != 0)
        add(c, 1,
            "the %zu groups of topic \"" ID_SHOW
            "\" are not numbered 1..%zu (group %u %s): "
            "number them 1, 2, ... without gaps",
            k, tp->id, k, (unsigned)bad, twice ? "appears twice" : "is out of range");
    for (size_t j = 1; j < k; j++)
        if (ss[list[j]].slot != ss[list[0]].slot) {
            add(c, 1,
                "the groups of topic \"" ID_SHOW "\" are in different slots, \"" ID_SHOW
                "\" and \"" ID_SHOW "\": put them all in one slot",
                tp->id, p->slots[ss[list[0]].slot].id, p->slots[ss[list[j]].slot].id);
            break;
        }
    if (tp->n_hosts == 0)
        return;
    /* Rule 4: every host in exactly one group, a host in every group. The
     * stamp is above every session's, so mark[] needs no reset. */
    size_t stamp = c->s->n_sessions + 1 + t;
    for (size_t h = 0; h < tp->n_hosts; h++) {
        c->mark[tp->hosts[h]] = stamp;
        c->count[tp->hosts[h]] = 0;
    }
    for (size_t j = 0; j < k; j++)
        for (size_t a = 0; a < ss[list[j]].n_attendees; a++)
            if (c->mark[ss[list[j]].attendees[a]] == stamp)
                c->count[ss[list[j]].attendees[a]]++;
    for (size_t h = 0; h < tp->n_hosts; h++) {
        size_t q = tp->hosts[h];
        if (c->count[q] != 1)
            add(c, 4,
                "host \"" ID_SHOW "\" attends %zu groups of topic \"" ID_SHOW
                "\", not exactly one: %s",
                p->participants[q].id, c->count[q], tp->id,
                c->count[q] == 0 ? "add them to one" : "keep them in one");
        c->count[q] = 0;
    }
    for (size_t j = 0; j < k; j++) {
        const struct alloc_check_session *x = &ss[list[j]];
        bool hosted = false;
        for (size_t a = 0; a < x->n_attendees && !hosted; a++)
            hosted = c->mark[x->attendees[a]] == stamp;
        if (!hosted)
            add(c, 4,
                "group %u of topic \"" ID_SHOW "\" has no host: move one of the topic's "
                "hosts into it, or remove the group",
                (unsigned)x->group, tp->id);
    }
}

/* Rule 2: every fixed topic's group 1 is in its fixed cell. */
static void check_fixed(struct checker *c, size_t t)
{
    const struct alloc_problem *p = c->p;
    const struct alloc_topic *tp = &p->topics[t];

    for (size_t j = c->by_topic_start[t]; j < c->by_topic_start[t + 1]; j++) {
        const struct alloc_check_session *x = &c->s->sessions[c->by_topic[j]];
        if (x->group == 1 && x->room == tp->fixed_room && x->slot == tp->fixed_slot)
            return;
    }
    add(c, 2,
        "topic \"" ID_SHOW "\" is fixed in room \"" ID_SHOW "\", slot \"" ID_SHOW
        "\", but its %s is not there: put it back (or unlock it in the problem)",
        tp->id, p->rooms[tp->fixed_room].id, p->slots[tp->fixed_slot].id,
        tp->has_groups ? "group 1" : "session");
}

/* Returns true when topic t has at least one session. */
static bool scheduled(const struct checker *c, size_t t)
{
    return c->by_topic_start[t + 1] > c->by_topic_start[t];
}

/* The unscheduled list names exactly the topics without a session; "why"
 * explains none that has one (a warning). */
static void check_unscheduled(struct checker *c)
{
    const struct alloc_problem *p = c->p;
    const struct alloc_check_solution *s = c->s;
    size_t off = s->n_unscheduled_unknown, extra = s->n_why_unknown;
    const char *first = NULL, *first_extra = NULL;
    bool first_has = false;

    for (size_t i = 0; i < s->n_unscheduled; i++)
        c->listed[s->unscheduled[i]] = 1;
    for (size_t t = 0; t < p->n_topics; t++) {
        bool has = scheduled(c, t);
        if (has != (c->listed[t] != 0))
            continue;
        off++;
        if (first == NULL) {
            first = p->topics[t].id;
            first_has = has;
        }
    }
    memset(c->listed, 0, p->n_topics);
    if (first != NULL)
        add(c, ALLOC_CHECK_DOCUMENT,
            "unscheduled does not list exactly the topics without a session: topic "
            "\"" ID_SHOW "\" %s (%zu difference%s in all); list every topic without a "
            "session, and only those",
            first,
            first_has ? "has a session but is listed"
                      : "has no session but is not listed",
            off, off == 1 ? "" : "s");
    else if (off > 0)
        add(c, ALLOC_CHECK_DOCUMENT,
            "unscheduled does not list exactly the topics without a session: it names "
            "%zu "
            "unknown topic%s; list every topic without a session, and only those",
            off, off == 1 ? "" : "s");
    for (size_t i = 0; i < s->n_why; i++)
        if (scheduled(c, s->why[i])) {
            extra++;
            if (first_extra == NULL)
                first_extra = p->topics[s->why[i]].id;
        }
    if (extra > 0)
        warn(c->r,
             "why explains %zu topics that have a session or do not exist%s" ID_SHOW "%s",
             extra, first_extra ? " (such as \"" : "", first_extra ? first_extra : "",
             first_extra ? "\")" : "");
}

/* A claimed figure differs from the recomputed one. */
static void check_figure(struct checker *c, const char *key,
                         const struct alloc_check_figure *f, int64_t real, char *lacks,
                         size_t cap)
{
    if (!f->has) {
        size_t len = strlen(lacks);
        snprintf(lacks + len, cap - len, "%s%s", len ? ", " : "", key);
        return;
    }
    if (!f->number || f->value != (double)real)
        c->r->claim_ok = false;
    if (!f->number)
        add(c, ALLOC_CHECK_DOCUMENT,
            "score.%s is not a number: the recomputed value is %lld", key,
            (long long)real);
    else if (f->value != (double)real)
        add(c, ALLOC_CHECK_DOCUMENT, "score.%s: claimed %.17g, recomputed %lld", key,
            f->value, (long long)real);
}

static void check_claim(struct checker *c)
{
    const struct alloc_check_claim *cl = &c->s->claim;
    const struct alloc_score *sc = &c->r->score;
    char lacks[80] = "";

    if (!cl->present)
        return;
    if (!cl->is_object) {
        c->r->claim_ok = false;
        add(c, ALLOC_CHECK_DOCUMENT, "score is not an object");
        return;
    }
    check_figure(c, "scheduled", &cl->scheduled, sc->scheduled, lacks, sizeof lacks);
    check_figure(c, "moved", &cl->moved, sc->moved, lacks, sizeof lacks);
    check_figure(c, "satisfied", &cl->satisfied, sc->satisfied, lacks, sizeof lacks);
    check_figure(c, "demand", &cl->demand, sc->demand, lacks, sizeof lacks);
    check_figure(c, "unserved", &cl->unserved, sc->unserved, lacks, sizeof lacks);
    if (lacks[0] != '\0')
        warn(c->r, "score lacks %s", lacks);
    if (cl->bound.has && (!cl->bound.number || cl->bound.value < (double)sc->satisfied))
        c->r->claim_ok = false;
    if (cl->bound.has && !cl->bound.number)
        add(c, ALLOC_CHECK_DOCUMENT, "score.bound is not a number");
    else if (cl->bound.has && cl->bound.value < (double)sc->satisfied)
        add(c, ALLOC_CHECK_DOCUMENT,
            "score.bound %.17g is below the recomputed satisfied %lld: a bound is never "
            "below what the solution reaches",
            cl->bound.value, (long long)sc->satisfied);
}

/* scheduled, moved, satisfied, demand and unserved, from the sessions alone. */
static void recompute(struct checker *c)
{
    const struct alloc_problem *p = c->p;
    struct alloc_score *sc = &c->r->score;

    for (size_t t = 0; t < p->n_topics; t++)
        sc->scheduled += scheduled(c, t);
    for (size_t i = 0; i < p->n_previous; i++) {
        const struct alloc_previous *e = &p->previous[i];
        bool kept = false;
        for (size_t j = c->by_topic_start[e->topic];
             j < c->by_topic_start[e->topic + 1] && !kept; j++) {
            const struct alloc_check_session *x = &c->s->sessions[c->by_topic[j]];
            kept = x->group == e->group && x->room == e->room && x->slot == e->slot;
        }
        sc->moved += !kept;
    }
    for (size_t q = 0; q < p->n_participants; q++) {
        bool voter = false, served = false;
        for (size_t v = c->vote_start[q]; v < c->vote_start[q + 1]; v++) {
            if (!c->vote_counted[v])
                continue;
            voter = true;
            sc->demand += c->vote_weight[v];
            if (c->vote_attended[v]) {
                served = true;
                sc->satisfied += c->vote_weight[v];
            }
        }
        sc->unserved += voter && !served;
    }
}

enum forum_status alloc_check(const struct alloc_problem *p,
                              const struct alloc_check_solution *s,
                              struct alloc_check_report **out, struct forum_error *err)
{
    struct checker c = {0};
    struct alloc_check_report *r = NULL;
    enum forum_status rc;

    if (out == NULL || p == NULL || s == NULL)
        return forum_error_set(err, FORUM_EINVAL, "", "no problem, solution or output");
    *out = NULL;
    if ((rc = alloc_problem_validate(p, err)) != FORUM_OK ||
        (rc = check_indices(p, s, err)) != FORUM_OK)
        return rc;
    r = forum_try_calloc(1, sizeof *r);
    if (r == NULL || (r->violations = forum_try_calloc(ALLOC_CHECK_MAX_KEPT,
                                                       sizeof *r->violations)) == NULL) {
        rc = forum_error_set(err, FORUM_ENOMEM, "", "out of memory");
        goto out;
    }
    r->valid = r->claim_ok = true;
    r->objective = p->objective;
    c.p = p;
    c.s = s;
    c.r = r;
    if ((rc = checker_init(&c, err)) != FORUM_OK)
        goto out;
    /* The reader's findings first, in document order. */
    for (size_t i = 0; i < s->n_defects; i++)
        add(&c, ALLOC_CHECK_DOCUMENT, "%s", s->defects[i].text);
    for (size_t i = s->n_defects; i < s->n_defects_total; i++) {
        r->valid = false;
        r->n_total++;
        r->by_rule[ALLOC_CHECK_DOCUMENT]++;
    }
    for (size_t i = 0; i < s->n_sessions; i++)
        check_session(&c, i);
    check_busy(&c);
    for (size_t t = 0; t < p->n_topics; t++)
        if (scheduled(&c, t))
            check_topic(&c, t);
    for (size_t t = 0; t < p->n_topics; t++)
        if (p->topics[t].fixed_room != ALLOC_NONE)
            check_fixed(&c, t);
    check_unscheduled(&c);
    recompute(&c);
    check_claim(&c);
    *out = r;
    r = NULL;
out:
    checker_release(&c);
    alloc_check_report_free(r);
    return rc;
}

int alloc_check_compare(const struct alloc_score *a, const struct alloc_score *b,
                        enum alloc_objective objective)
{
    /* Larger is better on every key: moved is compared negated. */
    int64_t ka[3], kb[3];
    if (objective == ALLOC_VOTES_FIRST) {
        ka[0] = -a->moved, ka[1] = a->satisfied, ka[2] = a->scheduled;
        kb[0] = -b->moved, kb[1] = b->satisfied, kb[2] = b->scheduled;
    } else {
        ka[0] = a->scheduled, ka[1] = -a->moved, ka[2] = a->satisfied;
        kb[0] = b->scheduled, kb[1] = -b->moved, kb[2] = b->satisfied;
    }
    for (int i = 0; i < 3; i++)
        if (ka[i] != kb[i])
            return ka[i] > kb[i] ? 1 : -1;
    return 0;
}

void alloc_check_against_ref(struct alloc_check_report *r,
                             const struct alloc_check_ref *ref,
                             const struct alloc_check_claim *claim)
{
    r->has_ref = true;
    if (ref->satisfied != 0) {
        r->has_ratio = true;
        r->ratio = round((double)r->score.satisfied / (double)ref->satisfied * 1e6) / 1e6;
    } else {
        r->has_ratio = r->score.satisfied == 0;
        r->ratio = 1.0;
    }
    if (ref->has_levels) {
        struct alloc_score rs = {.scheduled = ref->scheduled,
                                 .moved = ref->moved,
                                 .satisfied = ref->satisfied};
        int cmp = alloc_check_compare(&r->score, &rs, r->objective);
        r->levels_equal =
            r->score.scheduled == ref->scheduled && r->score.moved == ref->moved;
        r->vs_ref = cmp > 0    ? ALLOC_VS_BETTER
                    : cmp == 0 ? ALLOC_VS_EQUAL
                               : ALLOC_VS_WORSE;
        if (cmp > 0 && ref->proven && r->valid)
            warn(r, "a valid solution beats a proven reference: the reference or the "
                    "referee is wrong");
    }
    if (claim != NULL && claim->present && claim->is_object && claim->bound.has &&
        claim->bound.number && claim->bound.value < (double)ref->satisfied) {
        struct checker c = {.r = r};
        r->claim_ok = false;
        add(&c, ALLOC_CHECK_DOCUMENT,
            "score.bound %.17g is below the reference's satisfied %lld, which a valid "
            "solution reaches: the bound is wrong",
            claim->bound.value, (long long)ref->satisfied);
    }
}
