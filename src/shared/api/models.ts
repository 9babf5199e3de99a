// Model methods: the kinds the engine can train, the models it holds, generation and training jobs, and model sessions.
import { z } from 'zod';
import type { JsonSchema } from '../forms';
import type { GenerationResult, SessionChunk } from '../generation';
import type { JobStatus } from '../jobs';
import { noteSequence } from '../schemas';
import { method } from './define';

export type ModelSource = 'shipped' | 'user';

/** What a kind of model can do; the UI offers a feature only to the models whose kind declares it. */
export const CAPABILITIES = ['sample', 'continue', 'condition', 'noise', 'interpolate', 'refine', 'complete', 'encode', 'decode', 'stream'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** The capabilities that make new music: a model with one of them is checked for copying its training pieces. */
export const GENERATING_CAPABILITIES: ReadonlySet<Capability> = new Set(['sample', 'continue', 'complete', 'decode', 'stream']);

/** Model sizes every kind offers: tiny trains in minutes, small in about an hour, study is the study's size. */
export const PRESET_IDS = ['tiny', 'small', 'study'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

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

/** A trained model's measurements, by the names its kind declares (KindInfo.metrics), plus the common ones. */
export interface ModelMetrics {
  [name: string]: number | undefined;
  steps?: number;
  tokensSeen?: number;
  trainingSeconds?: number;
  parameters?: number;
}

export interface MetricInfo {
  name: string;
  label: string;
  unit?: string;
  better: 'lower' | 'higher';
}

export interface PresetInfo {
  id: PresetId;
  label: string;
  hint: string;
  /** The training parameters the preset sets. */
  values: Record<string, unknown>;
}

/** A model kind as the UI and the CLI see it: everything needed to build its forms and flags. */
export interface KindInfo {
  id: string;
  label: string;
  description: string;
  /** What the model reads and writes, in words (e.g. "performance events, 388 tokens"). */
  representation: string;
  capabilities: Capability[];
  presets: PresetInfo[];
  defaultPreset: PresetId;
  /** JSON Schema of the training parameters (model size and training settings). */
  trainSchema: JsonSchema;
  /** JSON Schema of the generation parameters; null for kinds that do not generate. */
  generateSchema: JsonSchema | null;
  /** JSON Schema of the options of `deep-symphony evaluate`; null for kinds without any. */
  evaluateSchema: JsonSchema | null;
  /** JSON Schema of the polish options (durations, velocities, strength); null for kinds that do not polish. */
  refineSchema: JsonSchema | null;
  /** What a trained model reports, headline first. */
  metrics: MetricInfo[];
  /** What each training step reports (the Train view plots these). */
  trainingMetrics: MetricInfo[];
}

export interface ModelInfo {
  id: string;
  kind: string;
  kindLabel: string;
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
  capabilities: Capability[];
  /** True when the model ships an index of its training corpus for plagiarism checks. */
  hasPlagiarismIndex: boolean;
}

export const modelId = z.string().min(1).max(200).regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, 'a model id like "piano-char-rnn"');
export const kindId = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and hyphens');

/** Form values: the engine validates them against the model kind's own schema. */
export const paramValues = z
  .record(z.string().max(64), z.union([z.number(), z.string().max(500), z.boolean(), z.null()]))
  .refine((r) => Object.keys(r).length <= 64, 'at most 64 parameters');
export type ParamValues = z.infer<typeof paramValues>;

export const trainRequestSchema = z.object({
  kind: kindId,
  /** Folder of MIDI/ABC files. */
  dataFolder: z.string().min(1).max(4096),
  /** A name for the new model; its id is derived from it. */
  name: z.string().min(1).max(200),
  preset: z.enum(PRESET_IDS).optional(),
  /** The kind's training parameters (its trainSchema); they override the preset. */
  params: paramValues.optional(),
  /** Stop after about this many minutes. */
  minutes: z.number().positive().max(100_000).optional(),
  /** Continue the model of that name from its last checkpoint. */
  resume: z.boolean().optional(),
});
export type TrainRequest = z.infer<typeof trainRequestSchema>;

/** What generation takes besides the form: music to continue. */
export const generateExtras = z.object({ primer: noteSequence.optional() });
export type GenerateExtras = z.infer<typeof generateExtras>;

export const sessionId = z.string().regex(/^session-[0-9]+$/, 'a session id like "session-1"');

export interface SessionInfo {
  id: string;
  modelId: string;
  kind: string;
  /** The parameters as applied, defaults filled in. */
  params: Record<string, unknown>;
}

export const modelsApi = {
  /** The kinds of model this engine can train and run. */
  kinds: method(z.tuple([])).returns<KindInfo[]>(),
  list: method(z.tuple([])).returns<ModelInfo[]>(),
  /** Starts a 'generate' job on a warm model worker; its result is a GenerationResult. */
  generate: method(z.tuple([modelId, paramValues, generateExtras.optional()])).returns<JobStatus>(),
  /** Starts a 'polish' job: the sequence refined by a model of the refine capability (the shipped one without an id). */
  polish: method(z.tuple([modelId.nullable(), noteSequence, paramValues])).returns<JobStatus>(),
  /** Starts a 'train-model' job writing into the user's models folder. */
  train: method(z.tuple([trainRequestSchema])).returns<JobStatus>(),
};

export const sessionsApi = {
  /** Opens a live generator on a warm model worker (models whose kind can stream). */
  open: method(z.tuple([modelId, paramValues])).returns<SessionInfo>(),
  /** The next `seconds` of music. */
  step: method(z.tuple([sessionId, z.number().positive().max(60)])).returns<SessionChunk>(),
  /** Changes the session's parameters from now on (e.g. the key or density of a conditional model). */
  control: method(z.tuple([sessionId, paramValues])).returns<void>(),
  close: method(z.tuple([sessionId])).returns<void>(),
};

export type { GenerationResult };
