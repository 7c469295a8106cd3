/* SPDX-License-Identifier: MIT */
/*
 * The proceedings ("le livre des actes") as one Markdown document: the
 * event, a table of contents, then each block's sessions with where, when,
 * who hosted and who came, and their notes made safe by the notes renderer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * Appends plain text so that Markdown reads it as typed: the characters
 * that can open markup are escaped with a backslash, and line ends become
 * spaces (titles and names are one line).
 */
static void put_plain(struct buf *b, const char *s)
{
    for (const char *p = export__nz(s); *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t') {
            export__put_char(b, ' ');
            continue;
        }
        if (strchr("\\`*_[]<>#!&|~{}", *p) != NULL ||
            ((*p == '-' || *p == '+' || *p == '=') && p == s))
            export__put_char(b, '\\');
        export__put_char(b, *p);
    }
}

static const char *title_of(const struct export_session *x)
{
    return x->summary != NULL ? x->summary : export__nz(x->title);
}

static bool has_notes(const struct export_report *r)
{
    return export__nz(r->key_points)[0] || export__nz(r->proposals)[0] ||
           export__nz(r->follow_up)[0] || export__nz(r->names)[0] || r->attendance >= 0 ||
           r->n_present > 0;
}

/* The section a report belongs to: its block, or "others". */
static const char *section_of(const struct export_proceedings *p,
                              const struct export_report *r)
{
    return r->other ? export__nz(p->words->others) : export__nz(r->session->block);
}

static void put_toc(struct buf *b, const struct export_proceedings *p)
{
    const char *section = NULL;

    export__put_str(b, "## ");
    put_plain(b, p->words->contents);
    export__put_str(b, "\n\n");
    for (size_t i = 0; i < p->n_reports; i++) {
        const struct export_report *r = &p->reports[i];
        const char *sec = section_of(p, r);
        bool nested = sec[0] != '\0';

        if (nested && (section == NULL || strcmp(section, sec) != 0)) {
            export__put_str(b, "- **");
            put_plain(b, sec);
            export__put_str(b, "**\n");
        }
        section = sec;
        export__put_str(b, nested ? "  - " : "- ");
        put_plain(b, title_of(r->session));
        if (export__nz(r->when)[0]) {
            export__put_str(b, " (");
            put_plain(b, r->when);
            export__put_char(b, ')');
        }
        if (!has_notes(r)) {
            export__put_str(b, " \xE2\x80\x94 ");
            put_plain(b, p->words->no_notes);
        }
        export__put_char(b, '\n');
    }
    export__put_char(b, '\n');
}

/* One part of the notes (CommonMark), under its h4 heading, made safe. */
static void put_part(struct buf *b, const char *heading, const char *md)
{
    char *safe;
    size_t n;

    if (export__nz(md)[0] == '\0')
        return;
    export__put_str(b, "#### ");
    put_plain(b, heading);
    export__put_str(b, "\n\n");
    /* The notes' own headings go under this one: h1 becomes h5. */
    safe = export_markdown_safe(md, strlen(md), 4, &n);
    export__put(b, safe, n);
    if (n == 0 || safe[n - 1] != '\n')
        export__put_char(b, '\n');
    free(safe);
    export__put_char(b, '\n');
}

static void put_report(struct buf *b, const struct export_proceedings *p,
                       const struct export_report *r)
{
    const struct export_session *x = r->session;
    const struct export_words *w = p->words;
    char num[32];

    struct buf meta;

    export__put_str(b, "### ");
    put_plain(b, title_of(x));
    export__put_str(b, "\n\n");
    /* Where and when, on one line in italics. */
    buf_init(&meta, EXPORT_MAX);
    const char *parts[] = {r->when, x->room_name, x->theme};
    for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++) {
        if (export__nz(parts[k])[0] == '\0')
            continue;
        if (meta.len > 0)
            export__put_str(&meta, " \xC2\xB7 ");
        put_plain(&meta, parts[k]);
    }
    if (meta.len > 0) {
        export__put_char(b, '*');
        export__put(b, meta.ptr, meta.len);
        export__put_str(b, "*\n\n");
    }
    buf_release(&meta);
    /* An online room's link as an autolink (an http(s) URL without spaces,
     * quotes or angle brackets, as the API keeps them). */
    if ((strncmp(export__nz(x->room_url), "https://", 8) == 0 ||
         strncmp(export__nz(x->room_url), "http://", 7) == 0) &&
        export_markdown_url_ok(x->room_url) && strpbrk(x->room_url, "<>\"") == NULL) {
        put_plain(b, w->online);
        export__put_str(b, ": <");
        export__put_str(b, x->room_url);
        export__put_str(b, ">\n\n");
    }
    if (x->n_hosts > 0) {
        export__put_str(b, "**");
        put_plain(b, w->hosts);
        export__put_str(b, "**: ");
        for (size_t h = 0; h < x->n_hosts; h++) {
            if (h > 0)
                export__put_str(b, ", ");
            put_plain(b, x->hosts[h]);
        }
        export__put_str(b, "\n\n");
    }
    if (r->attendance >= 0 || r->n_present > 0 || export__nz(r->names)[0]) {
        bool any = false;
        export__put_str(b, "**");
        put_plain(b, w->came);
        export__put_str(b, "**: ");
        if (r->attendance >= 0) {
            snprintf(num, sizeof(num), "%ld", r->attendance);
            export__put_str(b, num);
            any = true;
        }
        for (size_t k = 0; k < r->n_present; k++) {
            export__put_str(b, any ? (k == 0 ? " \xE2\x80\x94 " : ", ") : "");
            put_plain(b, r->present[k]);
            any = true;
        }
        if (export__nz(r->names)[0]) {
            export__put_str(b, any ? (r->n_present > 0 ? ", " : " \xE2\x80\x94 ") : "");
            put_plain(b, r->names);
        }
        export__put_str(b, "\n\n");
    }
    if (!has_notes(r)) {
        export__put_char(b, '*');
        put_plain(b, w->no_notes);
        export__put_str(b, "*\n\n");
        return;
    }
    put_part(b, w->key_points, r->key_points);
    put_part(b, w->proposals, r->proposals);
    put_part(b, w->follow_up, r->follow_up);
}

char *export_proceedings_md(const struct export_proceedings *p, size_t *len)
{
    struct buf b;
    const char *section = NULL;

    buf_init(&b, EXPORT_MAX);
    export__put_str(&b, "# ");
    put_plain(&b, p->title);
    export__put_str(&b, "\n\n");
    if (export__nz(p->dates)[0]) {
        put_plain(&b, p->dates);
        export__put_str(&b, "\n\n");
    }
    put_toc(&b, p);
    for (size_t i = 0; i < p->n_reports; i++) {
        const char *sec = section_of(p, &p->reports[i]);
        if (sec[0] != '\0' && (section == NULL || strcmp(section, sec) != 0)) {
            export__put_str(&b, "## ");
            put_plain(&b, sec);
            export__put_str(&b, "\n\n");
        }
        section = sec;
        put_report(&b, p, &p->reports[i]);
    }
    return buf_detach(&b, len);
}
