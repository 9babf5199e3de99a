// The 'train-model' job: trains a model of any kind in its own worker thread (at low priority) with progress, loss points and previews.
import { z } from 'zod';
import { PRESET_IDS } from '../../shared/api/models';
import type { JobProgress, TrainJobResult, JobKinds } from '../../shared/jobs';
import type { JobContext } from '../jobs/types';
import { lowerThreadPriority } from '../util/priority';
import { selectBackend } from './backend';
import type { TrainEvent } from './platform/kind';
import { trainModel } from './platform/training';

const trainModelParams = z.object({
  kind: z.string().min(1),
  dataFolder: z.string().min(1),
  cacheDir: z.string().min(1),
  outDir: z.string().min(1),
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  preset: z.enum(PRESET_IDS).optional(),
  /** Validated by the kind. */
  params: z.record(z.string(), z.unknown()).optional(),
  resume: z.boolean().optional(),
  timeBudgetSeconds: z.number().positive().optional(),
  licence: z.string().optional(),
});

export type TrainModelJobParams = z.input<typeof trainModelParams>;

type TrainData = JobKinds['train-model']['data'];

/** Shares of the job's progress bar: import, training, final scoring. */
const IMPORT_SHARE = 0.05;
const TRAIN_SHARE = 0.9;
/** Points sent to the UI at most every this many steps (validation points always). */
const CURVE_EVERY = 10;

export async function runTrainModel(raw: unknown, ctx: JobContext): Promise<TrainJobResult> {
  const params = trainModelParams.parse(raw);
  // Generations (someone waiting) come before training (nobody waiting): on Linux this thread yields the cores.
  lowerThreadPriority();
  await selectBackend();
  let last: JobProgress<TrainData> = { fraction: 0 };
  const manifest = await trainModel(params, {
    signal: ctx.signal,
    onEvent: (e) => {
      // A sample preview keeps the bar where it is and carries the notes for the Train view.
      if (e.phase === 'sample') {
        ctx.progress({ ...last, data: { sample: e.sequence } });
        return;
      }
      const p = trainProgress(e);
      const { data: _data, ...rest } = p;
      last = rest;
      ctx.progress(p);
    },
  });
  return { modelId: manifest.id, dir: params.outDir, metrics: manifest.metrics };
}

function trainProgress(e: Exclude<TrainEvent, { phase: 'sample' }>): JobProgress<TrainData> {
  switch (e.phase) {
    case 'import':
      return { fraction: IMPORT_SHARE * e.progress.fraction, message: e.progress.message ?? 'importing the data' };
    case 'train': {
      const p = e.progress;
      const point = p.valid !== undefined || p.step % CURVE_EVERY === 0;
      const main = p.smoothed[p.mainMetric];
      return {
        fraction: IMPORT_SHARE + (TRAIN_SHARE * p.step) / p.totalSteps,
        rate: p.itemsPerSecond,
        rateUnit: p.rateUnit,
        etaSeconds: p.etaSeconds,
        ...(main !== undefined ? { metric: { name: p.mainMetric, value: main } } : {}),
        message: `step ${p.step} of ${p.totalSteps}${p.phase !== 'train' ? ` (${p.phase})` : ''}`,
        ...(point
          ? { data: { point: { step: p.step, phase: p.phase, metrics: p.metrics, smoothed: p.smoothed, ...(p.valid ? { valid: p.valid } : {}) } } }
          : {}),
      };
    }
    case 'evaluate':
      return { fraction: IMPORT_SHARE + TRAIN_SHARE + (1 - IMPORT_SHARE - TRAIN_SHARE) * 0.8 * e.fraction, message: 'scoring the valid split' };
    case 'index':
      return { fraction: 0.99, message: e.message };
  }
}
