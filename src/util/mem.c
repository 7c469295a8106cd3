/* SPDX-License-Identifier: MIT */
/* Allocation wrappers with a fail-the-Nth-allocation hook for fault tests. */
#include "forum/util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

static unsigned long fail_at;   /* 0: never fail */
static unsigned long alloc_seq; /* allocations since the hook was set */

void forum_mem_fail_nth(unsigned long n)
{
    fail_at = n;
    alloc_seq = 0;
}

unsigned long forum_mem_count(void)
{
    return alloc_seq;
}

/* Returns 1 when the hook says this allocation must fail. */
static int should_fail(void)
{
    alloc_seq++;
    return fail_at != 0 && alloc_seq == fail_at;
}

void *forum_try_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *forum_try_calloc(size_t n, size_t size)
{
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *forum_try_realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

char *forum_try_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = forum_try_malloc(n);

    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

static void oom(size_t size)
{
    fprintf(stderr, "forumd: out of memory (%zu bytes)\n", size);
    abort();
}

void *forum_xmalloc(size_t size)
{
    void *p = forum_try_malloc(size);

    if (p == NULL)
        oom(size);
    return p;
}

void *forum_xcalloc(size_t n, size_t size)
{
    void *p = forum_try_calloc(n, size);

    if (p == NULL)
        oom(n * size);
    return p;
}

void *forum_xrealloc(void *ptr, size_t size)
{
    void *p = forum_try_realloc(ptr, size);

    if (p == NULL)
        oom(size);
    return p;
}

char *forum_xstrdup(const char *s)
{
    return forum_xstrndup(s, strlen(s));
}

char *forum_xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = forum_xmalloc(len + 1);

    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void forum_mem_release(void)
{
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

void forum_mem_init_daemon(void)
{
#ifdef __GLIBC__
    mallopt(M_ARENA_MAX, 2);
#endif
}
