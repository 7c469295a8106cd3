/* SPDX-License-Identifier: MIT */
/* Placeholder until the backup command lands. */
#include <stdio.h>

#include "commands.h"

int cmd_backup(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("forumd: 'backup' is not built yet\n", stderr);
    return 1;
}
