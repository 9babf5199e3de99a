// Gesture: drag a note's right edge to change the length of every selected note (snapped; Alt resizes freely).
import { resizeSelection, select } from '../commands';
import { gestureKey, type DragSession, type PointerInfo, type RollContext } from './types';

export function resizeNotesGesture(ctx: RollContext, note: number, down: PointerInfo): DragSession {
  if (!ctx.state.selection.has(note)) ctx.apply(select(ctx.state, [note], down.shift ? 'add' : 'replace'), null);
  const origin = ctx.state;
  const key = gestureKey('resize');
  return {
    cursor: 'ew-resize',
    move(p) {
      const next = resizeSelection(origin, {
        edge: 'end',
        deltaTicks: ctx.coords.ticksFor(p.x - down.x),
        snap: p.alt ? null : ctx.snap,
        anchor: note,
      });
      ctx.apply(next, 'Resize notes', key);
    },
    end() {
      const n = ctx.state.sequence.notes[note];
      if (n) ctx.rememberLength(n.endTick - n.startTick);
    },
  };
}
