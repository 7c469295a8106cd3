/* SPDX-License-Identifier: MIT */
/*
 * Secrets: random tokens and ids from getrandom(2), SHA-256 (nettle), the
 * token lookup by hash and the administrator's token.
 */
#include "forum/store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/memops.h>
#include <nettle/sha2.h>

#include "internal.h"

static enum forum_status random_bytes(uint8_t *out, size_t n)
{
    size_t got = 0;

    while (got < n) {
        ssize_t r = getrandom(out + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return FORUM_EINTERNAL;
        }
        got += (size_t)r;
    }
    return FORUM_OK;
}

enum forum_status store_token_new(char *out)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t raw[STORE_TOKEN_LEN / 2];

    out[0] = '\0';
    if (random_bytes(raw, sizeof(raw)) != FORUM_OK)
        return FORUM_EINTERNAL;
    for (size_t i = 0; i < sizeof(raw); i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[STORE_TOKEN_LEN] = '\0';
    return FORUM_OK;
}

enum forum_status store_random_id(char prefix, size_t len, char *out)
{
    /* Crockford's base32: no i, l, o, u to misread. */
    static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
    uint8_t raw[STORE_ID_MAX];
    size_t at = 0;

    if (len > STORE_ID_MAX - 1)
        len = STORE_ID_MAX - 1;
    out[0] = '\0';
    if (random_bytes(raw, len) != FORUM_OK)
        return FORUM_EINTERNAL;
    if (prefix != '\0')
        out[at++] = prefix;
    for (size_t i = 0; i < len; i++)
        out[at++] = alphabet[raw[i] & 31];
    out[at] = '\0';
    return FORUM_OK;
}

void store_hash(const char *s, uint8_t *out)
{
    struct sha256_ctx ctx;

    sha256_init(&ctx);
    sha256_update(&ctx, strlen(s), (const uint8_t *)s);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, out);
}

void store_feed_secret(const char *token, char *out)
{
    static const char hex[] = "0123456789abcdef";
    struct sha256_ctx ctx;
    uint8_t d[SHA256_DIGEST_SIZE];
    static const char domain[] = "forumd feed v1:";

    sha256_init(&ctx);
    sha256_update(&ctx, sizeof(domain) - 1, (const uint8_t *)domain);
    sha256_update(&ctx, strlen(token), (const uint8_t *)token);
    sha256_digest(&ctx, sizeof(d), d);
    for (size_t i = 0; i < STORE_TOKEN_LEN / 2; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[STORE_TOKEN_LEN] = '\0';
}

static const char SQL_ADMIN_GET[] =
    "SELECT value FROM settings WHERE key = 'admin_token_hash'";
static const char SQL_ADMIN_SET[] =
    "INSERT INTO settings (key, value) VALUES ('admin_token_hash', ?1) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";
static const char SQL_TOKEN_GET[] =
    "SELECT hash, role, event_id, coalesce(participant_id, '') FROM tokens WHERE hash = "
    "?1";

/* OUT: hash (STORE_HASH_LEN bytes), the admin's stored hash; returns whether one exists.
 */
static enum forum_status admin_hash(struct store *s, uint8_t *hash, bool *found,
                                    struct forum_error *err)
{
    sqlite3_stmt *st = store__stmt(s, SQL_ADMIN_GET, err);
    int rc;

    *found = false;
    if (st == NULL)
        return FORUM_ESTORE;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == STORE_HASH_LEN) {
        memcpy(hash, sqlite3_column_blob(st, 0), STORE_HASH_LEN);
        *found = true;
    }
    store__done(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store__fail(s, rc, err);
    return FORUM_OK;
}

enum forum_status store_auth_lookup(struct store *s, const char *token,
                                    struct store_principal *p, struct forum_error *err)
{
    uint8_t h[STORE_HASH_LEN], stored[STORE_HASH_LEN];
    sqlite3_stmt *st;
    enum forum_status rc;
    bool found;
    int src;

    memset(p, 0, sizeof(*p));
    store_hash(token, h);
    rc = admin_hash(s, stored, &found, err);
    if (rc != FORUM_OK)
        return rc;
    if (found && memeql_sec(h, stored, STORE_HASH_LEN)) {
        p->role = STORE_ROLE_ADMIN;
        return FORUM_OK;
    }
    st = store__stmt(s, SQL_TOKEN_GET, err);
    if (st == NULL)
        return FORUM_ESTORE;
    sqlite3_bind_blob(st, 1, h, sizeof(h), SQLITE_STATIC);
    src = sqlite3_step(st);
    if (src == SQLITE_ROW && sqlite3_column_bytes(st, 0) == STORE_HASH_LEN &&
        memeql_sec(h, sqlite3_column_blob(st, 0), STORE_HASH_LEN)) {
        p->role = (enum store_role)sqlite3_column_int(st, 1);
        snprintf(p->event_id, sizeof(p->event_id), "%s", sqlite3_column_text(st, 2));
        snprintf(p->participant_id, sizeof(p->participant_id), "%s",
                 sqlite3_column_text(st, 3));
        rc = FORUM_OK;
    } else if (src == SQLITE_ROW || src == SQLITE_DONE) {
        rc = forum_error_set(err, FORUM_ENOTFOUND, NULL, "unknown token");
    } else {
        rc = store__fail(s, src, err);
    }
    store__done(st);
    return rc;
}

enum forum_status store_admin_init(struct store *s, const char *token, char *generated,
                                   struct forum_error *err)
{
    uint8_t h[STORE_HASH_LEN];
    sqlite3_stmt *st;
    enum forum_status rc;
    bool found;
    char fresh[STORE_TOKEN_LEN + 1];

    if (generated != NULL)
        generated[0] = '\0';
    if (token == NULL) {
        rc = admin_hash(s, h, &found, err);
        if (rc != FORUM_OK || found)
            return rc;
        if (store_token_new(fresh) != FORUM_OK)
            return forum_error_set(err, FORUM_EINTERNAL, NULL, "no randomness");
        token = fresh;
    }
    store_hash(token, h);
    if (token != fresh) {
        /* The same token at every start: nothing to write (no transaction, no
         * fsync), and a database on read-only media still opens. */
        uint8_t stored[STORE_HASH_LEN];
        rc = admin_hash(s, stored, &found, err);
        if (rc != FORUM_OK)
            return rc;
        if (found && memcmp(stored, h, STORE_HASH_LEN) == 0)
            return FORUM_OK;
    }
    st = store__stmt(s, SQL_ADMIN_SET, err);
    if (st == NULL)
        return FORUM_ESTORE;
    sqlite3_bind_blob(st, 1, h, sizeof(h), SQLITE_TRANSIENT);
    rc = store__run(s, st, err);
    if (rc == FORUM_OK && token == fresh && generated != NULL)
        memcpy(generated, fresh, sizeof(fresh));
    return rc;
}
