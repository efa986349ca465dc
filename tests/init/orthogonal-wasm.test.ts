// The two builds of orthogonal_'s Householder QR — WebAssembly SIMD (scripts/wasm/householder_qr.c, embedded in
// src/linalg/qr-wasm.generated.ts) and TypeScript (src/linalg/householder-qr.ts) — must give bit-identical Q and
// diag(R): the C code performs the same operations in the same order. Also: the QR itself against its definition.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/index.js';
import { QR_BLOCK } from '../../src/linalg/householder-qr.js';
import { QR_WASM_BASE64, QR_WASM_SOURCE_SHA256 } from '../../src/linalg/qr-wasm.generated.js';
import { decodeBase64, qrBackendAvailable, qrJob } from '../../src/linalg/qr.js';
import { f64bits } from '../helpers/bits.js';

function randomMatrix(g: Generator, k: number): Float64Array {
  const a = new Float64Array(k);
  for (let i = 0; i < k; i++) a[i] = g.random() / 2 ** 31 - 1;
  return a;
}

describe('Householder QR backends', () => {
  it('the wasm module is available in this Node (SIMD) and matches its C source (sha256)', () => {
    expect(qrBackendAvailable('wasm')).toBe(true);
    const src = readFileSync(new URL('../../scripts/wasm/householder_qr.c', import.meta.url));
    expect(createHash('sha256').update(src).digest('hex'), 'rebuild with: node scripts/build-qr-wasm.mjs').toBe(QR_WASM_SOURCE_SHA256);
  });

  it('decodeBase64 matches Buffer on the embedded module', () => {
    expect(Buffer.from(decodeBase64(QR_WASM_BASE64)).equals(Buffer.from(QR_WASM_BASE64, 'base64'))).toBe(true);
    for (const s of ['', 'QQ==', 'QUI=', 'QUJD', 'AAECAwQF/w==']) {
      expect(Buffer.from(decodeBase64(s)).equals(Buffer.from(s, 'base64')), s).toBe(true);
    }
  });

  // Shapes exercising every edge: the unblocked path (n < QR_UNBLOCKED_BELOW), 1 column, partial 4-strips in rows and columns, partial last panel, several
  // panels (QR_BLOCK columns each), tall and square.
  const b = QR_BLOCK;
  const shapes: [number, number][] = [
    [1, 1], [2, 1], [3, 3], [5, 2], [7, 7], [9, 4], [b, b], [b + 1, b + 1], [b + 3, b - 1], [2 * b + 5, 2 * b + 1],
    [50, 8], [70, 12], [100, 37], [130, 129], [257, 64], [300, 300], [513, 97], [1000, 3],
  ];
  for (const [m, n] of shapes) {
    it(`${m} × ${n}: wasm and js give bit-identical Q and diag(R)`, () => {
      const input = randomMatrix(new Generator().manualSeed(m * 1000 + n), m * n);
      const jw = qrJob(m, n, 'wasm');
      expect(jw.backend).toBe('wasm');
      jw.a.set(input);
      jw.run();
      const wasmQ = f64bits(jw.a);
      const wasmD = f64bits(jw.diag);
      const jj = qrJob(m, n, 'js');
      jj.a.set(input);
      jj.run();
      expect(wasmQ).toEqual(f64bits(jj.a));
      expect(wasmD).toEqual(f64bits(jj.diag));
    });
  }

  for (const backend of ['js', 'wasm'] as const) {
    it(`${backend}: Q·R reproduces A, QᵀQ = I and R is upper triangular (to 1e-13) on 150 × 120`, () => {
      const m = 150;
      const n = 120;
      const input = randomMatrix(new Generator().manualSeed(99), m * n);
      const job = qrJob(m, n, backend);
      job.a.set(input);
      job.run();
      const q = job.a;
      let orth = 0;
      let tri = 0;
      for (let p = 0; p < n; p++) {
        for (let c = 0; c < n; c++) {
          let s = 0; // (QᵀQ)[p, c]
          let r = 0; // (QᵀA)[p, c] = R[p, c]
          for (let i = 0; i < m; i++) {
            s += q[i + p * m]! * q[i + c * m]!;
            r += q[i + p * m]! * input[i + c * m]!;
          }
          orth = Math.max(orth, Math.abs(s - (p === c ? 1 : 0)));
          if (p > c) tri = Math.max(tri, Math.abs(r));
          if (p === c) tri = Math.max(tri, Math.abs(r - job.diag[p]!));
        }
      }
      expect(orth).toBeLessThan(1e-13);
      expect(tri).toBeLessThan(1e-13);
    });
  }

  it('LAPACK larfg signs: diag(R)[j] has the opposite sign of the pivot (β = −sign(α)·‖x‖), and a zero column below keeps α', () => {
    // A = [[2, 1], [0, 3]]: column 0 has x = 0 below the pivot, so τ = 0 and R[0,0] = α = 2 (no reflection).
    const job = qrJob(2, 2, 'js');
    job.a.set([2, 0, 1, 3]);
    job.run();
    expect(job.diag[0]).toBe(2);
    // A = [[3], [4]]: β = −5.
    const j2 = qrJob(2, 1, 'js');
    j2.a.set([3, 4]);
    j2.run();
    expect(j2.diag[0]).toBe(-5);
    expect(j2.a[0]).toBeCloseTo(-0.6, 15);
    expect(j2.a[1]).toBeCloseTo(-0.8, 15);
  });
});
