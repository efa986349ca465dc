#!/usr/bin/python3
"""Golden fixtures for initkit's random kernels (the foundation issue's requirements), generated with real PyTorch.

Usage (from the repository root; /usr/bin/python3 is the interpreter with PyTorch):

    /usr/bin/python3 scripts/gen_rng_fixtures.py             # writes tests/fixtures/rng.json

Seeds 0, 1, 42, 2^32+5, -7 and 2^63+2^40+3; for each: uniform_ at every size 1..40 in a row on one generator (two
ranges), normal_ at every size 1..40 in a row (both paths and the Box–Muller cache carried between calls),
trunc_normal_ at sizes 1..40, randperm at n = 1..40, large sizes including non-multiples of 16 (hashed), float64 and
16-bit variants, and cache-interplay programs (see scripts/torch_init_ops.py for the program format).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_init_ops as ops  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'tests', 'fixtures', 'rng.json')
COMMAND = '/usr/bin/python3 scripts/gen_rng_fixtures.py'
SEEDS = ['0', '1', '42', str(2**32 + 5), '-7', str(2**63 + 2**40 + 3)]
SIZES = range(1, 41)
LARGE = [256, 1000, 4099, 65543, 100000]

cases = []


def add(name, seed, ops_list):
    cases.append({'name': name, 'seed': seed, 'ops': ops_list})


for seed in SEEDS:
    add('uniform_ [0, 1) sizes 1..40 in a row', seed, [{'op': 'uniform_', 'shape': [n]} for n in SIZES])
    add('uniform_ [-3.7, 11.3) sizes 1..40 in a row', seed,
        [{'op': 'uniform_', 'shape': [n], 'a': -3.7, 'b': 11.3} for n in SIZES])
    add('uniform_ ranges', seed, [
        {'op': 'uniform_', 'shape': [37], 'a': -0.08838834764831845, 'b': 0.08838834764831845},
        {'op': 'uniform_', 'shape': [37], 'a': -0.125, 'b': 0.125},
        {'op': 'uniform_', 'shape': [37], 'a': 1e-3, 'b': 1e3},
        {'op': 'uniform_', 'shape': [37], 'a': -1e30, 'b': 1e30},
        {'op': 'uniform_', 'shape': [37], 'a': 5.0, 'b': 5.0},
    ])
    add('normal_ N(0, 1) sizes 1..40 in a row (both paths, cache carried across calls)', seed,
        [{'op': 'normal_', 'shape': [n]} for n in SIZES])
    add('normal_ N(0.5, 0.02) and N(-2, 3) sizes 1..40 alternating', seed,
        [{'op': 'normal_', 'shape': [n], 'mean': 0.5 if n % 2 else -2.0, 'std': 0.02 if n % 2 else 3.0} for n in SIZES])
    add('trunc_normal_ sizes 1..40 in a row', seed, [{'op': 'trunc_normal_', 'shape': [n]} for n in SIZES])
    add('trunc_normal_ std 0.02 (absolute bounds +-2) and +-2 std', seed,
        [{'op': 'trunc_normal_', 'shape': [n], 'std': 0.02} for n in (1, 7, 16, 33)]
        + [{'op': 'trunc_normal_', 'shape': [n], 'std': 0.02, 'a': -0.04, 'b': 0.04} for n in (1, 7, 16, 33)])
    add('randperm n = 1..40 in a row', seed, [{'op': 'randperm', 'n': n} for n in SIZES])
    add('large sizes', seed, [{'op': op, 'shape': [n]} for n in LARGE for op in ('uniform_', 'normal_')]
        + [{'op': 'trunc_normal_', 'shape': [n], 'std': 0.02, 'a': -0.04, 'b': 0.04} for n in (1000, 4099)]
        + [{'op': 'randperm', 'n': n} for n in (1000, 100000)])
    add('float64 sizes 1..40 in a row', seed, [{'op': 'uniform_', 'shape': [n], 'dtype': 'float64', 'a': -2.0, 'b': 3.0} for n in SIZES])
    add('float64 normal_ sizes 1..24 in a row', seed, [{'op': 'normal_', 'shape': [n], 'dtype': 'float64', 'mean': 0.25, 'std': 1.5} for n in range(1, 25)])
    add('float64 large', seed, [{'op': 'uniform_', 'shape': [4099], 'dtype': 'float64'}, {'op': 'normal_', 'shape': [1000], 'dtype': 'float64'}])
    add('16-bit uniform_', seed, [{'op': 'uniform_', 'shape': [n], 'dtype': dt, 'a': -0.7, 'b': 0.3}
                                  for dt in ('float16', 'bfloat16') for n in (1, 5, 16, 37)])
    add('cache interplay: normal(3), normal(32), uniform(5), normal(1), float64 normal(3), normal(2)', seed, [
        {'op': 'normal_', 'shape': [3]}, {'op': 'normal_', 'shape': [32]}, {'op': 'uniform_', 'shape': [5]},
        {'op': 'normal_', 'shape': [1]}, {'op': 'normal_', 'shape': [3], 'dtype': 'float64'},
        {'op': 'normal_', 'shape': [2]}, {'op': 'randperm', 'n': 5}, {'op': 'normal_', 'shape': [1]},
        {'op': 'trunc_normal_', 'shape': [3]}, {'op': 'normal_', 'shape': [17]}, {'op': 'normal_', 'shape': [1]},
    ])


def main():
    ops.write_fixture(OUT, COMMAND, 'scripts/gen_rng_fixtures.py', cases)


if __name__ == '__main__':
    main()
