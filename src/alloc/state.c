/* SPDX-License-Identifier: MIT */
/*
 * The local search state and its incremental evaluation: moving units only
 * re-derives the best eligible choice of the moved topics' voters and hosts
 * in the slots they leave and enter, and re-values the topics whose choosers
 * changed. Every change is journaled so that a rejected move is undone
 * exactly. Besides the approximate satisfied weight, the state keeps the
 * other levels of the score: topics placed, topics that count as scheduled
 * (a group topic only when its groups look fillable) and previous entries
 * kept.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"

void alloc__state_release(struct alloc__state *st)
{
    free(st->place);
    free(st->tk);
    free(st->tslot);
    free(st->troom);
    free(st->tseats);
    free(st->tlim);
    free(st->feas);
    free(st->kept);
    free(st->cell_unit);
    free(st->cell_topic);
    free(st->hosting);
    free(st->choice);
    free(st->choice_w);
    free(st->chosen);
    free(st->wsum);
    free(st->value);
    free(st->j_ps);
    free(st->j_old);
    free(st->j_oldw);
    free(st->jv_t);
    free(st->jv_old);
    free(st->jv_feas);
    free(st->dirty);
    free(st->fmax);
    free(st->fcnt_max);
    free(st->fcnt);
    free(st->j_oldc);
    free(st->mv_u);
    free(st->mv_from);
    free(st->mv_to);
    free(st->mt_t);
    free(st->mt_slot);
    free(st->mt_kept);
    free(st->rooms_buf);
    memset(st, 0, sizeof *st);
}

/* True when every allowed room seats all the voters of every topic, and no
 * topic runs as groups (their lower bounds make the approximation inexact). */
static bool uncapacitated(const struct alloc__model *m)
{
    if (m->n_groups > 0)
        return false;
    for (int32_t t = 0; t < m->T; t++) {
        int32_t voters = m->voter_start[t + 1] - m->voter_start[t];
        for (int32_t i = m->ok_room_start[t]; i < m->ok_room_start[t + 1]; i++)
            if (alloc__seats(m, t, m->ok_room[i]) < voters)
                return false;
    }
    return true;
}

enum forum_status alloc__state_init(struct alloc__state *st, const struct alloc__model *m)
{
    size_t T = (size_t)m->T + 1, C = (size_t)m->C + 1, U = (size_t)m->U + 1,
           PS = (size_t)m->P * (size_t)m->S + 1, R = (size_t)m->R + 1;

    memset(st, 0, sizeof *st);
    st->m = m;
    st->place = forum_try_malloc(U * sizeof *st->place);
    st->tk = forum_try_calloc(T, sizeof *st->tk);
    st->tslot = forum_try_malloc(T * sizeof *st->tslot);
    st->troom = forum_try_malloc(T * sizeof *st->troom);
    st->tseats = forum_try_calloc(T, sizeof *st->tseats);
    st->tlim = forum_try_calloc(T, sizeof *st->tlim);
    st->feas = forum_try_calloc(T, 1);
    st->kept = forum_try_calloc(T, sizeof *st->kept);
    st->cell_unit = forum_try_malloc(C * sizeof *st->cell_unit);
    st->cell_topic = forum_try_malloc(C * sizeof *st->cell_topic);
    st->hosting = forum_try_calloc(PS, 1);
    st->choice = forum_try_malloc(PS * sizeof *st->choice);
    st->choice_w = forum_try_malloc(PS * sizeof *st->choice_w);
    st->chosen = forum_try_calloc(T, sizeof *st->chosen);
    st->wsum = forum_try_calloc(T, sizeof *st->wsum);
    st->value = forum_try_calloc(T, sizeof *st->value);
    st->dirty = forum_try_calloc(T, 1);
    st->j_cap = 256;
    st->j_ps = forum_try_malloc(st->j_cap * sizeof *st->j_ps);
    st->j_old = forum_try_malloc(st->j_cap * sizeof *st->j_old);
    st->j_oldw = forum_try_malloc(st->j_cap * sizeof *st->j_oldw);
    st->j_oldc = forum_try_malloc(st->j_cap * sizeof *st->j_oldc);
    st->jv_cap = 64;
    st->jv_t = forum_try_malloc(st->jv_cap * sizeof *st->jv_t);
    st->jv_old = forum_try_malloc(st->jv_cap * sizeof *st->jv_old);
    st->jv_feas = forum_try_malloc(st->jv_cap * sizeof *st->jv_feas);
    st->mv_cap = U;
    st->mv_u = forum_try_malloc(U * sizeof *st->mv_u);
    st->mv_from = forum_try_malloc(U * sizeof *st->mv_from);
    st->mv_to = forum_try_malloc(U * sizeof *st->mv_to);
    st->mt_t = forum_try_malloc(U * sizeof *st->mt_t);
    st->mt_slot = forum_try_malloc(U * sizeof *st->mt_slot);
    st->mt_kept = forum_try_malloc(U * sizeof *st->mt_kept);
    st->rooms_buf = forum_try_malloc(R * sizeof *st->rooms_buf);
    st->fast = uncapacitated(m);
    if (st->fast) {
        st->fmax = forum_try_calloc(PS, sizeof *st->fmax);
        st->fcnt_max = forum_try_calloc(PS, sizeof *st->fcnt_max);
        st->fcnt = forum_try_calloc(PS, sizeof *st->fcnt);
        if (!st->fmax || !st->fcnt_max || !st->fcnt) {
            alloc__state_release(st);
            return FORUM_ENOMEM;
        }
    }
    if (!st->place || !st->tk || !st->tslot || !st->troom || !st->tseats || !st->tlim ||
        !st->feas || !st->kept || !st->cell_unit || !st->cell_topic || !st->hosting ||
        !st->choice || !st->choice_w || !st->chosen || !st->wsum || !st->value ||
        !st->dirty || !st->j_ps || !st->j_old || !st->j_oldw || !st->j_oldc ||
        !st->jv_t || !st->jv_old || !st->jv_feas || !st->mv_u || !st->mv_from ||
        !st->mv_to || !st->mt_t || !st->mt_slot || !st->mt_kept || !st->rooms_buf) {
        alloc__state_release(st);
        return FORUM_ENOMEM;
    }
    return FORUM_OK;
}

/* The approximate value of topic t: the weight of its choosers, scaled down by
 * seats / choosers when more chose it than it seats. */
static double topic_value(const struct alloc__state *st, int32_t t)
{
    if (st->tk[t] == 0 || st->chosen[t] == 0)
        return 0.0;
    int32_t seats = st->tseats[t];
    if (st->chosen[t] <= seats)
        return (double)st->wsum[t];
    return seats <= 0 ? 0.0 : (double)st->wsum[t] * (double)seats / (double)st->chosen[t];
}

/* Whether topic t counts as scheduled: placed and, for a group topic, its groups
 * look fillable (hosts fit, and hosts and choosers reach k * size_min). */
static uint8_t topic_feasible(const struct alloc__state *st, int32_t t)
{
    const struct alloc__model *m = st->m;
    int32_t k = st->tk[t];
    if (k == 0)
        return 0;
    if (!m->is_group[t])
        return 1;
    int32_t nh = alloc__n_hosts(m, t);
    return nh <= st->tlim[t] && (int64_t)nh + st->chosen[t] >= (int64_t)k * m->gmin[t];
}

/* True when participant q may enter one of the rooms of placed group topic t. */
static bool group_room_ok(const struct alloc__state *st, int32_t q, int32_t t)
{
    const struct alloc__model *m = st->m;
    for (int32_t u = m->unit_start[t], e = u + st->tk[t]; u < e; u++)
        if (alloc__p_room_ok(m, q, st->place[u] % m->R))
            return true;
    return false;
}

/* True when q may attend placed topic t (room features only). */
static inline bool eligible(const struct alloc__state *st, int32_t q, int32_t t,
                            const uint64_t *rooms)
{
    int32_t r = st->troom[t];
    if (r >= 0)
        return ((rooms[r >> 6] >> (r & 63)) & 1u) != 0;
    return group_room_ok(st, q, t);
}

/* The best eligible choice of participant q in slot s. OUT: *w. */
static int32_t best_choice(const struct alloc__state *st, int32_t q, int32_t s,
                           int32_t *w)
{
    const struct alloc__model *m = st->m;
    size_t ps = (size_t)q * (size_t)m->S + (size_t)s;
    const uint64_t *rooms = m->class_room + (size_t)m->pclass[q] * (size_t)m->class_words;
    const int32_t *vt = m->vote_t, *tslot = st->tslot;

    *w = 0;
    if (m->p_unavail[ps] || st->hosting[ps])
        return -1;
    for (int32_t v = m->vote_start[q], end = m->vote_start[q + 1]; v < end; v++) {
        int32_t t = vt[v];
        if (tslot[t] == s && eligible(st, q, t, rooms)) {
            *w = m->vote_w[v];
            return t;
        }
    }
    return -1;
}

static int32_t contrib(const struct alloc__state *st, size_t ps);
static void fast_rescan(struct alloc__state *st, int32_t q, int32_t s);

/* Recomputes the per-topic placement summary of t from its units' cells. */
static void summarise(struct alloc__state *st, int32_t t)
{
    const struct alloc__model *m = st->m;
    int32_t k = 0, lim = 0, u0 = m->unit_start[t];

    while (u0 + k < m->unit_start[t + 1] && st->place[u0 + k] >= 0) {
        lim += alloc__limit(m, t, st->place[u0 + k] % m->R);
        st->rooms_buf[k] = st->place[u0 + k] % m->R;
        k++;
    }
    st->tk[t] = k;
    st->tslot[t] = k > 0 ? st->place[u0] / m->R : -1;
    st->troom[t] = k > 0 && !m->is_group[t] ? st->place[u0] % m->R : -1;
    st->tlim[t] = lim;
    st->tseats[t] = k == 0            ? 0
                    : !m->is_group[t] ? alloc__seats(m, t, st->troom[t])
                                      : lim - alloc__n_hosts(m, t);
    st->kept[t] = k > 0 ? alloc__kept(m, t, st->tslot[t], k, st->rooms_buf) : 0;
}

/* Takes topic t out of its cells and its hosts out of its slot (its units keep
 * their place entries). */
static void topic_out(struct alloc__state *st, int32_t t)
{
    const struct alloc__model *m = st->m;
    int32_t s = st->tslot[t];

    if (s < 0)
        return;
    for (int32_t u = m->unit_start[t], e = u + st->tk[t]; u < e; u++) {
        st->cell_unit[st->place[u]] = -1;
        st->cell_topic[st->place[u]] = -1;
    }
    for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
        st->hosting[(size_t)m->host_p[h] * (size_t)m->S + (size_t)s]--;
    st->placed--;
    st->nkept -= st->kept[t];
    st->tslot[t] = -1;
    st->tk[t] = 0;
}

/* Puts topic t into the cells its units' place entries name. */
static void topic_in(struct alloc__state *st, int32_t t)
{
    const struct alloc__model *m = st->m;

    summarise(st, t);
    int32_t s = st->tslot[t];
    if (s < 0)
        return;
    for (int32_t u = m->unit_start[t], e = u + st->tk[t]; u < e; u++) {
        st->cell_unit[st->place[u]] = u;
        st->cell_topic[st->place[u]] = t;
    }
    for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
        st->hosting[(size_t)m->host_p[h] * (size_t)m->S + (size_t)s]++;
    st->placed++;
    st->nkept += st->kept[t];
}

enum forum_status alloc__state_load(struct alloc__state *st, const int32_t *place)
{
    const struct alloc__model *m = st->m;
    size_t PS = (size_t)m->P * (size_t)m->S;

    for (int32_t c = 0; c < m->C; c++)
        st->cell_unit[c] = st->cell_topic[c] = -1;
    memset(st->hosting, 0, PS ? PS : 1);
    memcpy(st->place, place, (size_t)m->U * sizeof *place);
    st->placed = st->nkept = st->sched = 0;
    for (int32_t t = 0; t < m->T; t++) {
        st->tslot[t] = -1;
        st->tk[t] = 0;
        st->chosen[t] = 0;
        st->wsum[t] = 0;
        topic_in(st, t);
    }
    st->j_n = st->jv_n = 0;
    st->mv_n = st->mt_n = 0;
    st->total = 0.0;
    if (st->fast) {
        for (int32_t q = 0; q < m->P; q++)
            for (int32_t s = 0; s < m->S; s++) {
                fast_rescan(st, q, s);
                st->total += contrib(st, (size_t)q * (size_t)m->S + (size_t)s);
            }
    } else {
        for (int32_t q = 0; q < m->P; q++)
            for (int32_t s = 0; s < m->S; s++) {
                size_t ps = (size_t)q * (size_t)m->S + (size_t)s;
                int32_t w, t = best_choice(st, q, s, &w);
                st->choice[ps] = t;
                st->choice_w[ps] = w;
                if (t >= 0) {
                    st->chosen[t]++;
                    st->wsum[t] += w;
                }
            }
        for (int32_t t = 0; t < m->T; t++) {
            st->value[t] = topic_value(st, t);
            st->total += st->value[t];
        }
    }
    for (int32_t t = 0; t < m->T; t++) {
        st->feas[t] = topic_feasible(st, t);
        st->sched += st->feas[t];
    }
    return FORUM_OK;
}

double alloc__state_recompute_total(const struct alloc__state *st)
{
    const struct alloc__model *m = st->m;
    double total = 0.0;
    int32_t *chosen = forum_try_calloc((size_t)m->T + 1, sizeof *chosen);
    int64_t *wsum = forum_try_calloc((size_t)m->T + 1, sizeof *wsum);

    if (chosen == NULL || wsum == NULL) {
        free(chosen);
        free(wsum);
        return -1.0;
    }
    for (int32_t q = 0; q < m->P; q++)
        for (int32_t s = 0; s < m->S; s++) {
            int32_t w, t = best_choice(st, q, s, &w);
            if (t >= 0) {
                chosen[t]++;
                wsum[t] += w;
            }
        }
    for (int32_t t = 0; t < m->T; t++) {
        if (st->tk[t] == 0 || chosen[t] == 0)
            continue;
        int32_t seats = st->tseats[t];
        total += chosen[t] <= seats ? (double)wsum[t]
                 : seats <= 0       ? 0.0
                                    : (double)wsum[t] * (double)seats / (double)chosen[t];
    }
    free(chosen);
    free(wsum);
    return total;
}

bool alloc__state_hosts_ok(const struct alloc__state *st, int32_t t, int32_t s,
                           int32_t ex1, int32_t ex2)
{
    const struct alloc__model *m = st->m;
    int32_t ex[3] = {t, ex1, ex2};

    for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++) {
        int32_t q = m->host_p[h];
        int32_t busy = st->hosting[(size_t)q * (size_t)m->S + (size_t)s];
        if (busy == 0)
            continue;
        for (int e = 0; e < 3; e++) {
            int32_t u = ex[e];
            if (u < 0 || st->tslot[u] != s)
                continue;
            if (e > 0 && u == t)
                continue;
            if (e == 2 && u == ex1)
                continue;
            for (int32_t k = m->host_start[u]; k < m->host_start[u + 1]; k++)
                if (m->host_p[k] == q)
                    busy--;
        }
        if (busy > 0)
            return false;
    }
    return true;
}

static enum forum_status journal_choice(struct alloc__state *st, int32_t ps)
{
    if (st->j_n == st->j_cap) {
        size_t cap = st->j_cap * 2;
        int32_t *a = forum_try_realloc(st->j_ps, cap * sizeof *a);
        if (a == NULL)
            return FORUM_ENOMEM;
        st->j_ps = a;
        a = forum_try_realloc(st->j_old, cap * sizeof *a);
        if (a == NULL)
            return FORUM_ENOMEM;
        st->j_old = a;
        a = forum_try_realloc(st->j_oldw, cap * sizeof *a);
        if (a == NULL)
            return FORUM_ENOMEM;
        st->j_oldw = a;
        a = forum_try_realloc(st->j_oldc, cap * sizeof *a);
        if (a == NULL)
            return FORUM_ENOMEM;
        st->j_oldc = a;
        st->j_cap = cap;
    }
    st->j_ps[st->j_n] = ps;
    if (st->fast) {
        st->j_old[st->j_n] = st->fmax[ps];
        st->j_oldw[st->j_n] = st->fcnt_max[ps];
        st->j_oldc[st->j_n] = st->fcnt[ps];
    } else {
        st->j_old[st->j_n] = st->choice[ps];
        st->j_oldw[st->j_n] = st->choice_w[ps];
    }
    st->j_n++;
    return FORUM_OK;
}

/* Journals topic t's value and feasibility, to be recomputed at the end of the move. */
static enum forum_status mark_dirty(struct alloc__state *st, int32_t t)
{
    if (t < 0 || st->dirty[t])
        return FORUM_OK;
    if (st->jv_n == st->jv_cap) {
        size_t cap = st->jv_cap * 2;
        int32_t *a = forum_try_realloc(st->jv_t, cap * sizeof *a);
        if (a == NULL)
            return FORUM_ENOMEM;
        st->jv_t = a;
        double *d = forum_try_realloc(st->jv_old, cap * sizeof *d);
        if (d == NULL)
            return FORUM_ENOMEM;
        st->jv_old = d;
        uint8_t *f = forum_try_realloc(st->jv_feas, cap * sizeof *f);
        if (f == NULL)
            return FORUM_ENOMEM;
        st->jv_feas = f;
        st->jv_cap = cap;
    }
    st->dirty[t] = 1;
    st->jv_t[st->jv_n] = t;
    st->jv_old[st->jv_n] = st->value[t];
    st->jv_feas[st->jv_n] = st->feas[t];
    st->jv_n++;
    return FORUM_OK;
}

/* Sets the choice of (participant, slot) ps to t with weight w; journals it. */
static enum forum_status set_choice(struct alloc__state *st, int32_t ps, int32_t t,
                                    int32_t w)
{
    int32_t old = st->choice[ps];
    enum forum_status rc;

    if ((rc = journal_choice(st, ps)) != FORUM_OK ||
        (rc = mark_dirty(st, old)) != FORUM_OK || (rc = mark_dirty(st, t)) != FORUM_OK)
        return rc;
    if (old >= 0) {
        st->chosen[old]--;
        st->wsum[old] -= st->choice_w[ps];
    }
    st->choice[ps] = t;
    st->choice_w[ps] = w;
    if (t >= 0) {
        st->chosen[t]++;
        st->wsum[t] += w;
    }
    return FORUM_OK;
}

/* Re-derives the choice of q in s by a full scan; journals and applies a change. */
static enum forum_status refresh(struct alloc__state *st, int32_t q, int32_t s)
{
    const struct alloc__model *m = st->m;
    int32_t ps = q * m->S + s;
    int32_t w, t = best_choice(st, q, s, &w);

    if (t == st->choice[ps] && w == st->choice_w[ps])
        return FORUM_OK;
    return set_choice(st, ps, t, w);
}

/* Topic t left slot s (or changed rooms there): the voters who had chosen it
 * rescan. */
static enum forum_status leave_slot(struct alloc__state *st, int32_t t, int32_t s)
{
    const struct alloc__model *m = st->m;
    enum forum_status rc;

    for (int32_t v = m->voter_start[t]; v < m->voter_start[t + 1]; v++) {
        int32_t q = m->voter_p[v];
        if (st->choice[q * m->S + s] == t && (rc = refresh(st, q, s)) != FORUM_OK)
            return rc;
    }
    return FORUM_OK;
}

/*
 * Topic t is placed in its new cells: a voter switches to it when it beats
 * their current choice in the order of best_choice() (weight, then topic
 * index). Valid because every other change of the move was applied before.
 */
static enum forum_status enter_slot(struct alloc__state *st, int32_t t)
{
    const struct alloc__model *m = st->m;
    int32_t s = st->tslot[t];
    enum forum_status rc;

    for (int32_t v = m->voter_start[t]; v < m->voter_start[t + 1]; v++) {
        int32_t q = m->voter_p[v], w = m->voter_w[v];
        int32_t ps = q * m->S + s, cur = st->choice[ps];
        if (m->p_unavail[ps] || st->hosting[ps] || cur == t)
            continue;
        if (cur >= 0 && (w < st->choice_w[ps] || (w == st->choice_w[ps] && t > cur)))
            continue;
        const uint64_t *rooms =
            m->class_room + (size_t)m->pclass[q] * (size_t)m->class_words;
        if (!eligible(st, q, t, rooms))
            continue;
        if ((rc = set_choice(st, ps, t, w)) != FORUM_OK)
            return rc;
    }
    return FORUM_OK;
}

/* The hosts of t changed duty in slot s: full scans. */
static enum forum_status refresh_hosts(struct alloc__state *st, int32_t t, int32_t s)
{
    const struct alloc__model *m = st->m;
    enum forum_status rc;

    for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
        if ((rc = refresh(st, m->host_p[h], s)) != FORUM_OK)
            return rc;
    return FORUM_OK;
}

/* ---- fast mode (see struct alloc__state) ---- */

static int32_t contrib(const struct alloc__state *st, size_t ps)
{
    return st->m->p_unavail[ps] || st->hosting[ps] ? 0 : st->fmax[ps];
}

/* Recounts (q, s) from the current placement. */
static void fast_rescan(struct alloc__state *st, int32_t q, int32_t s)
{
    const struct alloc__model *m = st->m;
    size_t ps = (size_t)q * (size_t)m->S + (size_t)s;
    const uint64_t *rooms = m->class_room + (size_t)m->pclass[q] * (size_t)m->class_words;
    int32_t best = 0, at_best = 0, n = 0;

    for (int32_t v = m->vote_start[q]; v < m->vote_start[q + 1]; v++) {
        int32_t t = m->vote_t[v], w = m->vote_w[v];
        if (st->tslot[t] != s ||
            !((rooms[st->troom[t] >> 6] >> (st->troom[t] & 63)) & 1u))
            continue;
        n++;
        if (w > best) {
            best = w;
            at_best = 1;
        } else if (w == best) {
            at_best++;
        }
    }
    st->fmax[ps] = best;
    st->fcnt_max[ps] = at_best;
    st->fcnt[ps] = n;
}

/* A topic of weight w for q left slot s (it is already unplaced). */
static enum forum_status fast_dec(struct alloc__state *st, int32_t q, int32_t s,
                                  int32_t w)
{
    size_t ps = (size_t)q * (size_t)st->m->S + (size_t)s;
    enum forum_status rc = journal_choice(st, (int32_t)ps);
    if (rc != FORUM_OK)
        return rc;
    int32_t before = contrib(st, ps);
    st->fcnt[ps]--;
    if (w == st->fmax[ps] && --st->fcnt_max[ps] == 0) {
        if (st->fcnt[ps] == 0)
            st->fmax[ps] = 0;
        else
            fast_rescan(st, q, s);
    }
    st->total += contrib(st, ps) - before;
    return FORUM_OK;
}

/* A topic of weight w for q entered slot s. */
static enum forum_status fast_inc(struct alloc__state *st, int32_t q, int32_t s,
                                  int32_t w)
{
    size_t ps = (size_t)q * (size_t)st->m->S + (size_t)s;
    enum forum_status rc = journal_choice(st, (int32_t)ps);
    if (rc != FORUM_OK)
        return rc;
    int32_t before = contrib(st, ps);
    st->fcnt[ps]++;
    if (w > st->fmax[ps]) {
        st->fmax[ps] = w;
        st->fcnt_max[ps] = 1;
    } else if (w == st->fmax[ps]) {
        st->fcnt_max[ps]++;
    }
    st->total += contrib(st, ps) - before;
    return FORUM_OK;
}

/* Fast mode (one unit per topic): takes t out (in = false) or puts it into the
 * cell of its place entry (in = true), updating the counters of its voters and
 * the hosts' contributions. */
static enum forum_status fast_topic(struct alloc__state *st, int32_t t, bool in)
{
    const struct alloc__model *m = st->m;
    int32_t c = in                  ? st->place[m->unit_start[t]]
                : st->tslot[t] >= 0 ? st->place[m->unit_start[t]]
                                    : -1;
    enum forum_status rc;

    if (c < 0)
        return FORUM_OK;
    int32_t s = c / m->R, r = c % m->R;
    for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
        st->total -= contrib(st, (size_t)m->host_p[h] * (size_t)m->S + (size_t)s);
    if (in)
        topic_in(st, t);
    else
        topic_out(st, t);
    for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
        st->total += contrib(st, (size_t)m->host_p[h] * (size_t)m->S + (size_t)s);
    for (int32_t v = m->voter_start[t]; v < m->voter_start[t + 1]; v++) {
        int32_t q = m->voter_p[v];
        if (!alloc__p_room_ok(m, q, r))
            continue;
        rc = in ? fast_inc(st, q, s, m->voter_w[v]) : fast_dec(st, q, s, m->voter_w[v]);
        if (rc != FORUM_OK)
            return rc;
    }
    return FORUM_OK;
}

/* Records the move and the topics it touches (with their old slot and kept). */
static void record(struct alloc__state *st, int n, const int32_t *u, const int32_t *to)
{
    const struct alloc__model *m = st->m;

    st->mv_n = n;
    st->mt_n = 0;
    st->mv_total = st->total;
    st->mv_sched = st->sched;
    st->mv_placed = st->placed;
    st->mv_kept = st->nkept;
    for (int i = 0; i < n; i++) {
        st->mv_u[i] = u[i];
        st->mv_from[i] = st->place[u[i]];
        st->mv_to[i] = to[i];
        int32_t t = m->unit_topic[u[i]];
        bool seen = false;
        for (int32_t k = 0; k < st->mt_n && !seen; k++)
            seen = st->mt_t[k] == t;
        if (!seen) {
            st->mt_t[st->mt_n] = t;
            st->mt_slot[st->mt_n] = st->tslot[t];
            st->mt_kept[st->mt_n] = st->kept[t];
            st->mt_n++;
        }
    }
}

static void fill_delta(const struct alloc__state *st, struct alloc__delta *d)
{
    d->sat = st->total - st->mv_total;
    d->sched = st->sched - st->mv_sched;
    d->placed = st->placed - st->mv_placed;
    d->kept = st->nkept - st->mv_kept;
}

/* Recomputes the value and feasibility of every dirty topic. */
static void revalue(struct alloc__state *st)
{
    double d = 0.0;
    for (size_t i = 0; i < st->jv_n; i++) {
        int32_t u = st->jv_t[i];
        if (!st->fast) {
            double v = topic_value(st, u);
            d += v - st->value[u];
            st->value[u] = v;
        }
        uint8_t f = topic_feasible(st, u);
        st->sched += (int64_t)f - (int64_t)st->feas[u];
        st->feas[u] = f;
        st->dirty[u] = 0;
    }
    st->total += d;
}

enum forum_status alloc__state_move(struct alloc__state *st, int n, const int32_t *u,
                                    const int32_t *to, struct alloc__delta *delta)
{
    const struct alloc__model *m = st->m;
    enum forum_status rc = FORUM_OK;

    st->j_n = st->jv_n = 0;
    record(st, n, u, to);
    for (int32_t i = 0; i < st->mt_n; i++)
        if ((rc = mark_dirty(st, st->mt_t[i])) != FORUM_OK)
            goto fail;
    if (st->fast) {
        for (int32_t i = 0; i < st->mt_n; i++)
            if ((rc = fast_topic(st, st->mt_t[i], false)) != FORUM_OK)
                goto fail;
        for (int i = 0; i < n; i++)
            st->place[u[i]] = to[i];
        for (int32_t i = 0; i < st->mt_n; i++)
            if ((rc = fast_topic(st, st->mt_t[i], true)) != FORUM_OK)
                goto fail;
        revalue(st);
        fill_delta(st, delta);
        return FORUM_OK;
    }
    /* Every touched topic out first, then in: a swap passes through "both out". */
    for (int32_t i = 0; i < st->mt_n; i++)
        topic_out(st, st->mt_t[i]);
    for (int i = 0; i < n; i++)
        st->place[u[i]] = to[i];
    for (int32_t i = 0; i < st->mt_n; i++)
        topic_in(st, st->mt_t[i]);
    /* Leaves first (rescans see the final placement), then hosts, then entries. */
    for (int32_t i = 0; i < st->mt_n; i++) {
        int32_t t = st->mt_t[i], s = st->mt_slot[i];
        if (s >= 0 && ((rc = leave_slot(st, t, s)) != FORUM_OK ||
                       (rc = refresh_hosts(st, t, s)) != FORUM_OK))
            goto fail;
    }
    for (int32_t i = 0; i < st->mt_n; i++) {
        int32_t t = st->mt_t[i];
        if (st->tslot[t] >= 0 && (rc = refresh_hosts(st, t, st->tslot[t])) != FORUM_OK)
            goto fail;
    }
    for (int32_t i = 0; i < st->mt_n; i++) {
        int32_t t = st->mt_t[i];
        if (st->tslot[t] >= 0 && (rc = enter_slot(st, t)) != FORUM_OK)
            goto fail;
    }
    (void)m;
    revalue(st);
    fill_delta(st, delta);
    return FORUM_OK;
fail:
    alloc__state_undo(st);
    return rc;
}

void alloc__state_undo(struct alloc__state *st)
{
    if (st->fast) {
        for (size_t i = st->j_n; i-- > 0;) {
            size_t ps = (size_t)st->j_ps[i];
            st->fmax[ps] = st->j_old[i];
            st->fcnt_max[ps] = st->j_oldw[i];
            st->fcnt[ps] = st->j_oldc[i];
        }
        st->j_n = 0;
    }
    for (size_t i = st->j_n; i-- > 0;) {
        int32_t ps = st->j_ps[i];
        int32_t cur = st->choice[ps];
        if (cur >= 0) {
            st->chosen[cur]--;
            st->wsum[cur] -= st->choice_w[ps];
        }
        st->choice[ps] = st->j_old[i];
        st->choice_w[ps] = st->j_oldw[i];
        if (st->j_old[i] >= 0) {
            st->chosen[st->j_old[i]]++;
            st->wsum[st->j_old[i]] += st->j_oldw[i];
        }
    }
    for (int32_t i = 0; i < st->mt_n; i++)
        topic_out(st, st->mt_t[i]);
    for (int32_t i = st->mv_n; i-- > 0;)
        st->place[st->mv_u[i]] = st->mv_from[i];
    for (int32_t i = 0; i < st->mt_n; i++)
        topic_in(st, st->mt_t[i]);
    for (size_t i = st->jv_n; i-- > 0;) {
        st->value[st->jv_t[i]] = st->jv_old[i];
        st->feas[st->jv_t[i]] = st->jv_feas[i];
        st->dirty[st->jv_t[i]] = 0;
    }
    st->total = st->mv_total;
    st->sched = st->mv_sched;
    st->placed = st->mv_placed;
    st->nkept = st->mv_kept;
    st->j_n = st->jv_n = 0;
    st->mv_n = st->mt_n = 0;
}
