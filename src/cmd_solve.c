/* SPDX-License-Identifier: MIT */
/*
 * forumd solve: the allocator on stdin/stdout. Reads a problem document,
 * solves it within a wall-clock limit (measured here: the core never reads
 * the clock) under the solve policy the daemon uses too
 * (alloc_json_policy_make()) and writes the solution document.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "forum/alloc.h"
#include "forum/alloc_json.h"
#include "forum/util/buf.h"

static const char solve_usage[] =
    "usage: forumd solve [--time-limit MS] [--seed N] [--iterations N] < problem.json\n"
    "\n"
    "Reads an allocation problem (JSON) on stdin and writes the solution on stdout.\n"
    "  --time-limit MS  wall-clock budget in milliseconds, parsing included\n"
    "                   (default: the document's options.time_limit_ms, else 1000;\n"
    "                   0 = none); the daemon solves with the same policy\n"
    "  --seed N         random seed (default: options.seed, else 1)\n"
    "  --iterations N   search steps; with it the output is reproducible byte for byte\n"
    "                   (0 = no step limit, the default)\n"
    "  --verbose        print the score, the steps and the time on stderr\n"
    "Exit status: 0 solved, 2 bad usage or bad input (one message on stderr), 1 other "
    "errors.\n";

struct deadline {
    struct timespec end;
};

static struct timespec now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts;
}

static double ms_between(struct timespec a, struct timespec b)
{
    return (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
}

static bool past(void *cls)
{
    const struct deadline *d = cls;
    struct timespec t = now();
    return t.tv_sec > d->end.tv_sec ||
           (t.tv_sec == d->end.tv_sec && t.tv_nsec >= d->end.tv_nsec);
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (s == NULL || *s < '0' || *s > '9')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = (uint64_t)v;
    return true;
}

int cmd_solve(int argc, char **argv)
{
    struct timespec start = now();
    struct alloc_json_request req = {0};
    bool verbose = false;
    struct alloc_problem *p = NULL;
    struct alloc_result *r = NULL;
    struct alloc_json_options jo;
    struct forum_error err;
    struct buf in;
    int status = 1;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(solve_usage, stdout);
            return 0;
        }
        if (strcmp(a, "--verbose") == 0) {
            verbose = true;
            continue;
        }
        uint64_t *dst = strcmp(a, "--time-limit") == 0   ? &req.time_limit_ms
                        : strcmp(a, "--seed") == 0       ? &req.seed
                        : strcmp(a, "--iterations") == 0 ? &req.max_iterations
                                                         : NULL;
        if (dst == NULL || i + 1 >= argc || !parse_u64(argv[i + 1], dst)) {
            fprintf(stderr, "forumd solve: bad argument '%s'\n\n%s", a, solve_usage);
            return 2;
        }
        req.has_time_limit_ms |= dst == &req.time_limit_ms;
        req.has_seed |= dst == &req.seed;
        i++;
    }

    buf_init(&in, ALLOC_JSON_MAX_BYTES);
    forum_error_clear(&err);
    if (cmd_read_input("solve", NULL, &in) != 0) {
        status = 2;
        goto out;
    }
    enum forum_status rc =
        alloc_json_parse_problem(in.ptr ? in.ptr : "", in.len, &p, &jo, &err);
    buf_release(&in);
    if (rc != FORUM_OK) {
        if (err.field[0] != '\0')
            fprintf(stderr, "forumd solve: %s: %s\n", err.field, err.msg);
        else
            fprintf(stderr, "forumd solve: %s\n", err.msg);
        status = rc == FORUM_EINVAL ? 2 : 1;
        goto out;
    }
    struct timespec parsed = now();
    struct alloc_json_policy pol;
    alloc_json_policy_make(&jo, &req, (uint64_t)ms_between(start, parsed), &pol);
    struct deadline dl = {start};
    dl.end.tv_sec += (time_t)(pol.search_ms / 1000);
    dl.end.tv_nsec += (long)(pol.search_ms % 1000) * 1000000L;
    if (dl.end.tv_nsec >= 1000000000L) {
        dl.end.tv_sec++;
        dl.end.tv_nsec -= 1000000000L;
    }
    struct alloc_options opt = {pol.seed, pol.max_iterations, past, &dl};
    if (pol.time_limit_ms == 0)
        opt.should_stop = NULL; /* no wall-clock limit: the step budget alone */
    rc = alloc_solve(p, &opt, &r, &err);
    if (rc != FORUM_OK) {
        fprintf(stderr, "forumd solve: %s%s%s\n", err.field, err.field[0] ? ": " : "",
                err.msg);
        status = rc == FORUM_EINVAL ? 2 : 1;
        goto out;
    }
    struct timespec solved = now();
    size_t len;
    char *doc = alloc_json_dump_solution(p, r, &len);
    if (doc == NULL) {
        fputs("forumd solve: out of memory\n", stderr);
        goto out;
    }
    if (verbose) {
        struct timespec t = now();
        fprintf(stderr,
                "forumd solve: scheduled %" PRId64 " moved %" PRId64 " satisfied %" PRId64
                " demand %" PRId64 " bound %" PRId64 ", %" PRIu64 " steps, seed %" PRIu64
                ", %.0f ms (read+parse %.0f, solve %.0f, write %.0f)\n",
                r->score.scheduled, r->score.moved, r->score.satisfied, r->score.demand,
                r->score.bound, r->iterations, pol.seed, ms_between(start, t),
                ms_between(start, parsed), ms_between(parsed, solved),
                ms_between(solved, t));
    }
    fwrite(doc, 1, len, stdout);
    fputc('\n', stdout);
    free(doc);
    status = fflush(stdout) == 0 ? 0 : 1;
out:
    buf_release(&in);
    alloc_result_free(r);
    alloc_problem_free(p);
    return status;
}
