// Training the Refine Net: windows of real pieces, their timing distorted as in the study for the Duration Net, their velocities for the Velocity Net.
import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '../../../../shared/errors';
import type { NoteSequence } from '../../../../shared/song';
import { pieceSequences } from '../../../music/datasets';
import { findCheckpoint, loadCheckpointConfig } from '../../checkpoint';
import type { TrainContext, TrainOutcome } from '../../platform/kind';
import { train, type Recipe, type TrainProgress } from '../../train/loop';
import { Rng } from '../../train/rng';
import { FEATURE_SIZE, features, noteTable, timingOf, type NoteTable, type Timing } from './features';
import { RefineNet, type RefineConfig } from './model';
import { ruleLevelsOf } from './polish';
import type { RefineTrainParams } from './params';

export const CHECKPOINT_FORMAT = 'deep-symphony-refine-net/1';
export interface RefineCheckpointConfig {
  format: typeof CHECKPOINT_FORMAT;
  model: RefineConfig;
  /** The velocity rule's levels, fitted on the training pieces (the baseline of the measures). */
  ruleLevels: { top: number; rest: number };
  train?: Record<string, unknown>;
}

/** Log2 corrections are clipped here: beyond 4x either way is not a correction but a different piece. */
const MAX_LOG = 2;

export interface Piece {
  table: NoteTable;
  real: Timing;
}

export function pieceOf(seq: Pick<NoteSequence, 'notes' | 'ppq'>): Piece {
  const table = noteTable(seq);
  return { table, real: timingOf(table) };
}

export interface RefineBatch {
  batch: number;
  notes: number;
  /** Features of the distorted timing, and the corrections that restore it ([..., 2]), with a mask for unknown IOIs. */
  durationX: Float32Array;
  durationY: Float32Array;
  durationMask: Float32Array;
  /** Features of the real timing, and the real velocities / 127. */
  velocityX: Float32Array;
  velocityY: Float32Array;
}

/** A window of `notes` rows of a piece: its table restricted to them, with its real and distorted timing. */
function window(p: Piece, startGroup: number, notes: number, rng: Rng, transpose: number): { table: NoteTable; real: Timing; distorted: Timing } {
  const t = p.table;
  const firstRow = t.groups[startGroup]!.rows[0]!;
  const rows = Array.from({ length: notes }, (_, i) => firstRow + i);
  const groupsUsed = [...new Set(rows.map((r) => t.group[r]!))];
  const local = new Map(groupsUsed.map((g, i) => [g, i]));
  const shift = transpose > 0 ? rng.int(2 * transpose + 1) - transpose : 0;
  const table: NoteTable = {
    order: rows.map((r) => t.order[r]!),
    group: rows.map((r) => local.get(t.group[r]!)!),
    groups: groupsUsed.map((g) => ({ onset: t.groups[g]!.onset, rows: t.groups[g]!.rows.filter((r) => r >= firstRow && r < firstRow + notes).map((r) => r - firstRow) })),
    duration: rows.map((r) => t.duration[r]!),
    velocity: rows.map((r) => t.velocity[r]!),
    pitch: rows.map((r) => t.pitch[r]! + shift),
    ppq: t.ppq,
  };
  const real: Timing = { onsets: groupsUsed.map((g) => p.real.onsets[g]!), iois: groupsUsed.map((g) => p.real.iois[g]!), durations: [...table.duration] };
  const iois = real.iois.map((x) => x * (0.8 + 0.4 * rng.next()));
  const onsets = [real.onsets[0]!];
  for (let g = 1; g < iois.length; g++) onsets.push(onsets[g - 1]! + iois[g - 1]!);
  const distorted: Timing = { onsets, iois, durations: real.durations.map((x) => x * (0.8 + 0.4 * rng.next())) };
  return { table, real, distorted };
}

export class WindowSource {
  private readonly usable: Piece[];
  private readonly cumulative: Float64Array;

  constructor(
    pieces: readonly Piece[],
    readonly notes: number,
  ) {
    this.usable = pieces.filter((p) => p.table.order.length > notes);
    if (this.usable.length === 0) throw new InvalidArgumentError(`no piece has more than ${notes} notes (${pieces.length} pieces)`);
    this.cumulative = new Float64Array(this.usable.length + 1);
    this.usable.forEach((p, i) => (this.cumulative[i + 1] = this.cumulative[i]! + p.table.order.length - notes));
  }

  sample(rng: Rng, batch: number, transpose: number): RefineBatch {
    const W = this.notes;
    const out: RefineBatch = {
      batch,
      notes: W,
      durationX: new Float32Array(batch * W * FEATURE_SIZE),
      durationY: new Float32Array(batch * W * 2),
      durationMask: new Float32Array(batch * W * 2),
      velocityX: new Float32Array(batch * W * FEATURE_SIZE),
      velocityY: new Float32Array(batch * W),
    };
    for (let b = 0; b < batch; b++) {
      const r = rng.int(this.cumulative[this.usable.length]!);
      let i = 0;
      while (this.cumulative[i + 1]! <= r) i++;
      const p = this.usable[i]!;
      const row = r - this.cumulative[i]!;
      // Windows start on a chord's first note; the window's rows then follow in onset order.
      let g = p.table.group[row]!;
      while (g > 0 && p.table.groups[g]!.rows[0]! + W > p.table.order.length) g--;
      const w = window(p, g, W, rng, transpose);
      out.durationX.set(features(w.table, w.distorted.onsets, w.distorted.iois, w.distorted.durations), b * W * FEATURE_SIZE);
      out.velocityX.set(features(w.table, w.real.onsets, w.real.iois, w.real.durations), b * W * FEATURE_SIZE);
      for (let k = 0; k < W; k++) {
        const grp = w.table.group[k]!;
        const at = (b * W + k) * 2;
        const realIoi = w.real.iois[grp]!;
        if (realIoi > 0) {
          out.durationY[at] = clip(Math.log2(realIoi / w.distorted.iois[grp]!));
          out.durationMask[at] = 1;
        }
        out.durationY[at + 1] = clip(Math.log2(w.real.durations[k]! / w.distorted.durations[k]!));
        out.durationMask[at + 1] = 1;
        out.velocityY[b * W + k] = w.table.velocity[k]! / 127;
      }
    }
    return out;
  }
}

const clip = (x: number): number => Math.max(-MAX_LOG, Math.min(MAX_LOG, x));

export function losses(model: RefineNet, b: RefineBatch): { duration: () => tf.Scalar; velocity: () => tf.Scalar } {
  const shape = [b.batch, b.notes, FEATURE_SIZE];
  return {
    duration: () =>
      tf.tidy(() => {
        const y = model.apply('duration', tf.tensor3d(b.durationX, shape as [number, number, number]));
        const mask = tf.tensor3d(b.durationMask, [b.batch, b.notes, 2]);
        const err = tf.mul(tf.square(tf.sub(y, tf.tensor3d(b.durationY, [b.batch, b.notes, 2]))), mask);
        return tf.div(tf.sum(err), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
      }),
    velocity: () =>
      tf.tidy(() => {
        const y = model.apply('velocity', tf.tensor3d(b.velocityX, shape as [number, number, number]));
        return tf.mean(tf.square(tf.sub(y, tf.tensor3d(b.velocityY, [b.batch, b.notes, 1])))) as tf.Scalar;
      }),
  };
}

export interface RefineRunOptions {
  checkpointPath?: string;
  resume?: boolean;
  timeBudgetSeconds?: number;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
}

/** Both nets, each its own optimizer, one step of each per training step; validation on fixed held-out windows. */
export async function trainRefineNet(model: RefineNet, pieces: { train: readonly Piece[]; valid: readonly Piece[] }, p: RefineTrainParams, options: RefineRunOptions = {}, ruleLevels = { top: 80, rest: 64 }) {
  const source = new WindowSource(pieces.train, p.window);
  const validSource = new WindowSource(pieces.valid.some((x) => x.table.order.length > p.window) ? pieces.valid : pieces.train, p.window);
  const validBatches = Array.from({ length: 4 }, (_, i) => validSource.sample(new Rng(p.seed + 1000 + i), p.batch, 0));
  const schedule = { learningRate: p.lr, warmupSteps: Math.min(100, Math.floor(p.steps / 10)), decay: 'cosine' as const, finalLearningRateFraction: 0.1, clipNorm: 1 };
  const recipe: Recipe = {
    optimizers: [
      { name: 'duration', variables: model.variables('duration'), ...schedule },
      { name: 'velocity', variables: model.variables('velocity'), ...schedule },
    ],
    phases: [{ name: 'train', steps: p.steps }],
    mainMetric: 'duration',
    rateUnit: 'notes/s',
    config: (): RefineCheckpointConfig => ({ format: CHECKPOINT_FORMAT, model: model.config, ruleLevels, train: { ...p } }),
    async step(ctx) {
      const b = source.sample(ctx.rng, p.batch, p.transpose);
      const l = losses(model, b);
      const duration = (await ctx.minimize('duration', l.duration)).loss;
      const velocity = (await ctx.minimize('velocity', l.velocity)).loss;
      return { metrics: { duration, velocity }, items: b.batch * b.notes };
    },
    async validate() {
      let duration = 0;
      let velocity = 0;
      for (const b of validBatches) {
        const l = losses(model, b);
        const d = l.duration();
        const v = l.velocity();
        duration += (await d.data())[0]! / validBatches.length;
        velocity += (await v.data())[0]! / validBatches.length;
        tf.dispose([d, v]);
      }
      return { duration, velocity };
    },
  };
  const loopOptions = { validEvery: p.validEvery, checkpointEvery: p.checkpointEvery, seed: p.seed, ...options };
  return train(recipe, loopOptions);
}

export async function trainRefineKind(ctx: TrainContext<RefineTrainParams>): Promise<TrainOutcome> {
  let params = ctx.params;
  let config: RefineConfig = { units: params.units, initSeed: params.seed };
  if (ctx.resume && (await findCheckpoint(ctx.checkpointPath))) {
    const saved = (await loadCheckpointConfig(ctx.checkpointPath)) as Partial<RefineCheckpointConfig>;
    if (saved.format !== CHECKPOINT_FORMAT || !saved.model) throw new InvalidArgumentError(`"${ctx.checkpointPath}" holds no Refine Net checkpoint to resume`);
    config = saved.model;
    params = { ...(saved.train as RefineTrainParams), steps: ctx.given.has('steps') ? params.steps : (saved.train as RefineTrainParams).steps };
  }
  const trainSeqs = (await pieceSequences(ctx.dataset, 'train')).map((x) => x.sequence);
  const validSeqs = (await pieceSequences(ctx.dataset, 'valid')).map((x) => x.sequence);
  const pieces = { train: trainSeqs.map(pieceOf), valid: validSeqs.map(pieceOf) };
  const model = new RefineNet(config);
  try {
    const { state } = await trainRefineNet(model, pieces, params, {
      checkpointPath: ctx.checkpointPath,
      resume: ctx.resume,
      ...(ctx.timeBudgetSeconds !== undefined ? { timeBudgetSeconds: ctx.timeBudgetSeconds } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onProgress: (progress) => ctx.emit({ phase: 'train', progress }),
    }, ruleLevelsOf(trainSeqs));
    return {
      config,
      metrics: {
        durationLoss: state.lastValid?.duration,
        velocityLoss: state.lastValid?.velocity,
        steps: state.step,
        trainingSeconds: Math.round(state.elapsedSeconds),
        parameters: model.parameterCount(),
      },
      training: { ...params },
    };
  } finally {
    model.dispose();
  }
}
