/* SPDX-License-Identifier: MIT */
/* The api_handle() test client shared by the fuzzers and the fault tests. */
#include "fuzz_client.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "api_sync.h"

static unsigned g_write_burst, g_write_per_minute, g_auth_failures;

void fc_set_limits(unsigned write_burst, unsigned write_per_minute,
                   unsigned auth_failures_per_minute)
{
    g_write_burst = write_burst;
    g_write_per_minute = write_per_minute;
    g_auth_failures = auth_failures_per_minute;
}

static int open_api(struct fc_api *fc)
{
    struct api_config cfg;
    struct forum_error err;

    memset(&cfg, 0, sizeof(cfg));
    cfg.write_burst = g_write_burst;
    cfg.write_per_minute = g_write_per_minute;
    cfg.auth_failures_per_minute = g_auth_failures;
    cfg.db_path = fc->db_path;
    cfg.admin_token = FC_ADMIN_TOKEN;
    cfg.public_url = "http://127.0.0.1:8080";
    forum_error_clear(&err);
    if (api_new(&cfg, &fc->api, &err) != FORUM_OK) {
        fprintf(stderr, "fuzz_client: api_new: %s\n", err.msg);
        fc->api = NULL;
        return -1;
    }
    return 0;
}

int fc_open(struct fc_api *fc)
{
    struct stat st;
    const char *base =
        stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0
            ? "/dev/shm"
            : "/tmp";

    memset(fc, 0, sizeof(*fc));
    snprintf(fc->dir, sizeof(fc->dir), "%s/forum-fuzz-XXXXXX", base);
    if (mkdtemp(fc->dir) == NULL) {
        perror("fuzz_client: mkdtemp");
        return -1;
    }
    snprintf(fc->db_path, sizeof(fc->db_path), "%s/forumd.db", fc->dir);
    if (open_api(fc) != 0) {
        rmdir(fc->dir);
        return -1;
    }
    return 0;
}

int fc_reopen(struct fc_api *fc)
{
    fc_close_api(fc);
    return open_api(fc);
}

void fc_close_api(struct fc_api *fc)
{
    if (fc->api != NULL)
        api_free(fc->api);
    fc->api = NULL;
}

void fc_close(struct fc_api *fc)
{
    DIR *d;
    struct dirent *de;
    char path[600];

    fc_close_api(fc);
    sqlite3_close(fc->live);
    sqlite3_close(fc->saved);
    fc->live = fc->saved = NULL;
    fc->data_version = 0;
    if (fc->dir[0] == '\0')
        return;
    d = opendir(fc->dir);
    if (d != NULL) {
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof(path), "%s/%s", fc->dir, de->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(fc->dir);
    fc->dir[0] = '\0';
}

static void call(struct fc_api *fc, enum api_method method, const char *path,
                 const char *query, const char *authorization, const char *content_type,
                 const char *body, size_t body_len, const char *if_match,
                 struct api_response *resp)
{
    struct api_request req;

    memset(&req, 0, sizeof(req));
    req.method = method;
    req.path = path != NULL ? path : "/";
    req.query = query;
    req.authorization = authorization;
    req.content_type = content_type;
    req.body = body;
    req.body_len = body != NULL ? body_len : 0;
    req.if_match = if_match;
    req.remote_addr = "127.0.0.1";
    req.remote_loopback = true;
    api_response_init(resp);
    ts_api_call(fc->api, &req, resp);
}

void fc_call(struct fc_api *fc, enum api_method method, const char *path,
             const char *query, const char *authorization, const char *content_type,
             const char *body, size_t body_len, struct api_response *resp)
{
    call(fc, method, path, query, authorization, content_type, body, body_len, NULL,
         resp);
}

void fc_call_if(struct fc_api *fc, enum api_method method, const char *path,
                const char *authorization, const char *content_type, const char *body,
                size_t body_len, const char *if_match, struct api_response *resp)
{
    call(fc, method, path, NULL, authorization, content_type, body, body_len, if_match,
         resp);
}

int fc_json(struct fc_api *fc, enum api_method method, const char *path,
            const char *token, const char *body, json_t **out)
{
    struct api_response resp;
    char auth[512];
    int status;

    if (token != NULL)
        snprintf(auth, sizeof(auth), "Bearer %s", token);
    fc_call(fc, method, path, NULL, token != NULL ? auth : NULL,
            body != NULL ? "application/json" : NULL, body,
            body != NULL ? strlen(body) : 0, &resp);
    status = resp.status;
    if (out != NULL) {
        *out = NULL;
        if (resp.body != NULL && resp.body_len > 0)
            *out = json_loadb(resp.body, resp.body_len, 0, NULL);
    }
    api_response_release(&resp);
    return status;
}

static bool is_json_type(const char *ct)
{
    return ct != NULL && strncmp(ct, "application/json", 16) == 0;
}

const char *fc_check_response(const struct api_response *resp, bool allow_5xx)
{
    json_t *doc = NULL, *e;
    const char *bad = NULL;

    if (resp->status < 100 || resp->status > 599)
        return "status outside 100..599";
    if (resp->status >= 500 && !allow_5xx)
        return "a 5xx answer on a healthy database";
    if (resp->body_len > 0 && resp->body == NULL)
        return "body_len > 0 with no body";
    for (size_t i = 0; i < resp->n_headers; i++) {
        const struct api_header *h = &resp->headers[i];
        if (h->name == NULL || h->value == NULL)
            return "a header without name or value";
        if (strpbrk(h->name, "\r\n:") != NULL || strpbrk(h->value, "\r\n") != NULL)
            return "CR, LF or ':' in a header (response splitting)";
    }
    if (resp->status == 304 && resp->body_len > 0)
        return "a 304 with a body";
    if (resp->status >= 400) {
        if (!is_json_type(resp->content_type))
            return "a 4xx/5xx that is not application/json";
        doc = json_loadb(resp->body, resp->body_len, 0, NULL);
        e = json_object_get(doc, "error");
        if (!json_is_object(e) || !json_is_string(json_object_get(e, "code")) ||
            !json_is_string(json_object_get(e, "message")))
            bad = "a 4xx/5xx without the {error:{code,message}} body";
        json_decref(doc);
        return bad;
    }
    if (is_json_type(resp->content_type) && resp->body_len > 0) {
        doc = json_loadb(resp->body, resp->body_len, JSON_ALLOW_NUL, NULL);
        if (doc == NULL)
            bad = "an application/json body that does not parse";
        json_decref(doc);
    }
    return bad;
}

int fc_id(const json_t *obj, const char *key, char out[FC_ID_MAX])
{
    const json_t *v = json_object_get(obj, key);

    if (json_is_string(v)) {
        if (strlen(json_string_value(v)) >= FC_ID_MAX)
            return -1;
        strcpy(out, json_string_value(v));
        return 0;
    }
    if (json_is_integer(v)) {
        snprintf(out, FC_ID_MAX, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return 0;
    }
    return -1;
}

/* POSTs body to path and copies the answer's "id" (and token_key, if any). */
static int create(struct fc_api *fc, const char *path, const char *token,
                  const char *body, char id[FC_ID_MAX], const char *token_key, char *tok,
                  size_t tok_cap)
{
    json_t *doc = NULL;
    int status = fc_json(fc, API_POST, path, token, body, &doc);
    int rc = -1;

    if (status != 201 && status != 200) {
        fprintf(stderr, "fuzz_client: POST %s -> %d\n", path, status);
        goto out;
    }
    if (fc_id(doc, "id", id) != 0)
        goto out;
    if (token_key != NULL) {
        const char *t = json_string_value(json_object_get(doc, token_key));
        if (t == NULL || strlen(t) >= tok_cap)
            goto out;
        strcpy(tok, t);
    }
    rc = 0;
out:
    json_decref(doc);
    return rc;
}

int fc_fixture_setup(struct fc_api *fc, struct fc_fixture *f)
{
    char path[512], body[512];
    static const char *const slot_body[2] = {
        "{\"label\":\"Tue 14:00\",\"starts_at\":\"2026-05-12T14:00:00+02:00\","
        "\"ends_at\":\"2026-05-12T15:00:00+02:00\"}",
        "{\"label\":\"Tue 15:00\",\"starts_at\":\"2026-05-12T15:00:00+02:00\","
        "\"ends_at\":\"2026-05-12T16:00:00+02:00\"}"};

    memset(f, 0, sizeof(*f));
    if (create(fc, "/api/v1/events", FC_ADMIN_TOKEN,
               "{\"name\":\"Fuzz forum\",\"timezone\":\"Europe/Paris\"}", f->event,
               "facilitator_token", f->fac_token, sizeof(f->fac_token)) != 0)
        return -1;
    f->n_ready++;
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "/api/v1/events/%s/slots", f->event);
        if (create(fc, path, f->fac_token, slot_body[i], f->slot[i], NULL, NULL, 0) != 0)
            return -1;
        f->n_ready++;
    }
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "/api/v1/events/%s/rooms", f->event);
        snprintf(body, sizeof(body),
                 "{\"name\":\"Room %d\",\"capacity\":%d,\"features\":[\"accessible\"]}",
                 i + 1, 10 + 10 * i);
        if (create(fc, path, f->fac_token, body, f->room[i], NULL, NULL, 0) != 0)
            return -1;
        f->n_ready++;
    }
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "/api/v1/events/%s/participants", f->event);
        snprintf(body, sizeof(body), "{\"name\":\"Person %d\"}", i + 1);
        if (create(fc, path, NULL, body, f->part[i], "token", f->part_token[i],
                   sizeof(f->part_token[i])) != 0)
            return -1;
        f->n_ready++;
    }
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof(path), "/api/v1/events/%s/topics", f->event);
        snprintf(body, sizeof(body), "{\"title\":\"Topic %d\",\"description\":\"d\"}",
                 i + 1);
        if (create(fc, path, f->part_token[i], body, f->topic[i], NULL, NULL, 0) != 0)
            return -1;
        f->n_ready++;
    }
    snprintf(path, sizeof(path), "/api/v1/events/%s/topics/%s/vote", f->event,
             f->topic[1]);
    if (fc_json(fc, API_PUT, path, f->part_token[0], "{\"weight\":2}", NULL) / 100 != 2)
        return -1;
    f->n_ready++;
    return 0;
}

size_t fc_expand(const struct fc_fixture *f, const char *src, size_t src_len, char *out,
                 size_t cap)
{
    size_t o = 0;

    if (cap == 0)
        return 0;
    for (size_t i = 0; i < src_len && o + 1 < cap; i++) {
        const char *rep = NULL;
        if (src[i] == '{' && i + 2 < src_len && src[i + 2] == '}') {
            switch (src[i + 1]) {
            case 'e':
                rep = f->event;
                break;
            case 's':
                rep = f->slot[0];
                break;
            case 'S':
                rep = f->slot[1];
                break;
            case 'r':
                rep = f->room[0];
                break;
            case 'R':
                rep = f->room[1];
                break;
            case 'p':
                rep = f->part[0];
                break;
            case 'P':
                rep = f->part[1];
                break;
            case 't':
                rep = f->topic[0];
                break;
            case 'T':
                rep = f->topic[1];
                break;
            default:
                break;
            }
        }
        if (rep != NULL) {
            size_t n = strlen(rep);
            if (n > cap - 1 - o)
                n = cap - 1 - o;
            memcpy(out + o, rep, n);
            o += n;
            i += 2;
        } else {
            out[o++] = src[i];
        }
    }
    out[o] = '\0';
    return o;
}

/* The path's non-empty segments, at most n, into seg (pointers into copy). */
static size_t segments(char *copy, const char **seg, size_t n)
{
    size_t k = 0;
    for (char *s = strtok(copy, "/"); s != NULL && k < n; s = strtok(NULL, "/"))
        seg[k++] = s;
    return k;
}

/* Returns a description of a broken role rule, or NULL. */
const char *fc_check_roles(const struct fc_fixture *fix, enum api_method m,
                           enum fc_auth auth, const char *path, int status)
{
    char copy[2048];
    const char *seg[8];
    size_t n;
    bool write = m == API_POST || m == API_PUT || m == API_PATCH || m == API_DELETE;
    bool anonymous = auth == FC_AUTH_NONE || auth == FC_AUTH_BAD ||
                     auth == FC_AUTH_BASIC || auth == FC_AUTH_EMPTY;
    bool participant = auth == FC_AUTH_P0 || auth == FC_AUTH_P1;

    if (status < 200 || status > 299)
        return NULL;
    snprintf(copy, sizeof(copy), "%s", path);
    n = segments(copy, seg, 8);
    if (n < 3 || strcmp(seg[0], "api") != 0 || strcmp(seg[1], "v1") != 0 ||
        strcmp(seg[2], "events") != 0)
        return NULL;
    if (n == 3 && m == API_POST && auth != FC_AUTH_ADMIN)
        return "POST /events succeeded without the admin token";
    if (n < 5)
        return NULL;
    if (anonymous) {
        if (write && !(n == 5 && m == API_POST && strcmp(seg[4], "participants") == 0))
            return "a write succeeded without a token";
        if (strcmp(seg[4], "me") == 0 || strcmp(seg[4], "allocation") == 0 ||
            (strcmp(seg[4], "participants") == 0 && m == API_GET))
            return "a private read succeeded without a token";
    }
    if (participant) {
        if (write &&
            (strcmp(seg[4], "slots") == 0 || strcmp(seg[4], "rooms") == 0 ||
             strcmp(seg[4], "blocks") == 0 || strcmp(seg[4], "allocation") == 0 ||
             strcmp(seg[4], "schedule") == 0))
            return "a participant wrote a facilitator resource";
        if (strcmp(seg[4], "allocation") == 0 ||
            (strcmp(seg[4], "participants") == 0 && m == API_GET && n == 5))
            return "a participant read a facilitator resource";
        /* A participant changes only the topics they host. */
        if ((m == API_PATCH || m == API_DELETE) && n == 6 &&
            strcmp(seg[4], "topics") == 0) {
            const char *own = fix->topic[auth == FC_AUTH_P0 ? 0 : 1];
            if (own[0] != '\0' && strcmp(seg[5], own) != 0)
                return "a participant changed a topic they do not host";
        }
    }
    return NULL;
}

void fc_auth_header(const struct fc_fixture *fix, enum fc_auth auth, char *out,
                    size_t cap)
{
    switch (auth) {
    case FC_AUTH_ADMIN:
        snprintf(out, cap, "Bearer %s", FC_ADMIN_TOKEN);
        break;
    case FC_AUTH_FAC:
        snprintf(out, cap, "Bearer %s", fix->fac_token);
        break;
    case FC_AUTH_P0:
        snprintf(out, cap, "Bearer %s", fix->part_token[0]);
        break;
    case FC_AUTH_P1:
        snprintf(out, cap, "Bearer %s", fix->part_token[1]);
        break;
    case FC_AUTH_BAD:
        snprintf(out, cap, "Bearer %s", "not-a-token-0123456789abcdef");
        break;
    case FC_AUTH_BASIC:
        snprintf(out, cap, "Basic YWRtaW46YWRtaW4=");
        break;
    case FC_AUTH_EMPTY:
        snprintf(out, cap, "Bearer ");
        break;
    case FC_AUTH_NONE:
        snprintf(out, cap, "%s", "");
        break;
    }
}

/* Reads a whole file. Returns 0 (with *out owned), 1 when it does not exist, -1. */
static int slurp(const char *path, unsigned char **out, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    long n;

    *out = NULL;
    *len = 0;
    if (fp == NULL)
        return 1;
    if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
        fseek(fp, 0, SEEK_SET) != 0) {
        fclose(fp);
        return -1;
    }
    *out = malloc(n > 0 ? (size_t)n : 1);
    if (*out == NULL || fread(*out, 1, (size_t)n, fp) != (size_t)n) {
        fclose(fp);
        free(*out);
        *out = NULL;
        return -1;
    }
    *len = (size_t)n;
    fclose(fp);
    return 0;
}

static int spill(const char *path, const unsigned char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    int rc = 0;

    if (fp == NULL)
        return -1;
    if (len > 0 && fwrite(data, 1, len, fp) != len)
        rc = -1;
    if (fclose(fp) != 0)
        rc = -1;
    return rc;
}

int fc_snapshot_take(struct fc_api *fc, struct fc_snapshot *snap)
{
    char wal[400];

    memset(snap, 0, sizeof(*snap));
    fc_close_api(fc);
    snprintf(wal, sizeof(wal), "%s-wal", fc->db_path);
    if (slurp(fc->db_path, &snap->db, &snap->db_len) != 0 ||
        slurp(wal, &snap->wal, &snap->wal_len) < 0) {
        fc_snapshot_release(snap);
        return -1;
    }
    return open_api(fc);
}

int fc_snapshot_write(const struct fc_api *fc, const struct fc_snapshot *snap)
{
    char side[400];

    snprintf(side, sizeof(side), "%s-shm", fc->db_path);
    unlink(side);
    snprintf(side, sizeof(side), "%s-wal", fc->db_path);
    unlink(side);
    if (spill(fc->db_path, snap->db, snap->db_len) != 0)
        return -1;
    if (snap->wal != NULL && spill(side, snap->wal, snap->wal_len) != 0)
        return -1;
    return 0;
}

int fc_snapshot_restore(struct fc_api *fc, const struct fc_snapshot *snap)
{
    fc_close_api(fc);
    sqlite3_close(fc->live); /* its view of the files is about to go */
    fc->live = NULL;
    fc->data_version = 0;
    if (fc_snapshot_write(fc, snap) != 0)
        return -1;
    return open_api(fc);
}

void fc_snapshot_release(struct fc_snapshot *snap)
{
    free(snap->db);
    free(snap->wal);
    memset(snap, 0, sizeof(*snap));
}

bool fc_slow_allocation(enum api_method m, const char *path, const char *body, size_t len)
{
    size_t n = strlen(path);
    json_t *doc, *limit;
    bool slow;

    while (n > 0 && path[n - 1] == '/')
        n--;
    if (m != API_POST || n < 11 || strncmp(path + n - 11, "/allocation", 11) != 0)
        return false;
    if (body == NULL || len == 0)
        return true;
    doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return false;
    }
    limit = json_object_get(doc, "time_limit_ms");
    slow = limit == NULL || !json_is_integer(limit) ||
           json_integer_value(limit) > FC_SOLVER_MS_MAX;
    json_decref(doc);
    return slow;
}

/* Copies all of from's main database into to's. Returns 0 or -1. */
static int copy_db(sqlite3 *to, sqlite3 *from)
{
    sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
    int rc;

    if (b == NULL)
        return -1;
    while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep(1);
    return sqlite3_backup_finish(b) == SQLITE_OK && rc == SQLITE_DONE ? 0 : -1;
}

static int open_live(struct fc_api *fc)
{
    sqlite3 *db = NULL;

    if (fc->live != NULL)
        return 0;
    if (sqlite3_open_v2(fc->db_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    /* Only test data goes through this connection: no need to wait for the disk. */
    sqlite3_exec(db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
    fc->live = db;
    return 0;
}

int fc_save(struct fc_api *fc)
{
    char path[400];
    sqlite3 *db = NULL;

    if (open_live(fc) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/saved.db", fc->dir);
    if (sqlite3_open(path, &db) != SQLITE_OK || copy_db(db, fc->live) != 0) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_close(fc->saved);
    fc->saved = db;
    return 0;
}

int fc_reset(struct fc_api *fc)
{
    if (fc->saved == NULL || open_live(fc) != 0)
        return -1;
    return copy_db(fc->live, fc->saved);
}

int fc_db_changed(struct fc_api *fc)
{
    sqlite3_stmt *st = NULL;
    long long v;
    int changed;

    if (open_live(fc) != 0 ||
        sqlite3_prepare_v2(fc->live, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return -1;
    }
    /* data_version moves when another connection commits, never for live's own
     * writes (fc_reset's copy); 0 stands for "not read on this connection". */
    v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    changed = fc->data_version == 0 || v != fc->data_version;
    fc->data_version = v;
    return changed;
}
