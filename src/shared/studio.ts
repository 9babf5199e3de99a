// The composer's documents: fragments in a library, an arrangement of sections, and the project that holds both.
import type { NoteSequence } from './song';
import type { FragmentId, SectionId } from './units';

/** Where a fragment came from; shown in the library and kept in the project file. */
export type FragmentOrigin =
  | { kind: 'generated'; modelId: string; modelName: string; seed: number; options: Record<string, unknown> }
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
  /** A named noise vector for DCRNN sections (filled once that model lands). */
  noise?: { name: string; seed: number } | null;
}

export interface Arrangement {
  sections: ArrangementSection[];
  /** The timeline: section ids in play order; repeats allowed (A B C A B). */
  form: SectionId[];
}

export interface ProjectSettings {
  bpm: number;
  /** Grid for snapping, in quarter notes (0.25 = sixteenths). */
  snap: number;
  metronome: boolean;
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
