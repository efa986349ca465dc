"""Golden fixtures for init.orthogonal_ and init.deltaOrthogonal_, produced by PyTorch.

Run (from the repository root, with Debian's PyTorch):
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 scripts/gen_orthogonal_fixtures.py

Writes tests/fixtures/orthogonal.json. For every case: the seed, shape, dtype and gain; the result of
`torch.manual_seed(seed); nn.init.orthogonal_(torch.empty(shape), gain)` as float32 (or float64) bit patterns; the
bits of `torch.empty(4).uniform_()` and `torch.empty(3).normal_()` drawn right after (the generator state, including
the Box-Muller cache, must match too); and the 2-norm condition number kappa of the drawn matrix (float64 SVD), since
LAPACK's float32 rounding error, and so our difference from it, grows with kappa.

Shapes with more than MAX_FULL elements store a fixed-stride sample of MAX_SAMPLE positions (`index` + `bits`)
instead of every value, to keep the file small.

deltaOrthogonal_ is not in PyTorch; its cases are PyTorch's orthogonal_ of an (out, in) tensor written at the
centre tap ((k - 1) // 2 per spatial dim, as JAX) of a zero kernel: the definition in src/init/delta-orthogonal.ts.
"""
import json
import math
import os
import re
import sys

import numpy as np
import torch

torch.set_num_threads(1)

MAX_FULL = 4096
MAX_SAMPLE = 2048
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "orthogonal.json")


def bits(t):
    t = t.detach().contiguous().reshape(-1)
    if t.dtype == torch.float64:
        return [format(int(x), "016x") for x in t.numpy().view(np.uint64)]
    return [format(int(x), "08x") for x in t.numpy().view(np.uint32)]


def lapack_libs():
    torch.linalg.qr(torch.randn(4, 4))
    maps = open("/proc/self/maps").read()
    return sorted(set(re.findall(r"(/\S*(?:openblas|blas|lapack|mkl)\S*\.so[\d.]*)", maps)))


def debian_packages():
    import subprocess
    try:
        r = subprocess.run(["dpkg-query", "-W", "python3-torch", "libopenblas0-pthread"], capture_output=True, text=True)
        return r.stdout.strip().splitlines()
    except OSError:
        return []


def cond_of_draw(seed, rows, cols, dtype):
    torch.manual_seed(seed)
    flat = torch.empty(rows, cols, dtype=dtype).normal_(0, 1).double()
    s = torch.linalg.svdvals(flat)
    return float(s[0] / s[-1]) if float(s[-1]) > 0 else math.inf


def record(values, case):
    flat = values.reshape(-1)
    n = flat.numel()
    if n > MAX_FULL:
        stride = n // MAX_SAMPLE
        index = list(range(0, n, stride))[:MAX_SAMPLE]
        if index[-1] != n - 1:
            index.append(n - 1)
        case["index"] = index
        case["bits"] = bits(flat[index])
    else:
        case["bits"] = bits(flat)
    case["maxAbs"] = float(flat.abs().max()) if n else 0.0


def after(case):
    case["nextUniform"] = bits(torch.empty(4).uniform_())
    case["nextNormal"] = bits(torch.empty(3).normal_())


def orthogonal_case(seed, shape, gain=1.0, dtype=torch.float32):
    torch.manual_seed(seed)
    t = torch.empty(*shape, dtype=dtype)
    torch.nn.init.orthogonal_(t, gain=gain)
    case = {"op": "orthogonal", "seed": str(seed), "shape": list(shape), "gain": gain,
            "dtype": "float64" if dtype == torch.float64 else "float32"}
    record(t, case)
    after(case)
    rows = shape[0]
    cols = math.prod(shape) // rows if rows else 0
    if rows and cols:
        case["cond"] = cond_of_draw(seed, rows, cols, dtype)
    return case


def delta_case(seed, shape, gain=1.0, dtype=torch.float32):
    torch.manual_seed(seed)
    out, inc = shape[0], shape[1]
    w = torch.zeros(*shape, dtype=dtype)
    if w.numel() > 0:
        q = torch.empty(out, inc, dtype=dtype)
        torch.nn.init.orthogonal_(q, gain=gain)
        centre = tuple((k - 1) // 2 for k in shape[2:])
        w[(slice(None), slice(None)) + centre] = q
    case = {"op": "delta", "seed": str(seed), "shape": list(shape), "gain": gain,
            "dtype": "float64" if dtype == torch.float64 else "float32"}
    record(w, case)
    after(case)
    if w.numel() > 0:
        case["cond"] = cond_of_draw(seed, out, inc, dtype)
    return case


def main():
    seeds = [0, 1, 42, 2**32 + 5, -7]
    small = [(1, 1), (2, 2), (3, 5), (5, 3), (1, 50), (50, 1), (1, 7), (7, 1), (4, 4), (16, 16), (20, 7), (7, 20),
             (33, 33), (64, 32), (32, 64), (100, 37), (8, 4, 3, 3), (16, 8, 3), (4, 2, 3, 3, 3), (6, 10, 2, 2)]
    cases = []
    for seed in seeds:
        for shape in small:
            cases.append(orthogonal_case(seed, shape))
    for gain in [0.0, 0.5, math.sqrt(2.0), 5.0 / 3]:
        for shape in [(3, 5), (24, 24), (12, 4, 3, 3)]:
            cases.append(orthogonal_case(3, shape, gain=gain))
    for shape in [(40, 40), (129, 129), (130, 64), (64, 32, 3, 3), (256, 256), (300, 200)]:
        for seed in [0, 1]:
            cases.append(orthogonal_case(seed, shape))
    for shape in [(1024, 1024), (2048, 512), (512, 2048)]:
        cases.append(orthogonal_case(0, shape))
    for shape in [(3, 5), (12, 12), (40, 17), (8, 4, 3, 3)]:
        cases.append(orthogonal_case(11, shape, gain=0.75, dtype=torch.float64))
    for seed in [0, 1, 42]:
        for shape in [(4, 4, 3), (8, 4, 3, 3), (16, 8, 3, 3, 3), (6, 6, 5), (5, 3, 4, 4), (2, 1, 2, 3, 4), (64, 32, 3, 3)]:
            cases.append(delta_case(seed, shape, gain=1.0 if seed else math.sqrt(2.0)))
    cases.append(delta_case(5, (6, 4, 3, 3), gain=1.0, dtype=torch.float64))
    doc = {
        "generator": "scripts/gen_orthogonal_fixtures.py",
        "command": "OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 scripts/gen_orthogonal_fixtures.py",
        "torch": torch.__version__,
        "packages": debian_packages(),
        "numpy": np.__version__,
        "lapack": lapack_libs(),
        "cpuCapability": re.search(r"CPU capability usage: (\S+)", torch.__config__.show()).group(1),
        "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
