// Oracle: presets and rules in the sequential stream against the PyTorch programs they stand for, bit for bit:
//   torch:              torch.manual_seed(s); m = build(spec)
//   torchvision-resnet: ... then torchvision's loop (kaiming_normal_ fan_out relu on Conv2d, BN 1/0) in module order
//   he / xavier / lecun: ... then model.apply(fn) with the scheme on weights and zeros on biases
//   rules:              ... then model.apply(init_weights) (the seed thread's xavier_normal_ + bias 0.01)
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { fromSpec, initialize } from '../../src/index.js';
import { Generator } from '../../src/rng/generator.js';
import { f32bits } from '../helpers/bits.js';
import { PY_PRELUDE, describeTorch, oracleSeed, runTorch } from '../helpers/torch.js';

const MODELS = ['dqn', 'cnn', 'resnet-block', 'lstm-lm', 'transformer'];
const spec = (n: string) => JSON.parse(readFileSync(`tests/fixtures/models/${n}.json`, 'utf8'));

const PY = `${PY_PRELUDE}
sys.path.insert(0, 'scripts')
from spec_to_torch import build
import torch.nn as nn
I = torch.nn.init
def scheme_fn(name):
    def fn(m):
        for pname, p in list(m.named_parameters(recurse=False)):
            if p.dim() == 1 and (pname == 'bias' or pname.startswith('bias_') or pname == 'in_proj_bias'):
                if not isinstance(m, nn.PReLU):
                    I.zeros_(p)
                continue
            is_weight = isinstance(m, (nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d, nn.Bilinear)) and pname == 'weight'
            is_weight = is_weight or (isinstance(m, (nn.RNNBase, nn.RNNCellBase)) and pname.startswith('weight_'))
            if not is_weight or p.dim() < 2:
                continue
            if name == 'he': I.kaiming_normal_(p, mode='fan_in', nonlinearity='relu')
            elif name == 'xavier': I.xavier_uniform_(p)
            else:
                fan_in, _ = I._calculate_fan_in_and_fan_out(p)
                I.normal_(p, 0, math.sqrt(1.0 / max(1, fan_in)))
    return fn
out = []
for c in inp:
    torch.manual_seed(c['seed'])
    m = build(c['spec'])
    p = c['preset']
    if p == 'torchvision-resnet':
        for mod in m.modules():
            if isinstance(mod, nn.Conv2d): I.kaiming_normal_(mod.weight, mode='fan_out', nonlinearity='relu')
            elif isinstance(mod, (nn.BatchNorm2d, nn.GroupNorm)): I.constant_(mod.weight, 1); I.constant_(mod.bias, 0)
    elif p in ('he', 'xavier', 'lecun'):
        m.apply(scheme_fn(p))
    if c.get('rules'):
        def init_weights(mod):
            if isinstance(mod, nn.Linear):
                I.xavier_normal_(mod.weight)
                mod.bias.data.fill_(0.01)
        m.apply(init_weights)
    out.append({k: bits32(v.float()) for k, v in m.state_dict().items()})
print(json.dumps(out))
`;

const RULES = {
  rules: [
    { match: { module: 'Linear', param: 'weight' }, init: 'xavier_normal_' },
    { match: { module: 'Linear', param: 'bias' }, init: 'constant_', args: { val: 0.01 } },
  ],
};

describeTorch('oracle: presets and rules against PyTorch programs', () => {
  it('torch, torchvision-resnet, he, xavier, lecun presets and the seed thread rules, bit for bit', () => {
    const s0 = oracleSeed();
    const cases: { seed: number; spec: unknown; model: string; preset: string; rules?: boolean }[] = [];
    let k = 0;
    for (const model of MODELS) {
      for (const preset of ['torch', 'torchvision-resnet', 'he', 'xavier', 'lecun']) {
        // The textbook presets initialize MultiheadAttention's Q/K/V block by block (not one PyTorch call).
        if (model === 'transformer' && preset !== 'torch' && preset !== 'torchvision-resnet') continue;
        cases.push({ seed: (s0 + 7919 * k++) % 2 ** 31, spec: spec(model), model, preset });
      }
    }
    cases.push({ seed: s0 % 1000, spec: spec('dqn'), model: 'dqn', preset: 'torch', rules: true });
    cases.push({ seed: (s0 + 1) % 1000, spec: spec('transformer'), model: 'transformer', preset: 'torch', rules: true });
    const expected = runTorch<Record<string, string[]>[]>(PY, cases);
    cases.forEach((c, i) => {
      const m = fromSpec(c.spec, { generator: new Generator().manualSeed(123456) });
      initialize(m, { preset: c.preset as 'torch', seed: c.seed, ...(c.rules ? { rules: RULES } : {}) });
      const sd = m.stateDict();
      for (const [key, bits] of Object.entries(expected[i]!)) {
        expect(f32bits(sd.get(key)!.data), `${c.model} ${c.preset}${c.rules ? '+rules' : ''} seed ${c.seed}: ${key}`).toEqual(bits);
      }
    });
  });
});
