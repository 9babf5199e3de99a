// Job runners for the ML engine: 'train-model' and 'generate', run in a job worker with progress and cancel.
import { z } from 'zod';
import { generateOptionsSchema, type GenerateOptions, type GenerationResult } from '../../shared/generation';
import type { JobContext } from '../jobs/types';
import { selectBackend } from './backend';
import { CHAR_RNN_KINDS } from './charRnn/config';
import { generateWithModel, trainCharRnnModel, type TrainEvent } from './charRnn/pipeline';

const trainModelParams = z.object({
  kind: z.enum(CHAR_RNN_KINDS),
  dataFolder: z.string().min(1),
  cacheDir: z.string().min(1),
  outDir: z.string().min(1),
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  preset: z.enum(['tiny', 'small', 'study']).optional(),
  units: z.array(z.number().int().min(1).max(4096)).min(1).max(8).optional(),
  dropout: z.number().min(0).max(0.9).optional(),
  train: z
    .object({
      steps: z.number().int().min(1),
      batchSize: z.number().int().min(1),
      segmentLength: z.number().int().min(2),
      learningRate: z.number().positive(),
      warmupSteps: z.number().int().min(0),
      decay: z.enum(['cosine', 'linear', 'none']),
      finalLearningRateFraction: z.number().min(0).max(1),
      clipNorm: z.number().min(0),
      validEvery: z.number().int().min(1),
      validSegments: z.number().int().min(1),
      checkpointEvery: z.number().int().min(1),
      transpose: z.number().int().min(0).max(12),
      seed: z.number().int(),
    })
    .partial()
    .optional(),
  resume: z.boolean().optional(),
  timeBudgetSeconds: z.number().positive().optional(),
  licence: z.string().optional(),
});

export type TrainModelJobParams = z.input<typeof trainModelParams>;

/** Shares of the job's progress bar: import, training, final scoring. */
const IMPORT_SHARE = 0.05;
const TRAIN_SHARE = 0.9;
/** Loss points sent to the UI at most every this many steps (validation points always). */
const CURVE_EVERY = 10;

export interface TrainModelJobResult {
  modelId: string;
  dir: string;
  validNll: number | undefined;
  steps: number | undefined;
}

export async function runTrainModel(raw: unknown, ctx: JobContext): Promise<TrainModelJobResult> {
  const params = trainModelParams.parse(raw);
  await selectBackend();
  let last: Parameters<JobContext['progress']>[0] = { fraction: 0 };
  const manifest = await trainCharRnnModel(params, {
    signal: ctx.signal,
    onEvent: (e) => {
      // A sample preview keeps the bar where it is and carries the notes for the Train view.
      const p = e.phase === 'sample' ? { ...last, data: { sample: e.sequence } } : trainProgress(e);
      if (e.phase !== 'sample') last = { ...p, data: undefined };
      ctx.progress(p);
    },
  });
  return { modelId: manifest.id, dir: params.outDir, validNll: manifest.metrics.validNll, steps: manifest.metrics.steps };
}

function trainProgress(e: Exclude<TrainEvent, { phase: 'sample' }>): Parameters<JobContext['progress']>[0] {
  switch (e.phase) {
    case 'import':
      return { fraction: IMPORT_SHARE * e.progress.fraction, message: e.progress.message ?? 'importing the data' };
    case 'train': {
      const p = e.progress;
      const point = p.validLoss !== undefined || p.step % CURVE_EVERY === 0;
      return {
        fraction: IMPORT_SHARE + (TRAIN_SHARE * p.step) / p.totalSteps,
        rate: p.tokensPerSecond,
        rateUnit: 'events/s',
        etaSeconds: p.etaSeconds,
        metric: { name: 'loss', value: p.smoothedLoss },
        message: `step ${p.step} of ${p.totalSteps}`,
        ...(point ? { data: { step: p.step, loss: p.loss, smoothedLoss: p.smoothedLoss, validLoss: p.validLoss } } : {}),
      };
    }
    case 'evaluate':
      return { fraction: IMPORT_SHARE + TRAIN_SHARE + (1 - IMPORT_SHARE - TRAIN_SHARE) * 0.8 * e.fraction, message: 'scoring the valid split' };
    case 'index':
      return { fraction: 0.99, message: e.message };
  }
}

const generateParams = z.object({ modelDir: z.string().min(1), options: generateOptionsSchema });

export interface GenerateJobParams {
  modelDir: string;
  options: GenerateOptions;
}

export async function runGenerate(raw: unknown, ctx: JobContext): Promise<GenerationResult> {
  const { modelDir, options } = generateParams.parse(raw);
  await selectBackend();
  ctx.progress({ fraction: 0.05, message: 'loading the model' });
  ctx.throwIfCancelled();
  const result = await generateWithModel({ dir: modelDir }, options as GenerateOptions);
  ctx.progress({ fraction: 1, message: `${result.sequence.notes.length} notes` });
  return result;
}
