/** The `init` namespace: PyTorch's `torch.nn.init`, exactly, plus what PyTorch lacks. */
export { uniform_ } from './uniform.js';
export { normal_ } from './normal.js';
export { truncNormal_, normCdf, type TruncNormalOptions } from './trunc-normal.js';
export { constant_, ones_, zeros_ } from './constant.js';
export { calculateGain, NONLINEARITIES, type Nonlinearity } from './gain.js';
export {
  calculateFanInAndFanOut,
  FAN_LAYOUTS,
  FAN_MODES,
  type FanAxes,
  type FanLayout,
  type FanLayoutName,
  type FanMode,
  type FanOptions,
} from './fan.js';
export { kaimingUniform_, kaimingNormal_, type KaimingOptions } from './kaiming.js';
export { xavierUniform_, xavierNormal_, type XavierOptions } from './xavier.js';
export type { RandomOptions } from './common.js';
