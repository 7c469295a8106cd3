/* SPDX-License-Identifier: MIT */
/* A growable, NUL-terminated byte buffer with a hard maximum. */
#include "forum/util/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"

void buf_init(struct buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void buf_release(struct buf *b)
{
    free(b->ptr);
    buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->ptr != NULL)
        b->ptr[0] = '\0';
}

/* Makes room for n more bytes and the terminator. */
static enum forum_status grow(struct buf *b, size_t n)
{
    size_t need, cap;
    char *p;

    if (n > b->max || b->len > b->max - n)
        return FORUM_EINVAL;
    need = b->len + n + 1;
    if (need <= b->cap)
        return FORUM_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = forum_try_realloc(b->ptr, cap);
    if (p == NULL)
        return FORUM_ENOMEM;
    b->ptr = p;
    b->cap = cap;
    return FORUM_OK;
}

enum forum_status buf_append(struct buf *b, const void *data, size_t n)
{
    enum forum_status rc = grow(b, n);

    if (rc != FORUM_OK)
        return rc;
    if (n > 0)
        memcpy(b->ptr + b->len, data, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return FORUM_OK;
}

enum forum_status buf_append_str(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

enum forum_status buf_append_char(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}

enum forum_status buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;
    enum forum_status rc;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return FORUM_EINVAL;
    rc = grow(b, (size_t)n);
    if (rc != FORUM_OK)
        return rc;
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return FORUM_OK;
}

enum forum_status buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    enum forum_status rc;

    va_start(ap, fmt);
    rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *buf_detach(struct buf *b, size_t *len)
{
    char *p = b->ptr;

    if (p == NULL)
        p = forum_xstrdup("");
    if (len != NULL)
        *len = b->len;
    buf_init(b, b->max);
    return p;
}
