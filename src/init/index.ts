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
export { eye_, dirac_ } from './identity.js';
export { sparse_, type SparseOptions } from './sparse.js';
export {
  varianceScaling_,
  varianceScalingParams,
  VARIANCE_SCALING_MODES,
  VARIANCE_SCALING_DISTRIBUTIONS,
  TRUNCATED_NORMAL_STD_FACTOR,
  type VarianceScalingMode,
  type VarianceScalingDistribution,
  type VarianceScalingOptions,
  type VarianceScalingFanOptions,
  type VarianceScalingParams,
} from './variance-scaling.js';
export {
  lecunUniform_,
  lecunNormal_,
  LECUN_NORMAL_DISTRIBUTIONS,
  type LecunNormalDistribution,
  type LecunOptions,
  type LecunNormalOptions,
} from './lecun.js';
export { computeGain, activationMoments, type ActivationMoments, type ComputeGainOptions } from './compute-gain.js';
export {
  ACTIVATIONS,
  ACTIVATION_ALIASES,
  SELU_ALPHA,
  SELU_SCALE,
  activationInfo,
  activationFunction,
  sigmoid,
  softplus,
  type Activation,
  type ActivationAlias,
  type ActivationName,
  type ActivationInfo,
  type ActivationParam,
} from './activations.js';
export {
  gaussHermite,
  gaussLegendre,
  gaussianExpectation,
  normalPdf,
  GAUSS_HERMITE_NODES,
  type QuadratureRule,
  type GaussianExpectationOptions,
} from './quadrature.js';
export { orthogonal_, type OrthogonalOptions } from './orthogonal.js';
export { deltaOrthogonal_ } from './delta-orthogonal.js';
