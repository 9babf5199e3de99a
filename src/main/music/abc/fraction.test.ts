// Fractions that overflow or divide by zero raise a named error the ABC reader can report with its location.
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../../shared/errors';
import { frac, FractionOverflowError } from './fraction';

describe('frac', () => {
  it('raises FractionOverflowError, by name, for a zero denominator or a length out of range', () => {
    for (const bad of [() => frac(1, 0), () => frac(2 ** 50, 3)]) {
      let caught: unknown;
      try {
        bad();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(FractionOverflowError);
      expect(caught).toBeInstanceOf(StudioError);
      expect((caught as Error).name).toBe('FractionOverflowError');
    }
    expect(frac(6, 4)).toEqual({ n: 3, d: 2 });
  });
});
