// Writes the song model as a format-1 Standard MIDI File: a conductor track, then one track per part.
import type { KeySignatureEvent, NoteSequence } from '../../../shared/song';
import { DEFAULT_BPM } from '../../../shared/song';
import { MidiExportError } from './errors';

const SUSTAIN_CC = 64;
const DRUM_CHANNEL = 9;

/** Fifths from the major key's tonic back to the mode's tonic (Ionian = 0); SMF can only say major or minor. */
const MODE_OFFSET: Record<KeySignatureEvent['mode'], number> = {
  major: 0,
  dorian: 2,
  phrygian: 4,
  lydian: 5,
  mixolydian: 7,
  minor: 9,
  locrian: 11,
};

/** Sharps (positive) or flats of the major key on pitch class pc, in -6..5 (F# is written Gb). */
function sharpsOf(pc: number): number {
  const sf = (((pc * 7) % 12) + 12) % 12;
  return sf > 5 ? sf - 12 : sf;
}

interface TimedEvent {
  tick: number;
  /** Order among events on the same tick: offs of sounding notes first, so a re-struck pitch is not cut. */
  rank: number;
  bytes: number[];
}

function checkTick(tick: number, what: string): number {
  if (!Number.isFinite(tick) || tick < 0) throw new MidiExportError(`${what} is at tick ${tick}; ticks must be finite and >= 0`);
  return Math.round(tick);
}

function vlq(value: number, out: number[]): void {
  if (value > 0x0fffffff) throw new MidiExportError(`delta time ${value} ticks does not fit a MIDI variable-length number (max ${0x0fffffff})`);
  const groups = [value & 0x7f];
  for (let v = value >>> 7; v > 0; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
  out.push(...groups);
}

function textMeta(type: number, text: string): number[] {
  const utf8 = [...new TextEncoder().encode(text)];
  const out = [0xff, type];
  vlq(utf8.length, out);
  return out.concat(utf8);
}

function chunk(events: TimedEvent[], endTick: number): number[] {
  events.sort((a, b) => a.tick - b.tick || a.rank - b.rank);
  const data: number[] = [];
  let last = 0;
  for (const e of events) {
    vlq(e.tick - last, data);
    last = e.tick;
    for (const b of e.bytes) data.push(b);
  }
  vlq(Math.max(0, endTick - last), data);
  data.push(0xff, 0x2f, 0x00);
  const n = data.length;
  return [0x4d, 0x54, 0x72, 0x6b, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, ...data];
}

/**
 * Format 1, division seq.ppq. Track 0 holds the title, tempos, time and key signatures; each part gets a
 * track with its name, program change, notes and sustain-pedal CCs on its channel (9 when isDrum).
 * Ticks are rounded to whole ticks; note-on velocities are kept in 1..127 because 0 would mean note-off.
 * Same-pitch notes nested inside each other cannot survive any MIDI file: readers pair offs first-in-first-out.
 * @throws MidiExportError for a ppq outside 1..32767, or a pitch, velocity, channel or tick MIDI cannot hold.
 */
export function exportMidi(seq: NoteSequence): Uint8Array {
  const { ppq } = seq;
  if (!Number.isInteger(ppq) || ppq < 1 || ppq > 0x7fff) throw new MidiExportError(`ppq ${ppq} must be an integer in 1..32767`);

  let songEnd = 0;
  const conductor: TimedEvent[] = [];
  if (seq.meta.title) conductor.push({ tick: 0, rank: 0, bytes: textMeta(0x03, seq.meta.title) });
  const tempos = seq.tempos.length > 0 ? seq.tempos : [{ tick: 0, bpm: DEFAULT_BPM }];
  for (const t of tempos) {
    if (!(t.bpm > 0) || !Number.isFinite(t.bpm)) throw new MidiExportError(`tempo ${t.bpm} bpm at tick ${t.tick} must be a positive number`);
    const us = Math.min(0xffffff, Math.max(1, Math.round(60_000_000 / t.bpm)));
    conductor.push({ tick: checkTick(t.tick, 'a tempo change'), rank: 1, bytes: [0xff, 0x51, 0x03, (us >> 16) & 0xff, (us >> 8) & 0xff, us & 0xff] });
  }
  for (const ts of seq.timeSignatures) {
    const exponent = Math.log2(ts.denominator);
    if (!Number.isInteger(exponent) || exponent < 0 || exponent > 7 || !Number.isInteger(ts.numerator) || ts.numerator < 1 || ts.numerator > 255) {
      throw new MidiExportError(`time signature ${ts.numerator}/${ts.denominator} at tick ${ts.tick} cannot be written (denominator must be a power of two up to 128)`);
    }
    conductor.push({ tick: checkTick(ts.tick, 'a time signature'), rank: 1, bytes: [0xff, 0x58, 0x04, ts.numerator, exponent, 24, 8] });
  }
  // Sections (A, B, C ... of an arrangement or a noise form) become markers, which DAWs show on their timeline.
  for (const section of seq.sections) conductor.push({ tick: checkTick(section.startTick, 'a section'), rank: 1, bytes: textMeta(0x06, section.name) });
  for (const ks of seq.keySignatures) {
    const majorPc = (((ks.tonic - MODE_OFFSET[ks.mode]) % 12) + 12) % 12;
    const sf = sharpsOf(majorPc);
    conductor.push({ tick: checkTick(ks.tick, 'a key signature'), rank: 1, bytes: [0xff, 0x59, 0x02, sf & 0xff, ks.mode === 'minor' ? 1 : 0] });
  }

  const parts: TimedEvent[][] = seq.tracks.map((t, i) => {
    const channel = t.isDrum ? DRUM_CHANNEL : t.channel;
    if (!Number.isInteger(channel) || channel < 0 || channel > 15) throw new MidiExportError(`track ${i} ("${t.name}") has channel ${channel}; it must be 0..15`);
    if (!Number.isInteger(t.program) || t.program < 0 || t.program > 127) throw new MidiExportError(`track ${i} ("${t.name}") has program ${t.program}; it must be 0..127`);
    return [
      { tick: 0, rank: -2, bytes: textMeta(0x03, t.name) },
      { tick: 0, rank: -1, bytes: [0xc0 | channel, t.program] },
    ];
  });
  const channelOf = seq.tracks.map((t) => (t.isDrum ? DRUM_CHANNEL : t.channel));

  for (const n of seq.notes) {
    const events = parts[n.track];
    const channel = channelOf[n.track];
    if (events === undefined || channel === undefined) throw new MidiExportError(`a note refers to track ${n.track}, but the song has ${seq.tracks.length} tracks`);
    if (!Number.isInteger(n.pitch) || n.pitch < 0 || n.pitch > 127) throw new MidiExportError(`note pitch ${n.pitch} at tick ${n.startTick} must be 0..127`);
    const start = checkTick(n.startTick, `note ${n.pitch}`);
    const end = Math.max(start, checkTick(n.endTick, `the end of note ${n.pitch}`));
    const velocity = Math.min(127, Math.max(1, Math.round(n.velocity)));
    events.push({ tick: start, rank: 2, bytes: [0x90 | channel, n.pitch, velocity] });
    // A zero-length note's off must follow its own on, not close an earlier note.
    events.push({ tick: end, rank: end === start ? 3 : 0, bytes: [0x80 | channel, n.pitch, 64] });
    if (end > songEnd) songEnd = end;
  }
  for (const p of seq.pedals) {
    const events = parts[p.track];
    const channel = channelOf[p.track];
    if (events === undefined || channel === undefined) throw new MidiExportError(`a pedal event refers to track ${p.track}, but the song has ${seq.tracks.length} tracks`);
    const tick = checkTick(p.tick, 'a pedal event');
    events.push({ tick, rank: 1, bytes: [0xb0 | channel, SUSTAIN_CC, Math.min(127, Math.max(0, Math.round(p.value)))] });
    if (tick > songEnd) songEnd = tick;
  }
  for (const e of conductor) if (e.tick > songEnd) songEnd = e.tick;

  const body: number[] = [];
  for (const b of chunk(conductor, songEnd)) body.push(b);
  for (const events of parts) for (const b of chunk(events, songEnd)) body.push(b);
  const ntracks = parts.length + 1;
  if (ntracks > 0xffff) throw new MidiExportError(`${parts.length} tracks are more than a MIDI file can hold`);
  const out = new Uint8Array(14 + body.length);
  out.set([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, ntracks >> 8, ntracks & 0xff, ppq >> 8, ppq & 0xff]);
  out.set(body, 14);
  return out;
}
