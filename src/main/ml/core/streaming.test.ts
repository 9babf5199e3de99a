// Checks the batch-1 streamer against lstmStep + a dense layer on the wasm backend, and that it does not leak.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { installWasmKernelFixes } from '../wasmKernels';
import { createLstmLayer, disposeLstmLayer, lstmStep, zeroState, type LstmState } from './lstm';
import { LstmStreamer } from './streaming';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  installWasmKernelFixes();
});

const VOCAB = 11;
const COND = 3;
const U1 = 8;
const U2 = 5;

describe('LstmStreamer', () => {
  it('gives the same logits as stepping the layers with one-hot input and a dense output', () => {
    const l1 = createLstmLayer('s1a', VOCAB + COND, U1, 1);
    const l2 = createLstmLayer('s1b', U1, U2, 2);
    const output = { kernel: tf.randomNormal([U2, VOCAB], 0, 1, 'float32', 3) as tf.Tensor2D, bias: tf.randomNormal([VOCAB], 0, 1, 'float32', 4) as tf.Tensor1D };
    const streamer = new LstmStreamer([l1, l2], output, { vocabSize: VOCAB, conditionSize: COND });
    const tokens = [3, 0, 10, 7, 7, 1];
    for (let pass = 0; pass < 2; pass++) {
      streamer.reset();
      let s1: LstmState = zeroState(1, U1);
      let s2: LstmState = zeroState(1, U2);
      tokens.forEach((token, t) => {
        const condition = new Float32Array([t / 10, 1 - t / 10, pass]);
        const ours = streamer.step(token, condition);
        const expected = tf.tidy(() => {
          const x = tf.concat([tf.oneHot([token], VOCAB).toFloat(), tf.tensor2d(condition, [1, COND])], 1) as tf.Tensor2D;
          // The states outlive this tidy: the next step reads them.
          s1 = lstmStep(l1, x, s1);
          s2 = lstmStep(l2, s1.h, s2);
          tf.keep(s1.h);
          tf.keep(s1.c);
          tf.keep(s2.h);
          tf.keep(s2.c);
          return tf.add(tf.matMul(s2.h, output.kernel), output.bias).dataSync() as Float32Array;
        });
        for (let j = 0; j < VOCAB; j++) expect(Math.abs(ours[j]! - expected[j]!)).toBeLessThan(1e-4);
      });
    }
    streamer.dispose();
    disposeLstmLayer(l1);
    disposeLstmLayer(l2);
  });

  it('rejects tokens outside the vocabulary and conditions of the wrong length', () => {
    const l1 = createLstmLayer('s2', VOCAB, U1, 5);
    const output = { kernel: tf.zeros([U1, VOCAB]) as tf.Tensor2D, bias: tf.zeros([VOCAB]) as tf.Tensor1D };
    const streamer = new LstmStreamer([l1], output, { vocabSize: VOCAB });
    expect(() => streamer.step(VOCAB)).toThrow(/token 11 is outside the vocabulary/);
    expect(() => streamer.step(0, new Float32Array(2))).toThrow(/condition has length 2, expected 0/);
    expect(() => new LstmStreamer([l1], output, { vocabSize: VOCAB, conditionSize: 2 })).toThrow(/expected vocabSize \+ conditionSize/);
    streamer.dispose();
    disposeLstmLayer(l1);
  });

  it('keeps the tensor count unchanged over 1,000 steps', () => {
    const l1 = createLstmLayer('s3a', VOCAB, 16, 6);
    const l2 = createLstmLayer('s3b', 16, 16, 7);
    const output = { kernel: tf.randomNormal([16, VOCAB], 0, 1, 'float32', 8) as tf.Tensor2D, bias: tf.zeros([VOCAB]) as tf.Tensor1D };
    const streamer = new LstmStreamer([l1, l2], output, { vocabSize: VOCAB });
    const before = tf.memory().numTensors;
    let token = 0;
    for (let i = 0; i < 1000; i++) {
      const logits = streamer.step(token);
      token = logits.indexOf(Math.max(...logits));
    }
    expect(tf.memory().numTensors).toBe(before);
    streamer.dispose();
    disposeLstmLayer(l1);
    disposeLstmLayer(l2);
  });
});
