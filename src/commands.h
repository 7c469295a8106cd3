/* SPDX-License-Identifier: MIT */
/* The forumd subcommands, one file each, dispatched by main.c. */
#ifndef FORUM_COMMANDS_H
#define FORUM_COMMANDS_H

#include "forum/util/buf.h"

/* Each takes the arguments after the subcommand name and returns the exit status. */
int cmd_serve(int argc, char **argv);  /* cmd_serve.c: the HTTP daemon */
int cmd_solve(int argc, char **argv);  /* cmd_solve.c: the allocator on stdin/stdout */
int cmd_backup(int argc, char **argv); /* cmd_backup.c: an online copy of the database */
int cmd_check(int argc, char **argv);  /* cmd_check.c: the referee of a solution */

/*
 * cmd_io.c: reads all of the file at path (stdin when path is NULL) into b,
 * whose maximum bounds it. Returns 0, or -1 with one message on stderr
 * ("forumd CMD: ...") when the file cannot be opened or read or is larger
 * than b allows.
 */
int cmd_read_input(const char *cmd, const char *path, struct buf *b);

#endif /* FORUM_COMMANDS_H */
