// Features: histogram, pitch stats, density, polyphony, key finding on scales and on a real piano piece, conditioning helpers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptySequence, type NoteSequence } from '../../shared/song';
import {
  estimateKey,
  keyPresetHistogram,
  noteDensity,
  noteDensityBin,
  noteDensityOneHot,
  pitchClassHistogram,
  pitchStats,
  polyphony,
  sequenceFeatures,
} from './features';
import { importMidi } from './midi';

/** A monophonic line of equal notes: ppq 480 at 120 bpm, so 480 ticks = 0.5 s. */
function line(pitches: number[], ticksEach = 480, velocity = 80): NoteSequence {
  const seq = emptySequence(480);
  seq.notes = pitches.map((pitch, i) => ({ pitch, velocity, startTick: i * ticksEach, endTick: (i + 1) * ticksEach, track: 0 }));
  return seq;
}

const C_MAJOR_SCALE = [60, 62, 64, 65, 67, 69, 71, 72];

describe('pitch-class histogram and pitch statistics', () => {
  it('weights by duration or counts, normalized to 1', () => {
    const seq = line([60, 64, 67]);
    seq.notes[0]!.endTick = 480 * 3; // C lasts three times longer (overlapping)
    const byDuration = pitchClassHistogram(seq);
    expect(byDuration[0]).toBeCloseTo(3 / 5);
    expect(byDuration[4]).toBeCloseTo(1 / 5);
    expect(byDuration.reduce((a, b) => a + b)).toBeCloseTo(1);
    expect(pitchClassHistogram(seq, 'count')[0]).toBeCloseTo(1 / 3);
    expect(pitchClassHistogram(emptySequence())).toEqual(new Array(12).fill(0));
  });

  it('ignores drum tracks', () => {
    const seq = line([60, 36]);
    seq.tracks.push({ name: 'Drums', program: 0, channel: 9, isDrum: true });
    seq.notes[1]!.track = 1;
    expect(pitchClassHistogram(seq)[0]).toBe(1);
    expect(pitchStats(seq)).toEqual({ mean: 60, min: 60, max: 60, range: 0 });
  });

  it('gives mean and range of pitch', () => {
    expect(pitchStats(line([48, 60, 84]))).toEqual({ mean: 64, min: 48, max: 84, range: 36 });
    expect(pitchStats(emptySequence())).toBeUndefined();
  });
});

describe('density and polyphony', () => {
  it('counts notes per second', () => {
    expect(noteDensity(line(C_MAJOR_SCALE))).toBeCloseTo(2); // 8 notes in 4 s
    expect(noteDensity(line([60, 62], 48))).toBeCloseTo(20);
    expect(noteDensity(emptySequence())).toBe(0);
  });

  it('measures mean polyphony while sounding, and the maximum', () => {
    const seq = emptySequence(480);
    // 0-1 s: a triad; 1-2 s: silence; 2-3 s: one note. Back-to-back notes at 3 s do not overlap.
    seq.notes = [
      ...[60, 64, 67].map((pitch) => ({ pitch, velocity: 80, startTick: 0, endTick: 960, track: 0 })),
      { pitch: 72, velocity: 80, startTick: 1920, endTick: 2880, track: 0 },
      { pitch: 72, velocity: 80, startTick: 2880, endTick: 3840, track: 0 },
    ];
    const p = polyphony(seq);
    expect(p.max).toBe(3);
    expect(p.mean).toBeCloseTo((3 + 1 + 1) / 3);
  });

  it('bins note density as Performance RNN does', () => {
    expect([0, 0.99, 1, 3.9, 4, 63, 64, 500].map(noteDensityBin)).toEqual([0, 0, 1, 2, 3, 6, 7, 7]);
    expect(noteDensityOneHot(10)).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
    expect(() => noteDensityBin(-1)).toThrow(/>= 0/);
  });
});

describe('key estimation', () => {
  it('finds C major in a C-major scale with every profile', () => {
    for (const profile of ['krumhansl-kessler', 'temperley', 'albrecht-shanahan'] as const) {
      expect(estimateKey(line([...C_MAJOR_SCALE, 67, 64, 60]), profile)).toMatchObject({ tonic: 0, mode: 'major', name: 'C major' });
    }
  });

  it('finds A minor in an A harmonic-minor passage', () => {
    // Up and down the A harmonic-minor scale, then an A-minor arpeggio ending on a long A.
    const passage = line([57, 59, 60, 62, 64, 65, 68, 69, 68, 65, 64, 62, 60, 59, 57, 60, 64, 69, 64, 57]);
    const key = estimateKey(passage);
    expect(key).toMatchObject({ tonic: 9, mode: 'minor', name: 'A minor' });
    expect(key!.correlation).toBeGreaterThan(0.7);
  });

  // Keys named in piano-midi.de's titles (tests/fixtures/piano/SOURCE-keys.md).
  for (const [file, tonic, mode] of [['haydn_7_1.mid', 0, 'major'], ['haydn_8_1.mid', 7, 'major'], ['mond_1.mid', 1, 'minor']] as const) {
    it(`agrees with the known key of ${file}`, () => {
      const seq = importMidi(readFileSync(new URL(`../../../tests/fixtures/piano/${file}`, import.meta.url)));
      const key = estimateKey(seq);
      expect(key).toMatchObject({ tonic, mode });
      expect(key!.correlation).toBeGreaterThan(0.9);
    });
  }

  it('builds key presets that the key finder recognizes', () => {
    for (let tonic = 0; tonic < 12; tonic++) {
      for (const mode of ['major', 'minor'] as const) {
        const h = keyPresetHistogram(tonic, mode);
        expect(h.reduce((a, b) => a + b)).toBeCloseTo(1);
        expect(h.indexOf(Math.max(...h))).toBe(tonic);
        for (const profile of ['krumhansl-kessler', 'temperley', 'albrecht-shanahan'] as const) {
          expect(estimateKey(h, profile)).toMatchObject({ tonic, mode });
        }
      }
    }
    expect(() => keyPresetHistogram(12, 'major')).toThrow(/0..11/);
  });

  it('returns undefined when there is nothing to judge, and rejects a malformed histogram', () => {
    expect(estimateKey(emptySequence())).toBeUndefined();
    expect(() => estimateKey([1, 2, 3])).toThrow(/12 bins, got 3/);
  });

  it('collects all features at once', () => {
    const f = sequenceFeatures(line(C_MAJOR_SCALE));
    expect(f.key?.name).toBe('C major');
    expect(f.noteDensityBin).toBe(2);
    expect(f.polyphony).toEqual({ mean: 1, max: 1 });
  });
});
