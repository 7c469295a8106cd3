/* SPDX-License-Identifier: MIT */
/*
 * The solve policy shared by `forumd solve` and the daemon: which seed, time
 * limit and time reserve a solve of a parsed document uses (issue 10).
 */
#include "forum/alloc_json.h"

#include <string.h>

void alloc_json_policy_make(const struct alloc_json_options *doc,
                            const struct alloc_json_request *req, uint64_t elapsed_ms,
                            struct alloc_json_policy *out)
{
    static const struct alloc_json_options no_doc;
    static const struct alloc_json_request no_req;

    if (doc == NULL)
        doc = &no_doc;
    if (req == NULL)
        req = &no_req;
    memset(out, 0, sizeof *out);
    out->seed = req->has_seed   ? req->seed
                : doc->has_seed ? doc->seed
                                : ALLOC_JSON_DEFAULT_SEED;
    out->time_limit_ms = req->has_time_limit_ms   ? req->time_limit_ms
                         : doc->has_time_limit_ms ? doc->time_limit_ms
                                                  : ALLOC_JSON_DEFAULT_TIME_LIMIT_MS;
    out->max_iterations = req->max_iterations;
    /* Seating every slot exactly, the bound and the document come after the
     * search; that work grows with the problem like reading and parsing it did
     * (and took about as long in measurements). */
    uint64_t reserve =
        out->time_limit_ms / 10 > elapsed_ms ? out->time_limit_ms / 10 : elapsed_ms;
    out->search_ms = out->time_limit_ms > reserve ? out->time_limit_ms - reserve : 0;
}
