// The CLI's durations read as a person would write them.
import { describe, expect, it } from 'vitest';
import { formatSeconds } from './train';

describe('formatSeconds', () => {
  it('formats seconds and minutes without ever showing 60 seconds', () => {
    expect(formatSeconds(42.4)).toBe('42s');
    expect(formatSeconds(59.6)).toBe('1m00s');
    expect(formatSeconds(899.6)).toBe('15m00s');
    expect(formatSeconds(125)).toBe('2m05s');
    expect(formatSeconds(Infinity)).toBe('?');
  });
});
