// Gesture: drag with the middle button (or Space held) to pan the view in both directions.
import type { DragSession, PointerInfo } from './types';

export function panGesture(down: PointerInfo, scrollBy: (dx: number, dy: number) => void): DragSession {
  let last = down;
  return {
    cursor: 'grabbing',
    move(p) {
      scrollBy(last.x - p.x, last.y - p.y);
      last = p;
    },
    end() {},
  };
}
