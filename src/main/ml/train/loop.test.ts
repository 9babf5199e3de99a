// The shared training loop: it learns, reports progress, validates on schedule, cancels with a checkpoint and resumes bit-exactly.
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../shared/errors';
import { selectBackend } from '../backend';
import { loadCheckpoint } from '../checkpoint';
import { globalNorm } from './adam';
import { train, type TrainOptions, type TrainProgress, type TrainTask } from './loop';
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
function regressionTask(): TrainTask<Batch> & { w: tf.Variable; validations: number } {
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
    batchTokens: () => 16,
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

const base: TrainOptions = {
  steps: 40,
  learningRate: 0.1,
  warmupSteps: 5,
  decay: 'cosine',
  finalLearningRateFraction: 0.1,
  clipNorm: 5,
  validEvery: 10,
  checkpointEvery: 10,
  seed: 7,
};

describe('training loop', () => {
  it('learns, validates every N steps and reports step, loss, rate and ETA', async () => {
    const task = regressionTask();
    const events: TrainProgress[] = [];
    const start = tf.memory().numTensors;
    const { state } = await train(task, { ...base, onProgress: (p) => events.push(p) });
    expect(tf.memory().numTensors).toBe(start);
    expect(events.map((e) => e.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(task.validations).toBe(4);
    expect(events.filter((e) => e.validLoss !== undefined).map((e) => e.step)).toEqual([10, 20, 30, 40]);
    const first = events[0]!;
    const last = events[events.length - 1]!;
    expect(last.validLoss!).toBeLessThan(first.loss / 10);
    expect(last.tokensPerSecond).toBeGreaterThan(0);
    expect(last.etaSeconds).toBe(0);
    expect(events[10]!.etaSeconds).toBeGreaterThan(0);
    expect(first.learningRate).toBeCloseTo(0.02);
    expect(state.history).toHaveLength(40);
    task.w.dispose();
  });

  it('resumes after a cancel exactly where it stopped: same weights as an uninterrupted run', async () => {
    const straight = regressionTask();
    await train(straight, { ...base, checkpointPath: join(dir, 'straight') });
    const expected = Array.from(await straight.w.data());

    const path = join(dir, 'interrupted');
    const first = regressionTask();
    const controller = new AbortController();
    await expect(
      train(first, {
        ...base,
        checkpointPath: path,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.step === 17) controller.abort();
        },
      }),
    ).rejects.toThrow(CancelledError);
    const saved = await loadCheckpoint(path, { optimizer: true });
    expect((saved.training as { step: number }).step).toBe(17);
    expect(saved.optimizer?.map((o) => o.name).sort()).toEqual(['m/w', 'v/w']);
    first.w.dispose();

    const second = regressionTask();
    const resumedSteps: number[] = [];
    const { resumedFrom } = await train(second, { ...base, checkpointPath: path, resume: true, onProgress: (p) => resumedSteps.push(p.step) });
    expect(resumedFrom).toBe(17);
    expect(resumedSteps[0]).toBe(18);
    expect(Array.from(await second.w.data())).toEqual(expected);
    straight.w.dispose();
    second.w.dispose();
  });

  it('fits the step count to a time budget, measured after the first steps', async () => {
    const task = regressionTask();
    const totals: number[] = [];
    const { state } = await train(task, { ...base, steps: 1_000_000, validEvery: 1_000_000, timeBudgetSeconds: 0.3, onProgress: (p) => totals.push(p.totalSteps) });
    expect(totals[0]).toBe(1_000_000);
    expect(state.step).toBeLessThan(1_000_000);
    expect(state.step).toBe(totals[totals.length - 1]);
    expect(state.elapsedSeconds).toBeLessThan(3);
    task.w.dispose();
  });

  it('stops on a diverging loss with the step and learning rate in the message', async () => {
    const task = regressionTask();
    await expect(train(task, { ...base, learningRate: 1e30, warmupSteps: 0, clipNorm: 0 })).rejects.toThrow(/loss became .* at step \d+ \(learning rate [\d.e+]+\)/);
    task.w.dispose();
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
