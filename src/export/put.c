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

size_t export__utf8_len(const unsigned char *p)
{
    unsigned char lo = 0x80, hi = 0xBF;

    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        if (p[0] == 0xE0)
            lo = 0xA0;
        else if (p[0] == 0xED)
            hi = 0x9F;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        if (p[0] == 0xF0)
            lo = 0x90;
        else if (p[0] == 0xF4)
            hi = 0x8F;
        return p[1] >= lo && p[1] <= hi && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80
                   ? 4
                   : 0;
    }
    return 0;
}

void export__put_json_str(struct buf *b, const char *s)
{
    char esc[8];

    export__put_char(b, '"');
    for (const unsigned char *p = (const unsigned char *)export__nz(s); *p;) {
        size_t n = export__utf8_len(p);

        if (n == 0) {
            export__put_str(b, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        if (n > 1) {
            export__put(b, (const char *)p, n);
            p += n;
            continue;
        }
        if (*p == '"' || *p == '\\') {
            export__put_char(b, '\\');
            export__put_char(b, (char)*p);
        } else if (*p == '\n') {
            export__put_str(b, "\\n");
        } else if (*p < 0x20 || *p == 0x7F) {
            snprintf(esc, sizeof(esc), "\\u%04x", *p);
            export__put_str(b, esc);
        } else {
            export__put_char(b, (char)*p);
        }
        p++;
    }
    export__put_char(b, '"');
}
