// The one place that knows both the Refine Net's tensors and music: notes as rows of features, chords as onset groups, distortion and restoration.
import type { Note, NoteSequence } from '../../../../shared/song';
import type { Rng } from '../../train/rng';

/** Notes in onset order (then pitch), grouped by onset: a chord is one group. */
export interface NoteTable {
  /** Indexes into seq.notes, in onset order. */
  order: number[];
  /** For each row, its group. */
  group: number[];
  /** Each group's onset (ticks) and its rows. */
  groups: { onset: number; rows: number[] }[];
  /** Each row's duration in ticks, and its velocity. */
  duration: number[];
  velocity: number[];
  pitch: number[];
  ppq: number;
}

export function noteTable(seq: Pick<NoteSequence, 'notes' | 'ppq'>): NoteTable {
  const order = seq.notes.map((_, i) => i).sort((a, b) => seq.notes[a]!.startTick - seq.notes[b]!.startTick || seq.notes[a]!.pitch - seq.notes[b]!.pitch);
  const groups: NoteTable['groups'] = [];
  const group: number[] = [];
  order.forEach((index, row) => {
    const n = seq.notes[index]!;
    const last = groups[groups.length - 1];
    if (last && last.onset === n.startTick) last.rows.push(row);
    else groups.push({ onset: n.startTick, rows: [row] });
    group.push(groups.length - 1);
  });
  const notes = order.map((i) => seq.notes[i]!);
  return {
    order,
    group,
    groups,
    duration: notes.map((n) => Math.max(1, n.endTick - n.startTick)),
    velocity: notes.map((n) => n.velocity),
    pitch: notes.map((n) => n.pitch),
    ppq: seq.ppq,
  };
}

/** Ticks from each group's onset to the next group's (0 after the last). */
export function groupIois(t: NoteTable): number[] {
  return t.groups.map((g, i) => (i + 1 < t.groups.length ? t.groups[i + 1]!.onset - g.onset : 0));
}

/** Grids (in beats) whose snap a length is shown: sixteenths, eighth triplets, eighths, quarters. */
const SNAP_GRIDS = [1 / 4, 1 / 3, 1 / 2, 1];
export const FEATURE_SIZE = 12 + 2 * SNAP_GRIDS.length;
const EPS_BEATS = 1 / 64;
const log = (beats: number): number => Math.log2(beats + EPS_BEATS) / 4;
/**
 * The log2 correction that snapping `beats` to a multiple of `grid` would make. A DAW's quantize is one of these;
 * given all of them the Duration Net learns, note by note, which (if any) the music meant.
 */
const snap = (beats: number, grid: number): number => (beats > 0 ? Math.max(-1, Math.min(1, 2 * Math.log2(Math.max(grid, Math.round(beats / grid) * grid) / beats))) : 0);

/**
 * Per row: pitch, its place in its chord (relative, top, bottom, size), the time to the next and from the previous
 * onset, its duration (log beats), where it falls in the beat and the bar, and what snapping its IOI and its
 * duration to each grid would change.
 */
export function features(t: NoteTable, onsets: readonly number[], iois: readonly number[], durations: readonly number[]): Float32Array {
  const n = t.order.length;
  const out = new Float32Array(n * FEATURE_SIZE);
  for (let r = 0; r < n; r++) {
    const g = t.group[r]!;
    const rows = t.groups[g]!.rows;
    const pitches = rows.map((x) => t.pitch[x]!);
    const mean = pitches.reduce((a, b) => a + b, 0) / pitches.length;
    const beat = onsets[g]! / t.ppq;
    const f = out.subarray(r * FEATURE_SIZE, (r + 1) * FEATURE_SIZE);
    f[0] = (t.pitch[r]! - 64) / 24;
    f[1] = (t.pitch[r]! - mean) / 12;
    f[2] = t.pitch[r] === Math.max(...pitches) ? 1 : 0;
    f[3] = t.pitch[r] === Math.min(...pitches) ? 1 : 0;
    f[4] = rows.length / 8;
    f[5] = log(iois[g]! / t.ppq);
    f[6] = g > 0 ? log(iois[g - 1]! / t.ppq) : 0;
    f[7] = log(durations[r]! / t.ppq);
    f[8] = Math.sin(2 * Math.PI * beat);
    f[9] = Math.cos(2 * Math.PI * beat);
    f[10] = Math.sin((Math.PI * beat) / 2);
    f[11] = Math.cos((Math.PI * beat) / 2);
    SNAP_GRIDS.forEach((grid, k) => {
      f[12 + k] = snap(iois[g]! / t.ppq, grid);
      f[12 + SNAP_GRIDS.length + k] = snap(durations[r]! / t.ppq, grid);
    });
  }
  return out;
}

export interface Timing {
  /** Each group's onset. */
  onsets: number[];
  iois: number[];
  /** Each row's duration. */
  durations: number[];
}

export function timingOf(t: NoteTable): Timing {
  return { onsets: t.groups.map((g) => g.onset), iois: groupIois(t), durations: [...t.duration] };
}

/** As the study trained it: each inter-onset interval and each duration stretched independently by 80-120%. */
export function distort(t: NoteTable, rng: Rng, low = 0.8, high = 1.2): Timing {
  const real = timingOf(t);
  const iois = real.iois.map((x) => x * (low + (high - low) * rng.next()));
  const onsets = [real.onsets[0] ?? 0];
  for (let g = 1; g < iois.length; g++) onsets.push(onsets[g - 1]! + iois[g - 1]!);
  const durations = real.durations.map((x) => x * (low + (high - low) * rng.next()));
  return { onsets, iois, durations };
}

/**
 * Timing from predicted corrections (log2 ratios, per row for the next IOI and the duration) at a strength:
 * a chord's members share the mean of their IOI corrections, so a chord stays one, and every IOI stays positive,
 * so no two onsets swap.
 */
export function restore(t: NoteTable, input: Timing, ioiLog: ArrayLike<number>, durLog: ArrayLike<number>, strength: number): Timing {
  const iois = t.groups.map((g, i) => {
    if (i + 1 >= t.groups.length) return 0;
    const mean = g.rows.reduce((a, r) => a + ioiLog[r]!, 0) / g.rows.length;
    return Math.max(1, input.iois[i]! * 2 ** (strength * mean));
  });
  const onsets = [input.onsets[0] ?? 0];
  for (let g = 1; g < iois.length; g++) onsets.push(onsets[g - 1]! + iois[g - 1]!);
  const durations = input.durations.map((d, r) => Math.max(1, d * 2 ** (strength * durLog[r]!)));
  return { onsets, iois, durations };
}

/** A copy of `seq` with the table's timing (rounded to ticks) and velocities: same notes, same order. */
export function withTiming(seq: NoteSequence, t: NoteTable, timing: Timing, velocities?: ArrayLike<number>): NoteSequence {
  const notes: Note[] = seq.notes.map((n) => ({ ...n }));
  t.order.forEach((index, row) => {
    const start = Math.max(0, Math.round(timing.onsets[t.group[row]!]!));
    const note = notes[index]!;
    note.startTick = start;
    note.endTick = start + Math.max(1, Math.round(timing.durations[row]!));
    if (velocities) note.velocity = Math.max(1, Math.min(127, Math.round(velocities[row]!)));
  });
  return { ...seq, notes: notes.sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch) };
}
