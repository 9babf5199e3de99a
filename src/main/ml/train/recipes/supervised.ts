// The supervised recipe: one optimizer, one loss per batch (teacher-forced prediction), validation on held-out batches.
import type * as tf from '@tensorflow/tfjs';
import type { NamedVariable } from '../adam';
import type { Recipe } from '../loop';
import type { Rng } from '../rng';
import type { DecayKind } from '../schedule';

export interface SupervisedTask<B> {
  variables: readonly NamedVariable[];
  /** The checkpoint's config JSON. */
  config(): unknown;
  /** A training batch drawn with `rng`. */
  sampleBatch(rng: Rng): B;
  /** Items (tokens, examples) in a batch, for the rate. */
  batchItems(batch: B): number;
  /** Mean loss over the batch; `dropoutSeed` is null when not training (no dropout). */
  loss(batch: B, dropoutSeed: number | null): tf.Scalar;
  /** The mean validation loss over a fixed held-out set. */
  validate?(): Promise<number>;
}

export interface SupervisedSettings {
  steps: number;
  learningRate: number;
  warmupSteps: number;
  decay: DecayKind;
  finalLearningRateFraction: number;
  clipNorm: number;
  /** e.g. "events/s" */
  rateUnit: string;
}

/** Metric names this recipe reports: `loss` per step, and `loss` under validation. */
export const SUPERVISED_LOSS = 'loss';

export function supervisedRecipe<B>(task: SupervisedTask<B>, s: SupervisedSettings): Recipe {
  const recipe: Recipe = {
    optimizers: [
      {
        name: 'model',
        variables: task.variables,
        learningRate: s.learningRate,
        warmupSteps: s.warmupSteps,
        decay: s.decay,
        finalLearningRateFraction: s.finalLearningRateFraction,
        clipNorm: s.clipNorm,
      },
    ],
    phases: [{ name: 'train', steps: s.steps }],
    mainMetric: SUPERVISED_LOSS,
    rateUnit: s.rateUnit,
    config: () => task.config(),
    async step(ctx) {
      // The batch first, then the dropout seed: the order every earlier run drew them in.
      const batch = task.sampleBatch(ctx.rng);
      const dropoutSeed = ctx.rng.fork();
      const { loss } = await ctx.minimize('model', () => task.loss(batch, dropoutSeed));
      return { metrics: { [SUPERVISED_LOSS]: loss }, items: task.batchItems(batch) };
    },
  };
  const validate = task.validate;
  if (validate) recipe.validate = async () => ({ [SUPERVISED_LOSS]: await validate() });
  return recipe;
}
