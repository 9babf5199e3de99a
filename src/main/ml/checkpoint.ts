// Checkpoint folders (config, weights + manifest, optional optimizer and training state), written atomically.
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StudioError } from '../../shared/errors';
import { syncDir, writeDurable } from '../util/fs';

/** A checkpoint that is missing, unreadable or does not match the model it is loaded into. */
export class CheckpointError extends StudioError {}

export type WeightDtype = 'float32' | 'int32';

export interface NamedArray {
  name: string;
  shape: number[];
  dtype: WeightDtype;
  data: Float32Array | Int32Array;
}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: WeightDtype;
  /** Byte offset into the .bin file. */
  offset: number;
  byteLength: number;
}

interface Manifest {
  format: typeof MANIFEST_FORMAT;
  entries: ManifestEntry[];
}

const MANIFEST_FORMAT = 'deep-symphony-weights/1';

export interface Checkpoint {
  /** The model's kind and configuration, as JSON. */
  config: unknown;
  weights: NamedArray[];
  /** Optimizer moments; left out of shipped models. */
  optimizer?: NamedArray[];
  /** Step, RNG state, loss history: whatever resuming needs. */
  training?: unknown;
}

/** The stages of a save, in order; a test hook can stop a save at any of them to simulate a crash. */
export type SaveStage = 'tmp-written' | 'old-moved' | 'new-in-place' | 'done';

export interface SaveOptions {
  /** Called after each stage; throwing from it leaves the folders as a crash at that moment would. */
  onStage?: (stage: SaveStage) => void;
}

const FILES = {
  config: 'config.json',
  weights: 'weights.bin',
  weightsManifest: 'weights.json',
  optimizer: 'optimizer.bin',
  optimizerManifest: 'optimizer.json',
  training: 'training.json',
} as const;

/**
 * Writes a checkpoint to `path` so that a kill at any moment leaves a loadable one behind:
 * everything goes to `<path>.tmp` and is fsynced; the previous checkpoint is moved to `<path>.old`
 * and removed only after the new one has been renamed into place.
 */
export async function saveCheckpoint(path: string, ckpt: Checkpoint, options: SaveOptions = {}): Promise<void> {
  const tmp = `${path}.tmp`;
  const old = `${path}.old`;
  await mkdir(dirname(path), { recursive: true });
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp);
  await writeDurable(join(tmp, FILES.config), JSON.stringify(ckpt.config, null, 2));
  await writeArrays(tmp, FILES.weights, FILES.weightsManifest, ckpt.weights);
  if (ckpt.optimizer) await writeArrays(tmp, FILES.optimizer, FILES.optimizerManifest, ckpt.optimizer);
  if (ckpt.training !== undefined) await writeDurable(join(tmp, FILES.training), JSON.stringify(ckpt.training));
  await syncDir(tmp);
  options.onStage?.('tmp-written');
  if (await exists(path)) {
    await rm(old, { recursive: true, force: true });
    await rename(path, old);
    options.onStage?.('old-moved');
  }
  await rename(tmp, path);
  await syncDir(dirname(path));
  options.onStage?.('new-in-place');
  await rm(old, { recursive: true, force: true });
  options.onStage?.('done');
}

/** Where the last complete checkpoint for `path` is: the folder itself, or `<path>.old` after a crash mid-swap. */
export async function findCheckpoint(path: string): Promise<string | null> {
  if (await exists(join(path, FILES.config))) return path;
  const old = `${path}.old`;
  if (await exists(join(old, FILES.config))) return old;
  return null;
}

/**
 * Loads the last complete checkpoint at `path` (see findCheckpoint).
 * @throws CheckpointError when there is none or its files do not agree.
 */
export async function loadCheckpoint(path: string, parts: { optimizer?: boolean } = {}): Promise<Checkpoint> {
  const dir = await findCheckpoint(path);
  if (!dir) throw new CheckpointError(`no checkpoint at "${path}" (expected ${FILES.config} and ${FILES.weights} there)`);
  const config = parseJson(dir, FILES.config, await checkpointFile(dir, FILES.config));
  const weights = await readArrays(dir, FILES.weights, FILES.weightsManifest);
  const ckpt: Checkpoint = { config, weights };
  if (parts.optimizer && (await exists(join(dir, FILES.optimizerManifest)))) {
    ckpt.optimizer = await readArrays(dir, FILES.optimizer, FILES.optimizerManifest);
  }
  if (await exists(join(dir, FILES.training))) ckpt.training = parseJson(dir, FILES.training, await checkpointFile(dir, FILES.training));
  return ckpt;
}

/** Reads only config.json of the last complete checkpoint; cheap, for listings. */
export async function loadCheckpointConfig(path: string): Promise<unknown> {
  const dir = await findCheckpoint(path);
  if (!dir) throw new CheckpointError(`no checkpoint at "${path}"`);
  return parseJson(dir, FILES.config, await checkpointFile(dir, FILES.config));
}

async function writeArrays(dir: string, binName: string, manifestName: string, arrays: readonly NamedArray[]): Promise<void> {
  const entries: ManifestEntry[] = [];
  let offset = 0;
  const seen = new Set<string>();
  for (const a of arrays) {
    if (seen.has(a.name)) throw new CheckpointError(`two arrays are named "${a.name}"`);
    seen.add(a.name);
    const size = a.shape.reduce((x, y) => x * y, 1);
    if (size !== a.data.length) throw new CheckpointError(`array "${a.name}" has ${a.data.length} values for shape [${a.shape}]`);
    entries.push({ name: a.name, shape: a.shape, dtype: a.dtype, offset, byteLength: a.data.byteLength });
    offset += a.data.byteLength;
  }
  const bin = Buffer.alloc(offset);
  for (let i = 0; i < arrays.length; i++) {
    const a = arrays[i]!;
    Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).copy(bin, entries[i]!.offset);
  }
  await writeDurable(join(dir, binName), bin);
  const manifest: Manifest = { format: MANIFEST_FORMAT, entries };
  await writeDurable(join(dir, manifestName), JSON.stringify(manifest, null, 1));
}

/** A file of the checkpoint, read, or a CheckpointError naming the one that is missing or unreadable. */
async function checkpointFile(dir: string, name: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, name));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CheckpointError(`the checkpoint in "${dir}" ${code === 'ENOENT' ? `has no ${name}` : `cannot be read (${name}: ${code ?? String(err)})`}: it is incomplete or damaged`);
  }
}

function parseJson(dir: string, name: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new CheckpointError(`${name} in "${dir}" is not valid JSON: ${(err as Error).message}`);
  }
}

async function readArrays(dir: string, binName: string, manifestName: string): Promise<NamedArray[]> {
  const manifest = parseJson(dir, manifestName, await checkpointFile(dir, manifestName)) as Manifest;
  if (manifest.format !== MANIFEST_FORMAT) {
    throw new CheckpointError(`${join(dir, manifestName)} has format "${String(manifest.format)}", expected "${MANIFEST_FORMAT}"`);
  }
  if (!Array.isArray(manifest.entries)) throw new CheckpointError(`${manifestName} in "${dir}" lists no arrays`);
  const bin = await checkpointFile(dir, binName);
  return manifest.entries.map((e) => {
    if (e.offset + e.byteLength > bin.byteLength) {
      throw new CheckpointError(`array "${e.name}" ends at byte ${e.offset + e.byteLength} but ${binName} has ${bin.byteLength}`);
    }
    // Copy so that the array is 4-byte aligned whatever the Buffer pool offset is.
    const bytes = new Uint8Array(e.byteLength);
    bytes.set(bin.subarray(e.offset, e.offset + e.byteLength));
    const data = e.dtype === 'int32' ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
    return { name: e.name, shape: e.shape, dtype: e.dtype, data };
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
