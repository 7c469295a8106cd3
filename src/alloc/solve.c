/* SPDX-License-Identifier: MIT */
/*
 * alloc_solve(): greedy construction, simulated annealing in cycles of
 * growing length (each restarting from the best placement found, by exact
 * score), a polish phase scoring moves by the exact seating of the touched
 * slots, filling free cells with unscheduled topics when it costs nothing,
 * and the final exact seating, reasons and bound.
 */
#include "internal.h"

#include <math.h>
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

struct ctx {
    const struct alloc__model *m;
    const struct alloc_options *opt;
    struct alloc__rng rng;
    uint64_t iters, max_iters, next_check;
    bool stopped;
    struct alloc__seat_work sw;
    struct alloc__state st;
    int32_t *movable; /* indices of the movable topics */
    int32_t n_movable;
    int32_t *cyc_best; /* T: best placement of the current cycle (approximate value) */
    int32_t *best;     /* T: best placement overall (exact score) */
    int32_t *init;     /* T: the greedy construction */
    int64_t best_sat, best_sched;
    int64_t *slot_val; /* S: exact value of each slot of the polished placement */
    int64_t *best_val; /* S: exact value of each slot of x->best */
    double mean_w;
    uint64_t slot_units; /* work units charged for seating one slot exactly */
    double p_sameslot;   /* probability of a move within the topic's slot */
    double p_unplace;    /* probability of unplacing the topic */
    bool part;           /* the partition search applies (part.c) */
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

/* The exact score of a placement (loaded in x->st). OUT: per-slot values when vals. */
static enum forum_status exact_score(struct ctx *x, int64_t *sat, int64_t *sched,
                                     int64_t *vals)
{
    const struct alloc__model *m = x->m;
    enum forum_status rc;

    *sat = 0;
    *sched = 0;
    for (int32_t s = 0; s < m->S; s++) {
        int64_t v;
        rc = alloc__seat_slot(m, x->st.place, x->st.cell_topic, s, &v, NULL, &x->sw);
        if (rc != FORUM_OK)
            return rc;
        if (vals != NULL)
            vals[s] = v;
        *sat += v;
    }
    for (int32_t t = 0; t < m->T; t++)
        *sched += x->st.place[t] >= 0;
    return FORUM_OK;
}

static bool better(int64_t sat, int64_t sched, int64_t bsat, int64_t bsched)
{
    return sat > bsat || (sat == bsat && sched > bsched);
}

/* Picks the room of slot s for t: the smallest free allowed room that seats all
 * its voters, else the largest. Returns the cell or -1. */
static int32_t pick_room(const struct ctx *x, int32_t t, int32_t s)
{
    const struct alloc__model *m = x->m;
    int32_t want = m->voter_start[t + 1] - m->voter_start[t];
    int32_t best = -1, best_seats = -1;
    bool fits = false;

    for (int32_t i = m->ok_room_start[t]; i < m->ok_room_start[t + 1]; i++) {
        int32_t r = m->ok_room[i], c = s * m->R + r;
        if (!m->room_avail[c] || x->st.cell_topic[c] >= 0)
            continue;
        int32_t seats = alloc__seats(m, t, r);
        bool f = seats >= want;
        if (best < 0 || (f && !fits) || (f && fits && seats < best_seats) ||
            (!f && !fits && seats > best_seats)) {
            best = c;
            best_seats = seats;
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

/* Topic indices of the movable topics by total vote weight, heaviest first. */
static enum forum_status order_topics(const struct alloc__model *m, int32_t *out,
                                      int32_t *n)
{
    int64_t *pairs = forum_try_malloc(((size_t)m->T + 1) * 2 * sizeof *pairs);
    int32_t k = 0;

    if (pairs == NULL)
        return FORUM_ENOMEM;
    for (int32_t t = 0; t < m->T; t++) {
        if (!m->movable[t])
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

/* Greedy construction: each topic by weight into the slot (and a fitting room)
 * that adds the most to the approximate value. Leaves the result in x->st. */
static enum forum_status construct(struct ctx *x, int32_t *place)
{
    const struct alloc__model *m = x->m;
    enum forum_status rc;

    for (int32_t t = 0; t < m->T; t++)
        place[t] = m->fixed_cell[t];
    if ((rc = alloc__state_load(&x->st, place)) != FORUM_OK)
        return rc;
    for (int32_t i = 0; i < x->n_movable; i++) {
        int32_t t = x->movable[i], best = -1;
        double best_d = 0.0;
        for (int32_t j = m->ok_slot_start[t]; j < m->ok_slot_start[t + 1]; j++) {
            int32_t c = pick_room(x, t, m->ok_slot[j]);
            if (c < 0 || !alloc__state_hosts_ok(&x->st, t, c, -1, -1))
                continue;
            double d;
            if ((rc = alloc__state_move(&x->st, 1, &t, &c, &d)) != FORUM_OK)
                return rc;
            alloc__state_undo(&x->st);
            if (d > best_d + 1e-9) {
                best_d = d;
                best = c;
            }
            /* Counted, but never cut short: a partial construction is worse
             * than a late stop (filling it afterwards costs far more). */
            (void)tick(x, 1);
        }
        if (best >= 0) {
            double d;
            if ((rc = alloc__state_move(&x->st, 1, &t, &best, &d)) != FORUM_OK)
                return rc;
        }
    }
    return FORUM_OK;
}

/*
 * Proposes a random move of the current state: relocate a topic to an allowed
 * cell (swapping with the topic there, or replacing it when the mover was
 * unplaced), often within its own slot (a room swap), or unplace it. Fills
 * n, t[], to[]; returns false when the draw is not feasible.
 */
static bool propose(struct ctx *x, int *n, int32_t *t, int32_t *to)
{
    const struct alloc__model *m = x->m;
    const struct alloc__state *st = &x->st;
    int32_t a = x->movable[alloc__rng_below(&x->rng, (uint32_t)x->n_movable)];
    int32_t from = st->place[a];
    double r = alloc__rng_unit(&x->rng);

    if (from >= 0 && r < x->p_unplace) {
        *n = 1;
        t[0] = a;
        to[0] = -1;
        return true;
    }
    int32_t nr = m->ok_room_start[a + 1] - m->ok_room_start[a];
    int32_t ns = m->ok_slot_start[a + 1] - m->ok_slot_start[a];
    int32_t room = m->ok_room[m->ok_room_start[a] +
                              (int32_t)alloc__rng_below(&x->rng, (uint32_t)nr)];
    int32_t slot;
    if (from >= 0 && r < x->p_unplace + x->p_sameslot)
        slot = from / m->R;
    else
        slot = m->ok_slot[m->ok_slot_start[a] +
                          (int32_t)alloc__rng_below(&x->rng, (uint32_t)ns)];
    int32_t c = slot * m->R + room;
    if (c == from || !m->room_avail[c])
        return false;
    int32_t b = st->cell_topic[c];
    if (b < 0) {
        if (!alloc__state_hosts_ok(st, a, c, -1, -1))
            return false;
        *n = 1;
        t[0] = a;
        to[0] = c;
        return true;
    }
    if (m->fixed_cell[b] >= 0)
        return false;
    if (from >= 0 && !alloc__cell_allowed(m, b, from))
        return false;
    if (!alloc__state_hosts_ok(st, a, c, b, -1))
        return false;
    if (from >= 0 && !alloc__state_hosts_ok(st, b, from, a, -1))
        return false;
    *n = 2;
    t[0] = a;
    to[0] = c;
    t[1] = b;
    to[1] = from;
    return true;
}

/* Applies random legal moves regardless of their value: about n_movable /
 * div of them (at least 2), to leave the basin of the best placement. */
static enum forum_status kick(struct ctx *x, int32_t div)
{
    int32_t want = x->n_movable / div > 2 ? x->n_movable / div : 2, done = 0;
    enum forum_status rc;

    for (int32_t tries = 0; done < want && tries < 50 * want; tries++) {
        int n;
        int32_t t[2], to[2];
        double d;
        if (!propose(x, &n, t, to))
            continue;
        if ((rc = alloc__state_move(&x->st, n, t, to, &d)) != FORUM_OK)
            return rc;
        done++;
    }
    return FORUM_OK;
}

/* One annealing run of len steps from the placement in x->st, temperatures t0 -> t1.
 * The best placement seen (approximate value) ends in x->cyc_best. */
static enum forum_status anneal(struct ctx *x, uint64_t len, double t0, double t1)
{
    const struct alloc__model *m = x->m;
    struct alloc__state *st = &x->st;
    double best = st->total, temp = t0;
    double factor = pow(t1 / t0, 256.0 / (double)len);
    enum forum_status rc;

    memcpy(x->cyc_best, st->place, (size_t)m->T * sizeof *st->place);
    if (x->n_movable == 0)
        return FORUM_OK;
    for (uint64_t it = 0; it < len; it++) {
        if (tick(x, 1))
            break;
        if ((it & 255) == 255)
            temp *= factor;
        int n;
        int32_t t[2], to[2];
        if (!propose(x, &n, t, to))
            continue;
        double d;
        if ((rc = alloc__state_move(st, n, t, to, &d)) != FORUM_OK)
            return rc;
        if (d < 0 && alloc__rng_unit(&x->rng) >= exp(d / temp)) {
            alloc__state_undo(st);
            continue;
        }
        if (st->total > best + 1e-9) {
            best = st->total;
            memcpy(x->cyc_best, st->place, (size_t)m->T * sizeof *st->place);
        }
    }
    return FORUM_OK;
}

/* Exact value of slot s of the placement in x->st. */
static enum forum_status slot_value(struct ctx *x, int32_t s, int64_t *v)
{
    return alloc__seat_slot(x->m, x->st.place, x->st.cell_topic, s, v, NULL, &x->sw);
}

/*
 * Polish: annealing at low temperature where each move is scored by the
 * exact seating of the one or two slots it touches. Starts from the
 * placement loaded in x->st (exact score cur_sat, cur_sched; slot values in
 * x->slot_val) and records any placement better than x->best there. Spends
 * about `units` units of work.
 */
static enum forum_status polish(struct ctx *x, uint64_t units, double t0, double t1,
                                int64_t cur_sat, int64_t cur_sched)
{
    const struct alloc__model *m = x->m;
    struct alloc__state *st = &x->st;
    uint64_t tries = units / (2 * x->slot_units) + 1;
    double temp = t0, factor = pow(t1 / t0, 1.0 / (double)tries);
    enum forum_status rc;

    if (x->n_movable == 0)
        return FORUM_OK;
    for (uint64_t i = 0; i < tries; i++) {
        int n;
        int32_t t[2], to[2], sl[4], nsl = 0;
        temp *= factor;
        if (!propose(x, &n, t, to)) {
            if (tick(x, 1))
                break;
            continue;
        }
        for (int k = 0; k < n; k++) {
            int32_t c[2] = {st->place[t[k]], to[k]};
            for (int j = 0; j < 2; j++) {
                if (c[j] < 0)
                    continue;
                int32_t s = c[j] / m->R;
                bool seen = false;
                for (int32_t q = 0; q < nsl; q++)
                    seen |= sl[q] == s;
                if (!seen)
                    sl[nsl++] = s;
            }
        }
        if (tick(x, x->slot_units * (uint64_t)nsl))
            break;
        int64_t before = 0, after = 0, nv[4];
        for (int32_t q = 0; q < nsl; q++)
            before += x->slot_val[sl[q]];
        double d;
        if ((rc = alloc__state_move(st, n, t, to, &d)) != FORUM_OK)
            return rc;
        for (int32_t q = 0; q < nsl; q++) {
            if ((rc = slot_value(x, sl[q], &nv[q])) != FORUM_OK)
                return rc;
            after += nv[q];
        }
        int64_t dsat = after - before, dsched = 0;
        for (int k = 0; k < n; k++)
            dsched += (to[k] >= 0) - (st->mv_from[k] >= 0);
        bool accept = dsat > 0 || (dsat == 0 && dsched >= 0) ||
                      alloc__rng_unit(&x->rng) < exp((double)dsat / temp);
        if (!accept) {
            alloc__state_undo(st);
            continue;
        }
        for (int32_t q = 0; q < nsl; q++)
            x->slot_val[sl[q]] = nv[q];
        cur_sat += dsat;
        cur_sched += dsched;
        if (better(cur_sat, cur_sched, x->best_sat, x->best_sched)) {
            memcpy(x->best_val, x->slot_val, (size_t)m->S * sizeof *x->slot_val);
            x->best_sat = cur_sat;
            x->best_sched = cur_sched;
            memcpy(x->best, st->place, (size_t)m->T * sizeof *st->place);
        }
    }
    return FORUM_OK;
}

/* Places unscheduled topics in free cells when the exact score does not drop. */
static enum forum_status fill(struct ctx *x, int32_t *order, int32_t n_order)
{
    const struct alloc__model *m = x->m;
    struct alloc__state *st = &x->st;
    enum forum_status rc;

    for (int32_t i = 0; i < n_order; i++) {
        int32_t t = order[i];
        if (st->place[t] >= 0)
            continue;
        for (int32_t j = m->ok_slot_start[t]; j < m->ok_slot_start[t + 1]; j++) {
            int32_t s = m->ok_slot[j], c = pick_room(x, t, s);
            if (c < 0 || !alloc__state_hosts_ok(st, t, c, -1, -1))
                continue;
            double d;
            int64_t v;
            if ((rc = alloc__state_move(st, 1, &t, &c, &d)) != FORUM_OK)
                return rc;
            if ((rc = slot_value(x, s, &v)) != FORUM_OK)
                return rc;
            if (v >= x->slot_val[s]) {
                x->best_sat += v - x->slot_val[s];
                x->slot_val[s] = v;
                x->best_sched++;
                break;
            }
            alloc__state_undo(st);
        }
    }
    memcpy(x->best, st->place, (size_t)m->T * sizeof *st->place);
    return FORUM_OK;
}

static enum alloc_why explain(const struct ctx *x, int32_t t)
{
    const struct alloc__model *m = x->m;

    if (m->ok_room_start[t + 1] == m->ok_room_start[t])
        return ALLOC_WHY_NO_ROOM;
    if (!m->movable[t])
        return ALLOC_WHY_HOSTS_UNAVAILABLE;
    for (int32_t j = m->ok_slot_start[t]; j < m->ok_slot_start[t + 1]; j++)
        for (int32_t i = m->ok_room_start[t]; i < m->ok_room_start[t + 1]; i++) {
            int32_t c = m->ok_slot[j] * m->R + m->ok_room[i];
            if (m->room_avail[c] && x->st.cell_topic[c] < 0)
                return ALLOC_WHY_HOSTS_BUSY;
        }
    if (m->voter_start[t + 1] == m->voter_start[t])
        return ALLOC_WHY_NO_VOTES;
    return ALLOC_WHY_OUTVOTED;
}

/* Seats every slot of x->best and fills the owned result. */
static enum forum_status build_result(struct ctx *x, struct alloc_result **out)
{
    const struct alloc__model *m = x->m;
    struct alloc__state *st = &x->st;
    struct alloc_result *res = forum_try_calloc(1, sizeof *res);
    int32_t *seat = forum_try_malloc(((size_t)m->P + 1) * sizeof *seat);
    int32_t *count = forum_try_calloc((size_t)m->T + 1, sizeof *count);
    size_t *sess_of = forum_try_calloc((size_t)m->T + 1, sizeof *sess_of);
    enum forum_status rc = FORUM_ENOMEM;
    size_t n_sessions = 0, n_unsched = 0;

    if (res == NULL || seat == NULL || count == NULL || sess_of == NULL)
        goto fail;
    for (int32_t t = 0; t < m->T; t++) {
        if (st->place[t] >= 0)
            n_sessions++;
        else
            n_unsched++;
    }
    res->sessions = forum_try_calloc(n_sessions + 1, sizeof *res->sessions);
    res->unscheduled = forum_try_calloc(n_unsched + 1, sizeof *res->unscheduled);
    res->why = forum_try_calloc(n_unsched + 1, sizeof *res->why);
    if (res->sessions == NULL || res->unscheduled == NULL || res->why == NULL)
        goto fail;
    for (int32_t s = 0; s < m->S; s++) {
        int64_t v;
        if ((rc = alloc__seat_slot(m, st->place, st->cell_topic, s, &v, seat, &x->sw)) !=
            FORUM_OK)
            goto fail;
        res->score.satisfied += v;
        for (int32_t q = 0; q < m->P; q++)
            if (seat[q] >= 0)
                count[seat[q]]++;
        for (int32_t r = 0; r < m->R; r++) {
            int32_t t = st->cell_topic[s * m->R + r];
            if (t < 0)
                continue;
            sess_of[t] = res->n_sessions;
            struct alloc_session *se = &res->sessions[res->n_sessions++];
            se->topic = (size_t)t;
            se->group = 1;
            se->room = (size_t)r;
            se->slot = (size_t)s;
            se->attendees =
                forum_try_malloc(((size_t)count[t] + 1) * sizeof *se->attendees);
            if (se->attendees == NULL) {
                rc = FORUM_ENOMEM;
                goto fail;
            }
            for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
                se->attendees[se->n_attendees++] = (size_t)m->host_p[h];
        }
        /* Participants ascending, hosts already listed first. */
        for (int32_t q = 0; q < m->P; q++) {
            int32_t t = seat[q];
            if (t < 0)
                continue;
            bool host = false;
            for (int32_t h = m->host_start[t]; h < m->host_start[t + 1]; h++)
                host |= m->host_p[h] == q;
            if (host)
                continue;
            struct alloc_session *se = &res->sessions[sess_of[t]];
            se->attendees[se->n_attendees++] = (size_t)q;
        }
        for (int32_t r = 0; r < m->R; r++) {
            int32_t t = st->cell_topic[s * m->R + r];
            if (t >= 0)
                count[t] = 0;
        }
    }
    for (int32_t t = 0; t < m->T; t++) {
        if (st->place[t] >= 0)
            continue;
        res->unscheduled[res->n_unscheduled] = (size_t)t;
        res->why[res->n_unscheduled] = explain(x, t);
        res->n_unscheduled++;
    }
    res->score.scheduled = (int64_t)n_sessions;
    res->score.demand = m->demand;
    for (size_t i = 0; i < m->p->n_previous; i++) {
        const struct alloc_previous *e = &m->p->previous[i];
        res->score.moved +=
            e->group != 1 ||
            st->place[e->topic] != (int32_t)(e->slot * (size_t)m->R + e->room);
    }
    /* unserved: voters attending no session of a topic they voted for */
    uint8_t *served = forum_try_calloc((size_t)m->P + 1, 1);
    if (served == NULL) {
        rc = FORUM_ENOMEM;
        goto fail;
    }
    for (size_t i = 0; i < res->n_sessions; i++) {
        const struct alloc_session *se = &res->sessions[i];
        for (size_t k = 0; k < se->n_attendees; k++) {
            int32_t q = (int32_t)se->attendees[k];
            for (int32_t v = m->vote_start[q]; v < m->vote_start[q + 1]; v++)
                served[q] |= m->vote_t[v] == (int32_t)se->topic;
        }
    }
    for (int32_t q = 0; q < m->P; q++)
        res->score.unserved += m->vote_start[q] < m->vote_start[q + 1] && !served[q];
    free(served);
    if ((rc = alloc__bound(m, &res->score.bound)) != FORUM_OK)
        goto fail;
    res->iterations = x->iters;
    free(seat);
    free(count);
    free(sess_of);
    *out = res;
    return FORUM_OK;
fail:
    free(seat);
    free(count);
    free(sess_of);
    alloc_result_free(res);
    return rc;
}

/*
 * Loads x->cyc_best into x->st, scores it exactly and makes it the best
 * placement when it beats it. OUT: sat, sched, its exact score.
 */
static enum forum_status keep_if_better(struct ctx *x, int64_t *sat, int64_t *sched)
{
    const struct alloc__model *m = x->m;
    enum forum_status rc;

    if ((rc = alloc__state_load(&x->st, x->cyc_best)) != FORUM_OK)
        return rc;
    if ((rc = exact_score(x, sat, sched, x->slot_val)) != FORUM_OK)
        return rc;
    if (better(*sat, *sched, x->best_sat, x->best_sched)) {
        memcpy(x->best_val, x->slot_val, (size_t)m->S * sizeof *x->slot_val);
        x->best_sat = *sat;
        x->best_sched = *sched;
        memcpy(x->best, x->cyc_best, (size_t)m->T * sizeof *x->best);
    }
    return FORUM_OK;
}

/* The search proper; leaves the best placement in x->best and x->st. */
static enum forum_status search(struct ctx *x)
{
    const struct alloc__model *m = x->m;
    enum forum_status rc;
    int64_t sat, sched;
    size_t tbytes = (size_t)m->T * sizeof *x->best;

    if ((rc = construct(x, x->best)) != FORUM_OK)
        return rc;
    memcpy(x->best, x->st.place, tbytes);
    if ((rc = exact_score(x, &x->best_sat, &x->best_sched, x->best_val)) != FORUM_OK)
        return rc;
    uint64_t base = (uint64_t)x->n_movable * ALLOC_BASE;
    if (base < ALLOC_MINBASE)
        base = ALLOC_MINBASE;
    if (base > ALLOC_MAXBASE)
        base = ALLOC_MAXBASE;
    double t0 = ALLOC_T0 * x->mean_w, t1 = ALLOC_T1 * x->mean_w;
    memcpy(x->init, x->best, tbytes);
    if (x->part && x->n_movable > 0) {
        /* Rooms do not matter and votes weigh the same: anneal the partition
         * into slots (part.c) with the whole budget. */
        memcpy(x->cyc_best, x->best, tbytes);
        if ((rc = alloc__part_search(m, x->cyc_best, alloc__rng_next(&x->rng), tick_cb,
                                     x)) != FORUM_OK)
            return rc;
        if ((rc = keep_if_better(x, &sat, &sched)) != FORUM_OK)
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
        if ((rc = keep_if_better(x, &sat, &sched)) != FORUM_OK)
            return rc;
        /* When the approximation was exact (no session over capacity, so
         * everyone got their best choice), polishing adds little: keep it short. */
        uint64_t plen = fabs(x->st.total - (double)sat) < 0.5 ? len / 16 : len;
        if ((rc = polish(x, plen, ALLOC_PT0 * t0, ALLOC_PT1 * x->mean_w, sat, sched)) !=
            FORUM_OK)
            return rc;
    }
    /* Final: fill free cells where that costs nothing (exact). */
    if ((rc = alloc__state_load(&x->st, x->best)) != FORUM_OK)
        return rc;
    memcpy(x->slot_val, x->best_val, (size_t)m->S * sizeof *x->slot_val);
    return fill(x, x->movable, x->n_movable);
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
    x.max_iters = opt->max_iterations;
    if (x.max_iters == 0 && opt->should_stop == NULL)
        x.max_iters = ALLOC_DEFAULT_ITERATIONS;
    x.next_check = ALLOC_STOP_CHECK_EVERY;
    alloc__rng_seed(&x.rng, opt->seed);
    int64_t nv = m.vote_start[m.P];
    x.mean_w = nv > 0 ? (double)m.demand / (double)nv : 1.0;
    /* One exact seating scans the slot's votes and runs Bellman-Ford passes
     * on K + 2 nodes: charge both, in units of about one annealing step. */
    uint64_t kk = (uint64_t)m.R + 2;
    x.slot_units =
        1 + (uint64_t)nv / ((uint64_t)(m.S > 0 ? m.S : 1) * 16u) + kk * kk * kk / 512u;

    rc = FORUM_ENOMEM;
    x.movable = forum_try_malloc(((size_t)m.T + 1) * sizeof *x.movable);
    x.cyc_best = forum_try_malloc(((size_t)m.T + 1) * sizeof *x.cyc_best);
    x.best = forum_try_malloc(((size_t)m.T + 1) * sizeof *x.best);
    x.init = forum_try_malloc(((size_t)m.T + 1) * sizeof *x.init);
    x.slot_val = forum_try_calloc((size_t)m.S + 1, sizeof *x.slot_val);
    x.best_val = forum_try_calloc((size_t)m.S + 1, sizeof *x.best_val);
    if (x.movable == NULL || x.cyc_best == NULL || x.best == NULL || x.init == NULL ||
        x.slot_val == NULL || x.best_val == NULL)
        goto out;
    if ((rc = alloc__seat_work_init(&x.sw, &m)) != FORUM_OK)
        goto out;
    if ((rc = alloc__state_init(&x.st, &m)) != FORUM_OK)
        goto out;
    /* In fast mode a room only matters through the features people need; when
     * every class of participants may enter all rooms or none, swapping rooms
     * within a slot never changes the value: do not waste steps on it. */
    x.p_sameslot = x.st.fast && alloc__rooms_alike(&m) ? 0.0 : ALLOC_P_SAMESLOT;
    x.p_unplace = x.st.fast ? ALLOC_P_UNPLACE_FAST : ALLOC_P_UNPLACE;
    x.part = alloc__part_applies(&m);
    if ((rc = order_topics(&m, x.movable, &x.n_movable)) != FORUM_OK)
        goto out;
    if ((rc = search(&x)) != FORUM_OK)
        goto out;
    rc = build_result(&x, out);
out:
    if (rc != FORUM_OK)
        forum_error_set(err, rc, "",
                        rc == FORUM_ENOMEM ? "out of memory"
                                           : "internal error in the solver");
    alloc__state_release(&x.st);
    alloc__seat_work_release(&x.sw);
    free(x.movable);
    free(x.cyc_best);
    free(x.best);
    free(x.init);
    free(x.slot_val);
    free(x.best_val);
    alloc__model_release(&m);
    return rc;
}
