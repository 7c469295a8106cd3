/* SPDX-License-Identifier: MIT */
/*
 * The notes renderer: CommonMark parsed by cmark (Debian's libcmark, with
 * its safe options), made safe on the tree, then written either as a tree
 * of JSON elements that the pages build with text nodes only, or back as
 * CommonMark for the proceedings' Markdown. Fuzzed directly by
 * tests/fuzz/fuzz_markdown.c.
 */
#include <cmark.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forum/util/mem.h"
#include "internal.h"

/* CMARK_OPT_SAFE is cmark's default since 0.29 (raw HTML and dangerous
 * links left out of its HTML); it is said here anyway, and the tree is made
 * safe below whatever cmark's renderers would do. */
#define PARSE_OPTIONS (CMARK_OPT_SAFE | CMARK_OPT_VALIDATE_UTF8)

bool export_markdown_url_ok(const char *url)
{
    static const char *const schemes[] = {"http://", "https://", "mailto:"};

    if (url == NULL || url[0] == '\0')
        return false;
    /* No controls, spaces or backslashes (browsers read "/\\host" as "//host"). */
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == 0x7F || *p == '\\')
            return false;
    if (url[0] == '#')
        return true;
    if (url[0] == '/')
        return url[1] != '/'; /* a path on this site, not "//host" */
    for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
        size_t n = strlen(schemes[i]);
        if (strncasecmp(url, schemes[i], n) == 0)
            return url[n] != '\0';
    }
    return false;
}

/* ---- making the tree safe ----------------------------------------------------- */

/* Puts node before `before`, or frees it when the tree cannot hold it there. */
static void put_before(cmark_node *before, cmark_node *node)
{
    cmark_node_unlink(node);
    if (!cmark_node_insert_before(before, node))
        cmark_node_free(node);
}

/* Replaces node by its children (a link's text without the link). */
static void unwrap(cmark_node *node)
{
    cmark_node *ch;

    while ((ch = cmark_node_first_child(node)) != NULL)
        put_before(node, ch);
    cmark_node_free(node); /* unlinks it first */
}

/* Appends text to parent as text nodes, lines joined by breaks of kind brk. */
static void append_lines(cmark_node *parent, const char *text, cmark_node_type brk)
{
    const char *p = text;
    size_t len = strlen(text);

    /* A block's literal ends with its newline: not a line of its own. */
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        len--;
    while (p < text + len) {
        const char *nl = memchr(p, '\n', (size_t)(text + len - p));
        size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(text + len - p);
        cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
        char *line = forum_xstrndup(p, n);

        if (n > 0 && line[n - 1] == '\r')
            line[n - 1] = '\0';
        cmark_node_set_literal(t, line);
        free(line);
        if (!cmark_node_append_child(parent, t))
            cmark_node_free(t);
        if (nl == NULL)
            break;
        p = nl + 1;
        if (p < text + len) {
            cmark_node *b = cmark_node_new(brk);
            if (!cmark_node_append_child(parent, b))
                cmark_node_free(b);
        }
    }
}

/* Raw HTML becomes what it is: text. A block becomes a paragraph whose
 * lines are kept (hard breaks); inline HTML, text with soft breaks. */
static void html_to_text(cmark_node *node, bool block)
{
    const char *lit = cmark_node_get_literal(node);
    cmark_node *repl;

    if (block) {
        repl = cmark_node_new(CMARK_NODE_PARAGRAPH);
        append_lines(repl, lit != NULL ? lit : "", CMARK_NODE_LINEBREAK);
        if (cmark_node_first_child(repl) == NULL) {
            cmark_node_free(repl);
            cmark_node_free(node);
            return;
        }
        put_before(node, repl);
        cmark_node_free(node);
        return;
    }
    /* Inline: the text goes where the node was, line by line. */
    repl = cmark_node_new(CMARK_NODE_EMPH); /* a temporary holder */
    append_lines(repl, lit != NULL ? lit : "", CMARK_NODE_SOFTBREAK);
    put_before(node, repl);
    cmark_node_free(node);
    unwrap(repl);
}

/* True when an ancestor of node is a link or an image. */
static bool inside_link(cmark_node *node)
{
    for (cmark_node *p = cmark_node_parent(node); p != NULL; p = cmark_node_parent(p)) {
        cmark_node_type t = cmark_node_get_type(p);
        if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)
            return true;
    }
    return false;
}

/* An image is never loaded: a safe one becomes a link to its source, its
 * description the link's text; an unsafe one, its description. */
static void image_to_link(cmark_node *img)
{
    const char *url = cmark_node_get_url(img);
    cmark_node *link, *ch;

    if (!export_markdown_url_ok(url) || inside_link(img)) {
        unwrap(img);
        return;
    }
    link = cmark_node_new(CMARK_NODE_LINK);
    cmark_node_set_url(link, url);
    while ((ch = cmark_node_first_child(img)) != NULL) {
        cmark_node_unlink(ch);
        if (!cmark_node_append_child(link, ch))
            cmark_node_free(ch);
    }
    if (cmark_node_first_child(link) == NULL) {
        /* No description: the address itself is the text. */
        cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);
        cmark_node_set_literal(t, url);
        cmark_node_append_child(link, t);
    }
    put_before(img, link);
    cmark_node_free(img);
}

/*
 * Makes the tree of doc safe: raw HTML as text, links only to the web, mail
 * or this site (and never inside another link), images as links, headings
 * moved down by shift levels (at most h6). Nodes are changed in reverse
 * document order, so that each one is changed after everything inside it
 * and no iterator walks a tree being changed.
 */
static void make_safe(cmark_node *doc, int shift)
{
    cmark_iter *it = cmark_iter_new(doc);
    cmark_node **v = NULL;
    size_t n = 0, cap = 0;
    cmark_event_type ev;

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);

        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (t == CMARK_NODE_HEADING && shift > 0) {
            int level = cmark_node_get_heading_level(node) + shift;
            cmark_node_set_heading_level(node, level > 6 ? 6 : level);
        }
        if (t != CMARK_NODE_HTML_BLOCK && t != CMARK_NODE_HTML_INLINE &&
            t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE &&
            t != CMARK_NODE_CUSTOM_BLOCK && t != CMARK_NODE_CUSTOM_INLINE)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            v = forum_xrealloc(v, cap * sizeof(*v));
        }
        v[n++] = node;
    }
    cmark_iter_free(it);
    while (n-- > 0) {
        cmark_node *node = v[n];
        switch (cmark_node_get_type(node)) {
        case CMARK_NODE_HTML_BLOCK:
            html_to_text(node, true);
            break;
        case CMARK_NODE_HTML_INLINE:
            html_to_text(node, false);
            break;
        case CMARK_NODE_LINK:
            if (!export_markdown_url_ok(cmark_node_get_url(node)) || inside_link(node))
                unwrap(node);
            else
                cmark_node_set_title(node, ""); /* titles are not shown */
            break;
        case CMARK_NODE_IMAGE:
            image_to_link(node);
            break;
        default: /* custom nodes: the parser makes none; their content stays */
            unwrap(node);
            break;
        }
    }
    free(v);
}

static cmark_node *parse_safe(const char *md, size_t len, int shift)
{
    cmark_node *doc =
        cmark_parse_document(md != NULL ? md : "", md != NULL ? len : 0, PARSE_OPTIONS);

    make_safe(doc, shift);
    return doc;
}

/* ---- the JSON tree -------------------------------------------------------------- */

/* The tag of a container node, or NULL for the document. */
static const char *tag_of(cmark_node *node)
{
    static const char *const headings[] = {"h1", "h1", "h2", "h3", "h4", "h5", "h6"};
    int level;

    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_PARAGRAPH:
        return "p";
    case CMARK_NODE_HEADING:
        level = cmark_node_get_heading_level(node);
        return headings[level < 1 ? 1 : level > 6 ? 6 : level];
    case CMARK_NODE_BLOCK_QUOTE:
        return "blockquote";
    case CMARK_NODE_LIST:
        return cmark_node_get_list_type(node) == CMARK_ORDERED_LIST ? "ol" : "ul";
    case CMARK_NODE_ITEM:
        return "li";
    case CMARK_NODE_EMPH:
        return "em";
    case CMARK_NODE_STRONG:
        return "strong";
    case CMARK_NODE_LINK:
        return "a";
    default:
        return NULL;
    }
}

struct jw {
    struct buf *b;
    /* Per open element: nothing written in it yet (only the document's array
     * starts so; an element's tag comes first). */
    bool first[EXPORT_MARKDOWN_DEPTH + 2];
    int open; /* elements open (the document's array is 1) */
};

/* Starts one child of the innermost open element. */
static void child(struct jw *w)
{
    if (!w->first[w->open])
        export__put_char(w->b, ',');
    w->first[w->open] = false;
}

static void put_leaf(struct jw *w, const char *tag, const char *text)
{
    child(w);
    export__put_str(w->b, "[\"");
    export__put_str(w->b, tag);
    export__put_char(w->b, '"');
    if (text != NULL) {
        export__put_char(w->b, ',');
        export__put_json_str(w->b, text);
    }
    export__put_char(w->b, ']');
}

/* Writes node's leaf content. */
static void leaf(struct jw *w, cmark_node *node)
{
    const char *lit = cmark_node_get_literal(node);

    switch (cmark_node_get_type(node)) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_HTML_INLINE: /* make_safe() leaves none; text if it did */
    case CMARK_NODE_HTML_BLOCK:
        child(w);
        export__put_json_str(w->b, lit);
        break;
    case CMARK_NODE_SOFTBREAK:
        child(w);
        export__put_json_str(w->b, "\n");
        break;
    case CMARK_NODE_LINEBREAK:
        put_leaf(w, "br", NULL);
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        put_leaf(w, "hr", NULL);
        break;
    case CMARK_NODE_CODE:
        put_leaf(w, "code", lit != NULL ? lit : "");
        break;
    case CMARK_NODE_CODE_BLOCK:
        child(w);
        export__put_str(w->b, "[\"pre\"");
        w->open++; /* never past the array: leaves open at most one level */
        w->first[w->open] = false;
        put_leaf(w, "code", lit != NULL ? lit : "");
        w->open--;
        export__put_char(w->b, ']');
        break;
    default:
        break;
    }
}

/* Opens the element of container node, with its attributes. */
static void open_element(struct jw *w, cmark_node *node, const char *tag)
{
    char num[32];

    child(w);
    export__put_str(w->b, "[\"");
    export__put_str(w->b, tag);
    export__put_char(w->b, '"');
    if (cmark_node_get_type(node) == CMARK_NODE_LINK) {
        export__put_str(w->b, ",{\"href\":");
        export__put_json_str(w->b, cmark_node_get_url(node));
        export__put_char(w->b, '}');
    } else if (cmark_node_get_type(node) == CMARK_NODE_LIST &&
               cmark_node_get_list_type(node) == CMARK_ORDERED_LIST &&
               cmark_node_get_list_start(node) != 1) {
        snprintf(num, sizeof(num), ",{\"start\":%d}", cmark_node_get_list_start(node));
        export__put_str(w->b, num);
    }
    w->open++;
    w->first[w->open] = false; /* the tag is written: children follow a comma */
}

char *export_markdown_json(const char *md, size_t len, size_t *out_len)
{
    cmark_node *doc = parse_safe(md, len, 0);
    cmark_iter *it = cmark_iter_new(doc);
    struct buf b;
    struct jw w;
    int depth = 0; /* containers entered (the document excluded) */
    cmark_event_type ev;

    buf_init(&b, EXPORT_MAX);
    memset(&w, 0, sizeof(w));
    w.b = &b;
    export__put_char(&b, '[');
    w.open = 0;
    w.first[0] = true;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        const char *tag = tag_of(node);

        if (node == doc)
            continue;
        if (tag == NULL) {
            if (ev == CMARK_EVENT_ENTER)
                leaf(&w, node);
            continue;
        }
        /* Deeper than EXPORT_MARKDOWN_DEPTH, a container's content goes into
         * the innermost element kept: the text stays, the nesting does not. */
        if (ev == CMARK_EVENT_ENTER) {
            depth++;
            if (depth <= EXPORT_MARKDOWN_DEPTH)
                open_element(&w, node, tag);
        } else {
            if (depth <= EXPORT_MARKDOWN_DEPTH) {
                export__put_char(&b, ']');
                w.open--;
            }
            depth--;
        }
    }
    export__put_char(&b, ']');
    cmark_iter_free(it);
    cmark_node_free(doc);
    return buf_detach(&b, out_len);
}

/* ---- safe CommonMark -------------------------------------------------------------- */

/* cmark's writer keeps two adjacent lists apart with this comment. */
#define END_LIST "<!-- end list -->"

bool export_markdown_is_safe(const char *md, size_t len)
{
    cmark_node *doc = cmark_parse_document(md != NULL ? md : "", md != NULL ? len : 0,
                                           CMARK_OPT_DEFAULT);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    bool safe = true;

    while (safe && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *x = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(x);
        const char *lit = cmark_node_get_literal(x);

        if (ev != CMARK_EVENT_ENTER)
            continue;
        if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE)
            safe = lit != NULL && strncmp(lit, END_LIST, strlen(END_LIST)) == 0 &&
                   strspn(lit + strlen(END_LIST), "\n") == strlen(lit + strlen(END_LIST));
        else if (t == CMARK_NODE_IMAGE)
            safe = false;
        else if (t == CMARK_NODE_LINK)
            safe = export_markdown_url_ok(cmark_node_get_url(x));
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    return safe;
}

/*
 * The text as it was typed, in a fenced code block that CommonMark never
 * reads as anything else: a fence one backtick longer than the longest run
 * of backticks in it. Invalid UTF-8 and NUL become U+FFFD, as cmark does.
 */
static char *literal_block(const char *md, size_t len, size_t *out_len)
{
    struct buf b;
    size_t run = 0, longest = 0;

    for (size_t i = 0; i < len; i++) {
        run = md[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    buf_init(&b, EXPORT_MAX);
    for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
        export__put_char(&b, '`');
    export__put_char(&b, '\n');
    for (size_t i = 0; i < len;) {
        char tmp[5] = {0};
        size_t n = len - i >= 4 ? 4 : len - i;
        memcpy(tmp, md + i, n);
        n = md[i] == '\0' ? 0 : export__utf8_len((const unsigned char *)tmp);
        if (n == 0) {
            export__put_str(&b, "\xEF\xBF\xBD");
            i++;
        } else {
            export__put(&b, md + i, n);
            i += n;
        }
    }
    if (len == 0 || md[len - 1] != '\n')
        export__put_char(&b, '\n');
    for (size_t i = 0; i < (longest < 3 ? 3 : longest + 1); i++)
        export__put_char(&b, '`');
    export__put_char(&b, '\n');
    return buf_detach(&b, out_len);
}

char *export_markdown_safe(const char *md, size_t len, int shift, size_t *out_len)
{
    cmark_node *doc = parse_safe(md, len, shift < 0 ? 0 : shift);
    char *text = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
    size_t n = strlen(text);
    char *out;

    cmark_node_free(doc);
    /* cmark's writer does not promise that its text reads back as the same
     * tree: the text is read again, and when it would not be safe, the notes
     * go out as a literal block instead. */
    if (!export_markdown_is_safe(text, n)) {
        free(text);
        return literal_block(md != NULL ? md : "", md != NULL ? len : 0, out_len);
    }
    /* cmark's memory goes back to cmark's allocator; ours to free(). */
    out = forum_xmalloc(n + 1);
    memcpy(out, text, n + 1);
    free(text);
    *out_len = n;
    return out;
}
