/* SPDX-License-Identifier: MIT */
/*
 * `forumd serve`: the daemon. Parses its options, opens the api over the
 * database, starts the HTTP server, waits for SIGTERM/SIGINT and stops in
 * reverse order (stop accepting, finish requests in flight, close the
 * database). See docs/operations.md.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "forum/api.h"
#include "forum/http.h"
#include "forum/store.h"
#include "forum/util/log.h"
#include "forum/util/mem.h"

static const char serve_usage[] =
    "usage: forumd serve [options]\n"
    "\n"
    "  --listen ADDR:PORT        address to listen on (default 127.0.0.1:8080;\n"
    "                            port 0 picks a free port; [::]:8080 for IPv6)\n"
    "  --db PATH                 the SQLite database (default forumd.db)\n"
    "  --web DIR                 serve the pages from DIR instead of the embedded copy\n"
    "  --demo                    fill an empty database with a demo event, print its "
    "links\n"
    "  --admin-token-file PATH   the admin token: read from PATH, or created there\n"
    "                            (mode 0600) when PATH does not exist; without it,\n"
    "                            FORUMD_ADMIN_TOKEN, else one is generated at first\n"
    "                            start and printed once\n"
    "  --trusted-proxy ADDR[/BITS]  believe X-Forwarded-For from this proxy "
    "(repeatable,\n"
    "                            up to 16): the client is the rightmost address not\n"
    "                            itself a trusted proxy\n"
    "  --public-url URL          base URL for printed links (default http://ADDR:PORT)\n"
    "  --threads N               server threads (default 4)\n"
    "  --max-connections N       open connections in all (default 4096)\n"
    "  --per-ip-connections N    open connections from one address (default 512)\n"
    "  --timeout SECONDS         idle connection timeout (default 30)\n"
    "  --write-burst N           writes one participant token may burst (default 60;\n"
    "                            facilitators and the admin get ten times as much)\n"
    "  --write-per-minute N      the rate that burst refills at (default 120)\n"
    "  --auth-failures-per-minute N  failed authentications per address (default 20)\n"
    "  --log-level LEVEL         debug, info (default: one line per request), warn, "
    "error\n"
    "  --help                    this text\n";

enum {
    OPT_LISTEN = 256,
    OPT_DB,
    OPT_WEB,
    OPT_DEMO,
    OPT_TOKEN_FILE,
    OPT_TRUSTED_PROXY,
    OPT_PUBLIC_URL,
    OPT_THREADS,
    OPT_MAX_CONN,
    OPT_PER_IP,
    OPT_TIMEOUT,
    OPT_WRITE_BURST,
    OPT_WRITE_RATE,
    OPT_AUTH_FAILURES,
    OPT_LOG_LEVEL,
    OPT_HELP
};

struct serve_options {
    const char *listen;
    const char *db;
    const char *web;
    const char *token_file;
    const char *public_url;
    bool demo;
    unsigned threads, max_conn, per_ip, timeout_s;
    unsigned write_burst, write_per_minute, auth_failures; /* 0 = the api's defaults */
    struct http_net proxies[HTTP_TRUSTED_PROXIES_MAX];
    size_t n_proxies;
};

/* Parses a positive integer option within [1, max]. Returns 0, or -1 after a message. */
static int parse_uint(const char *name, const char *text, unsigned max, unsigned *out)
{
    char *end = NULL;
    unsigned long v;

    errno = 0;
    v = strtoul(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v == 0 || v > max) {
        fprintf(stderr, "forumd serve: --%s wants an integer from 1 to %u, not '%s'\n",
                name, max, text);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

/* Returns 0, 1 to exit 0 (--help), or -1 to exit 2 (bad usage). */
static int parse_options(int argc, char **argv, struct serve_options *o)
{
    static const struct option longopts[] = {
        {"listen", required_argument, NULL, OPT_LISTEN},
        {"db", required_argument, NULL, OPT_DB},
        {"web", required_argument, NULL, OPT_WEB},
        {"demo", no_argument, NULL, OPT_DEMO},
        {"admin-token-file", required_argument, NULL, OPT_TOKEN_FILE},
        {"trusted-proxy", required_argument, NULL, OPT_TRUSTED_PROXY},
        {"public-url", required_argument, NULL, OPT_PUBLIC_URL},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"max-connections", required_argument, NULL, OPT_MAX_CONN},
        {"per-ip-connections", required_argument, NULL, OPT_PER_IP},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"write-burst", required_argument, NULL, OPT_WRITE_BURST},
        {"write-per-minute", required_argument, NULL, OPT_WRITE_RATE},
        {"auth-failures-per-minute", required_argument, NULL, OPT_AUTH_FAILURES},
        {"log-level", required_argument, NULL, OPT_LOG_LEVEL},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    int c;

    o->listen = "127.0.0.1:8080";
    o->db = "forumd.db";
    o->threads = HTTP_DEFAULT_THREADS;
    o->max_conn = HTTP_DEFAULT_CONN_LIMIT;
    o->per_ip = HTTP_DEFAULT_PER_IP_LIMIT;
    o->timeout_s = HTTP_DEFAULT_TIMEOUT_S;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        enum log_level level;

        switch (c) {
        case OPT_LISTEN:
            o->listen = optarg;
            break;
        case OPT_DB:
            o->db = optarg;
            break;
        case OPT_WEB:
            o->web = optarg;
            break;
        case OPT_DEMO:
            o->demo = true;
            break;
        case OPT_TOKEN_FILE:
            o->token_file = optarg;
            break;
        case OPT_TRUSTED_PROXY: {
            struct forum_error err;

            if (o->n_proxies == HTTP_TRUSTED_PROXIES_MAX) {
                fprintf(stderr, "forumd serve: --trusted-proxy: at most %d of them\n",
                        HTTP_TRUSTED_PROXIES_MAX);
                return -1;
            }
            forum_error_clear(&err);
            if (http_net_parse(optarg, &o->proxies[o->n_proxies], &err) != FORUM_OK) {
                fprintf(stderr, "forumd serve: --trusted-proxy: %s\n", err.msg);
                return -1;
            }
            o->n_proxies++;
            break;
        }
        case OPT_PUBLIC_URL:
            o->public_url = optarg;
            break;
        case OPT_THREADS:
            if (parse_uint("threads", optarg, 256, &o->threads) != 0)
                return -1;
            break;
        case OPT_MAX_CONN:
            if (parse_uint("max-connections", optarg, 1000000, &o->max_conn) != 0)
                return -1;
            break;
        case OPT_PER_IP:
            if (parse_uint("per-ip-connections", optarg, 1000000, &o->per_ip) != 0)
                return -1;
            break;
        case OPT_TIMEOUT:
            if (parse_uint("timeout", optarg, 86400, &o->timeout_s) != 0)
                return -1;
            break;
        case OPT_WRITE_BURST:
            if (parse_uint("write-burst", optarg, 1000000000, &o->write_burst) != 0)
                return -1;
            break;
        case OPT_WRITE_RATE:
            if (parse_uint("write-per-minute", optarg, 1000000000,
                           &o->write_per_minute) != 0)
                return -1;
            break;
        case OPT_AUTH_FAILURES:
            if (parse_uint("auth-failures-per-minute", optarg, 1000000000,
                           &o->auth_failures) != 0)
                return -1;
            break;
        case OPT_LOG_LEVEL:
            if (log_level_parse(optarg, &level) != 0) {
                fprintf(stderr, "forumd serve: unknown log level '%s'\n", optarg);
                return -1;
            }
            log_set_level(level);
            break;
        case OPT_HELP:
        case 'h':
            fputs(serve_usage, stdout);
            return 1;
        default:
            fprintf(stderr, "forumd serve: unknown or incomplete option '%s'\n\n%s",
                    argv[optind - 1], serve_usage);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "forumd serve: unexpected argument '%s'\n\n%s", argv[optind],
                serve_usage);
        return -1;
    }
    return 0;
}

/* The longest token the API accepts in "Authorization: Bearer" (api.c). */
#define TOKEN_FILE_MAX 256

/* Reads the token from the first line of the open file fd (closed). Returns an owned
 * string, or NULL after a message. */
static char *read_token(int fd, const char *path)
{
    char line[1024];
    struct stat st;
    FILE *fp;
    size_t n;

    if (fstat(fd, &st) == 0 && (st.st_mode & 077) != 0)
        fprintf(stderr,
                "forumd serve: warning: --admin-token-file %s can be read by other "
                "users (chmod 0600 it)\n",
                path);
    fp = fdopen(fd, "r");
    if (fp == NULL) {
        close(fd);
        fprintf(stderr, "forumd serve: --admin-token-file %s: %s\n", path,
                strerror(errno));
        return NULL;
    }
    if (fgets(line, sizeof(line), fp) == NULL)
        line[0] = '\0';
    fclose(fp);
    n = strlen(line);
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
                     line[n - 1] == '\t'))
        line[--n] = '\0';
    if (n == 0) {
        fprintf(stderr, "forumd serve: --admin-token-file %s is empty\n", path);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (n > TOKEN_FILE_MAX || !isgraph((unsigned char)line[i])) {
            fprintf(stderr,
                    "forumd serve: --admin-token-file %s: the token must be 1 to %d "
                    "printable characters without spaces\n",
                    path, TOKEN_FILE_MAX);
            return NULL;
        }
    }
    return strdup(line);
}

/* Writes a fresh token into the new file fd (closed), durably. Returns an owned string,
 * or NULL after a message (the file is then removed). */
static char *write_new_token(int fd, const char *path)
{
    char token[STORE_TOKEN_LEN + 2];
    size_t len, done = 0;
    char *dir, *slash;
    int dfd;

    if (store_token_new(token) != FORUM_OK) {
        fprintf(stderr, "forumd serve: no randomness for the admin token\n");
        goto fail;
    }
    len = strlen(token);
    token[len] = '\n';
    while (done < len + 1) {
        ssize_t w = write(fd, token + done, len + 1 - done);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fprintf(stderr, "forumd serve: --admin-token-file %s: %s\n", path,
                    strerror(errno));
            goto fail;
        }
        done += (size_t)w;
    }
    if (fsync(fd) != 0) {
        fprintf(stderr, "forumd serve: --admin-token-file %s: %s\n", path,
                strerror(errno));
        goto fail;
    }
    close(fd);
    /* The directory entry too: the database will only know the token's hash. */
    dir = strdup(path);
    slash = dir != NULL ? strrchr(dir, '/') : NULL;
    if (slash != NULL) {
        if (slash == dir)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
    dfd = open(slash != NULL ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    free(dir);
    token[len] = '\0';
    fprintf(stderr, "forumd: created the admin token file %s (mode 0600)\n", path);
    return strdup(token);
fail:
    close(fd);
    unlink(path);
    return NULL;
}

/*
 * The admin token of --admin-token-file: the first line of path, or, when path does not
 * exist, a fresh token written there (created exclusively, mode 0600). Returns an owned
 * string, or NULL after a message.
 */
static char *token_file(const char *path)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd >= 0)
            return read_token(fd, path);
        if (errno != ENOENT)
            break;
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            return write_new_token(fd, path);
        if (errno != EEXIST)
            break; /* else created meanwhile: read it */
    }
    fprintf(stderr, "forumd serve: --admin-token-file %s: %s\n", path, strerror(errno));
    return NULL;
}

/* A whole venue may connect at once: raise the descriptor limit to the hard maximum. */
static void raise_fd_limit(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            log_warn("could not raise the open file limit: %s", strerror(errno));
    }
}

/* The api's part of /metrics (http_metrics_fn). */
static void write_api_metrics(void *cls, struct buf *out)
{
    api_metrics_write(cls, out);
}

int cmd_serve(int argc, char **argv)
{
    struct serve_options opt;
    struct http_config hcfg;
    struct api_config acfg;
    struct forum_error err;
    struct api *api = NULL;
    struct http_server *srv = NULL;
    char *listen_buf = NULL;
    char *token = NULL;
    char public_url[300];
    const char *generated;
    sigset_t sigs;
    int sig = 0, status = 1, r;

    memset(&opt, 0, sizeof(opt));
    r = parse_options(argc, argv, &opt);
    if (r != 0)
        return r > 0 ? 0 : 2;
    forum_error_clear(&err);

    http_config_init(&hcfg);
    listen_buf = malloc(strlen(opt.listen) + 1);
    if (listen_buf == NULL ||
        http_parse_listen(opt.listen, listen_buf, &hcfg, &err) != 0) {
        fprintf(stderr, "forumd serve: %s\n", err.msg);
        free(listen_buf);
        return 2;
    }
    hcfg.threads = opt.threads;
    hcfg.conn_limit = opt.max_conn;
    hcfg.per_ip_limit = opt.per_ip;
    hcfg.timeout_s = opt.timeout_s;
    hcfg.web_dir = opt.web;
    hcfg.trusted_proxies = opt.proxies;
    hcfg.n_trusted_proxies = opt.n_proxies;
    hcfg.files = http_web_files;
    hcfg.n_files = http_web_files_count;
    if (opt.token_file != NULL) {
        token = token_file(opt.token_file);
        if (token == NULL)
            goto out;
    } else if (getenv("FORUMD_ADMIN_TOKEN") != NULL && getenv("FORUMD_ADMIN_TOKEN")[0]) {
        token = strdup(getenv("FORUMD_ADMIN_TOKEN"));
    }

    /* Signals are taken by sigwait() below: block them before any thread starts. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    raise_fd_limit();
    forum_mem_init_daemon();

    /* Bind first, so that the port is known for the links (also with port 0). */
    if (http_config_bind(&hcfg, &err) != FORUM_OK) {
        log_error("%s", err.msg);
        goto out;
    }
    if (opt.public_url != NULL)
        snprintf(public_url, sizeof(public_url), "%s", opt.public_url);
    else if (strchr(hcfg.listen_addr, ':') != NULL)
        snprintf(public_url, sizeof(public_url), "http://[%s]:%u", hcfg.listen_addr,
                 (unsigned)hcfg.port);
    else
        snprintf(public_url, sizeof(public_url), "http://%s:%u", hcfg.listen_addr,
                 (unsigned)hcfg.port);

    memset(&acfg, 0, sizeof(acfg));
    acfg.db_path = opt.db;
    acfg.admin_token = token;
    acfg.public_url = public_url;
    acfg.write_burst = opt.write_burst;
    acfg.write_per_minute = opt.write_per_minute;
    acfg.auth_failures_per_minute = opt.auth_failures;
    if (api_new(&acfg, &api, &err) != FORUM_OK) {
        log_error("cannot open %s: %s", opt.db, err.msg);
        close(hcfg.listen_fd);
        goto out;
    }
    generated = api_generated_admin_token(api);
    if (generated != NULL) {
        printf("forumd: generated the admin token (printed once, keep it safe):\n  %s\n",
               generated);
        fflush(stdout);
    }
    if (opt.demo) {
        char *links = NULL;

        if (api_demo(api, &links, &err) != FORUM_OK) {
            log_error("demo: %s", err.msg);
            close(hcfg.listen_fd);
            goto out;
        }
        if (links != NULL) {
            fputs(links, stdout);
            if (links[0] != '\0' && links[strlen(links) - 1] != '\n')
                fputc('\n', stdout);
            fflush(stdout);
        }
        free(links);
    }

    hcfg.api = api;
    hcfg.metrics = write_api_metrics;
    hcfg.metrics_cls = api;
    if (http_server_start(&hcfg, &srv, &err) != FORUM_OK) {
        log_error("%s", err.msg);
        close(hcfg.listen_fd);
        goto out;
    }
    /* Printed whatever the log level: scripts and the test harness read it. */
    fprintf(stderr, "forumd: listening on %s (database %s)\n", public_url, opt.db);
    if (opt.public_url != NULL)
        fprintf(stderr, "forumd: listening on http://%s:%u\n", hcfg.listen_addr,
                (unsigned)http_server_port(srv));
    fflush(stderr);

    while (sigwait(&sigs, &sig) != 0)
        ;
    log_info("received %s: finishing requests in flight, then stopping",
             sig == SIGINT ? "SIGINT" : "SIGTERM");
    http_server_stop(srv);
    srv = NULL;
    status = 0;
out:
    http_server_stop(srv);
    if (api != NULL)
        api_free(api);
    if (status == 0)
        log_info("stopped cleanly");
    free(token);
    free(listen_buf);
    return status;
}
