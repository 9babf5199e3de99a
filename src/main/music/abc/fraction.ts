// Exact rational arithmetic for note lengths and onsets, so rounding happens once, as abc2midi does.
import { StudioError } from '../../../shared/errors';

/** A non-negative rational number; always reduced, denominator > 0. */
export interface Frac {
  readonly n: number;
  readonly d: number;
}

/** Past this a length is nonsense input; numbers stay exact well below 2^53. */
const LIMIT = 2 ** 46;

/** A length or onset with a zero denominator or too large to stay exact; the reader reports it with its place in the tune. */
export class FractionOverflowError extends StudioError {}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export function frac(n: number, d = 1): Frac {
  if (d === 0) throw new FractionOverflowError(`zero denominator in ${n}/${d}`);
  if (d < 0) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d) || 1;
  const r = { n: n / g, d: d / g };
  if (Math.abs(r.n) > LIMIT || r.d > LIMIT) throw new FractionOverflowError(`length ${n}/${d} out of range`);
  return r;
}

export const ZERO: Frac = { n: 0, d: 1 };

export function add(a: Frac, b: Frac): Frac {
  const g = gcd(a.d, b.d);
  return frac(a.n * (b.d / g) + b.n * (a.d / g), (a.d / g) * b.d);
}

export function sub(a: Frac, b: Frac): Frac {
  return add(a, { n: -b.n, d: b.d });
}

export function mul(a: Frac, b: Frac): Frac {
  const g1 = gcd(a.n, b.d) || 1;
  const g2 = gcd(b.n, a.d) || 1;
  return frac((a.n / g1) * (b.n / g2), (a.d / g2) * (b.d / g1));
}

export function eq(a: Frac, b: Frac): boolean {
  return a.n === b.n && a.d === b.d;
}

export function lt(a: Frac, b: Frac): boolean {
  return a.n * b.d < b.n * a.d;
}

export function toNumber(a: Frac): number {
  return a.n / a.d;
}

/** floor(a * scale), exact for the integer scales used here (ticks per quarter). */
export function floorScaled(a: Frac, scale: number): number {
  return Math.floor((a.n * scale) / a.d);
}
