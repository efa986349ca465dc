"""Run initkit test programs with real PyTorch (shared by the fixture generators and the live oracle tests).

A *case* is a program: seed the default generator with ``torch.manual_seed(seed)``, run a list of ops in order on
that one generator, then record the next 4 float32 ``uniform_`` words so the stream position after the program is
checked too. Each op's result is encoded compactly:

* tensors: ``{"n", "bits"}`` with the hex bit patterns concatenated (8 hex digits per float32 / float16 / bfloat16
  value, after ``.float()``; 16 per float64), or, above FULL_LIMIT elements, ``{"n", "sha256", "head", "tail"}``
  (sha256 of the little-endian float32/float64 bytes, plus the first and last 16 values) unless the op has
  ``"full": true``;
* ``randperm``: ``{"n", "ints"}`` or ``{"n", "sha256"}`` over little-endian int32;
* scalars (``calculate_gain``): ``{"f64": hex}``; fans: ``{"fans": [fan_in, fan_out]}``;
* an op PyTorch rejects: ``{"error": "ValueError", "message": ...}``.

The non-PyTorch ops (``variance_scaling``, ``lecun_uniform``, ``lecun_normal``) are the JAX/Keras formulas written
with PyTorch's samplers, as initkit defines them: truncated normal = ``trunc_normal_(t, 0, s, -2s, 2s)`` with
``s = sqrt(scale / n) / .87962566103423978``, untruncated = ``normal_(t, 0, sqrt(scale / n))``,
uniform = ``uniform_(t, -sqrt(3 scale / n), sqrt(3 scale / n))``; fans by JAX's ``_compute_fans`` (axes), Keras's
``compute_fans`` or PyTorch's ``_calculate_fan_in_and_fan_out``.
"""
import hashlib
import json
import math
import os

import numpy as np
import torch

I = torch.nn.init
FULL_LIMIT = 2048
DTYPES = {
    'float32': torch.float32,
    'float64': torch.float64,
    'float16': torch.float16,
    'bfloat16': torch.bfloat16,
}
TRUNC_STD = .87962566103423978


def encode_tensor(t, full=False):
    t = t.detach().contiguous()
    if t.dtype == torch.float64:
        raw = t.numpy().reshape(-1).astype('<f8').view('<u8')
        width = 16
    else:
        raw = t.float().numpy().reshape(-1).astype('<f4').view('<u4')
        width = 8
    n = int(raw.size)
    fmt = '0%dx' % width
    if n <= FULL_LIMIT or full:
        return {'n': n, 'bits': ''.join(format(int(x), fmt) for x in raw)}
    head = ''.join(format(int(x), fmt) for x in raw[:16])
    tail = ''.join(format(int(x), fmt) for x in raw[-16:])
    return {'n': n, 'sha256': hashlib.sha256(raw.tobytes()).hexdigest(), 'head': head, 'tail': tail}


def encode_ints(t):
    a = t.numpy().reshape(-1).astype('<i4')
    if a.size <= FULL_LIMIT:
        return {'n': int(a.size), 'ints': [int(x) for x in a]}
    return {'n': int(a.size), 'sha256': hashlib.sha256(a.tobytes()).hexdigest()}


def f64hex(x):
    return format(np.array([x], dtype='<f8').view('<u8')[0], '016x')


def jax_fans(shape, in_axis=-2, out_axis=-1, batch_axis=()):
    """jax._src.nn.initializers._compute_fans, verbatim semantics (float division for the receptive field)."""
    if len(shape) <= 1:
        raise ValueError('Must be at least 2D')
    prod = lambda axes: math.prod([shape[i] for i in axes])
    in_size = shape[in_axis] if isinstance(in_axis, int) else prod(in_axis)
    out_size = shape[out_axis] if isinstance(out_axis, int) else prod(out_axis)
    batch_size = shape[batch_axis] if isinstance(batch_axis, int) else prod(batch_axis)
    rf = math.prod(shape) / in_size / out_size / batch_size
    return in_size * rf, out_size * rf


def keras_fans(shape):
    """keras.src.initializers.random_initializers.compute_fans for rank >= 2."""
    if len(shape) == 2:
        return shape[0], shape[1]
    rf = math.prod(shape[:-2])
    return shape[-2] * rf, shape[-1] * rf


def fans_for(op, t):
    layout = op.get('layout', 'torch')
    if isinstance(layout, dict):
        return jax_fans(list(t.shape), layout.get('inAxis', -2), layout.get('outAxis', -1), layout.get('batchAxis', ()))
    if layout == 'keras':
        return keras_fans(list(t.shape))
    fan_in, fan_out = I._calculate_fan_in_and_fan_out(t)
    groups = op.get('groups', 1)
    if groups != 1:
        fan_out = fan_out // groups
    return fan_in, fan_out


def variance_scaling(t, op, scale, mode, distribution):
    if t.dim() < 2:
        raise ValueError('variance scaling needs at least 2 dimensions')
    if t.numel() == 0:
        return t
    fan_in, fan_out = fans_for(op, t)
    denominator = {'fan_in': fan_in, 'fan_out': fan_out, 'fan_avg': (fan_in + fan_out) / 2}[mode]
    variance = scale / denominator
    if distribution == 'uniform':
        bound = math.sqrt(3 * variance)
        return I.uniform_(t, -bound, bound)
    if distribution == 'untruncated_normal':
        return I.normal_(t, 0, math.sqrt(variance))
    s = math.sqrt(variance) / TRUNC_STD
    return I.trunc_normal_(t, 0.0, s, -2 * s, 2 * s)


def run_op(op):
    name = op['op']
    try:
        if name == 'calculate_gain':
            if 'param' in op:
                return {'f64': f64hex(I.calculate_gain(op['nonlinearity'], op['param']))}
            return {'f64': f64hex(I.calculate_gain(op['nonlinearity']))}
        if name == 'fan':
            t = torch.empty(op['shape'], device='meta')
            fi, fo = I._calculate_fan_in_and_fan_out(t)
            return {'fans': [int(fi), int(fo)]}
        if name == 'randperm':
            return encode_ints(torch.randperm(op['n']))
        t = torch.empty(op['shape'], dtype=DTYPES[op.get('dtype', 'float32')])
        if name == 'uniform_':
            I.uniform_(t, op.get('a', 0.0), op.get('b', 1.0))
        elif name == 'normal_':
            I.normal_(t, op.get('mean', 0.0), op.get('std', 1.0))
        elif name == 'trunc_normal_':
            I.trunc_normal_(t, mean=op.get('mean', 0.0), std=op.get('std', 1.0), a=op.get('a', -2.0), b=op.get('b', 2.0))
        elif name == 'constant_':
            I.constant_(t, op['val'])
        elif name == 'ones_':
            I.ones_(t)
        elif name == 'zeros_':
            I.zeros_(t)
        elif name == 'eye_':
            I.eye_(t)
        elif name == 'dirac_':
            I.dirac_(t, op.get('groups', 1))
        elif name == 'xavier_uniform_':
            I.xavier_uniform_(t, gain=op.get('gain', 1.0))
        elif name == 'xavier_normal_':
            I.xavier_normal_(t, gain=op.get('gain', 1.0))
        elif name in ('kaiming_uniform_', 'kaiming_normal_'):
            fn = I.kaiming_uniform_ if name == 'kaiming_uniform_' else I.kaiming_normal_
            fn(t, a=op.get('a', 0), mode=op.get('mode', 'fan_in'), nonlinearity=op.get('nonlinearity', 'leaky_relu'))
        elif name == 'sparse_':
            I.sparse_(t, op['sparsity'], std=op.get('std', 0.01))
        elif name == 'variance_scaling':
            variance_scaling(t, op, op.get('scale', 1.0), op.get('mode', 'fan_in'), op.get('distribution', 'truncated_normal'))
        elif name == 'lecun_uniform':
            variance_scaling(t, op, 1.0, 'fan_in', 'uniform')
        elif name == 'lecun_normal':
            variance_scaling(t, op, 1.0, 'fan_in', op.get('distribution', 'truncated_normal'))
        else:
            raise KeyError('unknown op %r' % name)
        return encode_tensor(t, op.get('full', False))
    except (ValueError, IndexError, RuntimeError, ZeroDivisionError) as e:
        return {'error': type(e).__name__, 'message': str(e)}


def run_case(case):
    torch.manual_seed(int(case['seed']))
    out = [run_op(op) for op in case['ops']]
    nxt = torch.empty(4).uniform_()
    return {'out': out, 'next': encode_tensor(nxt)['bits']}


def environment():
    return {
        'torch': torch.__version__,
        'numpy': np.__version__,
        'cpu_capability': next((line.split(':', 1)[1].strip() for line in torch.__config__.show().splitlines()
                                if 'CPU capability usage' in line), 'unknown'),
    }


def write_fixture(out, command, script, cases, **extra):
    """Run every case and write the fixture both generators produce (gen_init_fixtures.py, gen_rng_fixtures.py):
    the command, the environment, the encoding note, the cases with their expected results, then one field per
    ``extra`` keyword holding what its function returns (called after the cases ran)."""
    env = environment()
    results = [run_case(c) for c in cases]
    fixture = {
        'command': command,
        'generated_by': '%s with scripts/torch_init_ops.py' % script,
        'environment': env,
        'note': 'bits are concatenated hex bit patterns (8 digits per float32/16-bit value via .float(), 16 per '
                'float64); tensors above %d elements carry sha256 of the little-endian bytes plus head/tail' % FULL_LIMIT,
        'cases': [dict(c, expected=r) for c, r in zip(cases, results)],
    }
    fixture.update({k: f() for k, f in extra.items()})
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, 'w') as f:
        json.dump(fixture, f, separators=(',', ':'))
        f.write('\n')
    print('wrote %s: %d cases, %d bytes, torch %s' % (out, len(cases), os.path.getsize(out), env['torch']))
