/* SPDX-License-Identifier: MIT */
/*
 * The local search state and its incremental evaluation: moving a topic
 * only re-derives the best eligible choice of its voters and hosts in the
 * slots it leaves and enters, and re-values the sessions whose choosers
 * changed. Every change is journaled so that a rejected move is undone
 * exactly.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"

void alloc__state_release(struct alloc__state *st)
{
    free(st->place);
    free(st->tslot);
    free(st->troom);
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
    free(st->dirty);
    free(st->fmax);
    free(st->fcnt_max);
    free(st->fcnt);
    free(st->j_oldc);
    memset(st, 0, sizeof *st);
}

/* True when every allowed room seats all the voters of every topic. */
static bool uncapacitated(const struct alloc__model *m)
{
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
    size_t T = (size_t)m->T + 1, C = (size_t)m->C + 1,
           PS = (size_t)m->P * (size_t)m->S + 1;

    memset(st, 0, sizeof *st);
    st->m = m;
    st->place = forum_try_malloc(T * sizeof *st->place);
    st->tslot = forum_try_malloc(T * sizeof *st->tslot);
    st->troom = forum_try_malloc(T * sizeof *st->troom);
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
    st->jv_cap = 64;
    st->jv_t = forum_try_malloc(st->jv_cap * sizeof *st->jv_t);
    st->jv_old = forum_try_malloc(st->jv_cap * sizeof *st->jv_old);
    st->j_oldc = forum_try_malloc(st->j_cap * sizeof *st->j_oldc);
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
    if (!st->j_oldc || !st->place || !st->tslot || !st->troom || !st->cell_topic ||
        !st->hosting || !st->choice || !st->choice_w || !st->chosen || !st->wsum ||
        !st->value || !st->dirty || !st->j_ps || !st->j_old || !st->j_oldw || !st->jv_t ||
        !st->jv_old) {
        alloc__state_release(st);
        return FORUM_ENOMEM;
    }
    return FORUM_OK;
}

/* The approximate value of topic t in its current cell. */
static double topic_value(const struct alloc__state *st, int32_t t)
{
    int32_t c = st->place[t];
    if (c < 0 || st->chosen[t] == 0)
        return 0.0;
    int32_t seats = alloc__seats(st->m, t, alloc__cell_room(st->m, c));
    if (st->chosen[t] <= seats)
        return (double)st->wsum[t];
    return (double)st->wsum[t] * (double)seats / (double)st->chosen[t];
}

/* The best eligible choice of participant q in slot s. OUT: *w. */
static int32_t best_choice(const struct alloc__state *st, int32_t q, int32_t s,
                           int32_t *w)
{
    const struct alloc__model *m = st->m;
    size_t ps = (size_t)q * (size_t)m->S + (size_t)s;
    const uint64_t *rooms = m->class_room + (size_t)m->pclass[q] * (size_t)m->class_words;
    const int32_t *vt = m->vote_t, *tslot = st->tslot, *troom = st->troom;

    *w = 0;
    if (m->p_unavail[ps] || st->hosting[ps])
        return -1;
    for (int32_t v = m->vote_start[q], end = m->vote_start[q + 1]; v < end; v++) {
        int32_t t = vt[v];
        if (tslot[t] == s && ((rooms[troom[t] >> 6] >> (troom[t] & 63)) & 1u)) {
            *w = m->vote_w[v];
            return t;
        }
    }
    return -1;
}

static int32_t contrib(const struct alloc__state *st, size_t ps);
static void fast_rescan(struct alloc__state *st, int32_t q, int32_t s);

enum forum_status alloc__state_load(struct alloc__state *st, const int32_t *place)
{
    const struct alloc__model *m = st->m;
    size_t PS = (size_t)m->P * (size_t)m->S;

    for (int32_t c = 0; c < m->C; c++)
        st->cell_topic[c] = -1;
    memset(st->hosting, 0, PS ? PS : 1);
    for (int32_t t = 0; t < m->T; t++) {
        st->place[t] = place[t];
        st->tslot[t] = place[t] >= 0 ? place[t] / m->R : -1;
        st->troom[t] = place[t] >= 0 ? place[t] % m->R : -1;
        st->chosen[t] = 0;
        st->wsum[t] = 0;
        if (place[t] < 0)
            continue;
        st->cell_topic[place[t]] = t;
        int32_t s = place[t] / m->R;
        for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
            st->hosting[(size_t)m->host_p[h] * (size_t)m->S + (size_t)s]++;
    }
    st->j_n = st->jv_n = 0;
    st->mv_n = 0;
    if (st->fast) {
        st->total = 0.0;
        for (int32_t q = 0; q < m->P; q++)
            for (int32_t s = 0; s < m->S; s++) {
                fast_rescan(st, q, s);
                st->total += contrib(st, (size_t)q * (size_t)m->S + (size_t)s);
            }
        return FORUM_OK;
    }
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
    st->total = 0.0;
    for (int32_t t = 0; t < m->T; t++) {
        st->value[t] = topic_value(st, t);
        st->total += st->value[t];
    }
    st->j_n = st->jv_n = 0;
    st->mv_n = 0;
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
        int32_t c = st->place[t];
        if (c < 0 || chosen[t] == 0)
            continue;
        int32_t seats = alloc__seats(m, t, c % m->R);
        total += chosen[t] <= seats ? (double)wsum[t]
                                    : (double)wsum[t] * (double)seats / (double)chosen[t];
    }
    free(chosen);
    free(wsum);
    return total;
}

bool alloc__state_hosts_ok(const struct alloc__state *st, int32_t t, int32_t c,
                           int32_t ex1, int32_t ex2)
{
    const struct alloc__model *m = st->m;
    int32_t s = c / m->R;
    int32_t ex[3] = {t, ex1, ex2};

    for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++) {
        int32_t q = m->host_p[h];
        int32_t busy = st->hosting[(size_t)q * (size_t)m->S + (size_t)s];
        if (busy == 0)
            continue;
        for (int e = 0; e < 3; e++) {
            int32_t u = ex[e];
            if (u < 0 || st->place[u] < 0 || st->place[u] / m->R != s)
                continue;
            if (e > 0 && u == t)
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
        st->jv_cap = cap;
    }
    st->dirty[t] = 1;
    st->jv_t[st->jv_n] = t;
    st->jv_old[st->jv_n] = st->value[t];
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

static void set_place(struct alloc__state *st, int32_t t, int32_t to)
{
    const struct alloc__model *m = st->m;
    int32_t from = st->place[t];

    if (from >= 0) {
        if (st->cell_topic[from] == t)
            st->cell_topic[from] = -1;
        for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
            st->hosting[(size_t)m->host_p[h] * (size_t)m->S + (size_t)(from / m->R)]--;
    }
    st->place[t] = to;
    st->tslot[t] = to >= 0 ? to / m->R : -1;
    st->troom[t] = to >= 0 ? to % m->R : -1;
    if (to >= 0) {
        st->cell_topic[to] = t;
        for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
            st->hosting[(size_t)m->host_p[h] * (size_t)m->S + (size_t)(to / m->R)]++;
    }
}

/* Topic t left slot s: only the voters who had chosen it need a new scan. */
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
 * Topic t entered cell c: a voter switches to it when it beats their
 * current choice in the order of best_choice() (weight, then topic index).
 * Valid because every other change of the move was applied before.
 */
static enum forum_status enter_cell(struct alloc__state *st, int32_t t, int32_t c)
{
    const struct alloc__model *m = st->m;
    int32_t s = c / m->R, r = c % m->R;
    enum forum_status rc;

    for (int32_t v = m->voter_start[t]; v < m->voter_start[t + 1]; v++) {
        int32_t q = m->voter_p[v], w = m->voter_w[v];
        int32_t ps = q * m->S + s, cur = st->choice[ps];
        if (m->p_unavail[ps] || st->hosting[ps] || cur == t || !alloc__p_room_ok(m, q, r))
            continue;
        if (cur >= 0 && (w < st->choice_w[ps] || (w == st->choice_w[ps] && t > cur)))
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

/* Moves t to cell `to` (-1 = unplaced) updating the counters of its voters
 * and the hosts' contributions. */
static enum forum_status fast_place(struct alloc__state *st, int32_t t, int32_t to)
{
    const struct alloc__model *m = st->m;
    int32_t c = to >= 0 ? to : st->place[t];
    int32_t s = c / m->R, r = c % m->R;
    enum forum_status rc;

    if (c < 0)
        return FORUM_OK;
    for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
        st->total -= contrib(st, (size_t)m->host_p[h] * (size_t)m->S + (size_t)s);
    set_place(st, t, to);
    for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
        st->total += contrib(st, (size_t)m->host_p[h] * (size_t)m->S + (size_t)s);
    for (int32_t v = m->voter_start[t]; v < m->voter_start[t + 1]; v++) {
        int32_t q = m->voter_p[v];
        if (!alloc__p_room_ok(m, q, r))
            continue;
        rc = to >= 0 ? fast_inc(st, q, s, m->voter_w[v])
                     : fast_dec(st, q, s, m->voter_w[v]);
        if (rc != FORUM_OK)
            return rc;
    }
    return FORUM_OK;
}

static enum forum_status fast_move(struct alloc__state *st, int n, const int32_t *t,
                                   const int32_t *to, double *delta)
{
    enum forum_status rc;

    for (int i = 0; i < n; i++)
        if (st->place[t[i]] >= 0 && (rc = fast_place(st, t[i], -1)) != FORUM_OK)
            goto fail;
    for (int i = 0; i < n; i++)
        if (to[i] >= 0 && (rc = fast_place(st, t[i], to[i])) != FORUM_OK)
            goto fail;
    *delta = st->total - st->mv_total;
    return FORUM_OK;
fail:
    alloc__state_undo(st);
    return rc;
}

enum forum_status alloc__state_move(struct alloc__state *st, int n, const int32_t *t,
                                    const int32_t *to, double *delta)
{
    const struct alloc__model *m = st->m;
    enum forum_status rc = FORUM_OK;

    st->j_n = st->jv_n = 0;
    st->mv_n = n;
    st->mv_total = st->total;
    for (int i = 0; i < n; i++) {
        st->mv_t[i] = t[i];
        st->mv_from[i] = st->place[t[i]];
        st->mv_to[i] = to[i];
    }
    if (st->fast)
        return fast_move(st, n, t, to, delta);
    /* Unplace every mover first, then place: a swap passes through "both out". */
    for (int i = 0; i < n; i++)
        if ((rc = mark_dirty(st, t[i])) != FORUM_OK)
            goto fail;
    for (int i = 0; i < n; i++)
        set_place(st, t[i], -1);
    for (int i = 0; i < n; i++)
        set_place(st, t[i], to[i]);
    /* Leaves first (rescans see the final placement), then hosts, then entries. */
    for (int i = 0; i < n; i++)
        if (st->mv_from[i] >= 0 &&
            ((rc = leave_slot(st, t[i], st->mv_from[i] / m->R)) != FORUM_OK ||
             (rc = refresh_hosts(st, t[i], st->mv_from[i] / m->R)) != FORUM_OK))
            goto fail;
    for (int i = 0; i < n; i++)
        if (to[i] >= 0 && (rc = refresh_hosts(st, t[i], to[i] / m->R)) != FORUM_OK)
            goto fail;
    for (int i = 0; i < n; i++)
        if (to[i] >= 0 && (rc = enter_cell(st, t[i], to[i])) != FORUM_OK)
            goto fail;
    double d = 0.0;
    for (size_t i = 0; i < st->jv_n; i++) {
        int32_t u = st->jv_t[i];
        double v = topic_value(st, u);
        d += v - st->value[u];
        st->value[u] = v;
        st->dirty[u] = 0;
    }
    st->total += d;
    *delta = d;
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
    for (int i = 0; i < st->mv_n; i++)
        set_place(st, st->mv_t[i], -1);
    for (int i = 0; i < st->mv_n; i++)
        set_place(st, st->mv_t[i], st->mv_from[i]);
    for (size_t i = st->jv_n; i-- > 0;) {
        st->value[st->jv_t[i]] = st->jv_old[i];
        st->dirty[st->jv_t[i]] = 0;
    }
    st->total = st->mv_total;
    st->j_n = st->jv_n = 0;
    st->mv_n = 0;
}
