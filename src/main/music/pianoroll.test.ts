// Piano rolls both ways: layout, ranges, tick and second steps, merging of held steps and onset-aware re-articulation.
import { describe, expect, it } from 'vitest';
import { emptySequence, TempoMap, type NoteSequence } from '../../shared/song';
import { fromPianoRoll, ONSET_FLAG, PIANO_LOW, toPianoRoll } from './pianoroll';

/** ppq 4: one tick per sixteenth note. */
function seqOf(notes: Array<[pitch: number, start: number, end: number, velocity?: number]>): NoteSequence {
  const seq = emptySequence(4);
  seq.notes = notes.map(([pitch, startTick, endTick, velocity = 90]) => ({ pitch, startTick, endTick, velocity, track: 0 }));
  return seq;
}

const triples = (seq: NoteSequence) => seq.notes.map((n) => [n.pitch, n.startTick, n.endTick]);

describe('toPianoRoll', () => {
  it('lays out [step][pitch] over the 88 keys', () => {
    const roll = toPianoRoll(seqOf([[60, 0, 2], [21, 1, 3], [108, 2, 3], [10, 0, 1]]), { step: { ticks: 1 } });
    expect(roll).toMatchObject({ steps: 3, pitches: 88, lowPitch: PIANO_LOW, droppedNotes: 1, kind: 'binary' });
    const at = (s: number, p: number) => roll.data[s * roll.pitches + p - roll.lowPitch];
    expect([at(0, 60), at(1, 60), at(2, 60)]).toEqual([1, 1, 0]);
    expect([at(0, 21), at(1, 21), at(2, 21)]).toEqual([0, 1, 1]);
    expect(at(2, 108)).toBe(1);
    expect(roll.data.reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('supports 128 pitches, coarser steps and a fixed length', () => {
    const roll = toPianoRoll(seqOf([[10, 0, 4], [60, 4, 16]]), { step: { ticks: 4 }, range: '128', steps: 2 });
    expect(roll).toMatchObject({ steps: 2, pitches: 128, lowPitch: 0, droppedNotes: 0 });
    expect([roll.data[10], roll.data[128 + 60], roll.data[128 + 10]]).toEqual([1, 1, 0]);
  });

  it('marks onsets in a velocity roll', () => {
    const roll = toPianoRoll(seqOf([[60, 0, 2, 100], [60, 2, 3, 50]]), { step: { ticks: 1 }, kind: 'velocity', range: { low: 60, high: 61 } });
    expect(Array.from(roll.data)).toEqual([100 | ONSET_FLAG, 0, 100, 0, 50 | ONSET_FLAG, 0]);
  });

  it('steps in seconds through the tempo map', () => {
    const seq = seqOf([[60, 0, 4], [62, 4, 8]]);
    seq.tempos = [{ tick: 0, bpm: 60 }, { tick: 4, bpm: 120 }];
    // ppq 4 at 60 bpm: tick 4 is 1 s; then 4 ticks take 0.5 s.
    const roll = toPianoRoll(seq, { step: { seconds: 0.25 }, range: { low: 60, high: 62 } });
    expect(roll.steps).toBe(6);
    const column = (p: number) => Array.from({ length: roll.steps }, (_, s) => roll.data[s * 3 + p - 60]);
    expect(column(60)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(column(62)).toEqual([0, 0, 0, 0, 1, 1]);
  });
});

describe('fromPianoRoll', () => {
  it('merges consecutive active steps into one note', () => {
    const seq = seqOf([[60, 0, 2], [60, 2, 4], [64, 1, 3]]);
    const back = fromPianoRoll(toPianoRoll(seq, { step: { ticks: 1 } }), { ppq: 4 });
    expect(triples(back)).toEqual([[60, 0, 4], [64, 1, 3]]);
    expect(back.notes.every((n) => n.velocity === 80)).toBe(true);
  });

  it('re-articulates where the velocity roll marks an onset, keeping velocities', () => {
    const seq = seqOf([[60, 0, 2, 100], [60, 2, 4, 40], [64, 1, 3, 70]]);
    const roll = toPianoRoll(seq, { step: { ticks: 1 }, kind: 'velocity' });
    const back = fromPianoRoll(roll, { ppq: 4 });
    expect(back.notes.map((n) => [n.pitch, n.startTick, n.endTick, n.velocity])).toEqual([[60, 0, 2, 100], [64, 1, 3, 70], [60, 2, 4, 40]]);
    expect(triples(fromPianoRoll(roll, { ppq: 4, rearticulate: false }))).toEqual([[60, 0, 4], [64, 1, 3]]);
  });

  it('round-trips a seconds-step roll to times within one step', () => {
    const seq = emptySequence(480);
    seq.notes = [
      { pitch: 48, velocity: 60, startTick: 0, endTick: 700, track: 0 },
      { pitch: 67, velocity: 90, startTick: 500, endTick: 2000, track: 0 },
    ];
    const roll = toPianoRoll(seq, { step: { seconds: 0.05 }, kind: 'velocity' });
    const back = fromPianoRoll(roll, { bpm: 90, ppq: 96 });
    const a = TempoMap.of(seq);
    const b = TempoMap.of(back);
    expect(back.notes).toHaveLength(2);
    back.notes.forEach((n, i) => {
      const orig = seq.notes[i]!;
      expect(n.pitch).toBe(orig.pitch);
      expect(n.velocity).toBe(orig.velocity);
      expect(Math.abs(b.toSeconds(n.startTick) - a.toSeconds(orig.startTick))).toBeLessThanOrEqual(0.025 + 1e-9);
      expect(Math.abs(b.toSeconds(n.endTick) - a.toSeconds(orig.endTick))).toBeLessThanOrEqual(0.025 + 1e-9);
    });
  });

  it('rejects a roll whose data does not match its shape', () => {
    const roll = toPianoRoll(seqOf([[60, 0, 2]]), { step: { ticks: 1 } });
    expect(() => fromPianoRoll({ ...roll, steps: 5 })).toThrow(/expected steps x pitches = 5 x 88/);
    expect(() => toPianoRoll(seqOf([]), { step: { ticks: 0 } })).toThrow(/positive/);
  });
});
