#!/usr/bin/python3
"""Golden fixtures for initkit's init functions, generated with real PyTorch.

Usage (from the repository root; /usr/bin/python3 is the interpreter with PyTorch):

    /usr/bin/python3 scripts/gen_init_fixtures.py            # writes tests/fixtures/init.json

Every torch.nn.init function (uniform_, normal_, trunc_normal_, constant_, ones_, zeros_, eye_, dirac_,
xavier_uniform_/normal_, kaiming_uniform_/normal_, sparse_, calculate_gain, _calculate_fan_in_and_fan_out; not
orthogonal_, whose QR bits depend on LAPACK) over shapes 1 x n, n x 1, matrices and 3-D to 5-D kernels, seeds 0, 1,
42, 2^32+5, -7 and one above 2^63, plus initkit's JAX-style variance_scaling / lecun_* written with PyTorch's samplers
(see scripts/torch_init_ops.py for the program format). The fixture also carries reference Gaussian moments of
activations computed with mpmath at 40 digits, for computeGain.
"""
import math
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_init_ops as ops  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'tests', 'fixtures', 'init.json')
COMMAND = '/usr/bin/python3 scripts/gen_init_fixtures.py'

SEEDS = ['0', '1', '42', str(2**32 + 5), '-7', str(2**63 + 2**40 + 3)]
SHAPES = [[1, 7], [7, 1], [3, 4], [1, 1], [5, 3], [16, 8], [64, 32], [33, 17], [8, 4, 3], [16, 8, 3, 3],
          [4, 2, 3, 3, 3], [6, 3, 5], [2, 5, 1, 1], [128, 96]]

cases = []


def add(name, ops_list, seed=None):
    cases.append({'name': name, 'seed': seed if seed is not None else SEEDS[len(cases) % len(SEEDS)], 'ops': ops_list})


# ---- uniform_, normal_, trunc_normal_ -------------------------------------------------------------------------
for i, shape in enumerate(SHAPES):
    a, b = [(0.0, 1.0), (-0.08838834764831845, 0.08838834764831845), (-3.7, 11.3)][i % 3]
    add('uniform_ %s [%g, %g)' % (shape, a, b), [{'op': 'uniform_', 'shape': shape, 'a': a, 'b': b}])
    mean, std = [(0.0, 1.0), (0.5, 0.02), (-2.0, 3.0)][i % 3]
    add('normal_ %s (%g, %g)' % (shape, mean, std), [{'op': 'normal_', 'shape': shape, 'mean': mean, 'std': std}])
TRUNC = [
    {},                                           # default: N(0, 1) on [-2, 2]
    {'std': 0.02},                                # absolute bounds ±2 = ±100 std: effectively untruncated
    {'a': -0.1, 'b': 0.1},                        # narrow
    {'std': 0.02, 'a': -0.04, 'b': 0.04},         # ±2 std, written out
    {'mean': 0.5, 'std': 2.0, 'a': -1.0, 'b': 3.0},
    {'mean': 0.0, 'std': 1.0, 'a': 0.5, 'b': 4.0},  # one-sided
]
for i, shape in enumerate(SHAPES):
    for j, kw in enumerate(TRUNC):
        if (i + j) % 2 == 0:
            add('trunc_normal_ %s %s' % (shape, kw), [dict({'op': 'trunc_normal_', 'shape': shape}, **kw)])

# ---- deterministic fills ----------------------------------------------------------------------------------------
add('constant_/ones_/zeros_', [
    {'op': 'constant_', 'shape': [3, 4], 'val': 0.25},
    {'op': 'constant_', 'shape': [2, 3, 3], 'val': -3.5e-7},
    {'op': 'constant_', 'shape': [5], 'val': 1e40},   # rounds to inf in float32, as PyTorch
    {'op': 'ones_', 'shape': [4, 2, 3]},
    {'op': 'zeros_', 'shape': [7, 1]},
])
add('eye_', [{'op': 'eye_', 'shape': s} for s in ([3, 3], [2, 5], [5, 2], [1, 1], [0, 3], [4, 0], [1, 6], [6, 1])]
    + [{'op': 'eye_', 'shape': [3]}, {'op': 'eye_', 'shape': [2, 2, 2]}])
DIRAC = [([4, 4, 3], 1), ([6, 3, 5], 1), ([2, 6, 3], 1), ([8, 4, 3, 3], 1), ([8, 4, 3, 3], 2), ([8, 4, 3, 3], 4),
         ([8, 2, 3, 3], 2), ([4, 4, 2, 2], 1), ([4, 2, 3, 3, 3], 1), ([4, 2, 3, 3, 3], 2), ([8, 2, 3, 4, 5], 4),
         ([8, 4, 1], 1), ([6, 1, 5], 6), ([12, 3, 2, 4], 4), ([0, 3, 3], 1), ([3, 3, 1, 1, 1], 3)]
add('dirac_', [{'op': 'dirac_', 'shape': s, 'groups': g} for s, g in DIRAC]
    + [{'op': 'dirac_', 'shape': [8, 4, 3], 'groups': 3}, {'op': 'dirac_', 'shape': [3, 3], 'groups': 1},
       {'op': 'dirac_', 'shape': [2, 2, 2, 2, 2, 2], 'groups': 1}])

# ---- xavier, kaiming ----------------------------------------------------------------------------------------------
GAINS = [1.0, math.sqrt(2.0), 5.0 / 3, 0.5]
for fn in ('xavier_uniform_', 'xavier_normal_'):
    for i, shape in enumerate(SHAPES):
        add('%s %s' % (fn, shape), [{'op': fn, 'shape': shape, 'gain': GAINS[i % len(GAINS)]}])
KAIMING = [
    {}, {'a': math.sqrt(5)}, {'a': 0.2, 'mode': 'fan_out'}, {'nonlinearity': 'relu'},
    {'nonlinearity': 'relu', 'mode': 'fan_out'}, {'nonlinearity': 'linear'}, {'nonlinearity': 'tanh'},
    {'nonlinearity': 'selu'}, {'nonlinearity': 'sigmoid', 'mode': 'fan_out'}, {'nonlinearity': 'conv2d'},
]
for fn in ('kaiming_uniform_', 'kaiming_normal_'):
    for i, shape in enumerate(SHAPES):
        kw = KAIMING[i % len(KAIMING)]
        add('%s %s %s' % (fn, shape, kw), [dict({'op': fn, 'shape': shape}, **kw)])
    # Zero-element tensors: a no-op without draws (PyTorch returns before computing fans, even for 1-D).
    add('%s zero-element' % fn, [{'op': fn, 'shape': s} for s in ([0, 5], [5, 0], [0], [3, 0, 3])])
    add('%s 1-D error' % fn, [{'op': fn, 'shape': [5]}])

# ---- sparse_ ------------------------------------------------------------------------------------------------------
SPARSE_SHAPES = [[10, 5], [3, 4], [20, 8], [1, 7], [7, 1], [64, 32], [17, 3]]
k = 0
for shape in SPARSE_SHAPES:
    for sparsity in (0.0, 0.1, 0.5, 0.9, 1.0):
        std = [0.01, 0.5][k % 2]
        k += 1
        add('sparse_ %s %g std %g' % (shape, sparsity, std), [{'op': 'sparse_', 'shape': shape, 'sparsity': sparsity, 'std': std}])
add('sparse_ zero-element and errors', [{'op': 'sparse_', 'shape': [0, 4], 'sparsity': 0.5},
                                        {'op': 'sparse_', 'shape': [4, 0], 'sparsity': 0.5},
                                        {'op': 'sparse_', 'shape': [4, 4, 4], 'sparsity': 0.5}])

# ---- calculate_gain and fans ---------------------------------------------------------------------------------------
gain_ops = [{'op': 'calculate_gain', 'nonlinearity': nl} for nl in (
    'linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid',
    'tanh', 'relu', 'leaky_relu', 'selu')]
gain_ops += [{'op': 'calculate_gain', 'nonlinearity': 'leaky_relu', 'param': p}
             for p in (0, 0.01, 0.2, math.sqrt(5), 1, -0.5, 3, 100.0, 1e-8)]
gain_ops += [{'op': 'calculate_gain', 'nonlinearity': 'gelu'}]
add('calculate_gain', gain_ops)
add('_calculate_fan_in_and_fan_out', [{'op': 'fan', 'shape': s} for s in (
    [2, 3], [3, 2], [1, 7], [7, 1], [16, 8, 3, 3], [4, 2, 3, 3, 3], [8, 4, 3], [0, 3], [3, 0, 2], [64, 1, 3, 3],
    [3, 5, 2, 2, 2, 2], [5], [])])

# ---- initkit's JAX-style functions, written with PyTorch samplers ---------------------------------------------------
VS = [
    {'scale': 1.0, 'mode': 'fan_in', 'distribution': 'truncated_normal'},
    {'scale': 2.0, 'mode': 'fan_in', 'distribution': 'uniform'},
    {'scale': 1.0, 'mode': 'fan_avg', 'distribution': 'untruncated_normal'},
    {'scale': 0.1, 'mode': 'fan_out', 'distribution': 'truncated_normal'},
    {'scale': 2.0, 'mode': 'fan_avg', 'distribution': 'uniform'},
    {'scale': 1.0 / 3, 'mode': 'fan_out', 'distribution': 'untruncated_normal'},
]
for i, shape in enumerate(SHAPES):
    kw = VS[i % len(VS)]
    add('variance_scaling %s %s' % (shape, kw), [dict({'op': 'variance_scaling', 'shape': shape}, **kw)])
LAYOUTS = [
    ([3, 3, 8, 16], {'layout': 'keras'}),
    ([5, 7, 16, 24], {'layout': 'keras', 'mode': 'fan_avg', 'distribution': 'uniform'}),
    ([16, 8, 3, 3], {'layout': {'inAxis': 1, 'outAxis': 0}}),
    ([4, 32, 64], {'layout': {'inAxis': -2, 'outAxis': -1, 'batchAxis': [0]}, 'mode': 'fan_out'}),
    ([8, 6, 10], {'layout': {'inAxis': [0, 1], 'outAxis': -1}, 'distribution': 'uniform'}),
    ([32, 1, 3, 3], {'groups': 32, 'mode': 'fan_out'}),
    ([24, 4, 3, 3], {'groups': 6, 'mode': 'fan_avg', 'distribution': 'uniform'}),
]
for shape, kw in LAYOUTS:
    add('variance_scaling layouts %s %s' % (shape, kw), [dict({'op': 'variance_scaling', 'shape': shape}, **kw)])
for i, shape in enumerate(SHAPES):
    add('lecun_uniform %s' % shape, [{'op': 'lecun_uniform', 'shape': shape}])
    dist = ['truncated_normal', 'untruncated_normal'][i % 2]
    add('lecun_normal %s %s' % (shape, dist), [{'op': 'lecun_normal', 'shape': shape, 'distribution': dist}])
add('lecun_normal keras layout', [{'op': 'lecun_normal', 'shape': [3, 3, 16, 32], 'layout': 'keras'}])
add('variance_scaling zero-element', [{'op': 'variance_scaling', 'shape': [0, 4]}, {'op': 'lecun_uniform', 'shape': [3, 0]}])

# ---- float64 and 16-bit ------------------------------------------------------------------------------------------
for i, shape in enumerate([[3, 4], [16, 8], [1, 7], [8, 4, 3], [33, 17]]):
    add('float64 %s' % shape, [
        {'op': 'uniform_', 'shape': shape, 'dtype': 'float64', 'a': -0.3, 'b': 0.7},
        {'op': 'kaiming_uniform_', 'shape': shape, 'dtype': 'float64', 'a': math.sqrt(5)},
        {'op': 'xavier_uniform_', 'shape': shape, 'dtype': 'float64'},
        {'op': 'normal_', 'shape': shape, 'dtype': 'float64', 'mean': 0.1, 'std': 0.5},
        {'op': 'xavier_normal_', 'shape': shape, 'dtype': 'float64'},
        {'op': 'trunc_normal_', 'shape': shape, 'dtype': 'float64', 'std': 0.5, 'a': -1.0, 'b': 1.0},
        {'op': 'lecun_uniform', 'shape': shape, 'dtype': 'float64'},
    ])
for dt in ('float16', 'bfloat16'):
    add('%s uniform family' % dt, [
        {'op': 'uniform_', 'shape': [5, 7], 'dtype': dt, 'a': -0.3, 'b': 0.7},
        {'op': 'kaiming_uniform_', 'shape': [16, 8], 'dtype': dt, 'a': math.sqrt(5)},
        {'op': 'xavier_uniform_', 'shape': [3, 4], 'dtype': dt},
        {'op': 'dirac_', 'shape': [2, 2, 3], 'dtype': dt},
    ] + ([{'op': 'eye_', 'shape': [3, 4], 'dtype': dt}] if dt == 'float16' else []))  # 1.13 has no bfloat16 eye

# ---- programs: several calls on one generator (stream position and the Box–Muller cache across calls) -------------
add('nn.Linear(20, 30) then Conv2d(3, 8, 3) draws', [
    {'op': 'kaiming_uniform_', 'shape': [30, 20], 'a': math.sqrt(5)},
    {'op': 'uniform_', 'shape': [30], 'a': -1 / math.sqrt(20), 'b': 1 / math.sqrt(20)},
    {'op': 'kaiming_uniform_', 'shape': [8, 3, 3, 3], 'a': math.sqrt(5)},
    {'op': 'uniform_', 'shape': [8], 'a': -1 / math.sqrt(27), 'b': 1 / math.sqrt(27)},
])
for seed in SEEDS:
    add('cache interplay across init functions', [
        {'op': 'kaiming_normal_', 'shape': [3, 3]},            # 9 per-element normals: leaves a cached sample
        {'op': 'xavier_normal_', 'shape': [1, 5]},             # starts with the cached sample
        {'op': 'sparse_', 'shape': [5, 3], 'sparsity': 0.4},   # 15 per-element normals + 3 randperm(5)
        {'op': 'kaiming_normal_', 'shape': [16, 2]},           # the block path: ignores the cache
        {'op': 'normal_', 'shape': [1]},                       # the cached sample again
        {'op': 'lecun_normal', 'shape': [4, 3], 'distribution': 'untruncated_normal'},
        {'op': 'trunc_normal_', 'shape': [5], 'std': 0.02},
        {'op': 'normal_', 'shape': [3], 'mean': 1.0, 'std': 2.0},
    ], seed=seed)


def activation_reference():
    """E[f(Z)], E[f(Z)^2] for Z ~ N(0, 1) with mpmath at 40 digits (None when mpmath is missing)."""
    try:
        import mpmath as mp
    except ImportError:
        return None
    mp.mp.dps = 40
    sa = mp.mpf('1.6732632423543772848170429916717')
    ss = mp.mpf('1.0507009873554804934193349852946')
    sig = lambda x: 1 / (1 + mp.e ** (-x))
    sp = lambda x: mp.log1p(mp.e ** x) if x < 30 else x + mp.log1p(mp.e ** (-x))
    relu6 = lambda x: min(max(x, 0), 6)
    acts = {
        'linear': (None, lambda p: (lambda x: x), []),
        'relu': (None, lambda p: (lambda x: max(x, 0)), [0]),
        'leaky_relu': (0.01, lambda p: (lambda x: x if x >= 0 else p * x), [0]),
        'tanh': (None, lambda p: mp.tanh, []),
        'sigmoid': (None, lambda p: sig, []),
        'gelu': (None, lambda p: (lambda x: x * (1 + mp.erf(x / mp.sqrt(2))) / 2), []),
        'gelu_tanh': (None, lambda p: (lambda x: x * (1 + mp.tanh(mp.sqrt(2 / mp.pi) * (x + mp.mpf('0.044715') * x ** 3))) / 2), []),
        'silu': (None, lambda p: (lambda x: x * sig(x)), []),
        'mish': (None, lambda p: (lambda x: x * mp.tanh(sp(x))), []),
        'elu': (1.0, lambda p: (lambda x: x if x > 0 else p * mp.expm1(x)), [0]),
        'selu': (None, lambda p: (lambda x: ss * (x if x > 0 else sa * mp.expm1(x))), [0]),
        'celu': (1.0, lambda p: (lambda x: max(x, 0) + min(0, p * mp.expm1(x / p))), [0]),
        'softplus': (1.0, lambda p: (lambda x: sp(p * x) / p), []),
        'hardtanh': (None, lambda p: (lambda x: min(max(x, -1), 1)), [-1, 1]),
        'softsign': (None, lambda p: (lambda x: x / (1 + abs(x))), [0]),
        'relu6': (None, lambda p: relu6, [0, 6]),
        'hardswish': (None, lambda p: (lambda x: x * relu6(x + 3) / 6), [-3, 3]),
        'hardsigmoid': (None, lambda p: (lambda x: relu6(x + 3) / 6), [-3, 3]),
        'logsigmoid': (None, lambda p: (lambda x: -sp(-x)), []),
    }
    extra = [('leaky_relu', 0.2), ('leaky_relu', math.sqrt(5)), ('leaky_relu', -0.5), ('elu', 0.5), ('elu', 2.0),
             ('celu', 0.5), ('softplus', 2.0), ('softplus', 0.5)]
    pdf = lambda z: mp.e ** (-z * z / 2) / mp.sqrt(2 * mp.pi)
    rows = []
    todo = [(name, spec[0]) for name, spec in acts.items()] + extra
    for name, param in todo:
        default, make, bps = acts[name]
        f = make(mp.mpf(param) if param is not None else None)
        pts = sorted(set([-mp.inf, -20, -10, -5, 5, 10, 20, mp.inf] + [mp.mpf(b) for b in bps]))
        m1 = mp.quad(lambda z: f(z) * pdf(z), pts)
        m2 = mp.quad(lambda z: f(z) ** 2 * pdf(z), pts)
        rows.append({'activation': name, 'param': param, 'mean': mp.nstr(m1, 25), 'secondMoment': mp.nstr(m2, 25),
                     'gain': mp.nstr(1 / mp.sqrt(m2), 25)})
    return {'generator': 'mpmath %s, mp.dps = 40, mp.quad split at the kinks and at +-5, 10, 20' % mp.__version__,
            'rows': rows}


def erf_reference():
    """Python's math.erf / math.erfc (glibc's double erf) on a grid, for src/math/erf.ts; f64 hex strings."""
    xs = [i * 0.0137 - 7.0 for i in range(1023)] + [0.0, 1e-300, 2.0**-29, 0.25, 0.84375, 1.25, 2.857142857142857,
                                                    6.0, 27.9, 28.0, -0.2, -1.5, -3.0, math.sqrt(2), -math.sqrt(2)]
    return {'generator': 'Python %s math.erf/math.erfc (glibc)' % sys.version.split()[0],
            'rows': [[ops.f64hex(x), ops.f64hex(math.erf(x)), ops.f64hex(math.erfc(x))] for x in xs]}


def main():
    warnings.filterwarnings('ignore', message='Initializing zero-element tensors is a no-op')
    ops.write_fixture(OUT, COMMAND, 'scripts/gen_init_fixtures.py', cases,
                      activation_moments=activation_reference, erf=erf_reference)


if __name__ == '__main__':
    main()
