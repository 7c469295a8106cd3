/* SPDX-License-Identifier: MIT */
/*
 * The web app manifests of an event (docs/web.md): one for the participant
 * page, one for the wall, so that each installs to a phone's home screen or
 * a kiosk with the event's name and opens on that event's page.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* The colours of web/css/app.css (--accent, --bg) and web/css/wall.css. */
#define MANIFEST_THEME "#1b4d3e"
#define MANIFEST_BG "#f6f5f1"
#define MANIFEST_WALL_BG "#0a0a0a"

/* What the manifest says in the event's language. */
struct manifest_words {
    const char *lang;
    const char *wall;             /* after the event's name: "Bigre · mur" */
    const char *participant_desc; /* description of the participant page */
    const char *wall_desc;
};

static const struct manifest_words words[] = {
    {"fr", "mur", "Proposer des sujets, voter, voir son programme",
     "Le programme de la journée, dans le hall"},
    {"en", "wall", "Propose topics, vote, see your agenda",
     "The day's schedule, in the hall"},
};

static const struct manifest_words *words_for(const char *locale)
{
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (locale != NULL && strncmp(locale, words[i].lang, 2) == 0)
            return &words[i];
    }
    return &words[0];
}

/* Writes /e/{eid}[suffix] into out, the id percent-encoded outside [A-Za-z0-9._~-]. */
static void event_path(const char *eid, const char *suffix, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = (size_t)snprintf(out, cap, "/e/");

    for (const unsigned char *p = (const unsigned char *)eid; *p != '\0' && n + 4 < cap;
         p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || strchr("._~-", *p) != NULL) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    out[n] = '\0';
    if (n + strlen(suffix) < cap)
        strcat(out, suffix);
}

/* The icons of web/icons/ (scripts/icons.sh makes the PNGs from the SVG). */
static json_t *icon(const char *src, const char *sizes, const char *type)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "src", src, "sizes", sizes, "type", type,
                     "purpose", "any");
}

static void send_manifest(struct api_ctx *c, bool wall)
{
    const struct manifest_words *w = words_for(c->event.locale);
    char scope[3 * API_PARAM_MAX + 16], start[3 * API_PARAM_MAX + 16];
    json_t *doc, *name;
    char *text;

    event_path(CTX_EID(c), "", scope, sizeof(scope));
    event_path(CTX_EID(c), wall ? "/wall" : "", start, sizeof(start));
    /*
     * The name whole: a limit in characters is up to four times as many
     * bytes, and a name cut in a fixed buffer could end inside a character.
     */
    name = wall ? json_sprintf("%s · %s", c->event.name, w->wall)
                : json_string(c->event.name);
    /*
     * The scope is the event's path without a slash, so that both /e/{eid}
     * and /e/{eid}/wall are inside it; id and start_url carry no token.
     */
    doc =
        json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[o,o,o]}", "id", start,
                  "name", name, "description", wall ? w->wall_desc : w->participant_desc,
                  "lang", w->lang, "start_url", start, "scope", scope, "display",
                  wall ? "fullscreen" : "standalone", "theme_color", MANIFEST_THEME,
                  "background_color", wall ? MANIFEST_WALL_BG : MANIFEST_BG, "icons",
                  icon("/icons/icon-192.png", "192x192", "image/png"),
                  icon("/icons/icon-512.png", "512x512", "image/png"),
                  icon("/icons/icon.svg", "any", "image/svg+xml"));
    if (doc != NULL && wall)
        json_object_set_new(doc, "orientation", json_string("landscape"));
    text = doc != NULL ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (text == NULL) {
        api__error(c, 500, "internal", NULL, "could not render the manifest");
        return;
    }
    api__text(c, 200, "application/manifest+json", text, strlen(text));
    /* Browsers fetch it again now and then: no-cache keeps a renamed event right. */
    api_response_add_header(c->resp, "Cache-Control", "no-cache");
}

void api__manifest_participant(struct api_ctx *c)
{
    send_manifest(c, false);
}

void api__manifest_wall(struct api_ctx *c)
{
    send_manifest(c, true);
}
