// The roll measures on rolls whose answers are known by hand: empty bars, pitch classes, note lengths, polyphony, scale, tonal distance, diversity.
import { describe, expect, it } from 'vitest';
import { diversity, measureRoll, tonalCentroid } from './rollMetrics';

/** A roll of `steps` x 88 keys from [step, pitch] cells that are down. */
function roll(steps: number, cells: [number, number][]): { steps: number; pitches: number; lowPitch: number; data: Uint8Array } {
  const data = new Uint8Array(steps * 88);
  for (const [s, p] of cells) data[s * 88 + (p - 21)] = 1;
  return { steps, pitches: 88, lowPitch: 21, data };
}

describe('roll measures', () => {
  it('count empty bars, pitch classes per bar, qualified notes and polyphony', () => {
    // Bar 1: C4 held 4 steps with E4 for 1 step; bar 2 empty; bar 3: G4 and C5 (one pitch class apart from C4).
    const r = roll(12, [[0, 60], [1, 60], [2, 60], [3, 60], [0, 64], [8, 67], [8, 72]]);
    const m = measureRoll(r, { stepsPerBar: 4 });
    expect(m.emptyBarRate).toBeCloseTo(1 / 3);
    expect(m.pitchClassesPerBar).toBeCloseTo((2 + 2) / 2);
    expect(m.notes).toBe(4);
    expect(m.qualifiedNoteRate).toBeCloseTo(1 / 4);
    // Steps with sound: 0 (2 keys), 1-3 (1 key), 8 (2 keys): 7 keys over 5 steps.
    expect(m.polyphony).toBeCloseTo(7 / 5);
    expect(m.inScaleRate).toBeUndefined();
  });

  it('measures the in-scale rate for a key, and the tonal distance between neighbouring bars', () => {
    const cMajorChord = roll(8, [[0, 60], [0, 64], [0, 67], [4, 60], [4, 64], [4, 67]]);
    const same = measureRoll(cMajorChord, { stepsPerBar: 4, key: { tonic: 0, mode: 'major' } });
    expect(same.inScaleRate).toBe(1);
    expect(same.tonalDistance).toBeCloseTo(0);
    const toFSharp = measureRoll(roll(8, [[0, 60], [0, 64], [0, 67], [4, 66], [4, 70], [4, 73]]), { stepsPerBar: 4, key: { tonic: 0, mode: 'major' } });
    expect(toFSharp.inScaleRate).toBeCloseTo(3 / 6);
    expect(toFSharp.tonalDistance).toBeGreaterThan(1);
    // A tritone away is the farthest move on the circle of fifths.
    expect(Math.hypot(...tonalCentroid([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).map((v, i) => v - tonalCentroid([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0])[i]!))).toBeGreaterThan(
      Math.hypot(...tonalCentroid([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).map((v, i) => v - tonalCentroid([0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0])[i]!)),
    );
  });

  it('scores a collapsed set of rolls 0 diversity, and distinct ones the share of cells that differ', () => {
    const a = Uint8Array.of(1, 0, 0, 0);
    const b = Uint8Array.of(0, 1, 0, 0);
    expect(diversity([a, a, a])).toBe(0);
    expect(diversity([a, b])).toBeCloseTo(0.5);
    expect(diversity([a])).toBe(0);
  });
});
