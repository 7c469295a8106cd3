/* SPDX-License-Identifier: MIT */
/*
 * The notes renderer, the proceedings' Markdown and the QR codes of
 * src/export/: hostile notes (raw HTML, javascript: links, images, nesting,
 * invalid UTF-8) become a tree of safe elements and safe CommonMark; the
 * proceedings escape titles and names, keep blocks and order, say which
 * sessions have no notes; a QR code's size follows its text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cmark.h>
#include <jansson.h>

#include "forum/export.h"

/* The tree of md, parsed back (aborts the test when it is not JSON). */
static json_t *tree_of(const char *md)
{
    size_t n;
    char *text = export_markdown_json(md, strlen(md), &n);
    json_error_t e;
    json_t *t = json_loadb(text, n, 0, &e);

    if (t == NULL)
        fail_msg("not JSON (%s): %s", e.text, text);
    assert_int_equal(strlen(text), n);
    free(text);
    assert_true(json_is_array(t));
    return t;
}

static const char *const allowed[] = {"p",    "h1",         "h2",     "h3", "h4", "h5",
                                      "h6",   "blockquote", "ul",     "ol", "li", "pre",
                                      "code", "em",         "strong", "a",  "br", "hr"};

/* Checks every element of node (tags, attributes, hrefs); returns the depth. */
static int check_node(json_t *node, int depth)
{
    size_t i, first = 1;
    const char *tag;
    bool ok = false;
    int deepest = depth;

    if (json_is_string(node))
        return depth;
    assert_true(json_is_array(node));
    assert_true(json_array_size(node) >= 1);
    tag = json_string_value(json_array_get(node, 0));
    assert_non_null(tag);
    for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
        ok = ok || strcmp(tag, allowed[i]) == 0;
    if (!ok)
        fail_msg("tag %s", tag);
    if (json_array_size(node) > 1 && json_is_object(json_array_get(node, 1))) {
        json_t *attrs = json_array_get(node, 1);
        first = 2;
        if (strcmp(tag, "a") == 0) {
            const char *href = json_string_value(json_object_get(attrs, "href"));
            assert_non_null(href);
            assert_true(export_markdown_url_ok(href));
            assert_int_equal(json_object_size(attrs), 1);
        } else {
            assert_string_equal(tag, "ol");
            assert_true(json_is_integer(json_object_get(attrs, "start")));
            assert_int_equal(json_object_size(attrs), 1);
        }
    } else {
        assert_true(strcmp(tag, "a") != 0); /* a link always has its href */
    }
    for (i = first; i < json_array_size(node); i++) {
        int d = check_node(json_array_get(node, i), depth + 1);
        if (d > deepest)
            deepest = d;
    }
    return deepest;
}

/* Checks the whole tree; returns its depth in elements. */
static int check_tree(json_t *t)
{
    int deepest = 0;

    for (size_t i = 0; i < json_array_size(t); i++) {
        int d = check_node(json_array_get(t, i), 1);
        if (d > deepest)
            deepest = d;
    }
    return deepest;
}

/* Every text of the tree, concatenated. */
static void texts(json_t *node, char *out, size_t cap)
{
    if (json_is_string(node)) {
        strncat(out, json_string_value(node), cap - strlen(out) - 1);
        return;
    }
    /* An element: its tag and attributes are not text. */
    for (size_t i = 1; i < json_array_size(node); i++)
        if (!json_is_object(json_array_get(node, i)))
            texts(json_array_get(node, i), out, cap);
}

/* The texts of a whole tree (an array of elements). */
static void tree_texts(json_t *t, char *out, size_t cap)
{
    for (size_t i = 0; i < json_array_size(t); i++)
        texts(json_array_get(t, i), out, cap);
}

static void test_render_plain_markdown(void **state)
{
    json_t *t = tree_of("# Title\n\nSome *em* and **strong**, `code`.\n\n"
                        "- one\n- two\n\n3. three\n4. four\n\n> quoted\n\n"
                        "```\nint x;\n```\n\n---\n\nline  \nbreak\n");
    char *want;

    (void)state;
    check_tree(t);
    want = json_dumps(t, JSON_COMPACT);
    json_decref(t);
    assert_non_null(strstr(want, "[\"h1\",\"Title\"]"));
    assert_non_null(strstr(want, "[\"em\",\"em\"]"));
    assert_non_null(strstr(want, "[\"strong\",\"strong\"]"));
    assert_non_null(strstr(want, "[\"code\",\"code\"]"));
    assert_non_null(strstr(want, "[\"ul\",[\"li\",[\"p\",\"one\"]]"));
    assert_non_null(strstr(want, "[\"ol\",{\"start\":3},[\"li\",[\"p\",\"three\"]]"));
    assert_non_null(strstr(want, "[\"blockquote\",[\"p\",\"quoted\"]]"));
    assert_non_null(strstr(want, "[\"pre\",[\"code\",\"int x;\\n\"]]"));
    assert_non_null(strstr(want, "[\"hr\"]"));
    assert_non_null(strstr(want, "[\"p\",\"line\",[\"br\"],\"break\"]"));
    free(want);
}

static void test_render_hostile_markdown(void **state)
{
    const char *md = "<script>alert(1)</script>\n\n"
                     "Hi <img src=x onerror=alert(2)> [click](javascript:alert(3)) "
                     "[data](data:text/html,<b>x</b>) [vb](vbscript:x) "
                     "[ok](https://example.org/a?b=c&d) [mail](mailto:a@b.org) "
                     "[here](/e/abc/notes/t1) [net](//evil.example) [bs](/\\evil) "
                     "![pic](https://example.org/p.png) ![bad](javascript:x) "
                     "<javascript:alert(4)> <https://auto.example>\n\n"
                     "<div onclick=\"x()\">\nraw <b>html</b>\n</div>\n";
    json_t *t = tree_of(md);
    char all[4096] = "";
    char *dump;

    (void)state;
    check_tree(t);
    tree_texts(t, all, sizeof(all));
    /* Raw HTML is there as text, as typed. */
    assert_non_null(strstr(all, "<script>alert(1)</script>"));
    assert_non_null(strstr(all, "<img src=x onerror=alert(2)>"));
    assert_non_null(strstr(all, "<div onclick=\"x()\">"));
    assert_non_null(strstr(all, "<b>html</b>"));
    /* Unsafe links are their text; safe ones are links. */
    dump = json_dumps(t, JSON_COMPACT);
    assert_null(strstr(dump, "javascript:alert(3)"));
    assert_non_null(strstr(all, "click"));
    assert_null(strstr(dump, "\"href\":\"data:"));
    assert_null(strstr(dump, "\"href\":\"vbscript:"));
    assert_null(strstr(dump, "\"href\":\"//evil"));
    assert_null(strstr(dump, "\"href\":\"/\\\\evil"));
    assert_non_null(
        strstr(dump, "[\"a\",{\"href\":\"https://example.org/a?b=c&d\"},\"ok\"]"));
    assert_non_null(strstr(dump, "[\"a\",{\"href\":\"mailto:a@b.org\"},\"mail\"]"));
    assert_non_null(strstr(dump, "[\"a\",{\"href\":\"/e/abc/notes/t1\"},\"here\"]"));
    /* An image is a link to it, never an image; an unsafe one its text. */
    assert_non_null(
        strstr(dump, "[\"a\",{\"href\":\"https://example.org/p.png\"},\"pic\"]"));
    assert_non_null(strstr(all, "bad"));
    /* An autolink to javascript: is text; to https, a link. */
    assert_non_null(strstr(all, "javascript:alert(4)"));
    assert_non_null(strstr(dump, "{\"href\":\"https://auto.example\"}"));
    free(dump);
    json_decref(t);
}

static void test_render_links_in_links_flattened(void **state)
{
    json_t *t =
        tree_of("[a ![b](http://i) c](http://l)\n\n![d [e](http://e) f](http://j)");
    char *dump;

    (void)state;
    check_tree(t);
    dump = json_dumps(t, JSON_COMPACT);
    /* An image in a link is its text; a link in an image's description too. */
    assert_non_null(strstr(dump, "[\"a\",{\"href\":\"http://l\"},\"a \",\"b\",\" c\"]"));
    assert_non_null(strstr(dump, "[\"a\",{\"href\":\"http://j\"},\"d \",\"e\",\" f\"]"));
    assert_null(strstr(dump, "http://i"));
    assert_null(strstr(dump, "http://e"));
    free(dump);
    json_decref(t);
}

static void test_render_depth_bounded(void **state)
{
    char md[4096];
    size_t n = 0;
    json_t *t;
    char all[4096] = "";

    (void)state;
    for (int i = 0; i < 500; i++)
        md[n++] = '>';
    memcpy(md + n, " deep\n", 7);
    t = tree_of(md);
    assert_true(check_tree(t) <= EXPORT_MARKDOWN_DEPTH + 1);
    tree_texts(t, all, sizeof(all));
    assert_string_equal(all, "deep");
    json_decref(t);
    /* Lists in lists, the same. */
    n = 0;
    for (int i = 0; i < 60; i++) {
        for (int k = 0; k < i * 2; k++)
            md[n++] = ' ';
        memcpy(md + n, "- x\n", 4);
        n += 4;
    }
    md[n] = '\0';
    t = tree_of(md);
    assert_true(check_tree(t) <= EXPORT_MARKDOWN_DEPTH + 2);
    json_decref(t);
}

static void test_render_bad_bytes(void **state)
{
    /* NUL, a lone continuation byte, an overlong form, controls. */
    static const char md[] = "a\0b \x80 \xC0\xAF \x01\x1F z";
    size_t n;
    char *text = export_markdown_json(md, sizeof(md) - 1, &n);
    json_t *t = json_loadb(text, n, 0, NULL);
    char all[256] = "";

    (void)state;
    assert_non_null(t);
    tree_texts(t, all, sizeof(all));
    assert_non_null(strstr(all, "a\xEF\xBF\xBD"));
    assert_non_null(strstr(all, " z"));
    free(text);
    json_decref(t);
    /* Empty and NULL notes: an empty tree. */
    text = export_markdown_json("", 0, &n);
    assert_string_equal(text, "[]");
    free(text);
    text = export_markdown_json(NULL, 0, &n);
    assert_string_equal(text, "[]");
    free(text);
}

static void test_render_url_ok(void **state)
{
    (void)state;
    assert_true(export_markdown_url_ok("https://a.example/x"));
    assert_true(export_markdown_url_ok("HTTP://a.example"));
    assert_true(export_markdown_url_ok("mailto:x@y.z"));
    assert_true(export_markdown_url_ok("/e/abc"));
    assert_true(export_markdown_url_ok("#top"));
    assert_false(export_markdown_url_ok(NULL));
    assert_false(export_markdown_url_ok(""));
    assert_false(export_markdown_url_ok("javascript:alert(1)"));
    assert_false(export_markdown_url_ok("JaVaScRiPt:alert(1)"));
    assert_false(export_markdown_url_ok(" javascript:alert(1)"));
    assert_false(export_markdown_url_ok("data:text/html,x"));
    assert_false(export_markdown_url_ok("//evil.example"));
    assert_false(export_markdown_url_ok("/\\evil.example"));
    assert_false(export_markdown_url_ok("https://a b"));
    assert_false(export_markdown_url_ok("https:"));
    assert_false(export_markdown_url_ok("https://"));
    assert_false(export_markdown_url_ok("java\tscript:x"));
    assert_false(export_markdown_url_ok("relative/path"));
}

/* True when the CommonMark text md holds raw HTML or an unsafe link. */
static bool unsafe_markdown(const char *md)
{
    cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    bool bad = false;

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *x = cmark_iter_get_node(it);
        cmark_node_type ty = cmark_node_get_type(x);
        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (ty == CMARK_NODE_HTML_BLOCK || ty == CMARK_NODE_HTML_INLINE ||
            ty == CMARK_NODE_IMAGE)
            bad = true;
        if (ty == CMARK_NODE_LINK && !export_markdown_url_ok(cmark_node_get_url(x)))
            bad = true;
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    return bad;
}

static void test_render_is_safe(void **state)
{
    static const char *const safe[] = {"# x\n\ntext [a](https://e.org) <https://e.org>",
                                       "- a\n\n<!-- end list -->\n\n- b\n",
                                       "\\<script\\>", "", "[m](mailto:a@b.c)"};
    static const char *const unsafe[] = {"<script>x</script>",
                                         "a <b>c</b>",
                                         "![i](https://e.org/i.png)",
                                         "[x](javascript:alert(1))",
                                         "<javascript:x>",
                                         "<!-- other -->",
                                         "[x](//evil)"};

    (void)state;
    for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
        assert_true(export_markdown_is_safe(safe[i], strlen(safe[i])));
    for (size_t i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
        assert_false(export_markdown_is_safe(unsafe[i], strlen(unsafe[i])));
}

static void test_render_safe_commonmark(void **state)
{
    const char *md =
        "# Top\n\n<script>alert(1)</script>\n\nText <b>bold</b> "
        "[x](javascript:alert(2)) ![i](https://e.org/i.png) [ok](https://e.org)\n";
    size_t n;
    char *out = export_markdown_safe(md, strlen(md), 4, &n);

    (void)state;
    assert_int_equal(strlen(out), n);
    assert_false(unsafe_markdown(out));
    /* The heading went down four levels; the HTML is escaped text. */
    assert_non_null(strstr(out, "##### Top"));
    assert_non_null(strstr(out, "\\<script\\>"));
    assert_null(strstr(out, "javascript:"));
    assert_non_null(strstr(out, "[ok](https://e.org)"));
    assert_non_null(strstr(out, "[i](https://e.org/i.png)"));
    free(out);
    /* h3 + 4 stays h6. */
    out = export_markdown_safe("### x\n", 6, 4, &n);
    assert_string_equal(out, "###### x\n");
    free(out);
}

static const char *const hosts_ann[] = {"Ann *A*"};
static const char *const present_two[] = {"Bo", "Cy_"};

static void test_render_proceedings(void **state)
{
    struct export_session s[3];
    struct export_report r[3];
    struct export_words w = {"Sommaire",
                             "Animé par",
                             "Présent·es",
                             "Points clés",
                             "Propositions",
                             "Suivi",
                             "Pas encore de compte rendu.",
                             "En ligne",
                             "Autres comptes rendus"};
    struct export_proceedings p;
    size_t n;
    char *md;

    (void)state;
    memset(s, 0, sizeof(s));
    memset(r, 0, sizeof(r));
    s[0].title = "# Money <b>talk</b>";
    s[0].block = "Forum";
    s[0].theme = "Argent";
    s[0].room_name = "Salle [A]";
    s[0].room_url = "https://visio.example/a";
    s[0].hosts = hosts_ann;
    s[0].n_hosts = 1;
    s[1].title = "Quiet";
    s[1].summary = "Quiet \xE2\x80\x94 groupe 2";
    s[1].block = "Forum";
    s[2].title = "Dropped";
    s[2].block = "Forum";
    r[0].session = &s[0];
    r[0].when = "jeudi 18 septembre, 14:00\xE2\x80\x93"
                "15:30";
    r[0].attendance = 12;
    r[0].present = present_two;
    r[0].n_present = 2;
    r[0].names = "Dee";
    r[0].key_points = "# Big\n\n<script>x</script>\n\nand [x](javascript:y)";
    r[0].proposals = "- act";
    r[0].follow_up = "";
    r[1].session = &s[1];
    r[1].attendance = -1;
    r[2].session = &s[2];
    r[2].other = true;
    r[2].attendance = -1;
    r[2].key_points = "still here";
    memset(&p, 0, sizeof(p));
    p.title = "Bigre! *2025*";
    p.dates = "18\xE2\x80\x93"
              "19 septembre 2025";
    p.words = &w;
    p.reports = r;
    p.n_reports = 3;
    md = export_proceedings_md(&p, &n);
    assert_int_equal(strlen(md), n);
    assert_false(unsafe_markdown(md));
    assert_non_null(strstr(md, "# Bigre\\! \\*2025\\*\n\n18\xE2\x80\x93"
                               "19 septembre 2025\n\n## Sommaire\n\n- **Forum**\n  - \\# "
                               "Money \\<b\\>talk\\</b\\> (jeudi"));
    assert_non_null(strstr(
        md,
        "  - Quiet \xE2\x80\x94 groupe 2 \xE2\x80\x94 Pas encore de compte rendu.\n"));
    assert_non_null(strstr(md, "- **Autres comptes rendus**\n  - Dropped\n"));
    assert_non_null(strstr(md, "## Forum\n\n### \\# Money \\<b\\>talk\\</b\\>\n\n*jeudi "
                               "18 septembre, 14:00\xE2\x80\x93"
                               "15:30 \xC2\xB7 Salle \\[A\\] \xC2\xB7 Argent*\n\n"));
    assert_non_null(strstr(md, "En ligne: <https://visio.example/a>\n\n"));
    assert_non_null(strstr(md, "**Animé par**: Ann \\*A\\*\n\n"));
    assert_non_null(strstr(md, "**Présent·es**: 12 \xE2\x80\x94 Bo, Cy\\_, Dee\n\n"));
    assert_non_null(strstr(
        md, "#### Points clés\n\n##### Big\n\n\\<script\\>x\\</script\\>\n\nand x\n\n"));
    assert_non_null(strstr(md, "#### Propositions\n\n  - act\n\n"));
    assert_null(strstr(md, "#### Suivi"));
    assert_non_null(strstr(
        md, "### Quiet \xE2\x80\x94 groupe 2\n\n*Pas encore de compte rendu.*\n\n"));
    assert_non_null(strstr(
        md,
        "## Autres comptes rendus\n\n### Dropped\n\n#### Points clés\n\nstill here\n"));
    /* In order: the forum's two, then the others. */
    assert_true(strstr(md, "### Quiet") < strstr(md, "## Autres comptes rendus\n\n###"));
    free(md);
}

static void test_render_qr(void **state)
{
    size_t n;
    char *svg = export_qr_svg("https://forum.example/e/abcdefghij/notes/t1234567", &n);
    char big[EXPORT_QR_MAX + 2];

    (void)state;
    assert_non_null(svg);
    assert_int_equal(strlen(svg), n);
    /* 47 bytes at level M need version 4 (33 modules; version 3 holds 42),
     * plus 2 x 4 of quiet zone. */
    assert_non_null(
        strstr(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 41 41\""));
    assert_non_null(strstr(svg, "shape-rendering=\"crispEdges\""));
    /* The finder pattern's top row starts at the quiet zone: seven dark modules. */
    assert_non_null(strstr(svg, "d=\"M4 4h7v1h-7z"));
    assert_non_null(strstr(svg, "</svg>\n"));
    for (const char *p = strstr(svg, " d=\"") + 4; *p != '"'; p++)
        assert_non_null(strchr("Mhvz-0123456789 ", *p));
    free(svg);
    assert_null(export_qr_svg("", &n));
    assert_int_equal(n, 0);
    assert_null(export_qr_svg(NULL, &n));
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_null(export_qr_svg(big, &n));
    big[EXPORT_QR_MAX] = '\0';
    svg = export_qr_svg(big, &n);
    assert_non_null(svg);
    free(svg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_plain_markdown),
        cmocka_unit_test(test_render_hostile_markdown),
        cmocka_unit_test(test_render_links_in_links_flattened),
        cmocka_unit_test(test_render_depth_bounded),
        cmocka_unit_test(test_render_bad_bytes),
        cmocka_unit_test(test_render_url_ok),
        cmocka_unit_test(test_render_is_safe),
        cmocka_unit_test(test_render_safe_commonmark),
        cmocka_unit_test(test_render_proceedings),
        cmocka_unit_test(test_render_qr),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
