// Unit tests of importMidi on hand-built files: pairing rules, sustain, formats, and the structural checks.
import { describe, expect, it } from 'vitest';
import type { Note } from '../../../shared/song';
import { MidiFormatError } from './errors';
import { importMidi } from './import';
import { extendNotesWithSustain } from './sustain';
import { buildSmf, chunkBytes, trackData } from './testSmf';

const ON = 0x90;
const OFF = 0x80;
const CC = 0xb0;
const tempo = (bpm: number): number[] => {
  const us = Math.round(60_000_000 / bpm);
  return [0xff, 0x51, 3, us >> 16, (us >> 8) & 0xff, us & 0xff];
};
const notesOf = (bytes: Uint8Array, options = {}) =>
  importMidi(bytes, options).notes.map((n) => [n.pitch, n.velocity, n.startTick, n.endTick]);

function formatError(bytes: Uint8Array): MidiFormatError {
  try {
    importMidi(bytes);
  } catch (err) {
    if (err instanceof MidiFormatError) return err;
    throw err;
  }
  throw new Error('importMidi accepted the file');
}

describe('note pairing', () => {
  it('treats note-on with velocity 0 as note-off, with running status', () => {
    const bytes = buildSmf(0, 96, [trackData([[0, ON, 60, 100], [96, 60, 0], [0, 62, 90], [48, 62, 0]])]);
    expect(notesOf(bytes)).toEqual([[60, 100, 0, 96], [62, 90, 96, 144]]);
  });

  it('pairs overlapping same-pitch notes first-in-first-out', () => {
    const bytes = buildSmf(0, 96, [trackData([[0, ON, 60, 100], [50, ON, 60, 80], [50, OFF, 60, 0], [100, OFF, 60, 0]])]);
    expect(notesOf(bytes)).toEqual([[60, 100, 0, 100], [60, 80, 50, 200]]);
  });

  it('keeps zero-length notes and ignores orphan note-offs', () => {
    const bytes = buildSmf(0, 96, [trackData([[0, OFF, 64, 0], [10, ON, 60, 100], [0, OFF, 60, 0], [10, ON, 62, 70], [20, OFF, 62, 0], [5, OFF, 62, 0]])]);
    expect(notesOf(bytes)).toEqual([[60, 100, 10, 10], [62, 70, 20, 40]]);
  });

  it('ends notes no note-off closes at the end of their track', () => {
    const bytes = buildSmf(0, 96, [trackData([[0, ON, 60, 100], [10, ON, 60, 90], [20, OFF, 60, 0], [300, 0xff, 0x01, 0]])]);
    expect(notesOf(bytes)).toEqual([[60, 100, 0, 30], [60, 90, 10, 330]]);
  });

  it('splits channel 10 into a drum track in a format-0 file', () => {
    const bytes = buildSmf(0, 96, [trackData([[0, 0xc0, 5], [0, ON, 60, 100], [0, ON | 9, 36, 110], [96, OFF, 60, 0], [0, OFF | 9, 36, 0]])]);
    const seq = importMidi(bytes);
    expect(seq.tracks).toEqual([
      { name: '', program: 5, channel: 0, isDrum: false },
      { name: '', program: 0, channel: 9, isDrum: true },
    ]);
    expect(seq.notes.map((n) => [n.pitch, n.track])).toEqual([[36, 1], [60, 0]]);
  });
});

describe('formats and meta events', () => {
  it('plays format-2 patterns one after another, with their own tempos', () => {
    const a = trackData([[0, 0xff, 0x03, 1, 0x41], [0, ...tempo(100)], [0, ON, 60, 100], [96, OFF, 60, 0], [96, 0xff, 0x01, 0]]);
    const b = trackData([[0, ...tempo(150)], [48, ON | 1, 62, 90], [48, OFF | 1, 62, 0]]);
    const seq = importMidi(buildSmf(2, 96, [a, b]));
    expect(seq.notes.map((n) => [n.pitch, n.startTick, n.endTick])).toEqual([[60, 0, 96], [62, 192 + 48, 192 + 96]]);
    expect(seq.tempos.map((t) => [t.tick, Math.round(t.bpm)])).toEqual([[0, 100], [192, 150]]);
    expect(seq.meta.title).toBe('A');
  });

  it('keeps format-1 track names, programs, tempos and signatures', () => {
    const conductor = trackData([[0, 0xff, 0x03, 4, ...Buffer.from('Song')], [0, ...tempo(90)], [0, 0xff, 0x58, 4, 3, 2, 24, 8], [0, 0xff, 0x59, 2, 0xfd, 1], [480, ...tempo(60)]]);
    const part = trackData([[0, 0xff, 0x03, 2, ...Buffer.from('RH')], [0, 0xc3, 40], [0, ON | 3, 70, 64], [480, OFF | 3, 70, 0]]);
    const seq = importMidi(buildSmf(1, 480, [conductor, part]), { source: 'x.mid' });
    expect(seq.meta).toEqual({ title: 'Song', source: 'x.mid' });
    expect(seq.tracks).toEqual([{ name: 'RH', program: 40, channel: 3, isDrum: false }]);
    expect(seq.tempos.map((t) => [t.tick, t.bpm.toFixed(4)])).toEqual([[0, '90.0000'], [480, '60.0000']]);
    expect(seq.timeSignatures).toEqual([{ tick: 0, numerator: 3, denominator: 4 }]);
    // 3 flats, minor: C minor.
    expect(seq.keySignatures).toEqual([{ tick: 0, tonic: 0, mode: 'minor' }]);
  });

  it('starts the tempo map at tick 0 with the MIDI default of 120 bpm', () => {
    const seq = importMidi(buildSmf(0, 96, [trackData([[96, ...tempo(60)], [0, ON, 60, 1], [1, OFF, 60, 0]])]));
    expect(seq.tempos).toEqual([{ tick: 0, bpm: 120 }, { tick: 96, bpm: 60 }]);
  });

  it('reads an SMPTE division as absolute time (ticks per second at 60 bpm)', () => {
    const division = ((256 - 25) << 8) | 40; // 25 fps x 40 subframes
    const seq = importMidi(buildSmf(0, division, [trackData([[1000, ON, 60, 100], [1000, OFF, 60, 0]])]));
    expect(seq.ppq).toBe(1000);
    expect(seq.tempos).toEqual([{ tick: 0, bpm: 60 }]);
    expect(seq.notes[0]).toMatchObject({ startTick: 1000, endTick: 2000 });
  });

  it('returns an empty song for a well-formed file without notes', () => {
    const seq = importMidi(buildSmf(1, 96, [trackData([[0, ...tempo(120)]])]));
    expect(seq.notes).toEqual([]);
    expect(seq.tracks).toEqual([]);
  });

  it('reads an empty track chunk (no End of Track) as an empty track', () => {
    const bytes = buildSmf(1, 96, [[], trackData([[0, ON, 60, 100], [10, OFF, 60, 0]])]);
    expect(notesOf(bytes)).toEqual([[60, 100, 0, 10]]);
  });

  it('is lenient like players: unknown chunks, a final track without End of Track, trailing bytes', () => {
    const body = trackData([[0, ON, 60, 100], [10, OFF, 60, 0]], false);
    const header = chunkBytes('MThd', [0, 0, 0, 1, 0, 96]);
    const bytes = Uint8Array.from([...header, ...chunkBytes('XFIH', [1, 2, 3]), ...chunkBytes('MTrk', body), 0x2a]);
    expect(notesOf(bytes)).toEqual([[60, 100, 0, 10]]);
  });
});

describe('structural errors', () => {
  const good = trackData([[0, ON, 60, 100], [96, OFF, 60, 0]]);

  it('names a chunk length that runs past the end of the file', () => {
    const bytes = buildSmf(1, 96, [good, good]);
    bytes[14 + 8 + good.length + 6] = 0x7f; // second track's length
    const err = formatError(bytes);
    expect(err.message).toMatch(/^track 1 at byte 0x26: chunk length \d+ runs past the end of the file \(\d+ bytes\)$/);
    expect(err.offset).toBe(0x26);
  });

  it('rejects a truncated file', () => {
    const bytes = buildSmf(0, 96, [good]);
    expect(formatError(bytes.subarray(0, bytes.length - 3)).message).toMatch(/runs past the end of the file/);
  });

  it('rejects a data byte with no running status in effect', () => {
    expect(formatError(buildSmf(0, 96, [trackData([[0, 60, 100]])])).message).toMatch(/data byte 0x3c where a status byte was expected/);
  });

  it('rejects a delta time longer than 4 bytes', () => {
    const track = [0x81, 0x80, 0x80, 0x80, 0x00, ON, 60, 100, 0, 0xff, 0x2f, 0];
    expect(formatError(buildSmf(0, 96, [track])).message).toMatch(/longer than 4 bytes/);
  });

  it('rejects delta times that add up to an absurd length', () => {
    const track = trackData([[0x0fffffff, ON, 60, 100], [0x0fffffff, OFF, 60, 0]]);
    expect(formatError(buildSmf(0, 96, [track])).message).toMatch(/delta times add up to tick \d+, more than 100000 quarter notes/);
  });

  it('rejects an event cut off by the end of its chunk', () => {
    expect(formatError(buildSmf(0, 96, [[0, ON, 60]])).message).toMatch(/ends in the middle of a channel message 0x90/);
  });

  it('rejects meta events whose length is wrong for their type', () => {
    expect(formatError(buildSmf(0, 96, [trackData([[0, 0xff, 0x51, 2, 1, 2]])])).message).toMatch(/set-tempo meta event has length 2; it must be 3/);
  });

  it('rejects header problems: bad division, 0 tracks, short header', () => {
    expect(formatError(buildSmf(0, 0, [good])).message).toMatch(/division is 0/);
    expect(formatError(buildSmf(0, 96, [])).message).toMatch(/declares 0 tracks/);
    expect(formatError(Uint8Array.from(chunkBytes('MThd', [0, 0, 0, 1]))).message).toMatch(/header length is 4/);
  });
});

describe('sustain pedal', () => {
  const n = (pitch: number, startTick: number, endTick: number): Note => ({ pitch, velocity: 80, startTick, endTick, track: 0 });
  const pedal = (tick: number, value: number) => ({ tick, value, track: 0 });

  it('holds released notes until pedal-up', () => {
    const notes = [n(60, 0, 100), n(64, 150, 180), n(67, 400, 450)];
    const out = extendNotesWithSustain(notes, [pedal(50, 127), pedal(300, 0)]);
    expect(out.map((x) => x.endTick)).toEqual([300, 300, 450]);
    expect(notes[0]!.endTick).toBe(100); // pure
  });

  it('cuts a held note at the next onset of the same pitch, never before its own note-off', () => {
    const out = extendNotesWithSustain([n(60, 0, 100), n(60, 200, 250), n(60, 220, 260)], [pedal(0, 100), pedal(1000, 0)]);
    expect(out.map((x) => x.endTick)).toEqual([200, 250, 1000]);
  });

  it('holds a note released on the tick the pedal goes down, and to the song end if it never comes up', () => {
    const out = extendNotesWithSustain([n(60, 0, 100), n(62, 0, 500)], [pedal(100, 64)]);
    expect(out.map((x) => x.endTick)).toEqual([500, 500]);
  });

  it('applies per track and only with the extend option', () => {
    const part = trackData([[0, CC, 64, 127], [0, ON, 60, 100], [96, OFF, 60, 0], [0, ON | 1, 62, 100], [96, OFF | 1, 62, 0], [96, CC, 64, 0]]);
    const bytes = buildSmf(0, 96, [part]);
    expect(notesOf(bytes)).toEqual([[60, 100, 0, 96], [62, 100, 96, 192]]);
    expect(notesOf(bytes, { sustain: 'extend' })).toEqual([[60, 100, 0, 288], [62, 100, 96, 192]]);
    expect(importMidi(bytes).pedals).toEqual([{ tick: 0, value: 127, track: 0 }, { tick: 288, value: 0, track: 0 }]);
  });
});
