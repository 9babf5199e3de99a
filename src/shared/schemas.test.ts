// The song schema at the engine boundary: ticks are whole numbers, and a bad tick is named by its path before any handler runs.
import { describe, expect, it } from 'vitest';
import { noteSequence } from './schemas';
import { emptySequence } from './song';

function withNote(startTick: number, endTick: number) {
  const seq = emptySequence(240);
  seq.notes.push({ pitch: 60, velocity: 80, startTick, endTick, track: 0 });
  return seq;
}

describe('noteSequence schema', () => {
  it('accepts whole ticks', () => {
    expect(noteSequence.safeParse(withNote(0, 240)).success).toBe(true);
  });

  it('refuses fractional ticks anywhere in the sequence, naming the field', () => {
    const cases: Array<[string, (s: ReturnType<typeof emptySequence>) => void]> = [
      ['notes.0.startTick', (s) => (s.notes[0]!.startTick = 0.5)],
      ['notes.0.endTick', (s) => (s.notes[0]!.endTick = 120.1)],
      ['tempos.0.tick', (s) => (s.tempos = [{ tick: 1.5, bpm: 120 }])],
      ['timeSignatures.0.tick', (s) => (s.timeSignatures = [{ tick: 0.25, numerator: 4, denominator: 4 }])],
      ['keySignatures.0.tick', (s) => (s.keySignatures = [{ tick: 2.5, tonic: 0, mode: 'major' }])],
      ['pedals.0.tick', (s) => (s.pedals = [{ tick: 3.5, value: 127, track: 0 }])],
      ['sections.0.startTick', (s) => (s.sections = [{ name: 'A', startTick: 0.5, endTick: 480 }])],
    ];
    for (const [path, spoil] of cases) {
      const seq = withNote(0, 240);
      spoil(seq);
      const r = noteSequence.safeParse(seq);
      expect(r.success, path).toBe(false);
      expect(r.error?.issues.map((i) => i.path.join('.')), path).toContain(path);
    }
  });
});
