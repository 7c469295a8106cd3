/* SPDX-License-Identifier: MIT */
/*
 * alloc_solve(): the fixed topics first (with as many groups as they need),
 * then the previous schedule where it still holds, a greedy construction,
 * simulated annealing in cycles of growing length (each restarting from the
 * best placement found, by exact score), a polish phase scoring moves by the
 * exact seating of the touched slots, filling free cells with unscheduled
 * topics, and the final exact seating, reasons and bound. Every comparison
 * follows the objective's lexicographic order (scheduled, moved, satisfied
 * for topics_first; moved, satisfied, scheduled for votes_first).
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"

/* Tuning: temperatures (in mean vote weights) and move mix. */
#ifndef ALLOC_BASE
#define ALLOC_BASE 400u
#endif
#ifndef ALLOC_GROW
#define ALLOC_GROW 3
#endif
#ifndef ALLOC_MINBASE
#define ALLOC_MINBASE 5000
#endif
#ifndef ALLOC_MAXBASE
#define ALLOC_MAXBASE 40000
#endif
#ifndef ALLOC_PMUL
#define ALLOC_PMUL 1 /* polish length, in annealing lengths */
#endif
#ifndef ALLOC_PT0
#define ALLOC_PT0 1.0
#endif
#ifndef ALLOC_PT1
#define ALLOC_PT1 0.1
#endif
#ifndef ALLOC_KICK
#define ALLOC_KICK 4
#endif
#ifndef ALLOC_T0
#define ALLOC_T0 0.8
#endif
#ifndef ALLOC_T1
#define ALLOC_T1 0.1
#endif
#ifndef ALLOC_P_UNPLACE
#define ALLOC_P_UNPLACE 0.08
#endif
#ifndef ALLOC_P_UNPLACE_FAST
#define ALLOC_P_UNPLACE_FAST 0.02
#endif
#ifndef ALLOC_P_SAMESLOT
#define ALLOC_P_SAMESLOT 0.22
#endif
#ifndef ALLOC_P_EJECT
#define ALLOC_P_EJECT 0.7 /* an unplaced topic's entry pushes the occupant on */
#endif
#ifndef ALLOC_P_CHAIN
#define ALLOC_P_CHAIN 0.4 /* a displaced topic goes on rather than into the hole... */
#endif
#ifndef ALLOC_CHAIN_TOPICS
#define ALLOC_CHAIN_TOPICS 40 /* ...scaled down above this many movable topics */
#endif

/* The exact levels of a placement. */
struct lev {
    int64_t sched, kept, sat;
};

/* Seatings already done (see seat()). */
struct seat_cache {
    size_t n;                   /* entries, a power of two; 0 = no cache */
    uint64_t *hash;             /* n: the key's hash, 0 when empty */
    int32_t *key;               /* n * (R + 1): the slot, then the unit in each room */
    struct alloc__seating *val; /* n */
};

struct ctx {
    const struct alloc__model *m;
    const struct alloc_options *opt;
    enum alloc_objective obj;
    struct alloc__rng rng;
    uint64_t iters, max_iters, next_check;
    bool stopped;
    struct alloc__seat_work sw;
    struct seat_cache cache;
    struct alloc__state st;
    int32_t *movable; /* the topics the search may change */
    int32_t n_movable;
    int32_t *cyc_best;    /* U: best placement of the current cycle (approximate value) */
    int32_t *best;        /* U: best placement overall (exact score) */
    int32_t *init;        /* U: the construction */
    int32_t *fixed_place; /* U: the fixed topics alone, their groups fillable */
    struct lev best_lev;
    struct lev *part_lev; /* 2 * parts: the best levels of each part, and scratch */
    uint8_t *part_take;   /* parts */
    int64_t *slot_val;    /* S: exact value of each slot of the placement in st */
    int64_t *best_val;    /* S: exact value of each slot of x->best */
    double mean_w;
    double p_sameslot; /* probability of a move within the topic's slot */
    double p_chain;    /* probability that a displaced topic goes on (an ejection
                          chain) rather than into the mover's old cell */
    double p_unplace;  /* probability of unplacing the topic */
    bool part;         /* the partition search applies (part.c) */
    int32_t *mu, *mto; /* the move being proposed: units and their cells */
    int mn;
    int32_t *pick; /* R: scratch for room choices */
};

/* Counts units of work; true when the search must stop. The callback is
 * consulted only when the counter crosses a multiple of ALLOC_STOP_CHECK_EVERY. */
static bool tick(struct ctx *x, uint64_t units)
{
    if (x->stopped)
        return true;
    x->iters += units;
    if (x->max_iters != 0 && x->iters >= x->max_iters)
        x->stopped = true;
    else if (x->iters >= x->next_check) {
        x->next_check = (x->iters / ALLOC_STOP_CHECK_EVERY + 1) * ALLOC_STOP_CHECK_EVERY;
        if (x->opt->should_stop != NULL && x->opt->should_stop(x->opt->stop_cls))
            x->stopped = true;
    }
    return x->stopped;
}

static bool tick_cb(void *cls, uint64_t units)
{
    return tick(cls, units);
}

static int sign64(int64_t v)
{
    return (v > 0) - (v < 0);
}

/* Compares exact levels under the objective: > 0 when a is better. */
static int lev_cmp(enum alloc_objective obj, const struct lev *a, const struct lev *b)
{
    if (obj == ALLOC_VOTES_FIRST) {
        if (a->kept != b->kept)
            return sign64(a->kept - b->kept);
        if (a->sat != b->sat)
            return sign64(a->sat - b->sat);
        return sign64(a->sched - b->sched);
    }
    if (a->sched != b->sched)
        return sign64(a->sched - b->sched);
    if (a->kept != b->kept)
        return sign64(a->kept - b->kept);
    return sign64(a->sat - b->sat);
}

/*
 * The levels above the satisfied weight decide a move when they change
 * (topics_first: scheduled, then kept; votes_first: kept): > 0 accept, < 0
 * reject, 0 when the satisfied weight decides.
 */
static int hard_cmp(enum alloc_objective obj, int64_t dsched, int64_t dkept)
{
    if (obj == ALLOC_TOPICS_FIRST && dsched != 0)
        return sign64(dsched);
    return sign64(dkept);
}

/* Annealing acceptance of a move with levels (dsched, dkept) and satisfied dsat. */
static bool accept(struct ctx *x, int64_t dsched, int64_t dkept, double dsat, double temp)
{
    int h = hard_cmp(x->obj, dsched, dkept);
    if (h != 0)
        return h > 0;
    if (dsat > 1e-9)
        return true;
    if (dsat > -1e-9)
        return x->obj == ALLOC_TOPICS_FIRST || dsched >= 0;
    return alloc__rng_unit(&x->rng) < exp(dsat / temp);
}

/* ---- units ---- */

static int32_t unit0(const struct alloc__model *m, int32_t t)
{
    return m->unit_start[t];
}

/* True when unit u is pinned to its cell (group 1 of a fixed topic). */
static bool pinned(const struct alloc__model *m, int32_t u)
{
    int32_t t = m->unit_topic[u];
    return m->fixed_cell[t] >= 0 && u == m->unit_start[t];
}

static void mv_clear(struct ctx *x)
{
    x->mn = 0;
}

static void mv_add(struct ctx *x, int32_t u, int32_t to)
{
    x->mu[x->mn] = u;
    x->mto[x->mn] = to;
    x->mn++;
}

/* Adds the removal of placed unit u of its topic to the move: the topic's last
 * placed unit takes u's cell (unless u is the last) and leaves its own. */
static void mv_remove_unit(struct ctx *x, int32_t u)
{
    const struct alloc__model *m = x->m;
    int32_t t = m->unit_topic[u], last = m->unit_start[t] + x->st.tk[t] - 1;
    if (u != last)
        mv_add(x, u, x->st.place[last]);
    mv_add(x, last, -1);
}

/* Adds the unplacement of topic t to the move. */
static void mv_unplace(struct ctx *x, int32_t t)
{
    const struct alloc__model *m = x->m;
    for (int32_t u = m->unit_start[t], e = u + x->st.tk[t]; u < e; u++)
        mv_add(x, u, -1);
}

static enum forum_status apply(struct ctx *x, struct alloc__delta *d)
{
    return alloc__state_move(&x->st, x->mn, x->mu, x->mto, d);
}

/* ---- exact scoring ---- */

/* The key of slot s of the placement in x->st: the unit in each of its rooms. */
static uint64_t slot_hash(const struct ctx *x, int32_t s)
{
    const int32_t *cu = x->st.cell_unit + (size_t)s * (size_t)x->m->R;
    uint64_t h = UINT64_C(0xcbf29ce484222325) ^ (uint64_t)s;
    for (int32_t r = 0; r < x->m->R; r++) {
        h ^= (uint64_t)(uint32_t)(cu[r] + 1);
        h *= UINT64_C(0x100000001b3);
    }
    return h | 1u; /* 0 marks an empty entry */
}

/*
 * Seats slot s of the placement in x->st exactly, through a direct-mapped
 * cache of the seatings done (the search at low temperature revisits the
 * same slots a lot: 57 % of the polish's seatings on bigre, 95 % on exact-f).
 * The key is the slot and the unit in each of its rooms, compared in full,
 * so a hit is exact; it is charged the work of the seating it saves, so the
 * search and its step count are exactly what they would be without the
 * cache, only faster.
 */
static enum forum_status seat(struct ctx *x, int32_t s, struct alloc__seating *out)
{
    struct seat_cache *sc = &x->cache;
    const struct alloc__model *m = x->m;
    const int32_t *cu = x->st.cell_unit + (size_t)s * (size_t)m->R;

    if (sc->n == 0)
        return alloc__seat_slot(m, x->st.cell_unit, s, out, NULL, &x->sw);
    uint64_t h = slot_hash(x, s);
    size_t i = (size_t)(h & (sc->n - 1)), w = (size_t)m->R + 1;
    int32_t *key = sc->key + i * w;
    if (sc->hash[i] == h && key[0] == s &&
        memcmp(key + 1, cu, (size_t)m->R * sizeof *cu) == 0) {
        *out = sc->val[i]; /* its work too: the count of steps stays the same */
        return FORUM_OK;
    }
    enum forum_status rc = alloc__seat_slot(m, x->st.cell_unit, s, out, NULL, &x->sw);
    if (rc != FORUM_OK)
        return rc;
    sc->hash[i] = h;
    key[0] = s;
    memcpy(key + 1, cu, (size_t)m->R * sizeof *cu);
    sc->val[i] = *out;
    return FORUM_OK;
}

/*
 * Makes slot s of the placement in x->st valid: while some group cannot be
 * filled, removes the group (or unplaces the group topic) whose removal
 * leaves the fewest required seats empty, then loses the least; pinned groups
 * stay. As a last resort the slot keeps its fixed topics only, as in
 * x->fixed_place (valid by construction). OUT: *out, the slot's seating.
 */
static enum forum_status repair_slot(struct ctx *x, int32_t s, struct alloc__seating *out)
{
    const struct alloc__model *m = x->m;
    struct alloc__state *st = &x->st;
    enum forum_status rc;

    if ((rc = seat(x, s, out)) != FORUM_OK)
        return rc;
    while (out->missing > 0) {
        int32_t best_u = -1;
        struct alloc__seating best = {0, INT64_MAX, 0};
        int best_loss = 2;
        for (int32_t r = 0; r < m->R; r++) {
            int32_t u = st->cell_unit[s * m->R + r];
            if (u < 0 || !m->is_group[m->unit_topic[u]] || pinned(m, u))
                continue;
            struct alloc__delta d;
            struct alloc__seating o;
            mv_clear(x);
            mv_remove_unit(x, u);
            if ((rc = apply(x, &d)) != FORUM_OK)
                return rc;
            rc = seat(x, s, &o);
            alloc__state_undo(st);
            if (rc != FORUM_OK)
                return rc;
            int loss = (int)-d.placed;
            if (o.missing < best.missing ||
                (o.missing == best.missing &&
                 (loss < best_loss || (loss == best_loss && o.sat > best.sat)))) {
                best = o;
                best_u = u;
                best_loss = loss;
            }
        }
        if (best_u < 0)
            break;
        struct alloc__delta d;
        mv_clear(x);
        mv_remove_unit(x, best_u);
        if ((rc = apply(x, &d)) != FORUM_OK)
            return rc;
        *out = best;
    }
    if (out->missing == 0)
        return FORUM_OK;
    /* The fixed topics alone, with the groups they were given. */
    mv_clear(x);
    for (int32_t r = 0; r < m->R; r++) {
        int32_t u = st->cell_unit[s * m->R + r];
        if (u >= 0 && u == m->unit_start[m->unit_topic[u]] &&
            m->fixed_cell[m->unit_topic[u]] < 0)
            mv_unplace(x, m->unit_topic[u]);
    }
    for (int32_t t = 0; t < m->T; t++) {
        if (m->fixed_cell[t] < 0 || m->fixed_cell[t] / m->R != s || !m->is_group[t])
            continue;
        for (int32_t u = m->unit_start[t]; u < m->unit_start[t + 1]; u++)
            if (st->place[u] != x->fixed_place[u])
                mv_add(x, u, x->fixed_place[u]);
    }
    /* Cells the fixed groups take back must be empty: unplace whoever holds them. */
    for (int32_t i = 0, n = x->mn; i < n; i++) {
        int32_t c = x->mto[i];
        if (c < 0)
            continue;
        int32_t v = st->cell_unit[c];
        if (v >= 0 && m->fixed_cell[m->unit_topic[v]] < 0) {
            bool listed = false;
            for (int32_t j = 0; j < x->mn && !listed; j++)
                listed = x->mu[j] == v;
            if (!listed)
                mv_unplace(x, m->unit_topic[v]);
        }
    }
    struct alloc__delta d;
    if ((rc = apply(x, &d)) != FORUM_OK)
        return rc;
    if ((rc = seat(x, s, out)) != FORUM_OK)
        return rc;
    return out->missing == 0 ? FORUM_OK : FORUM_EINTERNAL;
}

/* The exact levels of the placement in x->st, repaired where a group cannot
 * be filled. OUT: per-slot values when vals is not NULL. */
static enum forum_status exact_score(struct ctx *x, struct lev *lv, int64_t *vals)
{
    const struct alloc__model *m = x->m;
    enum forum_status rc;

    lv->sat = 0;
    for (int32_t s = 0; s < m->S; s++) {
        struct alloc__seating o;
        if ((rc = repair_slot(x, s, &o)) != FORUM_OK)
            return rc;
        if (vals != NULL)
            vals[s] = o.sat;
        lv->sat += o.sat;
    }
    /* A repair only takes groups away: earlier slots stay valid. */
    lv->sched = x->st.placed;
    lv->kept = x->st.nkept;
    return FORUM_OK;
}

/* ---- construction ---- */

/* Picks the room of slot s for a unit of t: the smallest free allowed room that
 * seats all its voters, else the largest. Returns the cell or -1. */
static int32_t pick_room(const struct ctx *x, int32_t t, int32_t s)
{
    const struct alloc__model *m = x->m;
    int32_t want = m->voter_start[t + 1] - m->voter_start[t] + alloc__n_hosts(m, t);
    int32_t best = -1, best_size = -1;
    bool fits = false;

    if (m->is_group[t] && x->st.tk[t] > 0)
        want = m->gmin[t]; /* another group: small rooms first */
    for (int32_t i = m->ok_room_start[t]; i < m->ok_room_start[t + 1]; i++) {
        int32_t r = m->ok_room[i], c = s * m->R + r;
        if (!m->room_avail[c] || x->st.cell_unit[c] >= 0)
            continue;
        int32_t size = alloc__limit(m, t, r);
        bool f = size >= want;
        if (best < 0 || (f && !fits) || (f && fits && size < best_size) ||
            (!f && !fits && size > best_size)) {
            best = c;
            best_size = size;
            fits = f;
        }
    }
    return best;
}

static int cmp_by_weight(const void *a, const void *b)
{
    const int64_t *x = a, *y = b; /* {weight, index} pairs */
    if (x[0] != y[0])
        return x[0] > y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* The topics the search may change, by total vote weight, heaviest first: the
 * movable ones and the fixed group topics that may have more than one group. */
static enum forum_status order_topics(const struct alloc__model *m, int32_t *out,
                                      int32_t *n)
{
    int64_t *pairs = forum_try_malloc(((size_t)m->T + 1) * 2 * sizeof *pairs);
    int32_t k = 0;

    if (pairs == NULL)
        return FORUM_ENOMEM;
    for (int32_t t = 0; t < m->T; t++) {
        if (!m->movable[t] && !(m->fixed_cell[t] >= 0 && m->gmax[t] > 1))
            continue;
        int64_t w = 0;
        for (int32_t v = m->voter_start[t]; v < m->voter_start[t + 1]; v++)
            w += m->voter_w[v];
        pairs[2 * k] = w;
        pairs[2 * k + 1] = t;
        k++;
    }
    qsort(pairs, (size_t)k, 2 * sizeof *pairs, cmp_by_weight);
    for (int32_t i = 0; i < k; i++)
        out[i] = (int32_t)pairs[2 * i + 1];
    *n = k;
    free(pairs);
    return FORUM_OK;
}

/* True when the move in x (just applied, delta d) improves the approximate
 * levels under the objective. */
static bool improves(const struct ctx *x, const struct alloc__delta *d)
{
    int h = hard_cmp(x->obj, d->sched, d->kept);
    if (h != 0)
        return h > 0;
    if (d->sat > 1e-9)
        return true;
    return d->sat > -1e-9 && x->obj == ALLOC_VOTES_FIRST && d->sched > 0;
}

/* Adds groups to placed group topic t, one at a time, while that improves the
 * approximate levels. */
static enum forum_status grow_groups(struct ctx *x, int32_t t)
{
    const struct alloc__model *m = x->m;
    struct alloc__state *st = &x->st;
    enum forum_status rc;

    while (st->tk[t] > 0 && st->tk[t] < m->gmax[t]) {
        int32_t c = pick_room(x, t, st->tslot[t]);
        if (c < 0)
            break;
        struct alloc__delta d;
        mv_clear(x);
        mv_add(x, m->unit_start[t] + st->tk[t], c);
        if ((rc = apply(x, &d)) != FORUM_OK)
            return rc;
        if (!improves(x, &d) || !st->feas[t]) {
            alloc__state_undo(st);
            break;
        }
    }
    return FORUM_OK;
}

/*
 * The fixed topics alone: each at its cell, and a fixed group topic given
 * more groups (in free suitable rooms of its slot) while its slot cannot seat
 * them all. OUT: x->fixed_place. Returns FORUM_EINVAL naming the topic when
 * no such arrangement is found.
 */
static enum forum_status place_fixed(struct ctx *x, struct forum_error *err)
{
    const struct alloc__model *m = x->m;
    struct alloc__state *st = &x->st;
    enum forum_status rc;

    for (int32_t u = 0; u < m->U; u++)
        x->fixed_place[u] = -1;
    for (int32_t t = 0; t < m->T; t++)
        if (m->fixed_cell[t] >= 0)
            x->fixed_place[unit0(m, t)] = m->fixed_cell[t];
    if ((rc = alloc__state_load(st, x->fixed_place)) != FORUM_OK)
        return rc;
    for (int32_t s = 0; s < m->S && m->n_groups > 0; s++) {
        struct alloc__seating o;
        if ((rc = seat(x, s, &o)) != FORUM_OK)
            return rc;
        while (o.missing > 0) {
            /* The extra group that leaves the fewest required seats empty. */
            int32_t best_u = -1, best_c = -1;
            int64_t best_missing = o.missing;
            for (int32_t t = 0; t < m->T; t++) {
                if (m->fixed_cell[t] / m->R != s || m->fixed_cell[t] < 0 ||
                    !m->is_group[t] || st->tk[t] >= m->gmax[t])
                    continue;
                int32_t u = m->unit_start[t] + st->tk[t];
                for (int32_t i = m->ok_room_start[t]; i < m->ok_room_start[t + 1]; i++) {
                    int32_t c = s * m->R + m->ok_room[i];
                    if (!m->room_avail[c] || st->cell_unit[c] >= 0)
                        continue;
                    struct alloc__delta d;
                    struct alloc__seating g;
                    mv_clear(x);
                    mv_add(x, u, c);
                    if ((rc = apply(x, &d)) != FORUM_OK)
                        return rc;
                    rc = seat(x, s, &g);
                    alloc__state_undo(st);
                    if (rc != FORUM_OK)
                        return rc;
                    if (g.missing < best_missing) {
                        best_missing = g.missing;
                        best_u = u;
                        best_c = c;
                    }
                }
            }
            if (best_u < 0) {
                int32_t t = 0;
                while (m->fixed_cell[t] < 0 || m->fixed_cell[t] / m->R != s ||
                       !m->is_group[t])
                    t++;
                char field[FORUM_ERROR_FIELD_MAX];
                snprintf(field, sizeof field, "topics[%d].fixed", (int)t);
                return forum_error_set(
                    err, FORUM_EINVAL, field,
                    "the groups fixed in slot \"%s\" cannot all be filled: too few "
                    "people are free for groups.size_min, or the hosts do not fit",
                    m->p->slots[s].id);
            }
            struct alloc__delta d;
            mv_clear(x);
            mv_add(x, best_u, best_c);
            if ((rc = apply(x, &d)) != FORUM_OK)
                return rc;
            o.missing = best_missing;
        }
    }
    memcpy(x->fixed_place, st->place, (size_t)m->U * sizeof *st->place);
    return FORUM_OK;
}

/* Places topic t's units at the cells of its previous entries in slot s that
 * are still free, and then as many more groups as its largest kept number
 * needs. */
static enum forum_status place_previous(struct ctx *x, int32_t t, int32_t s)
{
    const struct alloc__model *m = x->m;
    struct alloc__state *st = &x->st;
    int32_t k = st->tk[t], top = 0;
    enum forum_status rc;
    struct alloc__delta d;

    if (k > 0 && st->tslot[t] != s)
        return FORUM_OK;
    if (k == 0 && !alloc__state_hosts_ok(st, t, s, -1, -1))
        return FORUM_OK;
    mv_clear(x);
    for (int32_t i = m->prev_start[t]; i < m->prev_start[t + 1]; i++) {
        int32_t c = m->prev_cell[i];
        if (c / m->R != s || st->cell_unit[c] >= 0 || k >= m->gmax[t])
            continue;
        if (m->fixed_cell[t] == c)
            continue; /* already there */
        bool taken = false;
        for (int j = 0; j < x->mn; j++)
            taken |= x->mto[j] == c;
        if (taken)
            continue;
        mv_add(x, m->unit_start[t] + k++, c);
        top = m->prev_group[i] > top ? m->prev_group[i] : top;
    }
    if (x->mn == 0)
        return FORUM_OK;
    if ((rc = apply(x, &d)) != FORUM_OK)
        return rc;
    while (st->tk[t] < top && st->tk[t] < m->gmax[t]) {
        int32_t c = pick_room(x, t, s);
        if (c < 0)
            break;
        mv_clear(x);
        mv_add(x, m->unit_start[t] + st->tk[t], c);
        if ((rc = apply(x, &d)) != FORUM_OK)
            return rc;
    }
    return FORUM_OK;
}

/*
 * Construction, from the fixed topics alone (x->fixed_place, loaded in x->st
 * by place_fixed()): the previous schedule where it still holds, then each
 * topic by weight into the slot (and a fitting room) that
 * improves the approximate levels most. Leaves the result in x->st, valid
 * (groups repaired).
 */
static enum forum_status construct(struct ctx *x)
{
    const struct alloc__model *m = x->m;
    struct alloc__state *st = &x->st;
    enum forum_status rc;

    /* x->st holds x->fixed_place already (place_fixed()). */
    for (int32_t t = 0; t < m->T; t++) {
        /* The slot of the topic's most entries (the earliest on a tie). */
        int32_t best_s = -1, best_n = 0;
        for (int32_t i = m->prev_start[t]; i < m->prev_start[t + 1]; i++) {
            int32_t s = m->prev_cell[i] / m->R, n = 0;
            for (int32_t j = m->prev_start[t]; j < m->prev_start[t + 1]; j++)
                n += m->prev_cell[j] / m->R == s;
            if (n > best_n || (n == best_n && s < best_s)) {
                best_n = n;
                best_s = s;
            }
        }
        if (best_s >= 0 && (rc = place_previous(x, t, best_s)) != FORUM_OK)
            return rc;
    }
    for (int32_t i = 0; i < x->n_movable; i++) {
        int32_t t = x->movable[i], best_c = -1;
        struct alloc__delta best = {0, 0, 0, 0.0};
        if (st->tk[t] > 0 || !m->movable[t])
            continue;
        for (int32_t j = m->ok_slot_start[t]; j < m->ok_slot_start[t + 1]; j++) {
            int32_t s = m->ok_slot[j], c = pick_room(x, t, s);
            if (c < 0 || !alloc__state_hosts_ok(st, t, s, -1, -1))
                continue;
            struct alloc__delta d;
            mv_clear(x);
            mv_add(x, unit0(m, t), c);
            if ((rc = apply(x, &d)) != FORUM_OK)
                return rc;
            bool fillable = st->feas[t] != 0; /* a group that looks fillable */
            alloc__state_undo(st);
            int h = hard_cmp(x->obj, d.sched - best.sched, d.kept - best.kept);
            if (fillable &&
                (best_c < 0 || h > 0 || (h == 0 && d.sat > best.sat + 1e-9))) {
                best = d;
                best_c = c;
            }
            /* Counted, but never cut short: a partial construction is worse
             * than a late stop (filling it afterwards costs far more). */
            (void)tick(x, 1);
        }
        if (best_c >= 0 && improves(x, &best)) {
            struct alloc__delta d;
            mv_clear(x);
            mv_add(x, unit0(m, t), best_c);
            if ((rc = apply(x, &d)) != FORUM_OK)
                return rc;
            if (m->is_group[t] && (rc = grow_groups(x, t)) != FORUM_OK)
                return rc;
        }
    }
    return FORUM_OK;
}

/* ---- moves ---- */

/* A random allowed room of topic t. */
static int32_t random_room(struct ctx *x, int32_t t)
{
    const struct alloc__model *m = x->m;
    int32_t n = m->ok_room_start[t + 1] - m->ok_room_start[t];
    return m
        ->ok_room[m->ok_room_start[t] + (int32_t)alloc__rng_below(&x->rng, (uint32_t)n)];
}

/* A random allowed slot of topic t. */
static int32_t random_slot(struct ctx *x, int32_t t)
{
    const struct alloc__model *m = x->m;
    int32_t n = m->ok_slot_start[t + 1] - m->ok_slot_start[t];
    return m
        ->ok_slot[m->ok_slot_start[t] + (int32_t)alloc__rng_below(&x->rng, (uint32_t)n)];
}

/* True when cell c is already the destination of a unit of the move. */
static bool targeted(const struct ctx *x, int32_t c)
{
    for (int i = 0; i < x->mn; i++)
        if (x->mto[i] == c)
            return true;
    return false;
}

/* True when topic t already moves in the move being built. */
static bool moving(const struct ctx *x, int32_t t)
{
    for (int i = 0; i < x->mn; i++)
        if (x->m->unit_topic[x->mu[i]] == t)
            return true;
    return false;
}

/* The depth of an ejection chain: topics pushed on to the next cell. */
#define CHAIN_MAX 3

/*
 * Topic a's first unit moves (a is ordinary, or a group topic with one group
 * at most): to an allowed cell, often in its own slot. Whoever holds that
 * cell makes way: into a's old cell (a swap), or, along an ejection chain of
 * up to CHAIN_MAX topics, into another allowed cell that is free, holds a
 * group that can be dropped (its topic keeps the others) or holds a topic
 * that makes way in turn; when a was unplaced the last one may also leave
 * the schedule. The hosts' rule is checked after the move (see valid_hosts()).
 */
static bool propose_chain(struct ctx *x, int32_t a)
{
    const struct alloc__model *m = x->m;
    const struct alloc__state *st = &x->st;
    int32_t ua = unit0(m, a), from = st->place[ua];
    double r = alloc__rng_unit(&x->rng);

    if (from >= 0 && r < x->p_unplace) {
        if (m->fixed_cell[a] >= 0)
            return false;
        mv_unplace(x, a);
        return true;
    }
    int32_t room = random_room(x, a);
    int32_t slot =
        from >= 0 && r < x->p_unplace + x->p_sameslot ? from / m->R : random_slot(x, a);
    int32_t c = slot * m->R + room;
    if (c == from || !m->room_avail[c])
        return false;
    int32_t ub = st->cell_unit[c];
    if (ub < 0) {
        if (!alloc__state_hosts_ok(st, a, slot, -1, -1))
            return false;
        mv_add(x, ua, c);
        return true;
    }
    mv_add(x, ua, c);
    for (int depth = 0;; depth++) {
        /* ub (in cell c) must make way; c is taken by the previous mover. */
        int32_t b = m->unit_topic[ub];
        if (pinned(m, ub) || moving(x, b))
            return false;
        if (m->is_group[b] && st->tk[b] > 1) {
            /* Into the hole when it is in b's slot, else b keeps its other groups. */
            if (from >= 0 && from / m->R == c / m->R && !targeted(x, from) &&
                alloc__cell_allowed(m, b, from) && alloc__rng_unit(&x->rng) < 0.5)
                mv_add(x, ub, from);
            else
                mv_remove_unit(x, ub);
            return true;
        }
        /* b has one session: it moves as a whole (its unit 0). */
        if (from >= 0 && !targeted(x, from) && alloc__cell_allowed(m, b, from) &&
            (depth == CHAIN_MAX || alloc__rng_unit(&x->rng) >= x->p_chain)) {
            mv_add(x, ub, from);
            return true;
        }
        if (from < 0 &&
            (depth == CHAIN_MAX || alloc__rng_unit(&x->rng) >= ALLOC_P_EJECT)) {
            mv_add(x, ub, -1); /* replaced */
            return true;
        }
        if (depth == CHAIN_MAX)
            return false;
        int32_t c2 = random_slot(x, b) * m->R + random_room(x, b);
        if (!m->room_avail[c2] || targeted(x, c2) || c2 == c)
            return false;
        mv_add(x, ub, c2);
        int32_t next = st->cell_unit[c2];
        if (next < 0 || c2 == from)
            return true;
        if (m->unit_topic[next] == a)
            return false;
        c = c2;
        ub = next;
    }
}

/* Fills x->pick with the free allowed rooms of slot s for topic t, in random
 * order; returns how many. */
static int32_t free_rooms(struct ctx *x, int32_t t, int32_t s)
{
    const struct alloc__model *m = x->m;
    int32_t n = 0;
    for (int32_t i = m->ok_room_start[t]; i < m->ok_room_start[t + 1]; i++) {
        int32_t r = m->ok_room[i], c = s * m->R + r;
        if (m->room_avail[c] && x->st.cell_unit[c] < 0)
            x->pick[n++] = r;
    }
    for (int32_t i = n - 1; i > 0; i--) {
        int32_t j = (int32_t)alloc__rng_below(&x->rng, (uint32_t)(i + 1)), v = x->pick[i];
        x->pick[i] = x->pick[j];
        x->pick[j] = v;
    }
    return n;
}

/*
 * Chooses up to want rooms of slot s for topic t among the rooms freed by
 * topic `leaving` (its groups there) and the free rooms, allowed for t and not
 * yet a destination of the move; appends the units' moves (t's units from
 * first on). Returns how many were placed.
 */
static int32_t take_rooms(struct ctx *x, int32_t t, int32_t s, int32_t leaving,
                          int32_t want)
{
    const struct alloc__model *m = x->m;
    int32_t n = 0;
    for (int32_t i = m->ok_room_start[t]; i < m->ok_room_start[t + 1]; i++) {
        int32_t r = m->ok_room[i], c = s * m->R + r, u = x->st.cell_unit[c];
        if (m->room_avail[c] && (u < 0 || m->unit_topic[u] == leaving) && !targeted(x, c))
            x->pick[n++] = r;
    }
    for (int32_t i = n - 1; i > 0; i--) {
        int32_t j = (int32_t)alloc__rng_below(&x->rng, (uint32_t)(i + 1)), v = x->pick[i];
        x->pick[i] = x->pick[j];
        x->pick[j] = v;
    }
    n = n < want ? n : want;
    for (int32_t j = 0; j < n; j++)
        mv_add(x, m->unit_start[t] + j, s * m->R + x->pick[j]);
    return n;
}

/*
 * Topic a (placed, not fixed) and a topic b of another of a's allowed slots
 * trade slots, each with as many of its groups as the rooms left free by the
 * other and the free rooms allow (at least one).
 */
static bool propose_slot_swap(struct ctx *x, int32_t a)
{
    const struct alloc__model *m = x->m;
    const struct alloc__state *st = &x->st;
    int32_t sa = st->tslot[a], sb = random_slot(x, a);
    if (sb == sa)
        return false;
    int32_t ub =
        st->cell_unit[sb * m->R + (int32_t)alloc__rng_below(&x->rng, (uint32_t)m->R)];
    if (ub < 0)
        return false;
    int32_t b = m->unit_topic[ub], ka = st->tk[a], kb = st->tk[b];
    if (m->fixed_cell[b] >= 0 || !m->topic_slot_ok[(size_t)b * (size_t)m->S + (size_t)sa])
        return false;
    int32_t na = take_rooms(x, a, sb, b, ka);
    int32_t nb = take_rooms(x, b, sa, a, kb);
    if (na == 0 || nb == 0)
        return false;
    for (int32_t j = na; j < ka; j++)
        mv_add(x, m->unit_start[a] + j, -1);
    for (int32_t j = nb; j < kb; j++)
        mv_add(x, m->unit_start[b] + j, -1);
    return true;
}

/* Group topic a moves: add, remove or move one of its groups, relocate all of
 * them to another slot, trade slots with another topic, or unplace it. */
static bool propose_group(struct ctx *x, int32_t a)
{
    const struct alloc__model *m = x->m;
    const struct alloc__state *st = &x->st;
    int32_t k = st->tk[a], s = st->tslot[a], base = m->unit_start[a];
    bool fixed = m->fixed_cell[a] >= 0;
    int32_t first = fixed ? 1 : 0; /* the first group that may change */
    double r = alloc__rng_unit(&x->rng);

    if (!fixed && k > 0 && r < 0.15)
        return propose_slot_swap(x, a);
    if (k == 0 || (!fixed && r < 0.3)) {
        /* Into (another) slot, with as many groups as there are free rooms for. */
        int32_t ns = random_slot(x, a);
        if (ns == s || !alloc__state_hosts_ok(st, a, ns, -1, -1))
            return false;
        int32_t want = k > 0 ? k : 1, n = free_rooms(x, a, ns);
        if (n == 0)
            return false;
        want = want < n ? want : n;
        for (int32_t j = 0; j < want; j++)
            mv_add(x, base + j, ns * m->R + x->pick[j]);
        for (int32_t j = want; j < k; j++)
            mv_add(x, base + j, -1);
        return true;
    }
    if (r < 0.45) {
        /* One group less (the topic out when it had one). */
        if (k > 1 || (!fixed && r < 0.3 + x->p_unplace)) {
            mv_remove_unit(x,
                           base + first +
                               (int32_t)alloc__rng_below(&x->rng, (uint32_t)(k - first)));
            return true;
        }
        return false;
    }
    if (r < 0.65) {
        if (k >= m->gmax[a] || free_rooms(x, a, s) == 0)
            return false;
        mv_add(x, base + k, s * m->R + x->pick[0]);
        return true;
    }
    /* One group to another room of its slot (a swap with whoever is there). */
    if (k <= first)
        return false;
    int32_t u = base + first + (int32_t)alloc__rng_below(&x->rng, (uint32_t)(k - first));
    int32_t from = st->place[u], c = s * m->R + random_room(x, a);
    if (c == from || !m->room_avail[c])
        return false;
    int32_t ub = st->cell_unit[c];
    if (ub >= 0) {
        int32_t b = m->unit_topic[ub];
        if (b == a || pinned(m, ub) || !alloc__cell_allowed(m, b, from))
            return false;
        mv_add(x, ub, from);
    }
    mv_add(x, u, c);
    return true;
}

/*
 * Proposes a random move of the current state into x->mu/x->mto: relocate a
 * topic to an allowed cell (swapping with the topic there, or replacing it or
 * pushing it to a free cell when the mover was unplaced), often within its
 * own slot (a room swap), or unplace it; a group topic also gains, loses or
 * moves one group. Returns false when the draw is not feasible.
 */
static bool propose(struct ctx *x)
{
    const struct alloc__model *m = x->m;
    int32_t a = x->movable[alloc__rng_below(&x->rng, (uint32_t)x->n_movable)];

    mv_clear(x);
    if (m->is_group[a] &&
        (x->st.tk[a] > 1 || m->fixed_cell[a] >= 0 || alloc__rng_unit(&x->rng) < 0.5))
        return propose_group(x, a);
    return propose_chain(x, a);
}

/* True when every host of the topics the last move touched runs one session at
 * most in their new slot (hard rule 4 and 5 for hosts). */
static bool valid_hosts(const struct ctx *x)
{
    const struct alloc__model *m = x->m;
    const struct alloc__state *st = &x->st;
    for (int32_t i = 0; i < st->mt_n; i++) {
        int32_t t = st->mt_t[i], s = st->tslot[t];
        if (s < 0)
            continue;
        for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
            if (st->hosting[(size_t)m->host_p[h] * (size_t)m->S + (size_t)s] > 1)
                return false;
    }
    return true;
}

/* Proposes a move (propose()) and applies it when the hosts' rule holds.
 * Returns FORUM_OK with *ok false when no legal move was drawn. */
static enum forum_status try_move(struct ctx *x, struct alloc__delta *d, bool *ok)
{
    enum forum_status rc;

    *ok = false;
    if (!propose(x))
        return FORUM_OK;
    if ((rc = apply(x, d)) != FORUM_OK)
        return rc;
    if (!valid_hosts(x)) {
        alloc__state_undo(&x->st);
        return FORUM_OK;
    }
    *ok = true;
    return FORUM_OK;
}

/* Applies random legal moves regardless of their value: about n_movable /
 * div of them (at least 2), to leave the basin of the best placement. Moves
 * that lose a level above the satisfied weight are undone. */
static enum forum_status kick(struct ctx *x, int32_t div)
{
    int32_t want = x->n_movable / div > 2 ? x->n_movable / div : 2, done = 0;
    enum forum_status rc;

    for (int32_t tries = 0; done < want && tries < 50 * want; tries++) {
        struct alloc__delta d;
        bool ok;
        if ((rc = try_move(x, &d, &ok)) != FORUM_OK)
            return rc;
        if (!ok)
            continue;
        if (hard_cmp(x->obj, d.sched, d.kept) < 0) {
            alloc__state_undo(&x->st);
            continue;
        }
        done++;
    }
    return FORUM_OK;
}

/* True when the state's approximate levels beat (sched, kept, total). */
static bool approx_better(const struct ctx *x, int64_t sched, int64_t kept, double total)
{
    const struct alloc__state *st = &x->st;
    int h = hard_cmp(x->obj, st->sched - sched, st->nkept - kept);
    if (h != 0)
        return h > 0;
    return st->total > total + 1e-9;
}

/* One annealing run of len steps from the placement in x->st, temperatures t0 -> t1.
 * The best placement seen (approximate levels) ends in x->cyc_best. */
static enum forum_status anneal(struct ctx *x, uint64_t len, double t0, double t1)
{
    const struct alloc__model *m = x->m;
    struct alloc__state *st = &x->st;
    double best = st->total, temp = t0;
    int64_t best_sched = st->sched, best_kept = st->nkept;
    double factor = pow(t1 / t0, 256.0 / (double)len);
    enum forum_status rc;

    memcpy(x->cyc_best, st->place, (size_t)m->U * sizeof *st->place);
    if (x->n_movable == 0)
        return FORUM_OK;
    for (uint64_t it = 0; it < len; it++) {
        if (tick(x, 1))
            break;
        if ((it & 255) == 255)
            temp *= factor;
        struct alloc__delta d;
        bool ok;
        if ((rc = try_move(x, &d, &ok)) != FORUM_OK)
            return rc;
        if (!ok)
            continue;
        if (!accept(x, d.sched, d.kept, d.sat, temp)) {
            alloc__state_undo(st);
            continue;
        }
        if (approx_better(x, best_sched, best_kept, best)) {
            best = st->total;
            best_sched = st->sched;
            best_kept = st->nkept;
            memcpy(x->cyc_best, st->place, (size_t)m->U * sizeof *st->place);
        }
    }
    return FORUM_OK;
}

/*
 * Records the placement in x->st (exact levels lv, slot values in x->slot_val)
 * as the best when it is better. With several independent parts (blocks of
 * the day), each part is compared on its own and the best of each is kept:
 * their union is valid, and better than either whole.
 */
static void keep_best(struct ctx *x, const struct lev *lv)
{
    const struct alloc__model *m = x->m;
    const struct alloc__state *st = &x->st;

    if (m->n_parts <= 1) {
        if (lev_cmp(x->obj, lv, &x->best_lev) <= 0)
            return;
        x->best_lev = *lv;
        memcpy(x->best_val, x->slot_val, (size_t)m->S * sizeof *x->slot_val);
        memcpy(x->best, st->place, (size_t)m->U * sizeof *x->best);
        return;
    }
    struct lev *cand = x->part_lev + m->n_parts;
    memset(cand, 0, (size_t)m->n_parts * sizeof *cand);
    for (int32_t s = 0; s < m->S; s++)
        cand[m->slot_part[s]].sat += x->slot_val[s];
    for (int32_t t = 0; t < m->T; t++)
        if (m->topic_part[t] >= 0) {
            cand[m->topic_part[t]].sched += st->tk[t] > 0;
            cand[m->topic_part[t]].kept += st->kept[t];
        }
    bool changed = false;
    for (int32_t k = 0; k < m->n_parts; k++) {
        x->part_take[k] = lev_cmp(x->obj, &cand[k], &x->part_lev[k]) > 0;
        changed |= x->part_take[k] != 0;
    }
    if (!changed)
        return;
    for (int32_t k = 0; k < m->n_parts; k++)
        if (x->part_take[k])
            x->part_lev[k] = cand[k];
    for (int32_t s = 0; s < m->S; s++)
        if (x->part_take[m->slot_part[s]])
            x->best_val[s] = x->slot_val[s];
    for (int32_t t = 0; t < m->T; t++)
        if (m->topic_part[t] >= 0 && x->part_take[m->topic_part[t]])
            memcpy(x->best + m->unit_start[t], st->place + m->unit_start[t],
                   (size_t)(m->unit_start[t + 1] - m->unit_start[t]) * sizeof *x->best);
    struct lev sum = {0, 0, 0};
    for (int32_t k = 0; k < m->n_parts; k++) {
        sum.sched += x->part_lev[k].sched;
        sum.kept += x->part_lev[k].kept;
        sum.sat += x->part_lev[k].sat;
    }
    x->best_lev = sum;
}

/* Makes the placement in x->st (exact levels lv, slot values in x->slot_val)
 * the best, whatever it was, with its parts' levels. */
static void set_best(struct ctx *x, const struct lev *lv)
{
    const struct alloc__model *m = x->m;
    /* Topics of no part (no allowed slot) are never placed. */
    for (int32_t u = 0; u < m->U; u++)
        x->best[u] = -1;
    for (int32_t k = 0; k < m->n_parts; k++)
        x->part_lev[k] = (struct lev){-1, -1, -1};
    x->best_lev = (struct lev){-1, -1, -1};
    keep_best(x, lv);
}

/* Adds slot s to the list sl (n entries) unless it is there. */
static void add_slot(int32_t *sl, int32_t *n, int32_t s)
{
    for (int32_t q = 0; q < *n; q++)
        if (sl[q] == s)
            return;
    sl[(*n)++] = s;
}

/*
 * Polish: annealing at low temperature where each move is scored by the
 * exact seating of the slots it touches (a move that leaves a group unfilled
 * is refused). Starts from the placement loaded in x->st (exact levels cur;
 * slot values in x->slot_val) and records any placement better than x->best
 * there. Spends about `units` units of work.
 */
static enum forum_status polish(struct ctx *x, uint64_t units, double t0, double t1,
                                struct lev cur)
{
    const struct alloc__model *m = x->m;
    struct alloc__state *st = &x->st;
    uint64_t spent = 0;
    double ratio = log(t1 / t0);
    enum forum_status rc;

    if (x->n_movable == 0)
        return FORUM_OK;
    while (spent < units && !x->stopped) {
        int32_t sl[8], nsl = 0;
        double temp = t0 * exp(ratio * (double)spent / (double)units);
        if (!propose(x)) {
            spent++;
            (void)tick(x, 1);
            continue;
        }
        for (int k = 0; k < x->mn; k++) {
            int32_t t = m->unit_topic[x->mu[k]];
            if (st->tslot[t] >= 0)
                add_slot(sl, &nsl, st->tslot[t]);
            if (x->mto[k] >= 0)
                add_slot(sl, &nsl, x->mto[k] / m->R);
        }
        int64_t before = 0, after = 0, nv[8];
        uint64_t cost = 1;
        for (int32_t q = 0; q < nsl; q++)
            before += x->slot_val[sl[q]];
        struct alloc__delta d;
        if ((rc = apply(x, &d)) != FORUM_OK)
            return rc;
        bool valid = valid_hosts(x);
        for (int32_t q = 0; q < nsl && valid; q++) {
            struct alloc__seating o;
            if ((rc = seat(x, sl[q], &o)) != FORUM_OK)
                return rc;
            cost += o.work;
            nv[q] = o.sat;
            after += o.sat;
            valid = o.missing == 0;
        }
        /* The work is charged after the fact; a stop ends the loop after this move. */
        spent += cost;
        (void)tick(x, cost);
        int64_t dsat = after - before;
        if (!valid || !accept(x, d.placed, d.kept, (double)dsat, temp)) {
            alloc__state_undo(st);
            continue;
        }
        for (int32_t q = 0; q < nsl; q++)
            x->slot_val[sl[q]] = nv[q];
        cur.sat += dsat;
        cur.sched += d.placed;
        cur.kept += d.kept;
        keep_best(x, &cur);
    }
    return FORUM_OK;
}

/* Places unscheduled topics in free cells where the slot stays valid: always
 * for topics_first, when the satisfied weight does not drop for votes_first.
 * Starts from x->best loaded in x->st; leaves the result in x->best. */
static enum forum_status fill(struct ctx *x)
{
    const struct alloc__model *m = x->m;
    struct alloc__state *st = &x->st;
    enum forum_status rc;

    for (int32_t i = 0; i < x->n_movable; i++) {
        int32_t t = x->movable[i];
        if (st->tk[t] > 0 || !m->movable[t])
            continue;
        for (int32_t j = m->ok_slot_start[t]; j < m->ok_slot_start[t + 1]; j++) {
            int32_t s = m->ok_slot[j], c = pick_room(x, t, s);
            if (c < 0 || !alloc__state_hosts_ok(st, t, s, -1, -1))
                continue;
            struct alloc__delta d;
            struct alloc__seating o;
            mv_clear(x);
            mv_add(x, unit0(m, t), c);
            if ((rc = apply(x, &d)) != FORUM_OK)
                return rc;
            if ((rc = seat(x, s, &o)) != FORUM_OK)
                return rc;
            if (o.missing == 0 &&
                (x->obj == ALLOC_TOPICS_FIRST || o.sat >= x->slot_val[s])) {
                x->best_lev.sat += o.sat - x->slot_val[s];
                x->slot_val[s] = o.sat;
                x->best_lev.sched++;
                break;
            }
            alloc__state_undo(st);
        }
        /* A group topic just placed: more groups while they add votes. */
        while (m->is_group[t] && st->tk[t] > 0 && st->tk[t] < m->gmax[t]) {
            int32_t s = st->tslot[t], c = pick_room(x, t, s);
            if (c < 0)
                break;
            struct alloc__delta d;
            struct alloc__seating o;
            mv_clear(x);
            mv_add(x, m->unit_start[t] + st->tk[t], c);
            if ((rc = apply(x, &d)) != FORUM_OK)
                return rc;
            if ((rc = seat(x, s, &o)) != FORUM_OK)
                return rc;
            if (o.missing != 0 || o.sat <= x->slot_val[s]) {
                alloc__state_undo(st);
                break;
            }
            x->best_lev.sat += o.sat - x->slot_val[s];
            x->slot_val[s] = o.sat;
        }
    }
    x->best_lev.kept = st->nkept;
    memcpy(x->best, st->place, (size_t)m->U * sizeof *st->place);
    memcpy(x->best_val, x->slot_val, (size_t)m->S * sizeof *x->slot_val);
    return FORUM_OK;
}

/* ---- reasons ---- */

/* True when group topic t could fill one group in free cell c (slot s) on its
 * own: its hosts and the voters free then and allowed in the room reach
 * size_min. */
static bool enough_people(const struct ctx *x, int32_t t, int32_t c)
{
    const struct alloc__model *m = x->m;
    const struct alloc__state *st = &x->st;
    int32_t s = c / m->R, r = c % m->R, n = alloc__n_hosts(m, t);

    for (int32_t v = m->voter_start[t]; v < m->voter_start[t + 1]; v++) {
        int32_t q = m->voter_p[v];
        size_t ps = (size_t)q * (size_t)m->S + (size_t)s;
        n += !m->p_unavail[ps] && !st->hosting[ps] && alloc__p_room_ok(m, q, r);
    }
    return n >= m->gmin[t];
}

static enum alloc_why explain(const struct ctx *x, int32_t t)
{
    const struct alloc__model *m = x->m;
    const struct alloc__state *st = &x->st;
    const struct alloc_topic *tp = &m->p->topics[t];
    bool open = false, hosts_free = false, free_cell = false, people = false;

    if (m->ok_room_start[t + 1] == m->ok_room_start[t])
        return ALLOC_WHY_NO_ROOM;
    /* Cells in the topic's slots whose room suits it and is open. */
    for (int32_t s = 0; s < m->S; s++) {
        bool in_block = !tp->has_slots;
        for (size_t k = 0; k < tp->n_slots && !in_block; k++)
            in_block = tp->slots[k] == (size_t)s;
        if (!in_block)
            continue;
        for (int32_t i = m->ok_room_start[t]; i < m->ok_room_start[t + 1]; i++) {
            int32_t c = s * m->R + m->ok_room[i];
            if (!m->room_avail[c])
                continue;
            open = true;
            if (!m->topic_slot_ok[(size_t)t * (size_t)m->S + (size_t)s])
                continue;
            hosts_free = true;
            if (st->cell_unit[c] >= 0)
                continue;
            if (!alloc__state_hosts_ok(st, t, s, -1, -1))
                continue;
            free_cell = true;
            people |= !m->is_group[t] || enough_people(x, t, c);
        }
    }
    if (!open)
        return ALLOC_WHY_NO_SLOT;
    if (!hosts_free)
        return ALLOC_WHY_HOSTS_UNAVAILABLE;
    if (free_cell) {
        if (!people || (m->is_group[t] && x->obj == ALLOC_TOPICS_FIRST))
            return ALLOC_WHY_TOO_FEW_PEOPLE;
        return ALLOC_WHY_COSTS_VOTES;
    }
    /* Every free cell is in a slot where its hosts run another session, or there
     * is none left. */
    for (int32_t j = m->ok_slot_start[t]; j < m->ok_slot_start[t + 1]; j++)
        for (int32_t i = m->ok_room_start[t]; i < m->ok_room_start[t + 1]; i++) {
            int32_t c = m->ok_slot[j] * m->R + m->ok_room[i];
            if (m->room_avail[c] && st->cell_unit[c] < 0)
                return ALLOC_WHY_HOSTS_BUSY;
        }
    if (m->voter_start[t + 1] == m->voter_start[t])
        return ALLOC_WHY_NO_VOTES;
    return ALLOC_WHY_OUTVOTED;
}

/* ---- the result ---- */

/* Numbers the groups of topic t (placed in x->st): the fixed room is group 1,
 * kept previous entries keep their number, the others take the smallest free
 * numbers in room order. OUT: number[r] for the rooms of its groups. */
static void number_groups(const struct ctx *x, int32_t t, int32_t *number)
{
    const struct alloc__model *m = x->m;
    const struct alloc__state *st = &x->st;
    int32_t k = st->tk[t], s = st->tslot[t], base = m->unit_start[t];
    uint8_t used[ALLOC_MAX_ROOMS + 2] = {0}; /* k <= rooms */

    for (int32_t j = 0; j < k; j++)
        number[st->place[base + j] % m->R] = 0;
    if (m->fixed_cell[t] >= 0) {
        number[m->fixed_cell[t] % m->R] = 1;
        used[1] = 1;
    }
    for (int32_t i = m->prev_start[t]; i < m->prev_start[t + 1]; i++) {
        int32_t c = m->prev_cell[i], g = m->prev_group[i], r = c % m->R;
        if (c / m->R != s || g > k || used[g])
            continue;
        bool here = false;
        for (int32_t j = 0; j < k && !here; j++)
            here = st->place[base + j] == c;
        if (!here || number[r] != 0)
            continue;
        number[r] = g;
        used[g] = 1;
    }
    int32_t next = 1;
    for (int32_t r = 0; r < m->R; r++) {
        int32_t u = st->cell_unit[s * m->R + r];
        if (u < 0 || m->unit_topic[u] != t || number[r] != 0)
            continue;
        while (used[next])
            next++;
        number[r] = next;
        used[next] = 1;
    }
}

/* Seats every slot of the placement in x->st and fills the owned result. */
static enum forum_status build_result(struct ctx *x, struct alloc_result **out)
{
    const struct alloc__model *m = x->m;
    struct alloc__state *st = &x->st;
    struct alloc_result *res = forum_try_calloc(1, sizeof *res);
    int32_t *seat = forum_try_malloc(((size_t)m->P + 1) * sizeof *seat);
    int32_t *count = forum_try_calloc((size_t)m->U + 1, sizeof *count);
    size_t *sess_of = forum_try_calloc((size_t)m->U + 1, sizeof *sess_of);
    int32_t *number = forum_try_calloc((size_t)m->R + 1, sizeof *number);
    uint8_t *served = forum_try_calloc((size_t)m->P + 1, 1);
    enum forum_status rc = FORUM_ENOMEM;
    size_t n_sessions = 0, n_unsched = 0;

    if (res == NULL || seat == NULL || count == NULL || sess_of == NULL ||
        number == NULL || served == NULL)
        goto fail;
    for (int32_t t = 0; t < m->T; t++) {
        n_sessions += (size_t)st->tk[t];
        n_unsched += st->tk[t] == 0;
    }
    res->sessions = forum_try_calloc(n_sessions + 1, sizeof *res->sessions);
    res->unscheduled = forum_try_calloc(n_unsched + 1, sizeof *res->unscheduled);
    res->why = forum_try_calloc(n_unsched + 1, sizeof *res->why);
    if (res->sessions == NULL || res->unscheduled == NULL || res->why == NULL)
        goto fail;
    for (int32_t s = 0; s < m->S; s++) {
        struct alloc__seating o;
        if ((rc = alloc__seat_slot(m, st->cell_unit, s, &o, seat, &x->sw)) != FORUM_OK)
            goto fail;
        if (o.missing != 0) {
            rc = FORUM_EINTERNAL;
            goto fail;
        }
        res->score.satisfied += o.sat;
        for (int32_t q = 0; q < m->P; q++)
            if (seat[q] >= 0)
                count[seat[q]]++;
        for (int32_t r = 0; r < m->R; r++) {
            int32_t u = st->cell_unit[s * m->R + r];
            if (u >= 0 && u == m->unit_start[m->unit_topic[u]] &&
                m->is_group[m->unit_topic[u]])
                number_groups(x, m->unit_topic[u], number);
        }
        for (int32_t r = 0; r < m->R; r++) {
            int32_t u = st->cell_unit[s * m->R + r];
            if (u < 0)
                continue;
            int32_t t = m->unit_topic[u];
            sess_of[u] = res->n_sessions;
            struct alloc_session *se = &res->sessions[res->n_sessions++];
            se->topic = (size_t)t;
            se->group = m->is_group[t] ? (uint32_t)number[r] : 1;
            se->room = (size_t)r;
            se->slot = (size_t)s;
            se->attendees =
                forum_try_malloc(((size_t)count[u] + 1) * sizeof *se->attendees);
            if (se->attendees == NULL) {
                rc = FORUM_ENOMEM;
                goto fail;
            }
        }
        /* Hosts first (in the topic's order), then the others ascending. */
        for (int32_t r = 0; r < m->R; r++) {
            int32_t u = st->cell_unit[s * m->R + r];
            if (u < 0)
                continue;
            int32_t t = m->unit_topic[u];
            struct alloc_session *se = &res->sessions[sess_of[u]];
            for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
                if (seat[m->host_p[h]] == u)
                    se->attendees[se->n_attendees++] = (size_t)m->host_p[h];
        }
        for (int32_t q = 0; q < m->P; q++) {
            int32_t u = seat[q];
            if (u < 0)
                continue;
            int32_t t = m->unit_topic[u];
            bool host = false;
            for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
                host |= m->host_p[h] == q;
            if (host)
                continue;
            struct alloc_session *se = &res->sessions[sess_of[u]];
            se->attendees[se->n_attendees++] = (size_t)q;
            for (int32_t v = m->vote_start[q]; v < m->vote_start[q + 1]; v++)
                served[q] |= m->vote_t[v] == t;
        }
        for (int32_t r = 0; r < m->R; r++) {
            int32_t u = st->cell_unit[s * m->R + r];
            if (u >= 0)
                count[u] = 0;
        }
    }
    for (int32_t t = 0; t < m->T; t++) {
        if (st->tk[t] > 0)
            continue;
        res->unscheduled[res->n_unscheduled] = (size_t)t;
        res->why[res->n_unscheduled] = explain(x, t);
        res->n_unscheduled++;
    }
    res->score.scheduled = (int64_t)(m->T - (int32_t)n_unsched);
    res->score.demand = m->demand;
    /* moved: previous entries with no session of that topic and group in that cell. */
    for (size_t i = 0; i < m->p->n_previous; i++) {
        const struct alloc_previous *e = &m->p->previous[i];
        int32_t c = (int32_t)e->slot * m->R + (int32_t)e->room, u = st->cell_unit[c];
        bool kept = u >= 0 && m->unit_topic[u] == (int32_t)e->topic &&
                    res->sessions[sess_of[u]].group == e->group;
        res->score.moved += !kept;
    }
    for (int32_t q = 0; q < m->P; q++)
        res->score.unserved += m->vote_start[q] < m->vote_start[q + 1] && !served[q];
    if ((rc = alloc__bound(m, &res->score.bound)) != FORUM_OK)
        goto fail;
    if (res->score.bound < res->score.satisfied) {
        rc = FORUM_EINTERNAL;
        goto fail;
    }
    res->iterations = x->iters;
    rc = FORUM_OK;
    *out = res;
    res = NULL;
fail:
    free(seat);
    free(count);
    free(sess_of);
    free(number);
    free(served);
    alloc_result_free(res);
    return rc;
}

/*
 * Loads x->cyc_best into x->st, repairs and scores it exactly and makes it the
 * best placement when it beats it. OUT: *lv, its exact levels (slot values in
 * x->slot_val).
 */
static enum forum_status keep_if_better(struct ctx *x, struct lev *lv)
{
    enum forum_status rc;

    if ((rc = alloc__state_load(&x->st, x->cyc_best)) != FORUM_OK)
        return rc;
    if ((rc = exact_score(x, lv, x->slot_val)) != FORUM_OK)
        return rc;
    keep_best(x, lv);
    return FORUM_OK;
}

/* The search proper; leaves the best placement in x->best and x->st. */
static enum forum_status search(struct ctx *x)
{
    const struct alloc__model *m = x->m;
    enum forum_status rc;
    struct lev lv;
    size_t ubytes = (size_t)m->U * sizeof *x->best;

    if ((rc = construct(x)) != FORUM_OK)
        return rc;
    if ((rc = exact_score(x, &lv, x->slot_val)) != FORUM_OK)
        return rc;
    set_best(x, &lv);
    memcpy(x->init, x->best, ubytes);
    uint64_t base = (uint64_t)x->n_movable * ALLOC_BASE;
    if (base < ALLOC_MINBASE)
        base = ALLOC_MINBASE;
    if (base > ALLOC_MAXBASE)
        base = ALLOC_MAXBASE;
    double t0 = ALLOC_T0 * x->mean_w, t1 = ALLOC_T1 * x->mean_w;
    if (x->part && x->n_movable > 0) {
        /* Rooms do not matter and votes weigh the same: anneal the partition
         * into slots (part.c) with the whole budget. */
        memcpy(x->cyc_best, x->best, ubytes);
        if ((rc = alloc__part_search(m, x->cyc_best, alloc__rng_next(&x->rng), tick_cb,
                                     x)) != FORUM_OK)
            return rc;
        if ((rc = keep_if_better(x, &lv)) != FORUM_OK)
            return rc;
    }
    for (int cycle = 0; !x->stopped && x->n_movable > 0; cycle++) {
        /* Cycle 0 is a short cold descent from the construction: on large
         * problems (few steps per topic in the budget) it is where most of
         * the gain is. Then cycles of growing length anneal from the best
         * placement so far, the first one hot, the others reheating mildly;
         * every fourth one first kicks the best placement out of its basin. */
        int k = cycle > 0 ? cycle - 1 : 0;
        uint64_t len = cycle == 0 ? base / 4 : base << (k < ALLOC_GROW ? k : ALLOC_GROW);
        bool restart = cycle % 4 == 3;
        if ((rc = alloc__state_load(
                 &x->st, restart && ALLOC_KICK == 0 ? x->init : x->best)) != FORUM_OK)
            return rc;
        if (restart && ALLOC_KICK > 0 && (rc = kick(x, ALLOC_KICK)) != FORUM_OK)
            return rc;
        double hot = cycle == 0 ? t1 : cycle == 1 || restart ? t0 : t0 * 0.5;
        if ((rc = anneal(x, len, hot, t1)) != FORUM_OK)
            return rc;
        /* Polish the cycle's best with exact scoring. */
        if ((rc = keep_if_better(x, &lv)) != FORUM_OK)
            return rc;
        /* When the approximation was exact (no session over capacity, so
         * everyone got their best choice), polishing adds little: keep it short. */
        uint64_t plen =
            fabs(x->st.total - (double)lv.sat) < 0.5 ? len / 16 : len * ALLOC_PMUL;
        if ((rc = polish(x, plen, ALLOC_PT0 * t0, ALLOC_PT1 * x->mean_w, lv)) != FORUM_OK)
            return rc;
    }
    /* Final: fill free cells (exact). */
    if ((rc = alloc__state_load(&x->st, x->best)) != FORUM_OK)
        return rc;
    memcpy(x->slot_val, x->best_val, (size_t)m->S * sizeof *x->slot_val);
    return fill(x);
}

/* Up to 4,096 entries, and at most 1,048,576 ints of keys. */
#define CACHE_ENTRIES 4096
#define CACHE_KEY_INTS (1u << 20)

static enum forum_status cache_init(struct seat_cache *sc, const struct alloc__model *m)
{
    size_t w = (size_t)m->R + 1, n = CACHE_ENTRIES;
    while (n > 1 && n * w > CACHE_KEY_INTS)
        n /= 2;
    memset(sc, 0, sizeof *sc);
    sc->hash = forum_try_calloc(n, sizeof *sc->hash);
    sc->key = forum_try_malloc(n * w * sizeof *sc->key);
    sc->val = forum_try_malloc(n * sizeof *sc->val);
    if (sc->hash == NULL || sc->key == NULL || sc->val == NULL) {
        free(sc->hash);
        free(sc->key);
        free(sc->val);
        memset(sc, 0, sizeof *sc);
        return FORUM_ENOMEM;
    }
    sc->n = n;
    return FORUM_OK;
}

enum forum_status alloc_solve(const struct alloc_problem *p,
                              const struct alloc_options *opt, struct alloc_result **out,
                              struct forum_error *err)
{
    static const struct alloc_options defaults = {0, 0, NULL, NULL};
    struct alloc__model m;
    struct ctx x;
    enum forum_status rc;

    if (out == NULL)
        return forum_error_set(err, FORUM_EINVAL, "", "no result pointer");
    *out = NULL;
    if ((rc = alloc_problem_validate(p, err)) != FORUM_OK)
        return rc;
    if (opt == NULL)
        opt = &defaults;
    memset(&x, 0, sizeof x);
    if ((rc = alloc__model_init(&m, p)) != FORUM_OK)
        return forum_error_set(err, rc, "", "out of memory");
    x.m = &m;
    x.opt = opt;
    x.obj = p->objective;
    x.max_iters = opt->max_iterations;
    if (x.max_iters == 0 && opt->should_stop == NULL)
        x.max_iters = ALLOC_DEFAULT_ITERATIONS;
    x.next_check = ALLOC_STOP_CHECK_EVERY;
    alloc__rng_seed(&x.rng, opt->seed);
    int64_t nv = m.vote_start[m.P];
    x.mean_w = nv > 0 ? (double)m.demand / (double)nv : 1.0;
    rc = FORUM_ENOMEM;
    size_t U = (size_t)m.U + 1;
    x.movable = forum_try_malloc(((size_t)m.T + 1) * sizeof *x.movable);
    x.cyc_best = forum_try_malloc(U * sizeof *x.cyc_best);
    x.best = forum_try_malloc(U * sizeof *x.best);
    x.init = forum_try_malloc(U * sizeof *x.init);
    x.fixed_place = forum_try_malloc(U * sizeof *x.fixed_place);
    x.mu = forum_try_malloc((2 * U + 4) * sizeof *x.mu);
    x.mto = forum_try_malloc((2 * U + 4) * sizeof *x.mto);
    x.pick = forum_try_malloc(((size_t)m.R + 1) * sizeof *x.pick);
    x.part_lev = forum_try_calloc(2 * (size_t)m.n_parts + 1, sizeof *x.part_lev);
    x.part_take = forum_try_calloc((size_t)m.n_parts + 1, 1);
    x.slot_val = forum_try_calloc((size_t)m.S + 1, sizeof *x.slot_val);
    x.best_val = forum_try_calloc((size_t)m.S + 1, sizeof *x.best_val);
    if (x.movable == NULL || x.cyc_best == NULL || x.best == NULL || x.init == NULL ||
        x.fixed_place == NULL || x.mu == NULL || x.mto == NULL || x.pick == NULL ||
        x.part_lev == NULL || x.part_take == NULL || x.slot_val == NULL ||
        x.best_val == NULL)
        goto out;
    if ((rc = alloc__seat_work_init(&x.sw, &m)) != FORUM_OK)
        goto out;
    if ((rc = cache_init(&x.cache, &m)) != FORUM_OK)
        goto out;
    if ((rc = alloc__state_init(&x.st, &m)) != FORUM_OK)
        goto out;
    /* In fast mode a room only matters through the features people need; when
     * every class of participants may enter all rooms or none, swapping rooms
     * within a slot never changes the value: do not waste steps on it. */
    x.p_sameslot = x.st.fast && alloc__rooms_alike(&m) ? 0.0 : ALLOC_P_SAMESLOT;
    /* Unplacing loses a topic: under topics_first the annealing refuses it
     * unless it is a group topic that does not count yet. */
    x.p_unplace =
        x.st.fast || x.obj == ALLOC_TOPICS_FIRST ? ALLOC_P_UNPLACE_FAST : ALLOC_P_UNPLACE;
    x.part = alloc__part_applies(&m);
    if ((rc = order_topics(&m, x.movable, &x.n_movable)) != FORUM_OK)
        goto out;
    /* Longer chains escape the local optima of small problems, where the budget
     * allows many steps per topic; on large ones plain swaps do more per second
     * (measured on bigre, exact-l, large and huge). */
    x.p_chain = x.n_movable > ALLOC_CHAIN_TOPICS
                    ? ALLOC_P_CHAIN * ALLOC_CHAIN_TOPICS / (double)x.n_movable
                    : ALLOC_P_CHAIN;
    if ((rc = place_fixed(&x, err)) != FORUM_OK) {
        if (rc == FORUM_EINVAL)
            goto out_err; /* err names the fixed topic */
        goto out;
    }
    if ((rc = search(&x)) != FORUM_OK)
        goto out;
    rc = build_result(&x, out);
out:
    if (rc != FORUM_OK)
        forum_error_set(err, rc, "",
                        rc == FORUM_ENOMEM ? "out of memory"
                                           : "internal error in the solver");
out_err:
    alloc__state_release(&x.st);
    alloc__seat_work_release(&x.sw);
    free(x.cache.hash);
    free(x.cache.key);
    free(x.cache.val);
    free(x.movable);
    free(x.cyc_best);
    free(x.best);
    free(x.init);
    free(x.fixed_place);
    free(x.mu);
    free(x.mto);
    free(x.pick);
    free(x.part_lev);
    free(x.part_take);
    free(x.slot_val);
    free(x.best_val);
    alloc__model_release(&m);
    return rc;
}
