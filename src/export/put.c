/* SPDX-License-Identifier: MIT */
/* Appending to the export buffers under the daemon's out-of-memory policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* buf_ propagates FORUM_ENOMEM: the writers abort on it; FORUM_EINVAL (past
 * EXPORT_MAX) leaves the buffer as it was, and what would pass is left out. */
void export__put(struct buf *b, const char *s, size_t n)
{
    if (buf_append(b, s, n) == FORUM_ENOMEM) {
        fprintf(stderr, "forumd: out of memory (export of %zu bytes)\n", b->len + n);
        abort();
    }
}

void export__put_str(struct buf *b, const char *s)
{
    export__put(b, s, strlen(s));
}

void export__put_char(struct buf *b, char c)
{
    export__put(b, &c, 1);
}

const char *export__nz(const char *s)
{
    return s != NULL ? s : "";
}

void export__put_hosts(struct buf *b, const char *const *hosts, size_t n, const char *sep)
{
    for (size_t h = 0; h < n; h++) {
        if (h > 0)
            export__put_str(b, sep);
        export__put_str(b, export__nz(hosts[h]));
    }
}
