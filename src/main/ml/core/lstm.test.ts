// Checks the LSTM's outputs and gradients against tf.layers.lstm on the wasm backend, and that nothing leaks.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { installWasmKernelFixes } from '../wasmKernels';
import { createLstmLayer, disposeLstmLayer, lstmSequence, lstmSequenceAutodiff, lstmSequenceProjected, lstmStep, projectTokens, zeroState, type LstmLayer } from './lstm';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  installWasmKernelFixes();
});

const B = 3;
const T = 5;
const IN = 4;
const U = 6;

function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** tf.layers' LSTM with our weights, the forget bias and sigmoid gates matching ours. */
function referenceLayer(layer: LstmLayer): tf.layers.Layer {
  const ref = tf.layers.lstm({ units: U, returnSequences: true, returnState: true, recurrentActivation: 'sigmoid', inputShape: [T, IN] });
  // apply, not build: build alone leaves the layer unbuilt and the next apply adds the weights twice.
  tf.dispose(ref.apply(tf.zeros([B, T, IN])) as tf.Tensor[]);
  ref.setWeights([layer.kernel, layer.recurrentKernel, layer.bias]);
  return ref;
}

describe('lstmSequence', () => {
  it('matches tf.layers.lstm in outputs and in gradients for x, kernel, recurrent kernel and bias', () => {
    const layer = createLstmLayer('t1', IN, U, 7);
    const ref = referenceLayer(layer);
    const x = tf.variable(randomTensor([B, T, IN], 1) as tf.Tensor3D, true, 'lstm-test-x');
    const wy = randomTensor([B, T, U], 2);
    const wc = randomTensor([B, U], 3);
    const init = { h: tf.zeros([B, U]) as tf.Tensor2D, c: tf.zeros([B, U]) as tf.Tensor2D };

    const ours = tf.variableGrads(() => {
      const { y, final } = lstmSequence(layer, x, init);
      return tf.add(tf.sum(tf.mul(y, wy)), tf.sum(tf.mul(final.c, wc))) as tf.Scalar;
    }, [x, layer.kernel, layer.recurrentKernel, layer.bias]);
    const refVars = ref.trainableWeights.map((w) => w.read() as tf.Variable);
    const theirs = tf.variableGrads(() => {
      const [y, , c] = ref.apply(x) as tf.Tensor[];
      return tf.add(tf.sum(tf.mul(y!, wy)), tf.sum(tf.mul(c!, wc))) as tf.Scalar;
    }, [x, ...refVars]);

    expect(Math.abs(ours.value.dataSync()[0]! - theirs.value.dataSync()[0]!)).toBeLessThan(1e-4);
    expect(maxAbsDiff(ours.grads[x.name]!, theirs.grads[x.name]!)).toBeLessThan(1e-4);
    expect(maxAbsDiff(ours.grads[layer.kernel.name]!, theirs.grads[refVars[0]!.name]!)).toBeLessThan(1e-4);
    expect(maxAbsDiff(ours.grads[layer.recurrentKernel.name]!, theirs.grads[refVars[1]!.name]!)).toBeLessThan(1e-4);
    expect(maxAbsDiff(ours.grads[layer.bias.name]!, theirs.grads[refVars[2]!.name]!)).toBeLessThan(1e-4);

    tf.dispose([ours.value, theirs.value, ...Object.values(ours.grads), ...Object.values(theirs.grads), x, wy, wc, init.h, init.c]);
    ref.dispose();
    disposeLstmLayer(layer);
  });

  it('has the same value and gradients as the autodiff version, through y, final.h and final.c, from a non-zero state', () => {
    const layer = createLstmLayer('t7', IN, U, 29);
    const x = tf.variable(randomTensor([B, T, IN], 9) as tf.Tensor3D, true, 'lstm-test-x7');
    const init = { h: randomTensor([B, U], 10) as tf.Tensor2D, c: randomTensor([B, U], 11) as tf.Tensor2D };
    const [wy, wh, wc] = [randomTensor([B, T, U], 12), randomTensor([B, U], 13), randomTensor([B, U], 14)];
    const run = (f: typeof lstmSequence) =>
      tf.variableGrads(() => {
        const { y, final } = f(layer, x, init);
        return tf.addN([tf.sum(tf.mul(y, wy)), tf.sum(tf.mul(final.h, wh)), tf.sum(tf.mul(final.c, wc))]) as tf.Scalar;
      }, [x, layer.kernel, layer.recurrentKernel, layer.bias]);
    const fast = run(lstmSequence);
    const slow = run(lstmSequenceAutodiff);
    expect(Math.abs(fast.value.dataSync()[0]! - slow.value.dataSync()[0]!)).toBeLessThan(1e-4);
    for (const name of Object.keys(slow.grads)) expect(maxAbsDiff(fast.grads[name]!, slow.grads[name]!), name).toBeLessThan(1e-4);
    disposeLstmLayer(layer);
  });

  it('continues from a non-zero initial state exactly like running the whole sequence at once', () => {
    const layer = createLstmLayer('t2', IN, U, 11);
    const x = randomTensor([B, 2 * T, IN], 4) as tf.Tensor3D;
    const whole = lstmSequence(layer, x, zeroState(B, U));
    const first = lstmSequence(layer, tf.slice(x, [0, 0, 0], [B, T, IN]), zeroState(B, U));
    const second = lstmSequence(layer, tf.slice(x, [0, T, 0], [B, T, IN]), first.final);
    expect(maxAbsDiff(tf.slice(whole.y, [0, T, 0], [B, T, U]), second.y)).toBeLessThan(1e-5);
    expect(maxAbsDiff(whole.final.c, second.final.c)).toBeLessThan(1e-5);
    expect(maxAbsDiff(whole.final.h, second.final.h)).toBeLessThan(1e-5);
    disposeLstmLayer(layer);
  });

  it('lstmStep repeated over time equals lstmSequence', () => {
    const layer = createLstmLayer('t3', IN, U, 13);
    const x = randomTensor([B, T, IN], 5) as tf.Tensor3D;
    const seq = lstmSequence(layer, x, zeroState(B, U));
    let state = zeroState(B, U);
    for (let t = 0; t < T; t++) state = lstmStep(layer, tf.reshape(tf.slice(x, [0, t, 0], [B, 1, IN]), [B, IN]), state);
    expect(maxAbsDiff(seq.final.h, state.h)).toBeLessThan(1e-5);
    expect(maxAbsDiff(seq.final.c, state.c)).toBeLessThan(1e-5);
    disposeLstmLayer(layer);
  });

  it('lstmSequenceProjected gives the same gradient for the projected input as lstmSequence for its bias', () => {
    const layer = createLstmLayer('t4', IN, U, 17);
    const x = randomTensor([B, T, IN], 6) as tf.Tensor3D;
    const wy = randomTensor([B, T, U], 7);
    const xProj = tf.add(tf.matMul(tf.reshape(x, [B * T, IN]), layer.kernel), layer.bias).reshape([B, T, 4 * U]) as tf.Tensor3D;
    const gProj = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(lstmSequenceProjected(layer, p as tf.Tensor3D, zeroState(B, U)).y, wy)))(xProj);
    const gBias = tf.variableGrads(() => tf.sum(tf.mul(lstmSequence(layer, x, zeroState(B, U)).y, wy)) as tf.Scalar, [layer.bias]);
    expect(maxAbsDiff(tf.sum(gProj, [0, 1]), gBias.grads[layer.bias.name]!)).toBeLessThan(1e-4);
    disposeLstmLayer(layer);
  });

  it('projectTokens equals a one-hot input times the kernel, in value and in the kernel, bias and condition gradients', () => {
    const vocab = 7;
    const cond = IN;
    const layer = createLstmLayer('t8', vocab + cond, U, 31);
    const tokens = tf.tensor2d([0, 6, 3, 3, 1, 2, 5, 0, 6, 4, 1, 1, 2, 3, 0], [B, T], 'int32');
    const condition = tf.variable(randomTensor([B, T, cond], 15) as tf.Tensor3D, true, 'lstm-test-cond');
    const w = randomTensor([B, T, 4 * U], 16);
    const viaLookup = tf.variableGrads(() => tf.sum(tf.mul(projectTokens(layer, tokens, vocab, condition), w)) as tf.Scalar, [layer.kernel, layer.bias, condition]);
    const viaMatMul = tf.variableGrads(() => {
      const x = tf.concat([tf.oneHot(tokens, vocab).toFloat(), condition], 2);
      const proj = tf.add(tf.reshape(tf.matMul(tf.reshape(x, [B * T, vocab + cond]), layer.kernel), [B, T, 4 * U]), layer.bias);
      return tf.sum(tf.mul(proj, w)) as tf.Scalar;
    }, [layer.kernel, layer.bias, condition]);
    expect(Math.abs(viaLookup.value.dataSync()[0]! - viaMatMul.value.dataSync()[0]!)).toBeLessThan(1e-3);
    for (const name of Object.keys(viaMatMul.grads)) expect(maxAbsDiff(viaLookup.grads[name]!, viaMatMul.grads[name]!), name).toBeLessThan(1e-4);
    expect(() => projectTokens(layer, tokens, vocab)).toThrow(/condition shape/);
    expect(() => projectTokens(layer, tf.cast(tokens, 'float32') as tf.Tensor2D, vocab, condition)).toThrow(/int32 tokens/);
    disposeLstmLayer(layer);
    condition.dispose();
  });

  it('leaves no tensors behind after forward and backward passes', () => {
    const layer = createLstmLayer('t5', IN, U, 19);
    const x = randomTensor([B, T, IN], 8) as tf.Tensor3D;
    const init = zeroState(B, U);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const { value, grads } = tf.variableGrads(() => {
        const { y, final } = lstmSequence(layer, x, init);
        const loss = tf.add(tf.sum(y), tf.sum(final.c)) as tf.Scalar;
        return loss;
      });
      tf.dispose([value, ...Object.values(grads)]);
      const out = lstmSequence(layer, x, init);
      tf.dispose([out.y, out.final.h, out.final.c]);
    }
    expect(tf.memory().numTensors).toBe(before);
    disposeLstmLayer(layer);
  });

  it('creates deterministic weights with the forget bias at 1 and an orthogonal recurrent kernel', () => {
    const a = createLstmLayer('t6a', IN, U, 23);
    const b = createLstmLayer('t6b', IN, U, 23);
    expect(Array.from(a.kernel.dataSync())).toEqual(Array.from(b.kernel.dataSync()));
    expect(Array.from(a.bias.dataSync())).toEqual([...Array(U).fill(0), ...Array(U).fill(1), ...Array(2 * U).fill(0)]);
    const gram = tf.matMul(a.recurrentKernel, a.recurrentKernel, false, true);
    expect(maxAbsDiff(gram, tf.eye(U))).toBeLessThan(1e-5);
    disposeLstmLayer(a);
    disposeLstmLayer(b);
  });
});
