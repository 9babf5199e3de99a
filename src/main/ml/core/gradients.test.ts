// Second derivatives through tanh, sigmoid and exp equal their closed forms once the gradient fixes are installed (tfjs alone gets them wrong).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installGradientFixes } from './gradients';

beforeAll(async () => {
  await tf.setBackend('cpu');
  installGradientFixes();
});

const xs = [-1.5, -0.3, 0, 0.4, 2];

describe('second-order gradients', () => {
  it.each([
    ['tanh', (x: tf.Tensor) => tf.tanh(x), (x: number) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)],
    ['sigmoid', (x: tf.Tensor) => tf.sigmoid(x), (x: number) => { const s = 1 / (1 + Math.exp(-x)); return s * (1 - s) * (1 - 2 * s); }],
    ['exp', (x: tf.Tensor) => tf.exp(x), (x: number) => Math.exp(x)],
  ] as const)('%s', (_name, f, second) => {
    const d2 = tf.tidy(() => Array.from(tf.grad(tf.grad((x: tf.Tensor) => tf.sum(f(x))))(tf.tensor1d(xs)).dataSync()));
    d2.forEach((v, i) => expect(v, `at ${xs[i]}`).toBeCloseTo(second(xs[i]!), 4));
  });

  it('leaves first derivatives as they were', () => {
    const d1 = tf.tidy(() => Array.from(tf.grad((x: tf.Tensor) => tf.sum(tf.tanh(x)))(tf.tensor1d(xs)).dataSync()));
    d1.forEach((v, i) => expect(v).toBeCloseTo(1 - Math.tanh(xs[i]!) ** 2, 5));
  });
});
