/* SPDX-License-Identifier: MIT */
/*
 * The allocator's JSON edge (implemented in src/alloc_json/, library forum_alloc_json):
 * the problem document in, the solution document out (design/ALLOCATOR.md). Only api/
 * sees jansson; this header does not expose it.
 */
#ifndef FORUM_ALLOC_JSON_H
#define FORUM_ALLOC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forum/alloc.h"
#include "forum/alloc_check.h"
#include "forum/status.h"

/* The largest problem document accepted, in bytes. */
#define ALLOC_JSON_MAX_BYTES (64u * 1024u * 1024u)

/* What the document's "options" object said. */
struct alloc_json_options {
    bool has_time_limit_ms;
    uint64_t time_limit_ms;
    bool has_seed;
    uint64_t seed;
    bool has_objective; /* the objective itself is in alloc_problem.objective */
};

/*
 * Parses and validates a problem document of len bytes (text need not be
 * NUL-terminated), contract v2. Strict: duplicate keys, wrong types, unknown
 * references, duplicate ids, negative or non-integer capacities, sizes and
 * weights, `groups` with a field missing or below 1 or size_min above
 * size_max, a fixed slot outside the topic's `slots`, two `previous` entries
 * for one (topic, group) or one cell, an unknown `options.objective`,
 * oversized lists and fixed placements that break a hard rule are rejected;
 * unknown fields are ignored; a host's vote for its own topic is dropped.
 * A topic's `slots` are stored sorted, duplicates dropped. Safe on hostile
 * input.
 *
 * On success returns FORUM_OK and stores an owned problem in *out (free
 * with alloc_problem_free()), and fills *opts when opts is not NULL.
 * Otherwise returns FORUM_EINVAL (err->field names the offending field,
 * e.g. "topics[3].hosts[0]", and err->msg says why) or FORUM_ENOMEM, with
 * *out NULL.
 */
enum forum_status alloc_json_parse_problem(const char *text, size_t len,
                                           struct alloc_problem **out,
                                           struct alloc_json_options *opts,
                                           struct forum_error *err);

/*
 * Returns the solution document for r (a result of alloc_solve(p, ...)) as
 * an owned, NUL-terminated string (free with free()), its length in *len
 * when len is not NULL, or NULL on out-of-memory. The output is compact,
 * key order fixed, and byte-identical for identical results.
 */
char *alloc_json_dump_solution(const struct alloc_problem *p,
                               const struct alloc_result *r, size_t *len);

/* ---- the referee's documents (forumd check) ---- */

/* The most sessions a solution document may list (a valid one has at most
 * one per cell). */
#define ALLOC_JSON_MAX_SESSIONS ALLOC_MAX_CELLS

/*
 * Reads a solution document of len bytes (design/ALLOCATOR.md, "Output")
 * against problem p (a parsed, valid problem) for the referee. What a
 * facilitator may get wrong by hand is not an error here but a finding of
 * the document (s->defects, rule 0), and the entry is left out: a session
 * that is not an object, names an unknown topic, room or slot, has a group
 * that is not a positive integer, or attendees that are not a list of
 * strings; an attendee that names no participant (still counted in the
 * session's size) or is listed twice; an "unscheduled" that is not a list.
 * A session without "group" is group 1.
 *
 * On success returns FORUM_OK and stores an owned solution in *out (free
 * with alloc_check_solution_free()); when claimed is not NULL, *claimed
 * gets the document's "score" as compact JSON text (owned, free with
 * free()) or NULL when it has none. Returns FORUM_EINVAL when the text is
 * not a solution document at all (malformed JSON, duplicate keys, not an
 * object, "sessions" not a list or longer than ALLOC_JSON_MAX_SESSIONS,
 * larger than ALLOC_JSON_MAX_BYTES), or FORUM_ENOMEM, with err filled and
 * *out NULL. Safe on hostile input.
 */
enum forum_status alloc_json_parse_solution(const struct alloc_problem *p,
                                            const char *text, size_t len,
                                            struct alloc_check_solution **out,
                                            char **claimed, struct forum_error *err);

/*
 * Reads a reference result (a `*.ref.json`: an object with an integer
 * "satisfied", and for contract v2 "scheduled", "moved", "objective" and
 * "proven") into *out. Returns FORUM_OK, or FORUM_EINVAL with err naming
 * the field when the text is not such an object or the reference was made
 * under another objective than the problem's (objective).
 */
enum forum_status alloc_json_parse_ref(const char *text, size_t len,
                                       enum alloc_objective objective,
                                       struct alloc_check_ref *out,
                                       struct forum_error *err);

/*
 * Returns the referee's verdict on one line of JSON, in the format of the
 * reference referee (tools/check_solution.py): "valid", "scheduled",
 * "moved", "satisfied", "demand", "unserved", "objective", "claimed" (the
 * text claimed, as returned by alloc_json_parse_solution(), or null), the
 * first 20 "errors" ("rule N: ..." for the hard rules), "warnings" when
 * any, with a reference "ratio", "levels_equal" and "vs_ref", and always
 * "error_count" (every violation) and "rules_broken" (the rule numbers,
 * 0 for the document). Owned, NUL-terminated, no newline (free with free());
 * *len gets its length when len is not NULL; NULL on out-of-memory.
 */
char *alloc_json_dump_check(const struct alloc_check_report *r, const char *claimed,
                            size_t *len);

/* ---- the solve policy, shared by `forumd solve` and the daemon ---- */

#define ALLOC_JSON_DEFAULT_TIME_LIMIT_MS 1000
#define ALLOC_JSON_DEFAULT_SEED 1

/* What the caller asked for (command line, HTTP request); an unset field falls
 * back to the document's options, then to the default. */
struct alloc_json_request {
    bool has_seed;
    uint64_t seed;
    bool has_time_limit_ms;
    uint64_t time_limit_ms;  /* 0 = no wall-clock limit */
    uint64_t max_iterations; /* search steps, 0 = no step limit */
};

/* How to run alloc_solve() on a parsed document. */
struct alloc_json_policy {
    uint64_t seed;
    uint64_t time_limit_ms;  /* the whole budget, counted from the caller's start;
                                0 = none (the step budget alone) */
    uint64_t search_ms;      /* the search stops this long after the start: the
                                rest is kept for the exact seating of every slot,
                                the bound and the document */
    uint64_t max_iterations; /* as requested */
};

/*
 * The one solve policy (issue 10): the seed is the caller's, else the
 * document's options.seed, else 1; the time limit the caller's, else
 * options.time_limit_ms, else 1000 ms; the objective is the document's
 * (alloc_problem.objective). The search gets the time limit less a reserve
 * of a tenth of it or of elapsed_ms (the time reading and parsing took,
 * which the final seating and writing grow like), whichever is more. So
 * `forumd solve --time-limit L < problem.json` runs a problem exactly as the
 * daemon does with the limit L. doc and req may be NULL (nothing set).
 * OUT: *out.
 */
void alloc_json_policy_make(const struct alloc_json_options *doc,
                            const struct alloc_json_request *req, uint64_t elapsed_ms,
                            struct alloc_json_policy *out);

#endif /* FORUM_ALLOC_JSON_H */
