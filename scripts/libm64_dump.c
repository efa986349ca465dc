/*
 * libm64_dump: evaluate this machine's glibc double functions (exp, log, log1p, sin, cos, sincos, erf, erfc) on
 * binary64 inputs, for checking the bit-exact TypeScript ports in src/rng/libm64.ts.
 *
 * Build:  cc -O2 -fno-builtin -o libm64_dump scripts/libm64_dump.c -lm
 *
 * Usage:
 *   libm64_dump bin <fn>
 *       Read raw little-endian binary64 inputs from stdin until EOF; write the outputs to stdout as raw binary64
 *       (one per input; two per input for sincos: sin, then cos).
 *   libm64_dump fma
 *       Read raw binary64 triples (a, b, c) from stdin; write fma(a, b, c) as raw binary64 (the hardware
 *       vfmadd via glibc's ifunc), for checking the private fused multiply-add of the port.
 *   libm64_dump list <fn>
 *       Read one input bit pattern per line from stdin (16 hex digits) and print "<input> <output>" lines
 *       ("<input> <sin> <cos>" for sincos), 16 lowercase hex digits each.
 *
 * The functions are called through volatile function pointers so that the compiler can neither constant-fold nor
 * inline them: every call goes to libm.so.6 and its ifunc-selected implementation (the FMA variants of exp, log,
 * log1p, sin, cos and sincos on AVX2+FMA CPUs), as PyTorch's calls do.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libm_dump.h"

typedef double (*fn_t)(double);
typedef void (*fn2_t)(double, double *, double *);
typedef double (*fn3_t)(double, double, double);

/* sincos has no single-output pointer: NULL, and the callers use f_sincos. */
static const char *const names[] = {"exp", "log", "log1p", "sin", "cos", "erf", "erfc", "sincos", NULL};
static volatile fn_t fns[] = {exp, log, log1p, sin, cos, erf, erfc, NULL};
static volatile fn2_t f_sincos = sincos;
static volatile fn3_t f_fma = fma;

static fn_t pick(const char *name) { return fns[pick_index(names, name)]; }

static uint64_t d2u(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static double u2d(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "bin") == 0) {
    fn_t fn = pick(argv[2]);
    enum { BUF = 1 << 16 };
    static double in[BUF], out[2 * BUF];
    size_t n;
    while ((n = fread(in, 8, BUF, stdin)) > 0) {
      size_t m = n;
      if (fn) {
        for (size_t i = 0; i < n; i++) out[i] = fn(in[i]);
      } else {
        for (size_t i = 0; i < n; i++) f_sincos(in[i], &out[2 * i], &out[2 * i + 1]);
        m = 2 * n;
      }
      if (fwrite(out, 8, m, stdout) != m) return 1;
    }
    return fflush(stdout) == 0 ? 0 : 1;
  }
  if (argc == 2 && strcmp(argv[1], "fma") == 0) {
    enum { BUF = 1 << 16 };
    static double in[3 * BUF], out[BUF];
    size_t n;
    while ((n = fread(in, 24, BUF, stdin)) > 0) {
      for (size_t i = 0; i < n; i++) out[i] = f_fma(in[3 * i], in[3 * i + 1], in[3 * i + 2]);
      if (fwrite(out, 8, n, stdout) != n) return 1;
    }
    return fflush(stdout) == 0 ? 0 : 1;
  }
  if (argc == 3 && strcmp(argv[1], "list") == 0) {
    fn_t fn = pick(argv[2]);
    unsigned long long v;
    while (next_hex_line(&v)) {
      double x = u2d((uint64_t)v);
      if (fn) {
        printf("%016llx %016llx\n", v, (unsigned long long)d2u(fn(x)));
      } else {
        double s, c;
        f_sincos(x, &s, &c);
        printf("%016llx %016llx %016llx\n", v, (unsigned long long)d2u(s), (unsigned long long)d2u(c));
      }
    }
    return fflush(stdout) == 0 ? 0 : 1;
  }
  fprintf(stderr,
          "usage: %s bin <exp|log|log1p|sin|cos|sincos|erf|erfc>   (raw binary64 on stdin and stdout)\n"
          "       %s fma   (raw binary64 triples a, b, c on stdin)\n"
          "       %s list <fn>   (hex bit patterns on stdin)\n",
          argv[0], argv[0], argv[0]);
  return 2;
}
