// What the player plays, in seconds: notes and metronome clicks derived from a NoteSequence's ticks and a tempo factor.
import { TempoMap, sequenceEndTick, type NoteSequence } from '../../../shared/song';
import type { MidiNote, Seconds, Ticks } from '../../../shared/units';
import { barTicks } from '../../../shared/arrange';
import { pickupTicks } from '../../../shared/meter';

export interface ScheduledNote {
  time: Seconds;
  duration: Seconds;
  pitch: MidiNote;
  /** 0..1 */
  velocity: number;
}

export interface Click {
  time: Seconds;
  downbeat: boolean;
}

/** The sequence's own opening tempo; a user tempo is applied as a ratio to it so tempo changes inside the song survive. */
export function baseBpm(seq: Pick<NoteSequence, 'tempos' | 'ppq'>): number {
  return TempoMap.of(seq).bpmAt(0);
}

/**
 * Converts between song ticks and playback seconds at `rate` times the song's own tempo
 * (rate 2 plays twice as fast).
 */
export class PlaybackClock {
  private readonly map: TempoMap;
  constructor(seq: Pick<NoteSequence, 'tempos' | 'ppq'>, readonly rate: number) {
    this.map = TempoMap.of(seq);
  }
  toSeconds(tick: Ticks): Seconds {
    return this.map.toSeconds(tick) / this.rate;
  }
  toTicks(sec: Seconds): Ticks {
    return this.map.toTicks(sec * this.rate);
  }
}

/** Notes starting at or after `fromTick`; drums and silent notes are left out (the piano cannot play them). */
export function scheduleNotes(seq: NoteSequence, clock: PlaybackClock, fromTick: Ticks = 0): ScheduledNote[] {
  const out: ScheduledNote[] = [];
  for (const n of seq.notes) {
    if (n.startTick < fromTick || n.velocity === 0 || seq.tracks[n.track]?.isDrum) continue;
    const time = clock.toSeconds(n.startTick);
    out.push({ time, duration: Math.max(0.02, clock.toSeconds(n.endTick) - time), pitch: n.pitch, velocity: n.velocity / 127 });
  }
  return out.sort((a, b) => a.time - b.time);
}

/** One click per beat (quarter note) up to `endTick`, the first of each bar marked as a downbeat (bars count from after a pickup). */
export function scheduleClicks(seq: NoteSequence, clock: PlaybackClock, endTick: Ticks = sequenceEndTick(seq)): Click[] {
  const bar = barTicks(seq);
  const pickup = pickupTicks(seq);
  const out: Click[] = [];
  for (let t = 0; t < endTick; t += seq.ppq) out.push({ time: clock.toSeconds(t), downbeat: Math.abs((((t - pickup) % bar) + bar) % bar) < 1e-6 });
  return out;
}

/** "3.2": the bar and beat of a tick, bars counted from 1 after a pickup (which is bar 0). */
export function barBeat(seq: Pick<NoteSequence, 'ppq' | 'timeSignatures'>, tick: Ticks): string {
  const bar = barTicks(seq);
  const pickup = pickupTicks(seq);
  if (tick < pickup) return `0.${Math.floor((tick - pickup + bar) / seq.ppq) + 1}`;
  const t = tick - pickup;
  return `${Math.floor(t / bar) + 1}.${Math.floor((t % bar) / seq.ppq) + 1}`;
}

const NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
/** Scientific pitch name, 60 → "C4". */
export function noteName(pitch: MidiNote): string {
  return `${NAMES[pitch % 12]}${Math.floor(pitch / 12) - 1}`;
}
