// The model folders the studio holds: shipped ones (resources/models/*) and the user's (userData/models/*), each described by its model.json.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { NotFoundError, StudioError } from '../../shared/errors';
import type { ModelInfo, ModelMetrics, ModelSource, TrainingDataSummary } from '../../shared/api/models';
import type { StudioPaths } from '../paths';
import { writeFileAtomic } from '../util/fs';
import { findKind } from './models';

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

/** Writes model.json atomically, so a reader never sees half of it. */
export async function writeManifest(dir: string, manifest: ModelManifest): Promise<void> {
  await writeFileAtomic(join(dir, MODEL_MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
}

/** A file a model folder names (in model.json) that would lie outside the folder. */
export class ModelPathError extends StudioError {}

/**
 * A file named by a model folder's manifest, resolved inside that folder (links followed).
 * @throws ModelPathError when it would lie outside, e.g. "../../etc/passwd".
 */
export async function modelFile(dir: string, name: string): Promise<string> {
  const root = await realpath(dir);
  const target = resolve(root, name);
  const inside = (p: string): boolean => {
    const rel = relative(root, p);
    return rel !== '' && !rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel);
  };
  if (!inside(target)) throw new ModelPathError(`model.json in "${dir}" names a file outside its folder ("${name}")`);
  const real = await realpath(target).catch(() => target);
  if (!inside(real)) throw new ModelPathError(`model.json in "${dir}" names a file that links outside its folder ("${name}")`);
  return real;
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

/** The model's description for the UI; null for a kind this version of the studio does not know. */
export function manifestToInfo(m: ModelManifest, dir: string, source: ModelSource): ModelInfo | null {
  const kind = findKind(m.kind);
  if (!kind) return null;
  const info: ModelInfo = {
    id: m.id,
    kind: m.kind,
    kindLabel: kind.label,
    name: m.name,
    source,
    dir,
    isDefault: source === 'shipped' && m.id === DEFAULT_MODEL_ID,
    createdAt: m.createdAt,
    config: m.config,
    metrics: m.metrics,
    hasPlagiarismIndex: m.plagiarismIndex !== undefined,
    capabilities: [...kind.capabilities],
  };
  if (m.description !== undefined) info.description = m.description;
  if (m.data !== undefined) info.data = m.data;
  return info;
}

/** Every usable model, shipped first; folders without a valid model.json, or of an unknown kind, are left out. */
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
        const info = manifestToInfo(await readManifest(dir), dir, root.source);
        if (info) out.push(info);
      } catch (err) {
        if (!(err instanceof ModelManifestError)) throw err;
      }
    }
  }
  return out;
}

/**
 * Finds a model by id (the user's shadow shipped ones of the same id). Without an id, the shipped default.
 * With `allowFolder` (the CLI, where the user names a folder on purpose), an absolute path or one with a folder
 * separator is read as a model folder; ids from the UI never are.
 * @throws NotFoundError naming the ids that do exist.
 */
export async function resolveModel(idOrDir: string | undefined, paths: StudioPaths, options: { allowFolder?: boolean } = {}): Promise<ModelInfo> {
  const wanted = idOrDir ?? DEFAULT_MODEL_ID;
  if (options.allowFolder && idOrDir !== undefined && (isAbsolute(wanted) || wanted.includes('/') || wanted.includes('\\'))) {
    const dir = resolve(wanted);
    if (!(await isDir(dir))) throw new NotFoundError(`no model folder at "${dir}"`);
    const manifest = await readManifest(dir);
    const info = manifestToInfo(manifest, dir, 'user');
    if (!info) throw new ModelManifestError(`"${dir}" holds a model of kind "${manifest.kind}", which this version of the studio does not know`);
    return info;
  }
  const all = await listModels(paths);
  const match = all.filter((m) => m.id === wanted).pop();
  if (match) return match;
  const known = all.map((m) => m.id).join(', ') || 'none';
  throw new NotFoundError(`no model "${wanted}" (known models: ${known}${options.allowFolder ? '; or give a model folder path' : ''})`);
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
