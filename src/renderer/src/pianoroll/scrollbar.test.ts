// Tests of scrollbar thumb geometry and its inverse.
import { describe, expect, it } from 'vitest';
import { MIN_THUMB_PX, thumbFor, viewStartFor } from './scrollbar';

describe('scrollbar', () => {
  it('sizes and places the thumb in proportion', () => {
    expect(thumbFor(0, 250, 1000, 400)).toEqual({ start: 0, size: 100 });
    expect(thumbFor(750, 250, 1000, 400)).toEqual({ start: 300, size: 100 });
    expect(thumbFor(375, 250, 1000, 400)!.start).toBeCloseTo(150);
  });

  it('hides when the content fits and keeps a minimum thumb', () => {
    expect(thumbFor(0, 1000, 800, 400)).toBeNull();
    expect(thumbFor(0, 1, 1e6, 400)!.size).toBe(MIN_THUMB_PX);
  });

  it('maps a thumb position back to the view start', () => {
    for (const start of [0, 123, 750]) {
      const t = thumbFor(start, 250, 1000, 400)!;
      expect(viewStartFor(t.start, 250, 1000, 400)).toBeCloseTo(start);
    }
    expect(viewStartFor(-50, 250, 1000, 400)).toBe(0);
    expect(viewStartFor(1e6, 250, 1000, 400)).toBe(750);
  });
});
