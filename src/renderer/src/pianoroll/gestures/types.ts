// What a mouse gesture sees of the piano roll: the current state and geometry, and how to apply an edit.
import type { EditorState, Snap } from '../commands';
import type { NoteCoordTransform } from '../NoteCoordTransform';
import type { NoteIndex } from '../noteIndex';
import type { VelocityTransform } from '../VelocityTransform';

/** A pointer position in the gesture's own canvas pixels, with the modifier keys held. */
export interface PointerInfo {
  x: number;
  y: number;
  shift: boolean;
  /** Alt/Option: drag without snapping. */
  alt: boolean;
  /** Ctrl on Linux/Windows, Cmd on macOS. */
  mod: boolean;
}

export interface RollContext {
  readonly state: EditorState;
  readonly coords: NoteCoordTransform;
  readonly index: NoteIndex;
  readonly velocity: VelocityTransform;
  /** The toolbar's snap, or null when it is off. */
  readonly snap: Snap | null;
  /** Length given to new notes; the last length drawn or resized. */
  readonly newNoteTicks: number;
  /**
   * Makes `next` the current state. With a label it becomes an undo step; steps with
   * the same `mergeKey` (one drag) collapse into one. Without a label (a selection
   * change) nothing is recorded.
   */
  apply(next: EditorState, label: string | null, mergeKey?: string): void;
  setMarquee(m: { x0: number; y0: number; x1: number; y1: number } | null): void;
  rememberLength(ticks: number): void;
}

/** A drag in progress: created on pointerdown, fed every move, finished on pointerup. */
export interface DragSession {
  move(p: PointerInfo): void;
  end(p: PointerInfo): void;
  /** Cursor while dragging. */
  readonly cursor: string;
}

let nextKey = 0;
/** A merge key unique to one gesture, so its moves become one undo step. */
export function gestureKey(name: string): string {
  return `${name}-${++nextKey}`;
}
