/* SPDX-License-Identifier: MIT */
/*
 * The route table: every endpoint as data (method, path pattern, handler,
 * role, what dispatch does around it, body limit, metrics name), as in
 * tmux's cmd_entry. Order matters only for the Allow header; patterns do
 * not overlap.
 *
 * Flags (internal.h): STORE opens the thread's connection, EVENT loads the
 * path's event, WRITES runs the handler under the write mutex and counts
 * the write limit, QUEUES counts the write limit for work done later.
 */
#include "internal.h"

#define E "/api/v1/events/*"
#define SMALL API_SMALL_BODY
/* A topic at its limits in characters fits even with every character escaped
 * as a JSON surrogate pair (12 bytes): 4000 of description, 200 of title, 100
 * of theme. */
#define TOPIC_BODY (56 * 1024)

/* The usual combinations. */
#define READ (API_STORE | API_EVENT)
#define WRITE (API_STORE | API_EVENT | API_WRITES)

const struct api_route api_routes[] = {
    {API_GET, "/healthz", api__health, API_ROLE_ANYONE, API_STORE, 0, "healthz"},
    {API_POST, "/api/v1/events", api__event_create, API_ROLE_ADMIN,
     API_STORE | API_WRITES, SMALL, "event_create"},
    {API_GET, "/api/v1/events", api__event_list, API_ROLE_ADMIN, API_STORE, 0,
     "event_list"},
    {API_GET, "/api/v1/limits", api__limits, API_ROLE_ANYONE, 0, 0, "limits"},
    {API_DELETE, E, api__event_delete, API_ROLE_ADMIN, WRITE, 0, "event_delete"},
    {API_POST, E "/copy", api__event_copy, API_ROLE_ADMIN, WRITE, SMALL, "event_copy"},
    {API_POST, E "/facilitator_token", api__event_facilitator, API_ROLE_ADMIN, WRITE,
     SMALL, "facilitator_token"},
    {API_GET, E, api__event_get, API_ROLE_OPTIONAL, READ, 0, "event_get"},
    {API_PATCH, E, api__event_patch, API_ROLE_FACILITATOR, WRITE, SMALL, "event_patch"},
    {API_GET, "/api/v1/join/*", api__join_get, API_ROLE_ANYONE, API_STORE, 0, "join"},

    {API_GET, E "/slots", api__slot_list, API_ROLE_ANYONE, READ, 0, "slot_list"},
    {API_POST, E "/slots", api__slot_create, API_ROLE_FACILITATOR, WRITE, SMALL,
     "slot_create"},
    {API_PATCH, E "/slots/*", api__slot_patch, API_ROLE_FACILITATOR, WRITE, SMALL,
     "slot_patch"},
    {API_DELETE, E "/slots/*", api__slot_delete, API_ROLE_FACILITATOR, WRITE, 0,
     "slot_delete"},

    {API_GET, E "/rooms", api__room_list, API_ROLE_ANYONE, READ, 0, "room_list"},
    {API_POST, E "/rooms", api__room_create, API_ROLE_FACILITATOR, WRITE, SMALL,
     "room_create"},
    {API_PATCH, E "/rooms/*", api__room_patch, API_ROLE_FACILITATOR, WRITE, SMALL,
     "room_patch"},
    {API_DELETE, E "/rooms/*", api__room_delete, API_ROLE_FACILITATOR, WRITE, 0,
     "room_delete"},

    {API_GET, E "/blocks", api__block_list, API_ROLE_ANYONE, READ, 0, "block_list"},
    {API_POST, E "/blocks", api__block_create, API_ROLE_FACILITATOR, WRITE, SMALL,
     "block_create"},
    {API_GET, E "/blocks/*", api__block_get, API_ROLE_ANYONE, READ, 0, "block_get"},
    {API_PATCH, E "/blocks/*", api__block_patch, API_ROLE_FACILITATOR, WRITE, SMALL,
     "block_patch"},
    {API_DELETE, E "/blocks/*", api__block_delete, API_ROLE_FACILITATOR, WRITE, 0,
     "block_delete"},

    {API_POST, E "/participants", api__participant_create, API_ROLE_OPTIONAL, WRITE,
     SMALL, "participant_create"},
    {API_GET, E "/participants", api__participant_list, API_ROLE_FACILITATOR, READ, 0,
     "participant_list"},
    {API_DELETE, E "/participants/*", api__participant_delete, API_ROLE_FACILITATOR,
     WRITE, 0, "participant_delete"},
    {API_GET, E "/me", api__me_get, API_ROLE_PARTICIPANT, READ, 0, "me_get"},
    {API_PATCH, E "/me", api__me_patch, API_ROLE_PARTICIPANT, WRITE, SMALL, "me_patch"},
    {API_GET, E "/me/votes", api__me_votes, API_ROLE_PARTICIPANT, READ, 0, "me_votes"},
    {API_GET, E "/me/agenda", api__me_agenda, API_ROLE_PARTICIPANT, READ, 0, "me_agenda"},
    {API_GET, E "/agenda/*", api__feed_ics, API_ROLE_ANYONE, READ, 0, "agenda_feed"},

    {API_GET, E "/topics", api__topic_list, API_ROLE_OPTIONAL, READ, 0, "topic_list"},
    {API_POST, E "/topics", api__topic_create, API_ROLE_MEMBER, WRITE, TOPIC_BODY,
     "topic_create"},
    {API_GET, E "/topics/*", api__topic_get, API_ROLE_OPTIONAL, READ, 0, "topic_get"},
    {API_PATCH, E "/topics/*", api__topic_patch, API_ROLE_MEMBER, WRITE, TOPIC_BODY,
     "topic_patch"},
    {API_DELETE, E "/topics/*", api__topic_delete, API_ROLE_MEMBER, WRITE, 0,
     "topic_delete"},
    {API_PUT, E "/topics/*/vote", api__vote_put, API_ROLE_PARTICIPANT, WRITE, SMALL,
     "vote_put"},
    {API_DELETE, E "/topics/*/vote", api__vote_delete, API_ROLE_PARTICIPANT, WRITE, 0,
     "vote_delete"},
    {API_GET, E "/clashes", api__clashes, API_ROLE_FACILITATOR, READ, 0, "clashes"},

    {API_GET, E "/allocation/problem", api__problem_get, API_ROLE_FACILITATOR, READ, 0,
     "problem"},
    /* Reads the event in one snapshot and queues: never holds the write mutex
     * while the event is serialised; the worker holds it to store the draft. */
    {API_POST, E "/allocation", api__allocation_post, API_ROLE_FACILITATOR,
     READ | API_QUEUES, SMALL, "allocate"},
    {API_GET, E "/allocations", api__allocation_list, API_ROLE_FACILITATOR, READ, 0,
     "allocation_list"},
    {API_GET, E "/allocations/*", api__allocation_get, API_ROLE_FACILITATOR, READ, 0,
     "allocation_get"},
    {API_DELETE, E "/allocations/*", api__allocation_delete, API_ROLE_FACILITATOR, WRITE,
     0, "allocation_delete"},
    {API_POST, E "/schedule/publish", api__publish, API_ROLE_FACILITATOR, WRITE, SMALL,
     "publish"},
    /* The wall's hot path: served from the cache, the connection opened (and
     * the event checked) only on a miss. */
    {API_GET, E "/schedule", api__schedule_get, API_ROLE_ANYONE, 0, 0, "schedule"},
    {API_GET, E "/schedule.ics", api__schedule_ics, API_ROLE_ANYONE, READ, 0,
     "schedule_ics"},
    {API_GET, E "/schedule.csv", api__schedule_csv, API_ROLE_ANYONE, READ, 0,
     "schedule_csv"},

    /* The day after a publication: the changes of the day (each recorded with
     * its undo, guarded by If-Match) and the marketplace. */
    {API_GET, E "/changes", api__changes_get, API_ROLE_FACILITATOR, READ, 0, "changes"},
    {API_POST, E "/changes/cancel", api__op_cancel, API_ROLE_FACILITATOR, WRITE, SMALL,
     "change_cancel"},
    {API_POST, E "/changes/merge", api__op_merge, API_ROLE_FACILITATOR, WRITE, SMALL,
     "change_merge"},
    {API_POST, E "/changes/move", api__op_move, API_ROLE_FACILITATOR, WRITE, SMALL,
     "change_move"},
    {API_POST, E "/changes/close_room", api__op_close_room, API_ROLE_FACILITATOR, WRITE,
     SMALL, "change_close_room"},
    {API_POST, E "/changes/topic", api__op_topic, API_ROLE_FACILITATOR, WRITE, TOPIC_BODY,
     "change_topic"},
    {API_POST, E "/changes/*/undo", api__change_undo, API_ROLE_FACILITATOR, WRITE, 0,
     "change_undo"},
    {API_GET, E "/marketplace", api__marketplace_get, API_ROLE_ANYONE, READ, 0,
     "marketplace"},
    {API_PUT, E "/marketplace", api__marketplace_put, API_ROLE_FACILITATOR, WRITE, SMALL,
     "marketplace_put"},
    {API_GET, E "/manifest.webmanifest", api__manifest_participant, API_ROLE_ANYONE, READ,
     0, "manifest"},
    {API_GET, E "/wall.webmanifest", api__manifest_wall, API_ROLE_ANYONE, READ, 0,
     "manifest_wall"},

    /* The harvest: notes by session identity, the proceedings, QR codes. */
    {API_GET, E "/sessions/*/notes", api__notes_get, API_ROLE_OPTIONAL, READ, 0,
     "notes_get"},
    {API_PUT, E "/sessions/*/notes", api__notes_put, API_ROLE_MEMBER, WRITE,
     API_NOTES_BODY, "notes_put"},
    {API_GET, E "/sessions/*/notes/revisions", api__notes_revisions, API_ROLE_OPTIONAL,
     READ, 0, "notes_revisions"},
    {API_GET, E "/sessions/*/notes/revisions/*", api__notes_revision, API_ROLE_OPTIONAL,
     READ, 0, "notes_revision"},
    {API_PUT, E "/sessions/*/presence", api__presence_put, API_ROLE_PARTICIPANT, WRITE, 0,
     "presence_put"},
    {API_DELETE, E "/sessions/*/presence", api__presence_delete, API_ROLE_PARTICIPANT,
     WRITE, 0, "presence_delete"},
    {API_GET, E "/proceedings.json", api__proceedings_json, API_ROLE_OPTIONAL, READ, 0,
     "proceedings_json"},
    {API_GET, E "/proceedings.md", api__proceedings_md, API_ROLE_OPTIONAL, READ, 0,
     "proceedings_md"},
    {API_GET, E "/qr.svg", api__qr_svg, API_ROLE_ANYONE, READ, 0, "qr"},
};

const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);
