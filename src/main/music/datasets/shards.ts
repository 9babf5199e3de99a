// The on-disk cache of a dataset: <cacheDir>/<cacheKey>/{index.json, train.u16, valid.u16, test.u16}, written atomically.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeDurable } from '../../util/fs';
import { VOCAB_SIZE } from '../performance';
import {
  DATASET_FORMAT_VERSION,
  DatasetCorruptError,
  DatasetNotFoundError,
  SPLITS,
  type Dataset,
  type DatasetOptionsRecord,
  type DatasetPiece,
  type DatasetSummary,
  type SkippedFile,
  type Split,
} from './types';

/** What index.json holds. Token shards are little-endian Uint16 (every platform the studio runs on). */
export interface DatasetIndex {
  format: 'deep-symphony-dataset';
  version: number;
  cacheKey: string;
  vocabSize: number;
  folder: string;
  createdAt: string;
  options: DatasetOptionsRecord;
  shards: Record<Split, { file: string; tokens: number }>;
  pieces: DatasetPiece[];
  skipped: SkippedFile[];
  summary: DatasetSummary;
}

const splitSchema = z.enum(SPLITS);
const splitSummary = z.object({ pieces: z.number(), variants: z.number(), notes: z.number(), events: z.number(), seconds: z.number() });
const indexSchema = z.object({
  format: z.literal('deep-symphony-dataset'),
  version: z.number(),
  cacheKey: z.string(),
  vocabSize: z.number(),
  folder: z.string(),
  createdAt: z.string(),
  options: z.object({
    augment: z.object({ transpose: z.array(z.number()), stretch: z.array(z.number()) }),
    sustain: z.enum(['keep', 'extend']),
  }),
  shards: z.object({
    train: z.object({ file: z.string(), tokens: z.number().int().min(0) }),
    valid: z.object({ file: z.string(), tokens: z.number().int().min(0) }),
    test: z.object({ file: z.string(), tokens: z.number().int().min(0) }),
  }),
  pieces: z.array(
    z.object({
      id: z.string(),
      file: z.string(),
      title: z.string().optional(),
      split: splitSchema,
      tokenOffset: z.number().int().min(0),
      tokenCount: z.number().int().min(0),
      noteCount: z.number(),
      seconds: z.number(),
      augmentation: z.object({ transpose: z.number(), stretch: z.number() }).optional(),
    }),
  ),
  skipped: z.array(z.object({ file: z.string(), error: z.string(), message: z.string() })),
  summary: z.object({
    files: z.number(),
    pieces: z.number(),
    notes: z.number(),
    events: z.number(),
    skipped: z.number(),
    seconds: z.number(),
    bySplit: z.object({ train: splitSummary, valid: splitSummary, test: splitSummary }),
    abc: z.object({ tunes: z.number(), graceNotes: z.number(), ornamentNotes: z.number() }).optional(),
  }),
});

const INDEX_FILE = 'index.json';
const CACHE_KEY = /^[0-9a-f]{16,64}$/;

export function datasetDir(cacheDir: string, cacheKey: string): string {
  if (!CACHE_KEY.test(cacheKey)) throw new DatasetNotFoundError(`"${cacheKey}" is not a dataset cache key (expected hex digits)`);
  return join(cacheDir, cacheKey);
}

export function hasDataset(cacheDir: string, cacheKey: string): boolean {
  return existsSync(join(datasetDir(cacheDir, cacheKey), INDEX_FILE));
}

/**
 * Writes shards and index into a temporary folder, then renames it into place, so a reader sees either the
 * whole dataset or none. If another import got there first, its (identical) copy is kept.
 * @param pieceTokens tokens of each entry of index.pieces, in the same order.
 */
export async function writeDataset(cacheDir: string, index: DatasetIndex, pieceTokens: readonly Uint16Array[]): Promise<void> {
  const target = datasetDir(cacheDir, index.cacheKey);
  await mkdir(cacheDir, { recursive: true });
  const tmp = join(cacheDir, `.tmp-${index.cacheKey}-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp);
  try {
    for (const split of SPLITS) {
      const handle = await open(join(tmp, index.shards[split].file), 'w');
      try {
        let written = 0;
        for (let i = 0; i < index.pieces.length; i++) {
          const piece = index.pieces[i]!;
          if (piece.split !== split) continue;
          const tokens = pieceTokens[i]!;
          if (piece.tokenOffset !== written) throw new DatasetCorruptError(`piece ${piece.id} starts at token ${piece.tokenOffset}, expected ${written}`);
          await handle.write(new Uint8Array(tokens.buffer, tokens.byteOffset, tokens.byteLength));
          written += tokens.length;
        }
      } finally {
        await handle.close();
      }
    }
    await writeDurable(join(tmp, INDEX_FILE), JSON.stringify(index));
    try {
      await rename(tmp, target);
    } catch (err) {
      if (!hasDataset(cacheDir, index.cacheKey)) throw err;
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Loads a cached dataset into memory.
 * @throws DatasetNotFoundError when nothing is cached under the key; DatasetCorruptError when it cannot be used.
 */
export async function loadDataset(cacheDir: string, cacheKey: string): Promise<Dataset> {
  const dir = datasetDir(cacheDir, cacheKey);
  let text: string;
  try {
    text = await readFile(join(dir, INDEX_FILE), 'utf8');
  } catch {
    throw new DatasetNotFoundError(`no dataset ${cacheKey} in ${cacheDir}`);
  }
  let index: DatasetIndex;
  try {
    index = indexSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new DatasetCorruptError(`${join(dir, INDEX_FILE)} is not a valid dataset index: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (index.version !== DATASET_FORMAT_VERSION || index.vocabSize !== VOCAB_SIZE || index.cacheKey !== cacheKey) {
    throw new DatasetCorruptError(`dataset ${cacheKey} has format ${index.version} for ${index.vocabSize} tokens; this studio reads format ${DATASET_FORMAT_VERSION} for ${VOCAB_SIZE}`);
  }
  const shards = {} as Record<Split, Uint16Array>;
  for (const split of SPLITS) {
    const path = join(dir, index.shards[split].file);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch {
      throw new DatasetCorruptError(`shard ${path} is missing`);
    }
    if (bytes.length !== index.shards[split].tokens * 2) {
      throw new DatasetCorruptError(`shard ${path} has ${bytes.length} bytes, expected ${index.shards[split].tokens * 2}`);
    }
    // A Uint16Array view needs an even byte offset; copy in the rare case the buffer is not aligned.
    shards[split] = bytes.byteOffset % 2 === 0 ? new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2) : new Uint16Array(new Uint8Array(bytes).buffer);
  }
  for (const p of index.pieces) {
    if (p.tokenOffset + p.tokenCount > shards[p.split].length) {
      throw new DatasetCorruptError(`piece ${p.id} spans tokens ${p.tokenOffset}..${p.tokenOffset + p.tokenCount} beyond its ${p.split} shard of ${shards[p.split].length}`);
    }
  }
  return {
    version: index.version,
    folder: index.folder,
    cacheDir,
    cacheKey,
    options: index.options,
    pieces: index.pieces,
    tokensOf: (piece) => shards[piece.split].subarray(piece.tokenOffset, piece.tokenOffset + piece.tokenCount),
    skipped: index.skipped,
    summary: index.summary,
    fromCache: true,
  };
}
