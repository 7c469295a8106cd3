/* SPDX-License-Identifier: MIT */
/*
 * The allocator: places topics (and the parallel groups of group topics)
 * into (room, slot) cells and seats the participants, optimising the
 * lexicographic score of design/ALLOCATOR.md, contract v2: by default the
 * most topics scheduled, then the fewest previous sessions moved, then the
 * most satisfied votes (ALLOC_TOPICS_FIRST).
 *
 * This is a pure core: no I/O, no JSON, no SQL, no globals, no clock. The
 * caller passes a seed and a budget (an iteration count and/or a
 * should_stop() callback), so that the same problem, seed and iteration
 * budget always give the same result. Every string id is kept for output
 * only; inside the model everything refers to everything else by index.
 *
 * Usage:
 *
 *     struct alloc_problem *p = ...built by alloc_json_parse_problem()...;
 *     struct alloc_options opt = {.seed = 1, .max_iterations = 2000000};
 *     struct alloc_result *r = NULL;
 *     struct forum_error err;
 *     if (alloc_solve(p, &opt, &r, &err) != FORUM_OK) ...err.field, err.msg...
 *     ...r->sessions, r->unscheduled, r->score...
 *     alloc_result_free(r);
 *     alloc_problem_free(p);
 */
#ifndef FORUM_ALLOC_H
#define FORUM_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forum/status.h"

/* "No index": an unset fixed room or slot. */
#define ALLOC_NONE SIZE_MAX

/* Hard limits checked by alloc_problem_validate() (and by the JSON parser before). */
#define ALLOC_MAX_SLOTS 1000
#define ALLOC_MAX_ROOMS 200    /* exact seating runs Bellman-Ford on rooms + 2 nodes */
#define ALLOC_MAX_CELLS 100000 /* rooms x slots */
#define ALLOC_MAX_TOPICS 20000
#define ALLOC_MAX_PARTICIPANTS 200000
/* participants x slots: the size of the search's arrays */
#define ALLOC_MAX_PARTICIPANT_SLOTS 20000000
#define ALLOC_MAX_FEATURES 1000
#define ALLOC_MAX_VOTES 4000000 /* over all participants */
#define ALLOC_MAX_CAPACITY 1000000
#define ALLOC_MAX_WEIGHT 1000000

struct alloc_slot {
    char *id;    /* owned, non-empty */
    char *label; /* owned, may be NULL */
};

struct alloc_room {
    char *id;          /* owned, non-empty */
    uint32_t capacity; /* people, hosts included */
    size_t *features;  /* owned: indices into alloc_problem.features */
    size_t n_features;
    size_t *unavailable; /* owned: slot indices */
    size_t n_unavailable;
};

/* A group topic's parallel sessions (contract v2, "groups"). */
struct alloc_groups {
    uint32_t max;      /* at most this many groups, >= 1 */
    uint32_t size_min; /* attendees of each group, hosts included, >= 1 */
    uint32_t size_max; /* >= size_min */
};

struct alloc_topic {
    char *id;      /* owned, non-empty */
    size_t *hosts; /* owned: participant indices, no duplicates */
    size_t n_hosts;
    size_t *needs; /* owned: feature indices */
    size_t n_needs;
    bool has_max_size;
    uint32_t max_size; /* largest group, hosts included, when has_max_size */
    size_t fixed_room; /* room index, or ALLOC_NONE */
    size_t fixed_slot; /* slot index, or ALLOC_NONE (both set or both unset) */
    /* The only slots the topic may use (its block of the day): when has_slots,
     * slots[0..n_slots) lists them (owned, ascending, no duplicates; empty
     * means no slot at all); otherwise every slot. */
    bool has_slots;
    size_t *slots;
    size_t n_slots;
    bool has_groups; /* runs as 1..groups.max parallel sessions in one slot */
    struct alloc_groups groups;
};

struct alloc_vote {
    size_t topic;    /* topic index */
    uint32_t weight; /* 0 is allowed and counts for nothing */
};

struct alloc_participant {
    char *id;      /* owned, non-empty */
    size_t *needs; /* owned: feature indices */
    size_t n_needs;
    size_t *unavailable; /* owned: slot indices */
    size_t n_unavailable;
    struct alloc_vote *votes; /* owned; a topic appears at most once */
    size_t n_votes;
};

/* A session of the published schedule, for a re-run (contract v2, "previous"). */
struct alloc_previous {
    size_t topic;   /* topic index */
    uint32_t group; /* >= 1; 1 for ordinary topics */
    size_t room;    /* room index */
    size_t slot;    /* slot index */
};

/* The order in which the score's levels are compared (options.objective). */
enum alloc_objective {
    ALLOC_TOPICS_FIRST = 0, /* more scheduled, then fewer moved, then more satisfied */
    ALLOC_VOTES_FIRST,      /* fewer moved, then more satisfied, then more scheduled */
};

/*
 * A problem: plain, transparent data. Every pointer inside is owned by the
 * problem and released with free() by alloc_problem_free(), so a problem
 * may be built by hand (calloc + fill) as well as by the JSON parser.
 * Slots are in chronological order.
 */
struct alloc_problem {
    struct alloc_slot *slots;
    size_t n_slots;
    struct alloc_room *rooms;
    size_t n_rooms;
    struct alloc_topic *topics;
    size_t n_topics;
    struct alloc_participant *participants;
    size_t n_participants;
    char **features; /* owned: the feature names, each owned */
    size_t n_features;
    struct alloc_previous *previous; /* owned; at most one per (topic, group), per cell */
    size_t n_previous;
    enum alloc_objective objective;
};

/* Frees p and everything it owns. p may be NULL. */
void alloc_problem_free(struct alloc_problem *p);

/*
 * Checks that p is well formed (indices in range, limits, no duplicate
 * host or vote, allowed slots ascending, groups with 1 <= max and
 * 1 <= size_min <= size_max, at most one previous entry per (topic, group)
 * and per cell) and that every fixed placement obeys the hard rules (cell
 * exists, in the topic's slots, and is free of other fixed topics, room
 * features, capacity for the hosts or, for a group topic, for size_min,
 * room and hosts available, no host fixed twice in one slot). Returns
 * FORUM_OK or FORUM_EINVAL with err naming the field, such as
 * "topics[3].fixed", and the reason. Called by alloc_solve().
 */
enum forum_status alloc_problem_validate(const struct alloc_problem *p,
                                         struct forum_error *err);

struct alloc_options {
    uint64_t seed;           /* the random seed; any value */
    uint64_t max_iterations; /* search steps; 0 = no limit (see below) */
    /*
     * Called every ALLOC_STOP_CHECK_EVERY search steps (never in between,
     * so that a run is reproducible given how many checks returned false);
     * returning true ends the search and the best solution so far is
     * seated and returned. The greedy construction always completes, and
     * the exact seating of every slot and the bound come after the stop, so
     * leave them some time (forumd solve keeps max(10 %, parse time)). May be
     * NULL. When both max_iterations is 0 and should_stop is NULL, a default
     * budget of ALLOC_DEFAULT_ITERATIONS applies.
     */
    bool (*should_stop)(void *cls);
    void *stop_cls;
};

#define ALLOC_STOP_CHECK_EVERY 1024
#define ALLOC_DEFAULT_ITERATIONS 2000000

/* Why a topic has no session: a reason a facilitator can act on (docs/allocator.md
 * says in which order they are tried). */
enum alloc_why {
    ALLOC_WHY_NO_ROOM,           /* no room has the features and capacity it needs (for a
                                    group topic: holds groups.size_min) */
    ALLOC_WHY_HOSTS_UNAVAILABLE, /* its hosts are unavailable whenever a suitable room is
                                    open */
    ALLOC_WHY_NO_VOTES,          /* every suitable cell is taken, and nobody but its hosts
                                    voted for it */
    ALLOC_WHY_OUTVOTED,          /* every suitable cell went to topics with more votes */
    ALLOC_WHY_HOSTS_BUSY,        /* its hosts run other sessions whenever a suitable room
                                    is free */
    ALLOC_WHY_NO_SLOT,           /* no suitable room is open in the slots it may use */
    ALLOC_WHY_TOO_FEW_PEOPLE,    /* a group topic: too few of its voters are free at the
                                    same time to fill a group of groups.size_min */
    ALLOC_WHY_COSTS_VOTES,       /* votes_first only: in every free cell it would lose
                                    more votes than it brings */
};

/* Returns a static, short English sentence for why. */
const char *alloc_why_str(enum alloc_why why);
/* Returns a static machine name for why ("no_room", "outvoted", ...). */
const char *alloc_why_name(enum alloc_why why);

struct alloc_session {
    size_t topic;
    uint32_t group; /* 1..k for a group topic's k sessions; 1 otherwise */
    size_t room;
    size_t slot;
    size_t *attendees; /* owned: participant indices, hosts first, then ascending */
    size_t n_attendees;
};

struct alloc_score {
    int64_t satisfied; /* sum of the weights of the attended counted votes */
    int64_t scheduled; /* topics with at least one session */
    int64_t moved;     /* previous sessions not at the same (topic, group, room, slot) */
    int64_t unserved;  /* voters who attend no session of a topic they voted for */
    int64_t demand;    /* sum of the weights of all counted votes */
    int64_t bound;     /* proven upper bound on satisfied (>= the optimum) */
};

struct alloc_result {
    struct alloc_session *sessions; /* owned; ordered by slot, then room */
    size_t n_sessions;
    size_t *unscheduled; /* owned: topic indices, ascending */
    enum alloc_why *why; /* owned: why[i] explains unscheduled[i] */
    size_t n_unscheduled;
    struct alloc_score score;
    uint64_t iterations; /* search steps done */
};

/*
 * Solves p. opt may be NULL (seed 0, default budget). On success returns
 * FORUM_OK and stores in *out an owned result (free with
 * alloc_result_free()). Returns FORUM_EINVAL (p malformed or a fixed
 * placement breaks a hard rule, see alloc_problem_validate()) or
 * FORUM_ENOMEM, with *out left NULL and err filled. An instance where no
 * topic can be placed is not an error: the result says why.
 * Deterministic: the same p, seed and iteration budget give the same
 * result. Thread-safe for distinct results (p is only read).
 */
enum forum_status alloc_solve(const struct alloc_problem *p,
                              const struct alloc_options *opt, struct alloc_result **out,
                              struct forum_error *err);

/* Frees r and everything it owns. r may be NULL. */
void alloc_result_free(struct alloc_result *r);

#endif /* FORUM_ALLOC_H */
