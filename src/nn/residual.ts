/**
 * Residual: initkit's container for residual blocks (not a PyTorch class). PyTorch modules carry their forward in
 * Python code, which a JSON spec cannot hold; this container states the one forward that matters for analysis,
 * `shortcut(x) + body(x)`, so the probe, LSUV and propagation can run residual networks built from a spec.
 */
import { fail } from '../errors.js';
import { Module } from './module.js';

/** Child names that map x on the skip path instead of belonging to the body (torchvision calls it `downsample`). */
export const RESIDUAL_SHORTCUT_NAMES = ['shortcut', 'downsample'] as const;

function checkChild(where: string, key: string, m: unknown): Module {
  if (!(m instanceof Module)) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: `modules[${JSON.stringify(key)}]`,
      expected: 'a Module',
      received: m,
      fix: 'Pass layers such as new nn.Linear(4, 4).',
    });
  }
  return m;
}

/**
 * A residual block: `forward(x) = shortcut(x) + body(x)`, where the body is the children in order except one named
 * `shortcut` or `downsample`, which (when present) maps x on the skip path; without it the skip path is x itself.
 * It has no parameters of its own and draws nothing (its children were built, and drew, first, in document order).
 * Children are registered as in Sequential (`'0'`, `'1'`, ... or the given names), so state-dict keys match.
 *
 * PyTorch equivalent: none in torch.nn; `scripts/spec_to_torch.py` defines
 * ```python
 * class Residual(nn.Module):            # children registered like nn.Sequential
 *     def forward(self, x):
 *         out = x
 *         for name, m in self._modules.items():
 *             if name not in ("shortcut", "downsample"): out = m(out)
 *         return out + (self.shortcut(x) if shortcut else x)
 * ```
 *
 * @throws InitError for a child that is not a Module, or both a `shortcut` and a `downsample` child.
 * @example
 * ```ts
 * const block = new nn.Residual(new nn.Linear(64, 64), new nn.ReLU(), new nn.Linear(64, 64));   // x + f(x)
 * const down = new nn.Residual({ conv: new nn.Conv2d(8, 16, 3, { stride: 2, padding: 1 }),
 *   shortcut: new nn.Conv2d(8, 16, 1, { stride: 2 }) });                                        // P(x) + f(x)
 * [...down.stateDict().keys()]; // ['conv.weight', 'conv.bias', 'shortcut.weight', 'shortcut.bias']
 * ```
 */
export class Residual extends Module {
  constructor(...modules: Module[] | [Map<string, Module> | Record<string, Module> | [string, Module][]]) {
    super();
    const first = modules[0] as unknown;
    let entries: [string, unknown][];
    if (modules.length === 1 && !(first instanceof Module)) {
      if (first instanceof Map) entries = [...(first as Map<string, unknown>)];
      else if (Array.isArray(first)) {
        entries = (first as unknown[]).map((e, i) => {
          if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string') {
            fail({ code: 'INVALID_ARGUMENT', where: 'Residual', param: `modules[${i}]`, expected: 'a [name, module] pair', received: e });
          }
          return e as [string, unknown];
        });
      } else if (typeof first === 'object' && first !== null) entries = Object.entries(first as Record<string, unknown>);
      else entries = [['0', first]];
    } else {
      entries = (modules as unknown[]).map((m, i) => [String(i), m]);
    }
    const shortcuts = entries.filter(([k]) => (RESIDUAL_SHORTCUT_NAMES as readonly string[]).includes(k));
    if (shortcuts.length > 1) {
      fail({
        code: 'INVALID_ARGUMENT',
        where: 'Residual',
        param: 'modules',
        expected: 'at most one skip-path child (named "shortcut" or "downsample")',
        receivedText: shortcuts.map(([k]) => JSON.stringify(k)).join(' and '),
        fix: 'Keep one of them; put the other in the body or in a Sequential on the skip path.',
      });
    }
    for (const [k, m] of entries) this.registerModule(k, checkChild('Residual', k, m));
  }

  /** Number of children (body and shortcut). */
  get length(): number {
    return this._modules.size;
  }

  /** The body's children in order, with their names. */
  bodyModules(): [string, Module][] {
    return [...this._modules].filter(
      (e): e is [string, Module] => e[1] !== null && !(RESIDUAL_SHORTCUT_NAMES as readonly string[]).includes(e[0]),
    );
  }

  /** The skip-path child and its name, or null when the skip path is the identity. */
  shortcutModule(): [string, Module] | null {
    for (const name of RESIDUAL_SHORTCUT_NAMES) {
      const m = this._modules.get(name);
      if (m !== undefined && m !== null) return [name, m];
    }
    return null;
  }

  [Symbol.iterator](): Iterator<Module> {
    return ([...this._modules.values()].filter((m) => m !== null) as Module[])[Symbol.iterator]();
  }
}
