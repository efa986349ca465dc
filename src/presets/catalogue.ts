/** All presets by name. */
import { fail } from '../errors.js';
import { flaxPreset } from './flax.js';
import { gpt2Preset } from './gpt2.js';
import { kerasPreset } from './keras.js';
import { hePreset, lecunPreset, xavierPreset } from './textbook.js';
import { tfjsPreset } from './tfjs.js';
import { torchPreset } from './torch.js';
import { torchvisionResnetPreset } from './torchvision.js';
import { PRESETS, type Preset, type PresetName } from './types.js';

export const PRESET_CATALOGUE: Readonly<Record<PresetName, Preset>> = {
  torch: torchPreset,
  keras: kerasPreset,
  tfjs: tfjsPreset,
  flax: flaxPreset,
  lecun: lecunPreset,
  he: hePreset,
  xavier: xavierPreset,
  gpt2: gpt2Preset,
  'torchvision-resnet': torchvisionResnetPreset,
};

/** The preset of that name, or an InitError listing the valid names. */
export function getPreset(where: string, name: unknown): Preset {
  if (typeof name === 'string' && (PRESETS as readonly string[]).includes(name)) return PRESET_CATALOGUE[name as PresetName];
  return fail({
    code: 'UNKNOWN_NAME',
    where,
    param: 'preset',
    expected: `preset to be one of ${PRESETS.map((p) => `'${p}'`).join(', ')}`,
    received: name,
  });
}
