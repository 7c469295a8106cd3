/* SPDX-License-Identifier: MIT */
/* The CSV writer (RFC 4180, formula injection defused). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Appends one field: a leading formula character is defused with "'", then
 * RFC 4180 quoting; then ',' or, for the last field, CRLF. */
static void csv_field(struct buf *b, const char *s, bool last)
{
    bool defuse = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                  s[0] == '\t' || s[0] == '\r';
    bool quote = defuse || strpbrk(s, ",\"\r\n") != NULL;

    if (quote)
        export__put_char(b, '"');
    if (defuse)
        export__put_char(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            export__put_char(b, '"');
        export__put_char(b, *p);
    }
    if (quote)
        export__put_char(b, '"');
    export__put_str(b, last ? "\r\n" : ",");
}

/* A time column's header: "starts_at (Europe/Paris)", quoted as a field. */
static void header_time(struct buf *b, const char *name, const char *zone)
{
    char h[160];

    snprintf(h, sizeof(h), "%s (%s)", name, zone);
    csv_field(b, h, false);
}

char *export_csv(const struct export_schedule *sc, size_t *len)
{
    struct buf b, hosts;
    char seated[32], group[32];

    const char *zone = sc != NULL && sc->timezone != NULL ? sc->timezone : "UTC";

    buf_init(&b, EXPORT_MAX);
    /* The byte-order mark tells spreadsheet programs the file is UTF-8. */
    export__put_str(&b, "\xEF\xBB\xBF");
    export__put_str(&b, "slot,");
    header_time(&b, "starts_at", zone);
    header_time(&b, "ends_at", zone);
    export__put_str(&b, "room,topic,title,theme,hosts,seated,session,group,block,kind,"
                        "starts_at_utc,ends_at_utc\r\n");
    for (size_t i = 0; sc != NULL && i < sc->n_sessions; i++) {
        const struct export_session *it = &sc->sessions[i];

        if (it->cancelled)
            continue;
        buf_init(&hosts, EXPORT_MAX);
        export__put_hosts(&hosts, it->hosts, it->n_hosts, "; ");
        snprintf(seated, sizeof(seated), "%ld", it->seated);
        snprintf(group, sizeof(group), "%ld", it->group);
        csv_field(&b, export__nz(it->slot_label), false);
        csv_field(&b, export__nz(it->starts_local ? it->starts_local : it->starts_at),
                  false);
        csv_field(&b, export__nz(it->ends_local ? it->ends_local : it->ends_at), false);
        csv_field(&b, export__nz(it->room_name), false);
        csv_field(&b, export__nz(it->topic), false);
        csv_field(&b, export__nz(it->title), false);
        csv_field(&b, export__nz(it->theme), false);
        csv_field(&b, hosts.ptr ? hosts.ptr : "", false);
        csv_field(&b, seated, false);
        csv_field(&b, export__nz(it->id), false);
        csv_field(&b, group, false);
        csv_field(&b, export__nz(it->block), false);
        csv_field(&b, export__nz(it->kind), false);
        csv_field(&b, export__nz(it->starts_at), false);
        csv_field(&b, export__nz(it->ends_at), true);
        buf_release(&hosts);
    }
    return buf_detach(&b, len);
}
