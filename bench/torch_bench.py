"""PyTorch side of `npm run bench`: reads a JSON list of tasks on stdin, times each single-threaded, prints JSON.

Task kinds: {"name", "kind": "uniform"|"normal"|"trunc_normal"|"kaiming_uniform"|"xavier_normal"|"orthogonal"|
"python", "shape": [...], "args": {...}, "code": "..." (for kind python: exec'd with `torch` and `x` defined)}.
Each result is the median seconds per call over repeated runs (at least 3, at least ~1 s).
"""
import json
import statistics
import sys
import time

import torch

torch.set_num_threads(1)


def timeit(fn, min_time=1.0, min_runs=3):
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - start < min_time:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        if len(times) > 1000:
            break
    return statistics.median(times)


def timeit_cpu(fn, min_time=1.0, min_runs=3):
    """Minimum seconds per call by wall clock and by CPU time (time.process_time: user + system of this process)."""
    fn()
    wall = cpu = float("inf")
    runs = 0
    start = time.perf_counter()
    while runs < min_runs or time.perf_counter() - start < min_time:
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        t1 = time.perf_counter()
        c1 = time.process_time()
        wall = min(wall, t1 - t0)
        cpu = min(cpu, c1 - c0)
        runs += 1
        if runs > 1000:
            break
    return wall, cpu


def lapack_info():
    try:
        import ctypes.util
        import re
        maps = open("/proc/self/maps").read()
        libs = sorted(set(re.findall(r"(/\S*(?:openblas|blas|lapack|mkl)\S*\.so[\d.]*)", maps)))
        return libs
    except Exception as e:  # pragma: no cover
        return [str(e)]


def main():
    tasks = json.load(sys.stdin)
    results = {}
    cpu_results = {}
    for t in tasks:
        shape = t.get("shape", [])
        args = t.get("args", {})
        kind = t["kind"]
        x = torch.empty(*shape) if shape else None
        if kind == "uniform":
            fn = lambda: x.uniform_(args.get("a", 0.0), args.get("b", 1.0))
        elif kind == "normal":
            fn = lambda: x.normal_(args.get("mean", 0.0), args.get("std", 1.0))
        elif kind == "trunc_normal":
            fn = lambda: torch.nn.init.trunc_normal_(x, **args)
        elif kind == "kaiming_uniform":
            fn = lambda: torch.nn.init.kaiming_uniform_(x, **args)
        elif kind == "xavier_normal":
            fn = lambda: torch.nn.init.xavier_normal_(x, **args)
        elif kind == "orthogonal":
            fn = lambda: torch.nn.init.orthogonal_(x, **args)
        elif kind == "python":
            env = {"torch": torch, "x": x, "args": args}
            exec(t.get("setup", ""), env)
            code = compile(t["code"], t["name"], "exec")
            fn = lambda: exec(code, env)
        else:
            raise SystemExit(f"unknown task kind {kind}")
        if t.get("clock") == "both":
            results[t["name"]], cpu_results[t["name"]] = timeit_cpu(fn, t.get("min_time", 1.0))
        else:
            results[t["name"]] = timeit(fn, t.get("min_time", 1.0))
    # touch LAPACK so its library shows up in the process map
    torch.linalg.qr(torch.randn(4, 4))
    info = {"torch": torch.__version__, "threads": torch.get_num_threads(), "lapack_libs": lapack_info()}
    print(json.dumps({"results": results, "cpu_results": cpu_results, "info": info}))


if __name__ == "__main__":
    main()
