// Kernel fixes for the tfjs wasm backend (pinned @tensorflow/tfjs 4.22.0): faster or missing kernels for training.
//
// Everything that reaches into the wasm backend's internals lives in this module, and wasmKernels.test.ts checks
// each patched kernel against the cpu backend. Why each one (measured, see REFERENCE.md):
// - BatchMatMul/_FusedMatMul: the stock kernel runs transposed or batched operands through a naive loop ~10x
//   slower than its plain 2-D path, and every matMul gradient transposes. We transpose first and fold 3-D x 2-D.
// - Slice: the stock kernel copies the whole input (readSync) on each call; we read a view of the heap.
// - Sum over leading axes (every broadcast bias gradient): the stock kernel transposes first; a JS loop over rows
//   is ~4x faster (a ones-row matMul is not: xnnpack repacks its fresh right operand on every call).
// - Identity copies its input, and the engine clones (Identity) every tensor a kernel saves for its gradient; tensor
//   data is immutable (variables swap data ids on assign), so we share the data as the cpu backend does.
// - GatherV2 along axis 0 (token lookups): the stock kernel walks element by element; we copy whole rows.
// - Conv2D and FusedConv2D with 'same' (or explicit) padding and a stride above 1 give wrong values, and write out
//   of bounds, for filters one row high (e.g. 1x12 strips over pitch): we pad first and run them 'valid'.
// - Conv2DBackpropFilter is missing and Conv2DBackpropInput (also conv2dTranspose's forward pass) is naive; both are
//   rebuilt from Conv2D for any stride and padding (strides become zeros between rows, or the filter's dilation).
// - UnsortedSegmentSum is missing, so tf.gather (and tf.layers.embedding) cannot train; a JS loop over heap views.
// - The gradient fixes every backend needs (core/gradients.ts) are installed with these.
import * as tf from '@tensorflow/tfjs';
import type { DataId, DataType, KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { InvalidArgumentError, StudioError } from '../../shared/errors';
import { installGradientFixes } from './core/gradients';

/** A kernel was asked for something the patched implementation does not support (e.g. a conv stride > 1). */
export class UnsupportedKernelError extends StudioError {}

/** The parts of the wasm backend object (BackendWasm) this module uses. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: DataId): boolean;
  incRef(dataId: DataId): void;
}

const BACKEND = 'wasm';
/** Stock wasm kernels we either wrap or call as building blocks, captured before we re-register. */
const stock = new Map<string, KernelConfig>();
let installed = false;

/** Registers the faster or missing wasm kernels; safe to call more than once. Import '@tensorflow/tfjs-backend-wasm' first. */
export function installWasmKernelFixes(): void {
  if (installed) return;
  const used = [tf.BatchMatMul, tf._FusedMatMul, tf.Slice, tf.Sum, tf.GatherV2, tf.Identity, tf.Transpose, tf.Reshape, tf.Conv2D, tf.FusedConv2D, tf.PadV2, tf.Reverse, tf.Add];
  for (const name of [...used, ...Object.values(activationKernels)]) {
    const config = tf.getKernel(name, BACKEND);
    if (!config) throw new UnsupportedKernelError(`wasm kernel ${name} is not registered: import '@tensorflow/tfjs-backend-wasm' before installWasmKernelFixes()`);
    stock.set(name, config);
  }
  replace(tf.BatchMatMul, batchMatMul);
  replace(tf._FusedMatMul, fusedMatMul);
  replace(tf.Slice, slice);
  replace(tf.Sum, sum);
  replace(tf.Identity, identity);
  replace(tf.GatherV2, gather);
  replace(tf.UnsortedSegmentSum, unsortedSegmentSum);
  replace(tf.Conv2D, conv2d);
  replace(tf.FusedConv2D, fusedConv2d);
  replace(tf.Conv2DBackpropInput, conv2dBackpropInput);
  replace(tf.Conv2DBackpropFilter, conv2dBackpropFilter);
  // Backend-independent gradient fixes (comparisons, second order) belong to every backend, this one included.
  installGradientFixes();
  installed = true;
}

/** Swaps in our kernel, keeping the stock setupFunc so the backend still initializes it if it starts later. */
function replace(name: string, kernelFunc: KernelFunc): void {
  const old = tf.getKernel(name, BACKEND);
  if (old) tf.unregisterKernel(name, BACKEND);
  const config: KernelConfig = { kernelName: name, backendName: BACKEND, kernelFunc };
  if (old?.setupFunc) config.setupFunc = old.setupFunc;
  tf.registerKernel(config);
}

/** Runs a stock wasm kernel directly (no engine bookkeeping); the caller disposes intermediate results. */
function run(name: string, backend: WasmBackend, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
  const out = stock.get(name)!.kernelFunc({ inputs, backend, attrs });
  return Array.isArray(out) ? out[0]! : out;
}

function wasm(backend: object): WasmBackend {
  return backend as WasmBackend;
}

function reshape(backend: WasmBackend, x: TensorInfo, shape: number[]): TensorInfo {
  return run(tf.Reshape, backend, { x }, { shape });
}

function transpose(backend: WasmBackend, x: TensorInfo, perm: number[]): TensorInfo {
  return run(tf.Transpose, backend, { x }, { perm });
}

/** Swaps the last two axes. */
function transposeInner(backend: WasmBackend, x: TensorInfo): TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return transpose(backend, x, perm);
}

function size(shape: number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/**
 * Shared by BatchMatMul and _FusedMatMul: transposes the operands first, folds [batch, m, k] x [k, n] into one
 * 2-D product, calls the stock kernel without transposes, and gives the result the broadcast output shape.
 */
function matMulFast(
  backend: WasmBackend,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap,
  kernel: string,
  canFold: boolean,
): TensorInfo {
  const temps: TensorInfo[] = [];
  let a = inputs.a!;
  let b = inputs.b!;
  if (attrs.transposeA) temps.push((a = transposeInner(backend, a)));
  if (attrs.transposeB) temps.push((b = transposeInner(backend, b)));
  const m = a.shape[a.shape.length - 2]!;
  const k = a.shape[a.shape.length - 1]!;
  const n = b.shape[b.shape.length - 1]!;
  const outShape = [...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)), m, n];
  const plainAttrs = { ...attrs, transposeA: false, transposeB: false };
  let out: TensorInfo;
  if (canFold && size(b.shape.slice(0, -2)) === 1) {
    const a3 = reshape(backend, a, [1, size(a.shape.slice(0, -2)) * m, k]);
    const b3 = reshape(backend, b, [1, k, n]);
    out = run(kernel, backend, { ...inputs, a: a3, b: b3 }, plainAttrs);
    temps.push(a3, b3);
  } else {
    out = run(kernel, backend, { ...inputs, a, b }, plainAttrs);
  }
  for (const t of temps) backend.disposeData(t.dataId);
  // Same size, so only the recorded shape changes (the stock kernel does the same).
  out.shape = outShape;
  return out;
}

const batchMatMul: KernelFunc = ({ inputs, backend, attrs }) => matMulFast(wasm(backend), inputs, attrs ?? {}, tf.BatchMatMul, true);

/** The unary kernels behind _FusedMatMul's activations. */
const activationKernels = { relu: tf.Relu, relu6: tf.Relu6, elu: tf.Elu, sigmoid: tf.Sigmoid, leakyrelu: tf.LeakyRelu, prelu: tf.Prelu } as const;

const fusedMatMul: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = wasm(b);
  const { a, b: bm, bias, preluActivationWeights: prelu } = inputs;
  const foldable = size(bm!.shape.slice(0, -2)) === 1 && (!prelu || prelu.shape.length <= 1);
  if (foldable) return matMulFast(backend, inputs, attrs ?? {}, tf._FusedMatMul, true);
  // The stock fused kernel adds the bias to the first batch only (4.22): multiply, then add and activate separately.
  const product = matMulFast(backend, { a: a!, b: bm! }, { transposeA: attrs!.transposeA ?? false, transposeB: attrs!.transposeB ?? false }, tf.BatchMatMul, false);
  let out = product;
  if (bias) {
    out = run(tf.Add, backend, { a: product, b: bias });
    backend.disposeData(product.dataId);
  }
  const activation = attrs!.activation as string;
  if (activation !== 'linear') {
    const kernel = activationKernels[activation as keyof typeof activationKernels];
    if (!kernel) throw new UnsupportedKernelError(`_FusedMatMul on wasm: unknown activation ${activation}`);
    const activated =
      kernel === tf.Prelu
        ? run(kernel, backend, { x: out, alpha: prelu! })
        : run(kernel, backend, { x: out }, kernel === tf.LeakyRelu ? { alpha: attrs!.leakyreluAlpha ?? 0.2 } : {});
    backend.disposeData(out.dataId);
    out = activated;
  }
  return out;
};

const slice: KernelFunc = (args) => {
  const { inputs, attrs } = args;
  const x = inputs.x!;
  if (x.dtype === 'string') return stock.get(tf.Slice)!.kernelFunc(args);
  const backend = wasm(args.backend);
  const parsed = tf.slice_util.parseSliceParams(x, attrs!.begin as number[], attrs!.size as number[]);
  const begin = parsed[0]!;
  const sizes = parsed[1]!;
  const out = backend.makeOutput(sizes, x.dtype);
  if (size(sizes) === 0) return out;
  // Views taken after makeOutput: allocating may grow (and so replace) the heap's buffer.
  const xVals = backend.typedArrayFromHeap(x);
  const outVals = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = tf.util.computeStrides(x.shape);
  strides.push(1);
  // Collapse the trailing axes the slice takes whole into one contiguous run per outer index.
  let d = rank - 1;
  let run = sizes[d]!;
  while (d > 0 && sizes[d] === x.shape[d]) {
    d--;
    run *= sizes[d]!;
  }
  const idx = begin.slice(0, d);
  const runs = size(sizes.slice(0, d));
  let outOffset = 0;
  for (let r = 0; r < runs; r++) {
    let offset = begin[d]! * strides[d]!;
    for (let e = 0; e < d; e++) offset += idx[e]! * strides[e]!;
    outVals.set(xVals.subarray(offset, offset + run), outOffset);
    outOffset += run;
    for (let e = d - 1; e >= 0; e--) {
      idx[e] = idx[e]! + 1;
      if (idx[e]! < begin[e]! + sizes[e]!) break;
      idx[e] = begin[e]!;
    }
  }
  return out;
};

const sum: KernelFunc = (args) => {
  const { inputs, attrs } = args;
  const x = inputs.x!;
  const axes = tf.util.parseAxisParam(attrs!.axis as number | number[], x.shape).sort((p, q) => p - q);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (x.dtype !== 'float32' || !leading) return stock.get(tf.Sum)!.kernelFunc(args);
  const backend = wasm(args.backend);
  const rows = size(x.shape.slice(0, axes.length));
  const rest = x.shape.slice(axes.length);
  const width = size(rest);
  const out = backend.makeOutput(attrs!.keepDims ? [...axes.map(() => 1), ...rest] : rest, 'float32');
  const src = backend.typedArrayFromHeap(x);
  const acc = new Float64Array(width);
  for (let i = 0; i < rows; i++) {
    const from = i * width;
    for (let j = 0; j < width; j++) acc[j] = acc[j]! + src[from + j]!;
  }
  backend.typedArrayFromHeap(out).set(acc);
  return out;
};

const identity: KernelFunc = (args) => {
  const x = args.inputs.x!;
  if (x.dtype === 'string') return stock.get(tf.Identity)!.kernelFunc(args);
  wasm(args.backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** Whole-row copies for gathers along axis 0; other gathers go to the stock kernel. */
const gather: KernelFunc = (args) => {
  const { inputs, attrs } = args;
  const x = inputs.x!;
  const indices = inputs.indices!;
  const axis = tf.util.parseAxisParam(attrs!.axis as number, x.shape)[0];
  if (axis !== 0 || (attrs!.batchDims ?? 0) !== 0 || x.dtype === 'string') return stock.get(tf.GatherV2)!.kernelFunc(args);
  const backend = wasm(args.backend);
  const rowShape = x.shape.slice(1);
  const width = size(rowShape);
  const out = backend.makeOutput([...indices.shape, ...rowShape], x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const ids = backend.typedArrayFromHeap(indices);
  const count = x.shape[0]!;
  for (let i = 0; i < ids.length; i++) {
    const row = ids[i]!;
    if (row < 0 || row >= count) throw new InvalidArgumentError(`GatherV2: the index value ${row} is not in [0, ${count - 1}]`);
    dst.set(src.subarray(row * width, (row + 1) * width), i * width);
  }
  return out;
};

/** out[segmentIds[i]] += x[i] over the leading axes that segmentIds spans; ids outside 0..numSegments-1 are dropped, as in TF. */
const unsortedSegmentSum: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = wasm(b);
  const x = inputs.x!;
  const ids = inputs.segmentIds!;
  const numSegments = attrs!.numSegments as number;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new UnsupportedKernelError(`UnsortedSegmentSum on wasm supports float32 and int32, got ${x.dtype}`);
  const inner = x.shape.slice(ids.shape.length);
  const width = size(inner);
  const out = backend.makeOutput([numSegments, ...inner], x.dtype);
  const dst = backend.typedArrayFromHeap(out);
  const src = backend.typedArrayFromHeap(x);
  const seg = backend.typedArrayFromHeap(ids);
  dst.fill(0);
  const count = size(ids.shape);
  for (let i = 0; i < count; i++) {
    const s = seg[i]!;
    if (s < 0 || s >= numSegments) continue;
    const to = s * width;
    const from = i * width;
    for (let j = 0; j < width; j++) dst[to + j] = dst[to + j]! + src[from + j]!;
  }
  return out;
};

interface ConvGeometry {
  strides: [number, number];
  pads: { top: number; bottom: number; left: number; right: number };
}

/** The strides and padding of an NHWC conv, or an UnsupportedKernelError for what these kernels cannot do (dilations). */
function convGeometry(kernel: string, xShape: number[], filterShape: number[], attrs: NamedAttrMap): ConvGeometry {
  const strides = attrs.strides as number | [number, number];
  const dilations = (attrs.dilations ?? 1) as number | [number, number];
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (dh !== 1 || dw !== 1) throw new UnsupportedKernelError(`${kernel} on wasm supports dilation 1 only, got dilations [${dh}, ${dw}]`);
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new UnsupportedKernelError(`${kernel} on wasm supports dataFormat NHWC only, got ${String(attrs.dataFormat)}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    [sh, sw],
    1,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
  );
  return { strides: [sh, sw], pads: info.padInfo };
}

function pad(backend: WasmBackend, x: TensorInfo, paddings: [number, number][]): TensorInfo {
  return run(tf.PadV2, backend, { x }, { paddings, constantValue: 0 });
}

/** x with (s - 1) zeros after every row and column: [n, h, w, c] -> [n, h*sh, w*sw, c]. */
function dilate(backend: WasmBackend, x: TensorInfo, [sh, sw]: [number, number]): TensorInfo {
  if (sh === 1 && sw === 1) return run(tf.Identity, backend, { x });
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const six = reshape(backend, x, [n, h, 1, w, 1, c]);
  const padded = pad(backend, six, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  const out = reshape(backend, padded, [n, h * sh, w * sw, c]);
  // Reshapes share their input's data and count a reference: drop ours, so that the caller's dispose of `out` frees it.
  backend.disposeData(six.dataId);
  backend.disposeData(padded.dataId);
  return out;
}

function sliceOf(backend: WasmBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  return slice({ inputs: { x }, backend: backend as unknown as tf.KernelBackend, attrs: { begin, size } }) as TensorInfo;
}

/** Pads (positive amounts) or crops (negative amounts) the two spatial axes of an NHWC tensor. */
function padOrCrop(backend: WasmBackend, x: TensorInfo, top: number, bottom: number, left: number, right: number): TensorInfo {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const cropped = top < 0 || bottom < 0 || left < 0 || right < 0;
  const inner = cropped
    ? sliceOf(backend, x, [0, Math.max(0, -top), Math.max(0, -left), 0], [n, h - Math.max(0, -top) - Math.max(0, -bottom), w - Math.max(0, -left) - Math.max(0, -right), c])
    : x;
  const out = pad(backend, inner, [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]]);
  if (cropped) backend.disposeData(inner.dataId);
  return out;
}

/** A stride-above-1 conv with padding, as an explicit PadV2 and a 'valid' conv; everything else goes to the stock kernel. */
function paddedFirst(name: string): KernelFunc {
  return (args) => {
    const { inputs, attrs } = args;
    const x = inputs.x!;
    const filter = inputs.filter!;
    const strides = attrs!.strides as number | [number, number];
    const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
    const dilations = (attrs!.dilations ?? 1) as number | [number, number];
    const dilated = typeof dilations === 'number' ? dilations !== 1 : dilations.some((d) => d !== 1);
    if ((sh === 1 && sw === 1) || attrs!.pad === 'valid' || dilated || (attrs!.dataFormat ?? 'NHWC') !== 'NHWC') return stock.get(name)!.kernelFunc(args);
    const backend = wasm(args.backend);
    const { pads } = convGeometry(name, x.shape, filter.shape, attrs!);
    const padded = pad(backend, x, [[0, 0], [pads.top, pads.bottom], [pads.left, pads.right], [0, 0]]);
    const out = stock.get(name)!.kernelFunc({ ...args, inputs: { ...inputs, x: padded }, attrs: { ...attrs, pad: 'valid' } });
    backend.disposeData(padded.dataId);
    return out;
  };
}

const conv2d = paddedFirst(tf.Conv2D);
const fusedConv2d = paddedFirst(tf.FusedConv2D);

/**
 * dx (also the forward pass of conv2dTranspose): dy spread back to the input grid (zeros between its rows and
 * columns for a stride above 1), padded to a full correlation, then a stride-1 'valid' conv with the spatially
 * flipped, channel-swapped filter. The stock wasm kernel computes the same with a naive loop, about 10x slower.
 */
const conv2dBackpropInputByConv: KernelFunc = (args) => {
  const { inputs, backend: b, attrs } = args;
  const backend = wasm(b);
  const dy = inputs.dy!;
  const filter = inputs.filter!;
  const inputShape = attrs!.inputShape as number[];
  const [fh, fw] = filter.shape as [number, number, number, number];
  const { strides, pads } = convGeometry(tf.Conv2DBackpropInput, inputShape, filter.shape, attrs!);
  const [, h, w] = inputShape as [number, number, number, number];
  const spread = dilate(backend, dy, strides);
  const top = fh - 1 - pads.top;
  const left = fw - 1 - pads.left;
  const padded = padOrCrop(backend, spread, top, h + fh - 1 - top - spread.shape[1]!, left, w + fw - 1 - left - spread.shape[2]!);
  const flipped = run(tf.Reverse, backend, { x: filter }, { dims: [0, 1] });
  const swapped = transpose(backend, flipped, [0, 1, 3, 2]);
  const dx = run(tf.Conv2D, backend, { x: padded, filter: swapped }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1] });
  for (const t of [spread, padded, flipped, swapped]) backend.disposeData(t.dataId);
  return dx;
};

/**
 * dW[kh, kw, ci, co] = sum over n, i, j of xPadded[n, i*s + kh, j*s + kw, ci] * dy[n, i, j, co]: a 'valid' conv with
 * the input channels as the batch, the examples as channels, dy as the filter and the stride as its dilation.
 * The stock wasm backend has no kernel for this at all.
 */
const conv2dBackpropFilterByConv: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = wasm(b);
  const x = inputs.x!;
  const dy = inputs.dy!;
  const filterShape = attrs!.filterShape as [number, number, number, number];
  const { strides, pads } = convGeometry(tf.Conv2DBackpropFilter, x.shape, filterShape, attrs!);
  const padded = pad(backend, x, [
    [0, 0],
    [pads.top, pads.bottom],
    [pads.left, pads.right],
    [0, 0],
  ]);
  const xT = transpose(backend, padded, [3, 1, 2, 0]);
  const dyT = transpose(backend, dy, [1, 2, 0, 3]);
  const conv = run(tf.Conv2D, backend, { x: xT, filter: dyT }, { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: strides });
  // A stride that does not divide the padded input leaves positions past the filter: they belong to no weight.
  const [fh, fw, ci, co] = filterShape;
  const exact = conv.shape[1] === fh && conv.shape[2] === fw ? conv : sliceOf(backend, conv, [0, 0, 0, 0], [ci, fh, fw, co]);
  const dw = transpose(backend, exact, [1, 2, 0, 3]);
  for (const t of new Set([padded, xT, dyT, conv, exact])) backend.disposeData(t.dataId);
  return dw;
};

/** A product of two 2-D operands through the fixed BatchMatMul (the stock one is naive with transposes). */
function matMul2d(backend: WasmBackend, a: TensorInfo, b: TensorInfo, transposeB: boolean): TensorInfo {
  const a3 = reshape(backend, a, [1, a.shape[0]!, a.shape[1]!]);
  const b3 = reshape(backend, b, [1, b.shape[0]!, b.shape[1]!]);
  const out = batchMatMul({ inputs: { a: a3, b: b3 }, backend: backend as unknown as tf.KernelBackend, attrs: { transposeA: false, transposeB } }) as TensorInfo;
  backend.disposeData(a3.dataId);
  backend.disposeData(b3.dataId);
  const flat = reshape(backend, out, [out.shape[1]!, out.shape[2]!]);
  backend.disposeData(out.dataId);
  return flat;
}

/**
 * dx of a strided conv by columns: cols = dy · Wᵀ ([positions, fh*fw*ci]) in one product, then each column value is
 * added back to the input cell it came from. A strided dy spread with zeros would make the conv do stride² the work.
 */
const conv2dBackpropInputByColumns: KernelFunc = ({ inputs, backend: b, attrs }) => {
  const backend = wasm(b);
  const dy = inputs.dy!;
  const filter = inputs.filter!;
  const inputShape = attrs!.inputShape as [number, number, number, number];
  const [fh, fw, ci, co] = filter.shape as [number, number, number, number];
  const { strides: [sh, sw], pads } = convGeometry(tf.Conv2DBackpropInput, inputShape, filter.shape, attrs!);
  const [n, oh, ow] = dy.shape as [number, number, number, number];
  const [, h, w] = inputShape;
  const positions = n * oh * ow;
  const k = fh * fw * ci;
  const dy2 = reshape(backend, dy, [positions, co]);
  const w2 = reshape(backend, filter, [k, co]);
  const cols = matMul2d(backend, dy2, w2, true);
  backend.disposeData(dy2.dataId);
  backend.disposeData(w2.dataId);
  const dx = backend.makeOutput(inputShape, 'float32');
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  const src = backend.typedArrayFromHeap(cols) as Float32Array;
  out.fill(0);
  let p = 0;
  for (let b0 = 0; b0 < n; b0++) {
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++, p++) {
        const row = p * k;
        for (let kh = 0; kh < fh; kh++) {
          const iy = y * sh + kh - pads.top;
          if (iy < 0 || iy >= h) continue;
          for (let kw = 0; kw < fw; kw++) {
            const ix = x * sw + kw - pads.left;
            if (ix < 0 || ix >= w) continue;
            const to = ((b0 * h + iy) * w + ix) * ci;
            const from = row + (kh * fw + kw) * ci;
            for (let c = 0; c < ci; c++) out[to + c] = out[to + c]! + src[from + c]!;
          }
        }
      }
    }
  }
  backend.disposeData(cols.dataId);
  return dx;
};

function strided(attrs: NamedAttrMap | undefined): boolean {
  const s = attrs!.strides as number | [number, number];
  return typeof s === 'number' ? s !== 1 : s[0] !== 1 || s[1] !== 1;
}

/**
 * Stride 1: the flipped-filter conv (xnnpack does the work); a larger stride: columns and one product (measured on
 * the DCRNN critic's gradient penalty: 57 ms against 129 ms). For dW the dilated conv stays faster than columns,
 * whose layout makes every write a cache miss (50 ms against 71 ms).
 */
const conv2dBackpropInput: KernelFunc = (args) => (strided(args.attrs) && columnsForStrides ? conv2dBackpropInputByColumns(args) : conv2dBackpropInputByConv(args));

let columnsForStrides = true;
/** For benchmarks: strided dx by the spread-and-convolve path instead of columns (the baseline of bench/dcrnn.ts). */
export function useColumnsForStridedBackprop(on: boolean): void {
  columnsForStrides = on;
}
const conv2dBackpropFilter = conv2dBackpropFilterByConv;
