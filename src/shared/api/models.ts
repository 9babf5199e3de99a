// Model methods: list the studio's models, start a generation or a training job.
import { z } from 'zod';
import { generateOptionsSchema } from '../generation';
import type { JobStatus } from '../jobs';
import { method } from './define';

export type ModelSource = 'shipped' | 'user';

/** What the data a model was trained on looked like. */
export interface TrainingDataSummary {
  /** The folder's name (not its full path). */
  name: string;
  pieces: number;
  trainPieces: number;
  validPieces: number;
  trainEvents: number;
  validEvents: number;
  notes: number;
  hours: number;
  licence?: string;
}

export interface ModelMetrics {
  /** Mean negative log-likelihood on the valid split, nats per event. */
  validNll?: number;
  /** Smoothed training loss at the end, nats per event. */
  trainLoss?: number;
  steps?: number;
  tokensSeen?: number;
  trainingSeconds?: number;
  parameters?: number;
}

export interface ModelInfo {
  id: string;
  kind: string;
  name: string;
  description?: string;
  source: ModelSource;
  /** The model's folder on disk. */
  dir: string;
  isDefault: boolean;
  createdAt: string;
  config: unknown;
  data?: TrainingDataSummary;
  metrics: ModelMetrics;
  /** True when the model ships an index of its training corpus for plagiarism checks. */
  hasPlagiarismIndex: boolean;
  /** Takes conditions (key, histogram, pitch, density). */
  conditional: boolean;
}

export const modelId = z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/, 'a model id like "piano-char-rnn"');

export const modelKind = z.enum(['char-rnn', 'conditional-char-rnn']);

export const trainRequestSchema = z.object({
  kind: modelKind,
  /** Folder of MIDI/ABC files. */
  dataFolder: z.string().min(1).max(4096),
  /** A name for the new model; its id is derived from it. */
  name: z.string().min(1).max(200),
  preset: z.enum(['tiny', 'small', 'study']).optional(),
  units: z.array(z.number().int().min(8).max(2048)).min(1).max(6).optional(),
  steps: z.number().int().min(1).max(10_000_000).optional(),
  batchSize: z.number().int().min(1).max(512).optional(),
  segmentLength: z.number().int().min(8).max(2048).optional(),
  learningRate: z.number().positive().max(1).optional(),
  /** Continue the model of that name from its last checkpoint. */
  resume: z.boolean().optional(),
});

export type TrainRequest = z.infer<typeof trainRequestSchema>;

export const modelsApi = {
  list: method(z.tuple([])).returns<ModelInfo[]>(),
  /** Starts a 'generate' job; its result is a GenerationResult. */
  generate: method(z.tuple([modelId, generateOptionsSchema])).returns<JobStatus>(),
  /** Starts a 'train-model' job writing into the user's models folder. */
  train: method(z.tuple([trainRequestSchema])).returns<JobStatus>(),
};
