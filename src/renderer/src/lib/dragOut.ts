// Desktop only: lets a fragment be dragged out of the window as a .mid file, prepared as the pointer goes down.
import type { Fragment } from '../../../shared/studio';
import { plain } from './io';
import { studio } from './studio.svelte';

const prepared = new Map<string, string>();

/** True in the desktop app, where the OS drag of a real file is available. */
export function canDragOut(): boolean {
  return typeof studio.connection?.bridge.startDrag === 'function';
}

/** Exports the fragment's MIDI ahead of the drag: the OS drag must start synchronously in dragstart. */
export async function prepareDragOut(f: Fragment): Promise<void> {
  if (!canDragOut()) return;
  prepared.set(f.id, await studio.api.studio.exportMidi(plain(f.sequence), { title: f.name.slice(0, 200) }));
}

export function startDragOut(event: DragEvent, f: Fragment): void {
  const data = prepared.get(f.id);
  const bridge = studio.connection?.bridge;
  if (!data || !bridge?.startDrag) return;
  event.preventDefault();
  bridge.startDrag(`${f.name}.mid`, data);
}
