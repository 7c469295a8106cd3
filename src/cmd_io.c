/* SPDX-License-Identifier: MIT */
/* Input helpers shared by the subcommands that read documents (solve, check). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "forum/alloc_json.h"

int cmd_read_input(const char *cmd, const char *path, struct buf *b)
{
    FILE *f = path != NULL ? fopen(path, "rb") : stdin;
    const char *name = path != NULL ? path : "stdin";
    char chunk[65536];
    size_t n;
    int status = 0;

    if (f == NULL) {
        fprintf(stderr, "forumd %s: cannot open %s: %s\n", cmd, name, strerror(errno));
        return -1;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_append(b, chunk, n) != FORUM_OK) {
            fprintf(stderr, "forumd %s: %s is larger than %u bytes\n", cmd, name,
                    ALLOC_JSON_MAX_BYTES);
            status = -1;
            break;
        }
    if (status == 0 && ferror(f)) {
        fprintf(stderr, "forumd %s: cannot read %s: %s\n", cmd, name, strerror(errno));
        status = -1;
    }
    if (path != NULL)
        fclose(f);
    return status;
}
