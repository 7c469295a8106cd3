/* SPDX-License-Identifier: MIT */
/*
 * Allocation wrappers. Low-level module: it talks only to libc.
 *
 * forum_x* abort the process on out-of-memory (the daemon's policy, as in
 * tmux, git and h2o); forum_try_* return NULL instead, for the places that
 * propagate FORUM_ENOMEM (the allocator core, parsers under fuzzing).
 * Both go through one hook that tests use to fail the Nth allocation
 * (jansson's chaos test, SQLite's *fault tests).
 */
#ifndef FORUM_UTIL_MEM_H
#define FORUM_UTIL_MEM_H

#include <stddef.h>

void *forum_try_malloc(size_t size);
void *forum_try_calloc(size_t n, size_t size);
void *forum_try_realloc(void *ptr, size_t size);
/* Returns an owned copy of s (free with free()), or NULL on out-of-memory. */
char *forum_try_strdup(const char *s);

void *forum_xmalloc(size_t size);
void *forum_xcalloc(size_t n, size_t size);
void *forum_xrealloc(void *ptr, size_t size);
char *forum_xstrdup(const char *s);
char *forum_xstrndup(const char *s, size_t n);

/*
 * Test hook: after this call the nth allocation from now on (1 = the next)
 * fails, and every one after it succeeds again. 0 disables the hook.
 * Counting is process-wide and not thread-safe: tests only.
 */
void forum_mem_fail_nth(unsigned long n);
/* Returns how many allocations went through the wrappers since the hook was set. */
unsigned long forum_mem_count(void);

/*
 * Gives the memory malloc keeps free back to the system (glibc's
 * malloc_trim; nothing elsewhere). Called when a burst of allocations is
 * over, so that a long-running daemon's resident size follows what it uses.
 */
void forum_mem_release(void);

/*
 * For a long-running daemon, before it starts threads: at most two malloc
 * arenas (glibc; nothing elsewhere). Each thread's own arena keeps its free
 * memory to itself, so with one arena per server thread freed memory is
 * scattered and the resident size creeps up; the per-thread caches keep
 * the fast path uncontended.
 */
void forum_mem_init_daemon(void);

#endif /* FORUM_UTIL_MEM_H */
