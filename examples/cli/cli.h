/*
 * cli.h — what the files of the `tramuntana` command share.
 *
 * The command is a table of subcommands (main.c); each lives in its own
 * file and has the signature of cli_command_fn: it gets argv starting at
 * its own name and returns the process exit status (CLI_OK, CLI_FAIL,
 * CLI_USAGE). To add one, write examples/cli/<name>.c with a cli_<name>
 * function, declare it below and add a row to the table in main.c.
 */
#ifndef TRAM_CLI_H
#define TRAM_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "tramuntana.h"

/* Exit statuses. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

#define CLI_ARTICLE "mouves-euroregion-fr.txt"

typedef int (*cli_command_fn)(int argc, char **argv);

/* Program name used in messages. */
extern const char *cli_prog;

/* Reads all of `f`. Returns 0 or an errno value; *out is malloc'ed. */
int cli_slurp_file(FILE *f, char **out, size_t *len);

/* Reads a whole file ("-" = stdin). Returns 0 or an errno value. */
int cli_slurp(const char *path, char **out, size_t *len);

/* Finds the bundled article next to the binary, then in the install
 * prefix. Returns `buf` or NULL. */
const char *cli_find_article(char *buf, size_t size);

/* Monotonic clock in seconds. */
double cli_now(void);

/* Subcommands. */
int cli_analyze(int argc, char **argv);
int cli_langid(int argc, char **argv);
int cli_demo(const char *article_path);

#endif
