// The training loop every recipe runs in: named optimizers and schedules, phases, seeding, validation, progress, time budget, cancel, resume.
import * as tf from '@tensorflow/tfjs';
import { CancelledError } from '../../../shared/errors';
import { CheckpointError, findCheckpoint, loadCheckpoint, saveCheckpoint, type NamedArray } from '../checkpoint';
import { Adam, DEFAULT_ADAM, type AdamOptions, type NamedVariable } from './adam';
import { TrainingError } from './errors';
import { Rng, type RngState } from './rng';
import { learningRateAt, type DecayKind } from './schedule';

/** An optimizer a recipe owns: its variables, its learning-rate schedule and its clipping. */
export interface OptimizerSpec {
  name: string;
  variables: readonly NamedVariable[];
  learningRate: number;
  warmupSteps?: number;
  decay?: DecayKind;
  /** Learning rate at the last step as a fraction of learningRate. */
  finalLearningRateFraction?: number;
  /** Global gradient norm limit; 0 or absent disables clipping. */
  clipNorm?: number;
  adam?: AdamOptions;
}

/** A stretch of training with one behaviour, e.g. MLE pre-training, then adversarial rounds. */
export interface PhaseSpec {
  name: string;
  steps: number;
}

export interface StepContext {
  /** The 0-based step being run, counted over all phases. */
  step: number;
  totalSteps: number;
  phase: string;
  /** The 0-based step inside the phase. */
  phaseStep: number;
  /** The run's seeded generator: the same draws in the same order give the same run, resumed or not. */
  rng: Rng;
  /**
   * One update of the named optimizer from a loss over its own variables (others get no gradient and stay as they
   * are). Returns the loss and the gradient norm before clipping.
   * @throws TrainingError when the loss is not finite.
   */
  minimize(optimizer: string, loss: () => tf.Scalar): Promise<{ loss: number; gradNorm: number }>;
  learningRate(optimizer: string): number;
}

export interface StepResult {
  /** This step's measurements by name; the recipe's mainMetric among them. */
  metrics: Record<string, number>;
  /** Work items this step processed (tokens, samples), for the rate. */
  items: number;
}

/** How a model learns: its optimizers, phases, one step, and what validation measures. */
export interface Recipe {
  optimizers: readonly OptimizerSpec[];
  phases: readonly PhaseSpec[];
  /** The metric shown as the run's headline (progress bar, job metric). */
  mainMetric: string;
  /** What `items` counts, per second: "events/s", "samples/s". */
  rateUnit: string;
  /** The JSON saved as the checkpoint's config (model kind, sizes). */
  config(): unknown;
  step(ctx: StepContext): Promise<StepResult>;
  /** Measurements on held-out data, by name. */
  validate?(): Promise<Record<string, number>>;
}

export interface TrainOptions {
  validEvery: number;
  checkpointEvery: number;
  seed: number;
  /**
   * Stop after about this many seconds of this run: the step count (and so the decay) is re-estimated from the
   * measured speed after the first steps and at each validation, never above the phases' total. Later phases are
   * the ones cut short.
   */
  timeBudgetSeconds?: number;
  /** The checkpoint folder; without it nothing is saved. */
  checkpointPath?: string;
  /** Continue from the checkpoint at checkpointPath (weights, optimizers, step, RNG) if there is one. */
  resume?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
}

export interface TrainProgress {
  step: number;
  totalSteps: number;
  phase: string;
  mainMetric: string;
  metrics: Record<string, number>;
  /** Exponential moving averages of the metrics. */
  smoothed: Record<string, number>;
  /** Validation measurements, on the steps that ran one. */
  valid?: Record<string, number>;
  learningRates: Record<string, number>;
  gradNorms: Record<string, number>;
  itemsPerSecond: number;
  rateUnit: string;
  etaSeconds: number;
  elapsedSeconds: number;
}

export interface HistoryPoint {
  step: number;
  metrics: Record<string, number>;
  valid?: Record<string, number>;
}

/** What training.json holds: enough to continue exactly where the run stopped. */
export interface TrainingState {
  step: number;
  totalSteps: number;
  rng: RngState;
  /** Updates applied by each optimizer (its bias-correction step). */
  optimizers: Record<string, number>;
  smoothed: Record<string, number>;
  history: HistoryPoint[];
  lastValid: Record<string, number> | null;
  elapsedSeconds: number;
  itemsSeen: number;
}

export interface TrainResult {
  state: TrainingState;
  resumedFrom: number | null;
}

const SMOOTHING = 0.98;
/** Steps timed before a time budget first sets the step count. */
const CALIBRATION_STEPS = 10;

interface LiveOptimizer {
  spec: OptimizerSpec;
  adam: Adam;
  vars: tf.Variable[];
}

/**
 * Trains with `recipe` until its phases' steps are done (counting those done before a resume).
 * On cancel it saves a checkpoint (if it has a path) and throws CancelledError.
 */
export async function train(recipe: Recipe, options: TrainOptions): Promise<TrainResult> {
  const optimizers = new Map<string, LiveOptimizer>();
  for (const spec of recipe.optimizers) {
    if (optimizers.has(spec.name)) throw new TrainingError(`two optimizers are named "${spec.name}"`);
    optimizers.set(spec.name, { spec, adam: new Adam(spec.variables, spec.adam ?? DEFAULT_ADAM), vars: spec.variables.map((v) => v.variable) });
  }
  const allVariables = dedupe(recipe.optimizers.flatMap((o) => o.variables));
  const plannedSteps = recipe.phases.reduce((n, p) => n + p.steps, 0);
  try {
    let rng = new Rng(options.seed);
    let state: TrainingState = {
      step: 0,
      totalSteps: plannedSteps,
      rng: rng.state(),
      optimizers: Object.fromEntries(recipe.optimizers.map((o) => [o.name, 0])),
      smoothed: {},
      history: [],
      lastValid: null,
      elapsedSeconds: 0,
      itemsSeen: 0,
    };
    let resumedFrom: number | null = null;
    if (options.resume && options.checkpointPath && (await findCheckpoint(options.checkpointPath))) {
      const ckpt = await loadCheckpoint(options.checkpointPath, { optimizer: true });
      const saved = upgradeState(ckpt.training, recipe.optimizers);
      if (!saved) throw new CheckpointError(`checkpoint at "${options.checkpointPath}" has no training state to resume from`);
      assignWeights(allVariables, ckpt.weights);
      if (!ckpt.optimizer) throw new CheckpointError(`checkpoint at "${options.checkpointPath}" has no optimizer state to resume from`);
      const arrays = upgradeOptimizerArrays(ckpt.optimizer, recipe.optimizers);
      for (const [name, o] of optimizers) o.adam.restore(withoutPrefix(arrays, `${name}/`), saved.optimizers[name] ?? 0);
      state = { ...saved, totalSteps: plannedSteps };
      rng = new Rng(saved.rng);
      resumedFrom = saved.step;
    }

    const save = async (): Promise<void> => {
      if (!options.checkpointPath) return;
      state.rng = rng.state();
      for (const [name, o] of optimizers) state.optimizers[name] = o.adam.iterations;
      const moments = [...optimizers].flatMap(([name, o]) => o.adam.namedState().map((s) => ({ name: `${name}/${s.name}`, tensor: s.tensor })));
      await saveCheckpoint(options.checkpointPath, {
        config: recipe.config(),
        weights: await readNamed(allVariables.map((v) => ({ name: v.name, tensor: v.variable }))),
        optimizer: await readNamed(moments),
        training: state,
      });
    };

    const startTime = performance.now();
    const elapsedBefore = state.elapsedSeconds;
    const stepAtStart = state.step;
    let itemsThisRun = 0;
    let totalSteps = plannedSteps;
    const lrAt = (o: LiveOptimizer): number =>
      learningRateAt(state.step, {
        learningRate: o.spec.learningRate,
        warmupSteps: o.spec.warmupSteps ?? 0,
        totalSteps,
        decay: o.spec.decay ?? 'none',
        finalFraction: o.spec.finalLearningRateFraction ?? 1,
      });
    const optimizer = (name: string): LiveOptimizer => {
      const o = optimizers.get(name);
      if (!o) throw new TrainingError(`the recipe has no optimizer "${name}" (it has ${[...optimizers.keys()].join(', ')})`);
      return o;
    };

    while (state.step < totalSteps) {
      if (options.signal?.aborted) {
        await save();
        throw new CancelledError(`training cancelled at step ${state.step} of ${totalSteps}`);
      }
      const { phase, phaseStep } = phaseAt(recipe.phases, state.step);
      const learningRates: Record<string, number> = {};
      const gradNorms: Record<string, number> = {};
      const ctx: StepContext = {
        step: state.step,
        totalSteps,
        phase,
        phaseStep,
        rng,
        learningRate: (name) => lrAt(optimizer(name)),
        async minimize(name, lossFn) {
          const o = optimizer(name);
          const lr = lrAt(o);
          const { value, grads } = tf.variableGrads(lossFn, o.vars);
          const loss = (await value.data())[0]!;
          if (!Number.isFinite(loss)) {
            tf.dispose([value, grads]);
            throw new TrainingError(`the ${name} loss became ${loss} at step ${state.step} (learning rate ${lr}); lower the learning rate or the clip norm`);
          }
          const gradNorm = o.adam.apply(grads, lr, o.spec.clipNorm ?? 0);
          tf.dispose([value, grads]);
          learningRates[name] = lr;
          gradNorms[name] = gradNorm;
          return { loss, gradNorm };
        },
      };
      const { metrics, items } = await recipe.step(ctx);
      state.step++;
      itemsThisRun += items;
      state.itemsSeen += items;
      for (const [k, v] of Object.entries(metrics)) {
        const prev = state.smoothed[k];
        state.smoothed[k] = prev === undefined || Number.isNaN(prev) ? v : SMOOTHING * prev + (1 - SMOOTHING) * v;
      }
      const point: HistoryPoint = { step: state.step, metrics };
      if (recipe.validate && (state.step % options.validEvery === 0 || state.step === totalSteps)) {
        point.valid = await recipe.validate();
        state.lastValid = point.valid;
      }
      state.history.push(point);
      const runSeconds = (performance.now() - startTime) / 1000;
      state.elapsedSeconds = elapsedBefore + runSeconds;
      const stepsPerSecond = (state.step - stepAtStart) / Math.max(runSeconds, 1e-6);
      if (options.timeBudgetSeconds !== undefined && (state.step - stepAtStart === CALIBRATION_STEPS || point.valid !== undefined)) {
        const affordable = Math.floor(Math.max(0, options.timeBudgetSeconds - runSeconds) * stepsPerSecond);
        totalSteps = Math.max(state.step, Math.min(plannedSteps, state.step + affordable));
        state.totalSteps = totalSteps;
      }
      const progress: TrainProgress = {
        step: state.step,
        totalSteps,
        phase,
        mainMetric: recipe.mainMetric,
        metrics,
        smoothed: { ...state.smoothed },
        learningRates,
        gradNorms,
        itemsPerSecond: itemsThisRun / Math.max(runSeconds, 1e-6),
        rateUnit: recipe.rateUnit,
        etaSeconds: (totalSteps - state.step) / Math.max(stepsPerSecond, 1e-9),
        elapsedSeconds: state.elapsedSeconds,
      };
      if (point.valid !== undefined) progress.valid = point.valid;
      options.onProgress?.(progress);
      if (state.step % options.checkpointEvery === 0 || state.step === totalSteps) await save();
      // Lets an abort (Ctrl-C, a job cancel message) be delivered between steps.
      await new Promise((r) => setImmediate(r));
    }
    return { state, resumedFrom };
  } finally {
    for (const o of optimizers.values()) o.adam.dispose();
  }
}

/** The phase a 0-based step falls in; steps past the end stay in the last phase. */
export function phaseAt(phases: readonly PhaseSpec[], step: number): { phase: string; phaseStep: number } {
  let start = 0;
  for (const p of phases) {
    if (step < start + p.steps) return { phase: p.name, phaseStep: step - start };
    start += p.steps;
  }
  const last = phases[phases.length - 1];
  if (!last) throw new TrainingError('a recipe needs at least one phase');
  return { phase: last.name, phaseStep: step - (start - last.steps) };
}

function dedupe(vars: readonly NamedVariable[]): NamedVariable[] {
  const seen = new Map<string, NamedVariable>();
  for (const v of vars) {
    const other = seen.get(v.name);
    if (other && other.variable !== v.variable) throw new TrainingError(`two different variables are saved as "${v.name}"`);
    seen.set(v.name, v);
  }
  return [...seen.values()];
}

/** Checkpoints written before recipes had one optimizer and a single loss; read them as the recipe's only optimizer. */
function upgradeState(raw: unknown, specs: readonly OptimizerSpec[]): TrainingState | null {
  if (typeof raw !== 'object' || raw === null || typeof (raw as { step?: unknown }).step !== 'number') return null;
  const r = raw as Partial<TrainingState> & { adamIterations?: number; smoothedLoss?: number; lastValidLoss?: number | null; tokensSeen?: number };
  if (r.optimizers) return r as TrainingState;
  const only = specs.length === 1 ? specs[0]!.name : null;
  if (!only) throw new CheckpointError('this checkpoint was written with one optimizer, but the recipe has several');
  const oldHistory = (r.history ?? []) as unknown as { step: number; loss: number; validLoss?: number }[];
  return {
    step: r.step!,
    totalSteps: r.totalSteps ?? r.step!,
    rng: r.rng!,
    optimizers: { [only]: r.adamIterations ?? 0 },
    smoothed: r.smoothedLoss === undefined ? {} : { loss: r.smoothedLoss },
    history: oldHistory.map((h) => ({ step: h.step, metrics: { loss: h.loss }, ...(h.validLoss !== undefined ? { valid: { loss: h.validLoss } } : {}) })),
    lastValid: r.lastValidLoss === null || r.lastValidLoss === undefined ? null : { loss: r.lastValidLoss },
    elapsedSeconds: r.elapsedSeconds ?? 0,
    itemsSeen: r.tokensSeen ?? 0,
  };
}

function upgradeOptimizerArrays(arrays: NamedArray[], specs: readonly OptimizerSpec[]): NamedArray[] {
  const prefixed = arrays.some((a) => specs.some((s) => a.name.startsWith(`${s.name}/`)));
  if (prefixed || specs.length !== 1) return arrays;
  return arrays.map((a) => ({ ...a, name: `${specs[0]!.name}/${a.name}` }));
}

function withoutPrefix(arrays: NamedArray[], prefix: string): NamedArray[] {
  return arrays.filter((a) => a.name.startsWith(prefix)).map((a) => ({ ...a, name: a.name.slice(prefix.length) }));
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
    for (const x of a.data) {
      if (!Number.isFinite(x)) throw new CheckpointError(`weights "${name}" hold ${x}: the checkpoint is damaged or its training diverged`);
    }
    tf.tidy(() => variable.assign(tf.tensor(a.data, a.shape, variable.dtype)));
  }
}
