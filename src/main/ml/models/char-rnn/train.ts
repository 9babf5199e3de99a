// Training a Char-RNN kind from an imported dataset: a fresh model from the preset, or the checkpoint's when resuming.
import { InvalidArgumentError } from '../../../../shared/errors';
import type { Dataset } from '../../../music/datasets';
import { findCheckpoint, loadCheckpointConfig } from '../../checkpoint';
import type { TrainContext, TrainOutcome } from '../../platform/kind';
import { defaultModelConfig, type CharRnnConfig, type CharRnnKind, type CharRnnTrainConfig } from './config';
import type { TokenCorpus, TokenPiece } from './data';
import { CharRnn, type CharRnnCheckpointConfig } from './model';
import type { CharRnnTrainParams } from './params';

/** The train and valid splits of an imported dataset as token streams (augmented copies stay in train). */
export function corpusOf(dataset: Dataset): TokenCorpus {
  const piece = (p: Dataset['pieces'][number]): TokenPiece => ({ id: p.id, name: p.title ?? p.file, tokens: dataset.tokensOf(p) });
  return {
    train: dataset.pieces.filter((p) => p.split === 'train').map(piece),
    valid: dataset.pieces.filter((p) => p.split === 'valid').map(piece),
  };
}

export function trainConfigOf(p: CharRnnTrainParams): CharRnnTrainConfig {
  return {
    steps: p.steps,
    batchSize: p.batch,
    segmentLength: p.segment,
    learningRate: p.lr,
    warmupSteps: p.warmup,
    decay: p.decay,
    finalLearningRateFraction: p.finalLr,
    clipNorm: p.clip,
    validEvery: p.validEvery,
    validSegments: p.validSegments,
    checkpointEvery: p.checkpointEvery,
    transpose: p.transpose,
    seed: p.seed,
  };
}

/** Trains (or resumes) into ctx.checkpointPath, then scores the whole valid split. */
export async function trainCharRnn(kind: CharRnnKind, ctx: TrainContext<CharRnnTrainParams>): Promise<TrainOutcome> {
  const corpus = corpusOf(ctx.dataset);
  if (corpus.valid.length === 0) {
    throw new InvalidArgumentError(`"${ctx.dataset.folder}" has no piece in the valid split (${ctx.dataset.pieces.length} pieces): add more music`);
  }
  let modelConfig: CharRnnConfig;
  let trainConfig = trainConfigOf(ctx.params);
  if (ctx.resume && (await findCheckpoint(ctx.checkpointPath))) {
    // A resumed run keeps the model and settings it started with; only the step budget may grow.
    const saved = (await loadCheckpointConfig(ctx.checkpointPath)) as CharRnnCheckpointConfig;
    if (saved.model?.kind !== kind) {
      throw new InvalidArgumentError(`the checkpoint in "${ctx.checkpointPath}" holds a ${String(saved.model?.kind)} model, not a ${kind}`);
    }
    modelConfig = saved.model;
    if (saved.train) trainConfig = { ...saved.train, steps: ctx.given.has('steps') ? ctx.params.steps : saved.train.steps };
  } else {
    modelConfig = defaultModelConfig(kind, ctx.preset);
    modelConfig.units = new Array<number>(ctx.params.layers).fill(ctx.params.units);
    modelConfig.dropout = ctx.params.dropout;
  }
  const model = new CharRnn(modelConfig);
  try {
    const result = await model.train(corpus, trainConfig, {
      checkpointPath: ctx.checkpointPath,
      resume: ctx.resume,
      ...(ctx.timeBudgetSeconds !== undefined ? { timeBudgetSeconds: ctx.timeBudgetSeconds } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onProgress: (progress) => ctx.emit({ phase: 'train', progress }),
      onPreview: (sequence) => ctx.emit({ phase: 'sample', sequence }),
    });
    const validNll = await model.evaluate(corpus.valid, {
      window: trainConfig.segmentLength,
      batchSize: trainConfig.batchSize,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onProgress: (fraction) => ctx.emit({ phase: 'evaluate', fraction }),
    });
    const s = result.state;
    return {
      config: model.config,
      metrics: {
        validNll,
        trainLoss: s.smoothed.loss,
        steps: s.step,
        tokensSeen: s.itemsSeen,
        trainingSeconds: Math.round(s.elapsedSeconds),
        parameters: model.parameterCount(),
      },
      training: { ...trainConfig, validWindow: trainConfig.segmentLength },
    };
  } finally {
    model.dispose();
  }
}
