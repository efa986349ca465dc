/**
 * The forward structure of a module tree, for analysis: which leaf layers run, in which order, and where residual
 * sums are. PyTorch modules carry no forward graph in a spec, so initkit uses these conventions (docs/DIAGNOSE.md):
 * - `Sequential`, `ModuleList`, `ModuleDict` and plain `Module` containers run their children in order;
 * - `Residual` (initkit's container, see nn.Residual) computes `shortcut(x) + body(x)`: its children run in order
 *   as the body, except a child named `shortcut` (or `downsample`), which maps x on the skip path;
 * - `TransformerEncoder`/`TransformerDecoder` run their layers, then their optional final norm;
 * - every other module is a leaf layer (`TransformerEncoderLayer` and `MultiheadAttention` included).
 */
import type { Module } from '../nn/module.js';
import { moduleType } from '../presets/sites.js';

export type GraphNode =
  | { kind: 'leaf'; name: string; type: string; module: Module }
  | { kind: 'seq'; name: string; type: string; children: GraphNode[] }
  | { kind: 'residual'; name: string; type: string; body: GraphNode; shortcut: GraphNode | null };

export const SEQUENTIAL_CONTAINERS = new Set(['Sequential', 'ModuleList', 'ModuleDict', 'Module']);
export const SHORTCUT_NAMES = new Set(['shortcut', 'downsample']);

/** Build the forward graph of `model` (names are PyTorch's `named_modules()` paths). */
export function buildGraph(model: Module, name = ''): GraphNode {
  const type = moduleType(model);
  const kids = [...model._modules].filter((e): e is [string, Module] => e[1] !== null);
  const child = (k: string, m: Module): GraphNode => buildGraph(m, name === '' ? k : `${name}.${k}`);
  if (type === 'Residual') {
    const shortcutEntry = kids.find(([k]) => SHORTCUT_NAMES.has(k));
    const body: GraphNode = { kind: 'seq', name, type: 'Sequential', children: kids.filter(([k]) => !SHORTCUT_NAMES.has(k)).map(([k, m]) => child(k, m)) };
    return { kind: 'residual', name, type, body, shortcut: shortcutEntry ? child(shortcutEntry[0], shortcutEntry[1]) : null };
  }
  if (type === 'TransformerEncoder' || type === 'TransformerDecoder') {
    const layers = model._modules.get('layers');
    const out: GraphNode[] = [];
    if (layers) for (const [k, m] of layers._modules) if (m !== null) out.push(buildGraph(m, name === '' ? `layers.${k}` : `${name}.layers.${k}`));
    const norm = model._modules.get('norm');
    if (norm) out.push(child('norm', norm));
    return { kind: 'seq', name, type, children: out };
  }
  if (SEQUENTIAL_CONTAINERS.has(type) && kids.length > 0) return { kind: 'seq', name, type, children: kids.map(([k, m]) => child(k, m)) };
  return { kind: 'leaf', name, type, module: model };
}

/** The leaf layers in execution order. */
export function leaves(g: GraphNode): Extract<GraphNode, { kind: 'leaf' }>[] {
  if (g.kind === 'leaf') return [g];
  if (g.kind === 'seq') return g.children.flatMap(leaves);
  // As torchvision's blocks: the body first, then the shortcut (downsample), then the sum.
  return [...leaves(g.body), ...(g.shortcut ? leaves(g.shortcut) : [])];
}
