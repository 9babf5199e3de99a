// Strict, allocation-light structural check of a Standard MIDI File, run before @tonejs/midi sees the bytes.
import { MidiFormatError } from './errors';

/** Songs longer than this many quarter notes (about 14 hours at 120 bpm) come from corrupt delta times. */
export const MAX_QUARTER_NOTES = 100_000;

const MTHD = 0x4d546864;
const MTRK = 0x4d54726b;

/** Legal SMPTE frame rates, as the negated high byte of the division word. */
const SMPTE_RATES = new Set([24, 25, 29, 30]);

export type Division = { kind: 'ppq'; ppq: number } | { kind: 'smpte'; framesPerSecond: number; ticksPerFrame: number };

export interface TrackChunk {
  /** Byte offset of the chunk header ('MTrk'). */
  offset: number;
  dataStart: number;
  dataEnd: number;
  /** Tick of the last event (End of Track included). */
  endTick: number;
  /** Note-ons (velocity > 0) in the track. */
  noteOns: number;
  /** Note-ons still sounding at the end of the track, paired first-in-first-out per channel and pitch. */
  hanging: number;
}

export interface SmfLayout {
  format: 0 | 1 | 2;
  division: Division;
  /** The MTrk chunks the header declares, in file order. */
  tracks: TrackChunk[];
  /** Header longer than 6 bytes or chunks other than MTrk: @tonejs/midi needs a cleaned copy. */
  needsRewrite: boolean;
  noteOns: number;
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

function u16(b: Uint8Array, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

function chunkId(b: Uint8Array, i: number): string {
  let s = '';
  for (let k = i; k < i + 4 && k < b.length; k++) {
    const c = b[k]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s;
}

/** Chunk types are four printable ASCII characters; anything else means the chunk lengths lied. */
function isChunkId(b: Uint8Array, i: number): boolean {
  for (let k = i; k < i + 4; k++) {
    const c = b[k]!;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

/** Meta events whose payload size @tonejs/midi (midi-file) insists on; other sizes make it throw or misread. */
const META_LENGTHS: Record<number, readonly number[]> = {
  0x00: [2],
  0x20: [1],
  0x21: [1],
  0x2f: [0],
  0x51: [3],
  0x54: [5],
  0x58: [4],
  0x59: [2],
};

const META_NAMES: Record<number, string> = {
  0x00: 'sequence-number',
  0x20: 'channel-prefix',
  0x21: 'port-prefix',
  0x2f: 'end-of-track',
  0x51: 'set-tempo',
  0x54: 'SMPTE-offset',
  0x58: 'time-signature',
  0x59: 'key-signature',
};

/** Scratch counters of open notes per channel*128+pitch, reused across tracks and calls. */
const openNotes = new Int32Array(16 * 128);

/**
 * Walks every chunk and event of an SMF and throws MidiFormatError on anything a strict reader rejects.
 * Lenient where players are: unknown chunks are skipped, a missing End of Track is fine (the chunk length
 * bounds the track), trailing bytes after the declared tracks are ignored, running status survives
 * meta and sysex events.
 */
export function scanSmf(bytes: Uint8Array): SmfLayout {
  const size = bytes.length;
  if (size === 0) throw new MidiFormatError('the file is empty (0 bytes); a MIDI file starts with an "MThd" header', 0);
  if (size < 8 || u32(bytes, 0) !== MTHD) {
    throw new MidiFormatError(`no "MThd" header: the file starts with "${chunkId(bytes, 0)}" (${size} bytes), so it is not a Standard MIDI File`, 0);
  }
  const headerLength = u32(bytes, 4);
  if (headerLength < 6) throw new MidiFormatError(`"MThd" header length is ${headerLength}; it must be at least 6`, 4);
  if (8 + headerLength > size) {
    throw new MidiFormatError(`"MThd" header length ${headerLength} runs past the end of the file (${size} bytes)`, 4);
  }
  const format = u16(bytes, 8);
  if (format > 2) throw new MidiFormatError(`header format is ${format}; only formats 0, 1 and 2 exist`, 8);
  const declaredTracks = u16(bytes, 10);
  if (declaredTracks === 0) throw new MidiFormatError('header declares 0 tracks', 10);
  const divisionWord = u16(bytes, 12);
  let division: Division;
  let ticksPerQuarter: number;
  if (divisionWord & 0x8000) {
    const framesPerSecond = 256 - (divisionWord >> 8);
    const ticksPerFrame = divisionWord & 0xff;
    if (!SMPTE_RATES.has(framesPerSecond)) {
      throw new MidiFormatError(`SMPTE division ${hex(divisionWord)} gives ${framesPerSecond} frames per second; only 24, 25, 29 (drop-frame) and 30 are legal`, 12);
    }
    if (ticksPerFrame === 0) throw new MidiFormatError(`SMPTE division ${hex(divisionWord)} has 0 ticks per frame`, 12);
    division = { kind: 'smpte', framesPerSecond, ticksPerFrame };
    // SMPTE time is absolute: one "quarter" is taken as one second.
    ticksPerQuarter = framesPerSecond * ticksPerFrame;
  } else {
    if (divisionWord === 0) throw new MidiFormatError('division is 0 ticks per quarter note', 12);
    division = { kind: 'ppq', ppq: divisionWord };
    ticksPerQuarter = divisionWord;
  }
  const maxTick = ticksPerQuarter * MAX_QUARTER_NOTES;

  const tracks: TrackChunk[] = [];
  let needsRewrite = headerLength !== 6;
  let noteOns = 0;
  const skipped: string[] = [];
  let pos = 8 + headerLength;
  while (tracks.length < declaredTracks && pos < size) {
    if (size - pos < 8) {
      throw new MidiFormatError(
        `header declares ${declaredTracks} tracks but only ${tracks.length} were found before ${size - pos} stray bytes at the end of the file`,
        pos,
      );
    }
    if (!isChunkId(bytes, pos)) {
      throw new MidiFormatError(`expected a chunk ("MTrk") but found bytes "${chunkId(bytes, pos)}"; a chunk length earlier in the file is wrong`, pos, { track: tracks.length });
    }
    const id = u32(bytes, pos);
    const length = u32(bytes, pos + 4);
    const dataStart = pos + 8;
    if (dataStart + length > size) {
      const what = id === MTRK ? 'chunk length' : `"${chunkId(bytes, pos)}" chunk length`;
      throw new MidiFormatError(`${what} ${length} runs past the end of the file (${size} bytes)`, pos + 4, { track: tracks.length });
    }
    if (id === MTRK) {
      // @tonejs/midi fails on an empty track; the copy gives it an End of Track.
      if (length === 0) needsRewrite = true;
      tracks.push(scanTrack(bytes, pos, dataStart, dataStart + length, tracks.length, maxTick));
      noteOns += tracks[tracks.length - 1]!.noteOns;
    } else {
      needsRewrite = true;
      skipped.push(`"${chunkId(bytes, pos)}" at 0x${pos.toString(16)}`);
    }
    pos = dataStart + length;
  }
  if (tracks.length < declaredTracks) {
    throw new MidiFormatError(
      `header declares ${declaredTracks} track${declaredTracks === 1 ? '' : 's'} but the file (${size} bytes) holds ${tracks.length} "MTrk" chunk${tracks.length === 1 ? '' : 's'}${
        skipped.length > 0 ? ` (skipped unknown chunk ${skipped.join(', ')})` : ''
      }`,
      pos,
    );
  }
  if (format === 2) {
    let total = 0;
    for (const t of tracks) total += t.endTick;
    if (total > maxTick) {
      throw new MidiFormatError(`the format-2 patterns together last ${total} ticks, more than ${MAX_QUARTER_NOTES} quarter notes`, 12);
    }
  }
  return { format: format as 0 | 1 | 2, division, tracks, needsRewrite, noteOns };
}

function scanTrack(bytes: Uint8Array, offset: number, start: number, end: number, track: number, maxTick: number): TrackChunk {
  openNotes.fill(0);
  let pos = start;
  let tick = 0;
  let running = 0;
  let noteOns = 0;
  let hanging = 0;
  const truncated = (what: string): MidiFormatError =>
    new MidiFormatError(`track data ends in the middle of ${what} (chunk ends at byte 0x${end.toString(16)})`, pos, { track });
  const readVlq = (what: string): number => {
    let value = 0;
    for (let n = 0; n < 4; n++) {
      if (pos >= end) throw truncated(what);
      const b = bytes[pos++]!;
      value = value * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) return value;
    }
    throw new MidiFormatError(`${what} is a variable-length number longer than 4 bytes`, pos - 4, { track });
  };

  while (pos < end) {
    const eventStart = pos;
    tick += readVlq('a delta time');
    if (tick > maxTick) {
      throw new MidiFormatError(`delta times add up to tick ${tick}, more than ${MAX_QUARTER_NOTES} quarter notes into the song`, eventStart, { track });
    }
    if (pos >= end) throw truncated('an event (delta time without a status byte)');
    let status = bytes[pos]!;
    if (status & 0x80) {
      pos++;
      if (status === 0xff) {
        if (pos >= end) throw truncated('a meta event');
        const type = bytes[pos++]!;
        const length = readVlq('a meta-event length');
        if (pos + length > end) {
          throw new MidiFormatError(`meta event ${hex(type)} has length ${length}, past the end of the track chunk (byte 0x${end.toString(16)})`, eventStart, { track });
        }
        const allowed = META_LENGTHS[type];
        if (allowed !== undefined && !allowed.includes(length)) {
          throw new MidiFormatError(`${META_NAMES[type]} meta event has length ${length}; it must be ${allowed.join(' or ')}`, eventStart, { track });
        }
        if (type === 0x51 && (bytes[pos]! | bytes[pos + 1]! | bytes[pos + 2]!) === 0) {
          throw new MidiFormatError('set-tempo meta event of 0 microseconds per quarter note', eventStart, { track });
        }
        pos += length;
        continue;
      }
      if (status === 0xf0 || status === 0xf7) {
        const length = readVlq('a sysex length');
        if (pos + length > end) {
          throw new MidiFormatError(`sysex event has length ${length}, past the end of the track chunk (byte 0x${end.toString(16)})`, eventStart, { track });
        }
        pos += length;
        continue;
      }
      if (status >= 0xf0) {
        throw new MidiFormatError(`illegal status byte ${hex(status)}: system common and real-time messages cannot appear in a MIDI file`, pos - 1, { track });
      }
      running = status;
    } else {
      if (running === 0) {
        throw new MidiFormatError(`data byte ${hex(status)} where a status byte was expected (no running status is in effect)`, pos, { track });
      }
      status = running;
    }
    const kind = status >> 4;
    const dataBytes = kind === 0xc || kind === 0xd ? 1 : 2;
    if (pos + dataBytes > end) throw truncated(`a channel message ${hex(status)}`);
    const d1 = bytes[pos]!;
    const d2 = dataBytes === 2 ? bytes[pos + 1]! : 0;
    if ((d1 | d2) & 0x80) {
      throw new MidiFormatError(`channel message ${hex(status)} has a data byte ≥ 0x80 (${hex(d1 & 0x80 ? d1 : d2)})`, pos, { track });
    }
    pos += dataBytes;
    if (kind === 0x9 && d2 > 0) {
      noteOns++;
      hanging++;
      openNotes[((status & 0xf) << 7) | d1]!++;
    } else if (kind === 0x8 || kind === 0x9) {
      const key = ((status & 0xf) << 7) | d1;
      if (openNotes[key]! > 0) {
        openNotes[key]!--;
        hanging--;
      }
    }
  }
  return { offset, dataStart: start, dataEnd: end, endTick: tick, noteOns, hanging };
}

/** Writes a variable-length quantity into out at pos; returns the new position. */
export function writeVlq(out: Uint8Array, pos: number, value: number): number {
  let shift = 21;
  while (shift > 0 && value >> shift === 0) shift -= 7;
  for (; shift > 0; shift -= 7) out[pos++] = ((value >> shift) & 0x7f) | 0x80;
  out[pos++] = value & 0x7f;
  return pos;
}

export function vlqSize(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : 4;
}

const EMPTY_TRACK = [0x00, 0xff, 0x2f, 0x00];

/**
 * A copy @tonejs/midi can read: 6-byte header, only the declared MTrk chunks, and for format 2 each
 * pattern shifted (by a leading empty text event) to start where the previous one ended, because
 * format-2 patterns play one after another; empty tracks get an End of Track.
 */
export function canonicalBytes(bytes: Uint8Array, layout: SmfLayout): Uint8Array {
  const shifts: number[] = [];
  let at = 0;
  for (const t of layout.tracks) {
    shifts.push(layout.format === 2 ? at : 0);
    at += t.endTick;
  }
  let total = 14;
  layout.tracks.forEach((t, i) => {
    const shift = shifts[i]!;
    total += 8 + (t.dataEnd - t.dataStart) + (shift > 0 ? vlqSize(shift) + 3 : 0) + (t.dataEnd === t.dataStart ? EMPTY_TRACK.length : 0);
  });
  const out = new Uint8Array(total);
  out.set(bytes.subarray(0, 8));
  out[7] = 6;
  out[4] = out[5] = out[6] = 0;
  out[8] = 0;
  out[9] = layout.format === 2 ? 1 : layout.format;
  out.set(bytes.subarray(10, 14), 10);
  let pos = 14;
  layout.tracks.forEach((t, i) => {
    const shift = shifts[i]!;
    const prefix = shift > 0 ? vlqSize(shift) + 3 : 0;
    const empty = t.dataEnd === t.dataStart;
    const length = t.dataEnd - t.dataStart + prefix + (empty ? EMPTY_TRACK.length : 0);
    out.set([0x4d, 0x54, 0x72, 0x6b, (length >>> 24) & 0xff, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff], pos);
    pos += 8;
    if (shift > 0) {
      pos = writeVlq(out, pos, shift);
      out[pos++] = 0xff;
      out[pos++] = 0x01;
      out[pos++] = 0x00;
    }
    out.set(bytes.subarray(t.dataStart, t.dataEnd), pos);
    pos += t.dataEnd - t.dataStart;
    if (empty) {
      out.set(EMPTY_TRACK, pos);
      pos += EMPTY_TRACK.length;
    }
  });
  return out;
}

export interface HangingNote {
  channel: number;
  pitch: number;
  velocity: number;
  startTick: number;
}

/**
 * Notes of an already scanned track that no note-off closes (first-in-first-out per channel and pitch).
 * @tonejs/midi drops them; the importer ends them at the track's last tick instead.
 */
export function hangingNotes(bytes: Uint8Array, track: TrackChunk): HangingNote[] {
  const open = new Map<number, HangingNote[]>();
  let pos = track.dataStart;
  let tick = 0;
  let running = 0;
  const readVlq = (): number => {
    let value = 0;
    let b: number;
    do {
      b = bytes[pos++]!;
      value = value * 128 + (b & 0x7f);
    } while (b & 0x80);
    return value;
  };
  while (pos < track.dataEnd) {
    tick += readVlq();
    let status = bytes[pos]!;
    if (status & 0x80) {
      pos++;
      if (status === 0xff) {
        pos++;
        const length = readVlq();
        pos += length;
        continue;
      }
      if (status === 0xf0 || status === 0xf7) {
        const length = readVlq();
        pos += length;
        continue;
      }
      running = status;
    } else {
      status = running;
    }
    const kind = status >> 4;
    const d1 = bytes[pos]!;
    const d2 = kind === 0xc || kind === 0xd ? 0 : bytes[pos + 1]!;
    pos += kind === 0xc || kind === 0xd ? 1 : 2;
    if (kind !== 0x8 && kind !== 0x9) continue;
    const key = ((status & 0xf) << 7) | d1;
    if (kind === 0x9 && d2 > 0) {
      const queue = open.get(key);
      const note = { channel: status & 0xf, pitch: d1, velocity: d2, startTick: tick };
      if (queue) queue.push(note);
      else open.set(key, [note]);
    } else {
      open.get(key)?.shift();
    }
  }
  return [...open.values()].flat();
}
