// Char-RNN configuration: model sizes (the study's 3x512 is one preset among others), training settings and defaults.
import { z } from 'zod';
import { VOCAB_SIZE } from '../../../music/performance';
import { CONDITION_SIZE } from './conditions';
import { KIND_IDS } from './ids';

export const CHAR_RNN_KINDS = KIND_IDS;
export type CharRnnKind = (typeof CHAR_RNN_KINDS)[number];

/** Typical values of each condition in the training data; used for conditions a caller leaves out. */
export interface ConditionDefaults {
  histogram: number[];
  pitchMean: number;
  pitchRange: number;
  density: number;
}

export interface CharRnnConfig {
  kind: CharRnnKind;
  vocabSize: number;
  /** Units of each stacked LSTM layer, bottom first. */
  units: number[];
  /** Dropout rate between layers and before the output projection, while training. */
  dropout: number;
  /** Length of the condition vector (0 for the plain Char-RNN). */
  conditionSize: number;
  /** Set once training data has been seen (conditional models only). */
  conditionDefaults?: ConditionDefaults;
  /** Seed of the weight initialization. */
  initSeed: number;
}

export interface CharRnnTrainConfig {
  steps: number;
  batchSize: number;
  /** Events per training segment (the truncated-BPTT length). */
  segmentLength: number;
  learningRate: number;
  warmupSteps: number;
  decay: 'cosine' | 'linear' | 'none';
  finalLearningRateFraction: number;
  clipNorm: number;
  validEvery: number;
  /** Number of fixed valid-split segments scored at each validation. */
  validSegments: number;
  checkpointEvery: number;
  /** Random transposition of each training segment by up to this many semitones (0 = none). */
  transpose: number;
  seed: number;
}

export const MODEL_PRESETS = {
  /** The study's configuration. */
  study: { units: [512, 512, 512], dropout: 0.3 },
  /** What trains on a laptop CPU in half an hour; the shipped models. */
  small: { units: [256, 256], dropout: 0.2 },
  /** For tests. */
  tiny: { units: [32], dropout: 0 },
} as const satisfies Record<string, Pick<CharRnnConfig, 'units' | 'dropout'>>;

export type ModelPreset = keyof typeof MODEL_PRESETS;

export function defaultModelConfig(kind: CharRnnKind, preset: ModelPreset = 'small'): CharRnnConfig {
  const p = MODEL_PRESETS[preset];
  return {
    kind,
    vocabSize: VOCAB_SIZE,
    units: [...p.units],
    dropout: p.dropout,
    conditionSize: kind === 'conditional-char-rnn' ? CONDITION_SIZE : 0,
    initSeed: 1,
  };
}

export const DEFAULT_TRAIN_CONFIG: CharRnnTrainConfig = {
  steps: 2000,
  batchSize: 32,
  segmentLength: 128,
  learningRate: 2e-3,
  warmupSteps: 100,
  decay: 'cosine',
  finalLearningRateFraction: 0.05,
  clipNorm: 1,
  validEvery: 100,
  validSegments: 64,
  checkpointEvery: 100,
  transpose: 3,
  seed: 1,
};

const positiveInt = z.number().int().min(1);

export const charRnnConfigSchema = z.object({
  kind: z.enum(CHAR_RNN_KINDS),
  vocabSize: z.literal(VOCAB_SIZE),
  units: z.array(z.number().int().min(1).max(4096)).min(1).max(8),
  dropout: z.number().min(0).max(0.9),
  conditionSize: z.number().int().min(0),
  conditionDefaults: z
    .object({ histogram: z.array(z.number()).length(12), pitchMean: z.number(), pitchRange: z.number(), density: z.number() })
    .optional(),
  initSeed: z.number().int(),
});

export const charRnnTrainConfigSchema = z.object({
  steps: positiveInt.max(10_000_000),
  batchSize: positiveInt.max(1024),
  segmentLength: z.number().int().min(2).max(4096),
  learningRate: z.number().positive().max(1),
  warmupSteps: z.number().int().min(0),
  decay: z.enum(['cosine', 'linear', 'none']),
  finalLearningRateFraction: z.number().min(0).max(1),
  clipNorm: z.number().min(0),
  validEvery: positiveInt,
  validSegments: positiveInt.max(100_000),
  checkpointEvery: positiveInt,
  transpose: z.number().int().min(0).max(12),
  seed: z.number().int(),
});
