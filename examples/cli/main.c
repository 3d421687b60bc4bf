/*
 * main.c — the `tramuntana` command: a table of subcommands.
 *
 *   tramuntana                      analyse the bundled article, summary
 *   tramuntana analyze [OPTIONS] [FILE|-]...       (analyze.c)
 *   tramuntana langid [--model PATH] [FILE|-]      (langid.c)
 *   tramuntana help | --help | --version
 *
 * A subcommand is one row of `commands` below plus a function in its own
 * file (see cli.h). Exit status: 0 success, 1 failure, 2 usage error.
 */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct command {
  const char *name;
  cli_command_fn run;
  const char *summary;
} commands[] = {
    {"analyze", cli_analyze, "analyse documents (files, stdin or JSON Lines)"},
    {"langid", cli_langid, "language of each line: code<TAB>confidence"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f) {
  fprintf(f,
          "usage: %s [COMMAND [OPTIONS] [ARGS]...]\n"
          "\n"
          "Reads French, Spanish and Catalan prose: sentences, tokens, stems,\n"
          "languages, entities, organisations, keyphrases and themes.\n"
          "With no arguments, analyses the bundled article (%s)\n"
          "and prints a summary.\n"
          "\n"
          "commands:\n",
          cli_prog, CLI_ARTICLE);
  for (size_t i = 0; i < NCOMMANDS; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(f,
          "\n"
          "  -h, --help     this help ('%s COMMAND --help' for a command)\n"
          "      --version  library and JSON schema versions\n",
          cli_prog);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    char buf[PATH_MAX + 64];
    const char *article = cli_find_article(buf, sizeof buf);
    if (!article) {
      fprintf(stderr,
              "%s: the bundled article %s was found neither next to the "
              "binary nor in %s (try '%s analyze FILE')\n",
              cli_prog, CLI_ARTICLE, TRAM_EXAMPLES_DIR, cli_prog);
      return CLI_FAIL;
    }
    return cli_demo(article);
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
      strcmp(cmd, "help") == 0) {
    if (strcmp(cmd, "help") == 0 && argc > 2) {
      for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(argv[2], commands[i].name) == 0) {
          char *sub[] = {argv[2], "--help", NULL};
          return commands[i].run(2, sub);
        }
      fprintf(stderr, "%s: unknown command '%s' (try --help)\n", cli_prog,
              argv[2]);
      return CLI_USAGE;
    }
    usage(stdout);
    return CLI_OK;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
    printf("tramuntana %s (JSON schema %s)\n", tram_version(), tram_schema());
    return CLI_OK;
  }
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (strcmp(cmd, commands[i].name) == 0)
      return commands[i].run(argc - 1, argv + 1);
  /* Options without a command are those of `analyze`. */
  if (cmd[0] == '-') {
    argv[0] = "analyze";
    return cli_analyze(argc, argv);
  }
  fprintf(stderr, "%s: unknown command '%s' (try --help)\n", cli_prog, cmd);
  return CLI_USAGE;
}
