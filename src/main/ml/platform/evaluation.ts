// Scores any model on a folder of music (one split or every piece) and, optionally, profiles how much its samples copy.
import type { ModelInfo, TrainingDataSummary } from '../../../shared/api/models';
import { InvalidArgumentError } from '../../../shared/errors';
import { importDataset, type ImportProgress, type Split } from '../../music/datasets';
import type { ModelHostCore } from '../host/core';
import { getKind } from '../models';
import { buildPlagiarismIndex, dataSummary, plagiarismSummary } from './corpus';
import type { RunContext } from './kind';

export const EVALUATION_SPLITS = ['all', 'train', 'valid', 'test'] as const;
export type EvaluationSplit = (typeof EVALUATION_SPLITS)[number];

export interface EvaluateRequest {
  dataFolder: string;
  cacheDir: string;
  /** Which pieces count: one split of the folder (by content hash, as in training), or all of them. */
  split: EvaluationSplit;
  /** The kind's evaluation options. */
  options: Record<string, unknown>;
  /** Also generate samples and measure how much they copy from the folder's train split. */
  plagiarism?: { samples: number; seconds: number; seed: number; temperature: number };
}

export interface PlagiarismProfile {
  samples: number;
  secondsEach: number;
  /** Longest verbatim copied run (notes) of each sample. */
  longestRuns: number[];
  maxLongestRun: number;
  medianLongestRun: number;
  /** The sample with the longest copied run and what it copied from. */
  worst: { seed: number; piece: string; length: number } | null;
}

export interface EvaluationReport {
  modelId: string;
  kind: string;
  data: TrainingDataSummary;
  split: EvaluationSplit;
  /** Pieces scored, and of how many in the folder. */
  pieces: number;
  piecesInFolder: number;
  metrics: Record<string, number>;
  count: number;
  countUnit: string;
  options: Record<string, unknown>;
  plagiarism?: PlagiarismProfile;
}

export type EvaluateEvent = { phase: 'import'; progress: ImportProgress } | { phase: 'evaluate'; fraction: number } | { phase: 'message'; message: string };

/** @throws InvalidArgumentError when the split holds no piece (saying how many the folder has). */
export async function evaluateModel(
  info: ModelInfo,
  request: EvaluateRequest,
  core: ModelHostCore,
  options: { signal?: AbortSignal; onEvent?: (e: EvaluateEvent) => void } = {},
): Promise<EvaluationReport> {
  const { signal, onEvent } = options;
  const kind = getKind(info.kind);
  const kindOptions = kind.evaluateOptions(request.options);
  const dataset = await importDataset(request.dataFolder, { cacheDir: request.cacheDir, signal, onProgress: (progress) => onEvent?.({ phase: 'import', progress }) });
  // Augmented copies are training material, not music to be scored.
  const originals = dataset.pieces.filter((p) => !p.augmentation);
  const pieces = request.split === 'all' ? originals : originals.filter((p) => p.split === (request.split as Split));
  if (pieces.length === 0) {
    throw new InvalidArgumentError(`"${request.dataFolder}" has no piece in the ${request.split} split (${originals.length} pieces in all); try --split all`);
  }
  const ctx: RunContext = { ...(signal ? { signal } : {}), progress: (fraction) => onEvent?.({ phase: 'evaluate', fraction }) };
  const scored = await core.evaluate(info.dir, { dataset, pieces, options: kindOptions }, ctx);
  const report: EvaluationReport = {
    modelId: info.id,
    kind: info.kind,
    data: dataSummary(dataset),
    split: request.split,
    pieces: pieces.length,
    piecesInFolder: originals.length,
    metrics: scored.metrics,
    count: scored.count,
    countUnit: scored.countUnit,
    options: scored.options,
  };
  if (request.plagiarism) {
    onEvent?.({ phase: 'message', message: 'indexing the train split' });
    const index = buildPlagiarismIndex(dataset);
    const p = request.plagiarism;
    const accepts = new Set(Object.keys(kind.info().generateSchema?.properties ?? {}));
    const runs: number[] = [];
    let worst: PlagiarismProfile['worst'] = null;
    for (let i = 0; i < p.samples; i++) {
      const seed = p.seed + i;
      const params = Object.fromEntries(Object.entries({ seed, seconds: p.seconds, temperature: p.temperature }).filter(([k]) => accepts.has(k)));
      const out = await core.generate(info.dir, params, {}, signal ? { signal } : {});
      const summary = plagiarismSummary(index, out.sequence);
      const run = summary.longestRun?.length ?? 0;
      runs.push(run);
      if (summary.longestRun && (!worst || run > worst.length)) worst = { seed, piece: summary.longestRun.name, length: run };
      onEvent?.({ phase: 'message', message: `plagiarism check: sample ${i + 1} of ${p.samples}` });
    }
    const sorted = [...runs].sort((a, b) => a - b);
    report.plagiarism = {
      samples: p.samples,
      secondsEach: p.seconds,
      longestRuns: runs,
      maxLongestRun: sorted[sorted.length - 1] ?? 0,
      medianLongestRun: sorted[Math.floor(sorted.length / 2)] ?? 0,
      worst,
    };
  }
  return report;
}
