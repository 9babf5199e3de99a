// GRU layers for training and generation (gate order z, r, h, as Keras with reset_after false), built for speed on the wasm backend.
import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '../../../shared/errors';
import { glorotUniform, orthogonal } from './init';

export interface GruLayer {
  readonly inputSize: number;
  readonly units: number;
  /** [inputSize, 3*units]: update (z), reset (r) and candidate (h) blocks along the columns. */
  readonly kernel: tf.Variable<tf.Rank.R2>;
  /** [units, 3*units] */
  readonly recurrentKernel: tf.Variable<tf.Rank.R2>;
  /** [3*units] */
  readonly bias: tf.Variable<tf.Rank.R1>;
}

/**
 * Creates the layer's variables `${name}/kernel`, `${name}/recurrentKernel` and `${name}/bias`: kernel glorot-uniform,
 * recurrent kernel orthogonal, both from `seed`; bias zero.
 */
export function createGruLayer(name: string, inputSize: number, units: number, seed: number): GruLayer {
  if (!Number.isInteger(inputSize) || inputSize < 1) throw new InvalidArgumentError(`GRU inputSize must be a positive integer, got ${inputSize}`);
  if (!Number.isInteger(units) || units < 1) throw new InvalidArgumentError(`GRU units must be a positive integer, got ${units}`);
  const variable = <R extends tf.Rank>(values: Float32Array, shape: number[], n: string): tf.Variable<R> => {
    const initial = tf.tensor(values, shape);
    const v = tf.variable(initial, true, n) as tf.Variable<R>;
    initial.dispose();
    return v;
  };
  return {
    inputSize,
    units,
    kernel: variable(glorotUniform(inputSize, 3 * units, seed), [inputSize, 3 * units], `${name}/kernel`),
    recurrentKernel: variable(orthogonal(units, 3 * units, seed + 1), [units, 3 * units], `${name}/recurrentKernel`),
    bias: variable(new Float32Array(3 * units), [3 * units], `${name}/bias`),
  };
}

export function disposeGruLayer(layer: GruLayer): void {
  layer.kernel.dispose();
  layer.recurrentKernel.dispose();
  layer.bias.dispose();
}

type ProjectedRun = (layer: GruLayer, xProj: tf.Tensor3D, h0: tf.Tensor2D) => { y: tf.Tensor3D; final: tf.Tensor2D };

/**
 * Runs x [batch, time, inputSize] -> y [batch, time, units] from the state h0 [batch, units] (a constant), with a
 * hand-written backward pass through time; final is y's last step. Its gradient is not differentiable again: for
 * second-order gradients (gradient penalties) use gruSequenceAutodiff.
 */
export function gruSequence(layer: GruLayer, x: tf.Tensor3D, h0: tf.Tensor2D): { y: tf.Tensor3D; final: tf.Tensor2D } {
  return sequenceFrom(layer, x, h0, gruSequenceProjected);
}

/** gruSequence from plain tf ops and autodiff: slower, but its gradients can be differentiated again. */
export function gruSequenceAutodiff(layer: GruLayer, x: tf.Tensor3D, h0: tf.Tensor2D): { y: tf.Tensor3D; final: tf.Tensor2D } {
  return sequenceFrom(layer, x, h0, projectedAutodiff);
}

function sequenceFrom(layer: GruLayer, x: tf.Tensor3D, h0: tf.Tensor2D, runProjected: ProjectedRun): { y: tf.Tensor3D; final: tf.Tensor2D } {
  const [batch, time, inputSize] = x.shape;
  if (inputSize !== layer.inputSize) throw new InvalidArgumentError(`GRU input has ${inputSize} features, the layer expects ${layer.inputSize}`);
  const [y, final] = tf.tidy(() => {
    const flat = tf.reshape(x, [batch * time, inputSize]) as tf.Tensor2D;
    const xProj = tf.reshape(tf.add(tf.matMul(flat, layer.kernel), layer.bias), [batch, time, 3 * layer.units]) as tf.Tensor3D;
    const out = runProjected(layer, xProj, h0);
    return [out.y, out.final];
  });
  return { y: y as tf.Tensor3D, final: final as tf.Tensor2D };
}

function checkProjected(layer: GruLayer, xProj: tf.Tensor3D, h0: tf.Tensor2D): void {
  const [batch, time, width] = xProj.shape;
  if (width !== 3 * layer.units) throw new InvalidArgumentError(`GRU projected input has width ${width}, expected 3*units = ${3 * layer.units}`);
  if (time < 1) throw new InvalidArgumentError(`GRU sequence needs at least one time step, got ${time}`);
  if (h0.shape[0] !== batch || h0.shape[1] !== layer.units) {
    throw new InvalidArgumentError(`GRU initial state has shape [${h0.shape.join(', ')}], expected [${batch}, ${layer.units}]`);
  }
}

/**
 * Like gruSequence with the input already projected: xProj = x·kernel + bias, [batch, time, 3*units].
 * Differentiable with respect to xProj and the recurrent kernel.
 */
export function gruSequenceProjected(layer: GruLayer, xProj: tf.Tensor3D, h0: tf.Tensor2D): { y: tf.Tensor3D; final: tf.Tensor2D } {
  checkProjected(layer, xProj, h0);
  const [batch, time] = xProj.shape;
  const units = layer.units;
  const [y, final] = tf.tidy(() => {
    const out = fusedSequence(h0)(xProj, layer.recurrentKernel) as tf.Tensor3D;
    return [out, tf.reshape(tf.slice(out, [0, time - 1, 0], [batch, 1, units]), [batch, units])];
  });
  return { y: y as tf.Tensor3D, final: final as tf.Tensor2D };
}

/**
 * The recurrence as one differentiable op of (xProj [B, T, 3U], recurrentKernel [U, 3U]) -> [B, T, U]. As in the
 * LSTM (lstm.ts), the per-step work is a few ops: forward, the z and r gates come from one product with the first
 * 2U columns and one sigmoid; backward, everything that does not depend on the recurrence (gate derivatives, the
 * recurrent kernel's gradient) is done for all steps at once, and each step costs two small products.
 */
function fusedSequence(h0: tf.Tensor2D) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xProj, recurrent, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [batch, time, width] = xProj.shape as [number, number, number];
    const units = width / 3;
    const rZr = tf.slice(recurrent, [0, 0], [units, 2 * units]);
    const rH = tf.slice(recurrent, [0, 2 * units], [units, units]);
    let h: tf.Tensor = h0;
    const gates: tf.Tensor[] = [];
    const cands: tf.Tensor[] = [];
    const prevs: tf.Tensor[] = [];
    const resetPrevs: tf.Tensor[] = [];
    const outs: tf.Tensor[] = [];
    for (let t = 0; t < time; t++) {
      const xt = tf.reshape(tf.slice(xProj, [0, t, 0], [batch, 1, width]), [batch, width]);
      const zr = tf.sigmoid(tf.add(tf.slice(xt, [0, 0], [batch, 2 * units]), tf.matMul(h, rZr)));
      const z = tf.slice(zr, [0, 0], [batch, units]);
      const r = tf.slice(zr, [0, units], [batch, units]);
      const rh = tf.mul(r, h);
      const hh = tf.tanh(tf.add(tf.slice(xt, [0, 2 * units], [batch, units]), tf.matMul(rh, rH)));
      const next = tf.add(hh, tf.mul(z, tf.sub(h, hh)));
      gates.push(zr);
      cands.push(hh);
      prevs.push(h);
      resetPrevs.push(rh);
      outs.push(tf.reshape(next, [batch, 1, units]));
      h = next;
    }
    // Time-major: step t's batch in rows t*B .. t*B+B-1.
    save([recurrent, tf.concat(gates, 0), tf.concat(cands, 0), tf.concat(prevs, 0), tf.concat(resetPrevs, 0)]);
    return {
      value: tf.concat(outs, 1),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [r3, zrAll, hhAll, hPrevAll, rhAll] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        const rows = time * batch;
        const zAll = tf.slice(zrAll, [0, 0], [rows, units]);
        const rAll = tf.slice(zrAll, [0, units], [rows, units]);
        // Per-step factors that do not depend on the gradient flowing back: computed for all steps at once.
        const oneMinusZ = tf.sub(1, zAll);
        const dzFactor = tf.mul(tf.sub(hPrevAll, hhAll), tf.mul(zAll, oneMinusZ));
        const dhhFactor = tf.mul(oneMinusZ, tf.sub(1, tf.square(hhAll)));
        const drFactor = tf.mul(hPrevAll, tf.mul(rAll, tf.sub(1, rAll)));
        const rZrT = tf.transpose(tf.slice(r3, [0, 0], [units, 2 * units]));
        const rHT = tf.transpose(tf.slice(r3, [0, 2 * units], [units, units]));
        const at = (all: tf.Tensor, t: number): tf.Tensor => tf.slice(all, [t * batch, 0], [batch, units]);
        const dSteps: tf.Tensor[] = new Array<tf.Tensor>(time);
        let dhNext: tf.Tensor | null = null;
        for (let t = time - 1; t >= 0; t--) {
          const dyt = tf.reshape(tf.slice(dy, [0, t, 0], [batch, 1, units]), [batch, units]);
          const dh: tf.Tensor = dhNext ? tf.add(dyt, dhNext) : dyt;
          const dah = tf.mul(dh, at(dhhFactor, t));
          const drh = tf.matMul(dah, rHT);
          const dazr = tf.concat([tf.mul(dh, at(dzFactor, t)), tf.mul(drh, at(drFactor, t))], 1);
          dSteps[t] = tf.concat([dazr, dah], 1);
          dhNext = tf.addN([tf.mul(dh, at(zAll, t)), tf.mul(drh, at(rAll, t)), tf.matMul(dazr, rZrT)]);
        }
        // Time-major rows for the recurrent kernel's gradient (one product per block), batch-major for xProj's.
        const dAll = tf.concat(dSteps, 0);
        const dRecurrent = tf.concat(
          [tf.matMul(hPrevAll, tf.slice(dAll, [0, 0], [rows, 2 * units]), true, false), tf.matMul(rhAll, tf.slice(dAll, [0, 2 * units], [rows, units]), true, false)],
          1,
        );
        const dxProj = tf.concat(dSteps.map((d) => tf.reshape(d, [batch, 1, width])), 1);
        return [dxProj, dRecurrent];
      },
    };
  });
}

/** The recurrence from plain ops; autodiff differentiates it (also twice). */
function projectedAutodiff(layer: GruLayer, xProj: tf.Tensor3D, h0: tf.Tensor2D): { y: tf.Tensor3D; final: tf.Tensor2D } {
  checkProjected(layer, xProj, h0);
  const [batch, time, width] = xProj.shape;
  const [y, final] = tf.tidy(() => {
    let h = h0;
    const ys: tf.Tensor2D[] = [];
    for (let t = 0; t < time; t++) {
      h = cell(layer, tf.reshape(tf.slice(xProj, [0, t, 0], [batch, 1, width]), [batch, width]) as tf.Tensor2D, h);
      ys.push(h);
    }
    return [tf.stack(ys, 1), h];
  });
  return { y: y as tf.Tensor3D, final: final as tf.Tensor2D };
}

function cell(layer: GruLayer, xp: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
  const u = layer.units;
  const r3 = layer.recurrentKernel;
  const zr = tf.sigmoid(tf.add(tf.slice(xp, [0, 0], [-1, 2 * u]), tf.matMul(h, tf.slice(r3, [0, 0], [u, 2 * u]))));
  const z = tf.slice(zr, [0, 0], [-1, u]);
  const r = tf.slice(zr, [0, u], [-1, u]);
  const hh = tf.tanh(tf.add(tf.slice(xp, [0, 2 * u], [-1, u]), tf.matMul(tf.mul(r, h), tf.slice(r3, [0, 2 * u], [u, u]))));
  return tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh)) as tf.Tensor2D;
}

/** One step for generation (no gradient): x [batch, inputSize] -> the next state. */
export function gruStep(layer: GruLayer, x: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => cell(layer, tf.add(tf.matMul(x, layer.kernel), layer.bias) as tf.Tensor2D, h));
}
