// Tests of every piano-roll edit command: results, clamping, selection, and that inputs are never mutated.
import { describe, expect, it } from 'vitest';
import { emptySequence, type Note } from '../../../shared/song';
import { InvalidArgumentError } from '../../../shared/errors';
import {
  addNote,
  copySelection,
  cutSelection,
  deleteSelected,
  duplicateSelection,
  editorState,
  moveSelection,
  paste,
  quantizeSelection,
  resizeSelection,
  select,
  selectAll,
  selectNone,
  selectRect,
  setVelocity,
  transposeSelection,
  type EditorState,
  type Snap,
} from './commands';
import { BarGrid } from './grid';

const PPQ = 480;
const n = (pitch: number, startTick: number, endTick: number, velocity = 80): Note => ({ pitch, startTick, endTick, velocity, track: 0 });

function state(notes: Note[], sel: number[] = []): EditorState {
  return editorState({ ...emptySequence(PPQ), notes }, sel);
}

const grid = new BarGrid(PPQ, [{ tick: 0, numerator: 4, denominator: 4 }]);
const sixteenth: Snap = { grid, step: 120 };
const quarter: Snap = { grid, step: 480 };

/** Deep copy to check that commands leave their input alone. */
const frozen = (s: EditorState) => JSON.stringify({ seq: s.sequence, sel: [...s.selection] });

describe('addNote', () => {
  it('appends the note and selects it', () => {
    const s = state([n(60, 0, 480)], [0]);
    const before = frozen(s);
    const t = addNote(s, { pitch: 64, startTick: 480.4, endTick: 960, velocity: 200 });
    expect(t.sequence.notes[1]).toEqual({ pitch: 64, startTick: 480, endTick: 960, velocity: 127, track: 0 });
    expect([...t.selection]).toEqual([1]);
    expect(frozen(s)).toBe(before);
  });

  it('rejects impossible notes', () => {
    const s = state([]);
    expect(() => addNote(s, { pitch: 128, startTick: 0, endTick: 10 })).toThrow(InvalidArgumentError);
    expect(() => addNote(s, { pitch: 60, startTick: 10, endTick: 10 })).toThrow(/end after it starts/);
  });
});

describe('deleteSelected', () => {
  it('removes the selected notes and clears the selection', () => {
    const s = state([n(60, 0, 480), n(62, 480, 960), n(64, 960, 1440)], [0, 2]);
    const t = deleteSelected(s);
    expect(t.sequence.notes).toEqual([n(62, 480, 960)]);
    expect(t.selection.size).toBe(0);
  });

  it('is a no-op without a selection', () => {
    const s = state([n(60, 0, 480)]);
    expect(deleteSelected(s)).toBe(s);
  });
});

describe('moveSelection', () => {
  it('moves selected notes in time and pitch, in place', () => {
    const s = state([n(60, 0, 480), n(62, 480, 960), n(64, 960, 1440)], [1, 2]);
    const before = frozen(s);
    const t = moveSelection(s, { deltaTicks: 240, deltaPitch: 2 });
    expect(t.sequence.notes).toEqual([n(60, 0, 480), n(64, 720, 1200), n(66, 1200, 1680)]);
    expect([...t.selection].sort()).toEqual([1, 2]);
    expect(t.sequence.notes[0]).toBe(s.sequence.notes[0]); // untouched notes are shared
    expect(frozen(s)).toBe(before);
  });

  it('snaps the anchor note and keeps the others relative to it', () => {
    const s = state([n(60, 130, 480), n(64, 250, 600)], [0, 1]);
    const t = moveSelection(s, { deltaTicks: 300, deltaPitch: 0, snap: sixteenth, anchor: 0 });
    // 130 + 300 = 430 snaps to 480: the whole block moves by 350.
    expect(t.sequence.notes.map((x) => x.startTick)).toEqual([480, 600]);
  });

  it('keeps the block inside tick 0 and the MIDI range', () => {
    const s = state([n(120, 100, 200), n(125, 300, 400)], [0, 1]);
    const t = moveSelection(s, { deltaTicks: -1000, deltaPitch: 12 });
    expect(t.sequence.notes.map((x) => [x.pitch, x.startTick])).toEqual([
      [122, 0],
      [127, 200],
    ]);
  });

  it('returns the same state when nothing moves', () => {
    const s = state([n(60, 0, 480)], [0]);
    expect(moveSelection(s, { deltaTicks: 0.2, deltaPitch: 0.3 })).toBe(s);
  });
});

describe('transposeSelection', () => {
  it('shifts pitch only', () => {
    const s = state([n(60, 0, 480), n(67, 0, 480)], [1]);
    expect(transposeSelection(s, -12).sequence.notes.map((x) => x.pitch)).toEqual([60, 55]);
  });
});

describe('resizeSelection', () => {
  it('moves the end edge with snapping', () => {
    const s = state([n(60, 0, 480), n(62, 480, 700)], [0, 1]);
    const t = resizeSelection(s, { edge: 'end', deltaTicks: 200, snap: quarter, anchor: 0 });
    // 480 + 200 snaps to 480: the anchor stays, and so does the other note.
    expect(t).toBe(s);
    const u = resizeSelection(s, { edge: 'end', deltaTicks: 300, snap: quarter, anchor: 0 });
    expect(u.sequence.notes.map((x) => x.endTick)).toEqual([960, 1180]);
  });

  it('never shortens a note below the grid step', () => {
    const s = state([n(60, 0, 480)], [0]);
    const t = resizeSelection(s, { edge: 'end', deltaTicks: -10_000, snap: sixteenth });
    expect(t.sequence.notes[0]!.endTick).toBe(120);
  });

  it('moves the start edge without passing the end or tick 0', () => {
    const s = state([n(60, 480, 960)], [0]);
    expect(resizeSelection(s, { edge: 'start', deltaTicks: -1000 }).sequence.notes[0]!.startTick).toBe(0);
    const t = resizeSelection(s, { edge: 'start', deltaTicks: 5000 });
    expect(t.sequence.notes[0]!.startTick).toBe(960 - Math.round(PPQ / 32));
  });
});

describe('setVelocity', () => {
  it('sets absolute and relative velocities within 1..127', () => {
    const s = state([n(60, 0, 480, 100), n(62, 0, 480, 20)], [0, 1]);
    expect(setVelocity(s, { mode: 'absolute', value: 64 }).sequence.notes.map((x) => x.velocity)).toEqual([64, 64]);
    expect(setVelocity(s, { mode: 'relative', delta: 40 }).sequence.notes.map((x) => x.velocity)).toEqual([127, 60]);
    expect(setVelocity(s, { mode: 'relative', delta: -50 }).sequence.notes.map((x) => x.velocity)).toEqual([50, 1]);
  });

  it('can target notes outside the selection', () => {
    const s = state([n(60, 0, 480, 100), n(62, 0, 480, 20)], [0]);
    expect(setVelocity(s, { mode: 'absolute', value: 90 }, [1]).sequence.notes.map((x) => x.velocity)).toEqual([100, 90]);
  });
});

describe('quantizeSelection', () => {
  it('snaps starts and ends to the grid', () => {
    const s = state([n(60, 130, 470), n(62, 1000, 1010)], [0, 1]);
    const t = quantizeSelection(s, sixteenth);
    expect(t.sequence.notes.map((x) => [x.startTick, x.endTick])).toEqual([
      [120, 480],
      [960, 970], // the end snapped onto the start, so the note keeps its short length
    ]);
  });

  it('moves part of the way with a lower strength and can keep lengths', () => {
    const s = state([n(60, 100, 400)], [0]);
    expect(quantizeSelection(s, sixteenth, { strength: 0.5 }).sequence.notes[0]!.startTick).toBe(110);
    const t = quantizeSelection(s, quarter, { ends: false });
    expect([t.sequence.notes[0]!.startTick, t.sequence.notes[0]!.endTick]).toEqual([0, 300]);
  });

  it('rejects a strength outside 0..1', () => {
    expect(() => quantizeSelection(state([]), quarter, { strength: 2 })).toThrow(InvalidArgumentError);
  });
});

describe('copy, cut and paste', () => {
  it('copies relative to the first note and pastes at a tick', () => {
    const s = state([n(60, 960, 1440), n(64, 1200, 1680), n(67, 0, 100)], [0, 1]);
    const clip = copySelection(s)!;
    expect(clip.notes.map((x) => x.startTick)).toEqual([0, 240]);
    const t = paste(s, clip, 3840);
    expect(t.sequence.notes.slice(3).map((x) => [x.pitch, x.startTick, x.endTick])).toEqual([
      [60, 3840, 4320],
      [64, 4080, 4560],
    ]);
    expect([...t.selection]).toEqual([3, 4]);
  });

  it('rescales a clipboard from another resolution', () => {
    const clip = { ppq: 96, notes: [n(60, 0, 96), n(62, 96, 192)] };
    const t = paste(state([]), clip, 0);
    expect(t.sequence.notes.map((x) => [x.startTick, x.endTick])).toEqual([
      [0, 480],
      [480, 960],
    ]);
  });

  it('cuts: copies then deletes', () => {
    const s = state([n(60, 0, 480), n(62, 480, 960)], [1]);
    const { state: t, clipboard } = cutSelection(s);
    expect(t.sequence.notes).toEqual([n(60, 0, 480)]);
    expect(clipboard!.notes).toEqual([n(62, 0, 480)]);
    expect(copySelection(state([n(60, 0, 1)]))).toBeNull();
  });
});

describe('duplicateSelection', () => {
  it('repeats the selection right after it, on the grid', () => {
    const s = state([n(60, 0, 400), n(64, 480, 900)], [0, 1]);
    const t = duplicateSelection(s, quarter);
    expect(t.sequence.notes.slice(2).map((x) => [x.pitch, x.startTick, x.endTick])).toEqual([
      [60, 960, 1360],
      [64, 1440, 1860],
    ]);
    expect([...t.selection]).toEqual([2, 3]);
    expect(duplicateSelection(s).sequence.notes[2]!.startTick).toBe(900);
  });
});

describe('selection', () => {
  const s = state([n(60, 0, 480), n(62, 480, 960), n(72, 480, 960)], [0]);

  it('replaces, adds and toggles', () => {
    expect([...select(s, [1]).selection]).toEqual([1]);
    expect([...select(s, [1], 'add').selection].sort()).toEqual([0, 1]);
    expect([...select(s, [0, 2], 'toggle').selection]).toEqual([2]);
    expect([...select(s, [99]).selection]).toEqual([]);
  });

  it('selects all and none', () => {
    expect(selectAll(s).selection.size).toBe(3);
    expect(selectNone(s).selection.size).toBe(0);
  });

  it('selects by rectangle in ticks and pitches', () => {
    const t = selectRect(s, { startTick: 400, endTick: 500, lowPitch: 55, highPitch: 65 });
    expect([...t.selection].sort()).toEqual([0, 1]);
    const u = selectRect(s, { startTick: 600, endTick: 700, lowPitch: 70, highPitch: 80 }, 'add');
    expect([...u.selection].sort()).toEqual([0, 2]);
  });
});
