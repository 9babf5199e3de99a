// Vertical geometry of the piano roll: MIDI pitch <-> y pixels, with key height (zoom), key range and scroll.
import type { MidiNote } from '../../../shared/units';
import { InvalidArgumentError } from '../../../shared/errors';

/** The pitch ranges the roll can show: a piano's 88 keys (A0..C8) or all 128 MIDI notes. */
export const KEY_RANGES = {
  88: { lowest: 21, highest: 108 },
  128: { lowest: 0, highest: 127 },
} as const;
export type KeyCount = keyof typeof KEY_RANGES;

const BLACK = [false, true, false, true, false, false, true, false, true, false, true, false];
const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];

export function isBlackKey(pitch: MidiNote): boolean {
  return BLACK[((pitch % 12) + 12) % 12]!;
}

/** Scientific pitch name with middle C (60) = C4. */
export function pitchName(pitch: MidiNote): string {
  return `${NAMES[((pitch % 12) + 12) % 12]!}${Math.floor(pitch / 12) - 1}`;
}

/** Immutable; the highest key is at the top (y = 0 before scrolling). */
export class KeyTransform {
  constructor(
    readonly keyHeight: number,
    readonly lowest: MidiNote = KEY_RANGES[88].lowest,
    readonly highest: MidiNote = KEY_RANGES[88].highest,
    /** Pixels scrolled down from the top key. */
    readonly scrollY = 0,
  ) {
    if (!(keyHeight > 0)) throw new InvalidArgumentError(`keyHeight must be positive, got ${keyHeight}`);
    if (!(lowest >= 0 && highest <= 127 && lowest <= highest)) {
      throw new InvalidArgumentError(`key range must lie within 0..127 with lowest <= highest, got ${lowest}..${highest}`);
    }
  }

  static of(keys: KeyCount, keyHeight: number, scrollY = 0): KeyTransform {
    const r = KEY_RANGES[keys];
    return new KeyTransform(keyHeight, r.lowest, r.highest, scrollY);
  }

  get keyCount(): number {
    return this.highest - this.lowest + 1;
  }

  /** Height of all keys together, in pixels. */
  get contentHeight(): number {
    return this.keyCount * this.keyHeight;
  }

  /** Top edge of the row of `pitch`. */
  y(pitch: MidiNote): number {
    return (this.highest - pitch) * this.keyHeight - this.scrollY;
  }

  /** The pitch whose row contains y (not clamped to the range). */
  pitch(y: number): MidiNote {
    return this.highest - Math.floor((y + this.scrollY) / this.keyHeight);
  }

  /** The pitch at y, clamped into the key range. */
  clampedPitch(y: number): MidiNote {
    return Math.min(this.highest, Math.max(this.lowest, this.pitch(y)));
  }

  /** A vertical distance in pixels as semitones (up is positive). */
  semitonesFor(dy: number): number {
    return -dy / this.keyHeight;
  }

  /** Highest scroll that still fills a view `viewHeight` pixels high. */
  maxScroll(viewHeight: number): number {
    return Math.max(0, this.contentHeight - viewHeight);
  }

  withScrollY(scrollY: number, viewHeight: number): KeyTransform {
    const s = Math.min(this.maxScroll(viewHeight), Math.max(0, scrollY));
    return new KeyTransform(this.keyHeight, this.lowest, this.highest, s);
  }

  scrolledBy(dy: number, viewHeight: number): KeyTransform {
    return this.withScrollY(this.scrollY + dy, viewHeight);
  }

  /** Scrolls so that `pitch` sits in the middle of the view. */
  centeredOn(pitch: MidiNote, viewHeight: number): KeyTransform {
    return this.withScrollY((this.highest - pitch + 0.5) * this.keyHeight - viewHeight / 2, viewHeight);
  }

  /** Changes the key height keeping the pitch under `anchorY` in place; clamped to [min, max] pixels. */
  zoomedAt(factor: number, anchorY: number, viewHeight: number, min = 4, max = 40): KeyTransform {
    const h = Math.min(max, Math.max(min, this.keyHeight * factor));
    const frac = (anchorY + this.scrollY) / this.keyHeight;
    const next = new KeyTransform(h, this.lowest, this.highest, 0);
    return next.withScrollY(frac * h - anchorY, viewHeight);
  }

  /** Lowest and highest pitch with any part visible in a view `viewHeight` pixels high (inside the range). */
  visibleLow(viewHeight: number): MidiNote {
    return this.clampedPitch(viewHeight - 1e-6);
  }

  visibleHigh(): MidiNote {
    return this.clampedPitch(0);
  }
}
