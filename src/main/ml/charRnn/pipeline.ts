// From a folder of music to a trained model folder, and from a model folder to notes: what the CLI and the jobs both run.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InvalidArgumentError } from '../../../shared/errors';
import type { GenerateOptions, GenerationResult, PlagiarismSummary } from '../../../shared/generation';
import type { ModelInfo, TrainingDataSummary } from '../../../shared/api/models';
import type { NoteSequence } from '../../../shared/song';
import { decodePerformance } from '../../music/performance';
import { importDataset, type Dataset, type ImportProgress } from '../../music/datasets';
import { findCheckpoint, loadCheckpointConfig } from '../checkpoint';
import { notePitchSequence, PlagiarismIndex } from '../eval/plagiarism';
import { CHECKPOINT_DIR, newManifest, readManifest, writeManifest, type ModelManifest } from '../registry';
import type { TrainProgress } from '../train/loop';
import { DEFAULT_TRAIN_CONFIG, defaultModelConfig, type CharRnnConfig, type CharRnnKind, type CharRnnTrainConfig, type ModelPreset } from './config';
import type { TokenCorpus, TokenPiece } from './data';
import { CharRnn, type CharRnnCheckpointConfig } from './model';

export const PLAGIARISM_FILE = 'plagiarism.bin';

export interface TrainModelParams {
  kind: CharRnnKind;
  dataFolder: string;
  cacheDir: string;
  outDir: string;
  /** Defaults to the output folder's name. */
  id?: string;
  name?: string;
  description?: string;
  preset?: ModelPreset;
  /** Overrides the preset's layer sizes. */
  units?: number[];
  dropout?: number;
  train?: Partial<CharRnnTrainConfig>;
  resume?: boolean;
  /** Stop training after about this many seconds (the step count adapts to the measured speed). */
  timeBudgetSeconds?: number;
  /** The training data's licence, recorded in model.json. */
  licence?: string;
  /** The command line that made the model, recorded in model.json. */
  command?: string;
}

export type TrainEvent =
  | { phase: 'import'; progress: ImportProgress }
  | { phase: 'train'; progress: TrainProgress }
  | { phase: 'evaluate'; fraction: number }
  | { phase: 'index'; message: string }
  | { phase: 'sample'; sequence: NoteSequence };

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
}

/** The train and valid splits of an imported dataset as token streams (augmented copies stay in train). */
export function corpusOf(dataset: Dataset): TokenCorpus {
  const piece = (p: Dataset['pieces'][number]): TokenPiece => ({ id: p.id, name: p.title ?? p.file, tokens: dataset.tokensOf(p) });
  return {
    train: dataset.pieces.filter((p) => p.split === 'train').map(piece),
    valid: dataset.pieces.filter((p) => p.split === 'valid').map(piece),
  };
}

export function dataSummary(dataset: Dataset, licence?: string): TrainingDataSummary {
  const s = dataset.summary;
  const out: TrainingDataSummary = {
    name: basename(dataset.folder),
    pieces: s.pieces,
    trainPieces: s.bySplit.train.pieces,
    validPieces: s.bySplit.valid.pieces,
    trainEvents: s.bySplit.train.events,
    validEvents: s.bySplit.valid.events,
    notes: s.notes,
    hours: Math.round((s.seconds / 3600) * 100) / 100,
  };
  if (licence) out.licence = licence;
  return out;
}

/** An index of the train split's original pieces (no augmented copies) for the plagiarism check. */
export function buildPlagiarismIndex(dataset: Dataset): PlagiarismIndex {
  const pieces = dataset.pieces
    .filter((p) => p.split === 'train' && !p.augmentation)
    .map((p) => ({ id: p.id, name: p.title ?? p.file, pitches: notePitchSequence(decodePerformance(dataset.tokensOf(p))) }));
  return PlagiarismIndex.build(pieces);
}

/**
 * Imports the data, trains (or resumes) a Char-RNN into params.outDir, scores it on the whole valid split,
 * indexes the training corpus and writes model.json. The checkpoint keeps the optimizer state for resuming.
 */
export async function trainCharRnnModel(params: TrainModelParams, options: RunOptions = {}): Promise<ModelManifest> {
  const { signal, onEvent } = options;
  const dataset = await importDataset(params.dataFolder, {
    cacheDir: params.cacheDir,
    signal,
    onProgress: (progress) => onEvent?.({ phase: 'import', progress }),
  });
  const corpus = corpusOf(dataset);
  if (corpus.valid.length === 0) {
    throw new InvalidArgumentError(`"${params.dataFolder}" has no piece in the valid split (${dataset.pieces.length} pieces): add more music`);
  }
  const checkpointPath = join(params.outDir, CHECKPOINT_DIR);
  await mkdir(params.outDir, { recursive: true });

  let modelConfig: CharRnnConfig;
  let trainConfig: CharRnnTrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...params.train };
  if (params.resume && (await findCheckpoint(checkpointPath))) {
    // A resumed run keeps the model it started with; only the step budget may grow.
    const saved = (await loadCheckpointConfig(checkpointPath)) as CharRnnCheckpointConfig;
    modelConfig = saved.model;
    if (saved.train) trainConfig = { ...saved.train, steps: params.train?.steps ?? saved.train.steps };
  } else {
    modelConfig = defaultModelConfig(params.kind, params.preset ?? 'small');
    if (params.units) modelConfig.units = params.units;
    if (params.dropout !== undefined) modelConfig.dropout = params.dropout;
  }
  const model = new CharRnn(modelConfig);
  try {
    const result = await model.train(corpus, trainConfig, {
      checkpointPath,
      resume: params.resume ?? false,
      ...(params.timeBudgetSeconds !== undefined ? { timeBudgetSeconds: params.timeBudgetSeconds } : {}),
      ...(signal ? { signal } : {}),
      onProgress: (progress) => onEvent?.({ phase: 'train', progress }),
      ...(onEvent ? { onPreview: (sequence: NoteSequence) => onEvent({ phase: 'sample', sequence }) } : {}),
    });
    const validNll = await model.evaluate(corpus.valid, {
      window: trainConfig.segmentLength,
      batchSize: trainConfig.batchSize,
      ...(signal ? { signal } : {}),
      onProgress: (fraction) => onEvent?.({ phase: 'evaluate', fraction }),
    });
    onEvent?.({ phase: 'index', message: 'indexing the training corpus for plagiarism checks' });
    const index = buildPlagiarismIndex(dataset);
    await writeFile(join(params.outDir, PLAGIARISM_FILE), index.toBinary());
    // A resumed run keeps the name, description and licence it was started with unless new ones are given.
    const previous = params.resume ? await readManifest(params.outDir).catch(() => null) : null;
    const id = params.id ?? previous?.id ?? basename(params.outDir);
    const description = params.description ?? previous?.description;
    const manifest = newManifest({
      id,
      kind: modelConfig.kind,
      name: params.name ?? previous?.name ?? id,
      ...(description ? { description } : {}),
      config: model.config,
      data: dataSummary(dataset, params.licence ?? previous?.data?.licence),
      metrics: {
        validNll,
        trainLoss: result.state.smoothedLoss,
        steps: result.state.step,
        tokensSeen: result.state.tokensSeen,
        trainingSeconds: Math.round(result.state.elapsedSeconds),
        parameters: model.parameterCount(),
      },
      training: { ...trainConfig, ...(params.command ? { command: params.command } : {}), validWindow: trainConfig.segmentLength },
      plagiarismIndex: PLAGIARISM_FILE,
    });
    await writeManifest(params.outDir, manifest);
    return manifest;
  } finally {
    model.dispose();
  }
}

/** Loads a Char-RNN model folder (model.json + checkpoint/). */
export async function loadCharRnn(dir: string): Promise<{ model: CharRnn; manifest: ModelManifest }> {
  const manifest = await readManifest(dir);
  const { model } = await CharRnn.load(join(dir, CHECKPOINT_DIR));
  return { model, manifest };
}

/** The model's training-corpus index, when it ships one. */
export async function loadPlagiarismIndex(dir: string, manifest: ModelManifest): Promise<PlagiarismIndex | null> {
  if (!manifest.plagiarismIndex) return null;
  return PlagiarismIndex.fromBinary(new Uint8Array(await readFile(join(dir, manifest.plagiarismIndex))));
}

export function plagiarismSummary(index: PlagiarismIndex, seq: NoteSequence): PlagiarismSummary {
  const pitches = notePitchSequence(seq);
  const report = index.check(pitches, { topK: 1 });
  return {
    queryLength: report.queryLength,
    longestRun: report.longestRun ? { pieceId: report.longestRun.pieceId, name: report.longestRun.name, length: report.longestRun.length } : null,
    lcs: report.lcs ? { pieceId: report.lcs.pieceId, name: report.lcs.name, length: report.lcs.length, ratio: report.lcs.ratio } : null,
  };
}

/** Generates with the model in `info.dir`, and checks the result against its training corpus if it can. */
export async function generateWithModel(info: Pick<ModelInfo, 'dir'>, options: GenerateOptions): Promise<GenerationResult> {
  const { model, manifest } = await loadCharRnn(info.dir);
  try {
    const out = model.generate(options);
    const result: GenerationResult = {
      sequence: out.sequence,
      modelId: manifest.id,
      modelKind: manifest.kind,
      seed: out.seed,
      events: out.tokens.length,
      seconds: out.seconds,
      options: out.applied,
    };
    result.sequence.meta = { title: `${manifest.name} #${out.seed}`, source: `deep-symphony ${manifest.id}` };
    const index = await loadPlagiarismIndex(info.dir, manifest);
    if (index) result.plagiarism = plagiarismSummary(index, out.sequence);
    return result;
  } finally {
    model.dispose();
  }
}

export interface EvaluateParams {
  dataFolder: string;
  cacheDir: string;
  /** Predictions per window; default: the model's training segment length. */
  window?: number;
  batchSize?: number;
  /** Also generate samples and measure how much they copy from the dataset's train split. */
  plagiarism?: { samples: number; seconds: number; seed: number; temperature: number };
}

export interface PlagiarismProfile {
  samples: number;
  secondsEach: number;
  /** Longest verbatim copied run (notes) of each sample. */
  longestRuns: number[];
  maxLongestRun: number;
  medianLongestRun: number;
  /** Mean share of a sample's notes in its longest common subsequence with one training piece. */
  meanLcsRatio: number;
  /** The sample with the longest copied run and what it copied from. */
  worst: { seed: number; piece: string; length: number } | null;
}

export interface EvaluationReport {
  modelId: string;
  kind: string;
  data: TrainingDataSummary;
  window: number;
  validEvents: number;
  /** Nats per event on the valid split. */
  validNll: number;
  plagiarism?: PlagiarismProfile;
}

/** Scores a model folder on a dataset's valid split and optionally profiles its copying. */
export async function evaluateModelFolder(dir: string, params: EvaluateParams, options: RunOptions = {}): Promise<EvaluationReport> {
  const { signal, onEvent } = options;
  const dataset = await importDataset(params.dataFolder, { cacheDir: params.cacheDir, signal, onProgress: (progress) => onEvent?.({ phase: 'import', progress }) });
  const corpus = corpusOf(dataset);
  if (corpus.valid.length === 0) throw new InvalidArgumentError(`"${params.dataFolder}" has no piece in the valid split`);
  const { model, manifest } = await loadCharRnn(dir);
  try {
    const trained = manifest.training as { segmentLength?: number } | undefined;
    const window = params.window ?? trained?.segmentLength ?? 128;
    const validNll = await model.evaluate(corpus.valid, {
      window,
      batchSize: params.batchSize ?? 32,
      ...(signal ? { signal } : {}),
      onProgress: (fraction) => onEvent?.({ phase: 'evaluate', fraction }),
    });
    const report: EvaluationReport = {
      modelId: manifest.id,
      kind: manifest.kind,
      data: dataSummary(dataset),
      window,
      validEvents: corpus.valid.reduce((n, p) => n + p.tokens.length, 0),
      validNll,
    };
    if (params.plagiarism) {
      onEvent?.({ phase: 'index', message: 'indexing the train split' });
      const index = buildPlagiarismIndex(dataset);
      const p = params.plagiarism;
      const runs: number[] = [];
      let ratioSum = 0;
      let worst: PlagiarismProfile['worst'] = null;
      for (let i = 0; i < p.samples; i++) {
        const seed = p.seed + i;
        const out = model.generate({ seed, lengthSeconds: p.seconds, temperature: p.temperature });
        const summary = plagiarismSummary(index, out.sequence);
        const run = summary.longestRun?.length ?? 0;
        runs.push(run);
        ratioSum += summary.lcs?.ratio ?? 0;
        if (summary.longestRun && (!worst || run > worst.length)) worst = { seed, piece: summary.longestRun.name, length: run };
        onEvent?.({ phase: 'index', message: `plagiarism check: sample ${i + 1} of ${p.samples}` });
      }
      const sorted = [...runs].sort((a, b) => a - b);
      report.plagiarism = {
        samples: p.samples,
        secondsEach: p.seconds,
        longestRuns: runs,
        maxLongestRun: sorted[sorted.length - 1] ?? 0,
        medianLongestRun: sorted[Math.floor(sorted.length / 2)] ?? 0,
        meanLcsRatio: p.samples > 0 ? ratioSum / p.samples : 0,
        worst,
      };
    }
    return report;
  } finally {
    model.dispose();
  }
}
