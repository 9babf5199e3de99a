// Note <-> rectangle geometry and hit testing (body vs resize edge), built from a TickTransform and a KeyTransform.
import type { Note } from '../../../shared/song';
import type { MidiNote, Ticks } from '../../../shared/units';
import type { KeyTransform } from './KeyTransform';
import type { TickTransform } from './TickTransform';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A region of the song in musical units: [startTick, endTick) x [lowPitch, highPitch]. */
export interface TickPitchRange {
  startTick: Ticks;
  endTick: Ticks;
  lowPitch: MidiNote;
  highPitch: MidiNote;
}

/** Which part of a note a point falls on: the body moves the note, the end edge resizes it. */
export type NotePart = 'body' | 'end';

/** Width of the grab zone at a note's right edge, in pixels (shrunk for very short notes). */
export const EDGE_PX = 6;
/** Notes narrower than this are still drawn this wide so they stay visible and clickable. */
export const MIN_NOTE_PX = 2;

export class NoteCoordTransform {
  constructor(
    readonly ticks: TickTransform,
    readonly keys: KeyTransform,
  ) {}

  /** The note's rectangle; pass `out` to reuse an object while drawing thousands of notes. */
  rect(note: Pick<Note, 'startTick' | 'endTick' | 'pitch'>, out: Rect = { x: 0, y: 0, width: 0, height: 0 }): Rect {
    out.x = this.ticks.x(note.startTick);
    out.y = this.keys.y(note.pitch);
    out.width = Math.max(MIN_NOTE_PX, this.ticks.width(note.endTick - note.startTick));
    out.height = this.keys.keyHeight;
    return out;
  }

  /** Where a point lands on `note`, or null if it misses. */
  hitPart(note: Pick<Note, 'startTick' | 'endTick' | 'pitch'>, x: number, y: number): NotePart | null {
    const top = this.keys.y(note.pitch);
    if (y < top || y >= top + this.keys.keyHeight) return null;
    const left = this.ticks.x(note.startTick);
    const width = Math.max(MIN_NOTE_PX, this.ticks.width(note.endTick - note.startTick));
    if (x < left || x > left + width) return null;
    // Short notes keep at least two thirds of their width for moving.
    const edge = Math.min(EDGE_PX, width / 3);
    return x >= left + width - edge ? 'end' : 'body';
  }

  tick(x: number): Ticks {
    return this.ticks.tick(x);
  }

  pitch(y: number): MidiNote {
    return this.keys.clampedPitch(y);
  }

  /** The musical region covered by a pixel rectangle given by two corners in any order. */
  range(x0: number, y0: number, x1: number, y1: number): TickPitchRange {
    const a = this.ticks.tick(Math.min(x0, x1));
    const b = this.ticks.tick(Math.max(x0, x1));
    return {
      startTick: a,
      endTick: b,
      lowPitch: this.keys.pitch(Math.max(y0, y1)),
      highPitch: this.keys.pitch(Math.min(y0, y1)),
    };
  }

  /** How many ticks a tolerance of `px` pixels spans at this zoom. */
  ticksFor(px: number): Ticks {
    return this.ticks.ticksFor(px);
  }
}
