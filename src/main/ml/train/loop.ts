// The training loop every model shares: Adam, clipping, schedule, dropout seeds, validation, progress, cancel, resume.
import * as tf from '@tensorflow/tfjs';
import { CancelledError } from '../../../shared/errors';
import { CheckpointError, findCheckpoint, loadCheckpoint, saveCheckpoint, type NamedArray } from '../checkpoint';
import { Adam, DEFAULT_ADAM, type AdamOptions, type NamedVariable } from './adam';
import { TrainingError } from './errors';
import { Rng, type RngState } from './rng';
import { learningRateAt, type DecayKind } from './schedule';

/** What the loop needs from a model and its data. */
export interface TrainTask<B> {
  /** Every trainable variable under its stable checkpoint name. */
  readonly variables: readonly NamedVariable[];
  /** The JSON saved as the checkpoint's config (model kind, sizes, condition statistics). */
  config(): unknown;
  /** A training batch drawn with `rng` (segment positions, pieces). */
  sampleBatch(rng: Rng): B;
  batchTokens(batch: B): number;
  /** Mean loss in nats per token; `dropoutSeed` is null when not training (no dropout). */
  loss(batch: B, dropoutSeed: number | null): tf.Scalar;
  /** Mean validation loss in nats per token over a fixed set of the valid split. */
  validate(): Promise<number>;
}

export interface TrainOptions {
  steps: number;
  learningRate: number;
  warmupSteps: number;
  decay: DecayKind;
  /** Learning rate at the last step as a fraction of learningRate. */
  finalLearningRateFraction: number;
  /** Global gradient norm limit; 0 disables clipping. */
  clipNorm: number;
  validEvery: number;
  checkpointEvery: number;
  seed: number;
  /**
   * Stop after about this many seconds of this run: the step count (and so the decay) is re-estimated from the
   * measured speed after the first steps and at each validation, never above `steps`.
   */
  timeBudgetSeconds?: number;
  adam?: AdamOptions;
  /** The checkpoint folder; without it nothing is saved. */
  checkpointPath?: string;
  /** Continue from the checkpoint at checkpointPath (weights, optimizer, step, RNG) if there is one. */
  resume?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
}

export interface TrainProgress {
  step: number;
  totalSteps: number;
  loss: number;
  /** Exponential moving average of the training loss. */
  smoothedLoss: number;
  /** The latest validation loss, when this step ran a validation. */
  validLoss?: number;
  learningRate: number;
  gradNorm: number;
  tokensPerSecond: number;
  etaSeconds: number;
  elapsedSeconds: number;
}

export interface HistoryPoint {
  step: number;
  loss: number;
  validLoss?: number;
}

/** What training.json holds: enough to continue exactly where the run stopped. */
export interface TrainingState {
  step: number;
  totalSteps: number;
  rng: RngState;
  adamIterations: number;
  smoothedLoss: number;
  history: HistoryPoint[];
  lastValidLoss: number | null;
  elapsedSeconds: number;
  tokensSeen: number;
}

export interface TrainResult {
  state: TrainingState;
  resumedFrom: number | null;
}

const SMOOTHING = 0.98;
/** Steps timed before a time budget first sets the step count. */
const CALIBRATION_STEPS = 10;

/**
 * Trains `task` for options.steps steps (counting those done before a resume).
 * On cancel it saves a checkpoint (if it has a path) and throws CancelledError.
 */
export async function train<B>(task: TrainTask<B>, options: TrainOptions): Promise<TrainResult> {
  const adam = new Adam(task.variables, options.adam ?? DEFAULT_ADAM);
  try {
    let rng = new Rng(options.seed);
    let state: TrainingState = {
      step: 0,
      totalSteps: options.steps,
      rng: rng.state(),
      adamIterations: 0,
      smoothedLoss: NaN,
      history: [],
      lastValidLoss: null,
      elapsedSeconds: 0,
      tokensSeen: 0,
    };
    let resumedFrom: number | null = null;
    if (options.resume && options.checkpointPath && (await findCheckpoint(options.checkpointPath))) {
      const ckpt = await loadCheckpoint(options.checkpointPath, { optimizer: true });
      const saved = ckpt.training as TrainingState | undefined;
      if (!saved || typeof saved.step !== 'number') throw new CheckpointError(`checkpoint at "${options.checkpointPath}" has no training state to resume from`);
      assignWeights(task.variables, ckpt.weights);
      if (!ckpt.optimizer) throw new CheckpointError(`checkpoint at "${options.checkpointPath}" has no optimizer state to resume from`);
      adam.restore(ckpt.optimizer, saved.adamIterations);
      state = { ...saved, totalSteps: options.steps };
      rng = new Rng(saved.rng);
      resumedFrom = saved.step;
    }

    const save = async (): Promise<void> => {
      if (!options.checkpointPath) return;
      state.rng = rng.state();
      state.adamIterations = adam.iterations;
      await saveCheckpoint(options.checkpointPath, {
        config: task.config(),
        weights: await readNamed(task.variables.map((v) => ({ name: v.name, tensor: v.variable }))),
        optimizer: await readNamed(adam.namedState()),
        training: state,
      });
    };

    const startTime = performance.now();
    const elapsedBefore = state.elapsedSeconds;
    const stepAtStart = state.step;
    let tokensThisRun = 0;
    const vars = task.variables.map((v) => v.variable);
    let totalSteps = options.steps;
    while (state.step < totalSteps) {
      if (options.signal?.aborted) {
        await save();
        throw new CancelledError(`training cancelled at step ${state.step} of ${totalSteps}`);
      }
      const batch = task.sampleBatch(rng);
      const dropoutSeed = rng.fork();
      const lr = learningRateAt(state.step, {
        learningRate: options.learningRate,
        warmupSteps: options.warmupSteps,
        totalSteps,
        decay: options.decay,
        finalFraction: options.finalLearningRateFraction,
      });
      const { value, grads } = tf.variableGrads(() => task.loss(batch, dropoutSeed), vars);
      const loss = (await value.data())[0]!;
      if (!Number.isFinite(loss)) {
        tf.dispose([value, grads]);
        throw new TrainingError(`loss became ${loss} at step ${state.step} (learning rate ${lr}); lower --lr or the clip norm`);
      }
      const gradNorm = adam.apply(grads, lr, options.clipNorm);
      tf.dispose([value, grads]);
      state.step++;
      const tokens = task.batchTokens(batch);
      tokensThisRun += tokens;
      state.tokensSeen += tokens;
      state.smoothedLoss = Number.isNaN(state.smoothedLoss) ? loss : SMOOTHING * state.smoothedLoss + (1 - SMOOTHING) * loss;
      const point: HistoryPoint = { step: state.step, loss };
      if (state.step % options.validEvery === 0 || state.step === totalSteps) {
        point.validLoss = await task.validate();
        state.lastValidLoss = point.validLoss;
      }
      state.history.push(point);
      const runSeconds = (performance.now() - startTime) / 1000;
      state.elapsedSeconds = elapsedBefore + runSeconds;
      const stepsPerSecond = (state.step - stepAtStart) / Math.max(runSeconds, 1e-6);
      if (options.timeBudgetSeconds !== undefined && (state.step - stepAtStart === CALIBRATION_STEPS || point.validLoss !== undefined)) {
        const affordable = Math.floor(Math.max(0, options.timeBudgetSeconds - runSeconds) * stepsPerSecond);
        totalSteps = Math.max(state.step, Math.min(options.steps, state.step + affordable));
        state.totalSteps = totalSteps;
      }
      const progress: TrainProgress = {
        step: state.step,
        totalSteps,
        loss,
        smoothedLoss: state.smoothedLoss,
        learningRate: lr,
        gradNorm,
        tokensPerSecond: tokensThisRun / Math.max(runSeconds, 1e-6),
        etaSeconds: (totalSteps - state.step) / Math.max(stepsPerSecond, 1e-9),
        elapsedSeconds: state.elapsedSeconds,
      };
      if (point.validLoss !== undefined) progress.validLoss = point.validLoss;
      options.onProgress?.(progress);
      if (state.step % options.checkpointEvery === 0 || state.step === totalSteps) await save();
      // Lets an abort (Ctrl-C, a job cancel message) be delivered between steps.
      await new Promise((r) => setImmediate(r));
    }
    return { state, resumedFrom };
  } finally {
    adam.dispose();
  }
}

/** Copies tensors out to named typed arrays for a checkpoint. */
export async function readNamed(list: readonly { name: string; tensor: tf.Tensor }[]): Promise<NamedArray[]> {
  const out: NamedArray[] = [];
  for (const { name, tensor } of list) {
    const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
    const data = (await tensor.data()) as Float32Array | Int32Array;
    out.push({ name, shape: tensor.shape.slice(), dtype, data: dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data) });
  }
  return out;
}

/**
 * Assigns saved arrays to variables by stable name.
 * @throws CheckpointError when a variable is missing or has another shape.
 */
export function assignWeights(variables: readonly NamedVariable[], arrays: readonly NamedArray[]): void {
  const byName = new Map(arrays.map((a) => [a.name, a]));
  for (const { name, variable } of variables) {
    const a = byName.get(name);
    if (!a) throw new CheckpointError(`checkpoint has no weights named "${name}"`);
    if (a.shape.join() !== variable.shape.join()) {
      throw new CheckpointError(`weights "${name}" have shape [${a.shape}] in the checkpoint, but the model expects [${variable.shape}]`);
    }
    tf.tidy(() => variable.assign(tf.tensor(a.data, a.shape, variable.dtype)));
  }
}
