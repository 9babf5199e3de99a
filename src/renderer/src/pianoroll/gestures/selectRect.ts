// Gesture: drag on empty space to select the notes a rubber band touches (Shift adds to the selection).
import { selectNone, selectRect } from '../commands';
import type { DragSession, PointerInfo, RollContext } from './types';

export function selectRectGesture(ctx: RollContext, down: PointerInfo): DragSession {
  const origin = ctx.state;
  if (!down.shift) ctx.apply(selectNone(origin), null);
  return {
    cursor: 'crosshair',
    move(p) {
      ctx.setMarquee({ x0: down.x, y0: down.y, x1: p.x, y1: p.y });
      const range = ctx.coords.range(down.x, down.y, p.x, p.y);
      ctx.apply(selectRect(origin, range, down.shift ? 'add' : 'replace'), null);
    },
    end() {
      ctx.setMarquee(null);
    },
  };
}
