/*
 * What the glibc dumpers share (scripts/libm_dump.c for float32, scripts/libm64_dump.c for binary64): choosing the
 * function by name, and reading the hex input bit patterns of the `list` mode.
 */
#ifndef LIBM_DUMP_H
#define LIBM_DUMP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The index of `name` in the NULL-terminated `names`; an unknown name exits with status 2. */
static int pick_index(const char *const *names, const char *name) {
  for (int i = 0; names[i] != NULL; i++) {
    if (strcmp(name, names[i]) == 0) return i;
  }
  fprintf(stderr, "unknown function: %s\n", name);
  exit(2);
}

/* Reads stdin up to the next line that starts with a hex number and stores it in *v; returns 0 at end of input. */
static int next_hex_line(unsigned long long *v) {
  char line[128];
  while (fgets(line, sizeof line, stdin)) {
    char *end;
    *v = strtoull(line, &end, 16);
    if (end != line) return 1;
  }
  return 0;
}

#endif
