// Checks that export file names lose path and control characters but keep the composer's words.
import { describe, expect, it } from 'vitest';
import { safeFileName } from './download';

describe('safeFileName', () => {
  it('strips path and control characters and never returns an empty stem', () => {
    expect(safeFileName('Clementi: Sonatine 1/2', 'mid')).toBe('Clementi  Sonatine 1 2.mid');
    expect(safeFileName('a\u0000b\tc', 'abc')).toBe('a b c.abc');
    expect(safeFileName(' // ', 'wav')).toBe('untitled.wav');
    expect(safeFileName('x'.repeat(300), 'mid')).toHaveLength(104);
  });
});
