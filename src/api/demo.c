/* SPDX-License-Identifier: MIT */
/*
 * The demo event, shaped like the Bigre! Rencontre.s day: rooms (one of
 * them online, one not step-free), slots over two half-days, the four
 * themes, about thirty participants with votes, twenty topics and a first
 * published schedule, so that every page shows something at once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/buf.h"
#include "forum/util/mem.h"
#include "internal.h"

#define S(x) ((char *)(uintptr_t)(x))

static const struct {
    const char *name;
    long capacity;
    const char *features; /* comma-separated */
} demo_rooms[] = {
    {"Grande salle", 60, "accessible,projector"},
    {"Salle Coopaname", 14, "accessible"},
    {"Salle Oxalis", 12, "accessible,projector"},
    {"Atelier de la Manufacture (étage, sans ascenseur)", 10, ""},
    {"Jardin", 16, "accessible"},
    {"Salle en ligne (visio)", 25, "online"},
};

/* Two half-days, Paris time (UTC+2 in September). */
static const struct {
    const char *label, *from, *to;
} demo_slots[] = {
    {"Jeu. 14h00 · Co-accompagnement", "2025-09-18T12:00:00Z", "2025-09-18T13:15:00Z"},
    {"Jeu. 15h30 · Forum ouvert", "2025-09-18T13:30:00Z", "2025-09-18T14:45:00Z"},
    {"Jeu. 17h00 · Forum ouvert", "2025-09-18T15:00:00Z", "2025-09-18T16:00:00Z"},
    {"Ven. 9h30 · Vie coopérative", "2025-09-19T07:30:00Z", "2025-09-19T08:45:00Z"},
    {"Ven. 11h00 · Vie coopérative", "2025-09-19T09:00:00Z", "2025-09-19T10:00:00Z"},
    {"Ven. 12h00 · Temps fort", "2025-09-19T10:00:00Z", "2025-09-19T11:00:00Z"},
};

static const struct {
    const char *title, *theme, *needs, *description;
    long max_size;
} demo_topics[] = {
    {"Le rapport à l'argent", "Le commercial", "",
     "Comment travailler sur notre rapport à "
     "l'argent, seul·e et en collectif ?",
     0},
    {"Surmonter le syndrome de l'imposteur", "Le commercial", "", "", 12},
    {"Savoir dire non à sa clientèle", "Le commercial", "", "", 0},
    {"Défendre son prix de vente", "Le commercial", "projector", "", 0},
    {"Prospecter autrement, à plusieurs", "Le commercial", "", "", 0},
    {"Quand la clientèle devient prescriptrice", "Le commercial", "", "", 0},
    {"Moins dépendre des ventes", "Faire avec moins", "", "", 0},
    {"Sobriété choisie : transformer nos modes de vie", "Faire avec moins", "", "", 0},
    {"Augmenter le chiffre d'affaires ou moins consommer ?", "Faire avec moins", "", "",
     0},
    {"Anticiper les 2-3 prochaines années", "Les crises / anticiper", "", "", 0},
    {"L'ESS face aux crises qui se cumulent", "Les crises / anticiper", "projector", "",
     0},
    {"Se mettre en action collectivement", "Les crises / anticiper", "", "", 0},
    {"Inclusion et handicap : tenir le cap", "Les crises / anticiper", "", "", 0},
    {"Communautés de praticien·nes", "Coopération", "", "", 0},
    {"Du « je » au « nous »", "Coopération", "", "", 0},
    {"Désaccords, médiation et prévention des conflits", "Coopération", "", "", 10},
    {"Répartir le travail sans hiérarchie", "Coopération", "", "", 0},
    {"Redistribuer la richesse créée ensemble", "Coopération", "", "", 0},
    {"Co-développement : une séance pour essayer", "Coopération", "", "", 8},
    {"Présentation du programme (visio)", "Coopération", "online", "", 0},
};

static const char *const demo_people[] = {
    "Amina",   "Bastien", "Camille", "Dominique", "Élise",   "Farid",
    "Gaëlle",  "Hugo",    "Inès",    "Jules",     "Karima",  "Léo",
    "Maëlle",  "Nadir",   "Océane",  "Pascal",    "Quentin", "Rose",
    "Sami",    "Téa",     "Ulysse",  "Victor",    "Wassila", "Xavier",
    "Yasmine", "Zoé",     "Anouk",   "Bérénice",  "Clément", "Djamila",
};

/* Splits a comma-separated list into sv. */
static void split(const char *list, struct store_strv *sv)
{
    char item[64];
    const char *p = list;

    while (*p) {
        size_t n = strcspn(p, ",");
        if (n > 0 && n < sizeof(item)) {
            memcpy(item, p, n);
            item[n] = '\0';
            store_strv_push(sv, item);
        }
        p += n;
        if (*p == ',')
            p++;
    }
}

/* A small deterministic generator, so every demo is the same. */
static uint32_t next(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return *state >> 8;
}

static enum forum_status create(struct api *api, struct store *s, char *eid, char *token,
                                struct forum_error *err)
{
    struct store_event e;
    char rooms[6][STORE_ID_MAX + 1], slots[6][STORE_ID_MAX + 1];
    char people[30][STORE_ID_MAX + 1], topics[21][STORE_ID_MAX + 1];
    char ptok[STORE_TOKEN_LEN + 1], aid[STORE_ID_MAX + 1];
    enum forum_status rc;
    uint32_t seed = 2025;
    json_t *problem;
    char *text, *solution = NULL;
    long version;

    memset(&e, 0, sizeof(e));
    e.name = S("Bigre! Rencontre.s 2025");
    e.timezone = S("Europe/Paris");
    e.locale = S("fr");
    e.join_code = S("BIGRE2025");
    e.max_weight = 3;
    e.vote_budget = 8;
    e.proposals_open = true;
    e.voting_open = true;
    e.show_tallies = true;
    rc = store_event_create(s, &e, eid, token, err);
    for (size_t i = 0; rc == FORUM_OK && i < 6; i++) {
        struct store_slot sl = {NULL, S(demo_slots[i].label), S(demo_slots[i].from),
                                S(demo_slots[i].to)};
        rc = store_slot_create(s, eid, &sl, slots[i], err);
    }
    for (size_t i = 0; rc == FORUM_OK && i < 6; i++) {
        struct store_room r;
        memset(&r, 0, sizeof(r));
        r.name = S(demo_rooms[i].name);
        r.capacity = demo_rooms[i].capacity;
        split(demo_rooms[i].features, &r.features);
        /* The Grande salle hosts the plenary first thing on Friday. */
        if (i == 0)
            store_strv_push(&r.unavailable, slots[3]);
        rc = store_room_create(s, eid, &r, rooms[i], err);
        store_strv_release(&r.features);
        store_strv_release(&r.unavailable);
    }
    for (size_t i = 0; rc == FORUM_OK && i < 30; i++) {
        struct store_participant p;
        memset(&p, 0, sizeof(p));
        p.name = S(demo_people[i]);
        if (i == 3 || i == 17)
            store_strv_push(&p.needs, "accessible");
        if (i == 8) /* leaves on Thursday evening */
            for (size_t k = 3; k < 6; k++)
                store_strv_push(&p.unavailable, slots[k]);
        rc = store_participant_create(s, eid, &p, people[i], ptok, err);
        store_strv_release(&p.needs);
        store_strv_release(&p.unavailable);
    }
    for (size_t i = 0; rc == FORUM_OK && i < 21; i++) {
        struct store_topic t;
        memset(&t, 0, sizeof(t));
        if (i < 20) {
            t.title = S(demo_topics[i].title);
            t.theme = S(demo_topics[i].theme);
            t.description = S(demo_topics[i].description);
            t.max_size = demo_topics[i].max_size;
            split(demo_topics[i].needs, &t.needs);
            store_strv_push(&t.host_ids, people[(i * 7) % 30]);
            if (i % 5 == 0)
                store_strv_push(&t.host_ids, people[(i * 7 + 11) % 30]);
        } else {
            t.title = S("Temps fort : la radicalité joyeuse");
            t.theme = S("Coopération");
            t.description =
                S("Proposé par Coopaname, Oxalis et La Manufacture coopérative.");
        }
        rc = store_topic_create(s, eid, &t, topics[i], err);
        store_strv_release(&t.needs);
        store_strv_release(&t.host_ids);
        if (rc == FORUM_OK && i == 20) {
            t.id = topics[i];
            t.fixed_room = rooms[0];
            t.fixed_slot = slots[5];
            rc = store_topic_update(s, eid, &t, err);
        }
    }
    for (size_t i = 0; rc == FORUM_OK && i < 30; i++) {
        long used = 0;
        for (int k = 0; k < 5 && rc == FORUM_OK; k++) {
            size_t tix = next(&seed) % 21;
            long w = 1 + (long)(next(&seed) % 3);
            if (used + w > e.vote_budget)
                break;
            rc = store_vote_put(s, eid, people[i], topics[tix], w, e.vote_budget, err);
            if (rc == FORUM_OK)
                used += w;
        }
    }
    if (rc != FORUM_OK)
        return rc;
    rc = api__problem_build(s, eid, &problem, err);
    if (rc != FORUM_OK)
        return rc;
    text = json_dumps(problem, JSON_COMPACT);
    json_decref(problem);
    rc = api__solve_and_store(s, eid, text, strlen(text), 1000, &api->stop_now, NULL, aid,
                              &solution, err);
    free(text);
    free(solution);
    if (rc == FORUM_OK)
        rc = api__publish_allocation(api, s, eid, aid, &version, err);
    return rc;
}

enum forum_status api_demo(struct api *api, char **links_out, struct forum_error *err)
{
    struct store *s = api__store(api, err);
    char eid[STORE_ID_MAX + 1], token[STORE_TOKEN_LEN + 1] = "";
    struct store_event e;
    enum forum_status rc;
    struct buf b;
    bool fresh = false;

    *links_out = NULL;
    if (s == NULL)
        return FORUM_ESTORE;
    rc = store_event_first(s, eid, err);
    if (rc == FORUM_ENOTFOUND) {
        forum_error_clear(err);
        rc = create(api, s, eid, token, err);
        fresh = rc == FORUM_OK;
    }
    if (rc != FORUM_OK)
        return rc;
    rc = store_event_get(s, eid, &e, err);
    if (rc != FORUM_OK)
        return rc;
    buf_init(&b, 64 * 1024);
    buf_printf(&b, "forumd demo: %s\n", e.name);
    buf_printf(&b, "  participants: %s/e/%s\n", api->public_url, eid);
    if (fresh)
        buf_printf(&b, "  facilitator:  %s/e/%s/facilitate#token=%s\n", api->public_url,
                   eid, token);
    else
        buf_printf(
            &b,
            "  facilitator:  %s/e/%s/facilitate\n"
            "                (the facilitator token was printed when the event was "
            "created;\n                 it is stored hashed and cannot be shown "
            "again)\n",
            api->public_url, eid);
    buf_printf(&b, "  wall:         %s/e/%s/wall\n", api->public_url, eid);
    buf_printf(&b, "  join code:    %s\n", e.join_code ? e.join_code : "(none)");
    store_event_release(&e);
    *links_out = buf_detach(&b, NULL);
    return FORUM_OK;
}
