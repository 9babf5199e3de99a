// The Wasserstein GAN recipe with gradient penalty (Gulrajani et al. 2017): n critic steps per generator step, each network its own Adam.
import * as tf from '@tensorflow/tfjs';
import type { NamedVariable } from '../adam';
import type { Recipe, StepContext } from '../loop';
import type { Rng } from '../rng';

export interface WganGpTask {
  generator: {
    variables: readonly NamedVariable[];
    /** Samples from noise z [batch, noiseSize] (and the real batch's condition, for a conditional GAN); `training` turns dropout and the like on. */
    generate(z: tf.Tensor2D, condition: tf.Tensor | undefined, training: boolean): tf.Tensor;
  };
  critic: {
    variables: readonly NamedVariable[];
    /** One score per example, [batch] or [batch, 1]: higher for what looks real. Must be differentiable twice in x. */
    score(x: tf.Tensor, condition: tf.Tensor | undefined): tf.Tensor;
  };
  noiseSize: number;
  /** A batch of real examples drawn with `rng`, shaped as the generator's output, with their conditions if the GAN has any. */
  real(rng: Rng, batch: number): { x: tf.Tensor; condition?: tf.Tensor };
  /** For a conditional GAN: conditions as real music has them, for the generator's steps. */
  conditions?(rng: Rng, batch: number): tf.Tensor;
  /** The checkpoint's config JSON. */
  config(): unknown;
  /** Measurements on held-out data or on samples (e.g. how many modes are covered). */
  validate?(): Promise<Record<string, number>>;
}

export interface WganGpSettings {
  /** Generator steps; each follows `criticSteps` critic steps. */
  steps: number;
  batchSize: number;
  /** Critic steps per generator step (the paper: 5). */
  criticSteps: number;
  /** The penalty's weight λ (the paper: 10). */
  penaltyWeight: number;
  generatorLearningRate: number;
  criticLearningRate: number;
  /** Adam's β1 and β2 (the paper: 0.5 and 0.9, or 0 and 0.9). */
  beta1: number;
  beta2: number;
}

export const DEFAULT_WGAN_GP: Omit<WganGpSettings, 'steps' | 'batchSize'> = {
  criticSteps: 5,
  penaltyWeight: 10,
  generatorLearningRate: 1e-4,
  criticLearningRate: 1e-4,
  beta1: 0.5,
  beta2: 0.9,
};

/** Standard normal noise from the run's generator, so that a seed gives the same run on any backend. */
export function noiseFrom(rng: Rng, batch: number, size: number): tf.Tensor2D {
  const values = new Float32Array(batch * size);
  for (let i = 0; i < values.length; i++) values[i] = rng.normal();
  return tf.tensor2d(values, [batch, size]);
}

/**
 * The gradient penalty E[(||∇x̂ D(x̂)||₂ − 1)²] at x̂ = ε·real + (1 − ε)·fake, one ε in [0, 1) per example (given,
 * so that a test can fix it). Differentiable with respect to the critic's variables: a gradient of a gradient.
 */
export function gradientPenalty(score: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, fake: tf.Tensor, epsilon: Float32Array): tf.Scalar {
  return tf.tidy(() => {
    const batch = real.shape[0]!;
    const eps = tf.tensor(epsilon, [batch, ...real.shape.slice(1).map(() => 1)]);
    const mixed = tf.add(fake, tf.mul(eps, tf.sub(real, fake)));
    const grad = tf.grad((x: tf.Tensor) => tf.sum(score(x)))(mixed);
    const axes = real.shape.slice(1).map((_, i) => i + 1);
    // The small constant keeps the norm's own gradient finite where a gradient is exactly zero.
    const norms = tf.sqrt(tf.add(tf.sum(tf.square(grad), axes), 1e-12));
    return tf.mean(tf.square(tf.sub(norms, 1))) as tf.Scalar;
  });
}

/** Names of the metrics every step reports. */
export const WGAN_METRICS = { critic: 'critic', wasserstein: 'wasserstein', penalty: 'penalty', generator: 'generator' } as const;

export function wganGpRecipe(task: WganGpTask, s: WganGpSettings): Recipe {
  const adam = { beta1: s.beta1, beta2: s.beta2, epsilon: 1e-8 };
  const scoreMean = (x: tf.Tensor, c: tf.Tensor | undefined): tf.Scalar => tf.mean(task.critic.score(x, c)) as tf.Scalar;
  const criticStep = async (ctx: StepContext): Promise<{ loss: number; wasserstein: number; penalty: number }> => {
    const { x: real, condition } = task.real(ctx.rng, s.batchSize);
    const z = noiseFrom(ctx.rng, s.batchSize, task.noiseSize);
    const epsilon = Float32Array.from({ length: s.batchSize }, () => ctx.rng.next());
    let parts: tf.Scalar[] = [];
    try {
      // The generator's output is a constant here: only the critic's variables are in this optimizer.
      const fake = tf.tidy(() => task.generator.generate(z, condition, true));
      const { loss } = await ctx.minimize('critic', () => {
        const w = tf.sub(scoreMean(real, condition), scoreMean(fake, condition)) as tf.Scalar;
        const gp = gradientPenalty((x) => task.critic.score(x, condition), real, fake, epsilon);
        parts = [tf.keep(w.clone()), tf.keep(gp.clone())];
        return tf.add(tf.neg(w), tf.mul(gp, s.penaltyWeight)) as tf.Scalar;
      });
      const [wasserstein, penalty] = await Promise.all(parts.map(async (t) => (await t.data())[0]!));
      fake.dispose();
      return { loss, wasserstein: wasserstein!, penalty: penalty! };
    } finally {
      tf.dispose([real, z, ...parts, ...(condition ? [condition] : [])]);
    }
  };
  return {
    optimizers: [
      { name: 'critic', variables: task.critic.variables, learningRate: s.criticLearningRate, adam },
      { name: 'generator', variables: task.generator.variables, learningRate: s.generatorLearningRate, adam },
    ],
    phases: [{ name: 'adversarial', steps: s.steps }],
    mainMetric: WGAN_METRICS.wasserstein,
    rateUnit: 'samples/s',
    config: () => task.config(),
    async step(ctx) {
      let critic = 0;
      let wasserstein = 0;
      let penalty = 0;
      for (let i = 0; i < s.criticSteps; i++) {
        const r = await criticStep(ctx);
        critic += r.loss / s.criticSteps;
        wasserstein += r.wasserstein / s.criticSteps;
        penalty += r.penalty / s.criticSteps;
      }
      const condition = task.conditions?.(ctx.rng, s.batchSize);
      const z = noiseFrom(ctx.rng, s.batchSize, task.noiseSize);
      const { loss: generator } = await ctx.minimize('generator', () => tf.neg(scoreMean(task.generator.generate(z, condition, true), condition)) as tf.Scalar);
      tf.dispose([z, ...(condition ? [condition] : [])]);
      return { metrics: { critic, wasserstein, penalty, generator }, items: s.batchSize * (s.criticSteps + 1) };
    },
    ...(task.validate ? { validate: task.validate } : {}),
  };
}
