// Checks the time-left wording, at the roundings that used to read "2 min 60 s".
import { describe, expect, it } from 'vitest';
import { formatEta } from './time';

describe('formatEta', () => {
  it('rounds once and never shows 60 seconds', () => {
    expect(formatEta(179.6)).toBe('3 min 0 s left');
    expect(formatEta(119.5)).toBe('2 min 0 s left');
    expect(formatEta(59.6)).toBe('1 min 0 s left');
    expect(formatEta(44.2)).toBe('44 s left');
    expect(formatEta(125)).toBe('2 min 5 s left');
    expect(formatEta(1500)).toBe('25 min left');
    expect(formatEta(5400)).toBe('1.5 h left');
    for (let s = 0; s < 7200; s += 0.7) expect(formatEta(s)).not.toMatch(/\b60 s/);
    expect(formatEta(undefined)).toBe('');
    expect(formatEta(Infinity)).toBe('');
  });
});
