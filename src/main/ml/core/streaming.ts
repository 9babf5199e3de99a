// Fast batch-1 stateful generation over a stack of LSTM layers: one event in, next-event logits out.
import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '../../../shared/errors';
import type { LstmLayer } from './lstm';

export interface StreamerOutput {
  /** [units of the last layer, vocabSize] */
  kernel: tf.Tensor2D;
  /** [vocabSize] */
  bias: tf.Tensor1D;
}

export interface StreamerOptions {
  vocabSize: number;
  /**
   * Length of the per-step condition vector; the first layer's input is [oneHot(token) (vocabSize), condition],
   * so its kernel has vocabSize + conditionSize rows, tokens first.
   */
  conditionSize?: number;
}

/**
 * Steps the stack one event at a time. The matrix products run on the tensor side (one per layer, recurrent and
 * input weights stacked); the state and the gate arithmetic stay in Float32Arrays, because at batch 1 the cost is
 * per op, not per flop. The first layer's token rows are a lookup table: a one-hot input selects one kernel row.
 * Weights are copied at construction: later training does not change a live streamer.
 */
export class LstmStreamer {
  readonly vocabSize: number;
  readonly conditionSize: number;
  private readonly units: number[];
  /** [vocabSize, 4*units0]: the first layer's kernel rows plus its bias. */
  private readonly table: Float32Array;
  /** Per layer, [input rows (condition or previous h), own h rows] stacked on [recurrent kernel]. */
  private readonly stacked: tf.Tensor2D[];
  /** Biases of layers after the first (the first's is in the table), added in JS: cheaper than a fused op. */
  private readonly biases: (Float32Array | null)[];
  private readonly outKernel: tf.Tensor2D;
  private readonly outBias: Float32Array;
  private readonly h: Float32Array[];
  private readonly c: Float32Array[];
  private disposed = false;

  constructor(layers: LstmLayer[], output: StreamerOutput, options: StreamerOptions) {
    const first = layers[0];
    if (!first) throw new InvalidArgumentError('LstmStreamer needs at least one LSTM layer, got 0');
    this.vocabSize = options.vocabSize;
    this.conditionSize = options.conditionSize ?? 0;
    if (first.inputSize !== this.vocabSize + this.conditionSize) {
      throw new InvalidArgumentError(
        `LstmStreamer: the first layer takes ${first.inputSize} inputs, expected vocabSize + conditionSize = ${this.vocabSize} + ${this.conditionSize}`,
      );
    }
    layers.forEach((layer, k) => {
      const prev = layers[k - 1];
      if (prev && layer.inputSize !== prev.units) {
        throw new InvalidArgumentError(`LstmStreamer: layer ${k} takes ${layer.inputSize} inputs but layer ${k - 1} has ${prev.units} units`);
      }
    });
    const last = layers[layers.length - 1]!;
    if (output.kernel.shape[0] !== last.units || output.kernel.shape[1] !== this.vocabSize || output.bias.shape[0] !== this.vocabSize) {
      throw new InvalidArgumentError(
        `LstmStreamer: output kernel [${output.kernel.shape.join(', ')}] and bias [${output.bias.shape.join(', ')}] do not map ${last.units} units to ${this.vocabSize} tokens`,
      );
    }
    this.units = layers.map((l) => l.units);
    this.table = tf.tidy(() => tf.add(tf.slice(first.kernel, [0, 0], [this.vocabSize, 4 * first.units]), first.bias).dataSync() as Float32Array);
    this.stacked = layers.map((layer, k) =>
      tf.tidy(() => {
        const inputRows = k === 0 ? tf.slice(layer.kernel, [this.vocabSize, 0], [this.conditionSize, 4 * layer.units]) : layer.kernel;
        return tf.concat([inputRows, layer.recurrentKernel], 0) as tf.Tensor2D;
      }),
    );
    this.biases = layers.map((layer, k) => (k === 0 ? null : Float32Array.from(layer.bias.dataSync())));
    this.outKernel = tf.clone(output.kernel);
    this.outBias = Float32Array.from(output.bias.dataSync());
    this.h = this.units.map((u) => new Float32Array(u));
    this.c = this.units.map((u) => new Float32Array(u));
  }

  /** Zeroes the state. */
  reset(): void {
    for (const a of this.h) a.fill(0);
    for (const a of this.c) a.fill(0);
  }

  /** Feeds one token (and its condition) and returns the logits for the next token. */
  step(token: number, condition?: Float32Array): Float32Array {
    if (this.disposed) throw new InvalidArgumentError('LstmStreamer.step called after dispose()');
    if (!Number.isInteger(token) || token < 0 || token >= this.vocabSize) {
      throw new InvalidArgumentError(`LstmStreamer.step: token ${token} is outside the vocabulary 0..${this.vocabSize - 1}`);
    }
    if ((condition?.length ?? 0) !== this.conditionSize) {
      throw new InvalidArgumentError(`LstmStreamer.step: condition has length ${condition?.length ?? 0}, expected ${this.conditionSize}`);
    }
    let below: Float32Array | undefined = condition;
    for (let k = 0; k < this.units.length; k++) {
      const units = this.units[k]!;
      const h = this.h[k]!;
      const input = new Float32Array((below?.length ?? 0) + units);
      if (below) input.set(below);
      input.set(h, below?.length ?? 0);
      const z = this.project(input, this.stacked[k]!, this.biases[k] ?? this.table.subarray(token * 4 * units, (token + 1) * 4 * units));
      updateCell(z, h, this.c[k]!, units);
      below = h;
    }
    return this.project(below!, this.outKernel, this.outBias);
  }

  /** Releases the copied weights. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([...this.stacked, this.outKernel]);
  }

  /** input·weights + bias; the returned array is a fresh copy the caller may change. */
  private project(input: Float32Array, weights: tf.Tensor2D, bias: Float32Array): Float32Array {
    const a = tf.tensor2d(input, [1, input.length]);
    const out = tf.matMul(a, weights);
    const values = Float32Array.from(out.dataSync() as Float32Array);
    a.dispose();
    out.dispose();
    for (let j = 0; j < values.length; j++) values[j] = values[j]! + bias[j]!;
    return values;
  }
}

/** The LSTM cell on plain arrays; z holds the pre-activations i, f, g, o. Updates h and c in place. */
function updateCell(z: Float32Array, h: Float32Array, c: Float32Array, units: number): void {
  for (let j = 0; j < units; j++) {
    const i = 1 / (1 + Math.exp(-z[j]!));
    const f = 1 / (1 + Math.exp(-z[units + j]!));
    const g = Math.tanh(z[2 * units + j]!);
    const o = 1 / (1 + Math.exp(-z[3 * units + j]!));
    const cj = f * c[j]! + i * g;
    c[j] = cj;
    h[j] = o * Math.tanh(cj);
  }
}
