// The DCRNN on wasm: one bar through an open session with a new z each bar (p50/p99 over 1,000), and a training step split into generator, critic and penalty; baselines in the same run.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend } from '../src/main/ml/backend';
import { ModelHost } from '../src/main/ml/host/modelHost';
import { Dcrnn } from '../src/main/ml/models/dcrnn/model';
import { gradientPenalty } from '../src/main/ml/train/recipes/wganGp';
import { useColumnsForStridedBackprop } from '../src/main/ml/wasmKernels';
import { defaultPaths } from '../src/main/paths';

const root = fileURLToPath(new URL('..', import.meta.url));
const BARS = Number(process.env.BENCH_BARS ?? 1000);
const BASELINE_BARS = Number(process.env.BENCH_BASELINE_BARS ?? 50);
const STEPS = Number(process.env.BENCH_STEPS ?? 5);
const MODEL = process.env.BENCH_MODEL ?? join(root, 'resources', 'models', 'piano-dcrnn');

const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const round = (x: number): number => Math.round(x * 10) / 10;

async function sessionBars(): Promise<Record<string, unknown>> {
  const host = new ModelHost(defaultPaths());
  await host.call({ op: 'load', dir: MODEL });
  const s = await host.call({ op: 'open', dir: MODEL, params: { seed: 1 } });
  const times: number[] = [];
  for (let i = 0; i < BARS; i++) {
    const z = Object.fromEntries(Array.from({ length: 8 }, (_, k) => [`z${k}`, Math.sin(i * 0.37 + k)]));
    const t = performance.now();
    await host.call({ op: 'control', session: s.id, values: z });
    await host.call({ op: 'step', session: s.id, seconds: 2 });
    times.push(performance.now() - t);
  }
  await host.call({ op: 'close', session: s.id });
  // Baseline: each bar as its own generation call (no session), with its own vector.
  const baseline: number[] = [];
  for (let i = 0; i < BASELINE_BARS; i++) {
    const t = performance.now();
    await host.call({ op: 'generate', dir: MODEL, params: { bars: 1, seed: 100 + i } });
    baseline.push(performance.now() - t);
  }
  await host.dispose();
  return {
    bars: BARS,
    newZEachBar: true,
    p50Ms: round(quantile(times, 0.5)),
    p99Ms: round(quantile(times, 0.99)),
    maxMs: round(Math.max(...times)),
    goalP99Ms: 30,
    baselineOneGenerateCallPerBar: { p50Ms: round(quantile(baseline, 0.5)), p99Ms: round(quantile(baseline, 0.99)) },
  };
}

async function stepSplit(columns: boolean): Promise<Record<string, number>> {
  useColumnsForStridedBackprop(columns);
  const m = new Dcrnn({ generator: 'dcrnn', critic: 'cnn', noiseSize: 32, conditional: true, barsA: 1, repeat: 3, unitsA: 96, stripChannels: 8, stripStride: 4, stripWidth: 12, rnnUnits: 128, criticChannels: [16, 32, 64], initSeed: 1 });
  const B = 32;
  const z = tf.randomNormal([B, 32], 0, 1, 'float32', 1) as tf.Tensor2D;
  const c = tf.fill([B, 12], 1 / 12);
  const real = tf.cast(tf.greater(tf.randomUniform([B, m.steps, 88], 0, 1, 'float32', 2), 0.95), 'float32');
  const eps = Float32Array.from({ length: B }, (_, i) => (i + 0.5) / B);
  const time = (f: () => void): number => {
    f();
    const t = performance.now();
    for (let i = 0; i < STEPS; i++) f();
    return round((performance.now() - t) / STEPS);
  };
  const gv = m.generatorVariables.map((v) => v.variable);
  const cv = m.criticVariables.map((v) => v.variable);
  const fake = tf.tidy(() => m.generate(z, c));
  const out = {
    generatorForwardMs: time(() => tf.tidy(() => m.generate(z, c)).dispose()),
    generatorStepMs: time(() => tf.dispose(Object.values(tf.variableGrads(() => tf.neg(tf.mean(m.score(m.generate(z, c), c))) as tf.Scalar, gv)))),
    criticWassersteinMs: time(() => tf.dispose(Object.values(tf.variableGrads(() => tf.sub(tf.mean(m.score(fake, c)), tf.mean(m.score(real, c))) as tf.Scalar, cv)))),
    criticPenaltyMs: time(() => tf.dispose(Object.values(tf.variableGrads(() => gradientPenalty((x) => m.score(x, c), real, fake, eps), cv)))),
  };
  tf.dispose([z, c, real, fake]);
  m.dispose();
  useColumnsForStridedBackprop(true);
  // A generator step follows 5 critic steps, each a generator forward, the Wasserstein term and the penalty.
  return { ...out, oneGeneratorStepWith5CriticStepsMs: round(out.generatorStepMs + 5 * (out.generatorForwardMs + out.criticWassersteinMs + out.criticPenaltyMs)) };
}

async function main(): Promise<void> {
  const session = await sessionBars();
  await selectBackend('wasm');
  const training = await stepSplit(true);
  const baseline = await stepSplit(false);
  console.log(JSON.stringify({ model: MODEL, session, trainingStep: { batch: 32, shippedSize: training, baselineSpreadAndConvolveDx: baseline } }, null, 2));
  process.exit(0);
}

void main();
