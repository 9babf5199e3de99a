// The models the studio knows: shipped ones (resources/models/*) and the user's (userData/models/*), each described by its model.json.
import { readdir, readFile, stat, writeFile, rename } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { NotFoundError, StudioError } from '../../shared/errors';
import type { ModelInfo, ModelMetrics, ModelSource, TrainingDataSummary } from '../../shared/api/models';
import type { StudioPaths } from '../paths';

/** The shipped model `deep-symphony generate` uses without --model. */
export const DEFAULT_MODEL_ID = 'piano-conditional-char-rnn';

export const MODEL_MANIFEST = 'model.json';
/** The checkpoint folder inside a model folder. */
export const CHECKPOINT_DIR = 'checkpoint';
const MANIFEST_FORMAT = 'deep-symphony-model/1';

/** A model.json that cannot be read or lacks required fields. */
export class ModelManifestError extends StudioError {}

/** model.json: everything about a model except its weights. */
export interface ModelManifest {
  format: typeof MANIFEST_FORMAT;
  id: string;
  kind: string;
  name: string;
  description?: string;
  createdAt: string;
  config: unknown;
  data?: TrainingDataSummary;
  metrics: ModelMetrics;
  /** Training settings and the command that made the model, for reproducibility. */
  training?: unknown;
  /** File (relative to the model folder) of the training corpus's plagiarism index. */
  plagiarismIndex?: string;
}

export function modelsRoots(paths: StudioPaths): { source: ModelSource; dir: string }[] {
  return [
    { source: 'shipped', dir: join(paths.resources, 'models') },
    { source: 'user', dir: join(paths.userData, 'models') },
  ];
}

export function newManifest(fields: Omit<ModelManifest, 'format' | 'createdAt'> & { createdAt?: string }): ModelManifest {
  return { format: MANIFEST_FORMAT, createdAt: new Date().toISOString(), ...fields };
}

/** Writes model.json (via a temporary file and a rename, so a reader never sees half of it). */
export async function writeManifest(dir: string, manifest: ModelManifest): Promise<void> {
  const tmp = join(dir, `${MODEL_MANIFEST}.tmp`);
  await writeFile(tmp, JSON.stringify(manifest, null, 2) + '\n');
  await rename(tmp, join(dir, MODEL_MANIFEST));
}

/** @throws ModelManifestError when model.json is missing, not JSON or incomplete. */
export async function readManifest(dir: string): Promise<ModelManifest> {
  let raw: string;
  try {
    raw = await readFile(join(dir, MODEL_MANIFEST), 'utf8');
  } catch {
    throw new ModelManifestError(`no ${MODEL_MANIFEST} in "${dir}": not a model folder`);
  }
  let m: Partial<ModelManifest>;
  try {
    m = JSON.parse(raw) as Partial<ModelManifest>;
  } catch (err) {
    throw new ModelManifestError(`${join(dir, MODEL_MANIFEST)} is not valid JSON: ${(err as Error).message}`);
  }
  if (m.format !== MANIFEST_FORMAT || typeof m.id !== 'string' || typeof m.kind !== 'string' || typeof m.name !== 'string') {
    throw new ModelManifestError(`${join(dir, MODEL_MANIFEST)} is not a ${MANIFEST_FORMAT} manifest (format "${String(m.format)}")`);
  }
  return { metrics: {}, createdAt: '', config: null, ...m } as ModelManifest;
}

export function manifestToInfo(m: ModelManifest, dir: string, source: ModelSource): ModelInfo {
  const info: ModelInfo = {
    id: m.id,
    kind: m.kind,
    name: m.name,
    source,
    dir,
    isDefault: source === 'shipped' && m.id === DEFAULT_MODEL_ID,
    createdAt: m.createdAt,
    config: m.config,
    metrics: m.metrics,
    hasPlagiarismIndex: m.plagiarismIndex !== undefined,
    conditional: m.kind === 'conditional-char-rnn',
  };
  if (m.description !== undefined) info.description = m.description;
  if (m.data !== undefined) info.data = m.data;
  return info;
}

/** Every readable model, shipped first; folders without a valid model.json are left out. */
export async function listModels(paths: StudioPaths): Promise<ModelInfo[]> {
  const out: ModelInfo[] = [];
  for (const root of modelsRoots(paths)) {
    let names: string[];
    try {
      names = (await readdir(root.dir)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const dir = join(root.dir, name);
      try {
        out.push(manifestToInfo(await readManifest(dir), dir, root.source));
      } catch (err) {
        if (!(err instanceof ModelManifestError)) throw err;
      }
    }
  }
  return out;
}

/**
 * Finds a model by id (the user's shadow shipped ones of the same id), or by its folder path.
 * Without an argument, the shipped default.
 * @throws NotFoundError naming the ids that do exist.
 */
export async function resolveModel(idOrDir: string | undefined, paths: StudioPaths): Promise<ModelInfo> {
  const wanted = idOrDir ?? DEFAULT_MODEL_ID;
  if (idOrDir !== undefined && (isAbsolute(wanted) || wanted.includes('/') || wanted.includes('\\') || wanted.startsWith('.'))) {
    const dir = resolve(wanted);
    if (await isDir(dir)) return manifestToInfo(await readManifest(dir), dir, 'user');
  }
  const all = await listModels(paths);
  const match = all.filter((m) => m.id === wanted).pop();
  if (match) return match;
  const known = all.map((m) => m.id).join(', ') || 'none';
  throw new NotFoundError(`no model "${wanted}" (known models: ${known}; or give a model folder path)`);
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
