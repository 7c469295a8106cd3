/* SPDX-License-Identifier: MIT */
/* The api/ test double of tests/http (see fake_api.c). */
#ifndef FORUM_TESTS_HTTP_FAKE_API_H
#define FORUM_TESTS_HTTP_FAKE_API_H

#include "forum/api.h"
#include "forum/util/buf.h"

/* Writes one fixed metrics line (the api's part of /metrics). */
void fake_api_metrics(void *cls, struct buf *out);

#endif /* FORUM_TESTS_HTTP_FAKE_API_H */
