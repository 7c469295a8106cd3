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

#endif /* FORUM_EXPORT_INTERNAL_H */
