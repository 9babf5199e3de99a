// Benchmarks batch-1 streaming generation on wasm (2x256 LSTM, 388 tokens): LstmStreamer events/s and a leak check; prints one JSON object.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from '../src/main/ml/wasmKernels';
import { createLstmLayer } from '../src/main/ml/core/lstm';
import { seededRandom } from '../src/main/ml/core/init';
import { LstmStreamer } from '../src/main/ml/core/streaming';

const VOCAB = 388;
const UNITS = 256;
const CONDITION = 20;
const EVENTS = Number(process.env.BENCH_EVENTS ?? 3000);

/** Samples a token from logits (softmax in plain JS), as a generator would. */
function sample(logits: Float32Array, rand: () => number): number {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  let total = 0;
  const p = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) total += p[i] = Math.exp(logits[i]! - max);
  let u = rand() * total;
  for (let i = 0; i < p.length; i++) if ((u -= p[i]!) <= 0) return i;
  return p.length - 1;
}

/** Events per wall-clock second and per CPU second of this process (the machine may be shared). */
function rate(streamer: LstmStreamer, events: number, condition: Float32Array | undefined, rand: () => number): { wall: number; cpu: number } {
  let token = 0;
  for (let i = 0; i < 200; i++) token = sample(streamer.step(token, condition), rand);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < events; i++) token = sample(streamer.step(token, condition), rand);
  const used = process.cpuUsage(cpuStart);
  return { wall: events / ((performance.now() - start) / 1000), cpu: events / ((used.user + used.system) / 1e6) };
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  installWasmKernelFixes();
  const rand = seededRandom(7);
  const output = { kernel: tf.randomUniform([UNITS, VOCAB], -0.1, 0.1, 'float32', 3) as tf.Tensor2D, bias: tf.zeros([VOCAB]) as tf.Tensor1D };

  const plain = [createLstmLayer('gen/l1', VOCAB, UNITS, 1), createLstmLayer('gen/l2', UNITS, UNITS, 2)];
  const streamer = new LstmStreamer(plain, output, { vocabSize: VOCAB });
  const plainRate = rate(streamer, EVENTS, undefined, rand);
  const before = tf.memory().numTensors;
  let token = 0;
  for (let i = 0; i < 1000; i++) token = sample(streamer.step(token), rand);
  const after = tf.memory().numTensors;
  streamer.dispose();

  const conditioned = [createLstmLayer('gen/c1', VOCAB + CONDITION, UNITS, 4), createLstmLayer('gen/c2', UNITS, UNITS, 5)];
  const condStreamer = new LstmStreamer(conditioned, output, { vocabSize: VOCAB, conditionSize: CONDITION });
  const condition = Float32Array.from({ length: CONDITION }, (_, i) => (i === 3 ? 1 : i >= 8 ? 1 / 12 : 0));
  const conditionedRate = rate(condStreamer, EVENTS, condition, rand);
  condStreamer.dispose();

  console.log(
    JSON.stringify({
      bench: 'lstm-generate',
      backend: tf.getBackend(),
      model: { layers: 2, units: UNITS, vocab: VOCAB, batch: 1 },
      eventsPerSecond: Math.round(plainRate.wall),
      msPerEvent: Math.round((1000 / plainRate.wall) * 1000) / 1000,
      eventsPerCpuSecond: Math.round(plainRate.cpu),
      conditionedEventsPerSecond: Math.round(conditionedRate.wall),
      conditionedEventsPerCpuSecond: Math.round(conditionedRate.cpu),
      conditionSize: CONDITION,
      leakCheck: { steps: 1000, tensorsBefore: before, tensorsAfter: after, ok: before === after },
    }),
  );
}

await main();
