// The job kinds the engine can run off its request thread; each is loaded lazily inside the worker.
import type { JobRunner } from './types';

export const jobRunners: Record<string, () => Promise<JobRunner>> = {
  /** A job that counts for a while; used by tests and as the smallest example of a runner. */
  'self-test': async () => (await import('./selfTest')).runSelfTest,
  /** Trains a Char-RNN / Conditional Char-RNN into a model folder; params TrainModelJobParams (ml/jobs.ts). */
  'train-model': async () => (await import('../ml/jobs')).runTrainModel,
  /** Generates with a model folder; params { modelDir, options: GenerateOptions }, result GenerationResult. */
  'generate': async () => (await import('../ml/jobs')).runGenerate,
  /** Imports a folder of MIDI/ABC into cached token shards; params { folder, cacheDir, augment? }. */
  'import-dataset': async () => (await import('../music/datasets/job')).runImportDataset,
};

export function isJobKind(kind: string): boolean {
  return Object.hasOwn(jobRunners, kind);
}
