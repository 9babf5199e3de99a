// The DCRNN kind's parameters (training, generation by noise schedule, live control, evaluation) as zod schemas with form hints.
import { z } from 'zod';
import { InvalidArgumentError } from '../../../../shared/errors';
import type { FieldHints } from '../../../../shared/forms';
import { parseKey } from '../../../../shared/keys';
import { formSchedule, type ZSchedule } from '../../../../shared/noise';

const hint = (h: FieldHints): FieldHints => h;

export const trainSchema = z.object({
  generator: z.enum(['dcrnn', 'rnn']).default('dcrnn').meta(hint({ title: 'Generator', description: 'dcrnn: the study\'s DCRNN; rnn: one GRU, the RNN-GAN it tried first', group: 'Model', enumLabels: ['DCRNN', 'Plain RNN'] })),
  critic: z.enum(['cnn', 'rnn']).default('cnn').meta(hint({ title: 'Critic', description: 'cnn: convolutions over the roll; rnn: a GRU over its frames', group: 'Model', enumLabels: ['CNN', 'RNN'] })),
  conditional: z.boolean().default(true).meta(hint({ title: 'Scale condition', description: 'Learn the pitch-class histogram, so that generation can ask for a key', group: 'Model' })),
  noise: z.number().int().min(8).max(256).meta(hint({ title: 'Noise size', description: 'Values in the noise vector z (8 of them follow the EMG armband live)', group: 'Model' })),
  repeat: z.number().int().min(1).max(8).default(3).meta(hint({ title: 'Repeats', description: 'How many times RNN-a\'s bar of structure is repeated: a segment lasts this many bars', group: 'Model', advanced: true })),
  unitsA: z.number().int().min(4).max(1024).meta(hint({ title: 'RNN-a units', group: 'Model', advanced: true })),
  stripChannels: z.number().int().min(1).max(64).meta(hint({ title: 'Strip channels', description: 'RNN-b writes this many channels for each group of 4 keys', group: 'Model', advanced: true })),
  stripWidth: z.number().int().min(1).max(24).default(12).meta(hint({ title: 'Strip width', unit: 'keys', description: 'Keys one strip kernel spans, like a hand on the keyboard', group: 'Model', advanced: true })),
  rnnUnits: z.number().int().min(4).max(1024).meta(hint({ title: 'RNN units', description: 'Of the plain RNN generator and the RNN critic', group: 'Model', advanced: true })),
  criticWidth: z.number().int().min(1).max(128).meta(hint({ title: 'Critic channels', description: 'Of the first conv layer; the next two have twice and four times as many', group: 'Model', advanced: true })),
  steps: z.number().int().min(1).max(10_000_000).default(2000).meta(hint({ title: 'Steps', description: 'Generator steps (each after several critic steps)', group: 'Training' })),
  batch: z.number().int().min(2).max(512).default(32).meta(hint({ title: 'Batch size', group: 'Training' })),
  criticSteps: z.number().int().min(1).max(20).default(5).meta(hint({ title: 'Critic steps', description: 'Critic updates per generator update', group: 'Training', advanced: true })),
  penalty: z.number().min(0).max(1000).default(10).meta(hint({ title: 'Gradient penalty', description: 'Its weight λ', group: 'Training', advanced: true })),
  lr: z.number().min(1e-6).max(1).default(1e-4).meta(hint({ title: 'Learning rate', description: 'Of both networks', group: 'Training' })),
  beta1: z.number().min(0).max(0.999).default(0.5).meta(hint({ title: 'Adam β1', group: 'Training', advanced: true })),
  beta2: z.number().min(0).max(0.9999).default(0.9).meta(hint({ title: 'Adam β2', group: 'Training', advanced: true })),
  transpose: z.number().int().min(0).max(12).default(3).meta(hint({ title: 'Transposition', unit: 'semitones', description: 'Each segment is shifted by up to this much, at random', group: 'Training', advanced: true })),
  validEvery: z.number().int().min(1).max(1_000_000).default(100).meta(hint({ title: 'Measure every', unit: 'steps', description: 'Diversity and a sample every this many steps', group: 'Training', advanced: true })),
  checkpointEvery: z.number().int().min(1).max(1_000_000).default(100).meta(hint({ title: 'Checkpoint every', unit: 'steps', group: 'Training', advanced: true })),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1).meta(hint({ title: 'Seed', group: 'Training', advanced: true })),
});
export type DcrnnTrainParams = z.output<typeof trainSchema>;

const keyText = z
  .string()
  .max(20)
  .refine((s) => parseKey(s) !== null, 'a key like "C major", "F# minor" or "Bb"');

const seedPair = z
  .string()
  .max(40)
  .regex(/^\s*\d{1,10}\s*,\s*\d{1,10}\s*$/, 'two seeds, e.g. "1,2"');

const shared = {
  key: keyText.optional().meta(hint({ title: 'Key', widget: 'key', description: 'The scale the model is conditioned on' })),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional().meta(hint({ title: 'Seed', widget: 'seed', description: 'The noise vector: the same seed gives the same bars' })),
  threshold: z.number().min(0.05).max(0.95).default(0.5).meta(hint({ title: 'Threshold', description: 'A key is down where its probability reaches this', slider: { min: 0.2, max: 0.8, step: 0.05 }, advanced: true })),
  sample: z.boolean().default(false).meta(hint({ title: 'Sampling noise', description: 'Draw each key with its probability instead of the threshold', advanced: true })),
  velocity: z.number().int().min(1).max(127).default(80).meta(hint({ title: 'Velocity', description: 'Of every note, when the Velocity Net does not set them', advanced: true })),
  velocityNet: z.boolean().default(true).meta(hint({ title: 'Velocity Net', description: 'Velocities from the Refine Net\'s Velocity Net, when one is installed', advanced: true })),
};

export const generateSchema = z.object({
  bars: z.number().int().min(1).max(512).default(12).meta(hint({ title: 'Length', unit: 'bars', slider: { min: 3, max: 48, step: 3 } })),
  form: z
    .string()
    .regex(/^[A-Z]{1,64}$/, 'capital letters, e.g. "ABCAB"')
    .optional()
    .meta(hint({ title: 'Form', description: 'Sections by letter, each its own noise vector (A: the seed, B: the seed + 1, ...), e.g. ABCAB' })),
  barsPerSection: z.number().int().min(1).max(64).default(4).meta(hint({ title: 'Bars per section', advanced: true })),
  interpolate: seedPair.optional().meta(hint({ title: 'Interpolate', description: 'From the vector of one seed to another\'s over the length, e.g. "1,2"', advanced: true })),
  mode: z.enum(['slerp', 'linear']).default('slerp').meta(hint({ title: 'Interpolation', advanced: true, enumLabels: ['Spherical', 'Linear'] })),
  ...shared,
});
export type DcrnnGenerateParams = z.output<typeof generateSchema>;

/** A live session's parameters change with `control`: any of these, and single values of z as z0, z1, ... */
export const controlSchema = z.object({ key: keyText.nullable().optional(), seed: shared.seed, threshold: shared.threshold.optional(), sample: z.boolean().optional() }).catchall(z.number().min(-10).max(10));

export const evaluateSchema = z.object({
  samples: z.number().int().min(2).max(1000).default(64).meta(hint({ title: 'Samples', description: 'Generated segments to measure, and real segments to compare them with' })),
  key: keyText.optional().meta(hint({ title: 'Key', description: 'Also condition on this key and measure the in-scale rate' })),
  seed: z.number().int().min(0).default(1).meta(hint({ title: 'Seed' })),
});

/**
 * The noise schedule the parameters ask for: a form of sections, an interpolation from one seed's vector to
 * another's, or one vector for the whole length.
 * @throws InvalidArgumentError when both a form and an interpolation are asked for.
 */
export function scheduleOf(p: DcrnnGenerateParams, seed: number): ZSchedule {
  if (p.form && p.interpolate) throw new InvalidArgumentError('ask for a form or an interpolation, not both');
  if (p.form) return formSchedule(p.form, p.barsPerSection, seed);
  if (p.interpolate) {
    const [from, to] = p.interpolate.split(',').map((s) => Number(s.trim())) as [number, number];
    return { parts: [{ label: 'A', bars: p.bars, from: { name: `seed ${from}`, seed: from }, to: { name: `seed ${to}`, seed: to }, mode: p.mode }], order: ['A'] };
  }
  return { parts: [{ label: 'A', bars: p.bars, vector: { name: `seed ${seed}`, seed } }], order: ['A'] };
}
