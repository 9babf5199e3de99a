// Adam with gradient clipping by global norm; written out (not tf.train.adam) so its moments can be checkpointed by name.
import * as tf from '@tensorflow/tfjs';
import { CheckpointError, type NamedArray } from '../checkpoint';
import { TrainingError } from './errors';

/** A trainable variable under the stable name it has in checkpoints (tf names must be unique per process). */
export interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

export interface AdamOptions {
  beta1: number;
  beta2: number;
  epsilon: number;
}

export const DEFAULT_ADAM: AdamOptions = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export class Adam {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  /** Number of updates applied so far (the bias-correction step). */
  iterations = 0;

  constructor(
    private readonly variables: readonly NamedVariable[],
    private readonly options: AdamOptions = DEFAULT_ADAM,
  ) {
    for (const { name, variable } of variables) {
      // Inside tidy: the zeros tensor a variable is made from is otherwise left behind.
      this.m.set(name, tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
      this.v.set(name, tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
    }
  }

  /**
   * Clips the gradients to a global norm of at most clipNorm (0 = no clipping), then applies one update.
   * A variable the loss does not reach gets no gradient and is left as it is (its moments too), as tf.train's
   * optimizers do. Returns the global norm before clipping. Does not dispose the gradients.
   * @throws TrainingError when no variable of this optimizer got a gradient.
   */
  apply(grads: tf.NamedTensorMap, learningRate: number, clipNorm: number): number {
    const reached = this.variables.filter((v) => grads[v.variable.name] !== undefined);
    if (reached.length === 0) throw new TrainingError(`the loss reaches none of this optimizer's ${this.variables.length} variables`);
    const norm = globalNorm(reached.map((v) => grads[v.variable.name]!));
    const scale = clipNorm > 0 && norm > clipNorm ? clipNorm / norm : 1;
    this.iterations++;
    const { beta1, beta2, epsilon } = this.options;
    const t = this.iterations;
    const stepSize = (learningRate * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    for (const { name, variable } of reached) {
      tf.tidy(() => {
        const g = scale === 1 ? grads[variable.name]! : grads[variable.name]!.mul(scale);
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(m.mul(beta1).add(g.mul(1 - beta1)));
        v.assign(v.mul(beta2).add(g.square().mul(1 - beta2)));
        variable.assign(variable.sub(m.mul(stepSize).div(v.sqrt().add(epsilon))));
      });
    }
    return norm;
  }

  /** Moments keyed "m/<variable>" and "v/<variable>", for a checkpoint. */
  namedState(): { name: string; tensor: tf.Tensor }[] {
    const out: { name: string; tensor: tf.Tensor }[] = [];
    for (const [name, t] of this.m) out.push({ name: `m/${name}`, tensor: t });
    for (const [name, t] of this.v) out.push({ name: `v/${name}`, tensor: t });
    return out;
  }

  /** Restores moments saved by namedState(); a missing or misshapen entry is an error. */
  restore(state: readonly NamedArray[], iterations: number): void {
    const byName = new Map(state.map((a) => [a.name, a]));
    for (const [prefix, map] of [['m', this.m], ['v', this.v]] as const) {
      for (const [name, variable] of map) {
        const saved = byName.get(`${prefix}/${name}`);
        if (!saved) throw new CheckpointError(`optimizer state has no entry "${prefix}/${name}"`);
        if (saved.shape.join() !== variable.shape.join()) {
          throw new CheckpointError(`optimizer entry "${prefix}/${name}" has shape [${saved.shape}], expected [${variable.shape}]`);
        }
        tf.tidy(() => variable.assign(tf.tensor(saved.data, saved.shape, saved.dtype)));
      }
    }
    this.iterations = iterations;
  }

  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
    this.m.clear();
    this.v.clear();
  }
}

/** sqrt of the sum of squares of every element of every tensor. */
export function globalNorm(tensors: readonly tf.Tensor[]): number {
  const total = tf.tidy(() => tf.addN(tensors.map((t) => t.square().sum())).sqrt());
  const value = total.dataSync()[0]!;
  total.dispose();
  return value;
}
