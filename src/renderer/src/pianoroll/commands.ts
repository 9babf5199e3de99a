// Piano-roll edits as pure functions on {sequence, selection}: each returns a new state and never mutates its input.
import type { Note, NoteSequence } from '../../../shared/song';
import type { MidiNote, Ticks, Velocity } from '../../../shared/units';
import { InvalidArgumentError } from '../../../shared/errors';
import type { BarGrid } from './grid';
import type { TickPitchRange } from './NoteCoordTransform';

/**
 * Note identity: NoteSequence notes carry no id, so the editor names a note by its
 * index in `sequence.notes`. Every command keeps the order of the notes it keeps:
 * moving or resizing replaces a note in place, adding and pasting append at the end,
 * and only deleting shifts indices (its result has an empty selection). So an index
 * stays valid across a whole drag, and the selection survives undo and redo because
 * each snapshot stores the selection with the sequence it indexes. The notes are not
 * kept sorted; the renderer sorts its own index (NoteIndex).
 */
export interface EditorState {
  readonly sequence: NoteSequence;
  /** Indices into `sequence.notes`. */
  readonly selection: ReadonlySet<number>;
}

/** Grid snapping: `step` ticks counted from each barline of `grid`. */
export interface Snap {
  grid: BarGrid;
  step: Ticks;
}

export type SelectMode = 'replace' | 'add' | 'toggle';

export function editorState(sequence: NoteSequence, selection: Iterable<number> = []): EditorState {
  return { sequence, selection: new Set(selection) };
}

/** Shortest note an edit may leave, so resizing never makes a zero-length note. */
export function minLength(ppq: number, snap: Snap | null): Ticks {
  return snap ? snap.step : Math.max(1, Math.round(ppq / 32));
}

function withNotes(s: EditorState, notes: Note[], selection: ReadonlySet<number> = s.selection): EditorState {
  return { sequence: { ...s.sequence, notes }, selection };
}

function selected(s: EditorState): number[] {
  return [...s.selection].filter((i) => i >= 0 && i < s.sequence.notes.length).sort((a, b) => a - b);
}

function clampVelocity(v: number): Velocity {
  return Math.min(127, Math.max(1, Math.round(v)));
}

export interface NewNote {
  pitch: MidiNote;
  startTick: Ticks;
  endTick: Ticks;
  velocity?: Velocity;
  track?: number;
}

/** Adds a note and makes it the selection. @throws InvalidArgumentError for a pitch outside 0..127 or an empty span. */
export function addNote(s: EditorState, note: NewNote): EditorState {
  if (!Number.isInteger(note.pitch) || note.pitch < 0 || note.pitch > 127) {
    throw new InvalidArgumentError(`note pitch must be an integer in 0..127, got ${note.pitch}`);
  }
  const startTick = Math.max(0, Math.round(note.startTick));
  const endTick = Math.round(note.endTick);
  if (!(endTick > startTick)) throw new InvalidArgumentError(`note must end after it starts, got ${note.startTick}..${note.endTick}`);
  const n: Note = { pitch: note.pitch, startTick, endTick, velocity: clampVelocity(note.velocity ?? 96), track: note.track ?? 0 };
  const notes = [...s.sequence.notes, n];
  return withNotes(s, notes, new Set([notes.length - 1]));
}

export function deleteSelected(s: EditorState): EditorState {
  if (selected(s).length === 0) return s;
  return withNotes(
    s,
    s.sequence.notes.filter((_, i) => !s.selection.has(i)),
    new Set(),
  );
}

/** The selected note that leads a snapped drag: the one given, else the earliest. */
function anchorOf(s: EditorState, sel: number[], anchor: number | undefined): Note {
  if (anchor !== undefined && s.selection.has(anchor) && s.sequence.notes[anchor]) return s.sequence.notes[anchor];
  let best = s.sequence.notes[sel[0]!]!;
  for (const i of sel) if (s.sequence.notes[i]!.startTick < best.startTick) best = s.sequence.notes[i]!;
  return best;
}

export interface MoveOptions {
  deltaTicks: Ticks;
  deltaPitch: number;
  /** Snaps the anchor note's new start to the grid; the others keep their offsets to it. */
  snap?: Snap | null;
  anchor?: number;
}

/** Moves the selection in time and pitch as a block: chords keep their shape at the edges of the range. */
export function moveSelection(s: EditorState, opts: MoveOptions): EditorState {
  const sel = selected(s);
  if (sel.length === 0) return s;
  const notes = s.sequence.notes;
  let dt = opts.deltaTicks;
  if (opts.snap) {
    const a = anchorOf(s, sel, opts.anchor);
    dt = opts.snap.grid.snap(a.startTick + dt, opts.snap.step) - a.startTick;
  }
  let dp = Math.round(opts.deltaPitch);
  let minStart = Infinity;
  let lo = 127;
  let hi = 0;
  for (const i of sel) {
    const n = notes[i]!;
    minStart = Math.min(minStart, n.startTick);
    lo = Math.min(lo, n.pitch);
    hi = Math.max(hi, n.pitch);
  }
  dt = Math.round(Math.max(dt, -minStart));
  dp = Math.min(127 - hi, Math.max(-lo, dp));
  if (dt === 0 && dp === 0) return s;
  const next = notes.slice();
  for (const i of sel) {
    const n = notes[i]!;
    next[i] = { ...n, startTick: n.startTick + dt, endTick: n.endTick + dt, pitch: n.pitch + dp };
  }
  return withNotes(s, next);
}

export function transposeSelection(s: EditorState, semitones: number): EditorState {
  return moveSelection(s, { deltaTicks: 0, deltaPitch: semitones });
}

export interface ResizeOptions {
  edge: 'start' | 'end';
  deltaTicks: Ticks;
  /** Snaps the anchor note's moved edge to the grid; the others change by the same amount. */
  snap?: Snap | null;
  anchor?: number;
}

/** Moves the start or end edge of every selected note; no note gets shorter than `minLength`. */
export function resizeSelection(s: EditorState, opts: ResizeOptions): EditorState {
  const sel = selected(s);
  if (sel.length === 0) return s;
  const notes = s.sequence.notes;
  const snap = opts.snap ?? null;
  let dt = opts.deltaTicks;
  if (snap) {
    const a = anchorOf(s, sel, opts.anchor);
    const edge = opts.edge === 'end' ? a.endTick : a.startTick;
    dt = snap.grid.snap(edge + dt, snap.step) - edge;
  }
  dt = Math.round(dt);
  if (dt === 0) return s;
  const min = minLength(s.sequence.ppq, snap);
  const next = notes.slice();
  let changed = false;
  for (const i of sel) {
    const n = notes[i]!;
    const len = Math.min(min, n.endTick - n.startTick);
    const m =
      opts.edge === 'end'
        ? { ...n, endTick: Math.max(n.startTick + len, n.endTick + dt) }
        : { ...n, startTick: Math.max(0, Math.min(n.endTick - len, n.startTick + dt)) };
    if (m.startTick !== n.startTick || m.endTick !== n.endTick) changed = true;
    next[i] = m;
  }
  return changed ? withNotes(s, next) : s;
}

export type VelocityChange = { mode: 'absolute'; value: Velocity } | { mode: 'relative'; delta: number };

/** Sets velocities (kept in 1..127) of the given notes, by default the selection. */
export function setVelocity(s: EditorState, change: VelocityChange, indices: Iterable<number> = s.selection): EditorState {
  const notes = s.sequence.notes;
  let next: Note[] | null = null;
  for (const i of indices) {
    const n = notes[i];
    if (!n) continue;
    const v = clampVelocity(change.mode === 'absolute' ? change.value : n.velocity + change.delta);
    if (v === n.velocity) continue;
    next ??= notes.slice();
    next[i] = { ...n, velocity: v };
  }
  return next ? withNotes(s, next) : s;
}

export interface QuantizeOptions {
  /** 1 snaps fully onto the grid, 0.5 moves half way (keeps some feel). */
  strength?: number;
  /** Also quantize note ends; otherwise each note keeps its length. */
  ends?: boolean;
}

export function quantizeSelection(s: EditorState, snap: Snap, opts: QuantizeOptions = {}): EditorState {
  const strength = opts.strength ?? 1;
  if (!(strength >= 0 && strength <= 1)) throw new InvalidArgumentError(`quantize strength must be in 0..1, got ${strength}`);
  const ends = opts.ends ?? true;
  const notes = s.sequence.notes;
  let next: Note[] | null = null;
  for (const i of selected(s)) {
    const n = notes[i]!;
    const start = Math.round(n.startTick + strength * (snap.grid.snap(n.startTick, snap.step) - n.startTick));
    let end = ends ? Math.round(n.endTick + strength * (snap.grid.snap(n.endTick, snap.step) - n.endTick)) : n.endTick + (start - n.startTick);
    if (end <= start) end = start + Math.min(snap.step, n.endTick - n.startTick);
    if (start === n.startTick && end === n.endTick) continue;
    next ??= notes.slice();
    next[i] = { ...n, startTick: start, endTick: end };
  }
  return next ? withNotes(s, next) : s;
}

/** Copied notes, with times relative to the earliest copied start. */
export interface Clipboard {
  ppq: number;
  notes: readonly Note[];
}

export function copySelection(s: EditorState): Clipboard | null {
  const sel = selected(s);
  if (sel.length === 0) return null;
  const notes = sel.map((i) => s.sequence.notes[i]!);
  const t0 = Math.min(...notes.map((n) => n.startTick));
  return { ppq: s.sequence.ppq, notes: notes.map((n) => ({ ...n, startTick: n.startTick - t0, endTick: n.endTick - t0 })) };
}

export function cutSelection(s: EditorState): { state: EditorState; clipboard: Clipboard | null } {
  return { state: deleteSelected(s), clipboard: copySelection(s) };
}

/** Pastes the clipboard with its first note at `atTick` and selects the pasted notes. */
export function paste(s: EditorState, clip: Clipboard, atTick: Ticks): EditorState {
  if (clip.notes.length === 0) return s;
  // A clipboard from a sequence with another resolution keeps its musical length.
  const k = s.sequence.ppq / clip.ppq;
  const at = Math.max(0, Math.round(atTick));
  const base = s.sequence.notes.length;
  const added = clip.notes.map((n) => ({
    ...n,
    startTick: at + Math.round(n.startTick * k),
    endTick: at + Math.max(Math.round(n.endTick * k), Math.round(n.startTick * k) + 1),
  }));
  return withNotes(
    s,
    [...s.sequence.notes, ...added],
    new Set(added.map((_, j) => base + j)),
  );
}

/** Copies the selection to just after its end (the next grid point when snapping) and selects the copy. */
export function duplicateSelection(s: EditorState, snap: Snap | null = null): EditorState {
  const sel = selected(s);
  if (sel.length === 0) return s;
  let start = Infinity;
  let end = 0;
  for (const i of sel) {
    start = Math.min(start, s.sequence.notes[i]!.startTick);
    end = Math.max(end, s.sequence.notes[i]!.endTick);
  }
  const at = snap ? snap.grid.snap(end, snap.step, 'ceil') : end;
  return paste(s, copySelection(s)!, at);
}

export function select(s: EditorState, indices: Iterable<number>, mode: SelectMode = 'replace'): EditorState {
  const next = new Set(mode === 'replace' ? [] : s.selection);
  for (const i of indices) {
    if (i < 0 || i >= s.sequence.notes.length) continue;
    if (mode === 'toggle' && next.has(i)) next.delete(i);
    else next.add(i);
  }
  return { sequence: s.sequence, selection: next };
}

export function selectAll(s: EditorState): EditorState {
  return select(s, s.sequence.notes.keys());
}

export function selectNone(s: EditorState): EditorState {
  return s.selection.size === 0 ? s : { sequence: s.sequence, selection: new Set() };
}

/** Selects notes overlapping the range in time whose pitch lies in [lowPitch, highPitch]. */
export function selectRect(s: EditorState, range: TickPitchRange, mode: SelectMode = 'replace'): EditorState {
  const hits: number[] = [];
  s.sequence.notes.forEach((n, i) => {
    if (n.startTick < range.endTick && n.endTick > range.startTick && n.pitch >= range.lowPitch && n.pitch <= range.highPitch) hits.push(i);
  });
  return select(s, hits, mode);
}
