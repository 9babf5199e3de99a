// Desktop drag-out: writes the dragged fragment as a .mid file in a private temp folder and hands it to the OS drag.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nativeImage, type IpcMainEvent } from 'electron';
import { createDragDir, removeDragDir, sweepDragDirs } from './dragFiles';

const MAX_BYTES = 32 * 1024 * 1024;
// A 16x16 note glyph shown under the cursor while dragging.
const ICON = nativeImage.createFromDataURL(
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAMklEQVR4nGNgGPQg58j//8h4YAwgWdNINwA9xEkyAD3KSIo6XJopdgHRmrEZQrLmAQEAXnV41ZB1yYIAAAAASUVORK5CYII=',
);
let dir: string | undefined;

/** Only a plain file name ending in .mid, and bytes that really are a MIDI file, are accepted from the renderer. */
export async function onDragOut(event: IpcMainEvent, fileName: unknown, midiBase64: unknown): Promise<void> {
  if (typeof fileName !== 'string' || typeof midiBase64 !== 'string' || midiBase64.length > (MAX_BYTES * 4) / 3 + 4) return;
  const safeName = fileName.replace(/[^\w .()-]+/g, '_').slice(0, 120).replace(/\.mid$/i, '') + '.mid';
  const bytes = Buffer.from(midiBase64, 'base64');
  if (bytes.subarray(0, 4).toString('latin1') !== 'MThd') return;
  dir ??= createDragDir();
  const file = join(dir, safeName);
  await writeFile(file, bytes);
  event.sender.startDrag({ file, icon: ICON });
}

/** At start: removes the drag folders that crashed or killed runs left behind. */
export function sweepOldDragFolders(): void {
  sweepDragDirs();
}

/**
 * At quit: removes this run's drag folder. The drop target has read the file by then (a DAW or file manager copies
 * what is dropped on it), so nothing still needs it.
 */
export function cleanDragFolder(): void {
  if (dir) removeDragDir(dir);
  dir = undefined;
}
