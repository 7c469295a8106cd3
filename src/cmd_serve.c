/* SPDX-License-Identifier: MIT */
/* Placeholder until the serve command lands. */
#include <stdio.h>

#include "commands.h"

int cmd_serve(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("forumd: 'serve' is not built yet\n", stderr);
    return 1;
}
