/* SPDX-License-Identifier: MIT */
/* Placeholder until the solve command lands. */
#include <stdio.h>

#include "commands.h"

int cmd_solve(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("forumd: 'solve' is not built yet\n", stderr);
    return 1;
}
