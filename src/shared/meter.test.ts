// Checks pickups, the meter after them, and bar spans as the score and the piano roll count them.
import { describe, expect, it } from 'vitest';
import { barTicks } from './arrange';
import { barIndexAt, barSpans, mainMeter, pickupTicks } from './meter';

const pickup = { ppq: 480, timeSignatures: [{ tick: 0, numerator: 1, denominator: 4 }, { tick: 480, numerator: 4, denominator: 4 }] };

describe('meter', () => {
  it('tells a pickup from a meter change, and bars the piece after it', () => {
    expect(pickupTicks(pickup)).toBe(480);
    expect(mainMeter(pickup)).toEqual({ numerator: 4, denominator: 4 });
    expect(barTicks(pickup)).toBe(1920);
    // A first bar longer than the next, or a change that does not come at its end, is no pickup.
    expect(pickupTicks({ ppq: 480, timeSignatures: [{ tick: 0, numerator: 4, denominator: 4 }, { tick: 1920, numerator: 3, denominator: 4 }] })).toBe(0);
    expect(pickupTicks({ ppq: 480, timeSignatures: [{ tick: 0, numerator: 2, denominator: 4 }, { tick: 1920, numerator: 4, denominator: 4 }] })).toBe(0);
    expect(mainMeter({ ppq: 480, timeSignatures: [] })).toEqual({ numerator: 4, denominator: 4 });
  });

  it('spans bars from the signatures, a signature inside a bar ending it there', () => {
    expect(barSpans(pickup, 4000).map((b) => [b.start, b.end])).toEqual([[0, 480], [480, 2400], [2400, 4320]]);
    const odd = barSpans({ ppq: 480, timeSignatures: [{ tick: 0, numerator: 4, denominator: 4 }, { tick: 2400, numerator: 3, denominator: 4 }] }, 4000);
    expect(odd.map((b) => [b.start, b.end, b.numerator])).toEqual([[0, 1920, 4], [1920, 2400, 4], [2400, 3840, 3], [3840, 5280, 3]]);
    expect(barIndexAt(odd, 0)).toBe(0);
    expect(barIndexAt(odd, 2399)).toBe(1);
    expect(barIndexAt(odd, 99999)).toBe(3);
    expect(barSpans({ ppq: 480, timeSignatures: [] }, 0)).toHaveLength(1);
  });
});
