// Gesture: with the pencil (or a double-click), put a note on the grid under the pointer; dragging right sets its length.
import { addNote, resizeSelection } from '../commands';
import { gestureKey, type DragSession, type PointerInfo, type RollContext } from './types';

export function createNoteGesture(ctx: RollContext, down: PointerInfo): DragSession {
  const coords = ctx.coords;
  const tick = coords.tick(down.x);
  const start = ctx.snap && !down.alt ? ctx.snap.grid.snap(tick, ctx.snap.step, 'floor') : Math.round(tick);
  const pitch = coords.pitch(down.y);
  const key = gestureKey('create');
  const created = addNote(ctx.state, { pitch, startTick: start, endTick: start + ctx.newNoteTicks, velocity: defaultVelocity(ctx) });
  ctx.apply(created, 'Add note', key);
  const index = created.sequence.notes.length - 1;
  const end0 = start + ctx.newNoteTicks;
  let dragged = false;
  return {
    cursor: 'ew-resize',
    move(p) {
      // Stretch from the note's initial end, so a short drag right makes a longer note.
      const target = coords.tick(p.x);
      if (!dragged && Math.abs(p.x - down.x) < 3) return;
      dragged = true;
      ctx.apply(resizeSelection(created, { edge: 'end', deltaTicks: target - end0, snap: p.alt ? null : ctx.snap, anchor: index }), 'Add note', key);
    },
    end() {
      const n = ctx.state.sequence.notes[index];
      if (dragged && n) ctx.rememberLength(n.endTick - n.startTick);
    },
  };
}

/** New notes take the velocity of the selected note, so a phrase keeps its dynamics; else mezzo-forte. */
function defaultVelocity(ctx: RollContext): number {
  for (const i of ctx.state.selection) {
    const n = ctx.state.sequence.notes[i];
    if (n) return n.velocity;
  }
  return 90;
}
