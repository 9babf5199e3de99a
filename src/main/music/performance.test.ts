// Performance events: vocabulary layout, encoding rules (long rests, velocity changes, order), robust decoding, round trips.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptySequence, TempoMap, type Note, type NoteSequence } from '../../shared/song';
import { extendNotesWithSustain } from './midi/sustain';
import {
  binToVelocity,
  decodePerformance,
  encodePerformance,
  InvalidTokenError,
  NOTE_OFF_OFFSET,
  NOTE_ON_OFFSET,
  noteOffToken,
  noteOnToken,
  TIME_SHIFT_OFFSET,
  timeShiftToken,
  tokenName,
  VELOCITY_OFFSET,
  velocityToBin,
  velocityToken,
  VOCAB_SIZE,
} from './performance';
import { importMidi } from './midi';

const fixture = (name: string) => importMidi(readFileSync(new URL(`../../../tests/fixtures/piano/${name}`, import.meta.url)));

/** A sequence at 120 bpm, ppq 480: one second is 960 ticks, one 10 ms step 9.6 ticks. */
function seqOf(notes: Array<[pitch: number, startSec: number, endSec: number, velocity?: number, track?: number]>): NoteSequence {
  const seq = emptySequence(480);
  seq.notes = notes.map(([pitch, s, e, velocity = 80, track = 0]) => ({ pitch, startTick: Math.round(s * 960), endTick: Math.round(e * 960), velocity, track }));
  return seq;
}

const names = (tokens: ArrayLike<number>): string[] => Array.from(tokens, (t) => tokenName(t));

describe('vocabulary', () => {
  it('has the 388-token Performance RNN layout', () => {
    expect(VOCAB_SIZE).toBe(388);
    expect([NOTE_ON_OFFSET, NOTE_OFF_OFFSET, TIME_SHIFT_OFFSET, VELOCITY_OFFSET]).toEqual([0, 128, 256, 356]);
    expect(tokenName(60)).toBe('note-on C4');
    expect(tokenName(128 + 21)).toBe('note-off A0');
    expect(tokenName(256)).toBe('time-shift 10 ms');
    expect(tokenName(355)).toBe('time-shift 1000 ms');
    expect(tokenName(387)).toBe('velocity bin 31');
    expect(() => tokenName(388)).toThrow(InvalidTokenError);
  });

  it('maps velocities 1..127 onto 32 bins, each decoding inside itself', () => {
    const counts = new Array(32).fill(0);
    for (let v = 1; v <= 127; v++) {
      const b = velocityToBin(v);
      counts[b]++;
      expect(velocityToBin(binToVelocity(b))).toBe(b);
    }
    expect(counts.every((c) => c === 3 || c === 4)).toBe(true);
    expect(velocityToBin(1)).toBe(0);
    expect(velocityToBin(127)).toBe(31);
  });
});

describe('encodePerformance', () => {
  it('encodes a tiny phrase exactly', () => {
    const tokens = encodePerformance(seqOf([[60, 0, 0.5, 80], [64, 0, 0.5, 80], [67, 0.5, 1, 100]]));
    expect(names(tokens)).toEqual([
      'velocity bin 19', 'note-on C4', 'note-on E4',
      'time-shift 500 ms',
      'note-off C4', 'note-off E4', 'velocity bin 24', 'note-on G4',
      'time-shift 500 ms', 'note-off G4',
    ]);
  });

  it('keeps long rests as several time-shifts (the study lost them)', () => {
    const tokens = encodePerformance(seqOf([[60, 0, 0.1], [62, 3.55, 3.6]]));
    const shifts = Array.from(tokens).filter((t) => t >= TIME_SHIFT_OFFSET && t < VELOCITY_OFFSET);
    expect(shifts).toEqual([timeShiftToken(10), timeShiftToken(100), timeShiftToken(100), timeShiftToken(100), timeShiftToken(45), timeShiftToken(5)]);
    const back = decodePerformance(tokens);
    const tm = TempoMap.of(back);
    expect(tm.toSeconds(back.notes[1]!.startTick)).toBeCloseTo(3.55, 2);
  });

  it('emits a velocity token only when the bin changes', () => {
    const tokens = encodePerformance(seqOf([[60, 0, 0.1, 78], [62, 0.1, 0.2, 80], [64, 0.2, 0.3, 120], [65, 0.3, 0.4, 120]]));
    const velocities = Array.from(tokens).filter((t) => t >= VELOCITY_OFFSET);
    expect(velocities).toEqual([velocityToken(velocityToBin(80)), velocityToken(velocityToBin(120))]);
  });

  it('leaves drum tracks out', () => {
    const seq = seqOf([[60, 0, 1], [36, 0, 0.1, 100, 1]]);
    seq.tracks.push({ name: 'Drums', program: 0, channel: 9, isDrum: true });
    expect(Array.from(encodePerformance(seq)).filter((t) => t < TIME_SHIFT_OFFSET)).toEqual([noteOnToken(60), noteOffToken(60)]);
  });

  it('orders simultaneous events: offs before ons, ascending pitch, independent of input order', () => {
    const a = seqOf([[67, 0.5, 1], [60, 0, 0.5], [64, 0.5, 1], [62, 0, 0.5]]);
    const b = seqOf([[62, 0, 0.5], [64, 0.5, 1], [60, 0, 0.5], [67, 0.5, 1]]);
    const ta = encodePerformance(a);
    expect(Array.from(ta)).toEqual(Array.from(encodePerformance(b)));
    expect(names(ta)).toEqual([
      'velocity bin 19', 'note-on C4', 'note-on D4', 'time-shift 500 ms',
      'note-off C4', 'note-off D4', 'note-on E4', 'note-on G4', 'time-shift 500 ms', 'note-off E4', 'note-off G4',
    ]);
  });

  it('follows the tempo map', () => {
    const seq = emptySequence(480);
    seq.tempos = [{ tick: 0, bpm: 60 }, { tick: 480, bpm: 240 }];
    // A quarter at 60 bpm (1 s), then a quarter at 240 bpm (0.25 s).
    seq.notes = [{ pitch: 60, velocity: 80, startTick: 0, endTick: 480, track: 0 }, { pitch: 62, velocity: 80, startTick: 480, endTick: 960, track: 0 }];
    expect(names(encodePerformance(seq))).toEqual(['velocity bin 19', 'note-on C4', 'time-shift 1000 ms', 'note-off C4', 'note-on D4', 'time-shift 250 ms', 'note-off D4']);
  });

  it('gives every note at least one step and resolves same-pitch overlaps without losing onsets', () => {
    const tokens = encodePerformance(seqOf([[60, 0, 0.001], [62, 0, 1], [62, 0.5, 0.8], [62, 0.5, 0.7], [64, 0, 0.2]]));
    const back = decodePerformance(tokens);
    const tm = TempoMap.of(back);
    const got = back.notes.map((n) => [n.pitch, Math.round(tm.toSeconds(n.startTick) * 100), Math.round(tm.toSeconds(n.endTick) * 100)]);
    expect(got).toEqual([[60, 0, 1], [62, 0, 50], [64, 0, 20], [62, 50, 100]]);
  });

  it('extends notes under the sustain pedal when asked', () => {
    const seq = seqOf([[60, 0, 0.2], [64, 1, 1.2]]);
    seq.pedals = [{ tick: 96, value: 127, track: 0 }, { tick: 480, value: 0, track: 0 }];
    const kept = decodePerformance(encodePerformance(seq));
    const extended = decodePerformance(encodePerformance(seq, { sustain: 'extend' }));
    const sec = (s: NoteSequence, n: Note) => TempoMap.of(s).toSeconds(n.endTick);
    expect(sec(kept, kept.notes[0]!)).toBeCloseTo(0.2, 2);
    expect(sec(extended, extended.notes[0]!)).toBeCloseTo(0.5, 2);
    expect(sec(extended, extended.notes[1]!)).toBeCloseTo(1.2, 2);
  });

  it('augments: transposes and changes tempo', () => {
    const seq = seqOf([[60, 0, 1], [127, 1, 2]]);
    const up = decodePerformance(encodePerformance(seq, { transpose: 2 }));
    expect(up.notes.map((n) => n.pitch)).toEqual([62]);
    const fast = decodePerformance(encodePerformance(seq, { tempoFactor: 2 }));
    expect(TempoMap.of(fast).toSeconds(fast.notes[1]!.startTick)).toBeCloseTo(0.5, 2);
  });
});

describe('decodePerformance', () => {
  it('closes unclosed notes, ignores stray note-offs, re-strikes close the previous note', () => {
    const seq = decodePerformance([
      noteOffToken(50), // stray
      velocityToken(10), noteOnToken(60), timeShiftToken(50),
      noteOnToken(60), timeShiftToken(25), // re-strike
      noteOnToken(72), noteOnToken(72), timeShiftToken(10), // same-step re-strike: one note
      noteOffToken(60), noteOffToken(60), // the second is stray
    ]);
    const tm = TempoMap.of(seq);
    const got = seq.notes.map((n) => [n.pitch, n.velocity, +tm.toSeconds(n.startTick).toFixed(2), +tm.toSeconds(n.endTick).toFixed(2)]);
    const v = binToVelocity(10);
    expect(got).toEqual([[60, v, 0, 0.5], [60, v, 0.5, 0.85], [72, v, 0.75, 0.85]]);
  });

  it('rejects token ids outside the vocabulary with a named error', () => {
    expect(() => decodePerformance([60, 388])).toThrow(InvalidTokenError);
    expect(() => decodePerformance([60, -1])).toThrow(/token 1 is -1/);
    expect(() => decodePerformance([1.5])).toThrow(InvalidTokenError);
  });

  it('turns any token sequence into a valid NoteSequence', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: VOCAB_SIZE - 1 }), { maxLength: 400 }), fc.constantFrom(24, 96, 480), fc.double({ min: 20, max: 300, noNaN: true }), (tokens, ppq, bpm) => {
        const seq = decodePerformance(tokens, { ppq, bpm });
        for (const n of seq.notes) {
          expect(Number.isInteger(n.pitch) && n.pitch >= 0 && n.pitch <= 127).toBe(true);
          expect(Number.isInteger(n.velocity) && n.velocity >= 1 && n.velocity <= 127).toBe(true);
          expect(Number.isInteger(n.startTick) && n.startTick >= 0).toBe(true);
          expect(Number.isInteger(n.endTick) && n.endTick > n.startTick).toBe(true);
          expect(seq.tracks[n.track]).toBeDefined();
        }
        for (let i = 1; i < seq.notes.length; i++) expect(seq.notes[i]!.startTick).toBeGreaterThanOrEqual(seq.notes[i - 1]!.startTick);
        // Decoding is a fixed point of re-encoding for valid output: note count never grows.
        expect(decodePerformance(encodePerformance(seq)).notes.length).toBeLessThanOrEqual(seq.notes.length);
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('round trip on real music', () => {
  for (const [file, sustain] of [['haydn_8_1.mid', 'keep'], ['mond_1.mid', 'extend']] as const) {
    it(`keeps every note of ${file} (sustain ${sustain}) within 10 ms and one velocity bin`, () => {
      const original = fixture(file);
      const notes = sustain === 'extend' ? extendNotesWithSustain(original.notes, original.pedals) : original.notes;
      const tokens = encodePerformance(original, { sustain });
      const decoded = decodePerformance(tokens);
      const ta = TempoMap.of(original);
      const tb = TempoMap.of(decoded);
      const sec = (tm: TempoMap, t: number) => tm.toSeconds(t);
      // Decoded notes by pitch, in onset order.
      const byPitch = new Map<number, Note[]>();
      for (const n of decoded.notes) byPitch.set(n.pitch, [...(byPitch.get(n.pitch) ?? []), n]);
      const sorted = [...notes].sort((a, b) => a.pitch - b.pitch || a.startTick - b.startTick);
      let checkedEnds = 0;
      let merged = 0;
      for (let i = 0; i < sorted.length; i++) {
        const n = sorted[i]!;
        const start = sec(ta, n.startTick);
        const candidates = byPitch.get(n.pitch) ?? [];
        const match = candidates.find((d) => Math.abs(sec(tb, d.startTick) - start) <= 0.01);
        expect(match, `note ${n.pitch} at ${start.toFixed(3)} s`).toBeDefined();
        const prev = sorted[i - 1];
        if (prev && prev.pitch === n.pitch && Math.round(sec(ta, prev.startTick) * 100) === Math.round(start * 100)) merged++;
        expect(Math.abs(match!.velocity - n.velocity)).toBeLessThanOrEqual(3);
        expect(velocityToBin(match!.velocity)).toBe(velocityToBin(n.velocity));
        // Ends are kept exactly where no other note of the same pitch overlaps this one.
        const next = sorted[i + 1];
        const overlapped = (next && next.pitch === n.pitch && next.startTick < n.endTick) || (prev && prev.pitch === n.pitch && prev.endTick > n.startTick);
        if (!overlapped && sec(ta, n.endTick) - start >= 0.01) {
          expect(Math.abs(sec(tb, match!.endTick) - sec(ta, n.endTick))).toBeLessThanOrEqual(0.01);
          checkedEnds++;
        }
      }
      expect(decoded.notes.length).toBe(notes.length - merged);
      expect(checkedEnds).toBeGreaterThan(notes.length * 0.9);
      expect(notes.length).toBeGreaterThan(500);
    });
  }
});
