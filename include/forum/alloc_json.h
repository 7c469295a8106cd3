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

#endif /* FORUM_ALLOC_JSON_H */
