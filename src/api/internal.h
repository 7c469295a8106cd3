/* SPDX-License-Identifier: MIT */
/*
 * Private declarations shared by the files of src/api/: the shared state,
 * the per-request context handlers work on, the route table, strict JSON
 * input helpers and the response helpers.
 */
#ifndef FORUM_API_INTERNAL_H
#define FORUM_API_INTERNAL_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "forum/api.h"
#include "forum/export.h"
#include "forum/store.h"

/* ---- limits (docs/api.md lists them all) ---------------------------------- */

/* Text limits count characters (code points), as SQLite's length() in the
 * schema's CHECKs does; GET /limits serves them to the pages. */
#define API_NAME_MAX 200  /* event names, topic titles */
#define API_LABEL_MAX 100 /* room names, slot labels, person names, themes */
#define API_DESCRIPTION_MAX 4000
#define API_FEATURE_MAX 40      /* one feature name */
#define API_FEATURES_MAX 20     /* features, needs per object */
#define API_UNAVAILABLE_MAX 200 /* unavailable slot ids per object */
#define API_CODE_MAX 64         /* join codes */
#define API_TIMEZONE_MAX 64
#define API_LOCALE_MAX 16
#define API_URL_MAX 500   /* an online room's link */
#define API_BLOCKS_MAX 50 /* blocks per event */
#define API_SLOTS_MAX 500 /* slot ids in one block */
#define API_HOSTS_MAX 20  /* hosts of one topic */
#define API_GROUPS_MAX 100
#define API_JSON_DEPTH 4          /* deeper request bodies get 400 */
#define API_PARAM_MAX 64          /* one path segment captured as a parameter */
#define API_PARAMS 3              /* parameters per route */
#define API_SMALL_BODY (8 * 1024) /* body limit of most routes */
#define API_TIME_LIMIT_DEFAULT 2000
#define API_MAX_WEIGHT_MIN 1
#define API_MAX_WEIGHT_MAX 100
#define API_VOTE_BUDGET_MIN 0
#define API_VOTE_BUDGET_MAX 10000
#define API_CAPACITY_MIN 0
#define API_CAPACITY_MAX 100000 /* room capacity, topic max_size */
#define API_MAX_SIZE_MIN 1
#define API_TIME_LIMIT_MAX 30000
/* Session notes (docs/api.md, Session notes). */
#define API_NOTES_KEY_POINTS_MAX 8000
#define API_NOTES_PROPOSALS_MAX 4000
#define API_NOTES_FOLLOW_UP_MAX 2000
#define API_NOTES_NAMES_MAX 1000
#define API_ATTENDANCE_MAX 100000
/* A notes body at its limits, even with every character 4 bytes of UTF-8,
 * under http/'s 64 KiB cap. */
#define API_NOTES_BODY (63 * 1024)
#define API_VOTE_MINUTES_MAX 60 /* the marketplace's vote window */

/* ---- roles ------------------------------------------------------------------- */

enum api_role {
    API_ROLE_ANYONE,      /* no token read at all */
    API_ROLE_OPTIONAL,    /* a token, when given, must be valid; it may show more */
    API_ROLE_ADMIN,       /* the server's administrator */
    API_ROLE_FACILITATOR, /* the facilitator of the path's event (or the admin) */
    API_ROLE_PARTICIPANT, /* a participant of the path's event */
    API_ROLE_MEMBER       /* a participant or the facilitator of the path's event */
};

struct api_ctx;
typedef void (*api_handler_fn)(struct api_ctx *c);

/*
 * What api_handle() does for a route before and around its handler. The
 * route table says it; dispatch has no other rule (no handler or path
 * comparisons, nothing decided by the HTTP method).
 */
enum api_route_flag {
    /* Opens this thread's database connection before the handler (a route
     * with a role other than API_ROLE_ANYONE needs it to check the token). */
    API_STORE = 1u << 0,
    /* Loads the path's event (the first parameter) into c->event, or 404. */
    API_EVENT = 1u << 1,
    /* Changes data: counts against the writer's per-token write limit, and the
     * handler runs holding the write mutex (docs/decisions/0003). */
    API_WRITES = 1u << 2,
    /* Changes data later, off the server thread (an allocation): counts
     * against the write limit, but the handler only reads and queues; the
     * worker takes the write mutex while it stores. */
    API_QUEUES = 1u << 3,
};

struct api_route {
    enum api_method method;
    const char *pattern; /* "/api/v1/events/ * /slots": '*' matches one segment */
    api_handler_fn handler;
    enum api_role role;
    unsigned flags;   /* enum api_route_flag */
    size_t body_max;  /* 0: the route takes no body */
    const char *name; /* metrics label */
};

extern const struct api_route api_routes[];
extern const size_t api_routes_count;

/* ---- shared state ------------------------------------------------------------ */

/* One published schedule, pre-serialised, shared by the responses serving it. */
struct api_sched {
    char eid[API_PARAM_MAX + 1];
    long version;
    char etag[64];
    char *body; /* owned */
    size_t body_len;
    atomic_int refs;
    struct api_sched *next;
};

struct api_conn {
    struct api *api;
    struct store *store;
    struct api_conn *next;
};

struct api_job; /* an allocation waiting for or in the worker (worker.c) */

/* A fixed table of counters keyed by a string (tokens, addresses). */
struct api_limiter {
    pthread_mutex_t mu;
    struct api_limit_slot {
        uint64_t key;  /* hash of the key; 0 = free */
        double tokens; /* bucket level */
        double last;   /* seconds (monotonic) of the last update */
    } slots[1024];
};

struct api_metrics {
    atomic_ulong requests[128][6]; /* route index (last: unrouted) x status class 1..5 */
    atomic_ulong votes;
    atomic_ulong allocations;
    atomic_ulong allocation_failures;
    atomic_ulong rate_limited;
    atomic_ulong auth_failures;
    atomic_ulong cache_hits;
    atomic_ulong cache_misses;
    atomic_ulong not_modified;
};

struct api {
    char *db_path;
    char *public_url;
    char generated_admin[STORE_TOKEN_LEN + 1];
    pthread_key_t key; /* this thread's struct api_conn */
    pthread_mutex_t mu;
    struct api_conn *conns;

    pthread_rwlock_t
        cache_mu; /* readers share it: the hot path never waits on another reader */
    struct api_sched *cache;

    /* The allocation worker (worker.c). */
    pthread_t worker;
    bool worker_started;
    pthread_mutex_t job_mu;
    pthread_cond_t job_cv;
    struct api_job *jobs;
    struct api_job *running;
    bool stopping;
    atomic_bool stop_now;

    /*
     * Held around every write request: writers queue here, in order, instead
     * of sleeping in SQLite's busy handler (which backs off by up to 100 ms
     * at a time and makes the latency tail long).
     */
    pthread_mutex_t write_mu;

    struct api_limiter writes;
    struct api_limiter failures;
    double write_burst, write_rate; /* per second, participants */
    double fail_burst, fail_rate;

    struct api_metrics metrics;
};

/* ---- the request context ------------------------------------------------------ */

struct api_ctx {
    struct api *api;
    const struct api_request *req;
    struct api_response *resp;
    const struct api_route *route;
    size_t route_index;
    char param[API_PARAMS][API_PARAM_MAX + 1];
    size_t n_params;
    struct store *store;        /* this thread's connection */
    bool authed;                /* a valid token was given */
    struct store_principal who; /* valid when authed */
    json_t *body;               /* the parsed body (an object), or NULL */
    struct store_event event;   /* the path's event, loaded before the handler */
    bool has_event;
    bool done; /* the response is filled */
};

/* The path's event id (the first parameter). */
#define CTX_EID(c) ((c)->param[0])

/* ---- responses (api.c) --------------------------------------------------------- */

/* Fills the error response of status with code, field (may be NULL) and message. */
void api__error(struct api_ctx *c, int status, const char *code, const char *field,
                const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* The same, with extra's members (an object, stolen; may be NULL) beside
 * "error" in the body: what changed, the current version. */
void api__error_with(struct api_ctx *c, int status, const char *code, const char *field,
                     json_t *extra, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* Maps a store/alloc status and its detail to the error response. */
void api__fail(struct api_ctx *c, enum forum_status rc, const struct forum_error *err);
/* Returns false when rc is FORUM_OK; otherwise answers as api__fail() and returns true,
 * so that a handler reads `if (api__failed(c, rc, &err)) return;`. */
bool api__failed(struct api_ctx *c, enum forum_status rc, const struct forum_error *err);
/* Sends doc (stolen) as JSON with status. */
void api__json(struct api_ctx *c, int status, json_t *doc);
/* Sends an owned text body (taken) with a static content type. */
void api__text(struct api_ctx *c, int status, const char *content_type, char *body,
               size_t len);
/* Sends 204 without a body. */
void api__no_content(struct api_ctx *c);
/* Counts one answer of route (index in api_routes) in the metrics. */
void api__count(struct api *api, size_t route, int status);
/* Returns this thread's store for api (opening it on first use), or NULL. */
struct store *api__store(struct api *api, struct forum_error *err);

/* Counts a failed attempt (token, join code, calendar secret) from the request's
 * address: the metrics, and one unit of the address's failure bucket. */
void api__auth_failed(struct api_ctx *c);
/* True, after answering 429 with Retry-After, when the request's address has
 * used up its failed attempts; false otherwise. */
bool api__failures_blocked(struct api_ctx *c);

/* True when the caller is the event's facilitator or the admin. */
bool api__is_facilitator(const struct api_ctx *c);
/* True when the caller is a participant of the path's event. */
bool api__is_participant(const struct api_ctx *c);
/* True when the phase is open (or the caller is the facilitator); otherwise
 * answers 409 code ("<what> are closed for this event") and returns false. */
bool api__phase_open(struct api_ctx *c, bool open, const char *code, const char *what);

/* ---- strict JSON input (json_in.c) ----------------------------------------------- */

/*
 * Each returns true when the field is fine (present or absent), false after
 * filling the 422 response naming the field. OUT: present (may be NULL).
 */
bool api__only_keys(struct api_ctx *c, const char *const *keys);
bool api__get_string(struct api_ctx *c, const char *key, bool required, size_t max,
                     bool multiline, const char **out, bool *present);
bool api__get_int(struct api_ctx *c, const char *key, bool required, long min, long max,
                  long *out, bool *present);
bool api__get_bool(struct api_ctx *c, const char *key, bool *out, bool *present);
/* Replaces *out with the strings of the array (each at most max_len bytes). */
bool api__get_strv(struct api_ctx *c, const char *key, size_t max_items, size_t max_len,
                   struct store_strv *out, bool *present);
/* True when s is an http or https URL with a host, of printable ASCII
 * without spaces, quotes or angle brackets, at most API_URL_MAX bytes. */
bool api__url_ok(const char *s);
/* The number of characters (code points) of the valid UTF-8 string s. */
size_t api__chars(const char *s);
/* Checks that s is text of at most max characters, on one line unless multiline. */
bool api__text_ok(const char *s, size_t max, bool multiline);
/* Normalises an RFC 3339 time to UTC "YYYY-MM-DDTHH:MM:SSZ" (out: 21 bytes). */
bool api__time_parse(const char *s, char *out);
/* Seconds since the epoch of a normalised UTC time. */
long long api__time_epoch(const char *utc);
/* Parses c->req->body into c->body; fills 400/415/422 and returns false on error. */
bool api__parse_body(struct api_ctx *c);

/* ---- limits (limits.c) ---------------------------------------------------------- */

void api__limiter_init(struct api_limiter *l);
void api__limiter_release(struct api_limiter *l);
/*
 * Takes one unit from key's bucket (burst, refilled at rate per second).
 * Returns 0 when allowed, else the seconds to wait.
 */
unsigned api__limiter_take(struct api_limiter *l, const char *key, double burst,
                           double rate);
/* Returns the seconds to wait when key's bucket is empty, 0 when it is not. */
unsigned api__limiter_peek(struct api_limiter *l, const char *key, double burst,
                           double rate);
double api__now(void);

/* ---- handlers, one file per resource ------------------------------------------ */

void api__health(struct api_ctx *c);
void api__event_create(struct api_ctx *c);
void api__event_get(struct api_ctx *c);
void api__event_patch(struct api_ctx *c);
void api__join_get(struct api_ctx *c);
void api__event_list(struct api_ctx *c);
void api__event_delete(struct api_ctx *c);
void api__event_copy(struct api_ctx *c);
void api__event_facilitator(struct api_ctx *c);
void api__limits(struct api_ctx *c);
void api__participant_delete(struct api_ctx *c);
void api__slot_list(struct api_ctx *c);
void api__slot_create(struct api_ctx *c);
void api__slot_patch(struct api_ctx *c);
void api__slot_delete(struct api_ctx *c);
void api__room_list(struct api_ctx *c);
void api__room_create(struct api_ctx *c);
void api__room_patch(struct api_ctx *c);
void api__room_delete(struct api_ctx *c);
void api__block_list(struct api_ctx *c);
void api__block_create(struct api_ctx *c);
void api__block_get(struct api_ctx *c);
void api__block_patch(struct api_ctx *c);
void api__block_delete(struct api_ctx *c);
void api__participant_create(struct api_ctx *c);
void api__participant_list(struct api_ctx *c);
void api__me_get(struct api_ctx *c);
void api__me_patch(struct api_ctx *c);
void api__me_votes(struct api_ctx *c);
void api__me_agenda(struct api_ctx *c);
void api__feed_ics(struct api_ctx *c);
void api__topic_list(struct api_ctx *c);
void api__topic_create(struct api_ctx *c);
void api__topic_get(struct api_ctx *c);
void api__topic_patch(struct api_ctx *c);
void api__topic_delete(struct api_ctx *c);
void api__vote_put(struct api_ctx *c);
void api__vote_delete(struct api_ctx *c);
void api__clashes(struct api_ctx *c);
void api__problem_get(struct api_ctx *c);
void api__allocation_post(struct api_ctx *c);
void api__allocation_list(struct api_ctx *c);
void api__allocation_get(struct api_ctx *c);
void api__allocation_delete(struct api_ctx *c);
void api__publish(struct api_ctx *c);
void api__schedule_get(struct api_ctx *c);
void api__schedule_ics(struct api_ctx *c);
void api__schedule_csv(struct api_ctx *c);
void api__notes_get(struct api_ctx *c);
void api__notes_put(struct api_ctx *c);
void api__notes_revisions(struct api_ctx *c);
void api__notes_revision(struct api_ctx *c);
void api__presence_put(struct api_ctx *c);
void api__presence_delete(struct api_ctx *c);
void api__proceedings_json(struct api_ctx *c);
void api__proceedings_md(struct api_ctx *c);
void api__qr_svg(struct api_ctx *c);
void api__manifest_participant(struct api_ctx *c);
void api__manifest_wall(struct api_ctx *c);
void api__changes_get(struct api_ctx *c);
void api__change_undo(struct api_ctx *c);
void api__op_cancel(struct api_ctx *c);
void api__op_merge(struct api_ctx *c);
void api__op_move(struct api_ctx *c);
void api__op_close_room(struct api_ctx *c);
void api__op_topic(struct api_ctx *c);
void api__marketplace_get(struct api_ctx *c);
void api__marketplace_put(struct api_ctx *c);

/* ---- the day after a publication (plan.c, operations.c, diff.c, marketplace.c) ---- */

/* The state of an event's day, as api__plan_read() finds it. */
struct api_plan {
    long version;  /* the latest published version, 0 before the first */
    long revision; /* the number of the latest change of the day, 0 when none */
    long head;     /* the newest change in effect (drafts record it), 0 when none */
    time_t now;    /* the daemon's clock when it was read */
};

/* OUT: p, the state of eid's day now. */
enum forum_status api__plan_read(struct store *s, const char *eid, struct api_plan *p,
                                 struct forum_error *err);
/* Writes the plan's ETag, "{eid}-v{version}-r{revision}" quoted, into out. */
void api__plan_etag(const char *eid, const struct api_plan *p, char *out, size_t cap);
/* {version, revision, etag}, owned. */
json_t *api__plan_json(const char *eid, const struct api_plan *p);
/*
 * True when the request's If-Match (if any) names the plan as it is, or the
 * schedule's current version; otherwise answers 412 `stale` with the current
 * plan and the changes since the one named, and returns false.
 */
bool api__plan_check(struct api_ctx *c, const struct api_plan *p);
/* Answers status/code with the current plan and the changes after `after`
 * (after < 0: those no publication has closed) beside the error. */
void api__plan_refuse(struct api_ctx *c, int status, const char *code, const char *field,
                      long after, const char *msg);
/* Sends doc (stolen) with the plan as it is now (member "plan", header ETag). */
void api__plan_answer(struct api_ctx *c, int status, json_t *doc);
/* A change as the API shows it, owned. */
json_t *api__change_json(const struct store_change *x);
/* True when a slot starting at starts_at (UTC) has started at now. */
bool api__slot_started(const char *starts_at, time_t now);
/*
 * Undoes change x (pending, the newest in effect) inside the caller's write
 * transaction. OUT: summary, what was put back (owned JSON object).
 */
enum forum_status api__operation_undo(struct api_ctx *c, const struct store_change *x,
                                      json_t **summary, struct forum_error *err);
/*
 * What draft a would change for people against the latest published version
 * (NULL when nothing is published, or a draft made against another version):
 * {version, moved, dropped, new, people, sessions:[...]}, owned.
 */
json_t *api__draft_changes(struct store *s, const char *eid,
                           const struct store_allocation *a);
/*
 * Marks in agenda (the items of participant pid's sessions in cur, the latest
 * version, made by item) what changed since version `since` (0: none seen):
 * "change" new or moved (with "was", where and when it was), and appends the
 * sessions they had then and have no more, "cancelled" or "removed" (it goes
 * on without them); in time order.
 */
void api__agenda_mark(struct store *s, const char *eid, const char *pid, long since,
                      const struct store_schedule *cur, json_t *agenda,
                      json_t *(*item)(const struct store_schedule *,
                                      const struct store_session *));
/*
 * True when participant votes for topic tid are still taken: false (after
 * answering 409 voting_closed) when the marketplace's vote window for the
 * topic's block has ended. Facilitators are not bound.
 */
bool api__marketplace_vote_open(struct api_ctx *c, const char *tid);
/* The changes of version sc against the one before (NULL for the first):
 * {since, sessions:[{id, change, ...}]}, owned. */
json_t *api__version_changes(struct store *s, const char *eid,
                             const struct store_schedule *sc);

/* ---- shared builders ----------------------------------------------------------- */

/* What a draft is made from (docs/api.md, Re-runs after a publication). */
struct api_problem_info {
    long base_version; /* the latest published version, 0 before the first */
    long plan_seq;     /* the newest change of the day in effect, 0 when none */
    char *kept_slots;  /* owned JSON array: the slots left as published (started) */
};
void api__problem_info_release(struct api_problem_info *info);
/*
 * OUT: json, the allocation problem of event eid (ALLOCATOR.md form), owned;
 * info (may be NULL; release it), what the draft it gives is made from.
 */
enum forum_status api__problem_build(struct store *s, const char *eid, json_t **out,
                                     struct api_problem_info *info,
                                     struct forum_error *err);
/* What publication (and a draft's comparison with the published version)
 * reads from the store, loaded once. */
struct api_world {
    struct store_event event;
    struct store_slot *slots;
    size_t n_slots;
    struct store_room *rooms;
    size_t n_rooms;
    struct store_topic *topics;
    size_t n_topics;
    struct store_block *blocks;
    size_t n_blocks;
    struct store_participant *people;
    size_t n_people;
};
/* OUT: w, the event eid as it is now (release it, also on failure). */
enum forum_status api__world_load(struct store *s, const char *eid, struct api_world *w,
                                  struct forum_error *err);
void api__world_release(struct api_world *w);
/*
 * One session of a draft (x: {topic, group, room, slot, attendees}) as a
 * row of w as it is now (out: release it). FORUM_ECONFLICT when the draft
 * names what is gone or a slot that became a plenary's or a break's.
 */
enum forum_status api__draft_session(const struct api_world *w, json_t *x,
                                     struct store_session *out, struct forum_error *err);
/*
 * Publishes allocation aid of event eid as the next schedule version (the
 * slots it kept copied from the version it was made against) and refreshes
 * the cache, closing the changes of the day it publishes. OUT: version.
 * FORUM_ECONFLICT (field "allocation") for a draft already published, or
 * one the day has left behind (another publication, a change since).
 */
enum forum_status api__publish_allocation(struct api *api, struct store *s,
                                          const char *eid, const char *aid, long *version,
                                          struct forum_error *err);
/*
 * Solves the problem document text synchronously and stores the draft with
 * what info says it is made from (holding write_mu, when not NULL, only while
 * storing). OUT: aid, solution.
 */
enum forum_status api__solve_and_store(struct store *s, const char *eid,
                                       const char *problem, size_t len,
                                       const struct api_problem_info *info,
                                       long time_limit_ms, atomic_bool *stop,
                                       pthread_mutex_t *write_mu, char *aid,
                                       char **solution, struct forum_error *err);
/* Starts and stops the allocation worker (worker.c). */
enum forum_status api__worker_start(struct api *api, struct forum_error *err);
void api__worker_stop(struct api *api);
/* Drops every cached schedule (api_free) or the one of eid. */
void api__cache_drop(struct api *api, const char *eid);
/* A cache entry for version of eid holding body (taken), with one reference. */
struct api_sched *api__sched_new(const char *eid, long version, char *body);
/* Puts e in the cache unless a newer version is there. Takes e's reference. */
void api__cache_put(struct api *api, struct api_sched *e);
/*
 * Reads a new topic from the body as POST /topics takes it (host_name: the
 * facilitator names a host without a phone) into t, its block default_block
 * (may be NULL) when the body names none. OUT: host_name, borrowed from the
 * body, or NULL. Returns false after answering.
 */
bool api__topic_read_new(struct api_ctx *c, struct store_topic *t,
                         const char *default_block, const char **host_name);
/*
 * Creates t (a participant caller becomes its host; with host_name, the
 * participant of that name, or a new one, is its only host). OUT: id, and
 * host_id the host named (STORE_ID_MAX + 1 bytes each; host_id "" without
 * host_name). FORUM_EINVAL (field host_name) when several have that name.
 */
enum forum_status api__topic_insert(struct api_ctx *c, struct store_topic *t,
                                    const char *host_name, char *id, char *host_id,
                                    struct forum_error *err);
/* Renders an owned JSON value for a topic as the caller may see it. */
json_t *api__topic_json(const struct api_ctx *c, const struct store_topic *t,
                        const struct store_event *e);
/*
 * Renders the latest published version of eid from its rows, puts it in the
 * cache (unless a newer one is there) and OUT: out, a new reference (drop it
 * with api__sched_unref()). FORUM_ENOTFOUND before the first publication.
 */
enum forum_status api__schedule_load(struct api *api, struct store *s, const char *eid,
                                     struct api_sched **out, struct forum_error *err);
/* Drops one reference to a cache entry (a struct api_sched *). */
void api__sched_unref(void *p);
/* The public schedule document of sc (sessions.c), owned. */
json_t *api__schedule_json(const struct store_schedule *sc);
/* "title — groupe 2" (fr) or "title — group 2" (other locales), owned. */
char *api__group_title(const char *title, long group, const char *locale);
/* True for the kinds the allocator places topics in (not a plenary or a break). */
bool api__block_allocated(const char *kind);
/* Renders an owned JSON value for a block. */
json_t *api__block_json(const struct store_block *b);
/*
 * The element of v (n elements of size bytes, each a struct whose first member
 * is its `char *id`: the store's slots, rooms, topics, blocks and a version's
 * grid) whose id is id, or NULL (also when id is NULL). Borrowed from v.
 */
const void *api__by_id(const void *v, size_t n, size_t size, const char *id);
/* The export writers' view of sessions (forum/export.h), and the strings
 * made for it. */
struct api_export_view {
    struct export_session *v; /* borrowing the schedules' strings */
    size_t n;
    char **owned; /* summaries made here ("Title — groupe 2"), freed with the view */
    size_t n_owned;
};
/* Makes view empty, with room for cap sessions. */
void api__view_init(struct api_export_view *view, size_t cap);
/* Appends session x of sc (cancelled: sent as dropped, its SEQUENCE raised
 * once), titled for locale. The strings stay borrowed from sc. */
void api__view_add(struct api_export_view *view, const struct store_schedule *sc,
                   const struct store_session *x, const char *locale, bool cancelled);
void api__view_release(struct api_export_view *view);
/* True when slots a and b share a moment (end times are exclusive). */
bool api__slots_overlap(const struct store_slot *a, const struct store_slot *b);
/* A list of strings as an owned JSON array. */
json_t *api__strv_json(const struct store_strv *sv);
/*
 * A session of sc as the notes page and the proceedings show it (owned):
 * the members of a schedule's session, plus its block's name, its room's
 * name and its slot's label from sc's grid.
 */
json_t *api__session_json(const struct store_schedule *sc, const struct store_session *x);
/* Copies the value of the query parameter name (percent-decoded, '+' a
 * space) into out (cap bytes). False when it is absent; true with *too_long
 * set when it does not fit (or holds a NUL). */
bool api__query_param(const char *query, const char *name, char *out, size_t cap,
                      bool *too_long);
/*
 * True when the caller may read the notes and the proceedings of the path's
 * event: its participants and facilitator, and anyone when the facilitator
 * made them public. Otherwise answers 401 (no token) or 403 and returns false.
 */
bool api__notes_readable(struct api_ctx *c);
/* A session's notes (owned JSON): revision, author, times, texts as typed and
 * `rendered`, each text's tree of safe elements (export_markdown_json()). */
json_t *api__notes_json(const struct store_notes *x);
/* The names of v (n entries) at session sid (NULL: all), as a JSON array. */
json_t *api__present_json(const struct store_presence *v, size_t n, const char *sid);

#endif /* FORUM_API_INTERNAL_H */
