// Benchmarks LSTM training on wasm (2x256, batch 32 x 64 steps, 388 tokens): core/lstm against tf.layers; prints one JSON object.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from '../src/main/ml/wasmKernels';
import { createLstmLayer, lstmSequence, lstmSequenceProjected, projectTokens, type LstmState } from '../src/main/ml/core/lstm';
import { seededRandom } from '../src/main/ml/core/init';

const VOCAB = 388;
const UNITS = 256;
const BATCH = 32;
const STEPS = 64;
const TOKENS_PER_STEP = BATCH * STEPS;
const OURS_STEPS = Number(process.env.BENCH_STEPS ?? 10);
const LAYERS_STEPS = Number(process.env.BENCH_BASELINE_STEPS ?? 1);

interface Batch {
  tokens: tf.Tensor2D;
  inputs: tf.Tensor3D;
  targets: tf.Tensor3D;
}

function randomBatch(seed: number): Batch {
  const rand = seededRandom(seed);
  const ids = Int32Array.from({ length: BATCH * (STEPS + 1) }, () => Math.floor(rand() * VOCAB));
  return tf.tidy(() => {
    const all = tf.tensor2d(ids, [BATCH, STEPS + 1], 'int32');
    const hot = (from: number) => tf.oneHot(tf.slice(all, [0, from], [BATCH, STEPS]), VOCAB).toFloat() as tf.Tensor3D;
    return { tokens: tf.slice(all, [0, 0], [BATCH, STEPS]) as tf.Tensor2D, inputs: hot(0), targets: hot(1) };
  });
}

interface Timing {
  /** Median wall-clock seconds per step. */
  seconds: number;
  /** Median CPU seconds of this process per step: on a shared machine, closer to what an idle one would take. */
  cpuSeconds: number;
}

/** Times `n` calls of `step` after one warm-up call. */
async function time(n: number, step: () => void | Promise<void>): Promise<Timing> {
  await step();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await step();
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1e6);
    wall.push((performance.now() - start) / 1000);
  }
  return { seconds: median(wall), cpuSeconds: median(cpu) };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function tfLayersModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: UNITS, returnSequences: true, recurrentActivation: 'sigmoid', inputShape: [STEPS, VOCAB] }));
  model.add(tf.layers.lstm({ units: UNITS, returnSequences: true, recurrentActivation: 'sigmoid' }));
  model.add(tf.layers.dense({ units: VOCAB, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

async function benchTfLayers(batch: Batch): Promise<Timing> {
  const model = tfLayersModel();
  const seconds = await time(LAYERS_STEPS, async () => {
    await model.trainOnBatch(batch.inputs, batch.targets);
  });
  model.dispose();
  return seconds;
}

/** input 'one-hot': the one-hot batch through lstmSequence's matMul; 'tokens': projectTokens' row lookup. */
async function benchOurs(batch: Batch, input: 'one-hot' | 'tokens'): Promise<{ timing: Timing; loss: number; tensorsBefore: number; tensorsAfter: number }> {
  const l1 = createLstmLayer(`bench/${input}/l1`, VOCAB, UNITS, 1);
  const l2 = createLstmLayer(`bench/${input}/l2`, UNITS, UNITS, 2);
  const outKernel = tf.variable(tf.randomUniform([UNITS, VOCAB], -0.08, 0.08, 'float32', 3), true, `bench/${input}/out/kernel`);
  const outBias = tf.variable(tf.zeros([VOCAB]), true, `bench/${input}/out/bias`);
  const optimizer = tf.train.adam(1e-3);
  // Truncated BPTT: each segment starts from the previous one's final state.
  let s1: LstmState = { h: tf.zeros([BATCH, UNITS]), c: tf.zeros([BATCH, UNITS]) };
  let s2: LstmState = { h: tf.zeros([BATCH, UNITS]), c: tf.zeros([BATCH, UNITS]) };
  let loss = NaN;
  const step = (): void => {
    const next: LstmState[] = [];
    const cost = optimizer.minimize(() => {
      const a = input === 'one-hot' ? lstmSequence(l1, batch.inputs, s1) : lstmSequenceProjected(l1, projectTokens(l1, batch.tokens, VOCAB), s1);
      const b = lstmSequence(l2, a.y, s2);
      next.push(...[a.final, b.final].map((s) => ({ h: tf.keep(s.h), c: tf.keep(s.c) })));
      const logits = tf.add(tf.matMul(tf.reshape(b.y, [TOKENS_PER_STEP, UNITS]), outKernel), outBias);
      return tf.losses.softmaxCrossEntropy(tf.reshape(batch.targets, [TOKENS_PER_STEP, VOCAB]), logits) as tf.Scalar;
    }, true)!;
    loss = cost.dataSync()[0]!;
    cost.dispose();
    tf.dispose([s1.h, s1.c, s2.h, s2.c]);
    [s1, s2] = next as [LstmState, LstmState];
  };
  step(); // Adam creates its slots on the first step.
  const tensorsBefore = tf.memory().numTensors;
  const timing = await time(OURS_STEPS, step);
  const tensorsAfter = tf.memory().numTensors;
  optimizer.dispose();
  tf.dispose([s1.h, s1.c, s2.h, s2.c, l1.kernel, l1.recurrentKernel, l1.bias, l2.kernel, l2.recurrentKernel, l2.bias, outKernel, outBias]);
  return { timing, loss, tensorsBefore, tensorsAfter };
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const batch = randomBatch(42);
  // The stock kernels first, as a tf.layers user would have them, then everything with the fixes.
  const layersStock = await benchTfLayers(batch);
  installWasmKernelFixes();
  const layersFixed = await benchTfLayers(batch);
  const ours = await benchOurs(batch, 'one-hot');
  const tokens = await benchOurs(batch, 'tokens');
  const rates = (t: Timing) => ({
    secondsPerStep: round(t.seconds),
    tokensPerSecond: Math.round(TOKENS_PER_STEP / t.seconds),
    cpuSecondsPerStep: round(t.cpuSeconds),
    tokensPerCpuSecond: Math.round(TOKENS_PER_STEP / t.cpuSeconds),
  });
  console.log(
    JSON.stringify({
      bench: 'lstm-train',
      backend: tf.getBackend(),
      model: { layers: 2, units: UNITS, vocab: VOCAB, batch: BATCH, steps: STEPS, input: 'one-hot through matMul', optimizer: 'adam' },
      tfLayersStockWasm: rates(layersStock),
      tfLayersWithKernelFixes: rates(layersFixed),
      coreLstm: { ...rates(ours.timing), lastLoss: round(ours.loss) },
      coreLstmTokenLookup: { ...rates(tokens.timing), lastLoss: round(tokens.loss) },
      speedupOverTfLayersStock: round(layersStock.seconds / ours.timing.seconds),
      speedupOverTfLayersWithFixes: round(layersFixed.seconds / ours.timing.seconds),
      cpuSpeedupOverTfLayersStock: round(layersStock.cpuSeconds / ours.timing.cpuSeconds),
      leakCheck: {
        trainingSteps: OURS_STEPS + 1,
        tensorsBefore: ours.tensorsBefore,
        tensorsAfter: ours.tensorsAfter,
        ok: ours.tensorsBefore === ours.tensorsAfter && tokens.tensorsBefore === tokens.tensorsAfter,
      },
    }),
  );
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

await main();
