/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the solution reader (alloc_json_parse_solution) and the
 * referee (alloc_check) on the problem of tests/alloc/cases.py, with the
 * input as the solution document. Besides the sanitizers: a refused
 * document has a clean error, every finding is counted once, the verdict
 * is valid exactly when nothing is found, the recomputed score stays within
 * what the problem allows, and the JSON verdict is one valid JSON object.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "forum/alloc.h"
#include "forum/alloc_check.h"
#include "forum/alloc_json.h"

static const char problem_json[] =
    "{\"slots\":[{\"id\":\"S1\",\"label\":\"Thu 09:30\"},{\"id\":\"S2\"},{\"id\":"
    "\"S3\"}],\"rooms\":[{\"id\":\"R1\",\"capacity\":5,\"features\":[\"step-free"
    "\",\"projector\"]},{\"id\":\"R2\",\"capacity\":3,\"features\":[\"step-free\""
    "],\"unavailable\":[\"S3\"]},{\"id\":\"R3\",\"capacity\":4}],\"topics\":[{\"i"
    "d\":\"T1\",\"hosts\":[\"P1\"],\"needs\":[\"projector\"],\"max_size\":4},{\"i"
    "d\":\"T2\",\"hosts\":[\"P5\",\"P6\"],\"slots\":[\"S2\",\"S3\"],\"groups\":{"
    "\"max\":2,\"size_min\":2,\"size_max\":3}},{\"id\":\"T3\",\"fixed\":{\"room\""
    ":\"R3\",\"slot\":\"S1\"}},{\"id\":\"T4\",\"hosts\":[\"P7\"],\"slots\":[\"S3"
    "\"]},{\"id\":\"T5\",\"hosts\":[\"P2\"]}],\"participants\":[{\"id\":\"P1\",\""
    "votes\":{\"T1\":5,\"T2\":2,\"T3\":1,\"T5\":1}},{\"id\":\"P2\",\"votes\":{\"T"
    "1\":3}},{\"id\":\"P3\",\"needs\":[\"step-free\"],\"votes\":{\"T1\":1,\"T4\":"
    "0,\"T2\":1}},{\"id\":\"P4\",\"unavailable\":[\"S1\"],\"votes\":{\"T2\":2,\"T"
    "4\":1}},{\"id\":\"P5\",\"votes\":{\"T1\":1}},{\"id\":\"P6\",\"votes\":{\"T3"
    "\":2,\"T5\":0}},{\"id\":\"P7\",\"votes\":{\"T5\":1}},{\"id\":\"P8\",\"votes"
    "\":{\"T1\":2,\"T2\":1}}],\"previous\":[{\"topic\":\"T1\",\"group\":1,\"room"
    "\":\"R1\",\"slot\":\"S2\"},{\"topic\":\"T2\",\"group\":2,\"room\":\"R2\",\"s"
    "lot\":\"S2\"},{\"topic\":\"T4\",\"room\":\"R2\",\"slot\":\"S3\"},{\"topic\":"
    "\"T2\",\"group\":3,\"room\":\"R3\",\"slot\":\"S2\"}]}";

static struct alloc_problem *problem;

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_solution: %s\n", what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct alloc_check_solution *s = NULL;
    struct alloc_check_report *r = NULL;
    struct forum_error err;
    char *claimed = NULL;

    forum_error_clear(&err);
    if (problem == NULL && alloc_json_parse_problem(problem_json, strlen(problem_json),
                                                    &problem, NULL, &err) != FORUM_OK)
        fail("the problem does not parse");
    enum forum_status rc =
        alloc_json_parse_solution(problem, (const char *)data, size, &s, &claimed, &err);
    if (rc != FORUM_OK) {
        if (s != NULL || claimed != NULL || err.code == FORUM_OK || err.msg[0] == '\0')
            fail("a refused document without a clean error");
        return 0;
    }
    if (alloc_check(problem, s, &r, &err) != FORUM_OK)
        fail("alloc_check refused what the reader built");
    size_t sum = 0;
    for (unsigned k = 0; k < 7; k++)
        sum += r->by_rule[k];
    if (sum != r->n_total || r->n_violations > r->n_total ||
        r->n_violations > ALLOC_CHECK_MAX_KEPT || r->valid != (r->n_total == 0))
        fail("the findings do not add up");
    if (r->score.demand != 19 || r->score.satisfied < 0 || r->score.satisfied > 19 ||
        r->score.scheduled > 5 || r->score.moved > 4 || r->score.unserved > 8 ||
        (r->score.satisfied == 19 && r->score.unserved != 0))
        fail("the recomputed score is out of range");
    struct alloc_check_ref ref = {
        .satisfied = 16, .has_levels = true, .scheduled = 4, .moved = 3, .proven = true};
    alloc_check_against_ref(r, &ref, &s->claim);
    size_t len = 0;
    char *verdict = alloc_json_dump_check(r, claimed, &len);
    if (verdict == NULL)
        fail("no verdict");
    json_t *doc = json_loadb(verdict, len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(doc) || json_is_true(json_object_get(doc, "valid")) != r->valid)
        fail("the verdict is not a JSON object, or says otherwise");
    json_decref(doc);
    free(verdict);
    free(claimed);
    alloc_check_report_free(r);
    alloc_check_solution_free(s);
    return 0;
}
