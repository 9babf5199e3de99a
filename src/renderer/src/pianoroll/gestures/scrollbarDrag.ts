// Gesture: drag a scrollbar thumb; the view follows, keeping the grab point under the pointer.
import type { DragSession, PointerInfo } from './types';

/** `coord` picks x or y; `setThumbStart` turns a thumb offset into a scroll of the view. */
export function scrollbarDragGesture(
  down: PointerInfo,
  thumbStart: number,
  coord: 'x' | 'y',
  setThumbStart: (start: number) => void,
): DragSession {
  const grab = down[coord] - thumbStart;
  return {
    cursor: 'default',
    move(p) {
      setThumbStart(p[coord] - grab);
    },
    end() {},
  };
}
