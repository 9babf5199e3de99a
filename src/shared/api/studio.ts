// The composer's documents over the bridge: import and export files, score plagiarism, save and open projects.
import { z } from 'zod';
import type { PlagiarismSummary, Fragment, Project } from '../studio';
import { projectNameProblem } from '../names';
import { noteSequence } from '../schemas';
import { method } from './define';

/** The largest file the studio imports; the UI checks it before sending and the engine again on arrival. */
export const IMPORT_MAX_BYTES = 256 * 1024 * 1024;
/** Files up to this size go in one importFile call; larger ones by beginUpload, uploadChunk and finishUpload. */
export const IMPORT_DIRECT_MAX_BYTES = 8 * 1024 * 1024;
/** Bytes per uploadChunk: as base64 well under the web bridge's 64 MiB message limit. */
export const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;

const base64 = (maxBytes: number, tooBig: string) =>
  z
    .string()
    .max(Math.ceil(maxBytes / 3) * 4, tooBig)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 data');

/** Files travel as base64 inside JSON; a single call carries at most IMPORT_DIRECT_MAX_BYTES. */
export const base64File = base64(IMPORT_DIRECT_MAX_BYTES, `a file over ${IMPORT_DIRECT_MAX_BYTES / 1024 / 1024} MiB must be sent in chunks (beginUpload)`);
export const base64Chunk = base64(UPLOAD_CHUNK_BYTES, `a chunk may carry at most ${UPLOAD_CHUNK_BYTES / 1024 / 1024} MiB`);
export const uploadId = z.string().regex(/^upload-[0-9a-f-]{36}$/, 'an upload id from beginUpload');
export const fileName = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !/[\\/\0]/.test(s), 'a plain file name, without folders');
/** A name that becomes a file name: limited in UTF-8 bytes, and refused when any OS would refuse it (see shared/names.ts). */
export const projectName = z.string().superRefine((s, ctx) => {
  const problem = projectNameProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});



/** Projects are validated structurally; their sequences field by field. */
export const projectSchema = z.object({
  format: z.literal('deep-symphony-project'),
  version: z.literal(1),
  name: z.string().max(120),
  savedAt: z.number(),
  fragments: z.array(z.object({
    id: z.string().min(1).max(100),
    name: z.string().max(500),
    createdAt: z.number(),
    origin: z.object({ kind: z.enum(['generated', 'imported', 'recorded', 'arranged', 'edited']) }).passthrough(),
    sequence: noteSequence,
    plagiarism: z.object({ longestRun: z.number(), longestRunPiece: z.string().nullable(), lcsRatio: z.number(), lcsPiece: z.string().nullable(), corpus: z.string(), chanceMeasured: z.boolean().optional() }).nullable(),
  })).max(10_000),
  arrangement: z.object({
    sections: z.array(z.object({
      id: z.string().min(1).max(100),
      label: z.string().max(20),
      fragmentId: z.string().max(100).nullable(),
      transpose: z.number().int().min(-48).max(48),
      voicing: z.enum(['as-is', 'octave-up', 'octave-down', 'melody-only', 'bass-only']),
      noise: z
        .object({
          name: z.string().max(100),
          seed: z.number().int().min(0).max(2 ** 31 - 1),
          // Projects written before noise sections could play have no model or length: the arranger fills them in.
          modelId: z.string().max(200).default(''),
          bars: z.number().int().min(1).max(256).default(4),
          key: z.string().max(20).nullable().optional(),
          to: z.object({ name: z.string().max(100), seed: z.number().int().min(0).max(2 ** 31 - 1) }).nullable().optional(),
        })
        .nullable()
        .optional(),
    })).max(1000),
    form: z.array(z.string().max(100)).max(10_000),
  }),
  settings: z.object({
    bpm: z.number().positive().max(1000),
    snap: z.number().min(0).max(16),
    metronome: z.boolean(),
    // Added later: older project files have neither, and load as before.
    generate: z.object({
      modelId: z.string().max(200),
      values: z.record(z.string().max(200), z.record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()]))).refine((r) => Object.keys(r).length <= 1000, 'at most 1000 models'),
      usePrimer: z.boolean(),
      advanced: z.boolean(),
    }).optional(),
    scoreGrid: z.union([z.literal(4), z.literal(8), z.literal(16), z.literal(32)]).optional(),
  }),
  savedAs: z.string().max(120).nullable().optional(),
})
  // Ids are checked as strings above; the brands are a compile-time promise that the schema now keeps.
  .transform((p) => p as unknown as Project);

export interface ImportResult {
  fragments: Fragment[];
  /** Tunes or tracks that could not be read, with why (a bad tune in an ABC file does not stop the others). */
  problems: { item: string; error: string; message: string }[];
}

export interface UploadTicket {
  uploadId: string;
  /** The most bytes one uploadChunk may carry. */
  chunkBytes: number;
}

export interface ProjectEntry {
  name: string;
  savedAt: number;
  fragments: number;
}

export const studioApi = {
  /** Reads a MIDI or ABC file the user dropped or picked; each ABC tune becomes one fragment. */
  importFile: method(z.tuple([fileName, base64File])).returns<ImportResult>(),
  /** Starts a chunked import of a file too large for one call (size in bytes, at most IMPORT_MAX_BYTES). */
  beginUpload: method(z.tuple([fileName, z.number().int().min(0)])).returns<UploadTicket>(),
  /** Appends the next chunk; offset is the number of bytes sent before it, so a lost or repeated chunk is noticed. */
  uploadChunk: method(z.tuple([uploadId, z.number().int().min(0), base64Chunk])).returns<{ received: number }>(),
  /** Imports the uploaded file once every byte has arrived, as importFile does. */
  finishUpload: method(z.tuple([uploadId])).returns<ImportResult>(),
  cancelUpload: method(z.tuple([uploadId])).returns<void>(),
  /** Standard MIDI file (format 1) bytes, base64. */
  exportMidi: method(z.tuple([noteSequence, z.object({ title: z.string().max(200).optional() }).optional()])).returns<string>(),
  /** ABC text of the piano part: treble and bass staves, as written (quantize it first for a readable score). */
  exportAbc: method(z.tuple([noteSequence, z.object({ title: z.string().max(200).optional() }).optional()])).returns<string>(),
  /** The study's plagiarism check against the default model's training corpus. */
  plagiarism: method(z.tuple([noteSequence])).returns<PlagiarismSummary | null>(),
  listProjects: method(z.tuple([])).returns<ProjectEntry[]>(),
  saveProject: method(z.tuple([projectName, projectSchema])).returns<ProjectEntry>(),
  openProject: method(z.tuple([projectName])).returns<Project>(),
  deleteProject: method(z.tuple([projectName])).returns<void>(),
  /** Keeps the unsaved state; called by the UI every few seconds while there are changes. */
  autosave: method(z.tuple([projectSchema])).returns<void>(),
  /** The unsaved work left by a session that did not close cleanly, if any. */
  recovery: method(z.tuple([])).returns<Project | null>(),
  /** Forgets the autosave (after a clean close, or when the user declines recovery). */
  clearRecovery: method(z.tuple([])).returns<void>(),
};
