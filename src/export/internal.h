/* SPDX-License-Identifier: MIT */
/* Private helpers shared by the writers of src/export/. */
#ifndef FORUM_EXPORT_INTERNAL_H
#define FORUM_EXPORT_INTERNAL_H

#include <stddef.h>

#include "forum/export.h"
#include "forum/util/buf.h"

/* Appends n bytes of s to b: aborts when out of memory (the daemon's policy,
 * docs/decisions/0001); past EXPORT_MAX the buffer stays as it was. */
void export__put(struct buf *b, const char *s, size_t n);
void export__put_str(struct buf *b, const char *s);
void export__put_char(struct buf *b, char c);
/* s, or "" when s is NULL. */
const char *export__nz(const char *s);
/* Appends the n host names of hosts to b, separated by sep. */
void export__put_hosts(struct buf *b, const char *const *hosts, size_t n,
                       const char *sep);

/*
 * Returns the length (1 to 4) of the well-formed UTF-8 sequence that starts
 * at p (NUL-terminated), or 0 when none does (RFC 3629: no overlong forms,
 * no surrogates, nothing past U+10FFFF).
 */
size_t export__utf8_len(const unsigned char *p);
/* Appends s as a JSON string (quotes included): '"', '\\' and control
 * characters escaped, each byte that starts no well-formed UTF-8 sequence
 * written as U+FFFD. */
void export__put_json_str(struct buf *b, const char *s);

#endif /* FORUM_EXPORT_INTERNAL_H */
