// Gesture: press on a note's body and drag to move the selection in time and pitch (snapped; Alt drags freely).
import { moveSelection, select } from '../commands';
import { gestureKey, type DragSession, type PointerInfo, type RollContext } from './types';

export function moveNotesGesture(ctx: RollContext, note: number, down: PointerInfo): DragSession {
  const wasSelected = ctx.state.selection.has(note);
  if (!wasSelected) ctx.apply(select(ctx.state, [note], down.shift ? 'add' : 'replace'), null);
  const origin = ctx.state;
  const coords = ctx.coords;
  const pitch0 = coords.keys.pitch(down.y);
  const key = gestureKey('move');
  let moved = false;
  return {
    cursor: 'grabbing',
    move(p) {
      const deltaTicks = coords.ticksFor(p.x - down.x);
      const deltaPitch = coords.keys.pitch(p.y) - pitch0;
      if (!moved && Math.abs(p.x - down.x) < 3 && Math.abs(p.y - down.y) < 3) return;
      moved = true;
      ctx.apply(moveSelection(origin, { deltaTicks, deltaPitch, snap: p.alt ? null : ctx.snap, anchor: note }), 'Move notes', key);
    },
    end(p) {
      if (moved) return;
      // A click without a drag: shift toggles an already selected note, a plain click selects only it.
      if (wasSelected) ctx.apply(select(origin, [note], p.shift ? 'toggle' : 'replace'), null);
    },
  };
}
