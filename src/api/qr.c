/* SPDX-License-Identifier: MIT */
/*
 * QR codes for the paper and the wall: GET /events/{eid}/qr.svg?url=U
 * draws U (the export writer, libqrencode) when it is a link of this
 * event: one of its pages (/e/{eid}...), whatever the host the page was
 * opened on, or one of its rooms' online links. The page says the URL, so
 * that the code stands for exactly the link printed beside it; the server
 * never turns into a QR code maker for anything else.
 */
#include <stdlib.h>
#include <string.h>

#include "forum/export.h"
#include "internal.h"

/* True when url's path is the event eid's pages: /e/{eid}, then the end,
 * '/', '?' or '#'. url is an http(s) URL that api__url_ok() took. */
static bool event_page(const char *url, const char *eid)
{
    const char *host = strstr(url, "://") + 3;
    const char *path = host + strcspn(host, "/?#");
    size_t n = strlen(eid);

    if (strncmp(path, "/e/", 3) != 0 || strncmp(path + 3, eid, n) != 0)
        return false;
    return path[3 + n] == '\0' || strchr("/?#", path[3 + n]) != NULL;
}

static bool room_link(struct api_ctx *c, const char *url, struct forum_error *err,
                      enum forum_status *rc)
{
    struct store_room *rooms;
    size_t n;
    bool found = false;

    *rc = store_room_list(c->store, CTX_EID(c), &rooms, &n, err);
    if (*rc != FORUM_OK)
        return false;
    for (size_t i = 0; i < n && !found; i++)
        found = rooms[i].url != NULL && strcmp(rooms[i].url, url) == 0;
    store_rooms_free(rooms, n);
    return found;
}

void api__qr_svg(struct api_ctx *c)
{
    char url[API_URL_MAX + 2];
    bool too_long = false;
    struct forum_error err;
    enum forum_status rc = FORUM_OK;
    char *svg;
    size_t len;

    if (!api__query_param(c->req->query, "url", url, sizeof(url), &too_long)) {
        api__error(c, 422, "missing", "url", "say which link the code is for (?url=)");
        return;
    }
    if (too_long) {
        api__error(c, 422, "too_long", "url", "at most %d bytes", API_URL_MAX);
        return;
    }
    if (!api__url_ok(url)) {
        api__error(c, 422, "invalid", "url",
                   "an http or https link of printable ASCII, without spaces, quotes or "
                   "angle brackets");
        return;
    }
    forum_error_clear(&err);
    if (!event_page(url, CTX_EID(c)) && !room_link(c, url, &err, &rc)) {
        if (!api__failed(c, rc, &err))
            api__error(c, 422, "invalid", "url",
                       "a link to this event's pages (/e/%s) or to one of its rooms",
                       CTX_EID(c));
        return;
    }
    svg = export_qr_svg(url, &len);
    if (svg == NULL) {
        api__error(c, 422, "too_long", "url", "too long for a QR code");
        return;
    }
    api__text(c, 200, "image/svg+xml", svg, len);
    /* A code is a function of its URL: the browser may keep it. */
    api_response_add_header(c->resp, "Cache-Control", "public, max-age=86400");
}
