/* SPDX-License-Identifier: MIT */
/*
 * Levelled logging on stderr: one line per event, prefixed with an ISO 8601
 * UTC time and the level. Thread-safe (one write(2) per line).
 * Low-level module. Never used inside src/alloc/.
 */
#ifndef FORUM_UTIL_LOG_H
#define FORUM_UTIL_LOG_H

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

/* Sets the lowest level written; the default is LOG_LEVEL_INFO. */
void log_set_level(enum log_level level);
/* Parses "debug", "info", "warn" or "error". Returns 0, or -1 if unknown. */
int log_level_parse(const char *name, enum log_level *out);

void log_write(enum log_level level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#define log_debug(...) log_write(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...) log_write(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...) log_write(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...) log_write(LOG_LEVEL_ERROR, __VA_ARGS__)

#endif /* FORUM_UTIL_LOG_H */
