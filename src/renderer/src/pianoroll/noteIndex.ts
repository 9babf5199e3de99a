// Finds the notes inside a visible window fast: short notes sorted by start (binary search) plus a small list of long notes.
import type { Note } from '../../../shared/song';
import type { MidiNote, Ticks } from '../../../shared/units';
import type { NoteCoordTransform, NotePart } from './NoteCoordTransform';

export interface NoteHit {
  /** Index into the sequence's notes. */
  index: number;
  part: NotePart;
}

/**
 * Built once per notes array (on every edit, not every frame). A note is "long" when
 * it lasts more than `longTicks`; any short note overlapping [t0, t1] starts in
 * [t0 - longTicks, t1], so a binary search bounds the scan. Long notes (held bass,
 * pedal tones) are few and scanned linearly.
 */
export class NoteIndex {
  /** Indices of short notes, sorted by start tick. */
  private readonly order: Int32Array;
  private readonly starts: Float64Array;
  /** Indices of long notes, sorted by start tick. */
  private readonly long: Int32Array;
  /** Query results: `result[0 .. count)` after a call to `query`, in drawing order. */
  result: Int32Array;

  constructor(
    readonly notes: readonly Note[],
    readonly longTicks: Ticks,
  ) {
    const all = new Int32Array(notes.length);
    for (let i = 0; i < all.length; i++) all[i] = i;
    all.sort((a, b) => notes[a]!.startTick - notes[b]!.startTick || a - b);
    let nLong = 0;
    for (const n of notes) if (n.endTick - n.startTick > longTicks) nLong++;
    this.order = new Int32Array(notes.length - nLong);
    this.starts = new Float64Array(notes.length - nLong);
    this.long = new Int32Array(nLong);
    let s = 0;
    let l = 0;
    for (const i of all) {
      const n = notes[i]!;
      if (n.endTick - n.startTick > longTicks) this.long[l++] = i;
      else {
        this.order[s] = i;
        this.starts[s++] = n.startTick;
      }
    }
    this.result = new Int32Array(Math.min(notes.length, 1024));
  }

  get longCount(): number {
    return this.long.length;
  }

  /**
   * Collects the notes overlapping ticks [t0, t1] and pitches [low, high] into
   * `result` and returns how many there are. Long notes come first so short
   * notes are drawn on top of them.
   */
  query(t0: Ticks, t1: Ticks, low: MidiNote, high: MidiNote): number {
    const notes = this.notes;
    let count = 0;
    for (let k = 0; k < this.long.length; k++) {
      const i = this.long[k]!;
      const n = notes[i]!;
      if (n.startTick > t1) break;
      if (n.endTick >= t0 && n.pitch >= low && n.pitch <= high) count = this.push(count, i);
    }
    let k = lowerBound(this.starts, t0 - this.longTicks);
    for (; k < this.order.length; k++) {
      if (this.starts[k]! > t1) break;
      const i = this.order[k]!;
      const n = notes[i]!;
      if (n.endTick >= t0 && n.pitch >= low && n.pitch <= high) count = this.push(count, i);
    }
    return count;
  }

  private push(count: number, i: number): number {
    if (count === this.result.length) {
      const grown = new Int32Array(Math.max(16, count * 2));
      grown.set(this.result);
      this.result = grown;
    }
    this.result[count] = i;
    return count + 1;
  }

  /** The topmost note under pixel (x, y) and which part of it was hit, or null. */
  hit(coords: NoteCoordTransform, x: number, y: number): NoteHit | null {
    const pitch = coords.keys.pitch(y);
    const tick = coords.tick(x);
    // A short note is drawn at least MIN_NOTE_PX wide, so look a few pixels to the left too.
    const count = this.query(tick - coords.ticksFor(8), tick, pitch, pitch);
    for (let k = count - 1; k >= 0; k--) {
      const i = this.result[k]!;
      const part = coords.hitPart(this.notes[i]!, x, y);
      if (part) return { index: i, part };
    }
    return null;
  }
}

/** First position whose value is >= x. */
function lowerBound(arr: Float64Array, x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
