// The GRU's fused path matches tf.layers.gru and the cpu backend in values and gradients; its autodiff path (and the LSTM's) differentiates twice.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installWasmKernelFixes } from '../wasmKernels';
import { createGruLayer, disposeGruLayer, gruSequence, gruSequenceAutodiff, gruStep, type GruLayer } from './gru';
import { createLstmLayer, disposeLstmLayer, lstmSequenceAutodiff } from './lstm';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  installWasmKernelFixes();
});
afterAll(async () => {
  await tf.setBackend('wasm');
});

const B = 3;
const T = 6;
const IN = 5;
const U = 7;

/** Deterministic values in -1..1, the same on every backend (built afresh from arrays, as REFERENCE.md advises). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32) * 2 - 1;
  }
  return out;
}

function maxAbsDiff(a: Float32Array | Int32Array | Uint8Array, b: Float32Array | Int32Array | Uint8Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return a.length === b.length ? m : Infinity;
}

let uid = 0;
/** A GRU with fixed weights (from the same arrays on any backend). */
function fixedGru(seed: number): GruLayer {
  const layer = createGruLayer(`gru-test-${uid++}`, IN, U, seed);
  tf.tidy(() => {
    layer.kernel.assign(tf.tensor2d(values(IN * 3 * U, seed + 1), [IN, 3 * U]));
    layer.recurrentKernel.assign(tf.tensor2d(values(U * 3 * U, seed + 2), [U, 3 * U]));
    layer.bias.assign(tf.tensor1d(values(3 * U, seed + 3)));
  });
  return layer;
}

type Run = typeof gruSequence;

/** The value and gradients (x, kernel, recurrent kernel, bias) of a weighted sum of y and the final state. */
function gradients(layer: GruLayer, run: Run, seed: number): { value: number; grads: Float32Array[] } {
  return tf.tidy(() => {
    const x = tf.tensor3d(values(B * T * IN, seed), [B, T, IN]);
    const h0 = tf.tensor2d(values(B * U, seed + 1), [B, U]);
    const wy = tf.tensor3d(values(B * T * U, seed + 2), [B, T, U]);
    const wh = tf.tensor2d(values(B * U, seed + 3), [B, U]);
    const f = (xx: tf.Tensor, k: tf.Tensor, r: tf.Tensor, b: tf.Tensor): tf.Scalar => {
      const probe: GruLayer = { ...layer, kernel: k as tf.Variable<tf.Rank.R2>, recurrentKernel: r as tf.Variable<tf.Rank.R2>, bias: b as tf.Variable<tf.Rank.R1> };
      const { y, final } = run(probe, xx as tf.Tensor3D, h0);
      return tf.add(tf.sum(tf.mul(y, wy)), tf.sum(tf.mul(final, wh))) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)([x, layer.kernel, layer.recurrentKernel, layer.bias]);
    return { value: value.dataSync()[0]!, grads: grads.map((g) => Float32Array.from(g.dataSync() as Float32Array)) };
  });
}

describe('gruSequence (fused)', () => {
  it('matches tf.layers.gru in outputs and in gradients for x, kernel, recurrent kernel and bias', () => {
    const layer = fixedGru(11);
    const ref = tf.layers.gru({ units: U, returnSequences: true, recurrentActivation: 'sigmoid', inputShape: [T, IN] });
    tf.dispose(ref.apply(tf.zeros([B, T, IN])) as tf.Tensor);
    ref.setWeights([layer.kernel, layer.recurrentKernel, layer.bias]);
    const refVars = ref.trainableWeights.map((w) => w.read() as tf.Variable);
    const x = tf.variable(tf.tensor3d(values(B * T * IN, 5), [B, T, IN]), true, `gru-x-${uid++}`);
    const wy = tf.tensor3d(values(B * T * U, 6), [B, T, U]);
    const zero = tf.zeros([B, U]) as tf.Tensor2D;
    const ours = tf.variableGrads(() => tf.sum(tf.mul(gruSequence(layer, x, zero).y, wy)) as tf.Scalar, [x, layer.kernel, layer.recurrentKernel, layer.bias]);
    const theirs = tf.variableGrads(() => tf.sum(tf.mul(ref.apply(x) as tf.Tensor, wy)) as tf.Scalar, [x, ...refVars]);
    expect(Math.abs(ours.value.dataSync()[0]! - theirs.value.dataSync()[0]!)).toBeLessThan(1e-4);
    const pairs: [string, string][] = [[x.name, x.name], [layer.kernel.name, refVars[0]!.name], [layer.recurrentKernel.name, refVars[1]!.name], [layer.bias.name, refVars[2]!.name]];
    for (const [a, b] of pairs) expect(maxAbsDiff(ours.grads[a]!.dataSync(), theirs.grads[b]!.dataSync()), a).toBeLessThan(1e-4);
    tf.dispose([ours.value, theirs.value, ...Object.values(ours.grads), ...Object.values(theirs.grads), x, wy, zero]);
    ref.dispose();
    disposeGruLayer(layer);
  });

  it('agrees with the autodiff path on the cpu backend from a non-zero state, and frees its tensors', async () => {
    const start = tf.memory().numTensors;
    const layer = fixedGru(21);
    const fast = gradients(layer, gruSequence, 30);
    disposeGruLayer(layer);
    expect(tf.memory().numTensors).toBe(start);
    await tf.setBackend('cpu');
    const cpuLayer = fixedGru(21);
    const slow = gradients(cpuLayer, gruSequenceAutodiff, 30);
    disposeGruLayer(cpuLayer);
    await tf.setBackend('wasm');
    expect(Math.abs(fast.value - slow.value)).toBeLessThan(1e-4);
    fast.grads.forEach((g, i) => expect(maxAbsDiff(g, slow.grads[i]!), `gradient ${i}`).toBeLessThan(1e-4));
  });

  it('steps one input at a time to the same states as the sequence', () => {
    const layer = fixedGru(41);
    tf.tidy(() => {
      const x = tf.tensor3d(values(B * T * IN, 42), [B, T, IN]);
      let h = tf.zeros([B, U]) as tf.Tensor2D;
      const y = gruSequence(layer, x, h).y;
      for (let t = 0; t < T; t++) h = gruStep(layer, tf.reshape(tf.slice(x, [0, t, 0], [B, 1, IN]), [B, IN]) as tf.Tensor2D, h);
      const last = tf.reshape(tf.slice(y, [0, T - 1, 0], [B, 1, U]), [B, U]);
      expect(maxAbsDiff(h.dataSync(), last.dataSync())).toBeLessThan(1e-5);
    });
    disposeGruLayer(layer);
  });
});

/**
 * The gradient penalty of a recurrent critic, as WGAN-GP needs it: d/dθ of (|| d critic(x) / dx || - 1)^2, a
 * gradient of a gradient. Returns the penalty and its gradient for the recurrent kernel.
 */
function penaltyGradient(makeCritic: () => { run: (x: tf.Tensor3D) => tf.Tensor; recurrent: tf.Variable; dispose: () => void }, seed: number): { penalty: number; grad: Float32Array } {
  const critic = makeCritic();
  const out = tf.tidy(() => {
    const x = tf.tensor3d(values(B * T * IN, seed), [B, T, IN]);
    const { value, grads } = tf.variableGrads(() => {
      const dx = tf.grad((xx: tf.Tensor) => tf.sum(critic.run(xx as tf.Tensor3D)))(x);
      const norms = tf.sqrt(tf.add(tf.sum(tf.square(dx), [1, 2]), 1e-12));
      return tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar;
    }, [critic.recurrent]);
    return { penalty: value.dataSync()[0]!, grad: Float32Array.from(grads[critic.recurrent.name]!.dataSync() as Float32Array) };
  });
  critic.dispose();
  return out;
}

describe('second-order gradients through the autodiff paths', () => {
  const gruCritic = (seed: number) => () => {
    const layer = fixedGru(seed);
    const w = tf.tensor2d(values(U, seed + 9), [U, 1]);
    return {
      run: (x: tf.Tensor3D) => tf.matMul(gruSequenceAutodiff(layer, x, tf.zeros([B, U]) as tf.Tensor2D).final, w),
      recurrent: layer.recurrentKernel,
      dispose: () => {
        disposeGruLayer(layer);
        w.dispose();
      },
    };
  };
  const lstmCritic = (seed: number) => () => {
    const layer = createLstmLayer(`lstm-gp-${uid++}`, IN, U, seed);
    tf.tidy(() => {
      layer.kernel.assign(tf.tensor2d(values(IN * 4 * U, seed + 1), [IN, 4 * U]));
      layer.recurrentKernel.assign(tf.tensor2d(values(U * 4 * U, seed + 2), [U, 4 * U]));
    });
    const w = tf.tensor2d(values(U, seed + 9), [U, 1]);
    return {
      run: (x: tf.Tensor3D) => tf.matMul(lstmSequenceAutodiff(layer, x, { h: tf.zeros([B, U]) as tf.Tensor2D, c: tf.zeros([B, U]) as tf.Tensor2D }).final.h, w),
      recurrent: layer.recurrentKernel,
      dispose: () => {
        disposeLstmLayer(layer);
        w.dispose();
      },
    };
  };

  it.each([
    ['GRU', gruCritic(51)],
    ['LSTM', lstmCritic(61)],
  ])('%s: the gradient penalty and its gradient on wasm equal the cpu backend\'s and a numerical gradient', async (_name, make) => {
    const wasm = penaltyGradient(make, 70);
    await tf.setBackend('cpu');
    const cpu = penaltyGradient(make, 70);
    // A central difference in one recurrent weight, on cpu in float32: a loose but independent check.
    const numeric = (() => {
      const eps = 1e-2;
      const at = (delta: number): number => {
        const shifted = () => {
          const c = make();
          tf.tidy(() => {
            const v = c.recurrent.dataSync() as Float32Array;
            const copy = Float32Array.from(v);
            copy[3] = copy[3]! + delta;
            c.recurrent.assign(tf.tensor(copy, c.recurrent.shape));
          });
          return c;
        };
        return penaltyGradient(shifted, 70).penalty;
      };
      return (at(eps) - at(-eps)) / (2 * eps);
    })();
    await tf.setBackend('wasm');
    expect(wasm.penalty).toBeGreaterThan(0);
    expect(Math.abs(wasm.penalty - cpu.penalty)).toBeLessThan(1e-4);
    expect(maxAbsDiff(wasm.grad, cpu.grad)).toBeLessThan(1e-4);
    expect(Math.abs(numeric)).toBeGreaterThan(1e-3);
    expect(Math.abs(cpu.grad[3]! - numeric), `${cpu.grad[3]} vs ${numeric}`).toBeLessThan(1e-3 + 0.02 * Math.abs(numeric));
  });
});
