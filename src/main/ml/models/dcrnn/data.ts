// Training data for the DCRNN: each piece as a binary roll on a fixed 125 ms grid, and seeded random segments of it, transposed, with their histograms.
import { TrainingError } from '../../train/errors';
import type { Rng } from '../../train/rng';
import type { Dataset } from '../../../music/datasets';
import { decodePerformance } from '../../../music/performance';
import { toPianoRoll } from '../../../music/pianoroll';
import { CONDITION_SIZE, ROLL_LOW, ROLL_PITCHES } from './config';

/** 480 ticks a quarter at 120 bpm: a sixteenth is 120 ticks, 125 ms. */
const STEP_TICKS = 120;
/** A segment with fewer sounding cells than this is silence, not music to learn from. */
const MIN_ACTIVE_CELLS = 16;

export interface PieceRoll {
  name: string;
  steps: number;
  data: Uint8Array;
}

/**
 * A piece's roll. The dataset keeps performance events (10 ms time-shifts, as the Char-RNN reads them): decoded at
 * 120 bpm they lie on a 125 ms sixteenth grid, which is also the grid generated music is written on.
 */
export function pieceRoll(name: string, tokens: ArrayLike<number>): PieceRoll {
  const roll = toPianoRoll(decodePerformance(tokens), { step: { ticks: STEP_TICKS }, range: '88', kind: 'binary' });
  return { name, steps: roll.steps, data: roll.data };
}

export function rollsOf(dataset: Dataset, split: 'train' | 'valid'): PieceRoll[] {
  return dataset.pieces.filter((p) => p.split === split && !p.augmentation).map((p) => pieceRoll(p.title ?? p.file, dataset.tokensOf(p)));
}

/** The pitch-class histogram of a roll's sounding cells, summing to 1 (uniform when silent). */
export function rollHistogram(data: ArrayLike<number>, steps: number, out: Float32Array = new Float32Array(CONDITION_SIZE), offset = 0): Float32Array {
  const h = new Float64Array(12);
  let total = 0;
  for (let s = 0; s < steps; s++) {
    for (let p = 0; p < ROLL_PITCHES; p++) {
      if (!data[s * ROLL_PITCHES + p]) continue;
      h[(ROLL_LOW + p) % 12]! += 1;
      total++;
    }
  }
  for (let k = 0; k < 12; k++) out[offset + k] = total > 0 ? h[k]! / total : 1 / 12;
  return out;
}

export interface RollBatch {
  batch: number;
  steps: number;
  /** [batch, steps, 88] as 0/1. */
  x: Float32Array;
  /** [batch, 12]: each segment's histogram. */
  condition: Float32Array;
}

export class RollSource {
  private readonly cumulative: Float64Array;

  constructor(
    readonly pieces: readonly PieceRoll[],
    readonly segmentSteps: number,
  ) {
    this.cumulative = new Float64Array(pieces.length + 1);
    for (let i = 0; i < pieces.length; i++) this.cumulative[i + 1] = this.cumulative[i]! + Math.max(0, pieces[i]!.steps - segmentSteps);
    if (this.cumulative[pieces.length] === 0) {
      throw new TrainingError(`no piece is longer than a segment of ${segmentSteps} steps (${pieces.length} pieces)`);
    }
  }

  /** Segments drawn uniformly over all positions of all pieces, each transposed by up to ±transpose semitones. */
  sample(rng: Rng, batch: number, transpose: number): RollBatch {
    const T = this.segmentSteps;
    const x = new Float32Array(batch * T * ROLL_PITCHES);
    const condition = new Float32Array(batch * CONDITION_SIZE);
    const cell = new Uint8Array(T * ROLL_PITCHES);
    for (let b = 0; b < batch; b++) {
      // A few tries for a segment that is not silence; the last one is kept whatever it holds.
      for (let attempt = 0; attempt < 8; attempt++) {
        const { piece, start } = this.position(rng);
        const shift = transpose > 0 ? rng.int(2 * transpose + 1) - transpose : 0;
        if (this.copy(piece, start, shift, cell) >= MIN_ACTIVE_CELLS || attempt === 7) break;
      }
      x.set(cell, b * T * ROLL_PITCHES);
      rollHistogram(cell, T, condition, b * CONDITION_SIZE);
    }
    return { batch, steps: T, x, condition };
  }

  private position(rng: Rng): { piece: number; start: number } {
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

  /** Copies a transposed segment into `out`; returns its sounding cells. Keys shifted off the piano are dropped. */
  private copy(piece: number, start: number, shift: number, out: Uint8Array): number {
    out.fill(0);
    const src = this.pieces[piece]!.data;
    let active = 0;
    for (let s = 0; s < this.segmentSteps; s++) {
      const row = (start + s) * ROLL_PITCHES;
      for (let p = 0; p < ROLL_PITCHES; p++) {
        if (!src[row + p]) continue;
        const q = p + shift;
        if (q < 0 || q >= ROLL_PITCHES) continue;
        out[s * ROLL_PITCHES + q] = 1;
        active++;
      }
    }
    return active;
  }
}

/** The mean histogram over pieces (weighted by sounding cells): what the model is conditioned on by default. */
export function meanHistogram(pieces: readonly PieceRoll[]): number[] {
  const h = new Float64Array(12);
  for (const p of pieces) {
    for (let s = 0; s < p.steps; s++) {
      for (let q = 0; q < ROLL_PITCHES; q++) if (p.data[s * ROLL_PITCHES + q]) h[(ROLL_LOW + q) % 12]! += 1;
    }
  }
  const total = h.reduce((a, b) => a + b, 0);
  return Array.from(h, (v) => (total > 0 ? v / total : 1 / 12));
}
