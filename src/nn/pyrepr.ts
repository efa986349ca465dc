/**
 * Python's `str()`/`repr()` of the values PyTorch modules print in their `extra_repr`, so `Module.toString()`
 * matches `print(model)` character for character: floats as Python prints them (`1e-05`, `0.1`, `1.0`), tuples as
 * `(3, 3)` / `(3,)`, booleans as `True`/`False`, null as `None`.
 */

/** Python's `repr(float)`: the shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16, else `1e-05`. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  if (exp >= -4 && exp < 16) {
    // Python switches to exponent notation when the exponent is < -4 or >= 16.
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1);
    return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
  }
  const m = `${digits[0]}${digits.length > 1 ? `.${digits.slice(1)}` : ''}`;
  const e = Math.abs(exp);
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
}

/** A Python int or float, chosen by the declared kind: `int` values print as integers, `float` as Python floats. */
export function pyNumber(x: number, kind: 'int' | 'float'): string {
  return kind === 'int' ? String(x) : pyFloat(x);
}

/**
 * Python's `str()` of a constructor value: numbers as ints when integral unless `floats` is set, arrays as tuples,
 * booleans, None, strings without quotes (as `'{}'.format(s)` prints them).
 */
export function pyStr(v: unknown, floats = false): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return floats || !Number.isInteger(v) ? pyFloat(v) : String(v);
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) {
    const items = v.map((x) => pyReprValue(x, floats));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  return String(v);
}

/** Python's `repr()` of a value: like {@link pyStr} but strings are quoted (`'none'`). */
export function pyReprValue(v: unknown, floats = false): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return pyStr(v, floats);
}

/** `str(tuple(...))` of numbers that PyTorch stores as floats (`(2.0, 2.0)`). */
export function pyFloatTuple(v: readonly number[]): string {
  return pyStr(v, true);
}

