/**
 * InitError: the one error type initkit throws at its public boundary.
 *
 * Every error names where it happened (the function, or a JSON path for spec files), what was expected, what was
 * received, and — where there is one — the fix. The fields are structured so a CLI or a web page can render them;
 * `message` is the same information as one readable sentence:
 *
 * ```text
 * kaimingNormal_: expected tensor with at least 2 dimensions (fan-in is undefined for 1-D), got shape [128].
 *   Use zeros_ or uniform_ for bias vectors.
 * ```
 */

/** Stable error codes. The same array drives the type and any runtime check. */
export const ERROR_CODES = [
  'INVALID_ARGUMENT',
  'INVALID_SHAPE',
  'INVALID_DTYPE',
  'INVALID_SEED',
  'INVALID_STATE',
  'UNKNOWN_NAME',
  'NOT_A_TENSOR',
  'UNSUPPORTED',
  'SPEC_ERROR',
  'SHAPE_MISMATCH',
  'MALFORMED_FILE',
  'IO_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface InitErrorDetails {
  /** Stable machine-readable code. */
  code: ErrorCode;
  /** Where: the public function (`kaimingNormal_`) or a JSON path (`children[2].kwargs.padding_idx`). */
  where: string;
  /** The offending parameter's name (`tensor`, `seed`, `nonlinearity`). */
  param: string;
  /** What was expected, as a phrase that reads after "expected ". */
  expected: string;
  /** The value received (rendered with {@link formatValue} unless `receivedText` is given). */
  received?: unknown;
  /** A pre-rendered description of the received value, e.g. `shape [128]`. */
  receivedText?: string;
  /** How to fix it, as one or more sentences. */
  fix?: string;
}

/** The error initkit throws for bad input, with structured fields. */
export class InitError extends Error {
  override readonly name = 'InitError';
  readonly code: ErrorCode;
  readonly where: string;
  readonly param: string;
  readonly expected: string;
  readonly received: unknown;
  readonly fix: string | undefined;

  constructor(details: InitErrorDetails) {
    const got = details.receivedText ?? formatValue(details.received);
    const fix = details.fix !== undefined && details.fix !== '' ? ` ${details.fix}` : '';
    super(`${details.where}: expected ${details.expected}, got ${got}.${fix}`);
    this.code = details.code;
    this.where = details.where;
    this.param = details.param;
    this.expected = details.expected;
    this.received = details.received;
    this.fix = details.fix;
  }

  /** A plain object for JSON output (CLI `--json`, web UI). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      where: this.where,
      param: this.param,
      expected: this.expected,
      received: jsonSafe(this.received),
      fix: this.fix ?? null,
      message: this.message,
    };
  }
}

function jsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v === undefined) return null;
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && v.constructor !== Object) return formatValue(v);
  return v;
}

/**
 * Render any value for an error message: numbers keep their sign and precision (`-0`, `NaN`, `1e-7`), strings are
 * quoted, bigints get an `n`, arrays and plain objects are shown compactly, class instances by their class name.
 */
export function formatValue(v: unknown, depth = 0): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
      return `${v}n`;
    case 'string':
      return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v);
    case 'boolean':
      return String(v);
    case 'function':
      return `function ${(v as { name?: string }).name || '(anonymous)'}`;
    case 'symbol':
      return v.toString();
    default:
      break;
  }
  if (Array.isArray(v)) {
    if (depth > 1) return '[...]';
    const items = v.slice(0, 8).map((x) => formatValue(x, depth + 1));
    if (v.length > 8) items.push(`... ${v.length - 8} more`);
    return `[${items.join(', ')}]`;
  }
  if (ArrayBuffer.isView(v)) {
    return `${v.constructor.name}(${(v as unknown as { length?: number }).length ?? v.byteLength})`;
  }
  const obj = v as object;
  const ctor = obj.constructor;
  if (ctor !== undefined && ctor !== Object) {
    const describe = (obj as { describe?: () => string }).describe;
    if (typeof describe === 'function') return describe.call(obj);
    return `an instance of ${ctor.name}`;
  }
  if (depth > 1) return '{...}';
  const entries = Object.entries(obj).slice(0, 8);
  return `{${entries.map(([k, x]) => `${k}: ${formatValue(x, depth + 1)}`).join(', ')}}`;
}

/** Shorthand for `throw new InitError(...)` in validation code. */
export function fail(details: InitErrorDetails): never {
  throw new InitError(details);
}

/** Throws unless `v` is a finite number; `what` reads after "expected `param` to be". */
export function checkFiniteNumber(where: string, param: string, v: unknown, fix?: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    fail({ code: 'INVALID_ARGUMENT', where, param, expected: `${param} to be a finite number`, received: v, ...(fix ? { fix } : {}) });
  }
  return v;
}

/** Throws unless `v` is an integer number in [min, max]. */
export function checkInteger(where: string, param: string, v: unknown, min = -Infinity, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range =
      min === -Infinity && max === Infinity
        ? ''
        : max === Infinity
          ? ` >= ${min}`
          : min === -Infinity
            ? ` <= ${max}`
            : ` in [${min}, ${max}]`;
    fail({ code: 'INVALID_ARGUMENT', where, param, expected: `${param} to be an integer${range}`, received: v });
  }
  return v;
}

/** Throws unless `v` is one of `valid`, listing every valid value. */
export function checkEnum<T extends string>(where: string, param: string, v: unknown, valid: readonly T[]): T {
  if (typeof v !== 'string' || !(valid as readonly string[]).includes(v)) {
    fail({
      code: 'UNKNOWN_NAME',
      where,
      param,
      expected: `${param} to be one of ${valid.map((x) => `'${x}'`).join(', ')}`,
      received: v,
    });
  }
  return v as T;
}
