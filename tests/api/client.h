/* SPDX-License-Identifier: MIT */
/*
 * A socket-less client for the API tests: a fresh API over a temporary
 * database, requests as strings, answers as JSON, and a snapshot of an
 * event's whole state to prove that a rejected request changed nothing.
 */
#ifndef FORUM_TESTS_API_CLIENT_H
#define FORUM_TESTS_API_CLIENT_H

#include <jansson.h>

#include "forum/api.h"

#define TC_ADMIN "test-admin-token-0123456789"

struct tc {
    struct api *api;
    char dir[256];
    char db[300];
    /* The fixture of tc_fixture(): one event with everything in it. */
    char eid[64], fac[64];
    char slot[2][64], room[2][64];
    char part[2][64], ptok[2][64];
    char topic[2][64];
    char other_eid[64], other_fac[64], other_part[64], other_ptok[64], other_topic[64];
};

/* Opens a fresh API (write limits as given; 0 = defaults). Aborts the test on failure. */
void tc_open(struct tc *t, unsigned write_burst, unsigned write_per_minute);
void tc_close(struct tc *t);

/*
 * Sends one request. token may be NULL; body may be NULL. content_type NULL
 * means "application/json" when there is a body. Fills resp (release it).
 */
void tc_raw(struct tc *t, enum api_method m, const char *path, const char *query,
            const char *authorization, const char *content_type, const char *body,
            const char *if_none_match, const char *addr, struct api_response *resp);

/* Sends a JSON request with a bearer token; returns the status, *out the body (or NULL).
 */
int tc_call(struct tc *t, enum api_method m, const char *path, const char *token,
            const char *body, json_t **out);

/*
 * Like tc_call() with an If-Match header (may be NULL). OUT: etag (64 bytes,
 * may be NULL), the ETag answered or "".
 */
int tc_call_if(struct tc *t, enum api_method m, const char *path, const char *token,
               const char *body, const char *if_match, json_t **out, char *etag);

/* printf-style path helper: returns a static buffer (one at a time). */
const char *tc_path(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Sets the daemon's clock (forum_clock_set_offset) to when, an RFC 3339 time:
 * tests never depend on the day they run. The fixture's slots are on 18
 * September 2025 (14:00 and 15:00 in Paris). */
void tc_clock_at(const char *when);

/* "/api/v1/events/<t->eid>" followed by fmt: a static buffer (one at a time). */
const char *tc_event_path(const struct tc *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Builds the fixture in t (two events, slots, rooms, participants, topics, a vote). */
void tc_fixture(struct tc *t);

/*
 * cmocka setup and teardown: tc_setup() opens a fresh API (default limits),
 * builds tc_fixture() in it and stores the struct tc (owned) in *state;
 * tc_teardown() closes and frees it.
 */
int tc_setup(void **state);
int tc_teardown(void **state);

/* Returns an owned string describing the whole state of event eid (free with free()). */
char *tc_snapshot(struct tc *t, const char *eid, const char *fac);

/* Asserts status and the error body {"error":{"code":code,...}}; field may be NULL. */
void tc_expect_error(struct tc *t, enum api_method m, const char *path, const char *token,
                     const char *body, int status, const char *code, const char *field);

#endif
