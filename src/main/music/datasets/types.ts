// Shapes and errors of an imported dataset: pieces, splits, skipped files and the summary shown to the user.
import { StudioError } from '../../../shared/errors';
import type { SustainMode } from '../performance';

/** Bumped whenever tokens, splits or the cache layout change, so older caches are never reused. */
export const DATASET_FORMAT_VERSION = 1;

export const SPLITS = ['train', 'valid', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/** The folder does not exist or is not a folder. */
export class DatasetFolderError extends StudioError {}
/** The folder holds no .mid, .midi or .abc file. */
export class NoMusicFilesError extends StudioError {}
/** No cached dataset under that key. */
export class DatasetNotFoundError extends StudioError {}
/** A cached dataset whose files are missing, truncated or of another format. */
export class DatasetCorruptError extends StudioError {}
/** A file or tune with no pitched notes: nothing to learn from. */
export class EmptyPieceError extends StudioError {}
/** A file whose bytes changed between hashing and reading. */
export class FileChangedError extends StudioError {}
/** A file or sub-folder the file system would not let us read (permissions, a vanished mount); skipped, not fatal. */
export class UnreadableError extends StudioError {}

export interface Augmentation {
  /** Semitones. */
  transpose: number;
  /** Tempo factor: 1.05 plays 5% faster. */
  stretch: number;
}

export interface DatasetPiece {
  /** Unique in the dataset: the relative file path, "#X" for an ABC tune, "@+2x1.05" for an augmented copy. */
  id: string;
  /** Path relative to the imported folder, with forward slashes. */
  file: string;
  title?: string;
  split: Split;
  /** Offset and length in tokens inside the split's shard. */
  tokenOffset: number;
  tokenCount: number;
  noteCount: number;
  seconds: number;
  /** Present on augmented copies (train split only). */
  augmentation?: Augmentation;
}

export interface SkippedFile {
  /** Relative path; "file.abc#X" for one tune of an ABC file. */
  file: string;
  /** Error class name, e.g. MidiFormatError. */
  error: string;
  message: string;
}

export interface SplitSummary {
  /** Original pieces. */
  pieces: number;
  /** Pieces including augmented copies. */
  variants: number;
  notes: number;
  /** Tokens in the split's shard, augmented copies included. */
  events: number;
  seconds: number;
}

/** What the ABC tunes of a dataset held beyond their written notes (docs/abc.md: graces and ornaments become short notes). */
export interface AbcImportSummary {
  /** ABC tunes imported as pieces. */
  tunes: number;
  /** Grace notes {...} played, each a short note of its own. */
  graceNotes: number;
  /** Notes that rolls, trills and ~ cuts added to the written ones. */
  ornamentNotes: number;
}

export interface DatasetSummary {
  /** Music files found. */
  files: number;
  /** Original pieces (no augmented copies), and their notes, tokens and seconds. */
  pieces: number;
  notes: number;
  events: number;
  skipped: number;
  seconds: number;
  bySplit: Record<Split, SplitSummary>;
  /** The ABC tunes' grace and ornament notes (absent in caches written before it was recorded). */
  abc?: AbcImportSummary;
}

export interface DatasetOptionsRecord {
  augment: { transpose: number[]; stretch: number[] };
  sustain: SustainMode;
}

export interface Dataset {
  version: number;
  folder: string;
  cacheDir: string;
  cacheKey: string;
  options: DatasetOptionsRecord;
  pieces: DatasetPiece[];
  /** A view into the loaded shard (no copy). */
  tokensOf(piece: DatasetPiece): Uint16Array;
  skipped: SkippedFile[];
  summary: DatasetSummary;
  /** True when the cache already held this dataset. */
  fromCache: boolean;
}
