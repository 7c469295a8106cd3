/* SPDX-License-Identifier: MIT */
/*
 * The referee: checks a solution against a problem (design/ALLOCATOR.md,
 * contract v2) and recomputes its score, for `forumd check` and the tests.
 * Every hard rule 1-6 is checked; each violation comes back with its rule
 * number and one sentence saying what is wrong and what to change.
 *
 * A pure core, like alloc.h: no I/O, no JSON, no globals. The solution is
 * plain data of indices (struct alloc_check_solution), read from a
 * document by alloc_json_parse_solution() (alloc_json.h) or built by hand;
 * what the reader found wrong with the document itself (unknown ids,
 * malformed entries) travels with it and is reported as rule 0.
 *
 * Usage:
 *
 *     struct alloc_check_report *rep = NULL;
 *     if (alloc_check(p, sol, &rep, &err) != FORUM_OK) ...out of memory...
 *     if (rep->valid) ...; rep->violations[0..n_violations), rep->score
 *     alloc_check_report_free(rep);
 */
#ifndef FORUM_ALLOC_CHECK_H
#define FORUM_ALLOC_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forum/alloc.h"
#include "forum/status.h"

/* The longest violation or warning sentence kept, terminator included. */
#define ALLOC_CHECK_TEXT_MAX 240
/* Violations kept with their sentence; every one is counted (by_rule). */
#define ALLOC_CHECK_MAX_KEPT 1000
/* Warnings kept (they do not make a solution invalid). */
#define ALLOC_CHECK_MAX_WARNINGS 4
/* The rule number of a fault of the document itself rather than of the plan. */
#define ALLOC_CHECK_DOCUMENT 0

struct alloc_violation {
    /* 1..6: the hard rule broken; ALLOC_CHECK_DOCUMENT (0): the document
     * (an unknown id, a malformed entry, the unscheduled list, a claimed
     * score that is not the recomputed one). */
    unsigned rule;
    char text[ALLOC_CHECK_TEXT_MAX]; /* one sentence, without the "rule N: " prefix */
};

/* One session of the solution, every reference resolved to an index. */
struct alloc_check_session {
    size_t topic;      /* topic index */
    uint32_t group;    /* >= 1; a session without a group is group 1 */
    size_t room;       /* room index */
    size_t slot;       /* slot index */
    size_t *attendees; /* owned: participant indices, document order, no duplicates */
    size_t n_attendees;
    /* Attendee ids that name no participant (the reader reported them):
     * they still take a seat, so they count in the session's size (rule 6). */
    size_t n_unknown;
};

/* A figure of the solution's claimed score. */
struct alloc_check_figure {
    bool has;     /* the key is present (and, for bound, not null) */
    bool number;  /* the value is a number (true and false count as 1 and 0) */
    double value; /* when number */
};

/* The solution's own "score" object, compared with the recomputed one. */
struct alloc_check_claim {
    bool present;   /* the solution has a non-null "score" */
    bool is_object; /* ... and it is an object */
    struct alloc_check_figure scheduled, moved, satisfied, demand, unserved, bound;
};

/*
 * A solution as the referee sees it: plain data, built by
 * alloc_json_parse_solution() or by hand (calloc + fill; every pointer is
 * owned and released with free() by alloc_check_solution_free()).
 */
struct alloc_check_solution {
    /* The sessions that could be read; an entry the reader could not read
     * (not an object, an unknown topic, room or slot, a bad group, a bad
     * attendee list) is left out and reported in defects. */
    struct alloc_check_session *sessions;
    size_t n_sessions;
    size_t *unscheduled; /* owned: topic indices listed, no duplicates */
    size_t n_unscheduled;
    size_t n_unscheduled_unknown; /* distinct listed ids that name no topic */
    size_t *why;                  /* owned: topic indices the "why" object explains */
    size_t n_why;
    size_t n_why_unknown; /* distinct "why" keys that name no topic */
    struct alloc_check_claim claim;
    /* What the reader found wrong with the document (rule 0), in document
     * order: the first ALLOC_CHECK_MAX_KEPT of n_defects_total. */
    struct alloc_violation *defects; /* owned */
    size_t n_defects;
    size_t n_defects_total;
};

/* Frees s and everything it owns. s may be NULL. */
void alloc_check_solution_free(struct alloc_check_solution *s);

/* How a solution compares with a reference, under the problem's objective. */
enum alloc_check_vs {
    ALLOC_VS_NONE = 0, /* no reference, or one without levels */
    ALLOC_VS_BETTER,
    ALLOC_VS_EQUAL,
    ALLOC_VS_WORSE,
};

/* Returns the static name of objective: "topics_first" or "votes_first". */
const char *alloc_check_objective_name(enum alloc_objective objective);

/* Returns a static name for vs: "better", "equal", "worse" or "none". */
const char *alloc_check_vs_name(enum alloc_check_vs vs);

/* A reference result (a `*.ref.json` written by ilp_optimum.py, or any best known). */
struct alloc_check_ref {
    int64_t satisfied; /* the reference's satisfied */
    bool has_levels;   /* scheduled and moved are known (a v2 reference) */
    int64_t scheduled;
    int64_t moved;
    bool proven; /* the reference is a proven optimum */
};

struct alloc_check_report {
    bool valid; /* no violation at all (rules 1-6 and the document) */
    /* The recomputed score: scheduled, moved, satisfied, demand and
     * unserved; bound is not recomputed and stays 0. */
    struct alloc_score score;
    enum alloc_objective objective;         /* the problem's */
    struct alloc_violation *violations;     /* owned: the first ALLOC_CHECK_MAX_KEPT */
    size_t n_violations;                    /* kept */
    size_t n_total;                         /* found, kept or not */
    size_t by_rule[7];                      /* found, by rule number (0..6) */
    char warnings[ALLOC_CHECK_MAX_WARNINGS] /* findings that do not invalidate */
                 [ALLOC_CHECK_TEXT_MAX];
    size_t n_warnings;
    /* The claimed score, when there is one, is the recomputed one and its
     * bound is not below satisfied (nor below the reference's). */
    bool claim_ok;
    /* Set by alloc_check_against_ref(). */
    bool has_ref;
    bool has_ratio; /* false when the ref's satisfied is 0 and ours is not */
    double ratio;   /* satisfied / the ref's satisfied, rounded to 6 decimals */
    enum alloc_check_vs vs_ref; /* ALLOC_VS_NONE when the ref has no levels */
    bool levels_equal;          /* scheduled and moved equal the ref's (with levels) */
};

/*
 * Checks solution s against problem p: every hard rule of
 * design/ALLOCATOR.md on every session s holds, the unscheduled list, the
 * claimed score (a figure that differs from the recomputed one, or a bound
 * below the recomputed satisfied, is a violation of rule 0), and
 * recomputes the score. s's defects come first in the report.
 *
 * p must be valid (alloc_problem_validate()) and every index in s in range
 * (FORUM_EINVAL otherwise: the caller built s wrong). On success returns
 * FORUM_OK and stores in *out an owned report (free with
 * alloc_check_report_free()). Returns FORUM_ENOMEM or FORUM_EINVAL with
 * *out NULL and err filled (err may be NULL). Memory and time grow with
 * the size of p and s, never with how many rules s breaks. Thread-safe
 * (p and s are only read).
 */
enum forum_status alloc_check(const struct alloc_problem *p,
                              const struct alloc_check_solution *s,
                              struct alloc_check_report **out, struct forum_error *err);

/* Frees r and everything it owns. r may be NULL. */
void alloc_check_report_free(struct alloc_check_report *r);

/*
 * Compares two scores under objective, lexicographically: topics_first is
 * more scheduled, then fewer moved, then more satisfied; votes_first is
 * fewer moved, then more satisfied, then more scheduled. Returns a
 * positive number when a is better, 0 when equal, negative when worse.
 */
int alloc_check_compare(const struct alloc_score *a, const struct alloc_score *b,
                        enum alloc_objective objective);

/*
 * Compares r with a reference: sets has_ref, the ratio, and with a ref
 * that has levels levels_equal and vs_ref; adds a warning when a valid
 * solution beats a proven reference (the reference or the referee is
 * wrong), and a violation (rule 0, r then invalid) when claim has a bound
 * below the reference's satisfied, which a valid solution reaches. claim
 * may be NULL. Call once per report.
 */
void alloc_check_against_ref(struct alloc_check_report *r,
                             const struct alloc_check_ref *ref,
                             const struct alloc_check_claim *claim);

#endif /* FORUM_ALLOC_CHECK_H */
