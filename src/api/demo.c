/* SPDX-License-Identifier: MIT */
/*
 * The demo event: the seed's day, the Bigre! Rencontre.s 2025. Three
 * half-days of distinct formats as blocks (co-accompaniment, where
 * co-développement and two other methods run as parallel groups; the open
 * forum; cooperative functioning in workshops), a plenary "temps fort" for
 * everyone in the Grande salle with a visio link, a lunch break, an online
 * room, sixty participants with votes, a first published schedule and the
 * notes of a few sessions (public proceedings), so that every page shows
 * something at once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/buf.h"
#include "forum/util/mem.h"
#include "internal.h"

#define S(x) ((char *)(uintptr_t)(x))

#define VISIO "https://visio.example.org/bigre-rencontres-2025"

static const struct {
    const char *name;
    long capacity;
    const char *features; /* comma-separated */
    const char *url;
} demo_rooms[] = {
    {"Grande salle", 80, "accessible,projector", VISIO},
    {"Salle Coopaname", 14, "accessible", NULL},
    {"Salle Oxalis", 12, "accessible,projector", NULL},
    {"Salle Manucoop", 12, "accessible", NULL},
    {"Atelier (étage, sans ascenseur)", 10, "", NULL},
    {"Jardin", 16, "accessible", NULL},
    {"Bibliothèque", 10, "accessible", NULL},
    {"Salle en ligne (visio)", 25, "online", VISIO},
};
#define N_ROOMS (sizeof(demo_rooms) / sizeof(demo_rooms[0]))

/* Thursday afternoon and Friday, Paris time (UTC+2 in September). */
static const struct {
    const char *label, *from, *to;
    int block; /* index in demo_blocks */
} demo_slots[] = {
    {"Jeu. 14h00", "2025-09-18T12:00:00Z", "2025-09-18T13:30:00Z", 0},
    {"Jeu. 16h00", "2025-09-18T14:00:00Z", "2025-09-18T15:30:00Z", 0},
    {"Jeu. 17h45", "2025-09-18T15:45:00Z", "2025-09-18T17:00:00Z", 1},
    {"Ven. 9h30", "2025-09-19T07:30:00Z", "2025-09-19T08:30:00Z", 2},
    {"Ven. 10h45", "2025-09-19T08:45:00Z", "2025-09-19T09:45:00Z", 2},
    {"Ven. 12h00", "2025-09-19T10:00:00Z", "2025-09-19T11:15:00Z", 3},
    {"Ven. 13h30", "2025-09-19T11:30:00Z", "2025-09-19T12:45:00Z", 4},
    {"Ven. 15h00", "2025-09-19T13:00:00Z", "2025-09-19T14:15:00Z", 4},
};
#define N_SLOTS (sizeof(demo_slots) / sizeof(demo_slots[0]))

static const struct {
    const char *name, *kind, *title;
    int room; /* index in demo_rooms, -1 for none */
    bool proposals;
} demo_blocks[] = {
    {"Co-accompagnement", "groups", "", -1, false},
    {"Temps fort", "plenary", "Temps fort : la radicalité joyeuse", 0, false},
    {"Forum ouvert", "forum", "", -1, true},
    {"Déjeuner", "break", "Déjeuner", 5, false},
    {"Fonctionnement coopératif", "workshops", "", -1, false},
};
#define N_BLOCKS (sizeof(demo_blocks) / sizeof(demo_blocks[0]))

static const struct {
    const char *title, *theme, *needs, *description;
    int block;  /* index in demo_blocks */
    int groups; /* groups.max (0: an ordinary topic) */
    int hosts;  /* how many hosts (the facilitator names them) */
    long max_size;
} demo_topics[] = {
    /* Co-accompagnement: methods in parallel groups, and two single sessions. */
    {"Co-développement", "Co-accompagnement", "",
     "Une personne expose une situation, le groupe l'aide à la faire avancer.", 0, 3, 3,
     0},
    {"Analyse de pratiques professionnelles", "Co-accompagnement", "", "", 0, 2, 2, 0},
    {"Entraînement mental", "Co-accompagnement", "", "", 0, 2, 2, 0},
    {"Accélérateur de projet", "Co-accompagnement", "", "", 0, 0, 1, 10},
    {"Échange de pratiques : dire non à sa clientèle", "Co-accompagnement", "", "", 0, 0,
     1, 0},
    /* Forum ouvert: topics proposed by participants. */
    {"Le rapport à l'argent", "Le commercial", "",
     "Comment travailler sur notre rapport à l'argent, seul·e et en collectif ?", 2, 0, 1,
     0},
    {"Surmonter le syndrome de l'imposteur", "Le commercial", "", "", 2, 0, 1, 12},
    {"Défendre son prix de vente", "Le commercial", "projector", "", 2, 0, 1, 0},
    {"Prospecter autrement, à plusieurs", "Le commercial", "", "", 2, 0, 1, 0},
    {"Quand la clientèle devient prescriptrice", "Le commercial", "", "", 2, 0, 1, 0},
    {"Moins dépendre des ventes", "Faire avec moins", "", "", 2, 0, 1, 0},
    {"Sobriété choisie : transformer nos modes de vie", "Faire avec moins", "", "", 2, 0,
     1, 0},
    {"Augmenter le chiffre d'affaires ou moins consommer ?", "Faire avec moins", "", "",
     2, 0, 1, 0},
    {"Anticiper les 2-3 prochaines années", "Les crises / anticiper", "", "", 2, 0, 1, 0},
    {"L'ESS face aux crises qui se cumulent", "Les crises / anticiper", "projector", "",
     2, 0, 1, 0},
    {"Inclusion et handicap : tenir le cap", "Les crises / anticiper", "", "", 2, 0, 1,
     0},
    {"Présenter son activité en visio", "Le commercial", "online", "", 2, 0, 1, 0},
    /* Fonctionnement coopératif: workshops prepared by the organisers. */
    {"Communautés de praticien·nes", "Coopération", "", "", 4, 0, 1, 0},
    {"Du « je » au « nous »", "Coopération", "", "", 4, 0, 1, 0},
    {"Désaccords, médiation et prévention des conflits", "Coopération", "", "", 4, 0, 1,
     10},
    {"Répartir le travail sans hiérarchie", "Coopération", "", "", 4, 0, 1, 0},
    {"Redistribuer la richesse créée ensemble", "Coopération", "", "", 4, 0, 1, 0},
    {"Intercoopérer sur son territoire", "Coopération", "", "", 4, 0, 1, 0},
};
#define N_TOPICS (sizeof(demo_topics) / sizeof(demo_topics[0]))

static const char *const first_names[] = {
    "Amina",   "Bastien", "Camille", "Dominique", "Élise",   "Farid",
    "Gaëlle",  "Hugo",    "Inès",    "Jules",     "Karima",  "Léo",
    "Maëlle",  "Nadir",   "Océane",  "Pascal",    "Quentin", "Rose",
    "Sami",    "Téa",     "Ulysse",  "Victor",    "Wassila", "Xavier",
    "Yasmine", "Zoé",     "Anouk",   "Bérénice",  "Clément", "Djamila",
};
#define N_FIRST (sizeof(first_names) / sizeof(first_names[0]))
#define N_PEOPLE 60

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

struct demo_ids {
    char rooms[N_ROOMS][STORE_ID_MAX + 1];
    char slots[N_SLOTS][STORE_ID_MAX + 1];
    char blocks[N_BLOCKS][STORE_ID_MAX + 1];
    char people[N_PEOPLE][STORE_ID_MAX + 1];
    char topics[N_TOPICS][STORE_ID_MAX + 1];
};

static enum forum_status make_space(struct store *s, const char *eid, struct demo_ids *id,
                                    struct forum_error *err)
{
    enum forum_status rc = FORUM_OK;

    for (size_t i = 0; rc == FORUM_OK && i < N_SLOTS; i++) {
        struct store_slot sl = {NULL, S(demo_slots[i].label), S(demo_slots[i].from),
                                S(demo_slots[i].to)};
        rc = store_slot_create(s, eid, &sl, id->slots[i], err);
    }
    for (size_t i = 0; rc == FORUM_OK && i < N_ROOMS; i++) {
        struct store_room r;
        memset(&r, 0, sizeof(r));
        r.name = S(demo_rooms[i].name);
        r.capacity = demo_rooms[i].capacity;
        r.url = S(demo_rooms[i].url);
        split(demo_rooms[i].features, &r.features);
        /* The Jardin is not available on Thursday evening. */
        if (i == 5)
            store_strv_push(&r.unavailable, id->slots[2]);
        rc = store_room_create(s, eid, &r, id->rooms[i], err);
        store_strv_release(&r.features);
        store_strv_release(&r.unavailable);
    }
    for (size_t b = 0; rc == FORUM_OK && b < N_BLOCKS; b++) {
        struct store_block bl;
        memset(&bl, 0, sizeof(bl));
        bl.name = S(demo_blocks[b].name);
        bl.kind = S(demo_blocks[b].kind);
        bl.title = S(demo_blocks[b].title);
        bl.room_id = demo_blocks[b].room >= 0 ? id->rooms[demo_blocks[b].room] : NULL;
        bl.proposals_open = demo_blocks[b].proposals;
        for (size_t i = 0; i < N_SLOTS; i++)
            if (demo_slots[i].block == (int)b)
                store_strv_push(&bl.slots, id->slots[i]);
        rc = store_block_create(s, eid, &bl, id->blocks[b], err);
        store_strv_release(&bl.slots);
    }
    return rc;
}

/* People 29 and 58 take part from home (they need "online"). */
static bool remote(size_t p)
{
    return p == 29 || p == 58;
}

/* The forum's online topic (it needs "online"). */
static size_t visio_topic(void)
{
    size_t i = 0;

    while (i + 1 < N_TOPICS && strcmp(demo_topics[i].needs, "online") != 0)
        i++;
    return i;
}

static enum forum_status make_people(struct store *s, const char *eid,
                                     struct demo_ids *id, struct forum_error *err)
{
    enum forum_status rc = FORUM_OK;
    char name[64], ptok[STORE_TOKEN_LEN + 1];

    for (size_t i = 0; rc == FORUM_OK && i < N_PEOPLE; i++) {
        struct store_participant p;
        memset(&p, 0, sizeof(p));
        /* Thirty first names, twice: the second time with an initial. */
        if (i < N_FIRST)
            snprintf(name, sizeof(name), "%s", first_names[i]);
        else
            snprintf(name, sizeof(name), "%s %c.", first_names[i - N_FIRST],
                     (char)('A' + (i * 7) % 26));
        p.name = name;
        if (i == 3 || i == 17 || i == 41)
            store_strv_push(&p.needs, "accessible");
        if (remote(i)) /* they take part from home */
            store_strv_push(&p.needs, "online");
        if (i == 8) /* arrives on Friday */
            for (size_t k = 0; k < 3; k++)
                store_strv_push(&p.unavailable, id->slots[k]);
        rc = store_participant_create(s, eid, &p, id->people[i], ptok, err);
        store_strv_release(&p.needs);
        store_strv_release(&p.unavailable);
    }
    return rc;
}

static enum forum_status make_topics(struct store *s, const char *eid,
                                     struct demo_ids *id, struct forum_error *err)
{
    enum forum_status rc = FORUM_OK;
    size_t host = 0;

    for (size_t i = 0; rc == FORUM_OK && i < N_TOPICS; i++) {
        struct store_topic t;
        memset(&t, 0, sizeof(t));
        t.title = S(demo_topics[i].title);
        t.theme = S(demo_topics[i].theme);
        t.description = S(demo_topics[i].description);
        t.max_size = demo_topics[i].max_size;
        t.block_id = id->blocks[demo_topics[i].block];
        if (demo_topics[i].groups > 0) {
            t.groups_max = demo_topics[i].groups;
            t.group_size_min = 5;
            t.group_size_max = 8;
        }
        split(demo_topics[i].needs, &t.needs);
        /* Hosts in turn, skipping those who take part online or arrive late. */
        for (int k = 0; k < demo_topics[i].hosts; k++) {
            while (host % N_PEOPLE == 8 || remote(host % N_PEOPLE))
                host++;
            store_strv_push(&t.host_ids, id->people[host++ % N_PEOPLE]);
        }
        rc = store_topic_create(s, eid, &t, id->topics[i], err);
        store_strv_release(&t.needs);
        store_strv_release(&t.host_ids);
    }
    return rc;
}

/* Each person votes in every block that has topics: two or three wishes in
 * the forum, one or two in the others, within the budget. */
static enum forum_status make_votes(struct store *s, const char *eid,
                                    const struct store_event *e, struct demo_ids *id,
                                    struct forum_error *err)
{
    enum forum_status rc = FORUM_OK;
    uint32_t seed = 2025;
    static const int blocks[] = {0, 2, 4};

    for (size_t p = 0; rc == FORUM_OK && p < N_PEOPLE; p++) {
        long used = 0;
        for (size_t b = 0; rc == FORUM_OK && b < 3; b++) {
            size_t in[N_TOPICS], n = 0;
            int wishes =
                blocks[b] == 2 ? 2 + (int)(next(&seed) % 2) : 1 + (int)(next(&seed) % 2);
            for (size_t i = 0; i < N_TOPICS; i++)
                if (demo_topics[i].block == blocks[b])
                    in[n++] = i;
            for (int k = 0; k < wishes && rc == FORUM_OK; k++) {
                size_t tix = in[next(&seed) % n];
                long w = 1 + (long)(next(&seed) % 3);
                /* Who takes part from home wishes first for the forum's visio
                 * session: the online room holds only online topics. */
                if (k == 0 && remote(p) && blocks[b] == 2)
                    tix = visio_topic();
                if (used + w > e->vote_budget)
                    break;
                rc = store_vote_put(s, eid, id->people[p], id->topics[tix], w,
                                    e->vote_budget, err);
                if (rc == FORUM_OK)
                    used += w;
            }
        }
    }
    return rc;
}

/* Notes already written, as after the first sessions: by a host (or the
 * facilitator for the plenary), with who was there, so that the notes pages
 * and the proceedings show something at once. */
static const struct {
    int topic; /* index in demo_topics, -1: the plenary */
    long attendance;
    const char *names, *key_points, *proposals, *follow_up;
} demo_notes[] = {
    {-1, 57, "",
     "## Ce qui nous a réuni·es\n\nLa radicalité joyeuse : tenir nos valeurs **sans** "
     "s'épuiser.\n\n- la coopération comme *pratique*, pas comme slogan\n- le plaisir de "
     "faire ensemble compte autant que le résultat",
     "1. Une journée d'échange entre coopératives au printemps\n2. Un carnet de "
     "pratiques joyeuses, ouvert à toutes et tous",
     "L'équipe d'animation : <animation@bigre.example.org>"},
    {0, 7, "Amina, Bastien",
     "- Une situation exposée par Camille : *comment dire non à un client historique ?*\n"
     "- Le groupe a reformulé, questionné, puis proposé des pistes",
     "- Essayer une réponse écrite avant l'appel\n- Se revoir dans un mois",
     "Camille, par la liste des coopérateur·ices"},
    {5, 11, "",
     "### Trois constats\n\n1. Parler d'argent reste tabou, même entre nous\n2. Les "
     "écarts "
     "de revenus se vivent mal quand on ne les nomme pas\n3. La transparence aide\n\n> "
     "« On coopère mieux quand on sait ce que chacun·e gagne. »",
     "- Un atelier « budget personnel » en binôme\n- Publier la grille des rémunérations",
     "Farid : farid@example.org"},
    {11, 9, "Inès, Jules, Karima",
     "Sobriété **choisie** plutôt que subie : partir des besoins, pas des manques.",
     "- Recenser ce que nous mutualisons déjà (outils, locaux, voitures)",
     "Inès coordonne le recensement ([le tableur "
     "partagé](https://pad.example.org/sobriete))."},
    {19, 8, "", "Prévenir : des règles du désaccord écrites *avant* le conflit.",
     "- Former deux médiateur·ices par coopérative",
     "Le groupe médiation se revoit en janvier."},
};
#define N_NOTES (sizeof(demo_notes) / sizeof(demo_notes[0]))

static enum forum_status make_notes(struct store *s, const char *eid,
                                    const struct demo_ids *id, struct forum_error *err)
{
    enum forum_status rc = FORUM_OK;

    for (size_t i = 0; rc == FORUM_OK && i < N_NOTES; i++) {
        const char *sid =
            demo_notes[i].topic < 0 ? id->blocks[1] : id->topics[demo_notes[i].topic];
        struct store_notes in, out;
        struct store_topic t;
        long version;

        /* A session the allocation did not place has no notes. */
        if (store_session_last_version(s, eid, sid, &version, NULL) != FORUM_OK)
            continue;
        memset(&in, 0, sizeof(in));
        memset(&t, 0, sizeof(t));
        if (demo_notes[i].topic >= 0 &&
            store_topic_get(s, eid, sid, &t, err) == FORUM_OK && t.host_ids.n > 0) {
            in.author_id = t.host_ids.v[0];
            in.author_name = t.host_names.v[0];
        } else {
            in.author_name = S("");
        }
        in.attendance = demo_notes[i].attendance;
        in.names = S(demo_notes[i].names);
        in.key_points = S(demo_notes[i].key_points);
        in.proposals = S(demo_notes[i].proposals);
        in.follow_up = S(demo_notes[i].follow_up);
        rc = store_notes_put(s, eid, sid, 0, &in, NULL, &out, err);
        store_notes_release(&out);
        store_topic_release(&t);
        /* Two people say they were there. */
        for (size_t k = 0; rc == FORUM_OK && k < 2; k++)
            rc = store_presence_set(s, eid, sid, id->people[20 + 2 * i + k], true, err);
    }
    return rc;
}

static enum forum_status create(struct api *api, struct store *s, char *eid, char *token,
                                struct forum_error *err)
{
    struct store_event e;
    struct demo_ids *id = forum_xcalloc(1, sizeof(*id));
    char aid[STORE_ID_MAX + 1];
    enum forum_status rc;
    json_t *problem = NULL;
    struct api_problem_info info = {0, 0, NULL};
    char *text = NULL, *solution = NULL;
    long version;

    memset(&e, 0, sizeof(e));
    e.name = S("Bigre! Rencontre.s 2025");
    e.timezone = S("Europe/Paris");
    e.locale = S("fr");
    e.join_code = S("BIGRE2025");
    e.max_weight = 3;
    e.vote_budget = 12;
    e.proposals_open = true;
    e.voting_open = true;
    e.show_tallies = true;
    /* A demo shows everything: its notes and proceedings to anyone. */
    e.proceedings_public = true;
    rc = store_event_create(s, &e, eid, token, err);
    if (rc == FORUM_OK)
        rc = make_space(s, eid, id, err);
    if (rc == FORUM_OK)
        rc = make_people(s, eid, id, err);
    if (rc == FORUM_OK)
        rc = make_topics(s, eid, id, err);
    if (rc == FORUM_OK)
        rc = make_votes(s, eid, &e, id, err);
    if (rc == FORUM_OK)
        rc = api__problem_build(s, eid, &problem, &info, err);
    if (rc == FORUM_OK) {
        text = json_dumps(problem, JSON_COMPACT);
        rc = api__solve_and_store(s, eid, text, strlen(text), &info, 1000, &api->stop_now,
                                  NULL, aid, &solution, err);
    }
    if (rc == FORUM_OK)
        rc = api__publish_allocation(api, s, eid, aid, &version, err);
    if (rc == FORUM_OK)
        rc = make_notes(s, eid, id, err);
    json_decref(problem);
    api__problem_info_release(&info);
    free(text);
    free(solution);
    free(id);
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
    /* The wall shows the QR code to join: with the code it carries. */
    if (e.join_code != NULL)
        buf_printf(&b, "  wall:         %s/e/%s/wall#code=%s\n", api->public_url, eid,
                   e.join_code);
    else
        buf_printf(&b, "  wall:         %s/e/%s/wall\n", api->public_url, eid);
    buf_printf(&b, "  proceedings:  %s/e/%s/proceedings\n", api->public_url, eid);
    buf_printf(&b,
               "  prints:       %s/e/%s/print/doors (and /print/poster, /print/flyer)\n",
               api->public_url, eid);
    buf_printf(&b, "  join code:    %s\n", e.join_code ? e.join_code : "(none)");
    store_event_release(&e);
    *links_out = buf_detach(&b, NULL);
    return FORUM_OK;
}
