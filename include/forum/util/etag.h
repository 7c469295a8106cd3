/* SPDX-License-Identifier: MIT */
/*
 * The one If-None-Match parser (RFC 9110, 13.1.2), shared by the static
 * files of http/ and the published schedule of api/.
 * Low-level module: it talks only to libc.
 */
#ifndef FORUM_UTIL_ETAG_H
#define FORUM_UTIL_ETAG_H

#include <stdbool.h>

/*
 * True when the If-None-Match header value if_none_match lists etag (a
 * quoted entity tag such as "\"e1-v3\""), or is "*". The comparison is the
 * weak one the RFC asks for here: W/"x" matches "x". Members are separated
 * by commas with optional spaces or tabs around them. Returns false when
 * either argument is NULL. Reads at most the two strings; no allocation.
 */
bool etag_matches(const char *if_none_match, const char *etag);

#endif /* FORUM_UTIL_ETAG_H */
