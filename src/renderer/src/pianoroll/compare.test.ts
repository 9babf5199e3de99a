// The notes a comparison outlines: only those the shown version does not have in the same place.
import { describe, expect, it } from 'vitest';
import type { Note } from '../../../shared/song';
import { movedNotes } from './compare';

const note = (pitch: number, startTick: number, endTick: number, velocity = 80): Note => ({ pitch, startTick, endTick, velocity, track: 0 });

describe('movedNotes', () => {
  it('outlines nothing when only the velocities differ', () => {
    const before = [note(60, 0, 480, 64), note(64, 0, 480, 64), note(67, 480, 960, 64)];
    const after = before.map((n, i) => ({ ...n, velocity: 40 + i * 20 }));
    expect(movedNotes(before, after)).toEqual([]);
  });

  it('outlines the notes whose start or end moved', () => {
    const before = [note(60, 0, 470), note(64, 10, 480), note(67, 480, 960)];
    const after = [note(60, 0, 480), note(64, 0, 480), note(67, 480, 960)];
    expect(movedNotes(before, after)).toEqual([note(60, 0, 470), note(64, 10, 480)]);
    expect(movedNotes(after, before)).toEqual([note(60, 0, 480), note(64, 0, 480)]);
  });

  it('counts doubled notes one for one', () => {
    const other = [note(60, 0, 480), note(60, 0, 480)];
    expect(movedNotes(other, [note(60, 0, 480)])).toEqual([note(60, 0, 480)]);
    expect(movedNotes(other, other)).toEqual([]);
  });
});
