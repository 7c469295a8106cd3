/* SPDX-License-Identifier: MIT */
/* The forumd subcommands, one file each, dispatched by main.c. */
#ifndef FORUM_COMMANDS_H
#define FORUM_COMMANDS_H

/* Each takes the arguments after the subcommand name and returns the exit status. */
int cmd_serve(int argc, char **argv);  /* cmd_serve.c: the HTTP daemon */
int cmd_solve(int argc, char **argv);  /* cmd_solve.c: the allocator on stdin/stdout */
int cmd_backup(int argc, char **argv); /* cmd_backup.c: an online copy of the database */

#endif /* FORUM_COMMANDS_H */
