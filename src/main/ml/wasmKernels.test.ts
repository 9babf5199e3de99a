// Checks every patched wasm kernel against the cpu backend on random inputs, forward and gradients.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from './core/init';
import { installWasmKernelFixes } from './wasmKernels';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  installWasmKernelFixes();
});

interface Input {
  shape: number[];
  values: Float32Array;
}

let seed = 1;
function input(...shape: number[]): Input {
  const rand = seededRandom(seed++);
  return { shape, values: Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rand() * 2 - 1) };
}

/** The value of f and its gradients for all inputs (with a random upstream gradient), as plain arrays. */
async function evaluate(backend: string, f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Input[], gradsFor: number[]): Promise<number[][]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
    const y = f(...xs);
    const rand = seededRandom(999);
    const dy = tf.tensor(Float32Array.from({ length: y.size }, () => rand() * 2 - 1), y.shape);
    const wrt = gradsFor.map((k) => xs[k]!);
    const grads = tf.grads((...args: tf.Tensor[]) => f(...xs.map((x, k) => (gradsFor.includes(k) ? args[gradsFor.indexOf(k)]! : x))))(wrt, dy);
    return [y, ...grads].map((t) => Array.from(t.dataSync()));
  });
}

/** gradsFor: the inputs to differentiate (all by default; tfjs' own matMul gradient cannot broadcast batches). */
async function expectSameOnWasmAsCpu(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Input[], gradsFor = inputs.map((_, k) => k)): Promise<void> {
  const cpu = await evaluate('cpu', f, inputs, gradsFor);
  const wasm = await evaluate('wasm', f, inputs, gradsFor);
  expect(wasm.length).toBe(cpu.length);
  cpu.forEach((expected, k) => {
    const actual = wasm[k]!;
    expect(actual.length).toBe(expected.length);
    let worst = 0;
    expected.forEach((e, i) => (worst = Math.max(worst, Math.abs(e - actual[i]!) / Math.max(1, Math.abs(e)))));
    expect(worst, `output ${k} (0 = value, then the gradients)`).toBeLessThan(1e-4);
  });
}

describe('BatchMatMul and _FusedMatMul on wasm', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('2-D x 2-D with transposeA=%s transposeB=%s', async (ta, tb) => {
    await expectSameOnWasmAsCpu((a, b) => tf.matMul(a!, b!, ta, tb), [input(...(ta ? [7, 5] : [5, 7])), input(...(tb ? [3, 7] : [7, 3]))]);
  });

  it('3-D x 2-D folds into one product, with and without transposes', async () => {
    await expectSameOnWasmAsCpu((a, b) => tf.matMul(a!, b!), [input(4, 5, 6), input(6, 3)], [0]);
    await expectSameOnWasmAsCpu((a, b) => tf.matMul(a!, b!, true, true), [input(4, 6, 5), input(3, 6)], [0]);
    await expectSameOnWasmAsCpu((a, b) => tf.matMul(a!, b!, true, false), [input(1, 6, 5), input(6, 3)], [0]);
  });

  it('batched 3-D x 3-D and broadcast batches', async () => {
    await expectSameOnWasmAsCpu((a, b) => tf.matMul(a!, b!, false, true), [input(2, 3, 4, 5), input(2, 3, 6, 5)]);
    await expectSameOnWasmAsCpu((a, b) => tf.matMul(a!, b!), [input(1, 4, 5), input(3, 5, 2)], [1]);
  });

  it('fused with bias and an activation, 2-D and 3-D', async () => {
    await expectSameOnWasmAsCpu((a, b, bias) => tf.fused.matMul({ a: a!, b: b!, bias: bias!, activation: 'relu', transposeB: true }), [
      input(6, 5),
      input(4, 5),
      input(4),
    ]);
    await expectSameOnWasmAsCpu((a, b, bias) => tf.fused.matMul({ a: a!, b: b!, bias: bias!, transposeA: true }), [input(3, 5, 6), input(3, 5, 4), input(4)]);
    await expectSameOnWasmAsCpu((a, b, bias) => tf.fused.matMul({ a: a!, b: b!, bias: bias!, activation: 'elu' }), [input(3, 6, 5), input(5, 4), input(4)], [0, 2]);
    await expectSameOnWasmAsCpu(
      (a, b, bias) => tf.fused.matMul({ a: a!, b: b!, bias: bias!, activation: 'leakyrelu', leakyreluAlpha: 0.3, transposeB: true }),
      [input(2, 3, 5), input(2, 4, 5), input(4)],
    );
  });
});

describe('Slice on wasm', () => {
  it('takes contiguous, strided and rank-1..5 slices', async () => {
    await expectSameOnWasmAsCpu((x) => tf.slice(x!, [3], [4]), [input(10)]);
    await expectSameOnWasmAsCpu((x) => tf.slice(x!, [1, 2], [3, 4]), [input(5, 7)]);
    await expectSameOnWasmAsCpu((x) => tf.slice(x!, [2, 0], [2, 7]), [input(5, 7)]);
    await expectSameOnWasmAsCpu((x) => tf.slice(x!, [0, 2, 0], [4, 1, 6]), [input(4, 5, 6)]);
    await expectSameOnWasmAsCpu((x) => tf.slice(x!, [1, 0, 2, 1], [2, 3, 2, 2]), [input(3, 3, 4, 3)]);
    await expectSameOnWasmAsCpu((x) => tf.slice(x!, [0, 1, 0, 1, 0], [2, 2, 3, 1, 2]), [input(2, 3, 3, 2, 2)]);
  });

  it('splits and unstacks (which slice) and slices int32 tensors', async () => {
    await expectSameOnWasmAsCpu((x) => tf.concat(tf.split(x!, [2, 3, 1], 1).reverse(), 1), [input(4, 6)]);
    await expectSameOnWasmAsCpu((x) => tf.stack(tf.unstack(x!, 1).reverse(), 1), [input(3, 4, 2)]);
    await tf.setBackend('wasm');
    const ints = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    expect(Array.from(tf.slice(ints, [0, 1], [2, 2]).dataSync())).toEqual([2, 3, 5, 6]);
  });
});

describe('Transpose on wasm (a building block of the matMul fix)', () => {
  it('swaps the last two axes and other permutations', async () => {
    await expectSameOnWasmAsCpu((x) => tf.transpose(x!), [input(37, 70)]);
    await expectSameOnWasmAsCpu((x) => tf.transpose(x!, [0, 2, 1]), [input(3, 33, 5)]);
    await expectSameOnWasmAsCpu((x) => tf.transpose(x!, [1, 0, 2]), [input(3, 4, 5)]);
    await tf.setBackend('wasm');
    expect(Array.from(tf.transpose(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32')).dataSync())).toEqual([1, 4, 2, 5, 3, 6]);
  });
});

describe('Sum on wasm', () => {
  it('reduces leading axes (the fast path) and others (the stock kernel) alike', async () => {
    await expectSameOnWasmAsCpu((x) => tf.sum(x!, 0), [input(9, 5)]);
    await expectSameOnWasmAsCpu((x) => tf.sum(x!, [0, 1], true), [input(3, 4, 5)]);
    await expectSameOnWasmAsCpu((x) => tf.sum(x!, [1, 0]), [input(3, 4, 5)]);
    await expectSameOnWasmAsCpu((x) => tf.sum(x!, 1), [input(3, 4, 5)]);
    await expectSameOnWasmAsCpu((x) => tf.sum(x!), [input(3, 4)]);
  });

  it('gives the bias gradient of a broadcast add', async () => {
    await expectSameOnWasmAsCpu((x, b) => tf.tanh(tf.add(x!, b!)), [input(2, 6, 4), input(4)]);
  });
});

describe('Conv2D gradients on wasm', () => {
  it.each([
    ['same', 3, 3],
    ['same', 2, 4],
    ['valid', 3, 2],
    ['valid', 1, 1],
  ] as const)('%s padding with a %ix%i filter', async (padding, fh, fw) => {
    await expectSameOnWasmAsCpu((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, padding), [input(2, 6, 7, 3), input(fh, fw, 3, 4)]);
  });

  it('trains a conv with a fused bias and relu', async () => {
    await expectSameOnWasmAsCpu(
      (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b, activation: 'relu' }),
      [input(2, 5, 5, 2), input(3, 3, 2, 3), input(3)],
    );
  });

  it.each([
    ['same', 2, 3, 3, 7, 8],
    ['valid', 2, 3, 3, 7, 8],
    ['same', 2, 4, 4, 8, 8],
    ['valid', 3, 2, 3, 9, 10],
    ['same', 2, 1, 12, 8, 88],
  ] as const)('stride %s/%i with a %ix%i filter on a %ix%i input (forward and both gradients)', async (padding, stride, fh, fw, h, w) => {
    await expectSameOnWasmAsCpu((x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, padding), [input(2, h, w, 3), input(fh, fw, 3, 4)]);
  });

  it('takes explicit padding with strides', async () => {
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [1, 2], [0, 1], [0, 0]];
    await expectSameOnWasmAsCpu((x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, [2, 1], pad), [input(1, 7, 6, 2), input(3, 2, 2, 3)]);
  });

  it('runs a 1x12 strip with stride 2 and same padding, where the stock kernel writes out of bounds', async () => {
    await expectSameOnWasmAsCpu((x, f) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: [2, 2], pad: 'same', bias: tf.ones([3]), activation: 'relu' }), [input(2, 4, 7, 2), input(1, 3, 2, 3)]);
  });

});

describe('conv2dTranspose on wasm (Conv2DBackpropInput forward, conv2d and Conv2DBackpropFilter backward)', () => {
  it.each([
    ['same', 1, 3, 3, 5, 6],
    ['valid', 1, 3, 2, 5, 6],
    ['same', 2, 3, 3, 4, 5],
    ['valid', 2, 3, 3, 4, 5],
    ['same', 2, 4, 4, 4, 4],
    ['valid', 3, 2, 3, 3, 4],
    ['same', 2, 1, 12, 4, 44],
  ] as const)('%s, stride %i, %ix%i filter from a %ix%i input', async (padding, stride, fh, fw, h, w) => {
    const outH = padding === 'same' ? h * stride : (h - 1) * stride + fh;
    const outW = padding === 'same' ? w * stride : (w - 1) * stride + fw;
    await expectSameOnWasmAsCpu(
      (x, f) => tf.conv2dTranspose(x as tf.Tensor4D, f as tf.Tensor4D, [2, outH, outW, 2], stride, padding),
      [input(2, h, w, 3), input(fh, fw, 2, 3)],
    );
  });

  it('frees every temporary it makes', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(input(2, 4, 5, 3).values, [2, 4, 5, 3]);
    const f = tf.tensor4d(input(3, 3, 2, 3).values, [3, 3, 2, 3]);
    const before = tf.memory().numBytes;
    for (let i = 0; i < 3; i++) {
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [2, 8, 10, 2], 2, 'same')))([x, f]);
      tf.dispose(g);
    }
    expect(tf.memory().numBytes).toBe(before);
    tf.dispose([x, f]);
  });
});

describe('Identity on wasm', () => {
  it('shares data: a clone survives disposing the original, and a variable assign leaves earlier clones unchanged', async () => {
    await tf.setBackend('wasm');
    const buffers = tf.backend().numDataIds();
    const x = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(x);
    expect(tf.backend().numDataIds()).toBe(buffers + 1);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
    const v = tf.variable(copy);
    const before = tf.clone(v);
    v.assign(tf.tensor1d([7, 8, 9]));
    expect(Array.from(before.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(v.dataSync())).toEqual([7, 8, 9]);
    tf.dispose([copy, v, before]);
  });
});

describe('GatherV2 on wasm', () => {
  it('gathers rows along axis 0 (the fast path) and along other axes, and rejects bad indices', async () => {
    const values = input(5, 3, 2);
    const run = async (backend: string): Promise<number[][]> => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor(values.values, values.shape);
        const ids = tf.tensor2d([4, 0, 0, 2], [2, 2], 'int32');
        return [tf.gather(x, ids), tf.gather(x, tf.tensor1d([2, 1, 2], 'int32'), 1), tf.gather(tf.cast(x, 'int32'), ids)].map((t) => Array.from(t.dataSync()));
      });
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    expect(wasm).toEqual(cpu);
    expect(() => tf.gather(tf.ones([3, 2]), tf.tensor1d([3], 'int32'))).toThrow(/index value 3 is not in \[0, 2\]/);
  });
});

describe('UnsortedSegmentSum on wasm', () => {
  it('sums rows into segments and lets tf.gather train', async () => {
    const values = input(6, 4);
    const run = async (backend: string): Promise<number[][]> => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor(values.values, values.shape);
        const ids = tf.tensor1d([2, 0, 2, 4, 0, 1], 'int32');
        const summed = tf.unsortedSegmentSum(x, ids, 5);
        const params = tf.tensor(values.values, values.shape);
        const grad = tf.grad((p: tf.Tensor) => tf.sum(tf.mul(tf.gather(p, tf.tensor2d([[5, 0, 0], [3, 5, 1]], [2, 3], 'int32')), tf.range(1, 25).reshape([2, 3, 4]))))(params);
        return [summed, grad].map((t) => Array.from(t.dataSync()));
      });
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    cpu.forEach((expected, k) => expected.forEach((e, i) => expect(Math.abs(e - wasm[k]![i]!)).toBeLessThan(1e-4)));
  });
});

describe('comparison gradients', () => {
  it('lets leakyRelu and maximum-based units train', async () => {
    await expectSameOnWasmAsCpu((x) => tf.leakyRelu(x!, 0.2), [input(4, 5)]);
    await expectSameOnWasmAsCpu((x, y) => tf.add(tf.maximum(x!, y!), tf.where(tf.greaterEqual(x!, 0), x!, tf.mul(x!, 0.1))), [input(3, 4), input(3, 4)]);
  });
});

describe('installWasmKernelFixes', () => {
  it('can be called twice', () => {
    expect(() => installWasmKernelFixes()).not.toThrow();
  });

  it('leaves no tensors or wasm buffers behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory();
    // The backend's own count sees intermediates our kernels allocate and must free themselves.
    const buffersBefore = tf.backend().numDataIds();
    tf.tidy(() => {
      const a = tf.randomNormal([4, 5, 6]);
      const b = tf.randomNormal([3, 6]);
      tf.grad((p: tf.Tensor) => tf.sum(tf.matMul(p, b, false, true)))(a);
      tf.fused.matMul({ a: tf.randomNormal([2, 3, 4]), b: tf.randomNormal([2, 4, 5]), bias: tf.ones([5]), activation: 'relu' });
      tf.sum(tf.slice(a, [1, 1, 1], [2, 2, 2]), [0, 1]);
      tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same')))([tf.ones([1, 4, 4, 2]), tf.ones([3, 3, 2, 2])]);
    });
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(tf.backend().numDataIds()).toBe(buffersBefore);
  });
});
