// Training a DCRNN with the WGAN-GP recipe on rolls of a dataset, measuring diversity across z against real segments as it goes.
import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '../../../../shared/errors';
import type { NoteSequence } from '../../../../shared/song';
import { findCheckpoint, loadCheckpointConfig } from '../../checkpoint';
import { diversity } from '../../eval/rollMetrics';
import type { TrainContext, TrainOutcome } from '../../platform/kind';
import { train, type TrainOptions, type TrainProgress } from '../../train/loop';
import { noiseFrom, wganGpRecipe } from '../../train/recipes/wganGp';
import { Rng } from '../../train/rng';
import { CHECKPOINT_FORMAT, CONDITION_SIZE, ROLL_PITCHES, type DcrnnCheckpointConfig, type DcrnnConfig } from './config';
import { binarize, rollToSequence } from './converter';
import { meanHistogram, RollSource, rollsOf, type PieceRoll } from './data';
import { Dcrnn } from './model';
import type { DcrnnTrainParams } from './params';

/** Segments generated and drawn from real music at each measurement. */
const MEASURE_SEGMENTS = 32;

export function configOf(p: DcrnnTrainParams): DcrnnConfig {
  return {
    generator: p.generator,
    critic: p.critic,
    noiseSize: p.noise,
    conditional: p.conditional,
    barsA: 1,
    repeat: p.repeat,
    unitsA: p.unitsA,
    stripChannels: p.stripChannels,
    stripStride: 4,
    stripWidth: p.stripWidth,
    rnnUnits: p.rnnUnits,
    criticChannels: [p.criticWidth, 2 * p.criticWidth, 4 * p.criticWidth],
    initSeed: p.seed,
  };
}

export interface DcrnnRunOptions {
  checkpointPath?: string;
  resume?: boolean;
  timeBudgetSeconds?: number;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  onPreview?: (sample: NoteSequence) => void;
}

/** Trains `model` on `train` rolls; measures on `measure` rolls (the valid split, or train when it has none). */
export async function trainDcrnn(model: Dcrnn, pieces: { train: readonly PieceRoll[]; measure: readonly PieceRoll[] }, p: DcrnnTrainParams, options: DcrnnRunOptions = {}): Promise<{ state: Awaited<ReturnType<typeof train>>['state']; histogram: number[] }> {
  const source = new RollSource(pieces.train, model.steps);
  const measureSource = new RollSource(pieces.measure.length > 0 ? pieces.measure : pieces.train, model.steps);
  const histogram = meanHistogram(pieces.train);
  const cells = model.steps * ROLL_PITCHES;
  // Fixed real segments and noise: successive measurements differ only by what the generator has learnt.
  const realFixed = measureSource.sample(new Rng(p.seed + 7919), MEASURE_SEGMENTS, 0);
  const realDiversity = diversity(Array.from({ length: MEASURE_SEGMENTS }, (_, i) => Uint8Array.from(realFixed.x.subarray(i * cells, (i + 1) * cells))));
  const realDensity = realFixed.x.reduce((a, b) => a + b, 0) / realFixed.x.length;
  const conditionTensor = (c: Float32Array, batch: number): tf.Tensor | undefined => (model.config.conditional ? tf.tensor2d(c, [batch, CONDITION_SIZE]) : undefined);

  const recipe = wganGpRecipe(
    {
      generator: { variables: model.generatorVariables, generate: (z, c) => model.generate(z, c) },
      critic: { variables: model.criticVariables, score: (x, c) => model.score(x, c) },
      noiseSize: model.config.noiseSize,
      real(rng, batch) {
        const b = source.sample(rng, batch, p.transpose);
        const condition = conditionTensor(b.condition, batch);
        return { x: tf.tensor3d(b.x, [batch, model.steps, ROLL_PITCHES]), ...(condition ? { condition } : {}) };
      },
      ...(model.config.conditional ? { conditions: (rng: Rng, batch: number) => conditionTensor(source.sample(rng, batch, p.transpose).condition, batch)! } : {}),
      config: (): DcrnnCheckpointConfig => ({ format: CHECKPOINT_FORMAT, model: model.config, meanHistogram: histogram, train: { ...p } }),
      async validate() {
        const probs = tf.tidy(() => model.generate(noiseFrom(new Rng(p.seed + 104729), MEASURE_SEGMENTS, model.config.noiseSize), conditionTensor(realFixed.condition, MEASURE_SEGMENTS)));
        const values = (await probs.data()) as Float32Array;
        probs.dispose();
        const rolls = Array.from({ length: MEASURE_SEGMENTS }, (_, i) => binarize(values.subarray(i * cells, (i + 1) * cells), 0.5, null));
        const density = rolls.reduce((n, r) => n + r.reduce((a, b) => a + b, 0), 0) / (MEASURE_SEGMENTS * cells);
        options.onPreview?.(rollToSequence(rolls[0]!, model.steps));
        return { diversity: realDiversity > 0 ? diversity(rolls) / realDiversity : 0, density: realDensity > 0 ? density / realDensity : 0 };
      },
    },
    {
      steps: p.steps,
      batchSize: p.batch,
      criticSteps: p.criticSteps,
      penaltyWeight: p.penalty,
      generatorLearningRate: p.lr,
      criticLearningRate: p.lr,
      beta1: p.beta1,
      beta2: p.beta2,
    },
  );
  const loopOptions: TrainOptions = { validEvery: p.validEvery, checkpointEvery: p.checkpointEvery, seed: p.seed };
  for (const k of ['checkpointPath', 'resume', 'timeBudgetSeconds', 'signal', 'onProgress'] as const) {
    if (options[k] !== undefined) Object.assign(loopOptions, { [k]: options[k] });
  }
  const { state } = await train(recipe, loopOptions);
  return { state, histogram };
}

export async function trainDcrnnKind(ctx: TrainContext<DcrnnTrainParams>): Promise<TrainOutcome> {
  let params = ctx.params;
  let config = configOf(params);
  if (ctx.resume && (await findCheckpoint(ctx.checkpointPath))) {
    // A resumed run keeps the model and settings it started with; only the step budget may grow.
    const saved = (await loadCheckpointConfig(ctx.checkpointPath)) as Partial<DcrnnCheckpointConfig>;
    if (saved.format !== CHECKPOINT_FORMAT || !saved.model) throw new InvalidArgumentError(`"${ctx.checkpointPath}" holds no DCRNN checkpoint to resume`);
    config = saved.model;
    params = { ...(saved.train as DcrnnTrainParams), steps: ctx.given.has('steps') ? params.steps : (saved.train as DcrnnTrainParams).steps };
  }
  const pieces = { train: rollsOf(ctx.dataset, 'train'), measure: rollsOf(ctx.dataset, 'valid') };
  if (pieces.train.length === 0) throw new InvalidArgumentError(`"${ctx.dataset.folder}" has no piece in the train split`);
  const model = new Dcrnn(config);
  try {
    const { state } = await trainDcrnn(model, pieces, params, {
      checkpointPath: ctx.checkpointPath,
      resume: ctx.resume,
      ...(ctx.timeBudgetSeconds !== undefined ? { timeBudgetSeconds: ctx.timeBudgetSeconds } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onProgress: (progress) => ctx.emit({ phase: 'train', progress }),
      onPreview: (sequence) => ctx.emit({ phase: 'sample', sequence }),
    });
    const counts = model.parameterCount();
    return {
      config,
      metrics: {
        wasserstein: state.smoothed.wasserstein,
        penalty: state.smoothed.penalty,
        diversity: state.lastValid?.diversity,
        density: state.lastValid?.density,
        steps: state.step,
        trainingSeconds: Math.round(state.elapsedSeconds),
        parameters: counts.generator + counts.critic,
        generatorParameters: counts.generator,
      },
      training: { ...params },
    };
  } finally {
    model.dispose();
  }
}
