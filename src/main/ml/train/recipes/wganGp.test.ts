// WGAN-GP on a toy problem: a ring of 8 Gaussians whose modes the samples come to cover; the penalty against a numerical gradient; conv critics on wasm.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/init';
import { installWasmKernelFixes } from '../../wasmKernels';
import type { NamedVariable } from '../adam';
import { train, type TrainProgress } from '../loop';
import { Rng } from '../rng';
import { DEFAULT_WGAN_GP, gradientPenalty, noiseFrom, wganGpRecipe, type WganGpTask } from './wganGp';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  installWasmKernelFixes();
});

const MODES = Array.from({ length: 8 }, (_, k) => [2 * Math.cos((2 * Math.PI * k) / 8), 2 * Math.sin((2 * Math.PI * k) / 8)] as const);
let uid = 0;

function dense(name: string, inputs: number, outputs: number, seed: number): { w: tf.Variable; b: tf.Variable; vars: NamedVariable[] } {
  const rand = seededRandom(seed);
  const limit = Math.sqrt(6 / (inputs + outputs));
  const w = tf.variable(tf.tensor2d(Float32Array.from({ length: inputs * outputs }, () => (rand() * 2 - 1) * limit), [inputs, outputs]), true, `${name}-w-${uid++}`);
  const b = tf.variable(tf.zeros([outputs]), true, `${name}-b-${uid++}`);
  return { w, b, vars: [{ name: `${name}/w`, variable: w }, { name: `${name}/b`, variable: b }] };
}

function mlp(name: string, sizes: number[], seed: number, activation: (y: tf.Tensor) => tf.Tensor = (y) => tf.leakyRelu(y, 0.2)) {
  const layers = sizes.slice(1).map((n, i) => dense(`${name}${i}`, sizes[i]!, n, seed + i));
  return {
    variables: layers.flatMap((l) => l.vars),
    apply: (x: tf.Tensor): tf.Tensor =>
      layers.reduce<tf.Tensor>((h, l, i) => {
        const y = tf.add(tf.matMul(h as tf.Tensor2D, l.w as tf.Tensor2D), l.b);
        return i < layers.length - 1 ? activation(y) : y;
      }, x),
    dispose: () => tf.dispose(layers.flatMap((l) => [l.w, l.b])),
  };
}

/** Per mode, the share of samples within 0.5 of it; and the share of samples near any mode. */
function coverage(samples: Float32Array): { perMode: number[]; near: number } {
  const perMode = new Array<number>(8).fill(0);
  let near = 0;
  const n = samples.length / 2;
  for (let i = 0; i < n; i++) {
    const [x, y] = [samples[2 * i]!, samples[2 * i + 1]!];
    const k = MODES.findIndex(([mx, my]) => Math.hypot(x - mx, y - my) < 0.5);
    if (k >= 0) {
      perMode[k]! += 1 / n;
      near += 1 / n;
    }
  }
  return { perMode, near };
}

describe('WGAN-GP recipe', () => {
  it('learns a ring of 8 Gaussians: the samples come to cover the modes', async () => {
    const generator = mlp('g', [4, 64, 64, 2], 10);
    const critic = mlp('d', [2, 64, 64, 1], 20);
    const task: WganGpTask = {
      generator: { variables: generator.variables, generate: (z) => generator.apply(z) },
      critic: { variables: critic.variables, score: (x) => critic.apply(x) },
      noiseSize: 4,
      real(rng, batch) {
        const v = new Float32Array(batch * 2);
        for (let i = 0; i < batch; i++) {
          const [mx, my] = MODES[rng.int(8)]!;
          v[2 * i] = mx + 0.05 * rng.normal();
          v[2 * i + 1] = my + 0.05 * rng.normal();
        }
        return { x: tf.tensor2d(v, [batch, 2]) };
      },
      config: () => ({ kind: 'ring' }),
    };
    const sample = (): Float32Array => tf.tidy(() => generator.apply(noiseFrom(new Rng(123), 2000, 4)).dataSync() as Float32Array);
    const before = coverage(sample());
    const start = tf.memory().numTensors;
    const events: TrainProgress[] = [];
    await train(
      wganGpRecipe(task, { ...DEFAULT_WGAN_GP, steps: 1000, batchSize: 64, generatorLearningRate: 2e-3, criticLearningRate: 2e-3 }),
      { validEvery: 1000, checkpointEvery: 1000, seed: 5, onProgress: (p) => events.push(p) },
    );
    expect(tf.memory().numTensors).toBe(start);
    const after = coverage(sample());
    // Untrained, the samples sit in a blob at the centre: no mode is reached.
    expect(before.perMode.filter((s) => s > 0.02).length).toBeLessThanOrEqual(1);
    expect(after.perMode.filter((s) => s > 0.02).length, after.perMode.map((s) => s.toFixed(2)).join(' ')).toBeGreaterThanOrEqual(7);
    expect(after.near).toBeGreaterThan(0.5);
    const last = events.at(-1)!;
    expect(Object.keys(last.metrics).sort()).toEqual(['critic', 'generator', 'penalty', 'wasserstein']);
    expect(last.learningRates).toEqual({ critic: 2e-3, generator: 2e-3 });
    // The penalty keeps the critic near 1-Lipschitz.
    expect(last.smoothed.penalty!).toBeLessThan(0.5);
    generator.dispose();
    critic.dispose();
  }, 120_000);

  it('computes the gradient penalty whose gradient matches a numerical one', async () => {
    await tf.setBackend('cpu');
    try {
      // Smooth units: finite differences across a leaky ReLU's kink would not be a fair reference.
      const critic = mlp('gp', [3, 5, 1], 30, tf.tanh);
      const rng = new Rng(4);
      const real = noiseFrom(rng, 6, 3);
      const fake = noiseFrom(rng, 6, 3);
      const epsilon = Float32Array.from({ length: 6 }, () => rng.next());
      const vars = critic.variables.map((v) => v.variable);
      const penalty = () => gradientPenalty((x) => tf.tanh(critic.apply(x)), real, fake, epsilon);
      const { value, grads } = tf.variableGrads(penalty, vars);
      expect(value.dataSync()[0]).toBeGreaterThan(0);
      // Central differences on a few weights of each layer.
      for (const v of vars) {
        const g = grads[v.name]!.dataSync();
        for (const i of [0, Math.floor(v.size / 2), v.size - 1]) {
          const base = Float32Array.from(v.dataSync() as Float32Array);
          const at = (d: number): number => {
            const shifted = Float32Array.from(base);
            shifted[i] = shifted[i]! + d;
            v.assign(tf.tensor(shifted, v.shape));
            return tf.tidy(() => penalty().dataSync()[0]!);
          };
          const h = 1e-2;
          const numeric = (at(h) - at(-h)) / (2 * h);
          v.assign(tf.tensor(base, v.shape));
          expect(Math.abs(g[i]! - numeric), `${v.name}[${i}]: ${g[i]} vs ${numeric}`).toBeLessThan(2e-3 + 0.02 * Math.abs(numeric));
        }
      }
      tf.dispose([value, ...Object.values(grads), real, fake]);
      critic.dispose();
    } finally {
      await tf.setBackend('wasm');
    }
  });

  it('computes the penalty of a two-layer strided conv critic whose gradient matches a numerical one', async () => {
    await tf.setBackend('cpu');
    try {
      const rand = seededRandom(5);
      const k1 = tf.variable(tf.tensor4d(Float32Array.from({ length: 3 * 12 * 2 }, () => rand() - 0.5), [3, 12, 1, 2]), true, `gpconv-${uid++}`);
      const k2 = tf.variable(tf.tensor4d(Float32Array.from({ length: 3 * 8 * 2 * 2 }, () => rand() - 0.5), [3, 8, 2, 2]), true, `gpconv-${uid++}`);
      const score = (x: tf.Tensor) => tf.sum(tf.reshape(tf.tanh(tf.conv2d(tf.tanh(tf.add(tf.conv2d(x as tf.Tensor4D, k1 as tf.Tensor4D, 2, 'same'), 0.3)), k2 as tf.Tensor4D, 2, 'same')), [2, -1]), 1);
      const rng = new Rng(8);
      const real = tf.reshape(noiseFrom(rng, 2, 16 * 44), [2, 16, 44, 1]);
      const fake = tf.reshape(noiseFrom(rng, 2, 16 * 44), [2, 16, 44, 1]);
      const penalty = () => gradientPenalty(score, real, fake, Float32Array.of(0.3, 0.6));
      for (const v of [k1, k2]) {
        const { grads } = tf.variableGrads(penalty, [v]);
        const g = grads[v.name]!.dataSync();
        const base = Float32Array.from(v.dataSync() as Float32Array);
        for (const i of [0, Math.floor(base.length / 2), base.length - 1]) {
          const at = (d: number) => {
            const shifted = Float32Array.from(base);
            shifted[i] = shifted[i]! + d;
            v.assign(tf.tensor(shifted, v.shape));
            return tf.tidy(() => penalty().dataSync()[0]!);
          };
          const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
          v.assign(tf.tensor(base, v.shape));
          expect(Math.abs(g[i]! - numeric), `${g[i]} vs ${numeric}`).toBeLessThan(0.03 * Math.max(1, Math.abs(numeric)));
        }
        tf.dispose(Object.values(grads));
      }
      tf.dispose([k1, k2, real, fake]);
    } finally {
      await tf.setBackend('wasm');
    }
  });

  it('takes a strided conv critic and a conv2dTranspose generator on wasm, with the cpu backend\'s penalty gradient', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const rand = seededRandom(77);
      const filter = (shape: number[]) => tf.variable(tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rand() * 0.4 - 0.2), shape), true, `conv-${uid++}`);
      const f1 = filter([3, 3, 1, 4]);
      const f2 = filter([3, 3, 4, 4]);
      const head = filter([4 * 2 * 11, 1]);
      const up = filter([1, 12, 1, 2]);
      const score = (x: tf.Tensor): tf.Tensor => {
        const h1 = tf.leakyRelu(tf.conv2d(x as tf.Tensor4D, f1 as tf.Tensor4D, 2, 'same'), 0.2);
        const h2 = tf.leakyRelu(tf.conv2d(h1, f2 as tf.Tensor4D, 2, 'same'), 0.2);
        return tf.matMul(tf.reshape(h2, [x.shape[0]!, -1]), head as tf.Tensor2D);
      };
      const rng = new Rng(9);
      // A "strip" transposed conv over pitch (1 x 12 keys, stride 2), as the DCRNN's generator has.
      const fake = tf.conv2dTranspose(tf.reshape(noiseFrom(rng, 2, 8 * 22 * 2), [2, 8, 22, 2]) as tf.Tensor4D, up as tf.Tensor4D, [2, 8, 44, 1], [1, 2], 'same');
      const real = tf.reshape(noiseFrom(rng, 2, 8 * 44), [2, 8, 44, 1]);
      const { value, grads } = tf.variableGrads(() => gradientPenalty(score, real, fake, Float32Array.of(0.3, 0.7)), [f1, f2, head]);
      const out = { value: value.dataSync()[0]!, grads: [f1, f2, head].map((v) => Array.from(grads[v.name]!.dataSync())) };
      tf.dispose([value, ...Object.values(grads), f1, f2, head, up, fake, real]);
      return out;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(Math.abs(wasm.value - cpu.value)).toBeLessThan(1e-4 * Math.max(1, cpu.value));
    cpu.grads.forEach((g, k) => {
      const worst = g.reduce((m, x, i) => Math.max(m, Math.abs(x - wasm.grads[k]![i]!) / Math.max(1, Math.abs(x))), 0);
      expect(worst, `gradient ${k}`).toBeLessThan(1e-3);
    });
  });
});
