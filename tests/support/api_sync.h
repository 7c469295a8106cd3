/* SPDX-License-Identifier: MIT */
/*
 * Test support: api_handle() made synchronous. Shared by the socket-less
 * API test client (tests/api/client.c) and the fuzz/fault client
 * (tests/fuzz/fuzz_client.c).
 */
#ifndef FORUM_TESTS_API_SYNC_H
#define FORUM_TESTS_API_SYNC_H

#include "forum/api.h"

/*
 * Calls api_handle(api, req, resp) and, when the answer is pending (an
 * allocation runs on the worker), waits until api/ calls ready(). Sets
 * req->ready and req->ready_cls; resp must be initialised. On return resp
 * holds the complete answer and resp->pending is false.
 */
void ts_api_call(struct api *api, struct api_request *req, struct api_response *resp);

#endif /* FORUM_TESTS_API_SYNC_H */
