// LSTM layers for training and generation (gate order i, f, g, o; sigmoid gates), built for speed on the wasm backend.
import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '../../../shared/errors';
import { glorotUniform, orthogonal } from './init';

export interface LstmLayer {
  readonly inputSize: number;
  readonly units: number;
  /** [inputSize, 4*units], gate blocks i, f, g, o along the columns. */
  readonly kernel: tf.Variable<tf.Rank.R2>;
  /** [units, 4*units] */
  readonly recurrentKernel: tf.Variable<tf.Rank.R2>;
  /** [4*units]; the forget block starts at 1. */
  readonly bias: tf.Variable<tf.Rank.R1>;
}

/** [batch, units] each. */
export interface LstmState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

/**
 * Creates the layer's variables, named `${name}/kernel`, `${name}/recurrentKernel`, `${name}/bias` (tfjs
 * refuses two live variables with one name). Kernel glorot-uniform, recurrent kernel orthogonal, both from `seed`.
 */
export function createLstmLayer(name: string, inputSize: number, units: number, seed: number): LstmLayer {
  if (!Number.isInteger(inputSize) || inputSize < 1) throw new InvalidArgumentError(`LSTM inputSize must be a positive integer, got ${inputSize}`);
  if (!Number.isInteger(units) || units < 1) throw new InvalidArgumentError(`LSTM units must be a positive integer, got ${units}`);
  const biasValues = new Float32Array(4 * units);
  biasValues.fill(1, units, 2 * units);
  return {
    inputSize,
    units,
    kernel: variableFrom(glorotUniform(inputSize, 4 * units, seed), [inputSize, 4 * units], `${name}/kernel`),
    recurrentKernel: variableFrom(orthogonal(units, 4 * units, seed + 1), [units, 4 * units], `${name}/recurrentKernel`),
    bias: variableFrom(biasValues, [4 * units], `${name}/bias`),
  };
}

function variableFrom<R extends tf.Rank>(values: Float32Array, shape: number[], name: string): tf.Variable<R> {
  // tf.variable shares the initial tensor's data; disposing the tensor keeps the count of live tensors honest.
  const initial = tf.tensor(values, shape);
  const v = tf.variable(initial, true, name) as tf.Variable<R>;
  initial.dispose();
  return v;
}

/** Disposes the layer's three variables. */
export function disposeLstmLayer(layer: LstmLayer): void {
  layer.kernel.dispose();
  layer.recurrentKernel.dispose();
  layer.bias.dispose();
}

/** An all-zero state; the caller disposes it. */
export function zeroState(batch: number, units: number): LstmState {
  return { h: tf.zeros([batch, units]), c: tf.zeros([batch, units]) };
}

/**
 * Runs a whole sequence x [batch, time, inputSize] -> y [batch, time, units]; differentiable with respect to x and
 * the layer's variables (hand-written backward pass through time). The initial state is a constant (truncated BPTT).
 * final.h and final.c are differentiable too. The gradient itself is not differentiable again: for second-order
 * gradients (gradient penalties) use lstmSequenceAutodiff.
 */
export function lstmSequence(layer: LstmLayer, x: tf.Tensor3D, initial: LstmState): { y: tf.Tensor3D; final: LstmState } {
  return sequenceFrom(layer, x, initial, lstmSequenceProjected);
}

/** lstmSequence built from plain tf ops and autodiff: slower, but its gradients can be differentiated again. */
export function lstmSequenceAutodiff(layer: LstmLayer, x: tf.Tensor3D, initial: LstmState): { y: tf.Tensor3D; final: LstmState } {
  return sequenceFrom(layer, x, initial, projectedAutodiff);
}

type ProjectedRun = (layer: LstmLayer, xProj: tf.Tensor3D, initial: LstmState) => { y: tf.Tensor3D; final: LstmState };

function sequenceFrom(layer: LstmLayer, x: tf.Tensor3D, initial: LstmState, runProjected: ProjectedRun): { y: tf.Tensor3D; final: LstmState } {
  const [batch, time, inputSize] = x.shape;
  if (inputSize !== layer.inputSize) throw new InvalidArgumentError(`LSTM input has ${inputSize} features, the layer expects ${layer.inputSize}`);
  const [y, h, c] = tf.tidy(() => {
    const flat = tf.reshape(x, [batch * time, inputSize]) as tf.Tensor2D;
    const xProj = tf.reshape(tf.add(tf.matMul(flat, layer.kernel), layer.bias), [batch, time, 4 * layer.units]) as tf.Tensor3D;
    const out = runProjected(layer, xProj, initial);
    return [out.y, out.final.h, out.final.c];
  });
  return { y: y as tf.Tensor3D, final: { h: h as tf.Tensor2D, c: c as tf.Tensor2D } };
}

/**
 * The input projection (x·kernel + bias, [batch, time, 4*units]) for an input made of a one-hot token
 * (tokens: int32 [batch, time], each in 0..vocabSize-1) followed by an optional condition vector
 * ([batch, time, inputSize - vocabSize]). The token part is a row lookup instead of a [batch*time, vocabSize]
 * product; with the wasm kernel fixes its gradient is a scatter-add. Differentiable with respect to kernel, bias
 * and condition. Feed the result to lstmSequenceProjected.
 */
export function projectTokens(layer: LstmLayer, tokens: tf.Tensor2D, vocabSize: number, condition?: tf.Tensor3D): tf.Tensor3D {
  const [batch, time] = tokens.shape;
  const conditionSize = layer.inputSize - vocabSize;
  const width = 4 * layer.units;
  if (tokens.dtype !== 'int32') throw new InvalidArgumentError(`projectTokens needs int32 tokens, got ${tokens.dtype}`);
  if (conditionSize < 0) throw new InvalidArgumentError(`projectTokens: vocabSize ${vocabSize} exceeds the layer's inputSize ${layer.inputSize}`);
  const given = condition?.shape[2] ?? 0;
  if (given !== conditionSize || (condition && (condition.shape[0] !== batch || condition.shape[1] !== time))) {
    throw new InvalidArgumentError(
      `projectTokens: condition shape [${condition?.shape.join(', ') ?? ''}] does not fit tokens [${batch}, ${time}] and ${conditionSize} condition inputs`,
    );
  }
  return tf.tidy(() => {
    // Rows 0..vocabSize-1 of the kernel are the tokens' rows; gather never reads the condition rows after them.
    let proj = tf.gather(layer.kernel, tokens);
    if (condition && conditionSize > 0) {
      const rows = tf.slice(layer.kernel, [vocabSize, 0], [conditionSize, width]);
      proj = tf.add(proj, tf.reshape(tf.matMul(tf.reshape(condition, [batch * time, conditionSize]), rows), [batch, time, width]));
    }
    return tf.add(proj, layer.bias) as tf.Tensor3D;
  });
}

/**
 * Like lstmSequence with the input already projected: xProj = x·kernel + bias, [batch, time, 4*units].
 * Differentiable with respect to xProj and the recurrent kernel.
 */
export function lstmSequenceProjected(layer: LstmLayer, xProj: tf.Tensor3D, initial: LstmState): { y: tf.Tensor3D; final: LstmState } {
  const [batch, time, width] = xProj.shape;
  const units = layer.units;
  if (width !== 4 * units) throw new InvalidArgumentError(`LSTM projected input has width ${width}, expected 4*units = ${4 * units}`);
  if (time < 1) throw new InvalidArgumentError(`LSTM sequence needs at least one time step, got ${time}`);
  checkState(initial, batch, units);
  const [y, h, c] = tf.tidy(() => {
    // One customGrad value carries [h_1..h_T, c_T] along time, so gradients can reach final.c as well.
    const packed = fusedSequence(initial)(xProj, layer.recurrentKernel) as tf.Tensor3D;
    return [
      tf.slice(packed, [0, 0, 0], [batch, time, units]),
      tf.reshape(tf.slice(packed, [0, time - 1, 0], [batch, 1, units]), [batch, units]),
      tf.reshape(tf.slice(packed, [0, time, 0], [batch, 1, units]), [batch, units]),
    ];
  });
  return { y: y as tf.Tensor3D, final: { h: h as tf.Tensor2D, c: c as tf.Tensor2D } };
}

/** Column masks over the four gate blocks; `scale` doubles the g block so that tanh(z) = 2·sigmoid(2z) - 1. */
function gateMasks(units: number): { scale: tf.Tensor1D; shift: tf.Tensor1D; sigmoidBlocks: tf.Tensor1D; tanhBlock: tf.Tensor1D } {
  const block = (values: [number, number, number, number]): tf.Tensor1D => {
    const out = new Float32Array(4 * units);
    values.forEach((v, k) => out.fill(v, k * units, (k + 1) * units));
    return tf.tensor1d(out);
  };
  return { scale: block([1, 1, 2, 1]), shift: block([0, 0, -1, 0]), sigmoidBlocks: block([1, 1, 0, 1]), tanhBlock: block([0, 0, 1, 0]) };
}

/**
 * The recurrence as one differentiable op of (xProj [B, T, 4U], recurrentKernel [U, 4U]) -> [B, T+1, U].
 * On wasm every op costs tens of microseconds whatever its size, so the per-step work is kept to few ops and
 * everything that does not depend on the recurrence is done for all steps at once: forward, the four gate
 * activations come from one sigmoid over [B, 4U] (g's columns pre-scaled by 2: tanh(z) = 2·sigmoid(2z) - 1);
 * backward, the gate derivatives and their products with the cell values are computed for all steps before the
 * loop, which then costs one [B, 4U] x [4U, U] product and a handful of small ops per step. Tensors stay
 * batch-major so that no large transposes are needed (the wasm Transpose is slow).
 */
function fusedSequence(initial: LstmState) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xProj, recurrent, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [batch, time, width] = xProj.shape as [number, number, number];
    const units = width / 4;
    const masks = gateMasks(units);
    const xScaled = tf.mul(xProj, masks.scale);
    const rScaled = tf.mul(recurrent, masks.scale);
    let h = initial.h as tf.Tensor;
    let c = initial.c as tf.Tensor;
    const gates: tf.Tensor[] = [];
    const cs: tf.Tensor[] = [c];
    const outs: tf.Tensor[] = [tf.reshape(h, [batch, 1, units])];
    for (let t = 0; t < time; t++) {
      const z = tf.add(tf.reshape(tf.slice(xScaled, [0, t, 0], [batch, 1, width]), [batch, width]), tf.matMul(h, rScaled));
      const a = tf.add(tf.mul(tf.sigmoid(z), masks.scale), masks.shift);
      const i = tf.slice(a, [0, 0], [batch, units]);
      const f = tf.slice(a, [0, units], [batch, units]);
      const g = tf.slice(a, [0, 2 * units], [batch, units]);
      const o = tf.slice(a, [0, 3 * units], [batch, units]);
      c = tf.add(tf.mul(f, c), tf.mul(i, g));
      h = tf.mul(o, tf.tanh(c));
      gates.push(a);
      cs.push(c);
      outs.push(tf.reshape(h, [batch, 1, units]));
    }
    // gates and cs are time-major (step t's batch in rows t*B..t*B+B-1); hPrev is batch-major like xProj.
    save([recurrent, tf.concat(gates, 0), tf.concat(cs, 0), tf.concat(outs.slice(0, time), 1)]);
    return {
      value: tf.concat([...outs.slice(1), tf.reshape(c, [batch, 1, units])], 1),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [r, gatesAll, csAll, hPrev] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const rows = time * batch;
        const m = gateMasks(units);
        const block = (k: number): tf.Tensor => tf.slice(gatesAll, [0, k * units], [rows, units]);
        const cPrevAll = tf.slice(csAll, [0, 0], [rows, units]);
        const tcAll = tf.tanh(tf.slice(csAll, [batch, 0], [rows, units]));
        const fAll = block(1);
        // dc gains dh * o * (1 - tanh(c)^2); the gate pre-activations' gradients are [dc, dc, dc, dh] times
        // [g, c_prev, i, tanh(c)] times the activation derivatives (a(1-a), or 1-a^2 for g).
        const dcFromDh = tf.mul(block(3), tf.sub(1, tf.square(tcAll)));
        const deriv = tf.sub(tf.add(tf.mul(gatesAll, m.sigmoidBlocks), m.tanhBlock), tf.square(gatesAll));
        const fromCell = tf.mul(tf.concat([block(2), cPrevAll, block(0), tcAll], 1), deriv);
        const rT = tf.transpose(r);
        let dhRec: tf.Tensor | null = null;
        let dc = tf.reshape(tf.slice(dy, [0, time, 0], [batch, 1, units]), [batch, units]);
        const dz: tf.Tensor[] = new Array<tf.Tensor>(time);
        for (let t = time - 1; t >= 0; t--) {
          const dyt = tf.reshape(tf.slice(dy, [0, t, 0], [batch, 1, units]), [batch, units]);
          const dh: tf.Tensor = dhRec ? tf.add(dyt, dhRec) : dyt;
          dc = tf.add(dc, tf.mul(dh, tf.slice(dcFromDh, [t * batch, 0], [batch, units])));
          const d: tf.Tensor = tf.mul(tf.concat([dc, dc, dc, dh], 1), tf.slice(fromCell, [t * batch, 0], [batch, width]));
          dz[t] = tf.reshape(d, [batch, 1, width]);
          dc = tf.mul(dc, tf.slice(fAll, [t * batch, 0], [batch, units]));
          dhRec = tf.matMul(d, rT);
        }
        const dxProj = tf.concat(dz, 1);
        const dRecurrent = tf.matMul(tf.reshape(hPrev, [rows, units]), tf.reshape(dxProj, [rows, width]), true, false);
        return [dxProj, dRecurrent];
      },
    };
  });
}

/** The recurrence from plain ops; autodiff differentiates it (also twice). */
function projectedAutodiff(layer: LstmLayer, xProj: tf.Tensor3D, initial: LstmState): { y: tf.Tensor3D; final: LstmState } {
  const [batch, time, width] = xProj.shape;
  const units = layer.units;
  if (width !== 4 * units) throw new InvalidArgumentError(`LSTM projected input has width ${width}, expected 4*units = ${4 * units}`);
  checkState(initial, batch, units);
  const [y, h, c] = tf.tidy(() => {
    let h = initial.h;
    let c = initial.c;
    const ys: tf.Tensor2D[] = [];
    for (let t = 0; t < time; t++) {
      const z = tf.add(tf.reshape(tf.slice(xProj, [0, t, 0], [batch, 1, width]), [batch, width]), tf.matMul(h, layer.recurrentKernel)) as tf.Tensor2D;
      const next = cell(z, c, units);
      h = next.h;
      c = next.c;
      ys.push(h);
    }
    return [tf.stack(ys, 1), h, c];
  });
  return { y: y as tf.Tensor3D, final: { h: h as tf.Tensor2D, c: c as tf.Tensor2D } };
}

/** One step for generation (no gradient): x [batch, inputSize]. */
export function lstmStep(layer: LstmLayer, x: tf.Tensor2D, state: LstmState): LstmState {
  const [h, c] = tf.tidy(() => {
    const z = tf.add(tf.add(tf.matMul(x, layer.kernel), tf.matMul(state.h, layer.recurrentKernel)), layer.bias) as tf.Tensor2D;
    const next = cell(z, state.c, layer.units);
    return [next.h, next.c];
  });
  return { h: h!, c: c! };
}

function cell(z: tf.Tensor2D, c: tf.Tensor2D, units: number): LstmState {
  const [zi, zf, zg, zo] = tf.split(z, [units, units, units, units], 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const cNext = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg))) as tf.Tensor2D;
  return { h: tf.mul(tf.sigmoid(zo), tf.tanh(cNext)), c: cNext };
}

function checkState(state: LstmState, batch: number, units: number): void {
  for (const [key, t] of [['h', state.h], ['c', state.c]] as const) {
    if (t.shape[0] !== batch || t.shape[1] !== units) {
      throw new InvalidArgumentError(`LSTM initial state ${key} has shape [${t.shape.join(', ')}], expected [${batch}, ${units}]`);
    }
  }
}
