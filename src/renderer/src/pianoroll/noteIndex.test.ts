// Tests that the visible-note index finds exactly the notes a brute-force scan finds, and hit-tests the top note.
import { describe, expect, it } from 'vitest';
import type { Note } from '../../../shared/song';
import { KeyTransform } from './KeyTransform';
import { NoteCoordTransform } from './NoteCoordTransform';
import { NoteIndex } from './noteIndex';
import { TickTransform } from './TickTransform';

/** Small deterministic generator so the test is repeatable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('NoteIndex', () => {
  it('matches a brute-force overlap query, long notes included', () => {
    const r = rng(7);
    const notes: Note[] = [];
    for (let i = 0; i < 3000; i++) {
      const start = Math.floor(r() * 100_000);
      const len = r() < 0.03 ? 5000 + Math.floor(r() * 40_000) : 1 + Math.floor(r() * 900);
      notes.push({ pitch: 21 + Math.floor(r() * 88), startTick: start, endTick: start + len, velocity: 80, track: 0 });
    }
    const index = new NoteIndex(notes, 1920);
    expect(index.longCount).toBeGreaterThan(0);
    for (let q = 0; q < 200; q++) {
      const t0 = Math.floor(r() * 100_000);
      const t1 = t0 + Math.floor(r() * 8000);
      const lo = 21 + Math.floor(r() * 60);
      const hi = lo + Math.floor(r() * 30);
      const count = index.query(t0, t1, lo, hi);
      const got = [...index.result.subarray(0, count)].sort((a, b) => a - b);
      const want = notes.flatMap((n, i) => (n.endTick >= t0 && n.startTick <= t1 && n.pitch >= lo && n.pitch <= hi ? [i] : []));
      expect(got).toEqual(want);
    }
  });

  it('hit-tests the topmost note and its part', () => {
    const notes: Note[] = [
      { pitch: 60, startTick: 0, endTick: 4000, velocity: 80, track: 0 },
      { pitch: 60, startTick: 1000, endTick: 2000, velocity: 80, track: 0 },
    ];
    const coords = new NoteCoordTransform(new TickTransform(0.1), KeyTransform.of(88, 10));
    const index = new NoteIndex(notes, 1920);
    const y = coords.keys.y(60) + 5;
    expect(index.hit(coords, 150, y)).toEqual({ index: 1, part: 'body' });
    expect(index.hit(coords, 199, y)).toEqual({ index: 1, part: 'end' });
    expect(index.hit(coords, 50, y)).toEqual({ index: 0, part: 'body' });
    expect(index.hit(coords, 50, y - 10)).toBeNull();
  });
});
