// The training loop shell: it learns, reports named metrics, validates on schedule, cancels with a checkpoint, resumes bit-exactly, and runs several optimizers.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../shared/errors';
import { saveCheckpoint } from '../checkpoint';
import { selectBackend } from '../backend';
import { loadCheckpoint } from '../checkpoint';
import { globalNorm } from './adam';
import { readNamed, train, type Recipe, type TrainOptions, type TrainProgress } from './loop';
import { supervisedRecipe, type SupervisedSettings, type SupervisedTask } from './recipes/supervised';
import { Rng } from './rng';
import { learningRateAt } from './schedule';

let dir: string;
beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'loop-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TRUE_W = [0.5, -1, 2, 0.25];
let nextId = 0;

interface Batch {
  x: Float32Array;
  y: Float32Array;
}

/** Linear regression with input dropout: small, but it exercises every part of the loop. */
function regressionTask(): SupervisedTask<Batch> & { w: tf.Variable; validations: number } {
  const w = tf.variable(tf.zeros([4, 1]), true, `loopTest${nextId++}/w`);
  const makeBatch = (rng: Rng): Batch => {
    const x = new Float32Array(16 * 4);
    const y = new Float32Array(16);
    for (let i = 0; i < 16; i++) {
      for (let j = 0; j < 4; j++) x[i * 4 + j] = rng.normal();
      y[i] = TRUE_W.reduce((s, wj, j) => s + wj * x[i * 4 + j]!, 0);
    }
    return { x, y };
  };
  const valid = makeBatch(new Rng(99));
  const task = {
    w,
    validations: 0,
    variables: [{ name: 'w', variable: w }],
    config: () => ({ kind: 'regression' }),
    sampleBatch: makeBatch,
    batchItems: () => 16,
    loss(b: Batch, seed: number | null): tf.Scalar {
      return tf.tidy(() => {
        let x: tf.Tensor = tf.tensor2d(b.x, [16, 4]);
        if (seed !== null) x = tf.dropout(x, 0.1, undefined, seed);
        return tf.losses.meanSquaredError(tf.tensor2d(b.y, [16, 1]), tf.matMul(x as tf.Tensor2D, w)) as tf.Scalar;
      });
    },
    async validate(): Promise<number> {
      task.validations++;
      const l = task.loss(valid, null);
      const v = (await l.data())[0]!;
      l.dispose();
      return v;
    },
  };
  return task;
}

const settings: SupervisedSettings = { steps: 40, learningRate: 0.1, warmupSteps: 5, decay: 'cosine', finalLearningRateFraction: 0.1, clipNorm: 5, rateUnit: 'examples/s' };
const base: TrainOptions = { validEvery: 10, checkpointEvery: 10, seed: 7 };
const run = (task: ReturnType<typeof regressionTask>, options: Partial<TrainOptions> = {}, s: Partial<SupervisedSettings> = {}) =>
  train(supervisedRecipe(task, { ...settings, ...s }), { ...base, ...options });

describe('training loop', () => {
  it('learns, validates every N steps and reports step, loss, rate and ETA', async () => {
    const task = regressionTask();
    const events: TrainProgress[] = [];
    const start = tf.memory().numTensors;
    const { state } = await run(task, { onProgress: (p) => events.push(p) });
    expect(tf.memory().numTensors).toBe(start);
    expect(events.map((e) => e.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(task.validations).toBe(4);
    expect(events.filter((e) => e.valid !== undefined).map((e) => e.step)).toEqual([10, 20, 30, 40]);
    const first = events[0]!;
    const last = events[events.length - 1]!;
    expect(last.valid!.loss!).toBeLessThan(first.metrics.loss! / 10);
    expect(last.smoothed.loss).toBeGreaterThan(0);
    expect(last.itemsPerSecond).toBeGreaterThan(0);
    expect(last.rateUnit).toBe('examples/s');
    expect(last.etaSeconds).toBe(0);
    expect(events[10]!.etaSeconds).toBeGreaterThan(0);
    expect(first.learningRates.model).toBeCloseTo(0.02);
    expect(first.gradNorms.model).toBeGreaterThan(0);
    expect(state.history).toHaveLength(40);
    task.w.dispose();
  });

  it('resumes after a cancel exactly where it stopped: same weights as an uninterrupted run', async () => {
    const straight = regressionTask();
    await run(straight, { checkpointPath: join(dir, 'straight') });
    const expected = Array.from(await straight.w.data());

    const path = join(dir, 'interrupted');
    const first = regressionTask();
    const controller = new AbortController();
    await expect(
      run(first, {
        checkpointPath: path,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.step === 17) controller.abort();
        },
      }),
    ).rejects.toThrow(CancelledError);
    const saved = await loadCheckpoint(path, { optimizer: true });
    expect((saved.training as { step: number }).step).toBe(17);
    expect(saved.optimizer?.map((o) => o.name).sort()).toEqual(['model/m/w', 'model/v/w']);
    first.w.dispose();

    const second = regressionTask();
    const resumedSteps: number[] = [];
    const { resumedFrom } = await run(second, { checkpointPath: path, resume: true, onProgress: (p) => resumedSteps.push(p.step) });
    expect(resumedFrom).toBe(17);
    expect(resumedSteps[0]).toBe(18);
    expect(Array.from(await second.w.data())).toEqual(expected);
    straight.w.dispose();
    second.w.dispose();
  });

  it('fits the step count to a time budget, measured after the first steps', async () => {
    const task = regressionTask();
    const totals: number[] = [];
    const { state } = await run(task, { validEvery: 1_000_000, timeBudgetSeconds: 0.3, onProgress: (p) => totals.push(p.totalSteps) }, { steps: 1_000_000 });
    expect(totals[0]).toBe(1_000_000);
    expect(state.step).toBeLessThan(1_000_000);
    expect(state.step).toBe(totals[totals.length - 1]);
    expect(state.elapsedSeconds).toBeLessThan(3);
    task.w.dispose();
  });

  it('stops on a diverging loss with the step and learning rate in the message', async () => {
    const task = regressionTask();
    await expect(run(task, {}, { learningRate: 1e30, warmupSteps: 0, clipNorm: 0 })).rejects.toThrow(/the model loss became .* at step \d+ \(learning rate [\d.e+]+\)/);
    task.w.dispose();
  });

  it('resumes a checkpoint written before recipes (one optimizer, "m/w" moments, a single loss)', async () => {
    const straight = regressionTask();
    await run(straight);
    const expected = Array.from(await straight.w.data());
    // Train 17 steps, then rewrite its checkpoint in the old layout, as models trained before the platform have it.
    const path = join(dir, 'old-format');
    const first = regressionTask();
    const controller = new AbortController();
    await expect(run(first, { checkpointPath: path, signal: controller.signal, onProgress: (p) => p.step === 17 && controller.abort() })).rejects.toThrow(CancelledError);
    const ckpt = await loadCheckpoint(path, { optimizer: true });
    const t = ckpt.training as { step: number; totalSteps: number; rng: unknown; optimizers: { model: number }; smoothed: { loss: number }; history: { step: number; metrics: { loss: number }; valid?: { loss: number } }[]; lastValid: { loss: number }; elapsedSeconds: number; itemsSeen: number };
    await saveCheckpoint(path, {
      config: ckpt.config,
      weights: ckpt.weights,
      optimizer: ckpt.optimizer!.map((a) => ({ ...a, name: a.name.replace(/^model\//, '') })),
      training: {
        step: t.step,
        totalSteps: t.totalSteps,
        rng: t.rng,
        adamIterations: t.optimizers.model,
        smoothedLoss: t.smoothed.loss,
        history: t.history.map((h) => ({ step: h.step, loss: h.metrics.loss, ...(h.valid ? { validLoss: h.valid.loss } : {}) })),
        lastValidLoss: t.lastValid.loss,
        elapsedSeconds: t.elapsedSeconds,
        tokensSeen: t.itemsSeen,
      },
    });
    first.w.dispose();
    const second = regressionTask();
    const { resumedFrom, state } = await run(second, { checkpointPath: path, resume: true });
    expect(resumedFrom).toBe(17);
    expect(state.history[0]!.metrics.loss).toBe(t.history[0]!.metrics.loss);
    expect(Array.from(await second.w.data())).toEqual(expected);
    straight.w.dispose();
    second.w.dispose();
  });
});

describe('recipes with several optimizers and phases', () => {
  /** Two variables with their own optimizers: "a" alone in phase one, then "a" and "b" in turn. */
  function twoOptimizerRecipe(): Recipe & { a: tf.Variable; b: tf.Variable; seen: string[] } {
    const a = tf.variable(tf.scalar(0), true, `loopTest${nextId++}/a`);
    const b = tf.variable(tf.scalar(0), true, `loopTest${nextId++}/b`);
    const seen: string[] = [];
    return {
      a,
      b,
      seen,
      optimizers: [
        { name: 'first', variables: [{ name: 'a', variable: a }], learningRate: 0.1 },
        { name: 'second', variables: [{ name: 'b', variable: b }], learningRate: 0.05, decay: 'linear', finalLearningRateFraction: 0.5 },
      ],
      phases: [
        { name: 'warm', steps: 5 },
        { name: 'both', steps: 10 },
      ],
      mainMetric: 'la',
      rateUnit: 'steps/s',
      config: () => ({ kind: 'two' }),
      async step(ctx) {
        seen.push(`${ctx.phase}:${ctx.phaseStep}`);
        const noise = ctx.rng.normal() * 0.01;
        // Only "a" gets a gradient here: the other optimizer's variable must be left alone.
        const { loss: la } = await ctx.minimize('first', () => tf.square(tf.sub(a, 3 + noise)) as tf.Scalar);
        const metrics: Record<string, number> = { la };
        if (ctx.phase === 'both') metrics.lb = (await ctx.minimize('second', () => tf.square(tf.sub(b, a)) as tf.Scalar)).loss;
        return { metrics, items: 1 };
      },
    };
  }

  it('runs the phases in order, updates each optimizer only from its own losses, and reports every metric', async () => {
    const r = twoOptimizerRecipe();
    const events: TrainProgress[] = [];
    await train(r, { ...base, validEvery: 100, onProgress: (p) => events.push(p) });
    expect(r.seen.slice(0, 6)).toEqual(['warm:0', 'warm:1', 'warm:2', 'warm:3', 'warm:4', 'both:0']);
    expect(events[4]!.metrics).toEqual({ la: expect.any(Number) });
    expect(Object.keys(events[5]!.metrics).sort()).toEqual(['la', 'lb']);
    expect(events[4]!.learningRates).toEqual({ first: 0.1 });
    expect(events[14]!.learningRates.second).toBeCloseTo(0.025);
    expect(events[14]!.phase).toBe('both');
    expect((await r.a.data())[0]).toBeGreaterThan(1);
    expect((await r.b.data())[0]).toBeGreaterThan(0.1);
    r.a.dispose();
    r.b.dispose();
  });

  it('saves each optimizer under its name and resumes bit-exactly across the phase boundary', async () => {
    const straight = twoOptimizerRecipe();
    await train(straight, base);
    const path = join(dir, 'two');
    const first = twoOptimizerRecipe();
    const controller = new AbortController();
    await expect(train(first, { ...base, checkpointPath: path, signal: controller.signal, onProgress: (p) => p.step === 4 && controller.abort() })).rejects.toThrow(CancelledError);
    const saved = await loadCheckpoint(path, { optimizer: true });
    expect(saved.optimizer!.map((o) => o.name).sort()).toEqual(['first/m/a', 'first/v/a', 'second/m/b', 'second/v/b']);
    expect((saved.training as { optimizers: Record<string, number> }).optimizers).toEqual({ first: 4, second: 0 });
    const second = twoOptimizerRecipe();
    await train(second, { ...base, checkpointPath: path, resume: true });
    expect(second.seen[0]).toBe('warm:4');
    expect([(await second.a.data())[0], (await second.b.data())[0]]).toEqual([(await straight.a.data())[0], (await straight.b.data())[0]]);
    for (const r of [straight, first, second]) tf.dispose([r.a, r.b]);
  });

  it('keeps the weights it saves readable by name', async () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]), true, `loopTest${nextId++}/v`);
    expect(await readNamed([{ name: 'v', tensor: v }])).toEqual([{ name: 'v', shape: [3], dtype: 'float32', data: Float32Array.from([1, 2, 3]) }]);
    v.dispose();
  });
});

describe('schedule, clipping and RNG', () => {
  it('warms up linearly, then decays to the floor', () => {
    const o = { learningRate: 1, warmupSteps: 10, totalSteps: 110, decay: 'cosine' as const, finalFraction: 0.1 };
    expect(learningRateAt(0, o)).toBeCloseTo(0.1);
    expect(learningRateAt(9, o)).toBeCloseTo(1);
    expect(learningRateAt(60, o)).toBeCloseTo(0.55);
    expect(learningRateAt(110, o)).toBeCloseTo(0.1);
    expect(learningRateAt(60, { ...o, decay: 'linear' })).toBeCloseTo(0.55);
    expect(learningRateAt(100, { ...o, decay: 'none' })).toBe(1);
  });

  it('measures the global norm over all gradients', () => {
    const a = tf.tensor1d([3, 0]);
    const b = tf.tensor2d([[0, 4]]);
    expect(globalNorm([a, b])).toBeCloseTo(5);
    tf.dispose([a, b]);
  });

  it('continues the same sequence from a saved state', () => {
    const r = new Rng(42);
    r.next();
    const copy = new Rng(r.state());
    expect(Array.from({ length: 5 }, () => copy.nextUint32())).toEqual(Array.from({ length: 5 }, () => r.nextUint32()));
    expect(new Rng(1).next()).not.toBe(new Rng(2).next());
  });
});
