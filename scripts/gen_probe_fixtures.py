#!/usr/bin/env python3
"""Golden fixtures for initkit's probe: scripts/probe_torch.py on every model and init of
tests/fixtures/probe-models.json, with fixed seeds, written to tests/fixtures/probe.json.

    OMP_NUM_THREADS=1 /usr/bin/python3 scripts/gen_probe_fixtures.py

tests/analysis/probe-golden.test.ts compares initkit's probe with these numbers (without PyTorch) under the
tolerances of tests/analysis/probe-helpers.ts (1e-4 relative on stds): the probe's float32 products are not bit-equal
to PyTorch's BLAS (summation order), so the comparison is numeric, not bitwise. Each case also holds the same program
run in float64 ("float64"), the exact answer both float32 passes approximate.
"""
import collections
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from probe_torch import _json_safe, probe_case  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINS = 10
THREAD_RULES = {"rules": [
    {"match": {"module": "Linear", "param": "weight"}, "init": "xavier_normal_"},
    {"match": {"module": "Linear", "param": "bias"}, "init": "constant_", "args": {"val": 0.01}},
]}


def main():
    torch.set_num_threads(1)
    with open(os.path.join(ROOT, "tests/fixtures/probe-models.json")) as f:
        models = json.load(f, object_pairs_hook=collections.OrderedDict)["models"]
    cases = []
    k = 0
    for m in models:
        for init in m["inits"]:
            seed = 1000 + 17 * k
            k += 1
            c = {"spec": m["spec"], "seed": seed, "inputShape": m["inputShape"], "batch": m["batch"], "bins": BINS,
                 "preset": "torch" if init == "rules" else init, "rules": THREAD_RULES if init == "rules" else None,
                 "float64": True}
            r = probe_case(c)
            del r["torch"]
            cases.append({"model": m["name"], "init": init, "seed": seed, "bins": BINS, "result": r})
    out = {
        "generator": "OMP_NUM_THREADS=1 /usr/bin/python3 scripts/gen_probe_fixtures.py",
        "torch": torch.__version__,
        "note": "scripts/probe_torch.py results (float32 CPU, one thread; statistics in float64; 'float64': the same program in float64) for tests/fixtures/probe-models.json",
        "cases": cases,
    }
    path = os.path.join(ROOT, "tests/fixtures/probe.json")
    with open(path, "w") as f:
        json.dump(_json_safe(out), f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
