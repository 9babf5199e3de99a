// The one song model: a NoteSequence timed in ticks with a tempo map; seconds are always derived.
import type { Bpm, MidiNote, NormalRange, Seconds, Ticks, Velocity } from './units';
import { DEFAULT_PPQ } from './units';

export interface Note {
  pitch: MidiNote;
  velocity: Velocity;
  /** Onset, in ticks from the start of the song. */
  startTick: Ticks;
  /** Offset, in ticks; always >= startTick. */
  endTick: Ticks;
  /** Index into NoteSequence.tracks. */
  track: number;
}

export interface Track {
  name: string;
  /** General MIDI program, 0..127. */
  program: number;
  /** MIDI channel 0..15; channel 9 is drums and is kept apart from pitched parts. */
  channel: number;
  isDrum: boolean;
}

export interface TempoEvent {
  tick: Ticks;
  bpm: Bpm;
}

export interface TimeSignatureEvent {
  tick: Ticks;
  numerator: number;
  denominator: number;
}

export type KeyMode = 'major' | 'minor' | 'dorian' | 'phrygian' | 'lydian' | 'mixolydian' | 'locrian';

export interface KeySignatureEvent {
  tick: Ticks;
  /** Pitch class of the tonic, 0 = C .. 11 = B. */
  tonic: number;
  mode: KeyMode;
}

export interface PedalEvent {
  tick: Ticks;
  /** Controller value 0..127; >= 64 means the sustain pedal is down. */
  value: number;
  track: number;
}

/** A named span of the song, used by the arranger (A, B, C ...). */
export interface Section {
  name: string;
  startTick: Ticks;
  endTick: Ticks;
}

export interface NoteSequence {
  /** Ticks per quarter note. */
  ppq: number;
  notes: Note[];
  tracks: Track[];
  /** Sorted by tick; the first entry is at tick 0. Empty means 120 bpm. */
  tempos: TempoEvent[];
  timeSignatures: TimeSignatureEvent[];
  keySignatures: KeySignatureEvent[];
  pedals: PedalEvent[];
  sections: Section[];
  /** Free-form provenance: title, source file, composer. */
  meta: { title?: string; source?: string; [key: string]: string | undefined };
}

export const DEFAULT_BPM: Bpm = 120;

export function emptySequence(ppq: number = DEFAULT_PPQ): NoteSequence {
  return {
    ppq,
    notes: [],
    tracks: [{ name: 'Piano', program: 0, channel: 0, isDrum: false }],
    tempos: [{ tick: 0, bpm: DEFAULT_BPM }],
    timeSignatures: [{ tick: 0, numerator: 4, denominator: 4 }],
    keySignatures: [],
    pedals: [],
    sections: [],
    meta: {},
  };
}

/** Last note-off (or section end) in ticks. */
export function sequenceEndTick(seq: NoteSequence): Ticks {
  let end = 0;
  for (const n of seq.notes) if (n.endTick > end) end = n.endTick;
  for (const s of seq.sections) if (s.endTick > end) end = s.endTick;
  return end;
}

/**
 * Converts between ticks and seconds through a tempo map. Build once per sequence
 * and reuse: each conversion is a binary search over tempo segments.
 */
export class TempoMap {
  private readonly ticks: number[];
  private readonly seconds: number[];
  private readonly secPerTick: number[];

  constructor(tempos: readonly TempoEvent[], readonly ppq: number) {
    const sorted = [...tempos].sort((a, b) => a.tick - b.tick);
    if (sorted.length === 0 || sorted[0]!.tick > 0) sorted.unshift({ tick: 0, bpm: sorted[0]?.bpm ?? DEFAULT_BPM });
    this.ticks = [];
    this.seconds = [];
    this.secPerTick = [];
    let sec = 0;
    for (let i = 0; i < sorted.length; i++) {
      const t = sorted[i]!;
      if (i > 0) {
        const prev = sorted[i - 1]!;
        sec += (t.tick - prev.tick) * this.secPerTick[this.secPerTick.length - 1]!;
      }
      if (this.ticks.length > 0 && this.ticks[this.ticks.length - 1] === t.tick) {
        // Several tempo events on one tick: the last one wins.
        this.secPerTick[this.secPerTick.length - 1] = 60 / (t.bpm * ppq);
        continue;
      }
      this.ticks.push(t.tick);
      this.seconds.push(sec);
      this.secPerTick.push(60 / (t.bpm * ppq));
    }
  }

  static of(seq: Pick<NoteSequence, 'tempos' | 'ppq'>): TempoMap {
    return new TempoMap(seq.tempos, seq.ppq);
  }

  toSeconds(tick: Ticks): Seconds {
    const i = upperBound(this.ticks, tick) - 1;
    const k = Math.max(0, i);
    return this.seconds[k]! + (tick - this.ticks[k]!) * this.secPerTick[k]!;
  }

  toTicks(sec: Seconds): Ticks {
    const i = upperBound(this.seconds, sec) - 1;
    const k = Math.max(0, i);
    return this.ticks[k]! + (sec - this.seconds[k]!) / this.secPerTick[k]!;
  }

  bpmAt(tick: Ticks): Bpm {
    const k = Math.max(0, upperBound(this.ticks, tick) - 1);
    return 60 / (this.secPerTick[k]! * this.ppq);
  }
}

/** Index of the first element greater than x in a sorted array. */
function upperBound(arr: readonly number[], x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function durationSeconds(seq: NoteSequence): Seconds {
  return TempoMap.of(seq).toSeconds(sequenceEndTick(seq));
}

export type { NormalRange };
