// What a caller asks of a generative model (sampling, length, seed, primer, conditions) and what comes back; shared with the UI.
import { z } from 'zod';
import { noteSequence } from './schemas';
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
  /** The generated continuation (the primer is not included). */
  sequence: NoteSequence;
  modelId: string;
  modelKind: string;
  /** The seed actually used. */
  seed: number;
  events: number;
  seconds: Seconds;
  /** The options as applied (defaults filled in), primer left out. */
  options: Omit<GenerateOptions, 'primer'>;
  /** Copying against the model's training corpus, when the model ships an index. */
  plagiarism?: PlagiarismSummary;
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

const keyModes = ['major', 'minor'] as const;

const conditionFields = {
  keyPreset: z.object({ tonic: z.number().int().min(0).max(11), mode: z.enum(keyModes) }).optional(),
  histogram: z.array(z.number().min(0)).length(12).optional(),
  pitchMean: z.number().min(0).max(127).optional(),
  pitchRange: z.number().min(0).max(127).optional(),
  density: z.number().min(0).max(200).optional(),
};

/** Validates GenerateOptions at the engine boundary, the primer's notes field by field. */
export const generateOptionsSchema = z.object({
  temperature: z.number().positive().max(10).optional(),
  topK: z.number().int().min(0).max(10_000).optional(),
  topP: z.number().gt(0).max(1).optional(),
  lengthSeconds: z.number().positive().max(3600).optional(),
  lengthEvents: z.number().int().positive().max(1_000_000).optional(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  primer: noteSequence.optional(),
  conditions: z
    .object({
      ...conditionFields,
      timeline: z.array(z.object({ atSeconds: z.number().min(0), ...conditionFields })).max(10_000).optional(),
    })
    .optional(),
});
