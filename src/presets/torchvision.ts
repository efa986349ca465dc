/**
 * The `torchvision-resnet` preset: torchvision's ResNet constructor (torchvision/models/resnet.py): after PyTorch's
 * defaults, every Conv2d weight gets `kaiming_normal_(mode='fan_out', nonlinearity='relu')`, every BatchNorm2d and
 * GroupNorm weight 1 and bias 0; the final Linear keeps PyTorch's default. With `zeroInitResidual`, the last BatchNorm
 * of each residual block (`bn3` of a Bottleneck, `bn2` of a BasicBlock) gets weight 0, so each block starts as
 * the identity (Goyal et al. 2017, "Accurate, Large Minibatch SGD", §5.1).
 */
import { constPlan } from './keras.js';
import { resolveCall } from './registry.js';
import { callPlan, torchPlan } from './torch.js';
import type { InitPlan, ParamSite, Preset, PresetContext } from './types.js';

const KAIMING = resolveCall('torchvision-resnet preset', 'kaiming_normal_', { mode: 'fan_out', nonlinearity: 'relu' });

/** True for the BatchNorm that ends a residual block: `bn3` in a block with conv3, else `bn2` in a block with conv2. */
export function isResidualLastBn(site: ParamSite): boolean {
  const parent = site.ancestors[site.ancestors.length - 1];
  if (!parent) return false;
  const local = site.modulePath.split('.').pop();
  const children = parent.module._modules;
  if (local === 'bn3') return children.has('conv3');
  if (local === 'bn2') return children.has('conv2') && !children.has('conv3');
  return false;
}

export function torchvisionPlan(site: ParamSite, ctx: PresetContext): InitPlan {
  if (site.kind === 'buffer') return torchPlan(site);
  const { type, name, shape } = site;
  if (type === 'Conv2d' && name === 'weight') return callPlan(KAIMING, shape);
  if (type === 'BatchNorm2d' || type === 'GroupNorm') {
    if (name === 'weight') {
      if (ctx.options.zeroInitResidual && isResidualLastBn(site)) return { ...constPlan(0, 'constant_(val=0) (zero_init_residual)'), call: resolveCall('preset', 'zeros_') };
      return { ...constPlan(1, 'constant_(val=1)'), call: resolveCall('preset', 'ones_') };
    }
    if (name === 'bias') return { ...constPlan(0, 'constant_(val=0)'), call: resolveCall('preset', 'zeros_') };
  }
  return { ...torchPlan(site), torchDefault: true };
}

export const torchvisionResnetPreset: Preset = {
  name: 'torchvision-resnet',
  title: "torchvision ResNet: kaiming_normal_(mode='fan_out', nonlinearity='relu') convs, BN 1/0, optional zero-init residual",
  source: 'pytorch/vision torchvision/models/resnet.py ResNet.__init__',
  plan: torchvisionPlan,
  moduleNote(type, _m, sites, ctx) {
    if (type === 'Conv2d') return "kaiming_normal_(mode='fan_out', nonlinearity='relu'): std sqrt(2/fan_out)";
    if ((type === 'BatchNorm2d' || type === 'GroupNorm') && ctx.options.zeroInitResidual && sites.some((s) => s.name === 'weight' && isResidualLastBn(s))) {
      return 'last BatchNorm of a residual block: weight 0, so the block starts as the identity';
    }
    return null;
  },
};
