/* SPDX-License-Identifier: MIT */
/*
 * forumd backup --db PATH --to FILE: copies a live database with SQLite's
 * online backup API, so the daemon can keep serving meanwhile.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "forum/store.h"

static const char backup_usage[] =
    "usage: forumd backup --db PATH --to FILE\n"
    "\n"
    "Copies the database at PATH (which a running forumd may be using) into\n"
    "FILE, a new consistent SQLite database. FILE must not exist yet.\n";

int cmd_backup(int argc, char **argv)
{
    const char *db = NULL, *to = NULL;
    struct store *s = NULL;
    struct forum_error err;
    int status = 1;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(backup_usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc) {
            to = argv[++i];
        } else {
            fprintf(stderr, "forumd backup: unexpected '%s'\n\n%s", argv[i],
                    backup_usage);
            return 2;
        }
    }
    if (db == NULL || to == NULL) {
        fputs(backup_usage, stderr);
        return 2;
    }
    if (access(db, F_OK) != 0) {
        fprintf(stderr, "forumd backup: no database at %s\n", db);
        return 1;
    }
    if (access(to, F_OK) == 0) {
        fprintf(stderr, "forumd backup: %s exists already; not overwriting it\n", to);
        return 1;
    }
    forum_error_clear(&err);
    if (store_open(db, &s, &err) != FORUM_OK || store_backup(s, to, &err) != FORUM_OK) {
        fprintf(stderr, "forumd backup: %s\n", err.msg);
        goto out;
    }
    printf("forumd backup: %s copied to %s\n", db, to);
    status = 0;
out:
    store_close(s);
    return status;
}
