/** Walk a module tree into {@link ParamSite}s, in PyTorch's `named_parameters()` / `state_dict()` order. */
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import type { AncestorInfo, ParamSite } from './types.js';

/** PyTorch's class name of a module (its spec type), `Module` for plain containers written by users. */
export function moduleType(m: Module): string {
  const sig = (m.constructor as { signature?: { type?: string } }).signature;
  return sig?.type ?? m.getName();
}

/**
 * Every parameter (and, with `buffers: true`, every buffer) of the tree, each once, in state-dict order: for each
 * module in pre-order, its parameters then its buffers.
 */
export function collectSites(root: Module, options: { buffers?: boolean } = {}): ParamSite[] {
  const out: ParamSite[] = [];
  const seen = new Set<unknown>();
  const walk = (m: Module, path: string, ancestors: AncestorInfo[]): void => {
    const type = moduleType(m);
    const cfg = (m._config ?? {}) as Record<string, unknown>;
    const add = (name: string, t: { shape: readonly number[]; dtype: ParamSite['dtype'] }, kind: ParamSite['kind']): void => {
      if (seen.has(t)) return;
      seen.add(t);
      out.push({ path: path === '' ? name : `${path}.${name}`, name, modulePath: path, module: m, type, cfg, shape: t.shape, dtype: t.dtype, kind, ancestors });
    };
    for (const [name, p] of m._parameters) if (p !== null) add(name, p, 'parameter');
    if (options.buffers) for (const [name, b] of m._buffers) if (b !== null) add(name, b, 'buffer');
    const next = [...ancestors, { path, type, module: m }];
    for (const [name, child] of m._modules) {
      if (child === null) continue;
      walk(child, path === '' ? name : `${path}.${name}`, next);
    }
  };
  walk(root, '', []);
  return out;
}

/** The tensor behind a site. */
export function siteTensor(site: ParamSite): Tensor {
  const t = site.kind === 'parameter' ? site.module._parameters.get(site.name) : site.module._buffers.get(site.name);
  return t!;
}

/** Number of transformer blocks: TransformerEncoderLayer/DecoderLayer modules, else the longest ModuleList. */
export function countTransformerBlocks(root: Module): number {
  let blocks = 0;
  let longestList = 0;
  for (const [, m] of root.namedModules()) {
    const t = moduleType(m);
    if (t === 'TransformerEncoderLayer' || t === 'TransformerDecoderLayer') blocks++;
    if (t === 'ModuleList') longestList = Math.max(longestList, m._modules.size);
  }
  return blocks > 0 ? blocks : Math.max(1, longestList);
}
