/* SPDX-License-Identifier: MIT */
/*
 * The composition root: picks the subcommand. Each subcommand owns its
 * options, wiring and shutdown (see commands.h).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

#ifndef FORUM_VERSION
#define FORUM_VERSION "0.0.0"
#endif

static const char usage[] =
    "usage: forumd <command> [options]\n"
    "\n"
    "commands:\n"
    "  serve    run the HTTP daemon (forumd serve --help)\n"
    "  solve    run the allocator: problem JSON on stdin, solution JSON on stdout\n"
    "  check    check a solution against its problem: every hard rule, the score\n"
    "           (forumd check --help)\n"
    "  backup   copy a live database safely (forumd backup --help)\n"
    "\n"
    "  forumd --help | --version\n";

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;

    if (cmd == NULL) {
        fputs(usage, stderr);
        return 2;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("forumd %s\n", FORUM_VERSION);
        return 0;
    }
    if (strcmp(cmd, "serve") == 0)
        return cmd_serve(argc - 1, argv + 1);
    if (strcmp(cmd, "solve") == 0)
        return cmd_solve(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "backup") == 0)
        return cmd_backup(argc - 1, argv + 1);
    fprintf(stderr, "forumd: unknown command '%s'\n\n%s", cmd, usage);
    return 2;
}
