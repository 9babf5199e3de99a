// What comes back from a generative model (results, session chunks), and the Char-RNN family's sampling options and conditions.
import type { NoteSequence } from './song';
import type { MidiNote, Seconds } from './units';

export interface KeyPreset {
  /** Pitch class of the tonic, 0 = C .. 11 = B. */
  tonic: number;
  /** The presets are the major and minor key profiles. */
  mode: 'major' | 'minor';
}

/** A condition for the Conditional Char-RNN; fields left out take the training data's typical values. */
export interface ConditionSpec {
  keyPreset?: KeyPreset;
  /** 12 weights, C first; normalized to sum 1. Wins over keyPreset. */
  histogram?: number[];
  /** Mean MIDI pitch to aim at. */
  pitchMean?: MidiNote;
  /** Spread between the lowest and highest pitch, in semitones. */
  pitchRange?: number;
  /** Notes per second. */
  density?: number;
}

/** From atSeconds on, the fields given replace the ones in force. */
export interface ConditionTimelineEntry extends ConditionSpec {
  atSeconds: Seconds;
}

export interface GenerationConditions extends ConditionSpec {
  timeline?: ConditionTimelineEntry[];
}

export interface GenerateOptions {
  /** Softmax temperature; 1 samples the model's distribution, lower is more conservative. */
  temperature?: number;
  /** Keep only the k most likely events (0 or absent = all). */
  topK?: number;
  /** Nucleus sampling: keep the most likely events whose probabilities add up to p (1 or absent = all). */
  topP?: number;
  /** Length of the generated part in seconds of music... */
  lengthSeconds?: Seconds;
  /** ...or in events; when both are given the first limit reached ends it. */
  lengthEvents?: number;
  /** Same seed, same model, same options: the same notes. Absent = a random seed (reported in the result). */
  seed?: number;
  /** Music to continue; the model reads it first. */
  primer?: NoteSequence;
  /** Conditional models only. */
  conditions?: GenerationConditions;
}

export interface GenerationResult {
  /** The generated music (a primer is not included). */
  sequence: NoteSequence;
  modelId: string;
  modelKind: string;
  /** The seed actually used. */
  seed: number;
  /** Seconds of music. */
  seconds: Seconds;
  /** Events or steps the model produced, where it counts them. */
  events?: number;
  /** The kind's generation parameters as applied, defaults filled in. */
  params: Record<string, unknown>;
  /** Copying against the model's training corpus, when the model ships an index. */
  plagiarism?: PlagiarismSummary;
}

/** A polished sequence: the same notes, refined timing or velocities, and how far they moved. */
export interface RefineResult {
  sequence: NoteSequence;
  modelId: string;
  report: Record<string, number>;
  params: Record<string, unknown>;
}

/** A note starting or ending, at seconds from the start of a session: what a live player or MIDI out consumes. */
export interface LiveEvent {
  seconds: Seconds;
  type: 'on' | 'off';
  pitch: MidiNote;
  velocity: number;
}

/** One step of a model session: the events of [fromSeconds, toSeconds). */
export interface SessionChunk {
  fromSeconds: Seconds;
  toSeconds: Seconds;
  events: LiveEvent[];
}

export interface PlagiarismSummary {
  /** Notes in the generated part. */
  queryLength: number;
  /** Longest run of notes copied verbatim from one training piece. */
  longestRun: { pieceId: string; name: string; length: number } | null;
  /** Longest common subsequence with one training piece, and its share of the query. */
  lcs: { pieceId: string; name: string; length: number; ratio: number } | null;
}

export const DEFAULT_GENERATE = { temperature: 1, topK: 0, topP: 1, lengthSeconds: 30 } as const;
