// What a long-running job looks like to the UI: state, progress, rate, ETA and the latest metric.
import type { SerializedError } from './errors';
import type { JobId } from './units';

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobStatus {
  id: JobId;
  kind: string;
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
  startedAt: number;
  endedAt?: number;
  error?: SerializedError;
  result?: unknown;
}

/** A progress report sent by a job while it runs. */
export interface JobProgress {
  fraction: number;
  rate?: number;
  rateUnit?: string;
  etaSeconds?: number;
  metric?: { name: string; value: number };
  message?: string;
  /** Arbitrary structured data for the UI (e.g. a loss point or a sample preview). */
  data?: unknown;
}
