// Training data for the Char-RNN: token streams per piece, seeded random segments (with transposition) and fixed evaluation windows.
import { NOTE_OFF_OFFSET, NOTE_ON_OFFSET, TIME_SHIFT_OFFSET } from '../../../music/performance';
import { TrainingError } from '../../train/errors';
import type { Rng } from '../../train/rng';
import { CONDITION_SIZE, encodeCondition, measureTokens, type ConditionValues } from './conditions';

export interface TokenPiece {
  id: string;
  name: string;
  tokens: Uint16Array;
}

export interface TokenCorpus {
  train: TokenPiece[];
  valid: TokenPiece[];
}

/** Plain arrays for one batch; the converter turns them into tensors. */
export interface SegmentBatch {
  batch: number;
  time: number;
  /** [batch * time] input tokens (teacher forcing: the true previous events). */
  inputs: Int32Array;
  /** [batch * time] the events to predict. */
  targets: Int32Array;
  /** [batch * CONDITION_SIZE], one condition per segment; null for the plain model. */
  conditions: Float32Array | null;
}

/** A segment of length+1 tokens: `length` inputs and `length` shifted targets. */
interface Window {
  piece: number;
  start: number;
}

export class SegmentSource {
  /** Cumulative count of valid segment starts per piece, for length-weighted sampling. */
  private readonly cumulative: Float64Array;

  constructor(
    readonly pieces: readonly TokenPiece[],
    readonly segmentLength: number,
    readonly conditional: boolean,
  ) {
    this.cumulative = new Float64Array(pieces.length + 1);
    for (let p = 0; p < pieces.length; p++) {
      this.cumulative[p + 1] = this.cumulative[p]! + Math.max(0, pieces[p]!.tokens.length - segmentLength);
    }
    if (this.cumulative[pieces.length] === 0) {
      const longest = Math.max(0, ...pieces.map((p) => p.tokens.length));
      throw new TrainingError(`no piece is longer than the segment length ${segmentLength} + 1 (longest: ${longest} events, ${pieces.length} pieces)`);
    }
  }

  get totalTokens(): number {
    return this.pieces.reduce((n, p) => n + p.tokens.length, 0);
  }

  /** A segment drawn uniformly over all positions of all pieces. */
  randomWindow(rng: Rng): Window {
    const total = this.cumulative[this.pieces.length]!;
    const r = rng.int(total);
    let lo = 0;
    let hi = this.pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid + 1]! <= r) lo = mid + 1;
      else hi = mid;
    }
    return { piece: lo, start: r - this.cumulative[lo]! };
  }

  /** A training batch: random segments, each transposed by up to ±transpose semitones. */
  sample(rng: Rng, batchSize: number, transpose: number): SegmentBatch {
    const windows: Window[] = [];
    const shifts: number[] = [];
    for (let b = 0; b < batchSize; b++) {
      windows.push(this.randomWindow(rng));
      shifts.push(transpose > 0 ? rng.int(2 * transpose + 1) - transpose : 0);
    }
    return this.batchOf(windows, shifts, this.segmentLength);
  }

  /** `count` segments fixed by `seed`'s draw (for validation during training). */
  fixedBatches(count: number, batchSize: number, rng: Rng): SegmentBatch[] {
    const out: SegmentBatch[] = [];
    for (let i = 0; i < count; i += batchSize) {
      const windows: Window[] = [];
      for (let b = 0; b < Math.min(batchSize, count - i); b++) windows.push(this.randomWindow(rng));
      out.push(this.batchOf(windows, windows.map(() => 0), this.segmentLength));
    }
    return out;
  }

  /**
   * Every event of every piece, cut into consecutive windows of `length` predictions (each window's first
   * event is its context), so that an evaluation scores each event once: the whole split.
   */
  allWindows(length: number, batchSize: number): SegmentBatch[] {
    const windows: Window[] = [];
    for (let p = 0; p < this.pieces.length; p++) {
      const n = this.pieces[p]!.tokens.length;
      for (let s = 0; s + length < n; s += length) windows.push({ piece: p, start: s });
    }
    const out: SegmentBatch[] = [];
    for (let i = 0; i < windows.length; i += batchSize) {
      const group = windows.slice(i, i + batchSize);
      out.push(this.batchOf(group, group.map(() => 0), length));
    }
    return out;
  }

  /** Mean measured values over `count` random segments: the defaults for conditions a user leaves out. */
  typicalConditions(rng: Rng, count: number): ConditionValues {
    const histogram = new Array<number>(12).fill(0);
    let mean = 0;
    let range = 0;
    const densities: number[] = [];
    for (let i = 0; i < count; i++) {
      const w = this.randomWindow(rng);
      const m = measureTokens(this.pieces[w.piece]!.tokens, w.start, w.start + this.segmentLength + 1);
      m.histogram.forEach((h, k) => (histogram[k]! += h / count));
      mean += m.pitchMean / count;
      range += m.pitchRange / count;
      densities.push(m.density);
    }
    densities.sort((a, b) => a - b);
    return { histogram, pitchMean: mean, pitchRange: range, density: densities[Math.floor(count / 2)] ?? 0 };
  }

  private batchOf(windows: readonly Window[], shifts: readonly number[], length: number): SegmentBatch {
    const batch = windows.length;
    const inputs = new Int32Array(batch * length);
    const targets = new Int32Array(batch * length);
    const conditions = this.conditional ? new Float32Array(batch * CONDITION_SIZE) : null;
    const segment = new Uint16Array(length + 1);
    for (let b = 0; b < batch; b++) {
      const w = windows[b]!;
      segment.set(this.pieces[w.piece]!.tokens.subarray(w.start, w.start + length + 1));
      transposeTokens(segment, shifts[b]!);
      for (let t = 0; t < length; t++) {
        inputs[b * length + t] = segment[t]!;
        targets[b * length + t] = segment[t + 1]!;
      }
      if (conditions) encodeCondition(measureTokens(segment), conditions, b * CONDITION_SIZE);
    }
    return { batch, time: length, inputs, targets, conditions };
  }
}

/**
 * Shifts note-on and note-off events by `semitones` in place, reduced as needed so that every pitch stays in
 * 0..127 (a segment near the keyboard's edge is transposed less, never wrapped).
 */
export function transposeTokens(tokens: Uint16Array, semitones: number): void {
  if (semitones === 0) return;
  let lo = 127;
  let hi = 0;
  for (const t of tokens) {
    if (t >= TIME_SHIFT_OFFSET) continue;
    const pitch = t < NOTE_OFF_OFFSET ? t - NOTE_ON_OFFSET : t - NOTE_OFF_OFFSET;
    if (pitch < lo) lo = pitch;
    if (pitch > hi) hi = pitch;
  }
  const shift = Math.max(-lo, Math.min(127 - hi, semitones));
  if (shift === 0) return;
  for (let i = 0; i < tokens.length; i++) if (tokens[i]! < TIME_SHIFT_OFFSET) tokens[i] = tokens[i]! + shift;
}
