// Imports a folder of MIDI and ABC files into a cached, tokenized, split and optionally augmented dataset.
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { CancelledError, InvalidArgumentError } from '../../../shared/errors';
import { MUSIC_FILE_LIST, musicFormatOf } from '../../../shared/files';
import { durationSeconds, type NoteSequence } from '../../../shared/song';
import { ABC_READER_VERSION, parseAbc } from '../abc';
import { importMidi } from '../midi';
import { encodePerformance, VOCAB_SIZE, type SustainMode } from '../performance';
import { datasetDir, hasDataset, loadDataset, writeDataset, type DatasetIndex } from './shards';
import {
  DATASET_FORMAT_VERSION,
  DatasetFolderError,
  EmptyPieceError,
  FileChangedError,
  NoMusicFilesError,
  SPLITS,
  UnreadableError,
  type Augmentation,
  type Dataset,
  type DatasetOptionsRecord,
  type DatasetPiece,
  type SkippedFile,
  type Split,
  type SplitSummary,
} from './types';

export interface ImportProgress {
  fraction: number;
  rate?: number;
  rateUnit?: string;
  etaSeconds?: number;
  message?: string;
}

export interface ImportDatasetOptions {
  cacheDir: string;
  /** Extra copies of the train split: every (transpose, stretch) pair; 0 and 1 are always the original. */
  augment?: { transpose?: number[]; stretch?: number[] };
  /** Sustain pedal handling before encoding; default 'extend', as Performance RNN trains on pedalled lengths. */
  sustain?: SustainMode;
  onProgress?: (p: ImportProgress) => void;
  signal?: AbortSignal;
}

/** Fractions of the split by content hash: the first 80% of hash space is train, the next 10% valid. */
const TRAIN_FRACTION = 0.8;
const VALID_FRACTION = 0.1;

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

/** Split of a piece from a hash of its content, so renaming or moving a file never moves it. */
export function splitOfHash(hexHash: string): Split {
  const u = parseInt(hexHash.slice(0, 8), 16) / 0x1_0000_0000;
  return u < TRAIN_FRACTION ? 'train' : u < TRAIN_FRACTION + VALID_FRACTION ? 'valid' : 'test';
}

export function normalizeAugment(augment: ImportDatasetOptions['augment']): DatasetOptionsRecord['augment'] {
  const transpose = [...new Set([0, ...(augment?.transpose ?? [])])].sort((a, b) => a - b);
  const stretch = [...new Set([1, ...(augment?.stretch ?? [])])].sort((a, b) => a - b);
  for (const t of transpose) {
    if (!Number.isInteger(t) || t < -12 || t > 12) throw new InvalidArgumentError(`transpose must be whole semitones in -12..12, got ${t}`);
  }
  for (const s of stretch) {
    if (!Number.isFinite(s) || s < 0.5 || s > 2) throw new InvalidArgumentError(`stretch (tempo factor) must be in 0.5..2, got ${s}`);
  }
  return { transpose, stretch };
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'it vanished',
  EIO: 'input/output error',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
};

/** Why the file system refused, in words plus its code (never the absolute path it names). */
function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code ? `${REASONS[code] ?? 'the file system refused'} (${code})` : err instanceof Error ? err.message : String(err);
}

/** Music files under root (relative, sorted), and the sub-folders that could not be listed. */
async function listMusicFiles(root: string, signal?: AbortSignal): Promise<{ files: string[]; skipped: SkippedFile[] }> {
  const out: string[] = [];
  const skipped: SkippedFile[] = [];
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  const walk = async (dir: string): Promise<void> => {
    if (signal?.aborted) throw new CancelledError('dataset import cancelled');
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (dir === root) throw new DatasetFolderError(`cannot read the folder "${root}": ${fsReason(err)}`, { cause: err });
      const name = `${rel(dir)}/`;
      skipped.push(errorEntry(name, new UnreadableError(`cannot read the folder "${name}": ${fsReason(err)}`, { cause: err })));
      return;
    }
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path);
      else if (e.isFile() && musicFormatOf(e.name) !== null) out.push(path);
    }
  };
  await walk(root);
  return { files: out.map(rel).sort(), skipped: skipped.sort((a, b) => (a.file < b.file ? -1 : 1)) };
}

interface Base {
  id: string;
  file: string;
  title?: string;
  split: Split;
  seq: NoteSequence;
  /** An ABC tune's grace and ornament notes. */
  abc?: { grace: number; ornament: number };
}

/** Notes of the pieces' pitched tracks, for the empty check and the transposition range. */
function pitchRange(seq: NoteSequence): { count: number; low: number; high: number } {
  let count = 0;
  let low = 127;
  let high = 0;
  for (const n of seq.notes) {
    if (seq.tracks[n.track]?.isDrum) continue;
    count++;
    if (n.pitch < low) low = n.pitch;
    if (n.pitch > high) high = n.pitch;
  }
  return { count, low, high };
}

/** A tune's content for its split: its notes and tempo, independent of its title and position in the file. */
function sequenceHash(seq: NoteSequence): string {
  const parts: number[] = [seq.ppq];
  for (const t of seq.tempos) parts.push(t.tick, t.bpm);
  for (const n of seq.notes) parts.push(n.pitch, n.startTick, n.endTick, n.velocity, n.track);
  return sha256(parts.join(','));
}

const errorEntry = (file: string, err: unknown): SkippedFile => ({
  file,
  error: err instanceof Error ? err.name : 'Error',
  message: err instanceof Error ? err.message : String(err),
});

/** Gives the event loop a turn so progress messages and a cancel can get through. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Imports every .mid, .midi and .abc file under `folder` (recursively). A second import of unchanged files
 * with the same options loads the cache instead; any changed, added or removed file makes a new dataset.
 * Bad files are skipped and listed, never fatal.
 * @throws DatasetFolderError, NoMusicFilesError, InvalidArgumentError, CancelledError
 */
export async function importDataset(folder: string, options: ImportDatasetOptions): Promise<Dataset> {
  const { cacheDir, onProgress, signal } = options;
  const augment = normalizeAugment(options.augment);
  const sustain = options.sustain ?? 'extend';
  const record: DatasetOptionsRecord = { augment, sustain };
  const checkCancel = () => {
    if (signal?.aborted) throw new CancelledError('dataset import cancelled');
  };

  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new DatasetFolderError(`"${folder}" is not a folder`);
  const listed = await listMusicFiles(folder, signal);
  // Folders and files that cannot be read are skipped and listed like bad files, never fatal.
  const unreadable = listed.skipped;
  if (listed.files.length === 0 && unreadable.length === 0) throw new NoMusicFilesError(`"${folder}" holds no music files (${MUSIC_FILE_LIST})`);

  // Phase 1 (0..10%): content hashes give the cache key.
  const files: string[] = [];
  const hashes: string[] = [];
  for (let i = 0; i < listed.files.length; i++) {
    checkCancel();
    const file = listed.files[i]!;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(join(folder, file));
    } catch (err) {
      unreadable.push(errorEntry(file, new UnreadableError(`cannot read "${file}": ${fsReason(err)}`, { cause: err })));
      continue;
    }
    files.push(file);
    hashes.push(sha256(bytes));
    if (i % 50 === 49) onProgress?.({ fraction: (0.1 * (i + 1)) / listed.files.length, message: `hashing ${file}` });
  }
  if (files.length === 0) throw new NoMusicFilesError(`"${folder}" holds no readable music file (${unreadable.map((u) => u.file).join(', ')} could not be read)`);
  // The unreadable parts are in the key only when there are any, so the caches of complete folders keep their keys.
  // A folder with ABC files is keyed by the ABC reader's version too, so that a better reading is not hidden by the cache.
  const abcReader = files.some((f) => musicFormatOf(f) === 'abc') ? { abcReader: ABC_READER_VERSION } : {};
  const keyed = { version: DATASET_FORMAT_VERSION, vocab: VOCAB_SIZE, options: record, files: files.map((f, i) => [f, hashes[i]]), ...abcReader };
  const cacheKey = sha256(JSON.stringify(unreadable.length ? { ...keyed, unreadable: unreadable.map((u) => u.file) } : keyed)).slice(0, 32);
  if (hasDataset(cacheDir, cacheKey)) {
    const cached = await loadDataset(cacheDir, cacheKey).catch(() => undefined);
    if (cached) {
      onProgress?.({ fraction: 1, message: 'loaded from cache' });
      return { ...cached, folder };
    }
    // A damaged copy (e.g. a shard deleted by hand) is rebuilt rather than trusted.
    await rm(datasetDir(cacheDir, cacheKey), { recursive: true, force: true });
  }

  // Phase 2 (10..90%): read, encode and augment each piece.
  const skipped: SkippedFile[] = [...unreadable];
  const bases: Base[] = [];
  const t0 = Date.now();
  let lastYield = Date.now();
  const pieces: DatasetPiece[] = [];
  const tokens: Uint16Array[] = [];
  const offsets: Record<Split, number> = { train: 0, valid: 0, test: 0 };
  const bySplit = Object.fromEntries(SPLITS.map((s) => [s, { pieces: 0, variants: 0, notes: 0, events: 0, seconds: 0 }])) as Record<Split, SplitSummary>;
  let notes = 0;
  let events = 0;
  let seconds = 0;
  const abc = { tunes: 0, graceNotes: 0, ornamentNotes: 0 };
  const add = (base: Base, piece: Omit<DatasetPiece, 'tokenOffset' | 'tokenCount' | 'split'>, t: Uint16Array) => {
    pieces.push({ ...piece, split: base.split, tokenOffset: offsets[base.split], tokenCount: t.length });
    tokens.push(t);
    offsets[base.split] += t.length;
    bySplit[base.split].variants++;
    bySplit[base.split].events += t.length;
  };

  for (let i = 0; i < files.length; i++) {
    checkCancel();
    const file = files[i]!;
    bases.length = 0;
    try {
      const bytes = await readFile(join(folder, file));
      if (sha256(bytes) !== hashes[i]) throw new FileChangedError(`${file} changed while the dataset was being imported`);
      if (musicFormatOf(file) === 'abc') {
        const tunes = parseAbc(new TextDecoder().decode(bytes), { source: file, onError: (err) => skipped.push(errorEntry(`${file}#${err.details.tune}`, err)) });
        const seen = new Map<number, number>();
        for (const tune of tunes) {
          const n = (seen.get(tune.referenceNumber) ?? 0) + 1;
          seen.set(tune.referenceNumber, n);
          const id = `${file}#${tune.referenceNumber}${n > 1 ? `.${n}` : ''}`;
          bases.push({ id, file, title: tune.title || undefined, split: splitOfHash(sequenceHash(tune.sequence)), seq: tune.sequence, abc: { grace: tune.noteCounts.grace, ornament: tune.noteCounts.ornament } });
        }
      } else {
        const seq = importMidi(bytes, { source: file });
        bases.push({ id: file, file, title: seq.meta.title || undefined, split: splitOfHash(hashes[i]!), seq });
      }
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      skipped.push(errorEntry(file, err));
    }

    for (const base of bases) {
      const range = pitchRange(base.seq);
      if (range.count === 0) {
        skipped.push(errorEntry(base.id, new EmptyPieceError('no pitched notes')));
        continue;
      }
      const baseSeconds = durationSeconds(base.seq);
      // Every variant is encoded before any is added, so a piece that cannot be encoded is skipped whole.
      const variants: { augmentation?: Augmentation; tokens: Uint16Array }[] = [];
      try {
        variants.push({ tokens: encodePerformance(base.seq, { sustain }) });
        if (base.split === 'train') {
          for (const transpose of augment.transpose) {
            // Magenta's rule: a transposition that would push any note off the keyboard is left out.
            if (range.low + transpose < 0 || range.high + transpose > 127) continue;
            for (const stretch of augment.stretch) {
              if (transpose === 0 && stretch === 1) continue;
              variants.push({ augmentation: { transpose, stretch }, tokens: encodePerformance(base.seq, { sustain, transpose, tempoFactor: stretch }) });
            }
          }
        }
      } catch (err) {
        skipped.push(errorEntry(base.id, err));
        continue;
      }
      for (const { augmentation, tokens: t } of variants) {
        const id = augmentation ? `${base.id}@${augmentation.transpose >= 0 ? '+' : ''}${augmentation.transpose}x${augmentation.stretch}` : base.id;
        const seconds = augmentation ? baseSeconds / augmentation.stretch : baseSeconds;
        add(base, { id, file: base.file, title: base.title, noteCount: range.count, seconds, augmentation }, t);
      }
      const baseTokens = variants[0]!.tokens;
      if (base.abc) {
        abc.tunes++;
        abc.graceNotes += base.abc.grace;
        abc.ornamentNotes += base.abc.ornament;
      }
      notes += range.count;
      events += baseTokens.length;
      seconds += baseSeconds;
      const s = bySplit[base.split];
      s.pieces++;
      s.notes += range.count;
      s.seconds += baseSeconds;
    }

    const elapsed = (Date.now() - t0) / 1000;
    const rate = elapsed > 0 ? (i + 1) / elapsed : undefined;
    onProgress?.({
      fraction: 0.1 + (0.8 * (i + 1)) / files.length,
      rate,
      rateUnit: 'files/s',
      etaSeconds: rate ? (files.length - i - 1) / rate : undefined,
      message: file,
    });
    if (Date.now() - lastYield > 50) {
      await tick();
      lastYield = Date.now();
    }
  }

  // Phase 3 (90..100%): shards and index, atomically.
  checkCancel();
  onProgress?.({ fraction: 0.9, message: 'writing shards' });
  const index: DatasetIndex = {
    format: 'deep-symphony-dataset',
    version: DATASET_FORMAT_VERSION,
    cacheKey,
    vocabSize: VOCAB_SIZE,
    folder,
    createdAt: new Date().toISOString(),
    options: record,
    shards: { train: { file: 'train.u16', tokens: offsets.train }, valid: { file: 'valid.u16', tokens: offsets.valid }, test: { file: 'test.u16', tokens: offsets.test } },
    pieces,
    skipped,
    summary: { files: files.length, pieces: bySplit.train.pieces + bySplit.valid.pieces + bySplit.test.pieces, notes, events, skipped: skipped.length, seconds, bySplit, abc },
  };
  await writeDataset(cacheDir, index, tokens);
  const dataset = await loadDataset(cacheDir, cacheKey);
  onProgress?.({ fraction: 1, message: 'done' });
  return { ...dataset, folder, fromCache: false };
}

/** The token arrays of one split's pieces (augmented copies included for train): views, no copies. */
export function splitTokens(dataset: Dataset, split: Split): Uint16Array[] {
  return dataset.pieces.filter((p) => p.split === split).map((p) => dataset.tokensOf(p));
}
