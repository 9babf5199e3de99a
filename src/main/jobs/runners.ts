// The job kinds that run in a fresh worker thread of their own; each is loaded lazily inside the worker.
import type { JobKind } from '../../shared/jobs';
import type { JobRunner } from './types';

export const jobRunners: Partial<Record<JobKind, () => Promise<JobRunner>>> = {
  /** A job that counts for a while; used by tests and as the smallest example of a runner. */
  'self-test': async () => (await import('./selfTest')).runSelfTest,
  /** Trains a model of any kind into a model folder; params TrainModelJobParams (ml/jobs.ts). */
  'train-model': async () => (await import('../ml/jobs')).runTrainModel,
  /** Imports a folder of MIDI/ABC into cached token shards; params { folder, cacheDir, augment? }. */
  'import-dataset': async () => (await import('../music/datasets/job')).runImportDataset,
};

export function isWorkerJobKind(kind: string): boolean {
  return Object.hasOwn(jobRunners, kind);
}
