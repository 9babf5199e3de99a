// The Refine Net: a Duration Net and a Velocity Net, each a bidirectional GRU over a piece's notes in onset order.
import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '../../../../shared/errors';
import { createGruLayer, disposeGruLayer, gruSequence, type GruLayer } from '../../core/gru';
import { glorotUniform } from '../../core/init';
import type { NamedVariable } from '../../train/adam';
import { FEATURE_SIZE } from './features';

export interface RefineConfig {
  units: number;
  initSeed: number;
}

export type NetName = 'duration' | 'velocity';
/** The Duration Net predicts two log2 corrections per note (next IOI, duration); the Velocity Net one velocity. */
const OUTPUTS: Record<NetName, number> = { duration: 2, velocity: 1 };

interface Net {
  forward: GruLayer;
  backward: GruLayer;
  kernel: tf.Variable<tf.Rank.R2>;
  bias: tf.Variable<tf.Rank.R1>;
  variables: NamedVariable[];
}

let instances = 0;

export class RefineNet {
  readonly config: RefineConfig;
  private readonly nets = new Map<NetName, Net>();

  constructor(config: RefineConfig) {
    if (!Number.isInteger(config.units) || config.units < 2 || config.units > 1024) throw new InvalidArgumentError(`Refine Net units must be 2..1024, got ${config.units}`);
    this.config = { ...config };
    const prefix = `refine${++instances}`;
    tf.engine().startScope();
    try {
      let seed = config.initSeed * 1009;
      for (const name of ['duration', 'velocity'] as const) {
        const u = config.units;
        const forward = createGruLayer(`${prefix}/${name}/forward`, FEATURE_SIZE, u, (seed += 13));
        const backward = createGruLayer(`${prefix}/${name}/backward`, FEATURE_SIZE, u, (seed += 13));
        const out = OUTPUTS[name];
        const initial = tf.tensor2d(glorotUniform(2 * u, out, (seed += 13)), [2 * u, out]);
        const kernel = tf.variable(initial, true, `${prefix}/${name}/out/kernel`) as tf.Variable<tf.Rank.R2>;
        initial.dispose();
        // The Velocity Net starts at a mezzo-forte 64 (sigmoid 0); the Duration Net at no correction.
        const bias = tf.variable(tf.zeros([out]), true, `${prefix}/${name}/out/bias`) as tf.Variable<tf.Rank.R1>;
        const variables: NamedVariable[] = [];
        for (const [dir, layer] of [['forward', forward], ['backward', backward]] as const) {
          variables.push({ name: `${name}/${dir}/kernel`, variable: layer.kernel }, { name: `${name}/${dir}/recurrentKernel`, variable: layer.recurrentKernel }, { name: `${name}/${dir}/bias`, variable: layer.bias });
        }
        variables.push({ name: `${name}/out/kernel`, variable: kernel }, { name: `${name}/out/bias`, variable: bias });
        this.nets.set(name, { forward, backward, kernel, bias, variables });
      }
    } finally {
      tf.engine().endScope();
    }
  }

  variables(net: NetName): readonly NamedVariable[] {
    return this.nets.get(net)!.variables;
  }

  allVariables(): NamedVariable[] {
    return [...this.variables('duration'), ...this.variables('velocity')];
  }

  parameterCount(): number {
    return this.allVariables().reduce((n, v) => n + v.variable.size, 0);
  }

  /** Outputs [batch, notes, 2] (duration: log2 corrections) or [batch, notes, 1] (velocity: 0..1) from features [batch, notes, FEATURE_SIZE]. */
  apply(net: NetName, x: tf.Tensor3D): tf.Tensor3D {
    const n = this.nets.get(net)!;
    const [batch, time] = x.shape;
    return tf.tidy(() => {
      const zero = tf.zeros([batch, this.config.units]) as tf.Tensor2D;
      const fw = gruSequence(n.forward, x, zero).y;
      const bw = tf.reverse(gruSequence(n.backward, tf.reverse(x, 1) as tf.Tensor3D, zero).y, 1);
      const h = tf.reshape(tf.concat([fw, bw], 2), [batch * time, 2 * this.config.units]) as tf.Tensor2D;
      const y = tf.reshape(tf.add(tf.matMul(h, n.kernel), n.bias), [batch, time, OUTPUTS[net]]);
      return (net === 'velocity' ? tf.sigmoid(y) : y) as tf.Tensor3D;
    });
  }

  dispose(): void {
    for (const n of this.nets.values()) {
      disposeGruLayer(n.forward);
      disposeGruLayer(n.backward);
      n.kernel.dispose();
      n.bias.dispose();
    }
    this.nets.clear();
  }
}
