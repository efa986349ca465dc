// Oracle: fresh random init programs each run (shapes, seeds, modes, nonlinearities, gains, groups, sparsities),
// compared bit for bit with live PyTorch: every torch.nn.init function except orthogonal_ (its own suite), plus
// initkit's varianceScaling_ / lecun* against the same formulas written with PyTorch's samplers.
// Replay a failure with INITKIT_ORACLE_SEED=<printed seed>.
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { Generator } from '../../src/index.js';
import { NONLINEARITIES } from '../../src/init/gain.js';
import { PY_PRELUDE, describeTorch, oracleSeed, runTorch, torchVersion } from '../helpers/torch.js';
import { type Case, type CaseResult, type Op, compatFor, expectCaseMatches, runCase } from '../helpers/programs.js';

const SCRIPTS = fileURLToPath(new URL('../../scripts', import.meta.url));

const PY = `${PY_PRELUDE}
import warnings
warnings.filterwarnings('ignore')
sys.path.insert(0, ${JSON.stringify(SCRIPTS)})
import torch_init_ops as ops
print(json.dumps([ops.run_case(c) for c in inp]))
`;

function makeCases(master: number): Case[] {
  const g = new Generator().manualSeed(master);
  const rnd = (): number => g.random() / 2 ** 32;
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const shape = (minRank = 2, maxRank = 5): number[] => {
    const rank = int(minRank, maxRank);
    if (rank === 2 && rnd() < 0.3) return [int(1, 300), int(1, 300)];
    return Array.from({ length: rank }, (_, i) => (i < 2 ? int(1, 40) : int(1, 5)));
  };
  const seed = (): string => {
    const k = rnd();
    if (k < 0.5) return String(Math.floor(rnd() * 2 ** 32));
    if (k < 0.7) return String(-Math.floor(rnd() * 2 ** 40));
    if (k < 0.85) return (2n ** 63n + BigInt(Math.floor(rnd() * 2 ** 50))).toString();
    return String(int(0, 100));
  };
  const dtype = (): 'float32' | 'float64' => (rnd() < 0.15 ? 'float64' : 'float32');
  const kaimingNl = ['leaky_relu', 'relu', 'linear', 'tanh', 'selu', 'sigmoid', 'conv1d', 'conv_transpose2d'] as const;
  const makeOp = (kind?: number): Op => {
    const k = kind ?? int(0, 17);
    switch (k) {
      case 0: {
        const a = (rnd() - 0.5) * 10;
        return { op: 'uniform_', shape: shape(1, 4), dtype: dtype(), a, b: a + rnd() * 4 };
      }
      case 1:
        return { op: 'normal_', shape: shape(1, 4), dtype: dtype(), mean: (rnd() - 0.5) * 2, std: rnd() * 2 };
      case 2: {
        const std = 0.01 + rnd();
        const mean = (rnd() - 0.5) * std;
        return { op: 'trunc_normal_', shape: shape(1, 3), mean, std, a: mean - std * (0.3 + 2 * rnd()), b: mean + std * (0.3 + 2 * rnd()) };
      }
      case 3:
        return pick([{ op: 'constant_', shape: shape(1, 3), val: (rnd() - 0.5) * 100 }, { op: 'ones_', shape: shape(1, 3) }, { op: 'zeros_', shape: shape(1, 3) }]);
      case 4:
        return { op: 'eye_', shape: [int(0, 12), int(0, 12)] };
      case 5: {
        const groups = pick([1, 1, 2, 3, 4]);
        const s = shape(3, 5);
        s[0] = groups * int(1, 6);
        return { op: 'dirac_', shape: s, groups };
      }
      case 6:
      case 7:
        return { op: k === 6 ? 'xavier_uniform_' : 'xavier_normal_', shape: shape(), dtype: dtype(), gain: pick([1, Math.SQRT2, 5 / 3, 0.75, rnd() * 3]) };
      case 8:
      case 9: {
        const nonlinearity = pick(kaimingNl);
        return {
          op: k === 8 ? 'kaiming_uniform_' : 'kaiming_normal_',
          shape: shape(),
          dtype: dtype(),
          a: nonlinearity === 'leaky_relu' ? pick([0, Math.sqrt(5), rnd()]) : 0,
          mode: pick(['fan_in', 'fan_out']),
          nonlinearity,
        };
      }
      case 10:
        return { op: 'sparse_', shape: [int(1, 60), int(1, 30)], dtype: dtype(), sparsity: pick([0, 0.1, 0.5, 0.9, 1, rnd()]), std: pick([0.01, rnd()]) };
      case 11: {
        const nonlinearity = pick(NONLINEARITIES);
        return nonlinearity === 'leaky_relu' && rnd() < 0.7
          ? { op: 'calculate_gain', nonlinearity, param: (rnd() - 0.3) * 5 }
          : { op: 'calculate_gain', nonlinearity };
      }
      case 12:
        return { op: 'fan', shape: shape() };
      case 13:
      case 14:
        return {
          op: 'variance_scaling',
          shape: shape(),
          dtype: dtype(),
          scale: pick([1, 2, 0.1, rnd() * 3 + 0.01]),
          mode: pick(['fan_in', 'fan_out', 'fan_avg']),
          distribution: pick(['truncated_normal', 'untruncated_normal', 'uniform']),
          ...(rnd() < 0.3 ? { layout: 'keras' } : {}),
        };
      case 15:
        return { op: 'lecun_uniform', shape: shape(), dtype: dtype() };
      default:
        return { op: 'lecun_normal', shape: shape(), dtype: dtype(), distribution: pick(['truncated_normal', 'untruncated_normal']) };
    }
  };
  // float64 normals are compared within a few ulps, which needs every value (no hash).
  const withFull = (op: Op): Op => (op.dtype === 'float64' ? { ...op, full: true } : op);
  const cases: Case[] = [];
  for (let kind = 0; kind <= 17; kind++) cases.push({ name: `case for op kind ${kind}`, seed: seed(), ops: [withFull(makeOp(kind))] });
  for (let i = 0; i < 160; i++) {
    const n = rnd() < 0.7 ? 1 : int(2, 4);
    cases.push({ name: `random case ${i}`, seed: seed(), ops: Array.from({ length: n }, () => withFull(makeOp())) });
  }
  return cases;
}

describeTorch('oracle: torch.nn.init functions against live PyTorch', () => {
  it('fresh random programs (all functions but orthogonal_), bit for bit, stream position included', () => {
    const cases = makeCases(oracleSeed());
    const expected = runTorch<CaseResult[]>(PY, cases);
    const compat = compatFor(torchVersion() ?? '2');
    let values = 0;
    cases.forEach((c, i) => {
      values += expectCaseMatches(`${c.name}: ${JSON.stringify(c).slice(0, 300)}`, c, runCase(c, compat), expected[i]!);
    });
    const ops = new Set(cases.flatMap((c) => c.ops.map((o) => o.op)));
    expect(ops.size).toBeGreaterThanOrEqual(16);
    expect(values).toBeGreaterThan(1000);
  });
});
