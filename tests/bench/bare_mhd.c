/* SPDX-License-Identifier: MIT */
/*
 * The baseline of bench_http.sh: a bare libmicrohttpd program that answers
 * every GET with the same bytes from memory (the schedule forumd serves),
 * with its ETag and 304 on If-None-Match, on the daemon settings forumd uses
 * (internal polling thread, epoll, a thread pool of the same size,
 * suspend/resume enabled). Whatever forumd adds on top (routing, the api,
 * the cache lookup, headers, metrics) shows as the gap between the two.
 *
 * usage: bare_mhd PORT FILE ETAG [THREADS]   (stops on SIGTERM/SIGINT)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

static struct MHD_Response *full;
static struct MHD_Response *not_modified;
static const char *etag;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **req_cls)
{
    static int first;
    const char *inm;

    (void)cls;
    (void)url;
    (void)method;
    (void)version;
    (void)upload_data;
    if (*req_cls == NULL) {
        *req_cls = &first; /* the standard two-call pattern, as forumd does */
        return MHD_YES;
    }
    *upload_data_size = 0;
    inm =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (inm != NULL && strcmp(inm, etag) == 0)
        return MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, not_modified);
    return MHD_queue_response(conn, MHD_HTTP_OK, full);
}

int main(int argc, char **argv)
{
    struct MHD_Daemon *d;
    unsigned threads = 4;
    char *data;
    long len;
    FILE *fp;
    sigset_t sigs;
    int sig;

    if (argc < 4) {
        fputs("usage: bare_mhd PORT FILE ETAG [THREADS]\n", stderr);
        return 2;
    }
    if (argc > 4)
        threads = (unsigned)atoi(argv[4]);
    etag = argv[3];
    fp = fopen(argv[2], "rb");
    if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0) {
        perror(argv[2]);
        return 1;
    }
    rewind(fp);
    data = malloc((size_t)len + 1);
    if (data == NULL || fread(data, 1, (size_t)len, fp) != (size_t)len) {
        perror(argv[2]);
        return 1;
    }
    fclose(fp);
    full = MHD_create_response_from_buffer((size_t)len, data, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(full, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    MHD_add_response_header(full, MHD_HTTP_HEADER_ETAG, etag);
    not_modified = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(not_modified, MHD_HTTP_HEADER_ETAG, etag);

    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME,
        (uint16_t)atoi(argv[1]), NULL, NULL, on_request, NULL,
        MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, 4096u,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, 512u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32 * 1024,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, MHD_OPTION_END);
    if (d == NULL) {
        fputs("bare_mhd: could not start\n", stderr);
        return 1;
    }
    fprintf(stderr, "bare_mhd: listening on http://127.0.0.1:%s\n", argv[1]);
    sigwait(&sigs, &sig);
    MHD_stop_daemon(d);
    MHD_destroy_response(full);
    MHD_destroy_response(not_modified);
    free(data);
    return 0;
}
