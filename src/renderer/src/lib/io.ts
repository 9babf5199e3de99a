// Import (file picker, drag and drop) and export (MIDI, ABC, WAV) of fragments, with problems reported as toasts.
import { MUSIC_FILE_ACCEPT, MUSIC_FILE_LIST, musicFormatOf } from '../../../shared/files';
import { sequenceKey } from '../../../shared/keyFinding';
import { quantizeForScore, type ScoreGrid } from '../../../shared/score';
import type { NoteSequence } from '../../../shared/song';
import { base64ToBytes } from './base64';
import { downloadBytes, safeFileName } from './download';
import { renderWav } from './playback.svelte';
import { projectStore } from './project.svelte';
import { studio } from './studio.svelte';
import { toasts } from './toasts.svelte';
import { importSizeProblem, sendFileForImport } from './upload';

/** Extensions the engine's importer reads: the file picker offers exactly these, and the drop check uses the same list. */
export const IMPORT_ACCEPT = MUSIC_FILE_ACCEPT;

/** The toast's title: "2 imported, 1 skipped", or "Imported 3 fragments". */
export function importSummary(added: number, skipped: number): string {
  const fragments = `${added} fragment${added === 1 ? '' : 's'}`;
  if (skipped === 0) return `Imported ${fragments}`;
  if (added === 0) return `Nothing could be imported: ${skipped} skipped`;
  return `${added} imported, ${skipped} skipped`;
}

/** Imports each file; a file that fails does not stop the others, and every problem is listed plainly, "bad.mid (why)". */
export async function importFiles(files: readonly File[]): Promise<number> {
  let added = 0;
  const problems: string[] = [];
  for (const file of files) {
    if (musicFormatOf(file.name) === null) {
      problems.push(`${file.name} (not a music file the studio reads: ${MUSIC_FILE_LIST})`);
      continue;
    }
    const tooLarge = importSizeProblem(file.name, file.size);
    if (tooLarge) {
      problems.push(`${file.name} (${tooLarge})`);
      continue;
    }
    try {
      const result = await sendFileForImport(studio.api.studio, file, file.name);
      projectStore.adoptFragments(result.fragments);
      added += result.fragments.length;
      for (const p of result.problems) problems.push(`${p.item === file.name ? file.name : `${file.name}, ${p.item.replace(`${file.name} `, '')}`} (${p.message})`);
    } catch (err) {
      problems.push(`${file.name} (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  const title = importSummary(added, problems.length);
  if (problems.length > 0) toasts.push(added > 0 ? 'warn' : 'error', problems.length === 1 ? `${title}: ${problems[0]}` : title, problems.length === 1 ? [] : problems);
  else if (added > 0) toasts.push('ok', title);
  return added;
}

export async function exportMidi(seq: NoteSequence, name: string): Promise<void> {
  try {
    const b64 = await studio.api.studio.exportMidi(plain(seq), { title: name.slice(0, 200) });
    downloadBytes(safeFileName(name, 'mid'), base64ToBytes(b64), 'audio/midi');
  } catch (err) {
    toasts.error('MIDI export failed', err);
  }
}

/**
 * The piece as the score view shows it and Export → ABC writes it: quantized to the grid, in its key (its key
 * signature, else the estimate from its notes), written by the engine's piano score writer.
 */
export async function scoreAbc(seq: NoteSequence, name: string, grid: ScoreGrid): Promise<string> {
  const key = sequenceKey(seq);
  return studio.api.studio.exportAbc(plain(quantizeForScore(plain(seq), grid, key)), { title: name.slice(0, 200) });
}

export async function exportAbc(seq: NoteSequence, name: string, grid: ScoreGrid): Promise<void> {
  try {
    const text = await scoreAbc(seq, name, grid);
    downloadBytes(safeFileName(name, 'abc'), text, 'text/vnd.abc');
  } catch (err) {
    toasts.error('ABC export failed', err);
  }
}

export async function exportWav(seq: NoteSequence, name: string, bpm?: number): Promise<void> {
  try {
    toasts.push('info', `Rendering “${name}” to WAV…`);
    const bytes = await renderWav(plain(seq), bpm);
    downloadBytes(safeFileName(name, 'wav'), bytes, 'audio/wav');
  } catch (err) {
    toasts.error('WAV export failed', err);
  }
}

/** Sequences may be Svelte state proxies; the bridge and Tone want plain data. */
export function plain(seq: NoteSequence): NoteSequence {
  return JSON.parse(JSON.stringify(seq)) as NoteSequence;
}
