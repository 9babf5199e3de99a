// What a long-running job looks like to the UI: state, progress, rate, ETA, the latest metric, and a typed result per job kind.
import type { ModelMetrics } from './api/models';
import type { SerializedError } from './errors';
import type { GenerationResult, RefineResult } from './generation';
import type { NoteSequence } from './song';
import type { JobId } from './units';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** One training step's measurements, as the Train view plots them. */
export interface TrainPoint {
  step: number;
  /** The phase of the recipe, e.g. "pretrain" or "adversarial". */
  phase: string;
  /** This step's metrics by name (e.g. loss, or critic and generator). */
  metrics: Record<string, number>;
  /** Exponential moving averages of the same metrics. */
  smoothed: Record<string, number>;
  /** Validation metrics, on the steps that ran a validation. */
  valid?: Record<string, number>;
}

export interface TrainJobResult {
  modelId: string;
  dir: string;
  metrics: ModelMetrics;
}

export interface ImportDatasetJobResult {
  cacheDir: string;
  cacheKey: string;
  folder: string;
  fromCache: boolean;
  summary: { files: number; pieces: number; notes: number; skipped: number };
  skipped: { file: string; error: string; message: string }[];
}

/** Each job kind's result and the data its progress reports carry. */
export interface JobKinds {
  'train-model': { result: TrainJobResult; data: { point?: TrainPoint; sample?: NoteSequence } };
  'generate': { result: GenerationResult; data: never };
  /** Polishing a sequence with a Refine Net. */
  'polish': { result: RefineResult; data: never };
  'import-dataset': { result: ImportDatasetJobResult; data: never };
  /** Counts for a while; used by tests. */
  'self-test': { result: { sum: number }; data: never };
}
export type JobKind = keyof JobKinds;
export const JOB_KINDS = ['train-model', 'generate', 'polish', 'import-dataset', 'self-test'] as const satisfies readonly JobKind[];

interface JobStatusBase {
  id: JobId;
  title: string;
  state: JobState;
  /** 0..1 */
  fraction: number;
  /** Work units per second, e.g. tokens/s or files/s. */
  rate?: number;
  rateUnit?: string;
  etaSeconds?: number;
  /** The latest value of the job's main metric, e.g. training loss. */
  metric?: { name: string; value: number };
  message?: string;
  /** When it was queued, and when it started running. */
  queuedAt: number;
  startedAt?: number;
  endedAt?: number;
  error?: SerializedError;
}

export type JobStatusOf<K extends JobKind> = JobStatusBase & { kind: K; result?: JobKinds[K]['result'] };
export type JobStatus = { [K in JobKind]: JobStatusOf<K> }[JobKind];
export type JobDataOf<K extends JobKind> = JobKinds[K]['data'];

/** A progress report sent by a job while it runs. */
export interface JobProgress<D = unknown> {
  fraction: number;
  rate?: number;
  rateUnit?: string;
  etaSeconds?: number;
  metric?: { name: string; value: number };
  message?: string;
  /** Structured data for the UI (a loss point, a sample preview), typed per job kind. */
  data?: D;
}

/** A job update as the engine pushes it: the status and, for some kinds, a data point. `kind` repeats job.kind so that checking it narrows `data` too. */
export type JobEvent = { [K in JobKind]: { type: 'job'; kind: K; job: JobStatusOf<K>; data?: JobDataOf<K> } }[JobKind];

export function isActive(job: Pick<JobStatusBase, 'state'>): boolean {
  return job.state === 'running' || job.state === 'queued';
}
