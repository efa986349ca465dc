/*
 * libm_dump: evaluate this machine's glibc erff / expf / logf on float32 bit
 * patterns, for checking the bit-exact TypeScript ports in src/rng/libm.ts.
 *
 * Build:  cc -O2 -fno-builtin -o libm_dump scripts/libm_dump.c -lm
 *
 * Usage:
 *   libm_dump range <erff|expf|logf> <start> <count>
 *       For the inputs with bit patterns start, start+1, ..., start+count-1
 *       (decimal or 0x-hex, wrapping modulo 2^32), write the output bit
 *       patterns to stdout as raw little-endian uint32 (4*count bytes).
 *   libm_dump list <erff|expf|logf>
 *       Read one hex input bit pattern per line from stdin and print
 *       "<input hex> <output hex>" lines (8 lowercase hex digits each).
 *
 * The functions are called through volatile function pointers so that the
 * compiler can neither constant-fold nor inline them: every call goes to
 * libm.so.6 and its ifunc-selected implementation (the FMA variants of
 * expf/logf on AVX2+FMA CPUs).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libm_dump.h"

typedef float (*fn_t)(float);

static const char *const names[] = {"erff", "expf", "logf", NULL};
static volatile fn_t fns[] = {erff, expf, logf};

static fn_t pick(const char *name) { return fns[pick_index(names, name)]; }

static uint32_t f2u(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
static float u2f(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

int main(int argc, char **argv) {
  if (argc == 5 && strcmp(argv[1], "range") == 0) {
    fn_t fn = pick(argv[2]);
    uint32_t start = (uint32_t)strtoull(argv[3], NULL, 0);
    uint64_t count = strtoull(argv[4], NULL, 0);
    enum { BUF = 1 << 16 };
    static uint32_t buf[BUF];
    uint32_t u = start;
    while (count > 0) {
      size_t n = count < BUF ? (size_t)count : BUF;
      for (size_t i = 0; i < n; i++, u++) buf[i] = f2u(fn(u2f(u)));
      if (fwrite(buf, 4, n, stdout) != n) return 1;
      count -= n;
    }
    return fflush(stdout) == 0 ? 0 : 1;
  }
  if (argc == 3 && strcmp(argv[1], "list") == 0) {
    fn_t fn = pick(argv[2]);
    unsigned long long v;
    while (next_hex_line(&v)) {
      uint32_t u = (uint32_t)v;
      printf("%08x %08x\n", u, f2u(fn(u2f(u))));
    }
    return fflush(stdout) == 0 ? 0 : 1;
  }
  fprintf(stderr,
          "usage: %s range <erff|expf|logf> <start> <count>\n"
          "       %s list <erff|expf|logf>   (hex bit patterns on stdin)\n",
          argv[0], argv[0]);
  return 2;
}
