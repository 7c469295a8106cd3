/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the notes renderer (src/export/markdown.c: cmark with
 * its safe options, the tree made safe) and the proceedings' Markdown
 * writer, fed any bytes as a session's notes.
 *
 * Input: the notes as they are (invalid UTF-8, NUL and control characters
 * included); the first byte also picks the heading shift (0 to 6) of the
 * safe CommonMark.
 *
 *   The tree (export_markdown_json): parses as JSON (jansson, strict); an
 *   array of elements, each [tag, attributes?, children...] with a tag of
 *   the allowed set, attributes only {"href"} on "a" (a URL that
 *   export_markdown_url_ok() takes: never javascript:, data:, "//host") and
 *   {"start"} on "ol", children strings or elements, at most
 *   EXPORT_MARKDOWN_DEPTH elements deep (plus pre/code); the strings are
 *   valid UTF-8 without NUL (jansson checks both).
 *   The safe CommonMark (export_markdown_safe), parsed again by cmark: no raw
 *   HTML (but the "<!-- end list -->" comment cmark's writer puts between
 *   two adjacent lists), no image, every link's destination safe (whether
 *   cmark's writer kept the tree or the notes went out as a literal block).
 *   The proceedings (export_proceedings_md) with the input as notes and as a
 *   title (one input in four, chosen by its second byte): the same, parsed
 *   by cmark.
 */
#include <cmark.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/export.h"

static unsigned long g_inputs, g_links,
    g_html; /* reported at exit (g_html: with a '<') */

static void fail(const char *what, const char *detail, size_t len)
{
    fprintf(stderr, "fuzz_markdown: %s\n---\n%.*s\n---\n", what,
            (int)(len > 2000 ? 2000 : len), detail != NULL ? detail : "");
    abort();
}

static void report(void)
{
    fprintf(stderr,
            "fuzz_markdown: %lu inputs; %lu safe links kept, %lu inputs with a '<' (raw "
            "HTML, shown as text)\n",
            g_inputs, g_links, g_html);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    atexit(report);
    return 0;
}

static const char *const tags[] = {"p",    "h1",         "h2",     "h3", "h4", "h5",
                                   "h6",   "blockquote", "ul",     "ol", "li", "pre",
                                   "code", "em",         "strong", "a",  "br", "hr"};

/* Checks one element (or string) of the tree; fails on anything else. */
static void check_node(json_t *node, int depth, const char *text, size_t len)
{
    const char *tag;
    size_t first = 1;
    bool known = false;

    if (json_is_string(node))
        return;
    if (!json_is_array(node) || json_array_size(node) < 1)
        fail("an element is not an array with a tag", text, len);
    if (depth > EXPORT_MARKDOWN_DEPTH + 2)
        fail("the tree is deeper than its bound", text, len);
    tag = json_string_value(json_array_get(node, 0));
    for (size_t i = 0; tag != NULL && i < sizeof(tags) / sizeof(tags[0]); i++)
        known = known || strcmp(tag, tags[i]) == 0;
    if (!known)
        fail("a tag out of the allowed set", text, len);
    if (json_array_size(node) > 1 && json_is_object(json_array_get(node, 1))) {
        json_t *attrs = json_array_get(node, 1);
        first = 2;
        if (json_object_size(attrs) != 1)
            fail("more than one attribute", text, len);
        if (strcmp(tag, "a") == 0) {
            const char *href = json_string_value(json_object_get(attrs, "href"));
            if (href == NULL || !export_markdown_url_ok(href))
                fail("a link to an unsafe destination", text, len);
            g_links++;
        } else if (strcmp(tag, "ol") != 0 ||
                   !json_is_integer(json_object_get(attrs, "start"))) {
            fail("attributes where none belong", text, len);
        }
    } else if (strcmp(tag, "a") == 0) {
        fail("a link without its href", text, len);
    }
    for (size_t i = first; i < json_array_size(node); i++)
        check_node(json_array_get(node, i), depth + 1, text, len);
}

static void check_tree(const char *md, size_t md_len)
{
    size_t n;
    char *text = export_markdown_json(md, md_len, &n);
    json_error_t e;
    json_t *t;

    if (text == NULL || strlen(text) != n)
        fail("the tree's length", text, n);
    t = json_loadb(text, n, JSON_REJECT_DUPLICATES, &e);
    if (t == NULL || !json_is_array(t))
        fail(e.text, text, n);
    for (size_t i = 0; i < json_array_size(t); i++)
        check_node(json_array_get(t, i), 1, text, n);
    json_decref(t);
    free(text);
}

/* Fails unless cmark finds no raw HTML (but cmark's "<!-- end list -->"),
 * no image and no unsafe link in md (what export_markdown_is_safe() says,
 * checked here on its own). */
static void check_safe_markdown(const char *md, size_t len, const char *what)
{
    cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *x = cmark_iter_get_node(it);
        cmark_node_type ty = cmark_node_get_type(x);
        const char *lit = cmark_node_get_literal(x);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if ((ty == CMARK_NODE_HTML_BLOCK || ty == CMARK_NODE_HTML_INLINE) &&
            (strcmp(lit, "<!-- end list -->") == 0 ||
             strcmp(lit, "<!-- end list -->\n") == 0))
            continue;
        if (ty == CMARK_NODE_HTML_BLOCK || ty == CMARK_NODE_HTML_INLINE ||
            ty == CMARK_NODE_IMAGE)
            fail(what, md, len);
        if (ty == CMARK_NODE_LINK && !export_markdown_url_ok(cmark_node_get_url(x)))
            fail(what, md, len);
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *md = (const char *)data;
    int shift = size > 0 ? data[0] % 7 : 0;
    struct export_words w = {"Sommaire",    "Animé par", "Présent·es",
                             "Points clés", "Suites",    "Suivi",
                             "Rien",        "En ligne",  "Autres"};
    struct export_session s;
    struct export_report r;
    struct export_proceedings p;
    char *title, *safe, *book;
    size_t n;

    g_inputs++;
    check_tree(md, size);
    if (memchr(md, '<', size) != NULL)
        g_html++;

    safe = export_markdown_safe(md, size, shift, &n);
    if (safe == NULL || strlen(safe) != n)
        fail("the safe CommonMark's length", safe, n);
    check_safe_markdown(safe, n,
                        "raw HTML, an image or an unsafe link in safe CommonMark");
    free(safe);
    /* The proceedings for one input in four (the second byte says which):
     * they render the same notes again, and the runs stay fast. */
    if (size < 2 || (data[1] & 3) != 0)
        return 0;

    /* The input as the notes of a session and (as a C string) its title. */
    title = malloc(size + 1);
    if (title == NULL)
        abort();
    memcpy(title, md, size);
    title[size] = '\0';
    memset(&s, 0, sizeof(s));
    s.title = title;
    s.block = title;
    s.room_name = "Salle";
    memset(&r, 0, sizeof(r));
    r.session = &s;
    r.attendance = -1;
    r.names = title;
    r.key_points = title;
    memset(&p, 0, sizeof(p));
    p.title = title;
    p.words = &w;
    p.reports = &r;
    p.n_reports = 1;
    book = export_proceedings_md(&p, &n);
    if (book == NULL || strlen(book) != n)
        fail("the proceedings' length", book, n);
    check_safe_markdown(book, n,
                        "raw HTML, an image or an unsafe link in the proceedings");
    free(book);
    free(title);
    return 0;
}
