// The Char-RNN kinds' parameters: training, generation, live conditions and evaluation, as zod schemas with form hints.
import { z } from 'zod';
import type { FieldHints } from '../../../../shared/forms';
import type { ConditionSpec, GenerateOptions } from '../../../../shared/generation';
import { parseKey } from '../../../../shared/keys';
import { InvalidArgumentError } from '../../../../shared/errors';
import { DEFAULT_TRAIN_CONFIG } from './config';

const hint = (h: FieldHints): FieldHints => h;
const d = DEFAULT_TRAIN_CONFIG;

export const trainSchema = z.object({
  layers: z.number().int().min(1).max(8).meta(hint({ title: 'Layers', description: 'Stacked LSTM layers', group: 'Model' })),
  units: z.number().int().min(8).max(2048).meta(hint({ title: 'Units per layer', group: 'Model' })),
  dropout: z.number().min(0).max(0.9).meta(hint({ title: 'Dropout', description: 'Between layers, while training', group: 'Model' })),
  steps: z.number().int().min(1).max(10_000_000).default(d.steps).meta(hint({ title: 'Steps', description: 'Optimizer steps', group: 'Training' })),
  batch: z.number().int().min(1).max(1024).default(d.batchSize).meta(hint({ title: 'Batch size', description: 'Segments per step', group: 'Training' })),
  segment: z.number().int().min(2).max(4096).default(d.segmentLength).meta(hint({ title: 'Segment length', unit: 'events', description: 'Events per segment (truncated backpropagation through time)', group: 'Training', advanced: true })),
  lr: z.number().min(1e-6).max(1).default(d.learningRate).meta(hint({ title: 'Learning rate', description: 'Peak, after warmup', group: 'Training' })),
  warmup: z.number().int().min(0).max(1_000_000).default(d.warmupSteps).meta(hint({ title: 'Warmup steps', group: 'Training', advanced: true })),
  decay: z.enum(['cosine', 'linear', 'none']).default(d.decay).meta(hint({ title: 'Learning-rate decay', group: 'Training', advanced: true })),
  finalLr: z.number().min(0).max(1).default(d.finalLearningRateFraction).meta(hint({ title: 'Final learning rate', description: 'As a fraction of the peak', group: 'Training', advanced: true })),
  clip: z.number().min(0).max(1e6).default(d.clipNorm).meta(hint({ title: 'Gradient clip', description: 'Global norm; 0 turns it off', group: 'Training', advanced: true })),
  transpose: z.number().int().min(0).max(12).default(d.transpose).meta(hint({ title: 'Transposition', unit: 'semitones', description: 'Each segment is shifted by up to this much, at random', group: 'Training', advanced: true })),
  validEvery: z.number().int().min(1).max(1_000_000).default(d.validEvery).meta(hint({ title: 'Validate every', unit: 'steps', group: 'Training', advanced: true })),
  validSegments: z.number().int().min(1).max(100_000).default(d.validSegments).meta(hint({ title: 'Validation segments', group: 'Training', advanced: true })),
  checkpointEvery: z.number().int().min(1).max(1_000_000).default(d.checkpointEvery).meta(hint({ title: 'Checkpoint every', unit: 'steps', group: 'Training', advanced: true })),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(d.seed).meta(hint({ title: 'Seed', description: 'Of initialization and sampling', group: 'Training', advanced: true })),
});
export type CharRnnTrainParams = z.output<typeof trainSchema>;

const samplingFields = {
  seconds: z.number().min(0.1).max(3600).default(30).meta(hint({ title: 'Length', unit: 's', slider: { min: 5, max: 120, step: 5 } })),
  events: z.number().int().min(1).max(1_000_000).optional().meta(hint({ title: 'Events', description: 'Stop after this many events as well', advanced: true })),
  temperature: z.number().min(0.01).max(10).default(1).meta(hint({ title: 'Temperature', description: 'Lower is safer, higher is more adventurous', slider: { min: 0.5, max: 1.5, step: 0.05 } })),
  topK: z.number().int().min(0).max(10_000).default(0).meta(hint({ title: 'Top k', description: 'Sample among the k most likely events only (0 = all)', advanced: true })),
  topP: z.number().min(0.001).max(1).default(1).meta(hint({ title: 'Top p', description: 'Nucleus sampling: the most likely events covering this probability (1 = all)', advanced: true })),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional().meta(hint({ title: 'Seed', description: 'The same seed gives the same notes', widget: 'seed' })),
};

const keyText = z
  .string()
  .max(20)
  .refine((s) => parseKey(s) !== null, 'a key like "C major", "F# minor" or "Bb"');

const conditionFields = {
  key: keyText.optional().meta(hint({ title: 'Key', widget: 'key', group: 'Conditions' })),
  pitch: z.number().min(0).max(127).optional().meta(hint({ title: 'Pitch', description: 'Mean MIDI pitch to aim at (60 = middle C)', widget: 'pitch', slider: { min: 36, max: 96, step: 1 }, group: 'Conditions' })),
  density: z.number().min(0).max(200).optional().meta(hint({ title: 'Density', unit: 'notes/s', slider: { min: 0.5, max: 16, step: 0.5 }, group: 'Conditions' })),
  range: z.number().min(0).max(127).optional().meta(hint({ title: 'Range', unit: 'semitones', description: 'Spread between the lowest and highest note', group: 'Conditions', advanced: true })),
};

export const plainGenerate = z.object(samplingFields);
export const conditionalGenerate = z.object({ ...samplingFields, ...conditionFields });
export type CharRnnGenerateParams = z.output<typeof conditionalGenerate>;

/** The live-controllable part of a conditional session: the conditions. */
export const conditionControls = z.object(conditionFields);

export const evaluateSchema = z.object({
  window: z.number().int().min(2).max(100_000).optional().meta(hint({ title: 'Window', unit: 'events', description: 'Predictions per window, each from a fresh state (default: the training segment length)' })),
  batch: z.number().int().min(1).max(1024).default(32).meta(hint({ title: 'Batch', description: 'Windows per batch' })),
});
export type CharRnnEvaluateOptions = z.output<typeof evaluateSchema>;

/** The conditions of a parameter set, as the model reads them. */
export function conditionsOf(p: Partial<Pick<CharRnnGenerateParams, 'key' | 'pitch' | 'density' | 'range'>>): ConditionSpec | undefined {
  const c: ConditionSpec = {};
  if (p.key !== undefined) {
    const key = parseKey(p.key);
    if (!key) throw new InvalidArgumentError(`"${p.key}" is not a key; write it like "C major", "F# minor" or "Bb"`);
    c.keyPreset = key;
  }
  if (p.pitch !== undefined) c.pitchMean = p.pitch;
  if (p.density !== undefined) c.density = p.density;
  if (p.range !== undefined) c.pitchRange = p.range;
  return Object.keys(c).length > 0 ? c : undefined;
}

/** Form parameters to the model's sampling options. */
export function toGenerateOptions(p: CharRnnGenerateParams): GenerateOptions {
  const o: GenerateOptions = { lengthSeconds: p.seconds, temperature: p.temperature, topK: p.topK, topP: p.topP };
  if (p.events !== undefined) o.lengthEvents = p.events;
  if (p.seed !== undefined) o.seed = p.seed;
  const conditions = conditionsOf(p);
  if (conditions) o.conditions = conditions;
  return o;
}
