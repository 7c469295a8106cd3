/* SPDX-License-Identifier: MIT */
/* Reading TZif files (RFC 8536): the transitions and offsets of one zone. */
#include "forum/util/tz.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "forum/util/mem.h"

/* A zone file is a few kilobytes; refuse anything much larger. */
#define TZ_FILE_MAX (256 * 1024)

struct tz {
    size_t n;           /* transitions */
    long long *at;      /* n transition instants, ascending */
    long *offset_after; /* n offsets in force from at[i] */
    long offset_before; /* before the first transition (or always, n = 0) */
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct header {
    uint32_t isut, isstd, leap, time, type, chars;
};

static void header_read(const unsigned char *p, struct header *h)
{
    h->isut = be32(p + 20);
    h->isstd = be32(p + 24);
    h->leap = be32(p + 28);
    h->time = be32(p + 32);
    h->type = be32(p + 36);
    h->chars = be32(p + 40);
}

/* The size of a data block after its header, with times of tsize bytes. */
static size_t block_size(const struct header *h, size_t tsize)
{
    return (size_t)h->time * tsize + h->time + (size_t)h->type * 6 + h->chars +
           (size_t)h->leap * (tsize + 4) + h->isstd + h->isut;
}

/* Parses the TZif bytes p[0..len). Returns false when they are not TZif. */
static bool parse(const unsigned char *p, size_t len, struct tz *z)
{
    struct header h;
    size_t tsize = 4, off = 44;
    const unsigned char *times, *idx, *types;

    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        return false;
    header_read(p, &h);
    if (p[4] >= '2') {
        /* Skip the 32-bit block: the second header has 64-bit times. */
        off += block_size(&h, 4);
        if (off + 44 > len || memcmp(p + off, "TZif", 4) != 0)
            return false;
        header_read(p + off, &h);
        off += 44;
        tsize = 8;
    }
    if (h.type == 0 || h.type > 256 || h.time > 100000 ||
        off + block_size(&h, tsize) > len)
        return false;
    times = p + off;
    idx = times + (size_t)h.time * tsize;
    types = idx + h.time;
    z->n = h.time;
    z->at = forum_xcalloc(h.time + 1, sizeof(*z->at));
    z->offset_after = forum_xcalloc(h.time + 1, sizeof(*z->offset_after));
    for (size_t i = 0; i < h.time; i++) {
        if (idx[i] >= h.type)
            return false;
        z->at[i] = tsize == 8 ? (long long)be64(times + i * 8)
                              : (long long)(int32_t)be32(times + i * 4);
        z->offset_after[i] = (long)(int32_t)be32(types + (size_t)idx[i] * 6);
        if (i > 0 && z->at[i] <= z->at[i - 1])
            return false;
    }
    /* RFC 8536 3.2: local time before the first transition is type 0. */
    z->offset_before = (long)(int32_t)be32(types);
    return true;
}

enum forum_status tz_load(const char *name, struct tz **out, struct forum_error *err)
{
    char path[256];
    unsigned char *buf = NULL;
    size_t len = 0;
    FILE *f;
    struct tz *z;

    *out = NULL;
    z = forum_xcalloc(1, sizeof(*z));
    if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0) {
        *out = z;
        return FORUM_OK;
    }
    if (name[0] == '\0' || name[0] == '/' || strstr(name, "..") != NULL ||
        strlen(name) > 128) {
        free(z);
        return forum_error_set(err, FORUM_EINVAL, "timezone", "not a zone name");
    }
    snprintf(path, sizeof(path), "%s/%s", TZ_DIR, name);
    f = fopen(path, "rb");
    if (f == NULL) {
        free(z);
        return forum_error_set(err, FORUM_EINVAL, "timezone", "unknown time zone %s",
                               name);
    }
    buf = forum_xmalloc(TZ_FILE_MAX);
    len = fread(buf, 1, TZ_FILE_MAX, f);
    fclose(f);
    if (!parse(buf, len, z)) {
        free(buf);
        tz_free(z);
        return forum_error_set(err, FORUM_EINVAL, "timezone", "%s is not a TZif file",
                               path);
    }
    free(buf);
    *out = z;
    return FORUM_OK;
}

void tz_free(struct tz *z)
{
    if (z == NULL)
        return;
    free(z->at);
    free(z->offset_after);
    free(z);
}

long tz_offset(const struct tz *z, long long t)
{
    size_t lo = 0, hi = z->n;

    if (z->n == 0 || t < z->at[0])
        return z->offset_before;
    /* The last transition at or before t. */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->at[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return z->offset_after[lo];
}

long long tz_from_local(const struct tz *z, long long local)
{
    /* Two rounds find the offset in force at the answer; in a gap, the
     * offset before the switch puts the instant after it. */
    long long t = local - tz_offset(z, local);
    long long first = local - tz_offset(z, t);
    long long early = local - tz_offset(z, first - 3600);

    /* Autumn: the same wall clock twice; take the earlier instant. */
    if (early < first && early + tz_offset(z, early) == local)
        return early;
    return first;
}
