/* SPDX-License-Identifier: MIT */
/*
 * A growable byte buffer with a hard maximum (curl's dynbuf "toobig").
 * Low-level module: it talks only to libc and util/mem.
 *
 * The contents are always NUL-terminated, so buf.ptr can be used as a
 * C string when no NUL was appended. Usage:
 *
 *     struct buf b;
 *     buf_init(&b, 64 * 1024);
 *     if (buf_append(&b, data, n) != FORUM_OK) ...too big or no memory...
 *     ...use b.ptr, b.len...
 *     buf_release(&b);
 */
#ifndef FORUM_UTIL_BUF_H
#define FORUM_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "forum/status.h"

struct buf {
    char *ptr;  /* read-only: the bytes, NUL-terminated; NULL until the first append */
    size_t len; /* read-only: bytes used, terminator excluded */
    size_t cap; /* private: bytes allocated */
    size_t max; /* private: the most len may ever reach */
};

/* Prepares b to hold at most max bytes. Allocates nothing. */
void buf_init(struct buf *b, size_t max);
/* Frees the contents; b may be initialised again. */
void buf_release(struct buf *b);
/* Empties b and keeps its memory. */
void buf_reset(struct buf *b);

/* Appends n bytes. Returns FORUM_EINVAL when max would be passed (b unchanged),
 * FORUM_ENOMEM. */
enum forum_status buf_append(struct buf *b, const void *data, size_t n);
enum forum_status buf_append_str(struct buf *b, const char *s);
enum forum_status buf_append_char(struct buf *b, char c);
enum forum_status buf_printf(struct buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
enum forum_status buf_vprintf(struct buf *b, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;

/*
 * Hands the contents over to the caller: returns an owned, NUL-terminated
 * string (free with free()), never NULL, and leaves b empty. OUT: len.
 */
char *buf_detach(struct buf *b, size_t *len);

#endif /* FORUM_UTIL_BUF_H */
