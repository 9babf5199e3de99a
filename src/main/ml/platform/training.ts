// From a folder of music to a trained model folder, for any kind: validate, import, train, index the corpus, write model.json.
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { GENERATING_CAPABILITIES as GENERATING, type PresetId } from '../../../shared/api/models';
import { importDataset } from '../../music/datasets';
import { getKind } from '../models';
import { CHECKPOINT_DIR, newManifest, readManifest, writeManifest, type ModelManifest } from '../registry';
import { buildPlagiarismIndex, dataSummary, PLAGIARISM_FILE } from './corpus';
import type { TrainEvent } from './kind';

export interface TrainModelRequest {
  kind: string;
  dataFolder: string;
  cacheDir: string;
  outDir: string;
  /** Defaults to the output folder's name. */
  id?: string;
  name?: string;
  description?: string;
  preset?: PresetId;
  /** The kind's training parameters; they override the preset. */
  params?: Record<string, unknown>;
  resume?: boolean;
  /** Stop training after about this many seconds (the step count adapts to the measured speed). */
  timeBudgetSeconds?: number;
  /** The training data's licence, recorded in model.json. */
  licence?: string;
  /** The command line that made the model, recorded in model.json. */
  command?: string;
}

export interface TrainRunOptions {
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
}

/**
 * Trains (or resumes) a model of request.kind into request.outDir. The parameters are checked before any file is
 * read; a resumed run keeps the name, description and licence it was started with unless new ones are given.
 * @throws InvalidArgumentError for parameters the kind refuses.
 */
export async function trainModel(request: TrainModelRequest, options: TrainRunOptions = {}): Promise<ModelManifest> {
  const { signal, onEvent } = options;
  const kind = getKind(request.kind);
  const preset = request.preset ?? kind.definition.defaultPreset;
  const { params, given } = kind.trainParams(preset, request.params ?? {});
  const dataset = await importDataset(request.dataFolder, {
    cacheDir: request.cacheDir,
    signal,
    onProgress: (progress) => onEvent?.({ phase: 'import', progress }),
  });
  await mkdir(request.outDir, { recursive: true });
  const outcome = await kind.train({
    dataset,
    params,
    given,
    preset,
    checkpointPath: join(request.outDir, CHECKPOINT_DIR),
    resume: request.resume ?? false,
    ...(request.timeBudgetSeconds !== undefined ? { timeBudgetSeconds: request.timeBudgetSeconds } : {}),
    ...(signal ? { signal } : {}),
    emit: (e) => onEvent?.(e),
  });
  // Only music a model makes can copy its training pieces; a kind that only refines what it is given needs no index.
  const generates = kind.capabilities.some((c) => GENERATING.has(c));
  if (generates) {
    onEvent?.({ phase: 'index', message: 'indexing the training corpus for plagiarism checks' });
    await writeFile(join(request.outDir, PLAGIARISM_FILE), buildPlagiarismIndex(dataset).toBinary());
  }
  const previous = request.resume ? await readManifest(request.outDir).catch(() => null) : null;
  const id = request.id ?? previous?.id ?? basename(request.outDir);
  const description = request.description ?? previous?.description;
  const manifest = newManifest({
    id,
    kind: kind.id,
    name: request.name ?? previous?.name ?? id,
    ...(description ? { description } : {}),
    config: outcome.config,
    data: dataSummary(dataset, request.licence ?? previous?.data?.licence),
    metrics: outcome.metrics,
    training: { preset, ...outcome.training, ...(request.command ? { command: request.command } : {}) },
    ...(generates ? { plagiarismIndex: PLAGIARISM_FILE } : {}),
  });
  await writeManifest(request.outDir, manifest);
  return manifest;
}
