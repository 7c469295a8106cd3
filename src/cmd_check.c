/* SPDX-License-Identifier: MIT */
/*
 * forumd check PROBLEM.json SOLUTION.json [--ref REF.json] [--json]: the
 * referee, for a facilitator who edited a plan by hand and for the tests.
 * Reads both documents, checks every hard rule (alloc_check.h) and prints
 * a report: what is wrong, by rule, with what to change, and the score
 * recomputed from the sessions; or, with --json, the one-line verdict of
 * the team's reference referee.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "forum/alloc.h"
#include "forum/alloc_check.h"
#include "forum/alloc_json.h"
#include "forum/util/buf.h"

static const char check_usage[] =
    "usage: forumd check PROBLEM.json SOLUTION.json [--ref REF.json] [--json]\n"
    "\n"
    "Checks a solution (a plan, possibly edited by hand) against its problem: every\n"
    "hard rule of the allocation contract (docs/allocator.md), the unscheduled list\n"
    "and the claimed score. Prints each broken rule with its number and what to\n"
    "change, and the score recomputed from the sessions.\n"
    "  --ref REF.json  compare with a reference result (its satisfied, and for\n"
    "                  contract v2 scheduled and moved): ratio, levels equal,\n"
    "                  better, equal or worse under the problem's objective\n"
    "  --json          print one line of JSON instead (valid, scheduled, moved,\n"
    "                  satisfied, demand, unserved, objective, claimed, errors,\n"
    "                  warnings; with --ref ratio, levels_equal, vs_ref)\n"
    "Exit status: 0 valid, 1 invalid, 2 bad usage, an unreadable document or an\n"
    "input error in the problem (one message on stderr naming the field).\n";

static const char *const rule_title[7] = {
    "The document",
    "Rule 1, one session per room and slot; a topic's sessions and groups",
    "Rule 2, fixed placements",
    "Rule 3, rooms, availability and allowed slots",
    "Rule 4, hosts attend their sessions",
    "Rule 5, who may attend what",
    "Rule 6, session sizes",
};

/* Prints text with control characters replaced, so that an id cannot drive
 * the terminal. */
static void print_clean(const char *text)
{
    for (const char *c = text; *c != '\0'; c++)
        putchar((unsigned char)*c < 0x20 || *c == 0x7f ? '?' : *c);
}

/* Prints one item of a list, as a sentence. */
static void print_item(const char *text)
{
    size_t n = strlen(text);
    fputs("  - ", stdout);
    print_clean(text);
    fputs(n > 0 && text[n - 1] == '.' ? "\n" : ".\n", stdout);
}

/* With --json, the reference referee prints a verdict even for exit 2. */
static void json_failure(bool json, const char *what, const struct forum_error *err)
{
    if (!json)
        return;
    char msg[FORUM_ERROR_FIELD_MAX + FORUM_ERROR_MSG_MAX + 40];
    snprintf(msg, sizeof msg, "%s: %s%s%s", what, err->field, err->field[0] ? ": " : "",
             err->msg);
    /* A verdict with one error; the message is escaped by hand: it is short. */
    fputs("{\"valid\": false, \"errors\": [\"", stdout);
    for (const char *c = msg; *c != '\0'; c++) {
        if (*c == '"' || *c == '\\')
            printf("\\%c", *c);
        else if ((unsigned char)*c < 0x20)
            printf("\\u%04x", (unsigned)(unsigned char)*c);
        else
            putchar(*c);
    }
    fputs("\"]}\n", stdout);
}

static void report_error(const char *what, const char *path,
                         const struct forum_error *err)
{
    if (err->field[0] != '\0')
        fprintf(stderr, "forumd check: %s %s: %s: %s\n", what, path, err->field,
                err->msg);
    else
        fprintf(stderr, "forumd check: %s %s: %s\n", what, path, err->msg);
}

static void print_report(const struct alloc_problem *p,
                         const struct alloc_check_report *r, const char *problem_path,
                         const char *solution_path, const struct alloc_check_claim *claim,
                         const char *ref_path, const struct alloc_check_ref *ref)
{
    const struct alloc_score *sc = &r->score;

    print_clean(solution_path);
    fputs(" against ", stdout);
    print_clean(problem_path);
    if (r->valid) {
        fputs(": VALID, every hard rule holds.\n", stdout);
    } else {
        printf(": INVALID, %zu violation%s (", r->n_total, r->n_total == 1 ? "" : "s");
        const char *sep = "";
        for (unsigned k = 1; k <= 7; k++) {
            unsigned rule = k % 7; /* the rules 1..6 first, the document last */
            if (r->by_rule[rule] == 0)
                continue;
            if (rule == ALLOC_CHECK_DOCUMENT)
                printf("%sthe document %zu", sep, r->by_rule[rule]);
            else
                printf("%srule %u: %zu", sep, rule, r->by_rule[rule]);
            sep = ", ";
        }
        fputs(").\n", stdout);
    }
    for (unsigned k = 1; k <= 7; k++) {
        unsigned rule = k % 7;
        if (r->by_rule[rule] == 0)
            continue;
        printf("\n%s:\n", rule_title[rule]);
        size_t shown = 0;
        for (size_t i = 0; i < r->n_violations; i++) {
            if (r->violations[i].rule != rule)
                continue;
            print_item(r->violations[i].text);
            shown++;
        }
        if (shown < r->by_rule[rule])
            printf("  ... and %zu more (only the first %d violations are listed)\n",
                   r->by_rule[rule] - shown, ALLOC_CHECK_MAX_KEPT);
    }
    printf("\nScore, recomputed from the sessions (objective %s):\n",
           alloc_check_objective_name(r->objective));
    printf("  scheduled  %lld of %zu topics\n", (long long)sc->scheduled, p->n_topics);
    printf("  moved      %lld of %zu previous sessions\n", (long long)sc->moved,
           p->n_previous);
    printf("  satisfied  %lld of a demand of %lld", (long long)sc->satisfied,
           (long long)sc->demand);
    if (sc->demand > 0)
        printf(" (%.1f %%)", 100.0 * (double)sc->satisfied / (double)sc->demand);
    printf(
        "\n  unserved   %lld participant%s with votes attend%s nothing they voted for\n",
        (long long)sc->unserved, sc->unserved == 1 ? "" : "s",
        sc->unserved == 1 ? "s" : "");
    if (!claim->present)
        fputs("Claimed score: none.\n", stdout);
    else
        printf("Claimed score: %s.\n", r->claim_ok
                                           ? "as recomputed"
                                           : "wrong, see the document's findings above");
    if (ref != NULL) {
        fputs("Reference ", stdout);
        print_clean(ref_path);
        printf(": satisfied %lld", (long long)ref->satisfied);
        if (ref->has_levels)
            printf(", scheduled %lld, moved %lld", (long long)ref->scheduled,
                   (long long)ref->moved);
        printf("%s.\n", ref->proven ? " (proven optimal)" : "");
        if (r->has_ratio)
            printf("  ratio %.6g", r->ratio);
        else
            fputs("  ratio undefined (the reference satisfies no vote)", stdout);
        if (r->vs_ref != ALLOC_VS_NONE)
            printf(", levels %s: %s\n", r->levels_equal ? "equal" : "differ",
                   r->vs_ref == ALLOC_VS_EQUAL    ? "as good as the reference"
                   : r->vs_ref == ALLOC_VS_BETTER ? "better than the reference"
                                                  : "worse than the reference");
        else
            fputs(" (the reference has no scheduled and moved to compare)\n", stdout);
    }
    if (r->n_warnings > 0) {
        fputs("Warnings:\n", stdout);
        for (size_t i = 0; i < r->n_warnings; i++) {
            print_item(r->warnings[i]);
        }
    }
}

int cmd_check(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL}, *ref_path = NULL;
    bool json = false;
    int n_paths = 0, status = 2;
    struct alloc_problem *p = NULL;
    struct alloc_check_solution *s = NULL;
    struct alloc_check_report *r = NULL;
    struct alloc_check_ref ref;
    char *claimed = NULL, *verdict = NULL;
    struct forum_error err;
    struct buf in;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(check_usage, stdout);
            return 0;
        }
        if (strcmp(a, "--json") == 0) {
            json = true;
        } else if (strcmp(a, "--ref") == 0 && i + 1 < argc && ref_path == NULL) {
            ref_path = argv[++i];
        } else if (a[0] != '-' && n_paths < 2) {
            paths[n_paths++] = a;
        } else {
            fprintf(stderr, "forumd check: unexpected '%s'\n\n%s", a, check_usage);
            return 2;
        }
    }
    if (n_paths != 2) {
        fputs(check_usage, stderr);
        return 2;
    }

    buf_init(&in, ALLOC_JSON_MAX_BYTES);
    forum_error_clear(&err);
    if (cmd_read_input("check", paths[0], &in) != 0) {
        forum_error_set(&err, FORUM_EINVAL, "", "cannot read %s", paths[0]);
        json_failure(json, "unreadable problem", &err);
        goto out;
    }
    enum forum_status rc =
        alloc_json_parse_problem(in.ptr ? in.ptr : "", in.len, &p, NULL, &err);
    if (rc != FORUM_OK) {
        report_error("problem", paths[0], &err);
        json_failure(json, "input error", &err);
        status = rc == FORUM_EINVAL ? 2 : 1;
        goto out;
    }
    buf_reset(&in);
    if (cmd_read_input("check", paths[1], &in) != 0) {
        forum_error_set(&err, FORUM_EINVAL, "", "cannot read %s", paths[1]);
        json_failure(json, "unreadable", &err);
        goto out;
    }
    rc = alloc_json_parse_solution(p, in.ptr ? in.ptr : "", in.len, &s, &claimed, &err);
    if (rc != FORUM_OK) {
        report_error("solution", paths[1], &err);
        json_failure(json, "unreadable", &err);
        status = rc == FORUM_EINVAL ? 2 : 1;
        goto out;
    }
    if (ref_path != NULL) {
        buf_reset(&in);
        if (cmd_read_input("check", ref_path, &in) != 0) {
            forum_error_set(&err, FORUM_EINVAL, "", "cannot read %s", ref_path);
            json_failure(json, "unreadable", &err);
            goto out;
        }
        rc = alloc_json_parse_ref(in.ptr ? in.ptr : "", in.len, p->objective, &ref, &err);
        if (rc != FORUM_OK) {
            report_error("reference", ref_path, &err);
            json_failure(json, "unreadable", &err);
            goto out;
        }
    }
    buf_release(&in);
    rc = alloc_check(p, s, &r, &err);
    if (rc != FORUM_OK) {
        fprintf(stderr, "forumd check: %s\n", err.msg);
        status = 1;
        goto out;
    }
    if (ref_path != NULL)
        alloc_check_against_ref(r, &ref, &s->claim);
    if (json) {
        if ((verdict = alloc_json_dump_check(r, claimed, NULL)) == NULL) {
            fputs("forumd check: out of memory\n", stderr);
            status = 1;
            goto out;
        }
        puts(verdict);
    } else {
        print_report(p, r, paths[0], paths[1], &s->claim, ref_path,
                     ref_path != NULL ? &ref : NULL);
    }
    status = fflush(stdout) != 0 ? 2 : r->valid ? 0 : 1;
out:
    buf_release(&in);
    free(verdict);
    free(claimed);
    alloc_check_report_free(r);
    alloc_check_solution_free(s);
    alloc_problem_free(p);
    return status;
}
