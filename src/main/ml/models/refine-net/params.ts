// The Refine Net kind's parameters: training, polishing (durations, velocities, strength) and evaluation, with form hints.
import { z } from 'zod';
import type { FieldHints } from '../../../../shared/forms';

const hint = (h: FieldHints): FieldHints => h;

export const trainSchema = z.object({
  units: z.number().int().min(4).max(512).meta(hint({ title: 'Units', description: 'Of each direction of each net\'s GRU', group: 'Model' })),
  steps: z.number().int().min(1).max(1_000_000).default(3000).meta(hint({ title: 'Steps', group: 'Training' })),
  batch: z.number().int().min(1).max(256).default(32).meta(hint({ title: 'Batch size', group: 'Training' })),
  window: z.number().int().min(8).max(1024).default(64).meta(hint({ title: 'Window', unit: 'notes', group: 'Training', advanced: true })),
  lr: z.number().min(1e-6).max(1).default(3e-3).meta(hint({ title: 'Learning rate', group: 'Training' })),
  transpose: z.number().int().min(0).max(12).default(3).meta(hint({ title: 'Transposition', unit: 'semitones', group: 'Training', advanced: true })),
  validEvery: z.number().int().min(1).max(1_000_000).default(200).meta(hint({ title: 'Validate every', unit: 'steps', group: 'Training', advanced: true })),
  checkpointEvery: z.number().int().min(1).max(1_000_000).default(200).meta(hint({ title: 'Checkpoint every', unit: 'steps', group: 'Training', advanced: true })),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1).meta(hint({ title: 'Seed', group: 'Training', advanced: true })),
});
export type RefineTrainParams = z.output<typeof trainSchema>;

export const polishSchema = z.object({
  durations: z.boolean().default(true).meta(hint({ title: 'Durations', description: 'Restore note and rest lengths to a consistent beat' })),
  velocities: z.boolean().default(true).meta(hint({ title: 'Velocities', description: 'Stress the theme, soften the accompaniment' })),
  strength: z.number().min(0).max(1).default(1).meta(hint({ title: 'Strength', slider: { min: 0, max: 1, step: 0.05 } })),
});
export type PolishParams = z.output<typeof polishSchema>;

export const evaluateSchema = z.object({
  seed: z.number().int().min(0).default(1).meta(hint({ title: 'Seed', description: 'Of the distortion of the pieces' })),
  pieces: z.number().int().min(1).max(10_000).optional().meta(hint({ title: 'Pieces', description: 'Score at most this many pieces' })),
});
