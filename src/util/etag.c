/* SPDX-License-Identifier: MIT */
/* The If-None-Match comparison of http/ and api/ (one parser for both). */
#include "forum/util/etag.h"

#include <string.h>

bool etag_matches(const char *if_none_match, const char *etag)
{
    size_t k;
    const char *p;

    if (if_none_match == NULL || etag == NULL)
        return false;
    k = strlen(etag);
    p = if_none_match;
    while (*p != '\0') {
        size_t len;

        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '\0')
            break;
        len = strcspn(p, ",");
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == 1 && *p == '*')
            return true;
        /* A weak validator (W/"x") matches too: If-None-Match uses weak comparison. */
        if (len >= 2 && p[0] == 'W' && p[1] == '/' && len - 2 == k &&
            memcmp(p + 2, etag, k) == 0)
            return true;
        if (len == k && memcmp(p, etag, k) == 0)
            return true;
        p += strcspn(p, ",");
    }
    return false;
}
