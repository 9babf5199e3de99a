// Gesture: drag in the velocity lane. On a selected bar it shifts every selected velocity; elsewhere it paints the bars it crosses.
import { setVelocity, type EditorState } from '../commands';
import { gestureKey, type DragSession, type PointerInfo, type RollContext } from './types';

/** Notes whose bar is within a few pixels of x (all notes starting there, chords included). */
function barsAt(ctx: RollContext, origin: EditorState, x0: number, x1: number): number[] {
  const ticks = ctx.coords.ticks;
  const a = ticks.tick(Math.min(x0, x1) - 3);
  const b = ticks.tick(Math.max(x0, x1) + 3);
  const count = ctx.index.query(a, b, 0, 127);
  const out: number[] = [];
  for (let k = 0; k < count; k++) {
    const i = ctx.index.result[k]!;
    const t = origin.sequence.notes[i]!.startTick;
    if (t >= a && t <= b) out.push(i);
  }
  return out;
}

export function velocityDragGesture(ctx: RollContext, down: PointerInfo): DragSession {
  const origin = ctx.state;
  const key = gestureKey('velocity');
  const under = barsAt(ctx, origin, down.x, down.x);
  const grabbedSelected = under.some((i) => origin.selection.has(i));
  if (grabbedSelected) {
    // Relative change keeps the shape of the selected phrase's dynamics.
    const v0 = ctx.velocity.velocity(down.y);
    return {
      cursor: 'ns-resize',
      move(p) {
        ctx.apply(setVelocity(origin, { mode: 'relative', delta: ctx.velocity.velocity(p.y) - v0 }), 'Change velocity', key);
      },
      end() {},
    };
  }
  let last = down;
  const paint = (p: PointerInfo) => {
    const hit = barsAt(ctx, origin, last.x, p.x);
    if (hit.length > 0) ctx.apply(setVelocity(ctx.state, { mode: 'absolute', value: ctx.velocity.velocity(p.y) }, hit), 'Change velocity', key);
    last = p;
  };
  paint(down);
  return { cursor: 'ns-resize', move: paint, end() {} };
}
