// Condition vectors: measured from events, encoded at a comparable scale, resolved from user requests, scheduled over time.
import { describe, expect, it } from 'vitest';
import { keyPresetHistogram } from '../../../music/features';
import { noteOffToken, noteOnToken, timeShiftToken, velocityToken } from '../../../music/performance';
import { CONDITION_SIZE, ConditionSchedule, encodeCondition, measureTokens, resolveCondition, type ConditionValues } from './conditions';
import { transposeTokens } from './data';

const defaults: ConditionValues = { histogram: new Array<number>(12).fill(1 / 12), pitchMean: 64, pitchRange: 24, density: 6 };

describe('measureTokens', () => {
  it('counts pitch classes, mean, range and notes per second of the note-ons', () => {
    // C4, E4, G4 together, then C5 half a second later; one second in all.
    const tokens = [velocityToken(10), noteOnToken(60), noteOnToken(64), noteOnToken(67), timeShiftToken(50), noteOffToken(60), noteOnToken(72), timeShiftToken(50)];
    const m = measureTokens(tokens);
    expect(m.notes).toBe(4);
    expect(m.histogram[0]).toBeCloseTo(0.5);
    expect(m.histogram[4]).toBeCloseTo(0.25);
    expect(m.histogram[7]).toBeCloseTo(0.25);
    expect(m.pitchMean).toBeCloseTo((60 + 64 + 67 + 72) / 4);
    expect(m.pitchRange).toBe(12);
    expect(m.density).toBeCloseTo(4);
  });

  it('gives a flat histogram and zero density for a window with no notes', () => {
    const m = measureTokens([timeShiftToken(100)]);
    expect(m.histogram.every((h) => Math.abs(h - 1 / 12) < 1e-12)).toBe(true);
    expect(m.density).toBe(0);
  });
});

describe('encodeCondition', () => {
  it('puts a density between two bins on both, in proportion', () => {
    const at = (density: number): number[] => Array.from(encodeCondition({ ...defaults, density }).subarray(14));
    expect(at(4)).toEqual([0, 0, 0, 1, 0, 0, 0, 0]);
    const between = at(5.5);
    expect(between[3]! + between[4]!).toBeCloseTo(1);
    expect(between[3]!).toBeGreaterThan(0.3);
    expect(between[4]!).toBeGreaterThan(0.3);
    expect(at(500)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(encodeCondition(defaults)).toHaveLength(CONDITION_SIZE);
  });

  it('reads a uniform histogram as zeros and a scale as positive on its notes', () => {
    expect(Array.from(encodeCondition(defaults).subarray(0, 12)).every((x) => Math.abs(x) < 1e-6)).toBe(true);
    const c = encodeCondition({ ...defaults, histogram: keyPresetHistogram(0, 'major') });
    expect(c[0]!).toBeGreaterThan(0);
    expect(c[1]!).toBeLessThan(0);
  });
});

describe('resolveCondition and ConditionSchedule', () => {
  it('fills what a request leaves out from the defaults; an explicit histogram wins over a key', () => {
    const r = resolveCondition({ keyPreset: { tonic: 2, mode: 'minor' }, density: 2 }, defaults);
    expect(r.histogram).toEqual(keyPresetHistogram(2, 'minor'));
    expect(r.density).toBe(2);
    expect(r.pitchMean).toBe(64);
    const h = [2, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0];
    expect(resolveCondition({ keyPreset: { tonic: 2, mode: 'minor' }, histogram: h }, defaults).histogram[0]).toBeCloseTo(0.5);
    expect(() => resolveCondition({ histogram: [1, 2] }, defaults)).toThrow(/12 bins/);
  });

  it('switches at each timeline entry, keeping the fields a later entry does not set', () => {
    const s = new ConditionSchedule({ density: 2 }, [{ atSeconds: 10, pitchMean: 80 }, { atSeconds: 5, keyPreset: { tonic: 7, mode: 'major' } }], defaults);
    const v0 = s.at(0);
    const v5 = s.at(5);
    const v12 = s.at(12);
    expect(Array.from(v0)).toEqual(Array.from(encodeCondition(resolveCondition({ density: 2 }, defaults))));
    expect(Array.from(v5)).toEqual(Array.from(encodeCondition(resolveCondition({ density: 2, keyPreset: { tonic: 7, mode: 'major' } }, defaults))));
    expect(Array.from(v12)).toEqual(Array.from(encodeCondition(resolveCondition({ density: 2, keyPreset: { tonic: 7, mode: 'major' }, pitchMean: 80 }, defaults))));
    expect(s.at(4.99)).toBe(v0);
  });
});

describe('transposeTokens', () => {
  it('shifts notes but never past the keyboard, and leaves time and velocity alone', () => {
    const tokens = Uint16Array.from([velocityToken(3), noteOnToken(120), timeShiftToken(10), noteOffToken(120)]);
    transposeTokens(tokens, 12);
    expect(Array.from(tokens)).toEqual([velocityToken(3), noteOnToken(127), timeShiftToken(10), noteOffToken(127)]);
    transposeTokens(tokens, -3);
    expect(tokens[1]).toBe(noteOnToken(124));
  });
});
