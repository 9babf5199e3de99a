// The DCRNN: generator (RNN-a over a bar of structure, repeated, refined by RNN-b, a strip transposed conv over pitch) and critic (CNN or RNN).
import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '../../../../shared/errors';
import { createGruLayer, disposeGruLayer, gruSequence, gruSequenceAutodiff, type GruLayer } from '../../core/gru';
import { seededRandom } from '../../core/init';
import type { NamedVariable } from '../../train/adam';
import { CONDITION_SIZE, dcrnnConfigSchema, ROLL_PITCHES, segmentSteps, STEPS_PER_BAR, type DcrnnConfig } from './config';

let instances = 0;

function uniform(shape: number[], fanIn: number, fanOut: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rand() * 2 - 1) * limit);
}

export class Dcrnn {
  readonly config: DcrnnConfig;
  readonly steps: number;
  private readonly prefix: string;
  private readonly gen: NamedVariable[] = [];
  private readonly crit: NamedVariable[] = [];
  private readonly grus: GruLayer[] = [];
  private readonly byName = new Map<string, tf.Variable>();
  private readonly gruByName = new Map<string, GruLayer>();

  /** @throws InvalidArgumentError for a configuration that does not validate or does not fit 88 keys. */
  constructor(config: DcrnnConfig) {
    const parsed = dcrnnConfigSchema.safeParse(config);
    if (!parsed.success) throw new InvalidArgumentError(`invalid DCRNN config: ${parsed.error.message}`);
    if (ROLL_PITCHES % config.stripStride !== 0) throw new InvalidArgumentError(`the strip stride ${config.stripStride} must divide 88 keys`);
    this.config = structuredClone(config);
    this.steps = segmentSteps(config);
    this.prefix = `dcrnn${++instances}`;
    tf.engine().startScope();
    try {
      this.create();
    } finally {
      tf.engine().endScope();
    }
  }

  get bars(): number {
    return this.steps / STEPS_PER_BAR;
  }

  get generatorVariables(): readonly NamedVariable[] {
    return this.gen;
  }

  get criticVariables(): readonly NamedVariable[] {
    return this.crit;
  }

  parameterCount(): { generator: number; critic: number } {
    const count = (vs: readonly NamedVariable[]) => vs.reduce((n, v) => n + v.variable.size, 0);
    return { generator: count(this.gen), critic: count(this.crit) };
  }

  private inputSize(): number {
    return this.config.noiseSize + (this.config.conditional ? CONDITION_SIZE : 0);
  }

  private create(): void {
    const c = this.config;
    let seed = c.initSeed * 7919;
    const next = () => (seed += 101);
    const variable = (list: NamedVariable[], name: string, shape: number[], values: Float32Array): void => {
      const initial = tf.tensor(values, shape);
      const v = tf.variable(initial, true, `${this.prefix}/${name}`);
      initial.dispose();
      list.push({ name, variable: v });
      this.byName.set(name, v);
    };
    const gru = (list: NamedVariable[], name: string, inputSize: number, units: number): void => {
      const layer = createGruLayer(`${this.prefix}/${name}`, inputSize, units, next());
      this.grus.push(layer);
      this.gruByName.set(name, layer);
      list.push({ name: `${name}/kernel`, variable: layer.kernel }, { name: `${name}/recurrentKernel`, variable: layer.recurrentKernel }, { name: `${name}/bias`, variable: layer.bias });
    };
    if (c.generator === 'dcrnn') {
      gru(this.gen, 'g/rnnA', this.inputSize(), c.unitsA);
      gru(this.gen, 'g/rnnB', c.unitsA, (ROLL_PITCHES / c.stripStride) * c.stripChannels);
      variable(this.gen, 'g/strip/kernel', [1, c.stripWidth, 1, c.stripChannels], uniform([1, c.stripWidth, 1, c.stripChannels], c.stripWidth * c.stripChannels, c.stripWidth, next()));
      // Starts the frames near silence (sigmoid(-3) = 0.05), as most of a roll is.
      variable(this.gen, 'g/strip/bias', [1], Float32Array.of(-3));
    } else {
      gru(this.gen, 'g/rnn', this.inputSize(), c.rnnUnits);
      variable(this.gen, 'g/out/kernel', [c.rnnUnits, ROLL_PITCHES], uniform([c.rnnUnits, ROLL_PITCHES], c.rnnUnits, ROLL_PITCHES, next()));
      variable(this.gen, 'g/out/bias', [ROLL_PITCHES], new Float32Array(ROLL_PITCHES).fill(-3));
    }
    const cond = c.conditional ? CONDITION_SIZE : 0;
    if (c.critic === 'cnn') {
      const [c1, c2, c3] = c.criticChannels;
      const convs: [number, number, number, number][] = [
        [3, 12, 1, c1],
        [3, 8, c1, c2],
        [3, 6, c2, c3],
      ];
      convs.forEach(([fh, fw, ci, co], i) => {
        variable(this.crit, `d/conv${i + 1}/kernel`, [fh, fw, ci, co], uniform([fh, fw, ci, co], fh * fw * ci, fh * fw * co, next()));
        variable(this.crit, `d/conv${i + 1}/bias`, [co], new Float32Array(co));
      });
      const features = Math.ceil(this.steps / 8) * Math.ceil(ROLL_PITCHES / 8) * c3 + cond;
      variable(this.crit, 'd/out/kernel', [features, 1], uniform([features, 1], features, 1, next()));
      variable(this.crit, 'd/out/bias', [1], new Float32Array(1));
    } else {
      gru(this.crit, 'd/rnn', ROLL_PITCHES + cond, c.rnnUnits);
      variable(this.crit, 'd/out/kernel', [c.rnnUnits, 1], uniform([c.rnnUnits, 1], c.rnnUnits, 1, next()));
      variable(this.crit, 'd/out/bias', [1], new Float32Array(1));
    }
  }

  private v(name: string): tf.Variable {
    return this.byName.get(name)!;
  }

  private g(name: string): GruLayer {
    return this.gruByName.get(name)!;
  }

  /** Frame probabilities [batch, steps, 88] from noise z [batch, noiseSize] and, if conditional, histograms [batch, 12]. */
  generate(z: tf.Tensor2D, condition: tf.Tensor | undefined): tf.Tensor3D {
    const c = this.config;
    const batch = z.shape[0];
    if (z.shape[1] !== c.noiseSize) throw new InvalidArgumentError(`noise has ${z.shape[1]} values, the model takes ${c.noiseSize}`);
    return tf.tidy(() => {
      const input = c.conditional ? tf.concat([z, this.conditionOf(condition, batch)], 1) : z;
      if (c.generator === 'rnn') {
        const x = tf.tile(tf.reshape(input, [batch, 1, -1]), [1, this.steps, 1]) as tf.Tensor3D;
        const layer = this.g('g/rnn');
        const h = gruSequence(layer, x, tf.zeros([batch, layer.units]) as tf.Tensor2D).y;
        const logits = tf.add(tf.matMul(tf.reshape(h, [batch * this.steps, layer.units]) as tf.Tensor2D, this.v('g/out/kernel') as tf.Tensor2D), this.v('g/out/bias'));
        return tf.sigmoid(tf.reshape(logits, [batch, this.steps, ROLL_PITCHES])) as tf.Tensor3D;
      }
      // RNN-a reads the same z at every step of a bar of structure; the structure is repeated and refined by RNN-b.
      const stepsA = c.barsA * STEPS_PER_BAR;
      const a = this.g('g/rnnA');
      const b = this.g('g/rnnB');
      const xA = tf.tile(tf.reshape(input, [batch, 1, -1]), [1, stepsA, 1]) as tf.Tensor3D;
      const structure = gruSequence(a, xA, tf.zeros([batch, a.units]) as tf.Tensor2D).y;
      const repeated = tf.tile(structure, [1, c.repeat, 1]) as tf.Tensor3D;
      const refined = gruSequence(b, repeated, tf.zeros([batch, b.units]) as tf.Tensor2D).y;
      // Each step's row holds one strip of channels per group of keys; the strip kernel spreads it over the keyboard.
      const image = tf.reshape(refined, [batch, this.steps, ROLL_PITCHES / c.stripStride, c.stripChannels]) as tf.Tensor4D;
      const frames = tf.conv2dTranspose(image, this.v('g/strip/kernel') as tf.Tensor4D, [batch, this.steps, ROLL_PITCHES, 1], [1, c.stripStride], 'same');
      return tf.sigmoid(tf.reshape(tf.add(frames, this.v('g/strip/bias')), [batch, this.steps, ROLL_PITCHES])) as tf.Tensor3D;
    });
  }

  /** One score per segment, [batch, 1]: higher for what looks real. Differentiable twice in x (gradient penalty). */
  score(x: tf.Tensor, condition: tf.Tensor | undefined): tf.Tensor2D {
    const c = this.config;
    const batch = x.shape[0]!;
    return tf.tidy(() => {
      const cond = c.conditional ? this.conditionOf(condition, batch) : null;
      if (c.critic === 'rnn') {
        const layer = this.g('d/rnn');
        const input = cond ? tf.concat([x, tf.tile(tf.reshape(cond, [batch, 1, CONDITION_SIZE]), [1, this.steps, 1])], 2) : x;
        const h = gruSequenceAutodiff(layer, input as tf.Tensor3D, tf.zeros([batch, layer.units]) as tf.Tensor2D).final;
        return tf.add(tf.matMul(h, this.v('d/out/kernel') as tf.Tensor2D), this.v('d/out/bias')) as tf.Tensor2D;
      }
      let h: tf.Tensor4D = tf.reshape(x, [batch, this.steps, ROLL_PITCHES, 1]);
      for (let i = 1; i <= 3; i++) {
        h = tf.leakyRelu(tf.add(tf.conv2d(h, this.v(`d/conv${i}/kernel`) as tf.Tensor4D, 2, 'same'), this.v(`d/conv${i}/bias`)), 0.2) as tf.Tensor4D;
      }
      let flat: tf.Tensor = tf.reshape(h, [batch, -1]);
      if (cond) flat = tf.concat([flat, cond], 1);
      return tf.add(tf.matMul(flat as tf.Tensor2D, this.v('d/out/kernel') as tf.Tensor2D), this.v('d/out/bias')) as tf.Tensor2D;
    });
  }

  private conditionOf(condition: tf.Tensor | undefined, batch: number): tf.Tensor2D {
    if (!condition) throw new InvalidArgumentError('this DCRNN is conditional: give each segment a pitch-class histogram');
    if (condition.shape[0] !== batch || condition.shape[1] !== CONDITION_SIZE) {
      throw new InvalidArgumentError(`conditions have shape [${condition.shape.join(', ')}], expected [${batch}, ${CONDITION_SIZE}]`);
    }
    // The histogram is centred like the Char-RNN's (uniform reads 0) so that it weighs about as much as z.
    return tf.sub(tf.mul(condition, 12), 1) as tf.Tensor2D;
  }

  dispose(): void {
    for (const l of this.grus) disposeGruLayer(l);
    for (const v of this.byName.values()) v.dispose();
    this.byName.clear();
    this.gruByName.clear();
    this.grus.length = 0;
    this.gen.length = 0;
    this.crit.length = 0;
  }
}
