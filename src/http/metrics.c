/* SPDX-License-Identifier: MIT */
/* The http layer's counters and their Prometheus text. */
#include "internal.h"

#include <inttypes.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

/* Upper bounds of the latency buckets in microseconds; the last is +Inf. */
static const uint64_t bucket_us[HTTP_LATENCY_BUCKETS] = {
    100,   250,   500,    1000,   2500,    5000,    10000,
    25000, 50000, 100000, 250000, 1000000, 5000000, UINT64_MAX};

void http_metrics_init(struct http_metrics *m)
{
    for (size_t i = 0; i < 6; i++)
        atomic_init(&m->requests[i], 0);
    atomic_init(&m->connections_total, 0);
    atomic_init(&m->connections_open, 0);
    atomic_init(&m->bytes_in, 0);
    atomic_init(&m->bytes_out, 0);
    for (size_t i = 0; i < HTTP_LATENCY_BUCKETS; i++)
        atomic_init(&m->latency_bucket[i], 0);
    atomic_init(&m->latency_sum_us, 0);
    atomic_init(&m->requests_rejected, 0);
}

void http_metrics_request(struct http_metrics *m, int status, uint64_t micros,
                          uint64_t bytes_in, uint64_t bytes_out)
{
    size_t cls = (status >= 100 && status < 600) ? (size_t)(status / 100) : 0;
    size_t b = 0;

    atomic_fetch_add_explicit(&m->requests[cls], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->bytes_in, bytes_in, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->bytes_out, bytes_out, memory_order_relaxed);
    while (b + 1 < HTTP_LATENCY_BUCKETS && micros > bucket_us[b])
        b++;
    atomic_fetch_add_explicit(&m->latency_bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->latency_sum_us, micros, memory_order_relaxed);
}

static uint64_t load(const _Atomic uint64_t *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

/* The process's resident memory in bytes (Linux /proc), or -1. */
static int64_t resident_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long long size = 0, resident = -1;
    long page = sysconf(_SC_PAGESIZE);

    if (f == NULL)
        return -1;
    if (fscanf(f, "%lld %lld", &size, &resident) != 2)
        resident = -1;
    fclose(f);
    return resident < 0 || page <= 0 ? -1 : (int64_t)(resident * page);
}

/* Process-wide memory: what the system gives us and what malloc holds of it. */
static void format_memory(struct buf *out)
{
    struct mallinfo2 mi = mallinfo2();

    buf_printf(out,
               "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
               "# TYPE process_resident_memory_bytes gauge\n"
               "process_resident_memory_bytes %" PRId64 "\n"
               "# HELP forumd_heap_bytes Memory malloc has taken from the system "
               "(all arenas, mmapped blocks included).\n"
               "# TYPE forumd_heap_bytes gauge\n"
               "forumd_heap_bytes %zu\n"
               "# HELP forumd_heap_in_use_bytes The part of it allocated now.\n"
               "# TYPE forumd_heap_in_use_bytes gauge\n"
               "forumd_heap_in_use_bytes %zu\n",
               resident_bytes(), mi.arena + mi.hblkhd, mi.uordblks + mi.hblkhd);
}

void http_metrics_format(const struct http_metrics *m, struct buf *out)
{
    static const char *const classes[6] = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
    uint64_t cumulative = 0, count = 0;

    buf_append_str(out, "# HELP forumd_http_requests_total HTTP requests finished, by "
                        "status class (none: the client left before an answer).\n"
                        "# TYPE forumd_http_requests_total counter\n");
    for (size_t i = 0; i < 6; i++)
        buf_printf(out, "forumd_http_requests_total{class=\"%s\"} %" PRIu64 "\n",
                   classes[i], load(&m->requests[i]));
    buf_printf(out,
               "# HELP forumd_http_rejected_total Requests refused by the http layer "
               "itself (limits, bad paths).\n"
               "# TYPE forumd_http_rejected_total counter\n"
               "forumd_http_rejected_total %" PRIu64 "\n",
               load(&m->requests_rejected));
    buf_printf(out,
               "# HELP forumd_http_connections_total Connections accepted.\n"
               "# TYPE forumd_http_connections_total counter\n"
               "forumd_http_connections_total %" PRIu64 "\n"
               "# HELP forumd_http_connections_open Connections open now.\n"
               "# TYPE forumd_http_connections_open gauge\n"
               "forumd_http_connections_open %" PRId64 "\n",
               load(&m->connections_total),
               (int64_t)atomic_load_explicit(&m->connections_open, memory_order_relaxed));
    buf_printf(out,
               "# HELP forumd_http_received_bytes_total Request body bytes received.\n"
               "# TYPE forumd_http_received_bytes_total counter\n"
               "forumd_http_received_bytes_total %" PRIu64 "\n"
               "# HELP forumd_http_sent_bytes_total Response body bytes sent.\n"
               "# TYPE forumd_http_sent_bytes_total counter\n"
               "forumd_http_sent_bytes_total %" PRIu64 "\n",
               load(&m->bytes_in), load(&m->bytes_out));
    buf_append_str(out,
                   "# HELP forumd_http_request_duration_seconds Time from the request "
                   "line to the end of the answer.\n"
                   "# TYPE forumd_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i < HTTP_LATENCY_BUCKETS; i++) {
        cumulative += load(&m->latency_bucket[i]);
        if (bucket_us[i] == UINT64_MAX)
            buf_printf(out,
                       "forumd_http_request_duration_seconds_bucket{le=\"+Inf\"} %" PRIu64
                       "\n",
                       cumulative);
        else
            buf_printf(out,
                       "forumd_http_request_duration_seconds_bucket{le=\"%g\"} %" PRIu64
                       "\n",
                       (double)bucket_us[i] / 1e6, cumulative);
    }
    count = cumulative;
    buf_printf(out,
               "forumd_http_request_duration_seconds_sum %.6f\n"
               "forumd_http_request_duration_seconds_count %" PRIu64 "\n",
               (double)load(&m->latency_sum_us) / 1e6, count);
    format_memory(out);
}
