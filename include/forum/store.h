/* SPDX-License-Identifier: MIT */
/*
 * The persistent state of forumd: events, rooms, slots, participants,
 * topics, votes, allocation drafts and published schedules, in SQLite.
 *
 * Layering: store/ is the only module that sees SQLite. It exposes typed
 * calls over plain structs and never a sqlite3 handle; it never calls the
 * solver and knows nothing of HTTP or JSON (it keeps JSON documents that
 * api/ gives it as opaque text).
 *
 * A struct store is one database connection: use it from one thread at a
 * time. The daemon opens one per server thread; WAL lets readers run
 * beside the single writer.
 *
 * Every string in the structs below is owned by the struct and freed by
 * its _release() / list _free() function. Every call returns FORUM_OK or a
 * status with detail in err (may be NULL): FORUM_ENOTFOUND for an unknown
 * id, FORUM_ECONFLICT for a broken uniqueness or state rule, FORUM_EINVAL
 * for a value the schema refuses, FORUM_ESTORE for I/O, a full disk or a
 * lock that did not clear within the busy timeout.
 */
#ifndef FORUM_STORE_H
#define FORUM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "forum/status.h"

struct store;

/* ---- ids, tokens and hashes -------------------------------------------- */

/* Length of a token as given to clients: 128 random bits as 32 hex digits. */
#define STORE_TOKEN_LEN 32
/* Length of a SHA-256 digest. */
#define STORE_HASH_LEN 32
/* Longest id any table holds, terminator excluded. */
#define STORE_ID_MAX 32

/*
 * Fills out (STORE_TOKEN_LEN + 1 bytes) with a fresh token: 128 bits from
 * getrandom(2) as lower-case hex, NUL-terminated. Returns FORUM_EINTERNAL
 * if the OS has no randomness to give.
 */
enum forum_status store_token_new(char *out);

/* Fills out (STORE_HASH_LEN bytes) with the SHA-256 of the string s. */
void store_hash(const char *s, uint8_t *out);

/*
 * Fills out (len + 2 bytes) with prefix (one character, or '\0' for none)
 * followed by len random characters from a 32-letter alphabet that avoids
 * look-alikes (5 bits each).
 */
enum forum_status store_random_id(char prefix, size_t len, char *out);

/* ---- lifecycle ----------------------------------------------------------- */

/*
 * Opens the database at path (created if missing) with WAL, synchronous=FULL,
 * foreign_keys=ON and a busy timeout. Does not migrate. OUT: out (owned:
 * free with store_close()).
 */
enum forum_status store_open(const char *path, struct store **out,
                             struct forum_error *err);

/* Finalises every cached statement and closes the connection. NULL-safe. */
void store_close(struct store *s);

/* The newest schema version this binary knows (the number of migrations). */
int store_schema_latest(void);

/* OUT: version, the schema version of the open database (0 when empty). */
enum forum_status store_schema_version(struct store *s, int *version,
                                       struct forum_error *err);

/*
 * Runs the embedded migrations after the current one up to target
 * (0 = latest), each in its own transaction that also bumps
 * PRAGMA user_version. A database newer than this binary is an error
 * (FORUM_ECONFLICT); a failing migration leaves the previous version whole.
 */
enum forum_status store_migrate(struct store *s, int target, struct forum_error *err);

/* Caps the database file at pages pages (tests simulate a full disk with it). */
enum forum_status store_limit_pages(struct store *s, unsigned long pages,
                                    struct forum_error *err);

/*
 * Opens a read transaction on s: every read through s until store_read_end()
 * sees one snapshot of the database (WAL), whatever other connections
 * commit meanwhile, and blocks no writer. No write through s in between;
 * no nesting.
 */
enum forum_status store_read_begin(struct store *s, struct forum_error *err);
/* Ends the read transaction of store_read_begin() (nothing to do when none). */
void store_read_end(struct store *s);

/*
 * Opens a write transaction (BEGIN IMMEDIATE) on s: every store call through
 * s until store_write_end() joins it, each as a savepoint (a call that fails
 * leaves nothing of itself), so that a change made of several calls (a
 * merge of two topics, with its record) is written whole or not at all. No
 * nesting of store_write_begin() itself.
 */
enum forum_status store_write_begin(struct store *s, struct forum_error *err);
/*
 * Ends the transaction of store_write_begin(): commits when rc is FORUM_OK
 * (and returns the commit's status), rolls everything back and returns rc
 * otherwise.
 */
enum forum_status store_write_end(struct store *s, enum forum_status rc,
                                  struct forum_error *err);

/* Returns FORUM_OK when the database answers a trivial query. */
enum forum_status store_ping(struct store *s);

/*
 * The memory SQLite holds now, for every connection of the process, and
 * its high-water mark, in bytes (/metrics). OUT: cache, the part of used
 * that the connections' page caches hold.
 */
void store_memory(int64_t *used, int64_t *highwater, int64_t *cache);

/* Frees the memory s's connection holds but does not need now (its page
 * cache), for a connection used in bursts. */
void store_release_memory(struct store *s);

/*
 * Copies the live database into a new file at dest with SQLite's online
 * backup API (readers and the writer carry on meanwhile).
 */
enum forum_status store_backup(struct store *s, const char *dest,
                               struct forum_error *err);

/* ---- auth ---------------------------------------------------------------- */

enum store_role {
    STORE_ROLE_ADMIN = 1,
    STORE_ROLE_FACILITATOR,
    STORE_ROLE_PARTICIPANT,
    STORE_ROLE_FEED /* a participant's read-only calendar feed secret */
};

struct store_principal {
    enum store_role role;
    char event_id[STORE_ID_MAX + 1];       /* "" for the admin */
    char participant_id[STORE_ID_MAX + 1]; /* participant and feed only */
};

/*
 * Finds who holds token (looked up by its SHA-256, the hash compared again
 * in constant time). OUT: p. FORUM_ENOTFOUND for an unknown token.
 */
enum forum_status store_auth_lookup(struct store *s, const char *token,
                                    struct store_principal *p, struct forum_error *err);

/*
 * Makes token (plain text) the administrator's: stores its hash, replacing
 * any previous one. With token NULL, keeps a stored admin token if there is
 * one; otherwise generates one, stores its hash and copies the plain token to
 * generated (STORE_TOKEN_LEN + 1 bytes; "" when nothing was generated).
 */
enum forum_status store_admin_init(struct store *s, const char *token, char *generated,
                                   struct forum_error *err);

/* ---- string lists -------------------------------------------------------- */

/* A list of owned strings. Zero-initialise it before use. */
struct store_strv {
    char **v;
    size_t n;
};

/* Appends a copy of str. */
void store_strv_push(struct store_strv *sv, const char *str);
/* Frees every string and the array; sv is empty afterwards. */
void store_strv_release(struct store_strv *sv);

/* ---- events -------------------------------------------------------------- */

struct store_event {
    char *id;
    char *name;
    char *timezone;   /* IANA name, e.g. "Europe/Paris" */
    char *locale;     /* "fr", "en" */
    char *join_code;  /* NULL when anyone may join */
    long max_weight;  /* largest vote weight, >= 1 */
    long vote_budget; /* largest sum of a participant's weights; 0 = no limit */
    bool proposals_open;
    bool voting_open;
    bool show_tallies;
    char *created_at;        /* RFC 3339 UTC */
    bool proceedings_public; /* anyone may read the notes and the proceedings */
    long published; /* read only: the latest published version, 0 before the first */
};

void store_event_release(struct store_event *e);

/*
 * Creates an event from e (e->id and e->created_at ignored: the store picks
 * a short random id). OUT: id (STORE_ID_MAX + 1 bytes), token (the
 * facilitator token, STORE_TOKEN_LEN + 1 bytes; only its hash is kept).
 * FORUM_ECONFLICT when the join code is taken.
 */
enum forum_status store_event_create(struct store *s, const struct store_event *e,
                                     char *id, char *token, struct forum_error *err);
/* OUT: e (release with store_event_release()). */
enum forum_status store_event_get(struct store *s, const char *id, struct store_event *e,
                                  struct forum_error *err);
/* Writes every field of e over the event e->id. */
enum forum_status store_event_update(struct store *s, const struct store_event *e,
                                     struct forum_error *err);
/* OUT: id of the event whose join code is code, in any case (STORE_ID_MAX + 1
 * bytes). Codes are unique whatever their case (FORUM_ECONFLICT otherwise). */
enum forum_status store_event_by_join_code(struct store *s, const char *code, char *id,
                                           struct forum_error *err);
struct store_slot; /* below */

/* One event as the administrator lists it. */
struct store_event_info {
    struct store_event event;
    long participants, topics, slots, rooms; /* how many the event holds */
    long published;                          /* the latest schedule version, 0: none */
    char *first_slot;                        /* the earliest slot start, or NULL */
};

void store_event_infos_free(struct store_event_info *v, size_t n);

/* OUT: v, n: every event, newest first (free with store_event_infos_free()). */
enum forum_status store_event_list(struct store *s, struct store_event_info **v,
                                   size_t *n, struct forum_error *err);

/* Deletes event eid and everything it holds (slots, rooms, people, tokens,
 * topics, votes, drafts, published versions). FORUM_ENOTFOUND when unknown. */
enum forum_status store_event_delete(struct store *s, const char *eid,
                                     struct forum_error *err);

/*
 * Creates a new event from e (as store_event_create()) holding a copy of
 * the rooms of event src (features, capacity, and unavailability in the
 * slots copied) and the slots given: slots[i].id names a slot of src, and
 * slots[i] gives the copy's label and times. Nothing else (participants,
 * topics, votes, schedules) is copied. One transaction. OUT: id, token.
 */
enum forum_status store_event_copy(struct store *s, const char *src,
                                   const struct store_event *e,
                                   const struct store_slot *slots, size_t n_slots,
                                   char *id, char *token, struct forum_error *err);

/*
 * Replaces the facilitator token of event eid by a new one (the old link
 * stops working): for a facilitator link lost, or given to the wrong person.
 * OUT: token (STORE_TOKEN_LEN + 1 bytes; only its hash is kept).
 */
enum forum_status store_event_new_facilitator(struct store *s, const char *eid,
                                              char *token, struct forum_error *err);

/* OUT: id of the oldest event; FORUM_ENOTFOUND when there is none. */
enum forum_status store_event_first(struct store *s, char *id, struct forum_error *err);

/* ---- slots ----------------------------------------------------------------- */

struct store_slot {
    char *id;
    char *label;
    char *starts_at; /* RFC 3339 UTC, "2025-09-18T09:00:00Z" */
    char *ends_at;
};

void store_slot_release(struct store_slot *sl);
void store_slots_free(struct store_slot *v, size_t n);

/* OUT: v, n: the event's slots in chronological order (free with store_slots_free()). */
enum forum_status store_slot_list(struct store *s, const char *eid, struct store_slot **v,
                                  size_t *n, struct forum_error *err);
enum forum_status store_slot_get(struct store *s, const char *eid, const char *sid,
                                 struct store_slot *out, struct forum_error *err);
/* Creates sl in event eid (sl->id ignored). OUT: id (STORE_ID_MAX + 1 bytes). */
enum forum_status store_slot_create(struct store *s, const char *eid,
                                    const struct store_slot *sl, char *id,
                                    struct forum_error *err);
/* Writes sl over the slot sl->id of event eid. */
enum forum_status store_slot_update(struct store *s, const char *eid,
                                    const struct store_slot *sl, struct forum_error *err);
/* Deletes the slot; it disappears from unavailabilities and fixed placements. */
enum forum_status store_slot_delete(struct store *s, const char *eid, const char *sid,
                                    struct forum_error *err);

/* ---- rooms ----------------------------------------------------------------- */

struct store_room {
    char *id;
    char *name;
    long capacity;
    char *url; /* an online room's link (http or https), or NULL */
    struct store_strv features;
    struct store_strv unavailable; /* slot ids */
};

void store_room_release(struct store_room *r);
void store_rooms_free(struct store_room *v, size_t n);

/* OUT: v, n: the event's rooms in creation order. */
enum forum_status store_room_list(struct store *s, const char *eid, struct store_room **v,
                                  size_t *n, struct forum_error *err);
enum forum_status store_room_get(struct store *s, const char *eid, const char *rid,
                                 struct store_room *out, struct forum_error *err);
/* FORUM_EINVAL (field "unavailable") when a slot id is not the event's. */
enum forum_status store_room_create(struct store *s, const char *eid,
                                    const struct store_room *r, char *id,
                                    struct forum_error *err);
enum forum_status store_room_update(struct store *s, const char *eid,
                                    const struct store_room *r, struct forum_error *err);
/* FORUM_ECONFLICT when a block (a plenary, a break) takes place in the room. */
enum forum_status store_room_delete(struct store *s, const char *eid, const char *rid,
                                    struct forum_error *err);

/* ---- blocks -------------------------------------------------------------- */

/*
 * A part of the day: forum (topics proposed by participants), groups (formats
 * run as parallel groups), workshops (topics prepared by the organisers),
 * plenary (one session for everyone in one room), break. The schema keeps a
 * slot in one block at most, a plenary in a room, a break in one or none,
 * and topics out of plenaries and breaks.
 */
struct store_block {
    char *id;
    char *name;
    char *kind;    /* "forum", "groups", "workshops", "plenary" or "break" */
    char *room_id; /* a plenary's room (required), a break's (optional); else NULL */
    char *title;   /* a plenary's or a break's title; "" when none */
    bool proposals_open;     /* participants may propose topics into it */
    struct store_strv slots; /* slot ids, in chronological order */
    char *starts_at;         /* read only: its first slot's start, NULL without slots */
    char *ends_at;           /* read only: its last slot's end */
};

void store_block_release(struct store_block *b);
void store_blocks_free(struct store_block *v, size_t n);

/* OUT: v, n: the event's blocks in the order of the day (by their first slot;
 * those without slots last, in the order they were made). */
enum forum_status store_block_list(struct store *s, const char *eid,
                                   struct store_block **v, size_t *n,
                                   struct forum_error *err);
enum forum_status store_block_get(struct store *s, const char *eid, const char *bid,
                                  struct store_block *out, struct forum_error *err);
/*
 * Creates b in event eid with its slots, in one transaction (b->id ignored).
 * OUT: id. FORUM_ECONFLICT (field "slots") when a slot is in another block;
 * FORUM_EINVAL (field "slots", "room" or "kind") for what the schema refuses.
 */
enum forum_status store_block_create(struct store *s, const char *eid,
                                     const struct store_block *b, char *id,
                                     struct forum_error *err);
/* Writes b over the block b->id, its slots replaced; as store_block_create(). */
enum forum_status store_block_update(struct store *s, const char *eid,
                                     const struct store_block *b,
                                     struct forum_error *err);
/* Deletes the block: its slots stay, its topics belong to no block. */
enum forum_status store_block_delete(struct store *s, const char *eid, const char *bid,
                                     struct forum_error *err);

/* ---- participants ------------------------------------------------------------ */

struct store_participant {
    char *id;
    char *name;
    struct store_strv needs;
    struct store_strv unavailable; /* slot ids */
};

void store_participant_release(struct store_participant *p);
void store_participants_free(struct store_participant *v, size_t n);

/*
 * Creates p in event eid. OUT: id (STORE_ID_MAX + 1 bytes) and token
 * (STORE_TOKEN_LEN + 1 bytes, the participant's bearer token; only its hash
 * is kept, and so is the hash of the feed secret derived from it, see
 * store_feed_secret()).
 */
enum forum_status store_participant_create(struct store *s, const char *eid,
                                           const struct store_participant *p, char *id,
                                           char *token, struct forum_error *err);
enum forum_status store_participant_list(struct store *s, const char *eid,
                                         struct store_participant **v, size_t *n,
                                         struct forum_error *err);
enum forum_status store_participant_get(struct store *s, const char *eid, const char *pid,
                                        struct store_participant *out,
                                        struct forum_error *err);
enum forum_status store_participant_update(struct store *s, const char *eid,
                                           const struct store_participant *p,
                                           struct forum_error *err);
/* OUT: n, how many participants event eid has. */
enum forum_status store_participant_count(struct store *s, const char *eid, long *n,
                                          struct forum_error *err);

/*
 * Removes participant pid of event eid (docs/decisions/0013): their tokens
 * and calendar feed stop working, their votes, needs and unavailability go,
 * they stop hosting, and the topics they hosted alone are deleted with the
 * votes cast for them; topics with another host stay. Published versions
 * are immutable and keep what they showed. One transaction. OUT: topics
 * (appended: the ids of the topics deleted; may be NULL), votes (how many
 * of their votes were deleted).
 */
enum forum_status store_participant_delete(struct store *s, const char *eid,
                                           const char *pid, struct store_strv *topics,
                                           long *votes, struct forum_error *err);

/*
 * Fills out (STORE_TOKEN_LEN + 1 bytes) with the read-only calendar feed
 * secret of the participant whose token is token: a one-way function of the
 * token, so the feed link can be shown again to its holder but never gives
 * the token away.
 */
void store_feed_secret(const char *token, char *out);

/* ---- topics -------------------------------------------------------------- */

struct store_topic {
    char *id;
    char *title;
    char *description;
    char *theme;
    struct store_strv needs;
    long max_size;    /* 0 = no limit */
    char *fixed_room; /* NULL, or with fixed_slot a locked placement */
    char *fixed_slot;
    struct store_strv host_ids;   /* in the order they were added */
    struct store_strv host_names; /* parallel to host_ids */
    long vote_count;              /* read only: votes cast for it */
    long vote_weight;             /* read only: their total weight */
    char *block_id;               /* the block it belongs to, or NULL */
    /* Parallel groups (ALLOCATOR.md, Groups): groups_max 0 = an ordinary
     * topic; otherwise 1..100 groups of group_size_min..group_size_max. */
    long groups_max;
    long group_size_min;
    long group_size_max;
    bool cancelled; /* read only: cancelled on the day (store_topic_set_cancelled()) */
    long position;  /* read only: its place in the order of topics (restore keeps it) */
    /* Write only (store_topic_update): replace the hosts with host_ids. */
    bool hosts_set;
};

void store_topic_release(struct store_topic *t);
void store_topics_free(struct store_topic *v, size_t n);

enum forum_status store_topic_list(struct store *s, const char *eid,
                                   struct store_topic **v, size_t *n,
                                   struct forum_error *err);
enum forum_status store_topic_get(struct store *s, const char *eid, const char *tid,
                                  struct store_topic *out, struct forum_error *err);
/* Creates t with t->host_ids as hosts (participants of eid). OUT: id. */
enum forum_status store_topic_create(struct store *s, const char *eid,
                                     const struct store_topic *t, char *id,
                                     struct forum_error *err);
/*
 * Writes title, description, theme, needs, max_size, fixed, block and groups
 * of t, and its hosts (host_ids) when t->hosts_set (otherwise they stay).
 * FORUM_EINVAL with field "block" for a block of another event or one that
 * is not allocated (a plenary, a break), "hosts" for a host of another
 * event, "fixed" for a cell of another event.
 */
enum forum_status store_topic_update(struct store *s, const char *eid,
                                     const struct store_topic *t,
                                     struct forum_error *err);
enum forum_status store_topic_delete(struct store *s, const char *eid, const char *tid,
                                     struct forum_error *err);
/*
 * Puts back topic t (a copy read before it was deleted) under its own id
 * t->id, at its place in the order of topics when it is free, with its
 * needs, hosts (those still in the event: host_ids must name only those),
 * lock and cancelled mark; its votes are the caller's.
 * FORUM_ECONFLICT when a topic with that id exists.
 */
enum forum_status store_topic_restore(struct store *s, const char *eid,
                                      const struct store_topic *t,
                                      struct forum_error *err);
/* Marks topic tid cancelled (it leaves the allocation problem) or not. */
enum forum_status store_topic_set_cancelled(struct store *s, const char *eid,
                                            const char *tid, bool cancelled,
                                            struct forum_error *err);
/* OUT: is_host, whether participant pid hosts topic tid. */
enum forum_status store_topic_is_host(struct store *s, const char *tid, const char *pid,
                                      bool *is_host, struct forum_error *err);

/* ---- votes --------------------------------------------------------------- */

struct store_vote {
    char *participant_id;
    char *topic_id;
    long weight;
};

void store_votes_free(struct store_vote *v, size_t n);

/*
 * Sets participant pid's vote for topic tid (both of event eid) to weight.
 * With budget > 0, FORUM_ECONFLICT (field "weight") when the participant's
 * total weight would pass it; the check and the write are one transaction.
 */
enum forum_status store_vote_put(struct store *s, const char *eid, const char *pid,
                                 const char *tid, long weight, long budget,
                                 struct forum_error *err);
/* FORUM_ENOTFOUND when there was no such vote. */
enum forum_status store_vote_delete(struct store *s, const char *eid, const char *pid,
                                    const char *tid, struct forum_error *err);
/* OUT: the votes of participant pid, or of every participant of eid when pid is NULL. */
enum forum_status store_vote_list(struct store *s, const char *eid, const char *pid,
                                  struct store_vote **v, size_t *n,
                                  struct forum_error *err);

struct store_clash {
    char *a;
    char *b;
    long shared;
};

void store_clashes_free(struct store_clash *v, size_t n);

/* OUT: up to limit topic pairs of eid, most shared voters first. */
enum forum_status store_clash_list(struct store *s, const char *eid, long limit,
                                   struct store_clash **v, size_t *n,
                                   struct forum_error *err);

/* ---- allocations and schedules ------------------------------------------------ */

struct store_allocation {
    char *id;
    char *created_at;
    char *solution; /* the solver's JSON document, as api/ gave it */
    long satisfied;
    long bound; /* -1 when unknown */
    long scheduled;
    long published; /* the schedule version it became, 0 for a draft */
    /* What it was made from (store_allocation_create() keeps them): the
     * latest published version then (0 before the first; -1 for a draft made
     * before these were kept: not checked), the newest change of the day in
     * effect then (0: none; -1: not kept), and the slots it left as that
     * version published them (a JSON array of slot ids; "[]" when none). */
    long base_version;
    long plan_seq;
    char *kept_slots;
};

void store_allocation_release(struct store_allocation *a);
void store_allocations_free(struct store_allocation *v, size_t n);

/* Keeps a draft (a->id, a->created_at and a->published ignored; kept_slots
 * NULL means "[]"). OUT: id. */
enum forum_status store_allocation_create(struct store *s, const char *eid,
                                          const struct store_allocation *a, char *id,
                                          struct forum_error *err);
/* OUT: v, n, newest first; with_solution false leaves every solution NULL. */
enum forum_status store_allocation_list(struct store *s, const char *eid,
                                        bool with_solution, struct store_allocation **v,
                                        size_t *n, struct forum_error *err);
enum forum_status store_allocation_get(struct store *s, const char *eid, const char *aid,
                                       struct store_allocation *out,
                                       struct forum_error *err);
/* Drops a draft; FORUM_ECONFLICT when it was published (published ones are kept). */
enum forum_status store_allocation_delete(struct store *s, const char *eid,
                                          const char *aid, struct forum_error *err);

/* One session of a published version: a topic (or one of its groups), a
 * plenary or a break. Its identity across versions is id. */
struct store_session {
    char *id;       /* the topic's id (group 1), "<topic>-<group>", or the block's id */
    char *topic_id; /* NULL for a plenary or a break */
    long group;     /* 1, 2, ... */
    char *block_id; /* NULL when the event had no blocks */
    char *kind;     /* its block's kind; "forum" without a block */
    char *room_id;  /* NULL for a break without a room */
    char *slot_id;  /* its (first) slot */
    char *title;    /* as published */
    char *theme;
    char *starts_at; /* as published (a plenary over several slots: the block's span) */
    char *ends_at;
    long seats;    /* people seated (a plenary: every participant) */
    long sequence; /* iCalendar SEQUENCE (store_schedule_insert() sets it) */
    bool everyone; /* everyone's agenda holds it (a plenary, a break) */
    long groups;   /* read only: its topic's sessions in the version (1 if none) */
    struct store_strv hosts;     /* host names, as published */
    struct store_strv attendees; /* participant ids (STORE_SCHEDULE_ATTENDEES) */
};

/* The grid of a version as it was published. */
struct store_version_slot {
    char *id, *label, *starts_at, *ends_at;
    char *block_id; /* NULL: in no block */
};
struct store_version_room {
    char *id, *name;
    char *url; /* NULL: not online */
};
struct store_version_block {
    char *id, *name, *kind, *title;
    char *room_id; /* a plenary's or a break's room, or NULL */
};

struct store_schedule {
    long version; /* 1, 2, ... */
    char *allocation_id;
    char *published_at;               /* RFC 3339 UTC */
    char *timezone;                   /* the event's zone when it was published */
    struct store_version_slot *slots; /* chronological */
    size_t n_slots;
    struct store_version_room *rooms; /* in the event's order */
    size_t n_rooms;
    struct store_version_block *blocks; /* in the order of the day */
    size_t n_blocks;
    struct store_session *sessions; /* by start, then room order, then group */
    size_t n_sessions;
};

void store_session_release(struct store_session *x);
/* Frees everything sc owns (NULL-safe arrays); sc is empty afterwards. */
void store_schedule_release(struct store_schedule *sc);

/* What store_schedule_get() loads beside the sessions and their hosts. */
enum store_schedule_what {
    STORE_SCHEDULE_GRID = 1u << 0,      /* slots, rooms and blocks */
    STORE_SCHEDULE_ATTENDEES = 1u << 1, /* who sits in each session */
};

/*
 * OUT: sc, version `version` of event eid (0: the latest) with its sessions
 * and their hosts, plus what `what` asks for. With pid, only the sessions
 * participant pid attends and those for everyone (one person's agenda).
 * FORUM_ENOTFOUND before the first publication, or for a version that does
 * not exist. Release sc with store_schedule_release().
 */
enum forum_status store_schedule_get(struct store *s, const char *eid, long version,
                                     const char *pid, unsigned what,
                                     struct store_schedule *sc, struct forum_error *err);
/* OUT: version, the latest published version of eid, 0 before the first. */
enum forum_status store_schedule_latest_version(struct store *s, const char *eid,
                                                long *version, struct forum_error *err);
/*
 * Publishes sc as version sc->version of eid with allocation
 * sc->allocation_id, its grid and its sessions (hosts, attendees), in one
 * transaction. Fills each session's sequence (OUT) from the rows of its
 * identity in earlier versions: 0 the first time; the previous version's
 * plus one when its time or room changed; when it had been dropped since,
 * the last one's plus two (the cancellation raised it once). FORUM_ECONFLICT
 * if that version exists already (someone published meanwhile) or the
 * allocation is published already; published versions never change.
 */
enum forum_status store_schedule_insert(struct store *s, const char *eid,
                                        struct store_schedule *sc,
                                        struct forum_error *err);

/*
 * OUT: version, the latest version of eid in which the session identity sid
 * (a topic's id, "<topic>-<group>", a plenary's or a break's block id) was
 * published. FORUM_ENOTFOUND when it never was.
 */
enum forum_status store_session_last_version(struct store *s, const char *eid,
                                             const char *sid, long *version,
                                             struct forum_error *err);

/* ---- session notes ------------------------------------------------------------- */

/* The revisions of a session's notes kept: older ones are dropped. */
#define STORE_NOTES_KEEP 50
/* A save by the author of the last revision within this many seconds of its
 * first save updates that revision instead of adding one. */
#define STORE_NOTES_JOIN_S 600

/*
 * A session's notes, or one of their revisions. The notes belong to the
 * session identity (its id across versions), not to a published version.
 */
struct store_notes {
    char *session_id;
    long rev;          /* counts every save (the ETag); 0: no notes yet */
    char *author_id;   /* who saved it: a participant's id, or NULL (the facilitator) */
    char *author_name; /* their name when they saved it; "" for the facilitator */
    char *started_at;  /* the revision's first save (RFC 3339 UTC); NULL at rev 0 */
    char *saved_at;    /* its last save */
    long attendance;   /* how many came; -1: not said */
    char *names;       /* names written down (plain text); never NULL once read */
    char *key_points;  /* CommonMark */
    char *proposals;   /* CommonMark: proposals and next steps */
    char *follow_up;   /* CommonMark: who follows up and how to reach them */
};

/* Frees what x owns; x reads as empty (attendance -1) afterwards. */
void store_notes_release(struct store_notes *x);
void store_notes_free(struct store_notes *v, size_t n);

/* OUT: out, the notes of session sid of eid as they are: revision 0 with
 * empty texts when there are none yet. */
enum forum_status store_notes_get(struct store *s, const char *eid, const char *sid,
                                  struct store_notes *out, struct forum_error *err);
/*
 * Saves in (attendance, names, the three texts; author_id and author_name
 * say who) as the notes of sid, in one transaction, when their revision is
 * still if_rev (0: there were none): as a new revision, or over the last
 * one when it is the same author's and began at most STORE_NOTES_JOIN_S
 * seconds before now; then drops all but the last STORE_NOTES_KEEP. now is
 * the time of the save (NULL: the clock). FORUM_ECONFLICT (field
 * "If-Match") when the revision is another: nothing is written. Either way
 * OUT: out, the notes as they are after the call (release it).
 */
enum forum_status store_notes_put(struct store *s, const char *eid, const char *sid,
                                  long if_rev, const struct store_notes *in,
                                  const char *now, struct store_notes *out,
                                  struct forum_error *err);
/* OUT: v, n, the revisions of sid kept, newest first (free with store_notes_free()). */
enum forum_status store_notes_revisions(struct store *s, const char *eid, const char *sid,
                                        struct store_notes **v, size_t *n,
                                        struct forum_error *err);
/* OUT: out, revision rev of sid; FORUM_ENOTFOUND when it is not kept. */
enum forum_status store_notes_revision(struct store *s, const char *eid, const char *sid,
                                       long rev, struct store_notes *out,
                                       struct forum_error *err);
/* OUT: v, n, the notes as they are of every session of eid that has some,
 * by session id. */
enum forum_status store_notes_list(struct store *s, const char *eid,
                                   struct store_notes **v, size_t *n,
                                   struct forum_error *err);

/* Someone who says they were at a session, and agrees to be named. */
struct store_presence {
    char *session_id;
    char *participant_id;
    char *name; /* the participant's name as it is now */
};

void store_presences_free(struct store_presence *v, size_t n);

/* Says (present) or takes back that participant pid was at session sid. */
enum forum_status store_presence_set(struct store *s, const char *eid, const char *sid,
                                     const char *pid, bool present,
                                     struct forum_error *err);
/* OUT: v, n, who was at session sid (NULL: at every session) of eid, by
 * session then name. */
enum forum_status store_presence_list(struct store *s, const char *eid, const char *sid,
                                      struct store_presence **v, size_t *n,
                                      struct forum_error *err);

/* ---- the day after a publication: changes and the marketplace ------------------ */

/*
 * One change of the day (docs/api.md, Changes of the day), numbered per
 * event 1, 2, ...: the highest number is the plan's revision. summary and
 * undo are JSON documents the API writes and reads (the store keeps them as
 * text): what the change did, and what it replaced.
 */
struct store_change {
    long seq;
    char *kind;  /* "cancel", "merge", "move", "close_room", "add_topic", "undo" */
    char *state; /* "pending", "undone", "published" */
    char *summary;
    char *undo;
    long base_version; /* the latest published version when it was made */
    char *created_at;
    long published_in; /* the version whose publication closed it; 0 while open */
};

void store_change_release(struct store_change *c);
void store_changes_free(struct store_change *v, size_t n);

/* Records a change of eid as the next number (pending). OUT: seq. */
enum forum_status store_change_add(struct store *s, const char *eid, const char *kind,
                                   const char *summary, const char *undo,
                                   long base_version, long *seq, struct forum_error *err);
/* OUT: v, n: the changes no publication has closed yet (pending and undone), in order. */
enum forum_status store_change_list_open(struct store *s, const char *eid,
                                         struct store_change **v, size_t *n,
                                         struct forum_error *err);
/* OUT: v, n: every change numbered after `after`, in order. */
enum forum_status store_change_list_after(struct store *s, const char *eid, long after,
                                          struct store_change **v, size_t *n,
                                          struct forum_error *err);
/* OUT: out, change seq of eid (release it). FORUM_ENOTFOUND when there is none. */
enum forum_status store_change_get(struct store *s, const char *eid, long seq,
                                   struct store_change *out, struct forum_error *err);
/*
 * OUT: revision, the number of the latest change of eid (0: none); head, the
 * newest operation in effect (not an undo, not undone; 0: none): the state
 * of the event that a draft records in plan_seq.
 */
enum forum_status store_change_state(struct store *s, const char *eid, long *revision,
                                     long *head, struct forum_error *err);
/* Marks pending change seq undone; FORUM_ENOTFOUND when it is not pending. */
enum forum_status store_change_undone(struct store *s, const char *eid, long seq,
                                      struct forum_error *err);
/* Closes every open change of eid with the publication of version: the
 * pending ones become published, the undone ones stay undone. */
enum forum_status store_change_published(struct store *s, const char *eid, long version,
                                         struct forum_error *err);

/* The marketplace of an event (at most one). */
struct store_marketplace {
    char *block_id;     /* its block; NULL when the block was deleted */
    char *phase;        /* "proposals", "vote" or "closed" */
    char *vote_ends_at; /* the end of the vote window (UTC), or NULL */
    char *changed_at;   /* when the phase last changed (NULL on write: now) */
};

void store_marketplace_release(struct store_marketplace *m);
/* OUT: out. FORUM_ENOTFOUND when the event never had one. */
enum forum_status store_marketplace_get(struct store *s, const char *eid,
                                        struct store_marketplace *out,
                                        struct forum_error *err);
/* Writes m as eid's marketplace. FORUM_EINVAL (field "block") for a block of
 * another event. */
enum forum_status store_marketplace_put(struct store *s, const char *eid,
                                        const struct store_marketplace *m,
                                        struct forum_error *err);

/* Fills out (21 bytes) with the current UTC time as "YYYY-MM-DDTHH:MM:SSZ",
 * from the daemon's clock (forum_clock_now(): --now shifts it). */
void store_now(char *out);

#endif /* FORUM_STORE_H */
