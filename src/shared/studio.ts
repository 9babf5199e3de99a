// The composer's documents: fragments in a library, an arrangement of sections, and the project that holds both.
import type { NoteSequence } from './song';
import type { FragmentId, SectionId } from './units';

/** The fragment a generation continued (its primer), as it was named then. */
export interface PrimerRef {
  fragmentId: FragmentId;
  name: string;
  notes: number;
}

/** Where a fragment came from; shown in the library and kept in the project file. */
export type FragmentOrigin =
  | { kind: 'generated'; modelId: string; modelName: string; seed: number; options: Record<string, unknown>; primer?: PrimerRef | null }
  | { kind: 'imported'; fileName: string; format: 'midi' | 'abc' }
  | { kind: 'recorded'; device: string }
  | { kind: 'arranged'; form: string }
  | { kind: 'edited'; from: FragmentId | null };

/** The study's plagiarism check, summarised for display. */
export interface PlagiarismSummary {
  /** Longest run of notes copied exactly from one training piece. */
  longestRun: number;
  longestRunPiece: string | null;
  /** Longest common subsequence with the closest training piece, as a share of the fragment's notes. */
  lcsRatio: number;
  lcsPiece: string | null;
  corpus: string;
  /** True when the corpus is the one whose chance level was measured (src/shared/plagiarismBaseline.json); absent in older files. */
  chanceMeasured?: boolean;
}

export interface Fragment {
  id: FragmentId;
  name: string;
  createdAt: number;
  origin: FragmentOrigin;
  sequence: NoteSequence;
  plagiarism: PlagiarismSummary | null;
}

export type Voicing = 'as-is' | 'octave-up' | 'octave-down' | 'melody-only' | 'bass-only';

export interface ArrangementSection {
  id: SectionId;
  /** A, B, C … */
  label: string;
  fragmentId: FragmentId | null;
  /** Semitones. */
  transpose: number;
  voicing: Voicing;
  /**
   * Music from noise vectors instead of a fragment: a model of the noise capability plays the vector of `seed` for
   * `bars` bars, or moves from it to `to`'s vector over them (interpolate capability). Same vector, same bars.
   */
  noise?: NoiseSection | null;
}

export interface NoiseSection {
  /** The vector's name, as the composer calls it ("calm", "A's groove"). */
  name: string;
  seed: number;
  /** The model that plays it. */
  modelId: string;
  bars: number;
  /** A key the model is conditioned on (models of the condition capability); null for none. */
  key?: string | null;
  /** Where an interpolation section ends. */
  to?: { name: string; seed: number } | null;
}

export interface Arrangement {
  sections: ArrangementSection[];
  /** The timeline: section ids in play order; repeats allowed (A B C A B). */
  form: SectionId[];
}

/** The Generate panel as it was left in this project: the model, each model's form values, and the switches. */
export interface GenerateSettings {
  modelId: string;
  /** Form values by model id, by parameter name (text, numbers, switches); a value left out is the kind's default. */
  values: Record<string, Record<string, string | number | boolean>>;
  usePrimer: boolean;
  advanced: boolean;
}

export interface ProjectSettings {
  bpm: number;
  /** Grid for snapping, in quarter notes (0.25 = sixteenths). */
  snap: number;
  metronome: boolean;
  /** Absent in projects saved before the panel's settings were kept. */
  generate?: GenerateSettings;
  /** The grid the score view and ABC export quantize to (1/4 … 1/32 notes); absent means sixteenths. */
  scoreGrid?: 4 | 8 | 16 | 32;
}

/** The project file, documented in docs/project-format.md. */
export interface Project {
  format: 'deep-symphony-project';
  version: 1;
  name: string;
  savedAt: number;
  fragments: Fragment[];
  arrangement: Arrangement;
  settings: ProjectSettings;
  /** In an autosave: the name of the saved project it is a later state of, so that restoring it keeps saving there. */
  savedAs?: string | null;
}

export function emptyGenerateSettings(): GenerateSettings {
  return { modelId: '', values: {}, usePrimer: false, advanced: false };
}

export function emptyProject(name = 'Untitled'): Project {
  return {
    format: 'deep-symphony-project',
    version: 1,
    name,
    savedAt: 0,
    fragments: [],
    arrangement: { sections: [], form: [] },
    settings: { bpm: 120, snap: 0.25, metronome: false },
  };
}
