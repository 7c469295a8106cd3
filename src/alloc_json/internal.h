/* SPDX-License-Identifier: MIT */
/* Private declarations shared inside src/alloc_json/ (names carry alloc_json__). */
#ifndef FORUM_ALLOC_JSON_INTERNAL_H
#define FORUM_ALLOC_JSON_INTERNAL_H

#include <stddef.h>

#include <jansson.h>

#include "forum/status.h"

/*
 * Parses len bytes of text (not necessarily NUL-terminated, at most
 * ALLOC_JSON_MAX_BYTES) as one JSON object, duplicate keys refused. Returns
 * the new object (the caller owns it: json_decref()), or NULL with err
 * filled (FORUM_EINVAL: missing, too large, malformed, not an object, where
 * the message calls the document `what`).
 */
json_t *alloc_json__load_object(const char *text, size_t len, const char *what,
                                struct forum_error *err);

#endif /* FORUM_ALLOC_JSON_INTERNAL_H */
