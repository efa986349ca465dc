/**
 * `initkit/node`: the Node-only part of the API (file system access). Everything else is in `initkit`, which runs
 * in browsers too.
 *
 * ```ts
 * import { manualSeed, empty, init } from 'initkit';
 * import { saveSafetensors, loadSafetensors } from 'initkit/node';
 * ```
 */
export {
  saveSafetensors,
  loadSafetensors,
  writeFileAtomic,
  createSafetensorsWriter,
  saveNpy,
  loadNpy,
  type SaveResult,
  type SafetensorsWriter,
} from './io/node.js';
