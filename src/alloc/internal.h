/* SPDX-License-Identifier: MIT */
/*
 * Private declarations shared inside src/alloc/ (and by its unit tests):
 * the compact model (feasibility masks), the random generator, the exact
 * seating of one slot (a transportation problem) and the local search state.
 * Names carry the alloc__ prefix (libuv's convention for internals).
 */
#ifndef FORUM_ALLOC_INTERNAL_H
#define FORUM_ALLOC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forum/alloc.h"
#include "forum/status.h"

/* ---- random numbers: xoshiro256** seeded by splitmix64 ---- */

struct alloc__rng {
    uint64_t s[4];
};

void alloc__rng_seed(struct alloc__rng *r, uint64_t seed);
uint64_t alloc__rng_next(struct alloc__rng *r);
/* Returns a uniform integer in [0, n); n > 0. */
uint32_t alloc__rng_below(struct alloc__rng *r, uint32_t n);
/* Returns a uniform double in [0, 1). */
double alloc__rng_unit(struct alloc__rng *r);

/* ---- the model: the problem as compact arrays and masks ---- */

/*
 * Cells are numbered c = s * R + r, so the cells of one slot are
 * contiguous. Only counted votes appear (weight > 0, not a host's vote for
 * its own topic), sorted by weight, largest first, then by index.
 */
struct alloc__model {
    const struct alloc_problem *p; /* borrowed */
    int32_t T, R, S, P, C;
    uint8_t *room_avail;    /* C: the room is usable in the slot */
    int32_t *cap;           /* R: room capacity */
    int32_t *topic_size;    /* T: min(max_size, groups.size_max), or INT32_MAX */
    int32_t *host_start;    /* T+1: CSR into host_p */
    int32_t *host_p;        /* hosts of each topic */
    uint8_t *topic_room_ok; /* T*R: features (topic's and hosts'), and the room holds the
                               hosts (ordinary topic) or groups.size_min (group topic);
                               a fixed ordinary topic: its room only */
    uint8_t *topic_slot_ok; /* T*S: every host available, in the topic's slots; a fixed
                               topic: its slot only */
    int32_t *ok_room_start; /* T+1: CSR of the rooms with topic_room_ok */
    int32_t *ok_room;
    int32_t *ok_slot_start; /* T+1: CSR of the slots with topic_slot_ok */
    int32_t *ok_slot;
    int32_t *fixed_cell; /* T: the fixed cell (of group 1), or -1 */
    uint8_t *movable;    /* T: not fixed and at least one allowed room and slot */
    /*
     * Units: the sessions a topic may have. An ordinary topic has one unit;
     * a group topic has gmax units, of which the first k are placed (k its
     * number of groups), all in one slot. Without group topics U == T and
     * unit u is topic u.
     */
    int32_t U;
    int32_t *unit_start; /* T+1: CSR of each topic's units */
    int32_t *unit_topic; /* U */
    uint8_t *is_group;   /* T */
    int32_t *gmax;       /* T: most groups: groups.max, at most the hosts (when any)
                            and the allowed rooms, at least 1; 1 for ordinary topics */
    int32_t *gmin;       /* T: groups.size_min, 0 for ordinary topics */
    int32_t n_groups;    /* group topics */
    /* The previous schedule: per topic, the entries some solution can keep. */
    int32_t *prev_start; /* T+1: CSR */
    int32_t *prev_cell;
    int32_t *prev_group;
    int32_t prev_lost; /* entries no solution keeps (always moved) */
    int32_t n_prev;    /* all entries */
    /*
     * Independent parts: slots linked by the topics that may use them (the
     * blocks of the day). Topics of different parts share no slot, hence no
     * cell, host or attendee, so each level of the score is the sum of the
     * parts' levels.
     */
    int32_t n_parts;
    int32_t *slot_part;  /* S */
    int32_t *topic_part; /* T: the part of its allowed slots, or -1 if it has none */
    int32_t *pclass;     /* P: need class (participants with the same needs) */
    int32_t n_classes;
    int32_t class_words;  /* 64-bit words per class in class_room */
    uint64_t *class_room; /* n_classes*class_words: rooms a class may enter */
    uint8_t *p_unavail;   /* P*S */
    int32_t *vote_start;  /* P+1: CSR of each participant's counted votes */
    int32_t *vote_t;
    int32_t *vote_w;
    int32_t *voter_start; /* T+1: CSR of each topic's counted voters */
    int32_t *voter_p;
    int32_t *voter_w;
    int64_t demand; /* sum of the counted weights */
};

enum forum_status alloc__model_init(struct alloc__model *m,
                                    const struct alloc_problem *p);
void alloc__model_release(struct alloc__model *m);

static inline int32_t alloc__cell_slot(const struct alloc__model *m, int32_t c)
{
    return c / m->R;
}
static inline int32_t alloc__cell_room(const struct alloc__model *m, int32_t c)
{
    return c % m->R;
}
/* True when participant p may enter room r (it has every feature p needs). */
static inline bool alloc__p_room_ok(const struct alloc__model *m, int32_t p, int32_t r)
{
    const uint64_t *w = m->class_room + (size_t)m->pclass[p] * (size_t)m->class_words;
    return ((w[r >> 6] >> (r & 63)) & 1u) != 0;
}
/* True when a unit of topic t may be placed in cell c (hard rules 3 and 6 for its
 * hosts; a fixed group topic's other groups may use any suitable room of its slot). */
static inline bool alloc__cell_allowed(const struct alloc__model *m, int32_t t, int32_t c)
{
    int32_t r = c % m->R, s = c / m->R;
    return m->topic_room_ok[(size_t)t * (size_t)m->R + (size_t)r] &&
           m->topic_slot_ok[(size_t)t * (size_t)m->S + (size_t)s] && m->room_avail[c];
}
/* The most people (hosts included) in a session of topic t in room r. */
static inline int32_t alloc__limit(const struct alloc__model *m, int32_t t, int32_t r)
{
    return m->cap[r] < m->topic_size[t] ? m->cap[r] : m->topic_size[t];
}
static inline int32_t alloc__n_hosts(const struct alloc__model *m, int32_t t)
{
    return m->host_start[t + 1] - m->host_start[t];
}
/* Seats left for voters when ordinary topic t is in room r (capacity and max_size,
 * hosts excluded). */
static inline int32_t alloc__seats(const struct alloc__model *m, int32_t t, int32_t r)
{
    int32_t n = alloc__limit(m, t, r) - alloc__n_hosts(m, t);
    return n > 0 ? n : 0;
}
/* The number of previous entries of topic t kept when it has k sessions in slot s,
 * in the rooms rooms[0..k) (any order): entries of group g <= k in one of those
 * cells (the numbering of groups can then keep each of them). */
int32_t alloc__kept(const struct alloc__model *m, int32_t t, int32_t s, int32_t k,
                    const int32_t *rooms);

/* ---- exact seating: the transportation problem of one slot ---- */

/*
 * K sessions with seats[k] free seats; n people, person i with the options
 * opt_k[j], opt_w[j] for j in [opt_start[i], opt_start[i+1]) (distinct
 * sessions, weights > 0). Each person takes at most one seat.
 */
struct alloc__tp {
    int32_t K;
    const int32_t *seats;
    int32_t n;
    const int32_t *opt_start;
    const int32_t *opt_k;
    const int64_t *opt_w;
};

/* Scratch memory for alloc__tp_solve(), reused across calls; zero-initialise. */
struct alloc__tp_work {
    void *mem;
    size_t cap;
    uint64_t passes; /* OUT: Bellman-Ford passes of the last solve */
};

/*
 * Seats people to maximise the total weight: a greedy start by weight, then
 * negative-cycle cancelling on the session graph (K + 2 nodes) until none
 * is left, which proves optimality. OUT: assign[i] (session or -1), *total.
 * work may be NULL (scratch allocated and freed inside). The weights and
 * their sums along any path must fit in int64 (callers keep them below
 * 2^62 / (n + 1)). Returns FORUM_OK or FORUM_ENOMEM.
 */
enum forum_status alloc__tp_solve(const struct alloc__tp *tp, int32_t *assign,
                                  int64_t *total, struct alloc__tp_work *work);

/* Reusable buffers for alloc__seat_slot(). Zero-initialise; release when done. */
struct alloc__seat_work {
    int32_t *mark;  /* P: generation marks for hosts and people already listed */
    int32_t *tmark; /* T: generation marks for group topics already listed */
    int32_t *umark; /* U: generation marks for the units of the slot */
    int32_t gen;
    int32_t *unode;   /* U: first node of a unit of the slot */
    int32_t *uroom;   /* U: room of a unit of the slot */
    int32_t *stopics; /* 3R: the distinct topics of the slot */
    int32_t n_stopics;
    int32_t *node_unit; /* 3R: unit of each node */
    int32_t *topics;    /* 3R: topic of each node */
    int32_t *seats;     /* 3R */
    int32_t *people;    /* P: person of each row */
    int32_t *opt_start, *opt_k, *opt_plain;
    int64_t *opt_w;
    uint8_t *opt_tier;
    int32_t *assign;
    size_t opt_cap;
    struct alloc__tp_work tp;
};

enum forum_status alloc__seat_work_init(struct alloc__seat_work *w,
                                        const struct alloc__model *m);
void alloc__seat_work_release(struct alloc__seat_work *w);

/* The outcome of seating one slot. */
struct alloc__seating {
    int64_t sat;     /* the satisfied weight of the slot */
    int64_t missing; /* required seats left empty: 0 when every group of the slot
                        has its hosts and size_min (the slot is then valid) */
    uint64_t work;   /* the work it took, in units of about one annealing step:
                        the options listed and the Bellman-Ford passes */
};

/*
 * Seats slot s of the placement given by cell_unit (C entries: the unit in
 * each cell, or -1) exactly: the hard rules 4-6, including the lower bounds
 * of groups, and the most satisfied weight among the seatings that obey
 * them. Ordinary topics' hosts are pinned to their session; a group topic's
 * hosts take any seat of its groups. Each group is split in three nodes,
 * A (one seat for a host, when the topic has hosts), B (the rest of
 * size_min) and C (the rest of its limit); filling a required seat (a host
 * seated, an A or B seat) is worth more than every plain weight of the slot
 * together, so the maximum-weight seating fills all of them when that is
 * possible, and otherwise leaves out->missing > 0 (the placement is then
 * invalid in this slot). OUT: *out; when seat is not NULL, seat[q] is the
 * unit q attends in s (hosts included) or -1, for every participant.
 * Returns FORUM_OK or FORUM_ENOMEM.
 */
enum forum_status alloc__seat_slot(const struct alloc__model *m, const int32_t *cell_unit,
                                   int32_t s, struct alloc__seating *out, int32_t *seat,
                                   struct alloc__seat_work *w);

/* ---- the local search state ---- */

/*
 * A placement of units with, for every (participant, slot), the participant's
 * best eligible choice (largest weight, capacities ignored), and for each
 * topic the number and weight of the people whose best choice it is. The
 * approximate value of a topic is that weight, scaled down by
 * seats/choosers when more people choose it than it seats. A topic's placed
 * units are its first tk[t] units, all in one slot, in distinct cells.
 */
struct alloc__state {
    const struct alloc__model *m;
    int32_t *place;      /* U: cell of each unit or -1 */
    int32_t *tk;         /* T: placed units (groups) */
    int32_t *tslot;      /* T: slot of the topic, or -1 */
    int32_t *troom;      /* T: room of a placed ordinary topic, else -1 */
    int32_t *tseats;     /* T: seats for voters (hosts excluded) over its units */
    int32_t *tlim;       /* T: the sum of its units' limits (hosts included) */
    uint8_t *feas;       /* T: counts as scheduled (placed; a group topic's hosts fit
                            and hosts and choosers reach tk * size_min) */
    int32_t *kept;       /* T: its previous entries kept */
    int32_t *cell_unit;  /* C: unit or -1 */
    int32_t *cell_topic; /* C: topic or -1 */
    uint8_t *hosting;    /* P*S: sessions the participant hosts in the slot (a group
                            topic counts once) */
    int32_t *choice;     /* P*S: best eligible topic or -1 */
    int32_t *choice_w;   /* P*S: its weight or 0 */
    int32_t *chosen;     /* T */
    int64_t *wsum;       /* T */
    double *value;       /* T */
    double total;        /* the approximate satisfied weight */
    int64_t sched;       /* topics that count as scheduled (sum of feas) */
    int64_t placed;      /* topics with at least one unit placed */
    int64_t nkept;       /* previous entries kept (sum of kept) */
    /* undo journal of the last move */
    int32_t *j_ps, *j_old, *j_oldw;
    size_t j_n, j_cap;
    int32_t *jv_t;
    double *jv_old;
    uint8_t *jv_feas;
    size_t jv_n, jv_cap;
    int32_t *mv_u, *mv_from, *mv_to; /* the units moved */
    int32_t mv_n;
    size_t mv_cap;
    int32_t *mt_t, *mt_slot, *mt_kept; /* the topics touched, their old slot */
    int32_t mt_n;
    double mv_total;
    int64_t mv_sched, mv_placed, mv_kept;
    int32_t *rooms_buf; /* R: scratch */
    uint8_t *dirty;     /* T */
    /*
     * Fast mode, when no session can ever be over capacity (every allowed
     * room seats all of a topic's voters, and no topic runs as groups): the
     * value is then exactly the sum over (participant, slot) of the best
     * eligible weight, kept with three counters per pair instead of the
     * choice itself; choice, chosen, wsum and value are unused.
     */
    bool fast;
    int32_t *fmax;     /* P*S: best eligible weight placed in the slot */
    int32_t *fcnt_max; /* P*S: how many placed eligible topics have that weight */
    int32_t *fcnt;     /* P*S: how many placed eligible topics in all */
    int32_t *j_oldc;   /* journal: old fcnt */
};

/* The change a move makes to the state's levels. */
struct alloc__delta {
    int64_t sched;  /* topics that count as scheduled */
    int64_t placed; /* topics placed */
    int64_t kept;   /* previous entries kept */
    double sat;     /* approximate satisfied weight */
};

enum forum_status alloc__state_init(struct alloc__state *st,
                                    const struct alloc__model *m);
void alloc__state_release(struct alloc__state *st);
/* Rebuilds everything from place (U entries, cell or -1; each topic's placed
 * units first). Returns FORUM_OK. */
enum forum_status alloc__state_load(struct alloc__state *st, const int32_t *place);
/* True when topic t's hosts are free to run it in slot s given the other
 * sessions they host, ignoring topic t itself and topics ex1 and ex2 (-1 for
 * none), which move away. */
bool alloc__state_hosts_ok(const struct alloc__state *st, int32_t t, int32_t s,
                           int32_t ex1, int32_t ex2);
/*
 * Applies a move of n units: unit u[i] goes to cell to[i] (-1 = unplaced).
 * The caller has checked the hard rules 1 and 3 and that every topic's
 * placed units stay its first ones, in one slot. Returns FORUM_OK or
 * FORUM_ENOMEM (the state is then unchanged); OUT: *delta.
 */
enum forum_status alloc__state_move(struct alloc__state *st, int n, const int32_t *u,
                                    const int32_t *to, struct alloc__delta *delta);
/* Reverts the last alloc__state_move(). */
void alloc__state_undo(struct alloc__state *st);
/* Recomputes the total from scratch (tests compare it with the incremental one). */
double alloc__state_recompute_total(const struct alloc__state *st);

/* ---- partition search (part.c) ---- */

/* True when each participant class may enter either every room or none. */
bool alloc__rooms_alike(const struct alloc__model *m);

/* True when rooms do not matter and every counted vote weighs the same: no
 * topic has hosts or groups, there is no previous schedule, every non-fixed
 * topic may use every room and slot and
 * every room seats all its voters, each participant may enter all rooms or
 * none. The value is then the weight times the (participant, slot) pairs
 * where the participant wishes a topic of the slot. */
bool alloc__part_applies(const struct alloc__model *m);
/*
 * Anneals the partition of the movable topics into slots, starting from
 * place (T entries, cell or -1), until tick(cls, units) returns true (it is
 * called every 256 steps with units = 256). OUT: place, the best placement
 * found (each slot's topics in its free cells by room). Deterministic for a
 * given seed and number of ticks. Returns FORUM_OK or FORUM_ENOMEM (place
 * unchanged).
 */
enum forum_status alloc__part_search(const struct alloc__model *m, int32_t *place,
                                     uint64_t seed, bool (*tick)(void *, uint64_t),
                                     void *cls);

/* ---- the bound ---- */

/* Computes a proven upper bound on the satisfied weight of any solution.
 * OUT: *bound. Returns FORUM_OK or FORUM_ENOMEM. */
enum forum_status alloc__bound(const struct alloc__model *m, int64_t *bound);

#endif /* FORUM_ALLOC_INTERNAL_H */
