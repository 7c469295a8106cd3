/* SPDX-License-Identifier: MIT */
/*
 * Partition search: when rooms do not matter (every topic may use every
 * room, every room seats all of a topic's voters, each participant may
 * enter every room or none, no topic has hosts) and every counted vote has
 * the same weight, the value of a placement is that weight times the number
 * of (participant, slot) pairs where the participant wishes at least one
 * topic of the slot. The problem is then a partition of the topics into
 * slots (at most as many per slot as it has free cells), searched here by
 * annealing over swaps and relocations with one counter per (participant,
 * slot): a move costs a few passes over the voters of the one or two topics
 * it moves, with no branch on rare cases (unavailable pairs and the
 * "unplaced" group hold a count that never reaches 0).
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"

/* Largest loss with a non-zero acceptance probability. */
#define PART_NTHR 64

/* Schedule (temperatures in covered pairs, lengths in steps). */
#ifndef PART_T0
#define PART_T0 0.5
#endif
#ifndef PART_T1
#define PART_T1 0.1
#endif
#ifndef PART_LEN
#define PART_LEN 4000000u
#endif
#ifndef PART_RELOC
#define PART_RELOC 0.5
#endif

bool alloc__rooms_alike(const struct alloc__model *m)
{
    for (int32_t k = 0; k < m->n_classes; k++) {
        const uint64_t *row = m->class_room + (size_t)k * (size_t)m->class_words;
        bool first = (row[0] & 1u) != 0;
        for (int32_t r = 1; r < m->R; r++)
            if ((((row[r >> 6] >> (r & 63)) & 1u) != 0) != first)
                return false;
    }
    return true;
}

bool alloc__part_applies(const struct alloc__model *m)
{
    /* Groups and a previous schedule bring levels the partition does not see. */
    if (m->T == 0 || m->S == 0 || m->host_start[m->T] != 0 || m->n_groups > 0 ||
        m->n_prev > 0)
        return false;
    /* A move ORs the voter sets of the topics of two slots: keep it cheap. */
    if ((int64_t)((m->P + 63) / 64) * (int64_t)m->R > 2048)
        return false;
    if (!alloc__rooms_alike(m))
        return false;
    for (int32_t t = 0; t < m->T; t++) {
        int32_t voters = m->voter_start[t + 1] - m->voter_start[t];
        if (m->fixed_cell[t] >= 0)
            continue;
        if (m->ok_room_start[t + 1] - m->ok_room_start[t] != m->R ||
            m->ok_slot_start[t + 1] - m->ok_slot_start[t] != m->S)
            return false;
        for (int32_t r = 0; r < m->R; r++)
            if (alloc__seats(m, t, r) < voters)
                return false;
    }
    int32_t nv = m->vote_start[m->P];
    for (int32_t v = 1; v < nv; v++)
        if (m->vote_w[v] != m->vote_w[0])
            return false;
    return true;
}

struct part {
    int32_t S, G, n, W; /* slots, groups (slots + "unplaced"), movable topics, words */
    int32_t *topic;     /* n: the topic of each movable index */
    uint64_t *voters;   /* (n+1)*W: who counts each topic (row n: nobody) */
    uint64_t *fix1;     /* G*W: wish a fixed topic of the slot */
    uint64_t *fix2;     /* G*W: wish two or more fixed topics of the slot */
    uint64_t *avail;    /* G*W: who can attend in the slot (nobody in "unplaced") */
    uint64_t *one;      /* G*W: can attend and wish exactly one topic of the slot */
    uint64_t *zero;     /* G*W: can attend and wish no topic of the slot */
    int32_t *grp;       /* n */
    int32_t *pos;       /* n: index in the group's member list */
    int32_t *gcap;      /* G: free cells */
    int32_t *gsize;     /* G */
    int32_t *goff;      /* G: start of the group's member list in gmem */
    int32_t *gmem;
    int32_t *best_grp; /* n */
    int64_t cur, best;
};

static void part_release(struct part *pt)
{
    free(pt->topic);
    free(pt->voters);
    free(pt->fix1);
    free(pt->fix2);
    free(pt->avail);
    free(pt->one);
    free(pt->zero);
    free(pt->grp);
    free(pt->pos);
    free(pt->gcap);
    free(pt->gsize);
    free(pt->goff);
    free(pt->gmem);
    free(pt->best_grp);
}

static inline uint64_t xs_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

static inline int32_t below(uint64_t r, int32_t n)
{
    return (int32_t)(((r >> 32) * (uint64_t)n) >> 32);
}

static void group_add(struct part *pt, int32_t i, int32_t g)
{
    pt->grp[i] = g;
    pt->pos[i] = pt->gsize[g];
    pt->gmem[pt->goff[g] + pt->gsize[g]++] = i;
}

static void group_del(struct part *pt, int32_t i)
{
    int32_t g = pt->grp[i], last = pt->gmem[pt->goff[g] + --pt->gsize[g]];
    pt->gmem[pt->goff[g] + pt->pos[i]] = last;
    pt->pos[last] = pt->pos[i];
}

/* Recomputes the sets one and zero of slot g; returns its covered pairs. */
static int32_t slot_sets(struct part *pt, int32_t g)
{
    int32_t W = pt->W, k = pt->gsize[g], total = 0;
    const int32_t *mem = pt->gmem + pt->goff[g];
    size_t o = (size_t)g * (size_t)W;

    for (int32_t w = 0; w < W; w++) {
        uint64_t one = pt->fix1[o + (size_t)w], two = pt->fix2[o + (size_t)w],
                 av = pt->avail[o + (size_t)w];
        for (int32_t j = 0; j < k; j++) {
            uint64_t v = pt->voters[(size_t)mem[j] * (size_t)W + (size_t)w];
            two |= one & v;
            one |= v;
        }
        pt->one[o + (size_t)w] = one & ~two & av;
        pt->zero[o + (size_t)w] = ~one & av;
        total += __builtin_popcountll(one & av);
    }
    return total;
}

/*
 * The change of covered pairs when movable a (in group ga) and movable b (in
 * gb; pt->n for none) trade groups. Someone who wishes both is unaffected;
 * someone who wishes only a loses ga where a was their only wish and gains gb
 * where they had none, and the other way round for b.
 */
static inline __attribute__((always_inline)) int32_t
swap_delta(const struct part *pt, int32_t a, int32_t ga, int32_t b, int32_t gb, int32_t W)
{
    const uint64_t *va = pt->voters + (size_t)a * (size_t)W,
                   *vb = pt->voters + (size_t)b * (size_t)W,
                   *oa = pt->one + (size_t)ga * (size_t)W,
                   *za = pt->zero + (size_t)ga * (size_t)W,
                   *ob = pt->one + (size_t)gb * (size_t)W,
                   *zb = pt->zero + (size_t)gb * (size_t)W;
    int32_t d = 0;

    for (int32_t w = 0; w < W; w++) {
        uint64_t x = va[w] ^ vb[w], only_a = va[w] & x, only_b = vb[w] & x;
        d += __builtin_popcountll(only_b & za[w]) + __builtin_popcountll(only_a & zb[w]) -
             __builtin_popcountll(only_a & oa[w]) - __builtin_popcountll(only_b & ob[w]);
    }
    return d;
}

/* Loads the groups from grp_in (n entries). */
static void part_load(struct part *pt, const int32_t *grp_in)
{
    for (int32_t g = 0; g < pt->G; g++)
        pt->gsize[g] = 0;
    for (int32_t i = 0; i < pt->n; i++)
        group_add(pt, i, grp_in[i]);
    pt->cur = 0;
    for (int32_t g = 0; g < pt->G; g++)
        pt->cur += slot_sets(pt, g);
}

/* 256 annealing steps (W: words per voter set, a constant where inlined). */
static inline __attribute__((always_inline)) void steps(struct part *pt, uint64_t *rs,
                                                        const uint32_t *thr, int32_t W)
{
    int32_t S = pt->S, n = pt->n;

    for (int step = 0; step < 256; step++) {
        uint64_t r = xs_next(rs);
        int32_t a = below(r, n), ga = pt->grp[a];
        int32_t gb = (int32_t)(((r & 0xffffffffu) * (uint64_t)(S - (ga < S))) >> 32);
        if (ga < S && gb >= ga)
            gb++;
        int32_t b;
        uint64_t r2 = xs_next(rs);
        if (pt->gsize[gb] < pt->gcap[gb] &&
            (pt->gsize[gb] == 0 || (uint32_t)r2 < (uint32_t)(PART_RELOC * 4294967295.0)))
            b = -1;
        else if (pt->gsize[gb] > 0)
            b = pt->gmem[pt->goff[gb] + below(r2, pt->gsize[gb])];
        else
            continue;
        int32_t d = swap_delta(pt, a, ga, b >= 0 ? b : n, gb, W);
        if (d < 0 &&
            (uint32_t)(xs_next(rs) >> 32) >= thr[-d < PART_NTHR ? -d : PART_NTHR])
            continue;
        group_del(pt, a);
        if (b >= 0) {
            group_del(pt, b);
            group_add(pt, b, ga);
        }
        group_add(pt, a, gb);
        (void)slot_sets(pt, ga);
        (void)slot_sets(pt, gb);
        pt->cur += d;
        if (pt->cur > pt->best) {
            pt->best = pt->cur;
            memcpy(pt->best_grp, pt->grp, (size_t)n * sizeof *pt->grp);
        }
    }
}

/* 256 steps, the word count made a constant for the common sizes. */
#define PART_RUN_STEPS(name, attr)                                                       \
    attr static void name(struct part *pt, uint64_t *rs, const uint32_t *thr)            \
    {                                                                                    \
        switch (pt->W) {                                                                 \
        case 1:                                                                          \
            steps(pt, rs, thr, 1);                                                       \
            break;                                                                       \
        case 2:                                                                          \
            steps(pt, rs, thr, 2);                                                       \
            break;                                                                       \
        case 3:                                                                          \
            steps(pt, rs, thr, 3);                                                       \
            break;                                                                       \
        default:                                                                         \
            steps(pt, rs, thr, pt->W);                                                   \
            break;                                                                       \
        }                                                                                \
    }
PART_RUN_STEPS(run_steps, )
/* The same with the popcnt instruction where the CPU has it (same results). */
#if defined(__x86_64__) && defined(__GNUC__)
#define PART_POPCNT 1
PART_RUN_STEPS(run_steps_popcnt, __attribute__((target("popcnt"))))
#endif

enum forum_status alloc__part_search(const struct alloc__model *m, int32_t *place,
                                     uint64_t seed, bool (*tick)(void *, uint64_t),
                                     void *cls)
{
    struct part pt;
    int32_t S = m->S, G = m->S + 1, n = 0, W = (m->P + 63) / 64;
    enum forum_status rc = FORUM_ENOMEM;
    int32_t *start = NULL, *fcell = NULL;

    memset(&pt, 0, sizeof pt);
    for (int32_t t = 0; t < m->T; t++)
        n += m->movable[t] != 0;
    if (n == 0)
        return FORUM_OK;
    if (W == 0)
        W = 1;
    pt.S = S;
    pt.G = G;
    pt.n = n;
    pt.W = W;
    pt.topic = forum_try_malloc((size_t)n * sizeof *pt.topic);
    pt.voters = forum_try_calloc(((size_t)n + 1) * (size_t)W, sizeof *pt.voters);
    pt.fix1 = forum_try_calloc((size_t)G * (size_t)W, sizeof *pt.fix1);
    pt.fix2 = forum_try_calloc((size_t)G * (size_t)W, sizeof *pt.fix2);
    pt.avail = forum_try_calloc((size_t)G * (size_t)W, sizeof *pt.avail);
    pt.one = forum_try_calloc((size_t)G * (size_t)W, sizeof *pt.one);
    pt.zero = forum_try_calloc((size_t)G * (size_t)W, sizeof *pt.zero);
    pt.grp = forum_try_malloc((size_t)n * sizeof *pt.grp);
    pt.pos = forum_try_malloc((size_t)n * sizeof *pt.pos);
    pt.gcap = forum_try_calloc((size_t)G, sizeof *pt.gcap);
    pt.gsize = forum_try_calloc((size_t)G, sizeof *pt.gsize);
    pt.goff = forum_try_calloc((size_t)G, sizeof *pt.goff);
    pt.gmem = forum_try_malloc(((size_t)m->C + (size_t)n) * sizeof *pt.gmem);
    pt.best_grp = forum_try_malloc((size_t)n * sizeof *pt.best_grp);
    start = forum_try_malloc((size_t)n * sizeof *start);
    fcell = forum_try_calloc((size_t)m->C + 1, sizeof *fcell);
    if (!pt.topic || !pt.voters || !pt.fix1 || !pt.fix2 || !pt.avail || !pt.one ||
        !pt.zero || !pt.grp || !pt.pos || !pt.gcap || !pt.gsize || !pt.goff || !pt.gmem ||
        !pt.best_grp || !start || !fcell)
        goto out;

    /* Voters, who can attend, the fixed topics' coverage, free cells. */
    n = 0;
    for (int32_t t = 0; t < m->T; t++) {
        if (!m->movable[t])
            continue;
        pt.topic[n] = t;
        for (int32_t v = m->voter_start[t]; v < m->voter_start[t + 1]; v++) {
            int32_t q = m->voter_p[v];
            pt.voters[(size_t)n * (size_t)W + (size_t)(q >> 6)] |= 1ull << (q & 63);
        }
        n++;
    }
    for (int32_t q = 0; q < m->P; q++) {
        if (m->R == 0 || !alloc__p_room_ok(m, q, 0))
            continue;
        for (int32_t s = 0; s < S; s++)
            if (!m->p_unavail[(size_t)q * (size_t)S + (size_t)s])
                pt.avail[(size_t)s * (size_t)W + (size_t)(q >> 6)] |= 1ull << (q & 63);
    }
    for (int32_t c = 0; c < m->C; c++)
        pt.gcap[c / m->R] += m->room_avail[c] != 0;
    for (int32_t t = 0; t < m->T; t++) {
        int32_t c = m->fixed_cell[t];
        if (c < 0)
            continue;
        fcell[c] = 1;
        pt.gcap[c / m->R]--;
        for (int32_t v = m->voter_start[t]; v < m->voter_start[t + 1]; v++) {
            int32_t q = m->voter_p[v];
            size_t o = (size_t)(c / m->R) * (size_t)W + (size_t)(q >> 6);
            uint64_t bit = 1ull << (q & 63);
            pt.fix2[o] |= pt.fix1[o] & bit;
            pt.fix1[o] |= bit;
        }
    }
    pt.gcap[S] = n;
    for (int32_t g = 1; g < G; g++)
        pt.goff[g] = pt.goff[g - 1] + pt.gcap[g - 1];

    /* The start: the given placement, then unplaced topics into free cells
     * (with equal weights and no capacity limit, placing never loses). */
    int32_t used[ALLOC_MAX_SLOTS + 1];
    memset(used, 0, sizeof used);
    for (int32_t i = 0; i < n; i++) {
        int32_t c = place[pt.topic[i]];
        start[i] = c >= 0 ? c / m->R : S;
        used[start[i]]++;
    }
    for (int32_t i = 0, g = 0; i < n; i++) {
        if (start[i] != S)
            continue;
        while (g < S && used[g] >= pt.gcap[g])
            g++;
        if (g == S)
            break;
        start[i] = g;
        used[g]++;
    }
    part_load(&pt, start);
    pt.best = pt.cur;
    memcpy(pt.best_grp, pt.grp, (size_t)n * sizeof *pt.grp);

    /* Annealing in cycles from the best partition, each from PART_T0 down to
     * PART_T1; the stop is consulted every 256 steps. */
    uint64_t rs = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    if (rs == 0)
        rs = 1;
    uint32_t thr[PART_NTHR + 1];
    bool stop = false;
#ifdef PART_POPCNT
    bool popcnt = __builtin_cpu_supports("popcnt");
#endif
    for (int cycle = 0; !stop; cycle++) {
        if (cycle > 0)
            part_load(&pt, pt.best_grp);
        uint64_t len = PART_LEN;
        double temp = PART_T0, factor = pow(PART_T1 / PART_T0, 1024.0 / (double)len);
        for (uint64_t it = 0; it < len && !stop; it += 256) {
            if ((it & 1023) == 0) {
                for (int32_t k = 0; k <= PART_NTHR; k++)
                    thr[k] = k == PART_NTHR
                                 ? 0
                                 : (uint32_t)(exp(-(double)k / temp) * 4294967295.0);
                temp *= factor;
            }
#ifdef PART_POPCNT
            if (popcnt)
                run_steps_popcnt(&pt, &rs, thr);
            else
#endif
                run_steps(&pt, &rs, thr);
            stop = tick(cls, 256);
        }
    }

    /* Back to cells: each slot's topics into its free cells, by room. */
    for (int32_t t = 0; t < m->T; t++)
        place[t] = m->fixed_cell[t];
    memset(used, 0, sizeof used);
    for (int32_t i = 0; i < n; i++) {
        int32_t g = pt.best_grp[i], t = pt.topic[i];
        if (g == S)
            continue;
        int32_t c = g * m->R;
        for (int32_t k = 0;; c++) {
            if (m->room_avail[c] && !fcell[c] && k++ == used[g])
                break;
        }
        used[g]++;
        place[t] = c;
    }
    rc = FORUM_OK;
out:
    part_release(&pt);
    free(start);
    free(fcell);
    return rc;
}
