/**
 * A strict JSON (RFC 8259) parser over UTF-8 bytes, for file headers that come from untrusted files.
 *
 * Unlike `JSON.parse` it reports byte positions, rejects duplicate object keys and lone UTF-16 surrogates in `\u`
 * escapes (as serde_json, the safetensors reference parser, does), keeps each number's literal text (so `2.0`, `1e3`
 * and integers beyond 2^53 can be told apart from exact integers), limits nesting depth instead of overflowing the
 * stack, and throws only {@link JsonSyntaxError}.
 */

export interface JsonObject {
  readonly type: 'object';
  /** Byte position of `{`. */
  readonly pos: number;
  readonly keys: string[];
  readonly keyPos: number[];
  readonly values: JsonValue[];
}
export interface JsonArray {
  readonly type: 'array';
  readonly pos: number;
  readonly items: JsonValue[];
}
export interface JsonString {
  readonly type: 'string';
  readonly pos: number;
  readonly value: string;
}
export interface JsonNumber {
  readonly type: 'number';
  readonly pos: number;
  /** The literal as written. */
  readonly raw: string;
  /** `Number(raw)`: may be rounded, may be ±Infinity for huge literals. */
  readonly value: number;
  /** True when the literal has no fraction and no exponent (`12`, `-0`), false for `12.0` or `1e3`. */
  readonly integer: boolean;
}
export interface JsonLiteral {
  readonly type: 'true' | 'false' | 'null';
  readonly pos: number;
}
export type JsonValue = JsonObject | JsonArray | JsonString | JsonNumber | JsonLiteral;

/** A syntax error at byte `pos` of the parsed region. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly pos: number,
    readonly what: string,
  ) {
    super(`${what} at byte ${pos}`);
  }
}

/** Deepest nesting accepted (serde_json's default recursion limit is 128). */
export const MAX_JSON_DEPTH = 128;

const decoder = new TextDecoder('utf-8');

/**
 * Parse `bytes[start, end)` as one JSON value followed only by whitespace. Positions in the result and in errors are
 * indices into `bytes`. The bytes must already be valid UTF-8 (the caller checks; invalid sequences inside strings
 * would otherwise be decoded with U+FFFD).
 */
export function parseJsonBytes(bytes: Uint8Array, start: number, end: number): JsonValue {
  let p = start;

  const err = (what: string, at = p): never => {
    throw new JsonSyntaxError(at, what);
  };
  const skipWs = (): void => {
    while (p < end) {
      const c = bytes[p]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
      else break;
    }
  };
  const describeByte = (at: number): string => {
    if (at >= end) return 'end of header';
    const c = bytes[at]!;
    return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
  };

  const parseString = (): JsonString => {
    const pos = p;
    p++; // opening quote
    let out = '';
    let runStart = p;
    while (true) {
      if (p >= end) err('unterminated string', pos);
      const c = bytes[p]!;
      if (c === 0x22) {
        out += decoder.decode(bytes.subarray(runStart, p));
        p++;
        return { type: 'string', pos, value: out };
      }
      if (c < 0x20) err(`unescaped control character 0x${c.toString(16).padStart(2, '0')} in string`);
      if (c !== 0x5c) {
        p++;
        continue;
      }
      out += decoder.decode(bytes.subarray(runStart, p));
      const escPos = p;
      p++;
      if (p >= end) err('unterminated escape', escPos);
      const e = bytes[p]!;
      p++;
      switch (e) {
        case 0x22:
          out += '"';
          break;
        case 0x5c:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x75: {
          const u = readHex4(escPos);
          if (u >= 0xd800 && u <= 0xdbff) {
            // A high surrogate must be followed by an escaped low surrogate.
            if (p + 1 < end && bytes[p] === 0x5c && bytes[p + 1] === 0x75) {
              const lowPos = p;
              p += 2;
              const lo = readHex4(lowPos);
              if (lo < 0xdc00 || lo > 0xdfff) err('lone leading surrogate in \\u escape', escPos);
              out += String.fromCharCode(u, lo);
            } else {
              err('lone leading surrogate in \\u escape', escPos);
            }
          } else if (u >= 0xdc00 && u <= 0xdfff) {
            err('lone trailing surrogate in \\u escape', escPos);
          } else {
            out += String.fromCharCode(u);
          }
          break;
        }
        default:
          err(`invalid escape '\\${e >= 0x20 && e < 0x7f ? String.fromCharCode(e) : '?'}'`, escPos);
      }
      runStart = p;
    }
  };

  const readHex4 = (escPos: number): number => {
    if (p + 4 > end) err('truncated \\u escape', escPos);
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = bytes[p + i]!;
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
      if (d < 0) err('invalid hex digit in \\u escape', p + i);
      v = v * 16 + d;
    }
    p += 4;
    return v;
  };

  const isDigit = (at: number): boolean => at < end && bytes[at]! >= 0x30 && bytes[at]! <= 0x39;

  const parseNumber = (): JsonNumber => {
    const pos = p;
    let integer = true;
    if (bytes[p] === 0x2d) p++;
    if (!isDigit(p)) err('invalid number: expected a digit', p);
    if (bytes[p] === 0x30) {
      p++;
      if (isDigit(p)) err('invalid number: leading zero', pos);
    } else {
      while (isDigit(p)) p++;
    }
    if (p < end && bytes[p] === 0x2e) {
      integer = false;
      p++;
      if (!isDigit(p)) err('invalid number: expected a digit after the decimal point', p);
      while (isDigit(p)) p++;
    }
    if (p < end && (bytes[p] === 0x65 || bytes[p] === 0x45)) {
      integer = false;
      p++;
      if (p < end && (bytes[p] === 0x2b || bytes[p] === 0x2d)) p++;
      if (!isDigit(p)) err('invalid number: expected a digit in the exponent', p);
      while (isDigit(p)) p++;
    }
    const raw = decoder.decode(bytes.subarray(pos, p));
    return { type: 'number', pos, raw, value: Number(raw), integer };
  };

  const literal = (word: string, type: JsonLiteral['type']): JsonLiteral => {
    const pos = p;
    for (let i = 0; i < word.length; i++) {
      if (p + i >= end || bytes[p + i] !== word.charCodeAt(i)) err(`invalid literal (expected '${word}')`, pos);
    }
    p += word.length;
    return { type, pos };
  };

  const parseValue = (depth: number): JsonValue => {
    skipWs();
    if (p >= end) err('unexpected end of header: expected a value');
    const c = bytes[p]!;
    if (c === 0x7b || c === 0x5b) {
      if (depth >= MAX_JSON_DEPTH) err(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
      return c === 0x7b ? parseObject(depth + 1) : parseArray(depth + 1);
    }
    if (c === 0x22) return parseString();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return parseNumber();
    if (c === 0x74) return literal('true', 'true');
    if (c === 0x66) return literal('false', 'false');
    if (c === 0x6e) return literal('null', 'null');
    return err(`unexpected ${describeByte(p)}: expected a value`);
  };

  const parseObject = (depth: number): JsonObject => {
    const obj: JsonObject = { type: 'object', pos: p, keys: [], keyPos: [], values: [] };
    const seen = new Set<string>();
    p++;
    skipWs();
    if (p < end && bytes[p] === 0x7d) {
      p++;
      return obj;
    }
    while (true) {
      skipWs();
      if (p >= end || bytes[p] !== 0x22) err(`unexpected ${describeByte(p)}: expected a string key`);
      const key = parseString();
      if (seen.has(key.value)) err(`duplicate key ${JSON.stringify(key.value)}`, key.pos);
      seen.add(key.value);
      skipWs();
      if (p >= end || bytes[p] !== 0x3a) err(`unexpected ${describeByte(p)}: expected ':'`);
      p++;
      const value = parseValue(depth);
      obj.keys.push(key.value);
      obj.keyPos.push(key.pos);
      obj.values.push(value);
      skipWs();
      if (p < end && bytes[p] === 0x2c) {
        p++;
        continue;
      }
      if (p < end && bytes[p] === 0x7d) {
        p++;
        return obj;
      }
      err(`unexpected ${describeByte(p)}: expected ',' or '}'`);
    }
  };

  const parseArray = (depth: number): JsonArray => {
    const arr: JsonArray = { type: 'array', pos: p, items: [] };
    p++;
    skipWs();
    if (p < end && bytes[p] === 0x5d) {
      p++;
      return arr;
    }
    while (true) {
      arr.items.push(parseValue(depth));
      skipWs();
      if (p < end && bytes[p] === 0x2c) {
        p++;
        continue;
      }
      if (p < end && bytes[p] === 0x5d) {
        p++;
        return arr;
      }
      err(`unexpected ${describeByte(p)}: expected ',' or ']'`);
    }
  };

  const value = parseValue(0);
  skipWs();
  if (p < end) err(`unexpected ${describeByte(p)} after the JSON value`);
  return value;
}

/** A short rendering of a parsed value for error messages: `2.5`, `"F33"`, `[1, -2]`, `an object`. */
export function describeJson(v: JsonValue, depth = 0): string {
  switch (v.type) {
    case 'string':
      return JSON.stringify(v.value.length > 60 ? `${v.value.slice(0, 57)}...` : v.value);
    case 'number':
      return v.raw.length > 40 ? `${v.raw.slice(0, 37)}...` : v.raw;
    case 'true':
    case 'false':
    case 'null':
      return v.type;
    case 'object':
      return depth > 0 ? '{...}' : v.keys.length === 0 ? '{}' : 'an object';
    case 'array': {
      if (depth > 0) return '[...]';
      const items = v.items.slice(0, 8).map((x) => describeJson(x, depth + 1));
      if (v.items.length > 8) items.push(`... ${v.items.length - 8} more`);
      return `[${items.join(', ')}]`;
    }
  }
}
