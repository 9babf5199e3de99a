// Import (file picker, drag and drop) and export (MIDI, ABC, WAV) of fragments, with problems reported as toasts.
import { MUSIC_FILE_ACCEPT } from '../../../shared/files';
import type { NoteSequence } from '../../../shared/song';
import { base64ToBytes } from './base64';
import { downloadBytes, safeFileName } from './download';
import { renderWav } from './playback.svelte';
import { projectStore } from './project.svelte';
import { studio } from './studio.svelte';
import { toasts } from './toasts.svelte';
import { importSizeProblem, sendFileForImport } from './upload';

/** Extensions the engine's importer reads. */
export const IMPORT_ACCEPT = MUSIC_FILE_ACCEPT;
const IMPORTABLE = /\.(midi?|abc|txt)$/i;

/** Imports each file; a file that fails does not stop the others, and every problem is listed plainly. */
export async function importFiles(files: readonly File[]): Promise<number> {
  let added = 0;
  const problems: string[] = [];
  for (const file of files) {
    if (!IMPORTABLE.test(file.name)) {
      problems.push(`${file.name}: not a MIDI (.mid) or ABC (.abc) file`);
      continue;
    }
    const tooLarge = importSizeProblem(file.name, file.size);
    if (tooLarge) {
      problems.push(tooLarge);
      continue;
    }
    try {
      const result = await sendFileForImport(studio.api.studio, file, file.name);
      projectStore.adoptFragments(result.fragments);
      added += result.fragments.length;
      for (const p of result.problems) problems.push(`${p.item === file.name ? file.name : `${file.name} · ${p.item}`}: ${p.message}`);
    } catch (err) {
      problems.push(`${file.name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (problems.length > 0) toasts.push(added > 0 ? 'warn' : 'error', added > 0 ? `Imported ${added} fragment(s), with problems` : 'Nothing could be imported', problems);
  else if (added > 0) toasts.push('ok', `Imported ${added} fragment${added === 1 ? '' : 's'}`);
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

export async function exportAbc(seq: NoteSequence, name: string): Promise<void> {
  try {
    const text = await studio.api.studio.exportAbc(plain(seq), { title: name.slice(0, 200) });
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
