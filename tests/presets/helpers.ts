import { readFileSync } from 'node:fs';
import { fromSpec } from '../../src/nn/spec.js';
import type { Module } from '../../src/nn/module.js';
import { Generator } from '../../src/rng/generator.js';

export function specOf(name: string): unknown {
  return JSON.parse(readFileSync(`tests/fixtures/models/${name}.json`, 'utf8'));
}

export function build(name: string, seed = 0, device: 'cpu' | 'meta' = 'cpu'): Module {
  return fromSpec(specOf(name), { generator: new Generator().manualSeed(seed), device });
}

export function std(xs: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m += xs[i]!;
  m /= xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - m) ** 2;
  return Math.sqrt(v / xs.length);
}
