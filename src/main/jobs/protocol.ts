// Messages between the job manager and a job worker (a tagged union, one job per worker).
import type { SerializedError } from '../../shared/errors';
import type { JobProgress } from '../../shared/jobs';

export type ToWorker = { kind: 'run'; jobKind: string; params: unknown } | { kind: 'cancel' };

export type FromWorker =
  | { kind: 'progress'; progress: JobProgress }
  | { kind: 'done'; result: unknown }
  | { kind: 'error'; error: SerializedError };
