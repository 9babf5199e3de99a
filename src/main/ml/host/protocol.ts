// Messages between the engine and its long-lived model worker: calls with ids, progress, results, errors and cancel.
import type { ImportResult } from '../../../shared/api/studio';
import type { SerializedError } from '../../../shared/errors';
import type { GenerationResult, RefineResult, SessionChunk } from '../../../shared/generation';
import type { NoteSequence } from '../../../shared/song';
import type { PlagiarismSummary } from '../../../shared/studio';
import type { StudioPaths } from '../../paths';
import type { HostOptions, SessionOpened } from './core';

/** What the worker can be asked, by operation; `result` is what comes back. */
export interface HostOps {
  /** Loads a model folder ahead of use. */
  load: { args: { dir: string }; result: void };
  generate: { args: { dir: string; params: unknown; primer?: NoteSequence; velocityModel?: string }; result: GenerationResult };
  open: { args: { dir: string; params: unknown; primer?: NoteSequence }; result: SessionOpened };
  /** Polishes a sequence with a model of the refine capability. */
  refine: { args: { dir: string; sequence: NoteSequence; params: unknown }; result: RefineResult };
  step: { args: { session: string; seconds: number }; result: SessionChunk };
  control: { args: { session: string; values: unknown }; result: void };
  close: { args: { session: string }; result: void };
  /** Reads a MIDI or ABC file into fragments, scored against the default model's corpus. */
  importFile: { args: { fileName: string; bytes: Uint8Array }; result: ImportResult };
  /** Scores a sequence against the default model's corpus. */
  plagiarism: { args: { sequence: NoteSequence }; result: PlagiarismSummary | null };
  exportMidi: { args: { sequence: NoteSequence; title?: string }; result: Uint8Array };
  exportAbc: { args: { sequence: NoteSequence; title?: string }; result: string };
}
export type HostOp = keyof HostOps;

export type HostRequest = { [K in HostOp]: { op: K } & HostOps[K]['args'] }[HostOp];

export type ToHost =
  | { kind: 'init'; paths: StudioPaths; options: Partial<HostOptions> }
  | { kind: 'call'; id: number; request: HostRequest }
  | { kind: 'cancel'; id: number };

export type FromHost =
  | { kind: 'ready'; backend: string }
  | { kind: 'progress'; id: number; fraction: number; message?: string }
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; error: SerializedError };
