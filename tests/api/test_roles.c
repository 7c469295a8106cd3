/* SPDX-License-Identifier: MIT */
/*
 * The role matrix: every route against every kind of caller. A caller
 * without the right gets 401 (no token, an unknown one) or 403 (a known
 * token of the wrong role, event or object), and the event is unchanged
 * afterwards; a caller with the right may read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client.h"

enum who { NONE, BAD, ADMIN, FAC, OFAC, P0, P1, OP, N_WHO };
static const char *const who_name[N_WHO] = {"none",
                                            "bad",
                                            "admin",
                                            "facilitator",
                                            "other facilitator",
                                            "participant 0",
                                            "participant 1",
                                            "other participant"};

#define ALL ((1u << N_WHO) - 1)
#define BIT(w) (1u << (w))
#define FACS (BIT(ADMIN) | BIT(FAC))
#define PARTS (BIT(P0) | BIT(P1))
#define ALL_BUT_BAD (ALL & ~BIT(BAD))

static const struct {
    enum api_method m;
    const char *path; /* {e} event, {s} slot, {r} room, {t} topic of P0, {a} allocation */
    const char *body;
    unsigned allowed;
} matrix[] = {
    {API_POST, "/api/v1/events", "{\"name\":\"x\"}", BIT(ADMIN)},
    {API_GET, "/api/v1/events/{e}", NULL, ALL_BUT_BAD},
    {API_PATCH, "/api/v1/events/{e}", "{\"name\":\"x\"}", FACS},
    {API_GET, "/api/v1/events/{e}/slots", NULL, ALL},
    {API_POST, "/api/v1/events/{e}/slots",
     "{\"label\":\"x\",\"starts_at\":\"2025-01-01T00:00:00Z\",\"ends_at\":\"2025-01-"
     "01T01:00:00Z\"}",
     FACS},
    {API_PATCH, "/api/v1/events/{e}/slots/{s}", "{\"label\":\"x\"}", FACS},
    {API_DELETE, "/api/v1/events/{e}/slots/{s}", NULL, FACS},
    {API_GET, "/api/v1/events/{e}/rooms", NULL, ALL},
    {API_POST, "/api/v1/events/{e}/rooms", "{\"name\":\"x\",\"capacity\":1}", FACS},
    {API_PATCH, "/api/v1/events/{e}/rooms/{r}", "{\"name\":\"x\"}", FACS},
    {API_DELETE, "/api/v1/events/{e}/rooms/{r}", NULL, FACS},
    {API_POST, "/api/v1/events/{e}/participants", "{\"name\":\"x\"}", ALL_BUT_BAD},
    {API_GET, "/api/v1/events/{e}/participants", NULL, FACS},
    {API_GET, "/api/v1/events/{e}/me", NULL, PARTS},
    {API_PATCH, "/api/v1/events/{e}/me", "{\"name\":\"x\"}", PARTS},
    {API_GET, "/api/v1/events/{e}/me/votes", NULL, PARTS},
    {API_GET, "/api/v1/events/{e}/me/agenda", NULL, PARTS},
    {API_GET, "/api/v1/events/{e}/topics", NULL, ALL_BUT_BAD},
    {API_POST, "/api/v1/events/{e}/topics", "{\"title\":\"x\"}", FACS | PARTS},
    {API_GET, "/api/v1/events/{e}/topics/{t}", NULL, ALL_BUT_BAD},
    {API_PATCH, "/api/v1/events/{e}/topics/{t}", "{\"title\":\"x\"}", FACS | BIT(P0)},
    {API_DELETE, "/api/v1/events/{e}/topics/{t}", NULL, FACS | BIT(P0)},
    {API_PUT, "/api/v1/events/{e}/topics/{t}/vote", "{\"weight\":1}", PARTS},
    {API_DELETE, "/api/v1/events/{e}/topics/{t}/vote", NULL, PARTS},
    {API_GET, "/api/v1/events/{e}/clashes", NULL, FACS},
    {API_GET, "/api/v1/events/{e}/allocation/problem", NULL, FACS},
    {API_POST, "/api/v1/events/{e}/allocation", "{\"time_limit_ms\":1}", FACS},
    {API_GET, "/api/v1/events/{e}/allocations", NULL, FACS},
    {API_GET, "/api/v1/events/{e}/allocations/{a}", NULL, FACS},
    {API_DELETE, "/api/v1/events/{e}/allocations/{a}", NULL, FACS},
    {API_POST, "/api/v1/events/{e}/schedule/publish", "{\"allocation\":\"{a}\"}", FACS},
    {API_GET, "/api/v1/events/{e}/schedule", NULL, ALL},
    {API_GET, "/api/v1/events/{e}/schedule.ics", NULL, ALL},
    {API_GET, "/api/v1/events/{e}/schedule.csv", NULL, ALL},
};

struct fixture {
    struct tc t;
    char aid[64];
};

/* Replaces the {x} placeholders of src. */
static void expand(const struct fixture *f, const char *src, char *out, size_t cap)
{
    size_t o = 0;

    for (const char *p = src; *p && o + 1 < cap; p++) {
        const char *rep = NULL;
        if (p[0] == '{' && p[1] && p[2] == '}') {
            switch (p[1]) {
            case 'e':
                rep = f->t.eid;
                break;
            case 's':
                rep = f->t.slot[0];
                break;
            case 'r':
                rep = f->t.room[0];
                break;
            case 't':
                rep = f->t.topic[0];
                break;
            case 'a':
                rep = f->aid;
                break;
            default:
                break;
            }
        }
        if (rep != NULL) {
            size_t n = strlen(rep);
            if (o + n >= cap)
                break;
            memcpy(out + o, rep, n);
            o += n;
            p += 2;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

static const char *token_of(const struct fixture *f, enum who w)
{
    switch (w) {
    case BAD:
        return "0123456789abcdef0123456789abcdef";
    case ADMIN:
        return TC_ADMIN;
    case FAC:
        return f->t.fac;
    case OFAC:
        return f->t.other_fac;
    case P0:
        return f->t.ptok[0];
    case P1:
        return f->t.ptok[1];
    case OP:
        return f->t.other_ptok;
    default:
        return NULL;
    }
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    json_t *doc;
    char body[128];

    tc_open(&f->t, 0, 0);
    tc_fixture(&f->t);
    assert_int_equal(tc_call(&f->t, API_POST,
                             tc_path("/api/v1/events/%s/allocation", f->t.eid), f->t.fac,
                             "{\"time_limit_ms\":50}", &doc),
                     200);
    snprintf(f->aid, sizeof(f->aid), "%s", json_string_value(json_object_get(doc, "id")));
    json_decref(doc);
    snprintf(body, sizeof(body), "{\"allocation\":\"%s\"}", f->aid);
    assert_int_equal(tc_call(&f->t, API_POST,
                             tc_path("/api/v1/events/%s/schedule/publish", f->t.eid),
                             f->t.fac, body, NULL),
                     200);
    /* A second draft, so that the matrix has one to (not) delete or publish. */
    assert_int_equal(tc_call(&f->t, API_POST,
                             tc_path("/api/v1/events/%s/allocation", f->t.eid), f->t.fac,
                             "{\"time_limit_ms\":50}", &doc),
                     200);
    snprintf(f->aid, sizeof(f->aid), "%s", json_string_value(json_object_get(doc, "id")));
    json_decref(doc);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    tc_close(&f->t);
    free(f);
    return 0;
}

static void test_roles_refused_change_nothing(void **state)
{
    struct fixture *f = *state;
    char *before = tc_snapshot(&f->t, f->t.eid, f->t.fac), *after;
    unsigned calls = 0;

    for (size_t i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
        for (int w = 0; w < N_WHO; w++) {
            char path[512], body[512], auth[128], addr[32];
            struct api_response resp;
            int expect;

            if (matrix[i].allowed & BIT(w))
                continue;
            expect = (w == NONE || w == BAD) ? 401 : 403;
            expand(f, matrix[i].path, path, sizeof(path));
            if (matrix[i].body)
                expand(f, matrix[i].body, body, sizeof(body));
            snprintf(auth, sizeof(auth), "Bearer %s",
                     token_of(f, w) ? token_of(f, w) : "");
            /* A fresh address each time: the failure limit is another test's. */
            snprintf(addr, sizeof(addr), "10.0.%u.%u", (calls >> 8) & 255, calls & 255);
            calls++;
            tc_raw(&f->t, matrix[i].m, path, NULL, w == NONE ? NULL : auth, NULL,
                   matrix[i].body ? body : NULL, NULL, addr, &resp);
            if (resp.status != expect)
                fail_msg("%s %s as %s: expected %d, got %d: %.*s",
                         matrix[i].body ? "write" : "read", path, who_name[w], expect,
                         resp.status, (int)resp.body_len, resp.body ? resp.body : "");
            api_response_release(&resp);
        }
    }
    after = tc_snapshot(&f->t, f->t.eid, f->t.fac);
    assert_string_equal(before, after);
    free(before);
    free(after);
}

static void test_roles_allowed_reads(void **state)
{
    struct fixture *f = *state;

    for (size_t i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
        if (matrix[i].m != API_GET)
            continue;
        for (int w = 0; w < N_WHO; w++) {
            char path[512], auth[128];
            struct api_response resp;

            if (!(matrix[i].allowed & BIT(w)))
                continue;
            expand(f, matrix[i].path, path, sizeof(path));
            snprintf(auth, sizeof(auth), "Bearer %s",
                     token_of(f, w) ? token_of(f, w) : "");
            tc_raw(&f->t, API_GET, path, NULL, w == NONE ? NULL : auth, NULL, NULL, NULL,
                   NULL, &resp);
            if (resp.status != 200)
                fail_msg("GET %s as %s: expected 200, got %d: %.*s", path, who_name[w],
                         resp.status, (int)resp.body_len, resp.body ? resp.body : "");
            api_response_release(&resp);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roles_refused_change_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_roles_allowed_reads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
